"""Alignment of an item's sentences: the search over beads (:mod:`.beads`, whose names are
handed on here: ``from bialign.align import AlignParams`` keeps working), the item aligner
(:mod:`.aligner`), its settings and its signature."""

from . import beads
from .beads import *  # noqa: F401,F403

__all__ = list(beads.__all__)
