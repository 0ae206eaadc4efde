"""Pair formats: JSONL, TSV, TMX 1.4b and Moses, one module each with its writer and its reader.

:func:`open_writer` and :func:`read_pairs` choose the format by name or by a file's
extension, through the registries :data:`WRITERS` and :data:`READERS`.
"""

from . import jsonl, moses, tmx, tsv  # noqa: F401  (registration only, no work)
from .base import (READERS, WRITERS, PairWriter, format_for_path, open_writer, read_pairs, register_reader,
                   register_writer)

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
