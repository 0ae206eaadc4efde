"""Keeping a run's outputs apart from its inputs: no output may overwrite an input.

An output that is one of the input files (the same file, by any name: a symlink, a hard
link, a relative path) is refused before anything is read or written. Outputs that lie
inside an input directory are fine: they are left out when the directory is read
(:attr:`bialign.text.items.ReadOptions.exclude`), with the journal of a ``--resume`` run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..errors import BialignError
from ..text.items import iter_input_files
from ..text.textio import STDIO, OutputError, is_stream_target


class OutputIsInputError(BialignError):
    """An output path names one of the run's inputs."""


def _same(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def file_outputs(outputs: Iterable[str | os.PathLike[str] | None]) -> list[str]:
    """The outputs that are files written by name (not ``-``, pipes or devices)."""
    return [str(p) for p in outputs if p and str(p) != STDIO and not is_stream_target(p)]


def check_writable(outputs: Iterable[str | os.PathLike[str] | None],
                   directories: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Raise :class:`~bialign.text.textio.OutputError` naming the path given when an output file is a
    directory, or when the directory it goes into (of an output file or of one of ``directories``,
    a journal) does not exist: before any work, rather than after the whole run."""
    for out in file_outputs(outputs):
        if os.path.isdir(out):
            raise OutputError(f"cannot write {out}: it is a directory")
    for out in file_outputs(outputs) + [str(d) for d in directories]:
        parent = os.path.dirname(os.path.normpath(out)) or "."
        if not os.path.isdir(parent):
            why = "is not a directory" if os.path.lexists(parent) else "does not exist"
            raise OutputError(f"cannot write {out}: the directory {parent} {why}")


def check_outputs(inputs: Iterable[str | os.PathLike[str]], outputs: Iterable[str | os.PathLike[str] | None],
                  directories: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Check a run's outputs before it starts: each can be written (:func:`check_writable`), none is
    one of the input files (:class:`OutputIsInputError`), no two are one file. ``directories``
    (a journal) may exist already; they must not be inputs either."""
    outputs = list(outputs)
    directories = [str(d) for d in directories]
    check_writable(outputs, directories)
    written = file_outputs(outputs) + directories
    for i, out in enumerate(written):
        for other in written[i + 1:]:
            if _same(out, other):
                raise OutputIsInputError(f"{out} is given for two outputs; give each output its own file")
    existing = [out for out in written if os.path.lexists(out)]
    if not existing:
        return
    for entry in iter_input_files([p for p in inputs if str(p) != STDIO], exclusions(existing)):
        if isinstance(entry, Path):
            for out in existing:
                if _same(entry, out):
                    raise OutputIsInputError(
                        f"refusing to write {out}: it is the input {entry}; choose another output file")


def exclusions(outputs: Iterable[str | os.PathLike[str] | None], journal: str | os.PathLike[str] | None = None) -> tuple[str, ...]:
    """Absolute paths a run must not read as items: its output files and its journal."""
    paths = file_outputs(outputs) + ([str(journal)] if journal else [])
    return tuple(sorted({os.path.realpath(p) for p in paths}))


def pair_outputs(output: str | os.PathLike[str] | None, fmt: str, src_lang: str = "en",
                 tgt_lang: str = "ru") -> list[str]:
    """The files a pair writer makes for ``output``: the file itself, or Moses' two files."""
    if not output or str(output) == STDIO:
        return []
    if fmt == "moses":
        from ..formats.moses import moses_paths

        return [str(p) for p in moses_paths(Path(output), src_lang, tgt_lang)]
    return [str(output)]
