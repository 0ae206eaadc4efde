"""TSV: ``src<TAB>tgt`` first, then score and item id; an optional header line.

Tabs and line breaks inside a text would break the columns, so they are written as
single spaces; every field changed that way is counted in the writer's ``changes``.
An unknown score (NaN) is an empty field.
"""

from __future__ import annotations

import contextlib
import re
from typing import IO

from ..pipeline import Pair
from .base import PairWriter, register_writer, score_text

COLUMNS = ("src", "tgt", "score", "id")
# Everything a line-based reader may split a line on (str.splitlines' set), and tab.
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def tsv_field(text: str) -> str:
    """A text safe for one TSV field (or one line of a line-aligned file)."""
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
        fields = (
            self.fit("src", pair.src, tsv_field),
            self.fit("tgt", pair.tgt, tsv_field),
            score_text(pair.score),
            self.fit("id", pair.item_id, tsv_field),
        )
        self._out.write("\t".join(fields) + "\n")
        self.count += 1
