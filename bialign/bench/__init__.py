"""Benchmarks of machine translation on the pairs: MT systems scored with sacrebleu
(:mod:`.scoring`, whose names are handed on here), test sets from pairs, the referee's
rules for alignments, and the benchmark page."""

from . import scoring
from .scoring import *  # noqa: F401,F403

__all__ = list(scoring.__all__)
