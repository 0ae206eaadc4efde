"""Shared fixtures: the seed item and the real default encoder, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bialign.embed import CachedEmbedder, get_encoder

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed.txt"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def default_embedder() -> CachedEmbedder:
    """The real default encoder (shipped in its wheel, no download)."""
    return CachedEmbedder(get_encoder())
