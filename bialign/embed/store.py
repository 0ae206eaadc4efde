"""A persistent embedding store: vectors kept on disk across runs, processes and workers.

One SQLite file per encoder identity in a directory (``DIR/vectors-<digest>.sqlite3``),
in WAL mode with a busy timeout, so several processes read and write it at once. A row is
keyed by a 16-byte BLAKE2b digest of the normalised text and holds the vector as
little-endian float32 bytes (exactly what the encoder gave), a CRC-32 of those bytes and
the time it was last used. The file is bounded: past ``max_mb`` the least recently used
rows are deleted and the freed pages returned.

Nothing read is trusted: a file that is not SQLite, has another schema, or was written for
another encoder identity or dimension is ignored with a warning (on the ``bialign``
logger), and a row whose bytes have the wrong length, a bad checksum or non-finite values
is skipped with a warning and embedded again. Any SQLite error while the store is in use
disables it for the rest of the process, with a warning: the store may cost a run time,
never its output.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import sqlite3
import time
import zlib
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

log = logging.getLogger("bialign")

APP = "bialign-embeddings"
SCHEMA = "1"
DEFAULT_MAX_MB = 1024
BUSY_TIMEOUT_MS = 60_000
PAGE_SIZE = 32_768  # fifteen 2 KB vectors a page, where 4 KB pages hold one
TOUCH_AFTER_S = 3600  # a row's last use is rewritten at most this often (LRU-ish, cheap reads)
_LOOKUP_CHUNK = 500  # keys per SELECT (below SQLite's limit on bound parameters)
_ROW_OVERHEAD = 64  # bytes per row besides the vector: key, checksum, time, index entry
_EVICT_ROUNDS = 8
_COLUMNS = ["key", "vector", "crc", "used"]
_DDL = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS vectors (key BLOB NOT NULL UNIQUE, vector BLOB NOT NULL,"
    " crc INTEGER NOT NULL, used INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS vectors_used ON vectors (used)",
)


def text_key(text: str) -> bytes:
    """The row key of an (already normalised) text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _file_name(identity: str) -> str:
    return f"vectors-{hashlib.sha256(identity.encode('utf-8')).hexdigest()[:20]}.sqlite3"


class _Table:
    """The open file of one encoder identity; ``None`` from :meth:`open` when it cannot be trusted."""

    def __init__(self, connection: sqlite3.Connection, path: Path, dim: int, max_bytes: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.db = connection
        self.clock = clock
        self.path = path
        self.dim = dim
        self.max_bytes = max_bytes
        self.warned_rows = False

    @classmethod
    def open(cls, path: Path, identity: str, dim: int, max_bytes: int,
             clock: Callable[[], float] = time.time) -> "_Table | None":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            log.warning("embedding cache %s cannot be opened (%s); running without it", path, exc)
            return None
        try:
            reason = cls._prepare(db, identity, dim)
        except sqlite3.Error as exc:
            reason = f"not a usable SQLite file ({exc})"
        if reason:
            log.warning("embedding cache %s is ignored: %s", path, reason)
            db.close()
            return None
        return cls(db, path, dim, max_bytes, clock)

    @staticmethod
    def _prepare(db: sqlite3.Connection, identity: str, dim: int) -> str:
        """Create the schema in a new file, or check an existing one; the reason not to trust it, or ''."""
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            db.execute("PRAGMA auto_vacuum = INCREMENTAL")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"PRAGMA journal_size_limit = {8 * 2**20}")
        expected = {"app": APP, "schema": SCHEMA, "identity": identity, "dim": str(dim)}
        db.execute("BEGIN IMMEDIATE")
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                for statement in _DDL:
                    db.execute(statement)
                db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(expected.items()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if tables and not {"meta", "vectors"} <= tables:
            return f"another schema (tables: {', '.join(sorted(tables))})"
        columns = [row[1] for row in db.execute("PRAGMA table_info(vectors)")]
        if columns != _COLUMNS:
            return f"another schema (vectors columns: {', '.join(columns)})"
        meta = dict(db.execute("SELECT name, value FROM meta"))
        for name, value in expected.items():
            if meta.get(name) != value:
                what = "encoder" if name in ("identity", "dim") else "format"
                return f"written for another {what} ({name} {meta.get(name)!r}, expected {value!r})"
        return ""

    def get(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The trusted stored vectors among ``keys``; marks old ones as used now."""
        found: dict[bytes, np.ndarray] = {}
        stale: list[bytes] = []
        now = int(self.clock())
        for first in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[first:first + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, blob, crc, used in self.db.execute(
                    f"SELECT key, vector, crc, used FROM vectors WHERE key IN ({marks})", chunk):
                vector = self._trusted(blob, crc)
                if vector is None:
                    continue
                found[key] = vector
                if used < now - TOUCH_AFTER_S:
                    stale.append(key)
        if stale:
            self.db.executemany("UPDATE vectors SET used = ? WHERE key = ?", [(now, key) for key in stale])
        return found

    def _trusted(self, blob: object, crc: object) -> np.ndarray | None:
        if isinstance(blob, bytes) and len(blob) == 4 * self.dim and crc == zlib.crc32(blob):
            vector = np.frombuffer(blob, dtype="<f4").astype(np.float32)
            if np.isfinite(vector).all():
                return vector
        if not self.warned_rows:
            log.warning("embedding cache %s holds damaged vectors (wrong size, checksum or values); "
                        "they are ignored and embedded again", self.path)
            self.warned_rows = True
        return None

    def put(self, rows: Iterable[tuple[bytes, np.ndarray]]) -> None:
        """Store vectors (replacing damaged rows), then keep the file under its bound."""
        now = int(self.clock())
        records = []
        for key, vector in rows:
            blob = np.ascontiguousarray(vector, dtype="<f4").tobytes()
            records.append((key, blob, zlib.crc32(blob), now))
        if not records:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", records)
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
        per_row = 4 * self.dim + _ROW_OVERHEAD
        for _ in range(_EVICT_ROUNDS):
            used = self.used_bytes()
            if used <= self.max_bytes:
                return
            count = max(1, math.ceil((used - int(self.max_bytes * 0.9)) / per_row))
            self.db.execute("DELETE FROM vectors WHERE rowid IN"
                            " (SELECT rowid FROM vectors ORDER BY used, rowid LIMIT ?)", (count,))

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM vectors").fetchone()[0])

    def close(self) -> None:
        self.db.close()


class EmbeddingStore:
    """Vectors on disk in ``directory``, one SQLite file per encoder identity; picklable.

    ``CachedEmbedder(encoder, store=EmbeddingStore(directory))`` looks texts up here before
    embedding them and stores what it embeds. Connections open lazily in the process that
    uses them (a copy sent to another process opens its own).
    """

    def __init__(self, directory: str | os.PathLike[str], max_mb: float = DEFAULT_MAX_MB,
                 clock: Callable[[], float] = time.time) -> None:
        if max_mb <= 0:
            raise ValueError(f"max_mb must be positive, not {max_mb}")
        self.directory = Path(directory)
        self.max_mb = max_mb
        self.clock = clock
        self._tables: dict[str, _Table | None] = {}
        self._pid = os.getpid()

    def __getstate__(self) -> dict[str, object]:
        return {"directory": self.directory, "max_mb": self.max_mb, "clock": self.clock}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["directory"], state["max_mb"], state["clock"])  # type: ignore[misc, arg-type]

    def path_for(self, identity: str) -> Path:
        """The file that holds vectors of the encoder with this identity."""
        return self.directory / _file_name(identity)

    def _table(self, identity: str, dim: int) -> _Table | None:
        if os.getpid() != self._pid:  # a forked copy: never share the parent's connections
            self._tables, self._pid = {}, os.getpid()
        key = f"{dim}:{identity}"
        if key not in self._tables:
            self._tables[key] = _Table.open(self.path_for(identity), identity, dim, int(self.max_mb * 2**20), self.clock)
        return self._tables[key]

    def _disable(self, key: str, exc: Exception) -> None:
        table = self._tables.get(key)
        log.warning("embedding cache %s failed (%s); running without it from here", table and table.path, exc)
        if table is not None:
            try:
                table.close()
            except sqlite3.Error:
                pass
        self._tables[key] = None

    def get(self, identity: str, dim: int, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """Trusted stored vectors of ``keys`` for this encoder (missing keys are left out)."""
        table = self._table(identity, dim)
        if table is None or not keys:
            return {}
        try:
            return table.get(keys)
        except sqlite3.Error as exc:
            self._disable(f"{dim}:{identity}", exc)
            return {}

    def put(self, identity: str, dim: int, rows: Iterable[tuple[bytes, np.ndarray]]) -> None:
        """Store vectors of this encoder; a failure disables the store, never the run."""
        table = self._table(identity, dim)
        if table is None:
            return
        try:
            table.put(rows)
        except sqlite3.Error as exc:
            self._disable(f"{dim}:{identity}", exc)

    def count(self, identity: str, dim: int) -> int:
        """How many vectors this encoder has stored (0 when its file is not usable)."""
        table = self._table(identity, dim)
        return table.count() if table is not None else 0

    def close(self) -> None:
        """Close this process's connections (they reopen on next use)."""
        for table in self._tables.values():
            if table is not None:
                table.close()
        self._tables = {}
