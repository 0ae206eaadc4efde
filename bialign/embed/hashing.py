"""A small deterministic embedder for unit tests: hashed character n-grams.

It knows no languages (English and Russian sentences share no n-grams), so it is only
useful where the same text or the same script is compared, never for real alignment.
"""

from __future__ import annotations

import zlib

import numpy as np

from .base import Embedder


class HashingEmbedder(Embedder):
    """Bag of hashed character trigrams; identical texts give identical vectors."""

    name = "hashing"
    batch_independent = True  # each text is hashed alone

    def __init__(self, dim: int = 256) -> None:
        self._dim = dim

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def version(self) -> str:
        return "1"

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                out[row, zlib.crc32(padded[i: i + 3].encode("utf-8")) % self._dim] += 1.0
        return out
