"""An embedding cache: each distinct sentence is embedded once per run."""

from __future__ import annotations

from collections import OrderedDict
from typing import Sequence

import numpy as np

from .base import Embedder, normalize_for_embedding

DEFAULT_CACHE_SIZE = 200_000


class CachedEmbedder(Embedder):
    """Wraps an embedder with a bounded LRU cache keyed by normalised text.

    News repeats titles and boilerplate; within one call duplicates are embedded once,
    and across calls recent sentences are served from memory.
    """

    def __init__(self, inner: Embedder, max_entries: int = DEFAULT_CACHE_SIZE) -> None:
        self.inner = inner
        self.name = inner.name
        self.max_entries = max_entries
        self._store: OrderedDict[str, np.ndarray] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        """Start afresh: no cached vector, no hits or misses counted."""
        self._store.clear()
        self.hits = self.misses = 0

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def version(self) -> str:
        return self.inner.version

    def _embed(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - embed() is overridden
        return self.inner._embed(texts)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [normalize_for_embedding(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._store))
        self.misses += len(missing)
        self.hits += len(keys) - len(missing)
        if missing:
            vectors = self.inner.embed(missing)
            for key, vector in zip(missing, vectors):
                self._store[key] = vector
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
