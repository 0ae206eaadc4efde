"""Pair writers and readers: JSONL, TSV, TMX 1.4b and Moses, behind two registries."""

from . import jsonl, moses, tmx, tsv  # noqa: F401  (registration only, no work)
from .base import WRITERS, PairWriter, format_for_path, open_writer, register_writer
from .readers import READERS, read_pairs, register_reader

__all__ = [
    "READERS",
    "WRITERS",
    "PairWriter",
    "format_for_path",
    "open_writer",
    "read_pairs",
    "register_reader",
    "register_writer",
]
