"""Moses: two line-aligned plain-text files, ``NAME.en`` and ``NAME.ru``.

Only the texts are kept (no ids, scores or indices). Line breaks inside a text would
shift the alignment, so they are written as single spaces and counted as changes. The
reader reads both files in step; their line counts must agree.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import IO, Any, Iterator

from ..errors import InputError
from ..records import Pair
from ..text.textio import open_text_read
from .base import PairWriter, lines, register_reader, register_writer
from .tsv import tsv_field


def moses_paths(path: Path, src_lang: str = "en", tgt_lang: str = "ru") -> tuple[Path, Path]:
    """``NAME.en`` and ``NAME.ru`` beside ``path`` (a trailing ``.moses``, ``.en`` or ``.ru`` is dropped)."""
    path = Path(path)
    base = path.with_suffix("") if path.suffix in (".moses", f".{src_lang}", f".{tgt_lang}") else path
    return base.with_name(f"{base.name}.{src_lang}"), base.with_name(f"{base.name}.{tgt_lang}")


@register_writer
class MosesWriter(PairWriter):
    name = "moses"
    extensions = (".moses", ".en", ".ru")

    def open(self, stack: contextlib.ExitStack) -> None:
        src_path, tgt_path = moses_paths(self.path, self.options.get("src_lang", "en"),
                                         self.options.get("tgt_lang", "ru"))
        self._src: IO[str] = self.open_atomic(stack, src_path)
        self._tgt: IO[str] = self.open_atomic(stack, tgt_path)

    def write(self, pair: Pair) -> None:
        self._src.write(self.fit("src", pair.src, tsv_field) + "\n")
        self._tgt.write(self.fit("tgt", pair.tgt, tsv_field) + "\n")
        self.count += 1


@register_reader("moses")
def read_moses(path: Path, src_lang: str = "en", tgt_lang: str = "ru", **_: Any) -> Iterator[Pair]:
    """``NAME.en`` and ``NAME.ru`` read in step; their line counts must agree."""
    src_path, tgt_path = moses_paths(path, src_lang, tgt_lang)
    with open_text_read(src_path) as src_handle, open_text_read(tgt_path) as tgt_handle:
        src_lines, tgt_lines = lines(src_handle), lines(tgt_handle)
        number = 0
        for number, src in enumerate(src_lines, 1):
            tgt = next(tgt_lines, None)
            if tgt is None:
                raise InputError(f"{tgt_path} has fewer lines than {src_path}", str(tgt_path), number)
            yield Pair("", src, tgt, math.nan, src_lang=src_lang, tgt_lang=tgt_lang)
        if next(tgt_lines, None) is not None:
            raise InputError(f"{tgt_path} has more lines than {src_path}", str(tgt_path), number + 1)
