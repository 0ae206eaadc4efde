"""Any sentence-transformers model (LaBSE, multilingual-e5, a local folder), loaded offline.

A model is a local directory, or a Hugging Face name that is already in the user's cache:
nothing is fetched at run time (``local_files_only``), and a model that is not on disk
raises :class:`ModelNotFoundError` saying how to get it.
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

import numpy as np

from ..errors import MissingDependencyError, ModelNotFoundError
from .base import Embedder

ENV_VAR = "BIALIGN_ST_MODEL"
LABSE = "sentence-transformers/LaBSE"
E5_BASE = "intfloat/multilingual-e5-base"


def default_prefix(model: str) -> str:
    """e5 models expect a ``passage: `` prefix on every text; other models none."""
    return "passage: " if "e5" in Path(model).name.lower() else ""


def resolve_model(model: str, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The local folder of ``model``: the path itself, or its snapshot in the HF cache.

    Raises :class:`ModelNotFoundError` when it is neither.
    """
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    if path.is_absolute() or model.startswith((".", "~")) or model.count("/") > 1:
        raise ModelNotFoundError(f"sentence-transformers model folder not found: {model}")
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import LocalEntryNotFoundError
    except ImportError as exc:
        raise MissingDependencyError("sentence-transformers", "st", "sentence-transformers encoders") from exc
    try:
        return Path(snapshot_download(model, cache_dir=cache_dir, local_files_only=True))
    except (LocalEntryNotFoundError, OSError, ValueError) as exc:
        raise ModelNotFoundError(
            f"sentence-transformers model '{model}' is not in the Hugging Face cache; "
            f"download it on a machine with network access ('hf download {model}') "
            f"or pass a local model folder"
        ) from exc


def describe_location(model: str) -> str:
    """One line for ``bialign encoders``: the folder found, or why there is none."""
    try:
        return str(resolve_model(model))
    except ModelNotFoundError:
        return f"not found: {model} is not a folder nor in the Hugging Face cache"


def describe_default_location() -> str:
    """Where the ``st`` encoder's model (``$BIALIGN_ST_MODEL`` or LaBSE) is."""
    return describe_location(os.environ.get(ENV_VAR) or LABSE)


class SentenceTransformersEmbedder(Embedder):
    """A sentence-transformers model on the CPU; ``model`` defaults to ``$BIALIGN_ST_MODEL`` or LaBSE."""

    name = "st"
    default_model = LABSE

    def __init__(self, model: str | None = None, batch_size: int = 32, prefix: str | None = None,
                 cache_dir: str | os.PathLike[str] | None = None, device: str = "cpu") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingDependencyError("sentence-transformers", "st", "sentence-transformers encoders") from exc
        self.model_name = model or (os.environ.get(ENV_VAR) if self.name == "st" else None) or self.default_model
        self.model_path = resolve_model(self.model_name, cache_dir)
        self._model = SentenceTransformer(str(self.model_path), device=device, local_files_only=True)
        self.prefix = default_prefix(self.model_name) if prefix is None else prefix
        self.batch_size = batch_size
        dim = self._model.get_embedding_dimension()
        if dim is None:
            dim = int(self._model.encode(["x"], convert_to_numpy=True).shape[1])
        self._dim = int(dim)

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def version(self) -> str:
        return f"{Path(self.model_name).name}/sentence-transformers-{metadata.version('sentence-transformers')}"

    def _embed(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode([self.prefix + t for t in texts], batch_size=self.batch_size,
                                     convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


class LaBSEEmbedder(SentenceTransformersEmbedder):
    """LaBSE (768 dimensions, 109 languages), from the local Hugging Face cache."""

    name = "labse"
    default_model = LABSE


class MultilingualE5Embedder(SentenceTransformersEmbedder):
    """multilingual-e5-base (768 dimensions), from the local Hugging Face cache."""

    name = "e5"
    default_model = E5_BASE
