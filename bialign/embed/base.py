"""The sentence-encoder interface every backend implements."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from abc import ABC, abstractmethod
from typing import Callable, Sequence

import numpy as np

from ..text.homoglyphs import one_script_words

_QUOTES = str.maketrans({"«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "‘": "'", "’": "'", "‚": "'", "—": "-",
                         "–": "-"})


@functools.lru_cache(maxsize=1 << 16)
def normalize_for_embedding(text: str) -> str:
    """NFKC, one style of quotes and dashes (a doubled apostrophe is a quote), each word in
    one script (:mod:`bialign.text.homoglyphs`), collapsed whitespace: for embedding only.

    Remembered for recent texts: the aligner asks for the same sentences several times.
    """
    text = one_script_words(unicodedata.normalize("NFKC", text).translate(_QUOTES).replace("''", '"'))
    return re.sub(r"\s+", " ", text).strip()


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class Embedder(ABC):
    """Turns sentences into unit-length vectors in one multilingual space."""

    #: registry name of the backend
    name: str = ""
    #: True when a text's vector never depends on the other texts of the call (a cached
    #: vector is then the one the encoder would give now); None or False when it may
    batch_independent: bool | None = False

    @property
    @abstractmethod
    def dim(self) -> int:
        """Length of each vector."""

    @property
    def version(self) -> str:
        """Version of the model or package behind the backend, for signatures."""
        return "unknown"

    @abstractmethod
    def _embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for already normalised, non-empty texts, one row each."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (an empty text gives a zero row)."""
        return self._rows(texts, lambda kept: (self._embed(kept), None))[0]

    def _rows(self, texts: Sequence[str], compute: Callable[[list[str]], tuple[np.ndarray, np.ndarray | None]],
              parts_dim: int = 0) -> tuple[np.ndarray, np.ndarray | None]:
        """Unit vectors of ``texts`` (zero rows for empty ones) and, with ``parts_dim``, their
        parts (zero rows likewise), from ``compute`` over the normalised non-empty texts."""
        prepared = [normalize_for_embedding(t) for t in texts]
        out = np.zeros((len(prepared), self.dim), dtype=np.float32)
        parts = np.zeros((len(prepared), parts_dim), dtype=np.float32) if parts_dim else None
        keep = [i for i, t in enumerate(prepared) if t]
        if keep:
            vectors, kept_parts = compute([prepared[i] for i in keep])
            out[keep] = l2_normalize(vectors)
            if parts is not None:
                parts[keep] = kept_parts
        return out, parts

    #: How far a run estimate of :meth:`compose` may be off, as a share of the pipeline's
    #: ``optimism`` (which is calibrated for estimates from the texts' vectors).
    composed_error: float = 1.0
    #: Floats of a text's parts (:meth:`embed_with_parts`); 0 for an encoder without them.
    parts_dim: int = 0

    def embed_with_parts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
        """:meth:`embed`, and for an encoder that estimates joined texts (:meth:`compose`)
        what it estimates them from, one row a text; ``None`` for other encoders."""
        return self.embed(texts), None

    def compose(self, parts: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """Estimated unit vectors of the texts of ``parts`` rows joined in runs ``(start, count)``."""
        raise NotImplementedError(f"the {self.name} encoder does not estimate joined texts")

    def run_estimates(self, texts: Sequence[str], spans: Sequence[tuple[int, int]]) -> np.ndarray | None:
        """Estimated vectors of ``texts`` joined in runs ``(start, count)`` (``" ".join``), computed
        from what embedding each text alone gives; ``None`` when the encoder cannot."""
        parts = self.embed_with_parts(texts)[1]
        return None if parts is None else self.compose(parts, spans)

    def load_in_background(self) -> None:
        """Start loading the model on a thread of its own, so that the load overlaps work that
        does not need it (reading, language detection); a no-op for encoders loaded up front.
        Loading errors are not raised here but by the first call that needs the model."""

    def options(self) -> dict[str, object]:
        """Settings besides name and version that change the vectors (none by default)."""
        return {}

    def identity(self) -> str:
        """Everything that decides this encoder's vectors, as one string: the key of stored vectors."""
        return json.dumps({"name": self.name, "version": self.version, "class": type(self).__qualname__,
                           "dim": self.dim, "options": self.options()}, sort_keys=True, default=str)

    def signature(self) -> str:
        """``name:version`` for reproducibility signatures."""
        return f"{self.name}:{self.version}"
