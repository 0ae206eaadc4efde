"""A test set for machine translation from translation pairs: sources and references.

Pairs are oriented by a direction (``ru-en``: Russian source, English reference) and
filtered: by minimum pair score, by length ratio, and for duplicate sources. Every
filter counts what it dropped, so a report can say why a test set is smaller than its
pairs file.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import BialignError
from ..formats.tsv import tsv_field
from ..records import Pair
from ..text.textio import atomic_write

__all__ = [
    "build_testset",
    "check_direction",
    "DIRECTIONS",
    "orient",
    "TestSet",
    "testset_paths",
    "TestSetFilter",
    "write_testset",
]

DIRECTIONS = ("ru-en", "en-ru")


@dataclass(frozen=True)
class TestSetFilter:
    """Which pairs make the test set. ``None`` switches a filter off."""

    __test__ = False  # not a pytest class

    min_score: float | None = None  # keep pairs scored at least this (unknown scores are dropped)
    max_ratio: float | None = None  # keep pairs whose longer side is at most this many times the shorter (characters)
    dedup: bool = False  # keep the first pair of each source text (whitespace collapsed)


@dataclass(frozen=True)
class TestSet:
    """Aligned source and reference lines, and the counts each filter dropped."""

    __test__ = False

    direction: str
    sources: tuple[str, ...]
    references: tuple[str, ...]
    read: int
    dropped: dict[str, int] = field(default_factory=dict)
    flattened: int = 0  # lines changed to fit one line: breaks and tabs to spaces, ends stripped
    scores: tuple[float, ...] = ()  # the alignment score of each kept pair (NaN when unknown)

    @property
    def src_lang(self) -> str:
        return self.direction.split("-")[0]

    @property
    def tgt_lang(self) -> str:
        return self.direction.split("-")[1]

    def __len__(self) -> int:
        return len(self.sources)

    def report(self) -> dict[str, object]:
        return {"read": self.read, "kept": len(self), "dropped": dict(self.dropped), "flattened": self.flattened}


def _lang(code: str) -> str:
    return code.lower().replace("_", "-").split("-")[0]


def orient(pair: Pair, direction: str) -> tuple[str, str]:
    """``(source, reference)`` of ``pair`` for ``direction``."""
    src, tgt = direction.split("-")
    sides = {_lang(pair.src_lang): pair.src, _lang(pair.tgt_lang): pair.tgt}
    if src not in sides or tgt not in sides:
        raise BialignError(
            f"pair of item '{pair.id}' is {pair.src_lang}-{pair.tgt_lang}, not {direction}")
    return sides[src], sides[tgt]


def check_direction(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise BialignError(f"unknown direction '{direction}'; choose from: {', '.join(DIRECTIONS)}")
    return direction


def build_testset(pairs: Iterable[Pair], direction: str = "ru-en",
                  filters: TestSetFilter = TestSetFilter()) -> TestSet:
    """Orient and filter ``pairs``; empty sides are always dropped."""
    check_direction(direction)
    dropped = {"empty": 0, "score": 0, "length_ratio": 0, "duplicate": 0}
    seen: set[str] = set()
    sources: list[str] = []
    references: list[str] = []
    scores: list[float] = []
    read = flattened = 0
    for pair in pairs:
        read += 1
        source, reference = orient(pair, direction)
        line_src, line_ref = tsv_field(source).strip(), tsv_field(reference).strip()
        if not line_src or not line_ref:
            dropped["empty"] += 1
            continue
        if filters.min_score is not None and (math.isnan(pair.score) or pair.score < filters.min_score):
            dropped["score"] += 1
            continue
        if filters.max_ratio is not None:
            short, long = sorted((len(line_src), len(line_ref)))
            if long > filters.max_ratio * short:
                dropped["length_ratio"] += 1
                continue
        if filters.dedup:
            key = " ".join(line_src.split())
            if key in seen:
                dropped["duplicate"] += 1
                continue
            seen.add(key)
        flattened += (line_src != source) + (line_ref != reference)
        sources.append(line_src)
        references.append(line_ref)
        scores.append(pair.score)
    return TestSet(direction, tuple(sources), tuple(references), read, dropped, flattened, tuple(scores))


def testset_paths(prefix: str | os.PathLike[str]) -> tuple[Path, Path]:
    """``PREFIX.src`` (source lines) and ``PREFIX.ref`` (reference lines)."""
    prefix = str(prefix)
    return Path(prefix + ".src"), Path(prefix + ".ref")


def write_testset(testset: TestSet, prefix: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write the source and reference files, one segment a line; return their paths."""
    src_path, ref_path = testset_paths(prefix)
    for path, lines in ((src_path, testset.sources), (ref_path, testset.references)):
        with atomic_write(path) as handle:
            handle.writelines(line + "\n" for line in lines)
    return src_path, ref_path
