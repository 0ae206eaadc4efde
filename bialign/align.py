"""Monotonic alignment of a Russian summary with the start of an English article.

The search is a dynamic programme over beads: one Russian sentence with one, two or
three adjacent English sentences (1-1, 2-1, 3-1), two Russian sentences with one or two
English sentences (1-2, 2-2), or a sentence on either side left out. A bead gains its similarity minus
the threshold (and a small penalty for each extra sentence), so a pair is kept only when
it is better than leaving both sides unmatched. English sentences skipped before a match
cost a little (a summary follows the article's order from its start, so of two similar
English sentences the earlier one wins); those after the last match are free, since a
summary leaves most of the article out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

SpanScore = Callable[[int, int, int, int], float]


@dataclass(frozen=True)
class AlignParams:
    """Knobs of the search; the defaults are calibrated in docs/quality.md."""

    threshold: float = 0.4
    title_threshold: float = 0.3
    extra_sentence_penalty: float = 0.02
    skip_src_penalty: float = 0.03
    soft_split_penalty: float = 0.1
    max_src: int = 3
    max_tgt: int = 2
    max_units: int = 6  # units on one side of a bead, counting the pieces of soft-split sentences
    # How far a run's similarity may exceed its estimate before its joined text is embedded
    # (pipeline._align_body): larger is closer to embedding every run, and slower.
    optimism: float = 0.2

    def bead_shapes(self) -> list[tuple[int, int]]:
        """Allowed (English, Russian) sentence counts per bead."""
        shapes = [(a, 1) for a in range(1, self.max_src + 1)]
        shapes += [(1, b) for b in range(2, self.max_tgt + 1)]
        if self.max_src >= 2 and self.max_tgt >= 2:
            shapes.append((2, 2))
        return shapes


@dataclass(frozen=True)
class Bead:
    """English sentence indices matched with Russian sentence indices, and the score."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float


def span_lengths(soft: Sequence[bool], start: int, max_sentences: int, max_units: int) -> list[tuple[int, int]]:
    """``(units, sentences)`` of each run that starts at unit ``start``.

    A run holds at most ``max_sentences`` sentences (units joined at a soft boundary count
    as one sentence) and at most ``max_units`` units.
    """
    runs: list[tuple[int, int]] = []
    sentences = 0
    for length in range(1, min(max_units, len(soft) - start) + 1):
        if length == 1 or not soft[start + length - 1]:
            sentences += 1
        if sentences > max_sentences:
            break
        runs.append((length, sentences))
    return runs


def search(n_src: int, n_tgt: int, score: SpanScore, params: AlignParams,
           src_soft: Sequence[bool] = (), tgt_soft: Sequence[bool] = ()) -> list[Bead]:
    """Best monotonic set of beads; ``score(i, a, j, b)`` rates English ``i:i+a`` with Russian ``j:j+b``.

    ``src_soft[k]`` / ``tgt_soft[k]`` mark units that start at a soft boundary (a possible
    sentence start): a bead that cuts there pays ``soft_split_penalty`` at each cut
    side, and joining across it is not an extra sentence.
    """
    shapes = set(params.bead_shapes())
    src_soft = list(src_soft)[:n_src] + [False] * (n_src + 1 - min(len(src_soft), n_src))
    tgt_soft = list(tgt_soft)[:n_tgt] + [False] * (n_tgt + 1 - min(len(tgt_soft), n_tgt))
    src_runs = [span_lengths(src_soft[:n_src], i, params.max_src, params.max_units) for i in range(n_src)]
    tgt_runs = [span_lengths(tgt_soft[:n_tgt], j, params.max_tgt, params.max_units) for j in range(n_tgt)]
    best = np.full((n_src + 1, n_tgt + 1), -np.inf)
    best[0, 0] = 0.0
    back: dict[tuple[int, int], tuple[int, int, float | None]] = {}
    for i in range(n_src + 1):
        for j in range(n_tgt + 1):
            here = best[i, j]
            if here == -np.inf:
                continue
            for di, dj, cost in ((1, 0, params.skip_src_penalty), (0, 1, 0.0)):
                if i + di <= n_src and j + dj <= n_tgt and here - cost > best[i + di, j + dj]:
                    best[i + di, j + dj] = here - cost
                    back[(i + di, j + dj)] = (i, j, None)
            if i == n_src or j == n_tgt:
                continue
            for a, sentences_a in src_runs[i]:
                for b, sentences_b in tgt_runs[j]:
                    if (sentences_a, sentences_b) not in shapes:
                        continue
                    similarity = score(i, a, j, b)
                    cuts = src_soft[i] + src_soft[i + a] + tgt_soft[j] + tgt_soft[j + b]
                    cost = params.soft_split_penalty * cuts / 2
                    cost += params.extra_sentence_penalty * (sentences_a + sentences_b - 2)
                    gain = similarity - params.threshold - cost
                    if gain > 0 and here + gain > best[i + a, j + b]:
                        best[i + a, j + b] = here + gain
                        back[(i + a, j + b)] = (i, j, similarity)
    beads: list[Bead] = []
    cell = (int(np.argmax(best[:, n_tgt])), n_tgt)  # English sentences after the last match are free
    while cell != (0, 0):
        i, j, similarity = back[cell]
        if similarity is not None:
            beads.append(Bead(tuple(range(i, cell[0])), tuple(range(j, cell[1])), similarity))
        cell = (i, j)
    beads.reverse()
    return beads
