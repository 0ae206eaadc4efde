"""Moses: two line-aligned plain-text files, ``NAME.en`` and ``NAME.ru``."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import IO

from ..pipeline import Pair
from .base import PairWriter, register_writer
from .tsv import tsv_field


def moses_paths(path: Path, src_lang: str = "en", tgt_lang: str = "ru") -> tuple[Path, Path]:
    """``NAME.en`` and ``NAME.ru`` beside ``path`` (a trailing ``.moses`` is dropped)."""
    base = path.with_suffix("") if path.suffix in (".moses", f".{src_lang}", f".{tgt_lang}") else path
    return base.with_name(f"{base.name}.{src_lang}"), base.with_name(f"{base.name}.{tgt_lang}")


@register_writer
class MosesWriter(PairWriter):
    name = "moses"
    extensions = (".moses",)

    def open(self, stack: contextlib.ExitStack) -> None:
        src_path, tgt_path = moses_paths(self.path)
        self._src: IO[str] = self.open_atomic(stack, src_path)
        self._tgt: IO[str] = self.open_atomic(stack, tgt_path)

    def write(self, pair: Pair) -> None:
        self._src.write(tsv_field(pair.src) + "\n")
        self._tgt.write(tsv_field(pair.tgt) + "\n")
        self.count += 1
