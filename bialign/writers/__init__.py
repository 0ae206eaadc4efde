"""Pair writers: JSONL, TSV, TMX 1.4b and Moses, behind one registry."""

from . import jsonl, moses, tmx, tsv  # noqa: F401  (registration only, no work)
from .base import WRITERS, PairWriter, format_for_path, open_writer, register_writer

__all__ = ["WRITERS", "PairWriter", "format_for_path", "open_writer", "register_writer"]
