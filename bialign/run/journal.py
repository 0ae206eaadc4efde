"""The journal of a resumable run (``--resume``): finished chunks kept beside the output.

The journal of ``OUTPUT`` is the directory ``OUTPUT.partial/``: ``run.json`` holds the run's
options and creation date, and each finished chunk is one file
``chunk-FIRST-LAST.jsonl`` (record numbers), written atomically, one :class:`Outcome` a
line. The run driver (:mod:`bialign.run.driver`) skips the records the journal covers, renders
the outputs from it when every record is done, and removes it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import Iterator

from ..errors import BialignError
from ..formats.jsonl import json_line
from ..records import Outcome
from ..text.textio import atomic_write

__all__ = [
    "Journal",
    "journal_path",
    "JOURNAL_SUFFIX",
    "JOURNAL_VERSION",
]

LOG = logging.getLogger(__name__)  # under "bialign": the library logs, the CLI shows
JOURNAL_SUFFIX = ".partial"
JOURNAL_VERSION = 3  # 2: pairs in their JSON form (Pair.to_json), rejections as Rejected.to_json; 3: sentence counts


def journal_path(output: str | os.PathLike[str]) -> Path:
    """The journal directory of an output: ``OUTPUT.partial``."""
    return Path(str(output) + JOURNAL_SUFFIX)


def _differences(journaled: dict, now: dict) -> list[str]:
    """``name: VALUE in the journal, VALUE now`` for each option that differs; the options
    inside a group (the signature's alignment parameters, the read and writer options) by
    their own names."""
    out = []
    for key in sorted(set(journaled) | set(now)):
        old, new = journaled.get(key), now.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            out += _differences(old, new)
        else:
            out.append(f"{key}: {json.dumps(old, ensure_ascii=False)} in the journal, "
                       f"{json.dumps(new, ensure_ascii=False)} now")
    return out


class Journal:
    """Finished chunks of a run, and its options, in one directory beside the output."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.state_path = self.directory / "run.json"

    def chunks(self) -> list[tuple[int, int, Path]]:
        """``(first, last, path)`` of the finished chunks that follow on from record 0."""
        found = []
        for path in self.directory.glob("chunk-*-*.jsonl"):
            _, first, last = path.stem.split("-")
            found.append((int(first), int(last), path))
        contiguous, expected = [], 0
        for first, last, path in sorted(found):
            if first != expected:
                break
            contiguous.append((first, last, path))
            expected = last + 1
        return contiguous

    def open(self, options: dict[str, object], creation_date: str) -> tuple[int, str]:
        """Start or continue the journal for ``options``: the next record number and the creation date."""
        options = json.loads(json.dumps(options))
        if self.state_path.exists():
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
            if state.get("version") != JOURNAL_VERSION:
                raise BialignError(f"{self.directory} was written by another version of bialign; "
                                   "remove the directory to start afresh")
            if state.get("options") != options:
                differ = _differences(state.get("options") or {}, options)
                raise BialignError(
                    f"{self.directory} belongs to a run with other options ({'; '.join(differ)}); "
                    "rerun that command to resume it, or remove the directory to start afresh")
            for stale in self.directory.glob(".*.tmp"):
                stale.unlink()
            chunks = self.chunks()
            return (chunks[-1][1] + 1 if chunks else 0), str(state["creation_date"])
        self.directory.mkdir(exist_ok=True)
        with atomic_write(self.state_path) as handle:
            json.dump({"version": JOURNAL_VERSION, "options": options, "creation_date": creation_date},
                      handle, ensure_ascii=False, indent=1)
        return 0, creation_date

    def write_chunk(self, chunk: list[Outcome]) -> None:
        """Write a finished chunk atomically (a chunk file is whole or absent)."""
        path = self.directory / f"chunk-{chunk[0].index:012d}-{chunk[-1].index:012d}.jsonl"
        with atomic_write(path) as handle:
            for outcome in chunk:
                handle.write(json_line(outcome.to_json()))
        LOG.debug("journaled records %d to %d in %s", chunk[0].index, chunk[-1].index, path)

    def replay(self) -> Iterator[Outcome]:
        """Every journaled outcome, in record order."""
        for _, _, path in self.chunks():
            with open(path, encoding="utf-8", newline="") as handle:
                for line in handle.read().split("\n"):
                    if line:
                        yield Outcome.from_json(json.loads(line))

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
