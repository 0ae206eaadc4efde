"""Shared fixtures: the seed item and the real default encoder, loaded once per session; and a
home directory of the session's own, so that nothing a test runs (the README's
``--cache ~/.cache/bialign`` line, say) writes into the user's real ``~/.cache``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bialign.embed import CachedEmbedder, get_encoder

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed.txt"
DATA = Path(__file__).resolve().parent / "data"
#: the home directory of whoever runs the tests (never written by them)
REAL_HOME = Path.home()


@pytest.fixture(scope="session", autouse=True)
def private_home(tmp_path_factory) -> Path:
    """HOME and XDG_CACHE_HOME in a temporary folder for the whole session (subprocesses
    inherit them); the Hugging Face cache stays where it is, read for models only."""
    home = tmp_path_factory.mktemp("home")
    saved = {name: os.environ.get(name) for name in ("HOME", "XDG_CACHE_HOME", "HF_HOME")}
    real_hf = Path(saved["HF_HOME"] or Path(saved["XDG_CACHE_HOME"] or REAL_HOME / ".cache") / "huggingface")
    os.environ.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    if real_hf.is_dir():
        os.environ["HF_HOME"] = str(real_hf)
    yield home
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def default_embedder() -> CachedEmbedder:
    """The real default encoder (shipped in its wheel, no download)."""
    return CachedEmbedder(get_encoder())
