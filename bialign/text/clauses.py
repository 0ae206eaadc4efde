"""Clauses of a Russian sentence, and whether they render every sentence of an English run.

An editor often merges two English sentences into one Russian sentence, joined by a
semicolon, a colon, a dash or a conjunction. When the second English sentence is short, the
joined text's vector barely moves, so the bead's similarity alone cannot tell the merge
from a one-to-one pair that leaves the short sentence out. A clause of the Russian sentence
that matches each English sentence of the run is that evidence: the search then charges the
run's extra sentences nothing (see ``relief`` in :func:`bialign.align.beads.candidates`).
Clauses are evidence only; a pair is always made of whole sentences.
"""

from __future__ import annotations

import itertools
import re

import numpy as np

# Where a Russian sentence divides into clauses: "; " ": " " — ", and a comma before a
# conjunction that opens a clause of its own.
CLAUSE_BREAK_RE = re.compile(
    r"\s*(?:[;:]\s|\s[—–-]\s|,\s+(?=(?:а|но|и|что|а также|при этом|однако|причем|причём)\s)|\s(?=и\s))\s*")
MIN_CLAUSE_WORDS = 3  # shorter pieces ("и т.д.", a name) are no clause of their own

__all__ = ["clauses", "renders_each"]


def clauses(text: str) -> list[str]:
    """The clauses of a sentence, each of at least ``MIN_CLAUSE_WORDS`` words; ``[]`` when it has one."""
    parts = [part for part in CLAUSE_BREAK_RE.split(text) if len(part.split()) >= MIN_CLAUSE_WORDS]
    return parts if len(parts) > 1 else []


def renders_each(similarity: np.ndarray, threshold: float) -> bool:
    """Whether every sentence (row) matches a clause (column) of its own at ``threshold`` or above."""
    sentences, parts = similarity.shape
    return sentences <= parts and any(
        all(similarity[row, column] >= threshold for row, column in enumerate(columns))
        for columns in itertools.permutations(range(parts), sentences))
