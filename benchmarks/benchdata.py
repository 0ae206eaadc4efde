"""Where the benchmarks find their data.

The dev and editorial sets (items and truth) ship in ``tests/data/``. What is not in the
repository (the 999 distinct items of ``data/speed/``, the referee) comes from the shared
data folder: ``$BIALIGN_SHARED``, or ``../shared`` beside the checkout; a benchmark that
needs it and does not find it says so and skips that part.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"
SETS = ("dev", "editorial")


def items_path(name: str) -> Path:
    """The items of the set ``name`` (``dev`` or ``editorial``)."""
    return TEST_DATA / f"{name}.items.jsonl"


def gold_path(name: str) -> Path:
    """The truth of the set ``name``."""
    return TEST_DATA / f"{name}.gold.jsonl"


def shared(*parts: str) -> Path | None:
    """A path inside the shared data folder, or None when it is not there."""
    root = Path(os.environ["BIALIGN_SHARED"]) if os.environ.get("BIALIGN_SHARED") else ROOT.parent / "shared"
    path = root.joinpath(*parts)
    return path if path.exists() else None
