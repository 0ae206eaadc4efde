"""What every pair format shares: the writer base class, and the writer and reader registries.

Each format module (:mod:`~bialign.formats.jsonl`, ``tsv``, ``tmx``, ``moses``) registers
its writer class and its reader function under the format's name;
:func:`open_writer` and :func:`read_pairs` choose by that name or by a file's extension.
Fields a format does not hold are read back as defaults: no item id (``""``), an unknown
score (NaN), no indices.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from abc import ABC, abstractmethod
from collections import Counter
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from ..errors import BialignError, UnknownNameError
from ..records import Pair
from ..text.textio import atomic_write


class PairWriter(ABC):
    """Writes pairs to one output; opened and closed as a context manager.

    Output goes to a temporary file that replaces the target only when the writer closes
    without an error, so an interrupted run never leaves a half-written file.
    """

    #: registry name and default file extension
    name: str = ""
    extensions: tuple[str, ...] = ()

    def __init__(self, path: str | os.PathLike[str], signature: dict[str, object] | None = None,
                 stream: IO[str] | None = None, **options: Any) -> None:
        self.path = Path(path)
        self.stream = stream
        self.signature = signature or {}
        self.options = options
        self.count = 0
        #: fields this writer had to change to fit its format, by field name ("src", "tgt", ...)
        self.changes: Counter[str] = Counter()
        self._stack: contextlib.ExitStack | None = None

    def __enter__(self) -> "PairWriter":
        self._stack = contextlib.ExitStack()
        try:
            self.open(self._stack)
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        assert self._stack is not None
        try:
            if exc_type is None:
                self.close()
        finally:
            self._stack.__exit__(exc_type, exc, tb)

    def open_atomic(self, stack: contextlib.ExitStack, path: Path | None = None) -> IO[str]:
        """A text stream that becomes ``path`` when the writer closes cleanly.

        When the writer was given a ``stream`` (standard output, say), that stream is used.
        """
        if self.stream is not None:
            if path is not None and path != self.path:
                raise BialignError(f"the {self.name} format writes several files and needs an output path")
            return self.stream
        return stack.enter_context(atomic_write(path or self.path))

    @abstractmethod
    def open(self, stack: contextlib.ExitStack) -> None:
        """Open the output stream(s) and write any header."""

    @abstractmethod
    def write(self, pair: Pair) -> None:
        """Write one pair."""

    def write_all(self, pairs: Iterable[Pair]) -> None:
        for pair in pairs:
            self.write(pair)

    def close(self) -> None:
        """Write any footer (the streams are closed and renamed after this)."""

    @property
    def changed(self) -> int:
        """How many fields were written changed because the format cannot hold them as they are."""
        return sum(self.changes.values())

    def fit(self, field: str, text: str, clean: Callable[[str], str] | None = None) -> str:
        """``text`` made writable (``clean``, then lone surrogates dropped), counting a change."""
        fitted = without_surrogates(clean(text) if clean else text)
        if fitted != text:
            self.changes[field] += 1
        return fitted


_SURROGATES = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` without lone surrogates, which no UTF-8 file can hold."""
    return _SURROGATES.sub("", text)


def score_text(score: float) -> str:
    """A score as written in text formats: four decimals, empty when unknown (NaN)."""
    return "" if math.isnan(score) else f"{score:.4f}"


#: characters (or bytes) read at a time by the readers
READ_BLOCK = 1 << 16


def lines(handle: IO[str]) -> Iterator[str]:
    """The lines of ``handle`` split on ``\\n`` only (a CR or U+2028 stays inside its line)."""
    rest = ""
    while chunk := handle.read(READ_BLOCK):
        parts = (rest + chunk).split("\n")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


WRITERS: dict[str, type[PairWriter]] = {}
Reader = Callable[..., Iterator[Pair]]
READERS: dict[str, Reader] = {}


def register_writer(cls: type[PairWriter]) -> type[PairWriter]:
    """Class decorator: make a writer available under its name."""
    WRITERS[cls.name] = cls
    return cls


def register_reader(name: str) -> Callable[[Reader], Reader]:
    """Decorator: make a reader available under a format name (the writer's name)."""
    def decorate(func: Reader) -> Reader:
        READERS[name] = func
        return func
    return decorate


def format_for_path(path: str | os.PathLike[str], explicit: str | None = None, option: str = "") -> str:
    """The format named explicitly, or the one that owns the path's extension.

    When neither tells, the error says to give ``option`` (the command line's ``--format``,
    ``--from``, ``--to``), or to name the format.
    """
    if explicit:
        if explicit not in WRITERS:
            raise UnknownNameError(f"unknown format '{explicit}'; choose from: {', '.join(sorted(WRITERS))}")
        return explicit
    name = str(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    for fmt, cls in WRITERS.items():
        if any(name.endswith(ext) for ext in cls.extensions):
            return fmt
    names = ", ".join(sorted(WRITERS))
    hint = " (a .txt file holds an item, not pairs: bialign align makes pairs of it)" if name.endswith(".txt") else ""
    raise UnknownNameError(f"cannot tell the pair format of '{path}' from its extension{hint}; "
                           + (f"give {option} ({names})" if option else f"name its format ({names})"))


@contextlib.contextmanager
def open_writer(path: str | os.PathLike[str], fmt: str | None = None,
                signature: dict[str, object] | None = None, stream: IO[str] | None = None,
                **options: Any) -> Iterator[PairWriter]:
    """Open the writer for ``path`` (format from ``fmt`` or the extension), or for ``stream``."""
    cls = WRITERS[format_for_path(path, fmt)]
    with cls(path, signature, stream, **options) as writer:
        yield writer


def read_pairs(path: str | os.PathLike[str], fmt: str | None = None, **options: Any) -> Iterator[Pair]:
    """Stream the pairs of ``path``; the format is ``fmt`` or follows the extension."""
    return READERS[format_for_path(path, fmt)](Path(path), **options)
