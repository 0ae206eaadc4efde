"""TSV: ``src<TAB>tgt`` first, then score and item id; an optional header line.

The reader takes ``src, tgt[, score[, id]]`` per line, or the columns a header names.

Tabs and line breaks inside a text would break the columns, so they are written as
single spaces; every field changed that way is counted in the writer's ``changes``.
An unknown score (NaN) is an empty field.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import IO, Any, Iterator

from ..errors import InputError
from ..records import Pair, parse_score
from ..text.textio import open_text_read
from .base import PairWriter, lines, register_reader, register_writer, score_text

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
            self.fit("id", pair.id, tsv_field),
        )
        self._out.write("\t".join(fields) + "\n")
        self.count += 1


def _is_header(fields: list[str]) -> bool:
    return len(fields) >= 2 and fields[:2] == ["src", "tgt"] and set(fields) <= set(COLUMNS)


@register_reader("tsv")
def read_tsv(path: Path, src_lang: str = "en", tgt_lang: str = "ru", **_: Any) -> Iterator[Pair]:
    """``src, tgt[, score[, id]]`` per line, or the columns a header line names."""
    columns = list(COLUMNS)
    with open_text_read(path) as handle:
        for number, line in enumerate(lines(handle), 1):
            fields = line.removesuffix("\r").split("\t")
            if number == 1 and _is_header(fields):
                columns = fields
                continue
            if line == "":
                continue
            if len(fields) < 2:
                raise InputError("a TSV line needs at least two tab-separated fields", str(path), number)
            row = dict(zip(columns, fields))
            try:
                score = parse_score(row.get("score"))
            except ValueError as exc:
                raise InputError(f"bad score {row.get('score')!r}", str(path), number) from exc
            yield Pair(row.get("id", ""), row["src"], row["tgt"], score, src_lang=src_lang, tgt_lang=tgt_lang)
