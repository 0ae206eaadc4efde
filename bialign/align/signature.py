"""The reproducibility signature of a run: versions and settings that decide the output."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from ..version import __version__

if TYPE_CHECKING:
    from ..embed import Embedder
    from .aligner import AlignConfig

__all__ = [
    "run_signature",
]


def run_signature(config: "AlignConfig", embedder: "Embedder | None" = None) -> dict[str, object]:
    """Package version, encoder, its version and options (device included), and the alignment parameters."""
    signature: dict[str, object] = {"bialign": __version__, "encoder": config.encoder}
    if embedder is not None:
        signature["encoder_version"] = embedder.version
    if config.encoder_options:
        signature["encoder_options"] = {key: value for key, value in config.encoder_options}
    signature.update(asdict(config.params))
    signature["min_window"] = config.min_window
    signature["window_extra"] = config.window_extra
    if not config.check_languages:  # only when forced, so that every other signature stays as it was
        signature["check_languages"] = False
    return signature

