"""JSON Lines: one pair object per line, UTF-8, ``ensure_ascii=False``.

JSON holds any text, so nothing is changed but lone surrogates (no UTF-8 file can hold
them). An unknown score (NaN) is written as ``null``.
"""

from __future__ import annotations

import contextlib
import json
import math
from typing import IO

from ..pipeline import Pair
from .base import PairWriter, register_writer

# Line separators that some readers split lines on: escaped, so one record stays one line.
_LINE_SEPARATORS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def json_line(record: dict[str, object]) -> str:
    """One JSON object on one line: UTF-8 text kept, line separators escaped."""
    line = json.dumps(record, ensure_ascii=False)
    for raw, escaped in _LINE_SEPARATORS.items():
        line = line.replace(raw, escaped)
    return line + "\n"


@register_writer
class JsonlWriter(PairWriter):
    name = "jsonl"
    extensions = (".jsonl", ".json")

    def open(self, stack: contextlib.ExitStack) -> None:
        self._out: IO[str] = self.open_atomic(stack)

    def write(self, pair: Pair) -> None:
        record = pair.to_dict()
        for field in ("id", "src", "tgt", "src_lang", "tgt_lang"):
            record[field] = self.fit(field, str(record[field]))
        if math.isnan(pair.score):
            record["score"] = None
        if self.signature and self.options.get("with_signature", False):
            record["signature"] = self.signature
        self._out.write(json_line(record))
        self.count += 1
