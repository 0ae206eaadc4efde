"""Reviewing alignments by eye: the review page (:mod:`.build`, whose names are handed on
here; :mod:`.data`, :mod:`.html`) and the reviewer's decisions (:mod:`.decisions`)."""

from . import build
from .build import *  # noqa: F401,F403

__all__ = list(build.__all__)
