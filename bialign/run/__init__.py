"""A corpus run, items to output files: the one driver (:mod:`.driver`, whose names are
handed on here), its executors (:mod:`.parallel`, :mod:`.distributed`), the journal, the
result cache, the outputs and the report."""

from . import driver
from .driver import *  # noqa: F401,F403

__all__ = list(driver.__all__)
