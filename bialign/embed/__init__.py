"""Sentence encoders: the :class:`Embedder` interface, backends and their registry."""

from .base import Embedder, l2_normalize, normalize_for_embedding
from .cache import CachedEmbedder
from .registry import DEFAULT_ENCODER, ENCODERS, EncoderSpec, get_encoder, register_encoder
from .store import EmbeddingStore

__all__ = [
    "DEFAULT_ENCODER",
    "ENCODERS",
    "CachedEmbedder",
    "Embedder",
    "EmbeddingStore",
    "EncoderSpec",
    "get_encoder",
    "l2_normalize",
    "normalize_for_embedding",
    "register_encoder",
]
