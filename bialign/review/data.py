"""What the review page shows: one :class:`ItemView` per sampled item, the :class:`Review`
of a whole run, and the limits the page marks pairs by.

Plain values with no I/O: :mod:`bialign.review.build` builds them, :mod:`bialign.review.html`
draws them, and neither needs the other to know their shape.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..records import Item, Pair, Rejected, Segment
from ..text.furniture import Furniture
from ..text.sentences import Sentence

__all__ = [
    "ItemView",
    "LONG_PAIR_CHARS",
    "LONG_PAIR_SENTENCES",
    "MAX_MATRIX_EN",
    "MAX_MATRIX_RU",
    "Review",
    "SCORE_BINS",
]

MAX_MATRIX_EN = 40  # English sentences (columns) of a similarity matrix, at most
MAX_MATRIX_RU = 40
LONG_PAIR_SENTENCES = 3  # a pair joining this many sentences on a side is "long"
LONG_PAIR_CHARS = 400  # ... and so is one with a side longer than this
SCORE_BINS = tuple(round(0.1 * i, 1) for i in range(11))


@dataclass
class ItemView:
    """One sampled item with what the page shows of it."""

    item: Item
    segments: list[Segment]
    en: list[Sentence]
    ru: list[Sentence]
    pairs: list[Pair]
    reason: str = ""
    rejected: str = ""  # the reason in the rejects file, when the item is there
    matrix: np.ndarray | None = None  # Russian sentences x the English window
    furniture: list[Furniture] = field(default_factory=list)  # page furniture set aside, in text order

    @property
    def window(self) -> int:
        """English sentences in the similarity matrix: past the last paired one, and some."""
        last = max((i for p in self.pairs for i in p.src_index), default=-1)
        return min(len(self.en), MAX_MATRIX_EN, max(last + 2, len(self.ru) + 2, 4))

    @property
    def min_score(self) -> float:
        scores = [p.score for p in self.pairs if not math.isnan(p.score)]
        return min(scores) if scores else math.nan

    @property
    def reordered(self) -> list[int]:
        """Positions of pairs whose English comes before an earlier pair's (in Russian order)."""
        out, furthest = [], -1
        for position, pair in enumerate(self.pairs):
            if pair.src_index and min(pair.src_index) < furthest:
                out.append(position)
            furthest = max(furthest, max(pair.src_index, default=-1))
        return out

    @property
    def long(self) -> list[int]:
        """Positions of long pairs: many sentences on a side, or a long side."""
        return [n for n, p in enumerate(self.pairs)
                if max(len(p.src_index), len(p.tgt_index)) >= LONG_PAIR_SENTENCES
                or max(len(p.src), len(p.tgt)) > LONG_PAIR_CHARS]


@dataclass
class Review:
    """Everything the review page shows."""

    title: str
    views: list[ItemView]
    items_read: int
    reader_rejected: int
    sample_note: str
    pairs_total: int
    score_bins: list[int]
    unknown_scores: int
    pairs_per_item: Counter[int]
    rejects: list[Rejected] = field(default_factory=list)
    encoder: str = ""
