"""JSON Lines: one pair object per line (:meth:`bialign.Pair.to_json`), UTF-8, ``ensure_ascii=False``.

JSON holds any text, so nothing is changed but lone surrogates (no UTF-8 file can hold
them). An unknown score (NaN) is written as ``null``. The reader also takes records of
other tools that give the texts as ``{"en": ..., "ru": ...}``.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import IO, Any, Iterator

from ..errors import InputError
from ..records import Pair, parse_score
from ..text.textio import open_text_read
from .base import PairWriter, lines, register_reader, register_writer

# Line separators that some readers split lines on: escaped, so one record stays one line.
_LINE_SEPARATORS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def json_line(record: dict[str, object]) -> str:
    """One JSON object on one line: UTF-8 text kept, line separators escaped."""
    line = json.dumps(record, ensure_ascii=False)
    for raw, escaped in _LINE_SEPARATORS.items():
        line = line.replace(raw, escaped)
    return line + "\n"


def json_objects(path: str | os.PathLike[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` of each non-blank line of a JSONL file; a line that is not a
    JSON object is an :class:`InputError` naming the file and line."""
    with open_text_read(path) as handle:
        for number, line in enumerate(lines(handle), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise InputError(f"not a JSON line: {exc}", str(path), number) from exc
            if not isinstance(record, dict):
                raise InputError("not a JSON object", str(path), number)
            yield number, record


@register_writer
class JsonlWriter(PairWriter):
    name = "jsonl"
    extensions = (".jsonl", ".json")

    def open(self, stack: contextlib.ExitStack) -> None:
        self._out: IO[str] = self.open_atomic(stack)

    def write(self, pair: Pair) -> None:
        record = pair.to_json()
        for field in ("id", "src", "tgt", "src_lang", "tgt_lang"):
            record[field] = self.fit(field, str(record[field]))
        if self.signature and self.options.get("with_signature", False):
            record["signature"] = self.signature
        self._out.write(json_line(record))
        self.count += 1


def _pair_from_record(record: dict[str, Any], src_lang: str = "en", tgt_lang: str = "ru") -> Pair:
    """A pair from a JSONL record: bialign's form, or ``{"en": ..., "ru": ...}``."""
    if "src" in record and "tgt" in record:
        return Pair.from_json(record, src_lang, tgt_lang)
    if src_lang in record and tgt_lang in record:
        return Pair(str(record.get("id", "")), str(record[src_lang]), str(record[tgt_lang]),
                    parse_score(record.get("score")), src_lang=src_lang, tgt_lang=tgt_lang)
    raise ValueError(f"a pair needs 'src' and 'tgt' (or '{src_lang}' and '{tgt_lang}') keys")


@register_reader("jsonl")
def read_jsonl(path: Path, src_lang: str = "en", tgt_lang: str = "ru", **_: Any) -> Iterator[Pair]:
    """The pairs of a JSONL file, in order."""
    for number, record in json_objects(path):
        try:
            yield _pair_from_record(record, src_lang, tgt_lang)
        except (ValueError, TypeError) as exc:
            raise InputError(str(exc), str(path), number) from exc
