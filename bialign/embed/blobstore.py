"""A bounded table of key -> bytes rows in one SQLite file, shared by processes and workers.

The persistent embedding cache (:mod:`bialign.embed.store`) and the result cache
(:mod:`bialign.run.results`) keep their rows here. The file is in WAL mode with a busy timeout,
so several processes read and write it at once. A row holds its value, a CRC-32 of it and
the time it was last used; past ``max_bytes`` the least recently used rows are deleted and
the freed pages returned.

Nothing read is trusted: a file that is not SQLite, has another schema, or was written for
another owner (an encoder, a setting) is ignored with a warning on the ``bialign`` logger;
a row whose checksum or value fails its check is skipped with a warning. Any SQLite error
while the table is in use disables it for the rest of the process, with a warning: a cache
may cost a run time, never its output.
"""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import time
import zlib
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence, TypeVar

log = logging.getLogger("bialign")

SCHEMA = "1"
DEFAULT_MAX_MB = 1024
BUSY_TIMEOUT_MS = 60_000
PAGE_SIZE = 32_768  # fifteen 2 KB vectors a page, where 4 KB pages hold one
TOUCH_AFTER_S = 3600  # a row's last use is rewritten at most this often (LRU-ish, cheap reads)
_LOOKUP_CHUNK = 500  # keys per SELECT (below SQLite's limit on bound parameters)
_ROW_OVERHEAD = 64  # bytes per row besides the value: key, checksum, time, index entry
_EVICT_ROUNDS = 8

T = TypeVar("T")


class Layout:
    """What one kind of file holds: its table, value column, the app it belongs to and how
    the owner (the meta names other than ``app`` and ``schema``) is called in warnings."""

    def __init__(self, app: str, table: str, value: str, what: str, owner: str) -> None:
        self.app, self.table, self.value, self.what, self.owner = app, table, value, what, owner
        self.columns = ["key", value, "crc", "used"]
        self.ddl = (
            "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {table} (key BLOB NOT NULL UNIQUE, {value} BLOB NOT NULL,"
            " crc INTEGER NOT NULL, used INTEGER NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {table}_used ON {table} (used)",
        )


class BlobTable:
    """The open file of one owner; ``None`` from :meth:`open` when it cannot be trusted."""

    def __init__(self, connection: sqlite3.Connection, path: Path, layout: Layout, max_bytes: int,
                 row_bytes: int, clock: Callable[[], float] = time.time) -> None:
        self.db = connection
        self.path = path
        self.layout = layout
        self.max_bytes = max_bytes
        self.row_bytes = row_bytes + _ROW_OVERHEAD
        self.clock = clock
        self.warned_rows = False

    @classmethod
    def open(cls, path: Path, layout: Layout, meta: Mapping[str, str], max_bytes: int, row_bytes: int,
             clock: Callable[[], float] = time.time) -> "BlobTable | None":
        """The file at ``path``, created if missing; None (with a warning) when it is not to be trusted.

        ``row_bytes`` is the usual size of a value, for how many rows to delete past the bound.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            log.warning("%s %s cannot be opened (%s); running without it", layout.what, path, exc)
            return None
        try:
            reason = cls._prepare(db, layout, {"app": layout.app, "schema": SCHEMA, **meta})
        except sqlite3.Error as exc:
            reason = f"not a usable SQLite file ({exc})"
        if reason:
            log.warning("%s %s is ignored: %s", layout.what, path, reason)
            db.close()
            return None
        return cls(db, path, layout, max_bytes, row_bytes, clock)

    @staticmethod
    def _prepare(db: sqlite3.Connection, layout: Layout, expected: dict[str, str]) -> str:
        """Create the schema in a new file, or check an existing one; the reason not to trust it, or ''."""
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            db.execute("PRAGMA auto_vacuum = INCREMENTAL")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"PRAGMA journal_size_limit = {8 * 2**20}")
        db.execute("BEGIN IMMEDIATE")
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                for statement in layout.ddl:
                    db.execute(statement)
                db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(expected.items()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if tables and not {"meta", layout.table} <= tables:
            return f"another schema (tables: {', '.join(sorted(tables))})"
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({layout.table})")]
        if columns != layout.columns:
            return f"another schema ({layout.table} columns: {', '.join(columns)})"
        meta = dict(db.execute("SELECT name, value FROM meta"))
        for name, value in expected.items():
            if meta.get(name) != value:
                what = "format" if name in ("app", "schema") else layout.owner
                return f"written for another {what} ({name} {meta.get(name)!r}, expected {value!r})"
        return ""

    def get(self, keys: Sequence[bytes], check: Callable[[bytes], T | None]) -> dict[bytes, T]:
        """The trusted values among ``keys``, each as ``check`` reads it (None: damaged); marks old ones as used now."""
        table, column = self.layout.table, self.layout.value
        found: dict[bytes, T] = {}
        stale: list[bytes] = []
        now = int(self.clock())
        for first in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[first:first + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, blob, crc, used in self.db.execute(
                    f"SELECT key, {column}, crc, used FROM {table} WHERE key IN ({marks})", chunk):
                value = check(blob) if isinstance(blob, bytes) and crc == zlib.crc32(blob) else None
                if value is None:
                    self._warn_damaged()
                    continue
                found[key] = value
                if used < now - TOUCH_AFTER_S:
                    stale.append(key)
        if stale:
            self.db.executemany(f"UPDATE {table} SET used = ? WHERE key = ?", [(now, key) for key in stale])
        return found

    def _warn_damaged(self) -> None:
        if not self.warned_rows:
            log.warning("%s %s holds damaged %s (wrong size, checksum or values); they are ignored and made again",
                        self.layout.what, self.path, self.layout.table)
            self.warned_rows = True

    def put(self, rows: Iterable[tuple[bytes, bytes]]) -> None:
        """Store values (replacing damaged rows), then keep the file under its bound."""
        now = int(self.clock())
        records = [(key, blob, zlib.crc32(blob), now) for key, blob in rows]
        if not records:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany(f"INSERT OR REPLACE INTO {self.layout.table} VALUES (?, ?, ?, ?)", records)
            self._evict()
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("PRAGMA incremental_vacuum")

    def used_bytes(self) -> int:
        """Bytes in pages that hold data (the file minus its free pages)."""
        pages = self.db.execute("PRAGMA page_count").fetchone()[0] - self.db.execute("PRAGMA freelist_count").fetchone()[0]
        return int(pages) * int(self.db.execute("PRAGMA page_size").fetchone()[0])

    def _evict(self) -> None:
        """Delete the least recently used rows (oldest first among equals) while data exceeds the bound.

        Deleting in insertion order among rows of the same last use frees whole pages, which
        new rows then reuse; it goes down to 90% of the bound, so most puts delete nothing.
        """
        for _ in range(_EVICT_ROUNDS):
            used = self.used_bytes()
            if used <= self.max_bytes:
                return
            count = max(1, math.ceil((used - int(self.max_bytes * 0.9)) / self.row_bytes))
            self.db.execute(f"DELETE FROM {self.layout.table} WHERE rowid IN"
                            f" (SELECT rowid FROM {self.layout.table} ORDER BY used, rowid LIMIT ?)", (count,))

    def count(self) -> int:
        return int(self.db.execute(f"SELECT count(*) FROM {self.layout.table}").fetchone()[0])

    def close(self) -> None:
        self.db.close()


class DirectoryStore:
    """A cache kept in SQLite files of one directory, each bounded to ``max_mb``; picklable
    (only where it is and its bound travel: a copy opens its own connections)."""

    def __init__(self, directory: str | os.PathLike[str], max_mb: float = DEFAULT_MAX_MB,
                 clock: Callable[[], float] = time.time) -> None:
        if max_mb <= 0:
            raise ValueError(f"max_mb must be positive, not {max_mb}")
        self.directory = Path(directory)
        self.max_mb = max_mb
        self.clock = clock

    @property
    def max_bytes(self) -> int:
        """The bound of each file, in bytes."""
        return int(self.max_mb * 2**20)

    def __getstate__(self) -> dict[str, object]:
        return {"directory": self.directory, "max_mb": self.max_mb, "clock": self.clock}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["directory"], state["max_mb"], state["clock"])  # type: ignore[misc, arg-type]


class SharedTable:
    """A :class:`BlobTable` opened in the process that first uses it (a copy in a forked or
    spawned process opens its own connection) and disabled, with a warning, on any SQLite error."""

    def __init__(self, path: Path, layout: Layout, meta: Mapping[str, str], max_bytes: int, row_bytes: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.path, self.layout, self.meta = path, layout, dict(meta)
        self.max_bytes, self.row_bytes, self.clock = max_bytes, row_bytes, clock
        self._table: BlobTable | None = None
        self._state = "new"  # "open", "off"
        self._pid = os.getpid()

    def _open(self) -> BlobTable | None:
        if os.getpid() != self._pid:  # a forked copy: never share the parent's connection
            self._table, self._state, self._pid = None, "new", os.getpid()
        if self._state == "new":
            self._table = BlobTable.open(self.path, self.layout, self.meta, self.max_bytes, self.row_bytes, self.clock)
            self._state = "open" if self._table is not None else "off"
        return self._table

    def _disable(self, exc: Exception) -> None:
        log.warning("%s %s failed (%s); running without it from here", self.layout.what, self.path, exc)
        if self._table is not None:
            try:
                self._table.close()
            except sqlite3.Error:
                pass
        self._table, self._state = None, "off"

    def get(self, keys: Sequence[bytes], check: Callable[[bytes], T | None]) -> dict[bytes, T]:
        """Trusted values of ``keys`` (missing keys are left out; nothing when the file is not usable)."""
        table = self._open()
        if table is None or not keys:
            return {}
        try:
            return table.get(keys, check)
        except sqlite3.Error as exc:
            self._disable(exc)
            return {}

    def put(self, rows: Iterable[tuple[bytes, bytes]]) -> None:
        """Store values; a failure disables the table, never the run."""
        table = self._open()
        if table is None:
            return
        try:
            table.put(rows)
        except sqlite3.Error as exc:
            self._disable(exc)

    def count(self) -> int:
        """How many rows are stored (0 when the file is not usable)."""
        table = self._open()
        return table.count() if table is not None else 0

    def close(self) -> None:
        """Close this process's connection (it reopens on next use)."""
        if self._table is not None:
            self._table.close()
        self._table, self._state = None, "new"
