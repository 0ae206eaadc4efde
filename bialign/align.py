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
    # (pipeline._lazy_beads; on dev 99.9% of the runs that could match stay within 0.17):
    # larger is closer to embedding every run, and slower.
    optimism: float = 0.2
    # How far a run of three units or more may exceed its best one-shorter run (on dev at
    # most 0.13): such runs are embedded only once their shorter runs leave room for them.
    run_optimism: float = 0.15

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


@dataclass(frozen=True)
class RunLayout:
    """The runs of one side that a bead may take, ``(start, units)`` by start then length,
    with the soft boundaries each cuts (at its start and end) and the sentences it holds."""

    spans: tuple[tuple[int, int], ...]
    cuts: np.ndarray
    sentences: np.ndarray

    @classmethod
    def of(cls, soft: Sequence[bool], max_sentences: int, max_units: int) -> "RunLayout":
        """The layout of units whose soft-boundary flags are ``soft`` (one per unit)."""
        flags = [bool(flag) for flag in soft] + [False]  # the end of the text is a hard boundary
        spans, sentences = [], []
        for start in range(len(soft)):
            for units, count in span_lengths(flags[:-1], start, max_sentences, max_units):
                spans.append((start, units))
                sentences.append(count)
        cuts = [int(flags[start]) + int(flags[start + units]) for start, units in spans]
        return cls(tuple(spans), np.array(cuts, dtype=np.float64), np.array(sentences, dtype=np.int64))

    @property
    def units(self) -> int:
        return sum(units == 1 for _, units in self.spans)


def search(n_src: int, n_tgt: int, score: SpanScore, params: AlignParams,
           src_soft: Sequence[bool] = (), tgt_soft: Sequence[bool] = ()) -> list[Bead]:
    """Best monotonic set of beads; ``score(i, a, j, b)`` rates English ``i:i+a`` with Russian ``j:j+b``.

    ``src_soft[k]`` / ``tgt_soft[k]`` mark units that start at a soft boundary (a possible
    sentence start): a bead that cuts there pays ``soft_split_penalty`` at each cut
    side, and joining across it is not an extra sentence.
    """
    src = RunLayout.of(_flags(src_soft, n_src), params.max_src, params.max_units)
    tgt = RunLayout.of(_flags(tgt_soft, n_tgt), params.max_tgt, params.max_units)
    similarity = np.array([[score(i, a, j, b) for j, b in tgt.spans] for i, a in src.spans], dtype=np.float64)
    return search_spans(similarity.reshape(len(src.spans), len(tgt.spans)), src, tgt, params)


def _flags(soft: Sequence[bool], n: int) -> list[bool]:
    """Exactly ``n`` soft-boundary flags (missing ones are False)."""
    return [bool(flag) for flag in list(soft)[:n]] + [False] * max(0, n - len(soft))


def search_spans(similarity: np.ndarray, src: RunLayout, tgt: RunLayout, params: AlignParams) -> list[Bead]:
    """:func:`search` with the similarity of every pair of runs given as one matrix.

    ``similarity[r, c]`` rates the English run ``src.spans[r]`` with the Russian run
    ``tgt.spans[c]``. The gains of all beads are computed at once; the programme then
    visits only the beads that gain anything.
    """
    allowed = np.zeros((params.max_src + 1, params.max_tgt + 1), dtype=bool)
    for a, b in params.bead_shapes():
        allowed[a, b] = True
    cost = params.soft_split_penalty * (src.cuts[:, None] + tgt.cuts[None, :]) / 2
    cost += params.extra_sentence_penalty * (src.sentences[:, None] + tgt.sentences[None, :] - 2)
    similarity = np.asarray(similarity, dtype=np.float64)
    gain = similarity - params.threshold - cost
    rows, cols = np.nonzero(allowed[src.sentences[:, None], tgt.sentences[None, :]] & (gain > 0))
    beads_from: dict[tuple[int, int], list[tuple[int, int, float, float]]] = {}
    for row, col in zip(rows.tolist(), cols.tolist()):
        (i, a), (j, b) = src.spans[row], tgt.spans[col]
        beads_from.setdefault((i, j), []).append((a, b, float(gain[row, col]), float(similarity[row, col])))
    return _best_path(src.units, tgt.units, beads_from, params.skip_src_penalty)


def _best_path(n_src: int, n_tgt: int, beads_from: dict[tuple[int, int], list[tuple[int, int, float, float]]],
               skip_src_penalty: float) -> list[Bead]:
    """The dynamic programme over cells ``(i, j)`` with skips and the gaining beads."""
    best = np.full((n_src + 1, n_tgt + 1), -np.inf).tolist()
    best[0][0] = 0.0
    back: dict[tuple[int, int], tuple[int, int, float | None]] = {}
    for i in range(n_src + 1):
        row = best[i]
        for j in range(n_tgt + 1):
            here = row[j]
            if here == -np.inf:
                continue
            if i < n_src and here - skip_src_penalty > best[i + 1][j]:
                best[i + 1][j] = here - skip_src_penalty
                back[(i + 1, j)] = (i, j, None)
            if j < n_tgt and here > row[j + 1]:
                row[j + 1] = here
                back[(i, j + 1)] = (i, j, None)
            for a, b, gain, similarity in beads_from.get((i, j), ()):
                if here + gain > best[i + a][j + b]:
                    best[i + a][j + b] = here + gain
                    back[(i + a, j + b)] = (i, j, similarity)
    beads: list[Bead] = []
    last_column = [best[i][n_tgt] for i in range(n_src + 1)]
    cell = (int(np.argmax(last_column)), n_tgt)  # English sentences after the last match are free
    while cell != (0, 0):
        i, j, similarity = back[cell]
        if similarity is not None:
            beads.append(Bead(tuple(range(i, cell[0])), tuple(range(j, cell[1])), similarity))
        cell = (i, j)
    beads.reverse()
    return beads
