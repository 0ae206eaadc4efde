"""TSV: ``src<TAB>tgt`` first, then score and item id; an optional header line.

Tabs and line breaks inside a text would break the columns, so they are written as
single spaces (texts are whitespace-collapsed already, so this changes nothing there).
"""

from __future__ import annotations

import contextlib
import re
from typing import IO

from ..pipeline import Pair
from .base import PairWriter, register_writer

COLUMNS = ("src", "tgt", "score", "id")
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def tsv_field(text: str) -> str:
    """A text safe for one TSV field."""
    return _BREAKS.sub(" ", text)


@register_writer
class TsvWriter(PairWriter):
    name = "tsv"
    extensions = (".tsv",)

    def open(self, stack: contextlib.ExitStack) -> None:
        self._out: IO[str] = self.open_atomic(stack)
        if self.options.get("header", False):
            self._out.write("\t".join(COLUMNS) + "\n")

    def write(self, pair: Pair) -> None:
        fields = (pair.src, pair.tgt, f"{pair.score:.4f}", pair.item_id)
        self._out.write("\t".join(tsv_field(f) for f in fields) + "\n")
        self.count += 1
