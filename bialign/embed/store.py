"""A persistent embedding store: vectors kept on disk across runs, processes and workers.

One SQLite file per encoder identity in a directory (``DIR/vectors-<digest>.sqlite3``), a
:class:`bialign.embed.blobstore.SharedTable` (WAL mode, a busy timeout, bounded, least recently
used rows out first). A row is keyed by a 16-byte BLAKE2b digest of the normalised text
and holds the vector as little-endian float32 bytes (exactly what the encoder gave).

Nothing read is trusted: a file that is not SQLite, has another schema, or was written for
another encoder identity or dimension is ignored with a warning (on the ``bialign``
logger), and a row whose bytes have the wrong length, a bad checksum or non-finite values
is skipped with a warning and embedded again. Any SQLite error while the store is in use
disables it for the rest of the process, with a warning: the store may cost a run time,
never its output.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from .blobstore import DEFAULT_MAX_MB, DirectoryStore, Layout, SharedTable

APP = "bialign-embeddings"
LAYOUT = Layout(APP, table="vectors", value="vector", what="embedding cache", owner="encoder")


def text_key(text: str) -> bytes:
    """The row key of an (already normalised) text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _file_name(identity: str) -> str:
    return f"vectors-{hashlib.sha256(identity.encode('utf-8')).hexdigest()[:20]}.sqlite3"


def _vector_reader(dim: int) -> Callable[[bytes], np.ndarray | None]:
    """Reads a stored row as a vector of ``dim`` floats, or None when it is damaged."""
    def read(blob: bytes) -> np.ndarray | None:
        if len(blob) != 4 * dim:
            return None
        vector = np.frombuffer(blob, dtype="<f4").astype(np.float32)
        return vector if np.isfinite(vector).all() else None
    return read


class EmbeddingStore(DirectoryStore):
    """Vectors on disk in ``directory``, one SQLite file per encoder identity; picklable.

    ``CachedEmbedder(encoder, store=EmbeddingStore(directory))`` looks texts up here before
    embedding them and stores what it embeds. Connections open lazily in the process that
    uses them (a copy sent to another process opens its own).
    """

    def __init__(self, directory: str | os.PathLike[str], max_mb: float = DEFAULT_MAX_MB,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(directory, max_mb, clock)
        self._tables: dict[str, SharedTable] = {}

    def path_for(self, identity: str) -> Path:
        """The file that holds vectors of the encoder with this identity."""
        return self.directory / _file_name(identity)

    def _table(self, identity: str, dim: int) -> SharedTable:
        key = f"{dim}:{identity}"
        if key not in self._tables:
            self._tables[key] = SharedTable(self.path_for(identity), LAYOUT, {"identity": identity, "dim": str(dim)},
                                            self.max_bytes, 4 * dim, self.clock)
        return self._tables[key]

    def get(self, identity: str, dim: int, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """Trusted stored vectors of ``keys`` for this encoder (missing keys are left out)."""
        return self._table(identity, dim).get(keys, _vector_reader(dim))

    def put(self, identity: str, dim: int, rows: Iterable[tuple[bytes, np.ndarray]]) -> None:
        """Store vectors of this encoder; a failure disables the store, never the run."""
        self._table(identity, dim).put((key, np.ascontiguousarray(vector, dtype="<f4").tobytes()) for key, vector in rows)

    def count(self, identity: str, dim: int) -> int:
        """How many vectors this encoder has stored (0 when its file is not usable)."""
        return self._table(identity, dim).count()

    def close(self) -> None:
        """Close this process's connections (they reopen on next use)."""
        for table in self._tables.values():
            table.close()
        self._tables = {}
