"""Running ``align`` over a corpus in chunks, with an optional journal that makes it resumable.

Records are read in a fixed order and numbered from 0; every ``chunk_items`` records form
a chunk, aligned by one call of the align function with a fresh embedding cache, so a
chunk's result never depends on what came before it. Each record becomes one
:class:`~bialign.records.Outcome`.

Without a journal, outcomes go straight to the writer (which writes to a temporary file
renamed at the end). With a journal (``--resume``), each finished chunk is written
atomically to ``OUTPUT.partial/chunk-FIRST-LAST.jsonl`` together with the run's options
(``run.json``); an interrupted run is continued by the same command, which skips the
records the journal covers. When all records are done the final output, the rejects
file and the report are rendered from the journal, renamed into place, and the journal
is removed. Both ways give byte-identical files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from .errors import BialignError
from .formats import open_writer
from .formats.jsonl import json_line
from .items import ReadOptions, read_items
from .outputs import check_outputs, exclusions, pair_outputs
from .parallel import in_order
from .pipeline import Aligner
from .records import Item, ItemResult, Outcome, ReadResult
from .report import RunReport, write_report
from .textio import atomic_write

__all__ = [
    "chunk_aligner",
    "DEFAULT_CHUNK_ITEMS",
    "Journal",
    "journal_path",
    "JOURNAL_SUFFIX",
    "JOURNAL_VERSION",
    "outcome_of",
    "outcomes",
    "run_align",
    "RunPlan",
]

LOG = logging.getLogger(__name__)  # under "bialign": the library logs, the CLI shows
DEFAULT_CHUNK_ITEMS = 256
JOURNAL_SUFFIX = ".partial"
JOURNAL_VERSION = 2  # 2: pairs in their JSON form (Pair.to_json), rejections as Rejected.to_json

AlignChunk = Callable[[list[ReadResult]], Iterable[ItemResult]]


@dataclass(frozen=True)
class RunPlan:
    """Everything ``run_align`` needs besides the align function."""

    paths: tuple[str, ...]
    output: str | None  # None or "-": standard output
    fmt: str
    signature: dict[str, object]
    read_options: ReadOptions = ReadOptions()
    writer_options: dict[str, Any] = field(default_factory=dict)
    rejects: str | None = None
    report: str | None = None
    resume: bool = False
    chunk_items: int = DEFAULT_CHUNK_ITEMS


def chunk_aligner(aligner: Aligner, progress: Callable[[ItemResult], None] | None = None) -> AlignChunk:
    """An align function for chunks: ``aligner`` with a fresh embedding cache per chunk."""

    def align(records: list[ReadResult]) -> Iterable[ItemResult]:
        aligner.embedder.clear()
        return aligner.align_items(records, progress)

    return align


def outcomes(records: Iterable[ReadResult], align: AlignChunk, chunk_items: int = DEFAULT_CHUNK_ITEMS,
             start: int = 0) -> Iterator[list[Outcome]]:
    """Chunks of outcomes of ``records`` numbered from 0, skipping those numbered below ``start``.

    When ``align`` can start a chunk without waiting for it (it has a ``start`` method and
    a number of ``jobs``, as :class:`bialign.parallel.ProcessAligner` does), up to
    ``jobs + 1`` chunks are started ahead, so a worker that finishes finds the next chunk
    waiting while the caller writes. Otherwise each chunk is aligned when it is reached.
    """
    if chunk_items < 1:
        raise BialignError("the chunk size must be at least 1")
    start_chunk = getattr(align, "start", None) or (lambda records: lambda: align(records))
    depth = getattr(align, "jobs", 0) + 1
    started = ((chunk, start_chunk([record for _, record in chunk]))
               for chunk in _numbered_chunks(records, chunk_items, start))
    for chunk, results in in_order(started, depth):
        yield _outcomes_of(chunk, results)


def _numbered_chunks(records: Iterable[ReadResult], chunk_items: int,
                     start: int) -> Iterator[list[tuple[int, ReadResult]]]:
    chunk: list[tuple[int, ReadResult]] = []
    for index, record in enumerate(records):
        if index < start:
            continue
        chunk.append((index, record))
        if (index + 1) % chunk_items == 0:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _outcomes_of(chunk: list[tuple[int, ReadResult]], results: Iterable[ItemResult]) -> list[Outcome]:
    results = list(results)
    if len(results) != len(chunk):
        raise BialignError(f"the aligner gave {len(results)} results for {len(chunk)} records")
    return [outcome_of(index, record, result) for (index, record), result in zip(chunk, results)]


def outcome_of(index: int, record: ReadResult, result: ItemResult) -> Outcome:
    """The outcome of record number ``index``: its result and what the reader repaired."""
    return Outcome(index, result, record.repaired if isinstance(record, Item) else "")


def journal_path(output: str | os.PathLike[str]) -> Path:
    """The journal directory of an output: ``OUTPUT.partial``."""
    return Path(str(output) + JOURNAL_SUFFIX)


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
                theirs = state.get("options") or {}
                differ = sorted(k for k in set(options) | set(theirs) if options.get(k) != theirs.get(k))
                raise BialignError(
                    f"{self.directory} belongs to a run with other options ({', '.join(differ)}); "
                    "rerun that command to resume it, or remove the directory to start afresh")
            for stale in self.directory.glob(".*.tmp"):
                stale.unlink()
            chunks = self.chunks()
            return (chunks[-1][1] + 1 if chunks else 0), str(state["creation_date"])
        self.directory.mkdir(parents=True, exist_ok=True)
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


def _journal_options(plan: RunPlan) -> dict[str, object]:
    return {
        "signature": plan.signature,
        "paths": [os.path.abspath(p) for p in plan.paths],
        "read_options": dataclasses.asdict(plan.read_options),
        "format": plan.fmt,
        "writer_options": {k: v for k, v in sorted(plan.writer_options.items()) if k != "creation_date"},
        "chunk_items": plan.chunk_items,
    }


def _langs(plan: RunPlan) -> dict[str, str]:
    return {k: str(plan.writer_options[k]) for k in ("src_lang", "tgt_lang") if k in plan.writer_options}


def _emit(outcomes_: Iterable[Outcome], plan: RunPlan, writer_options: dict[str, Any],
          stream: IO[str] | None) -> RunReport:
    """Write pairs and rejects of ``outcomes_`` (each file renamed into place at the end) and count them."""
    report = RunReport()
    with contextlib.ExitStack() as stack:
        writer = stack.enter_context(open_writer(plan.output or "-", plan.fmt, plan.signature, stream,
                                                 **writer_options))
        rejects = stack.enter_context(atomic_write(plan.rejects)) if plan.rejects else None
        for outcome in outcomes_:
            report.add(outcome.result, outcome.repaired)
            writer.write_all(outcome.result.pairs)
            if rejects is not None and outcome.result.rejection is not None:
                rejects.write(json_line(outcome.result.rejection.to_json()))
    if not report.balanced:  # pragma: no cover - every outcome counts once by construction
        raise BialignError(f"item counts do not add up: {report.to_dict()}")
    write_report(plan.report, {**report.to_dict(), "signature": plan.signature})
    return report


def run_align(plan: RunPlan, align: AlignChunk, on_outcome: Callable[[Outcome], None] | None = None,
              stream: IO[str] | None = None, on_resume: Callable[[int], None] | None = None,
              on_bytes: Callable[[int], None] | None = None) -> RunReport:
    """Align every record of ``plan.paths`` and write the outputs; returns the counts.

    ``on_outcome`` sees each outcome as it is made (for messages); ``stream`` is used
    instead of ``plan.output`` when given (standard output). With ``plan.resume`` the run
    keeps a journal beside the output and continues an earlier interrupted run;
    ``on_resume`` then hears how many records the journal already covered; ``on_bytes``
    hears how many bytes of input have been read (:func:`bialign.items.read_items`).

    An output that is one of the inputs is refused (:class:`bialign.outputs.OutputIsInputError`)
    before anything is read; outputs and the journal inside an input directory are not read.
    """
    journal_dir = journal_path(plan.output) if plan.resume and plan.output and plan.output != "-" else None
    outputs = ([] if stream is not None else pair_outputs(plan.output, plan.fmt, **_langs(plan)))
    outputs += [p for p in (plan.rejects, plan.report) if p]
    check_outputs(plan.paths, outputs + ([str(journal_dir)] if journal_dir else []))
    read_options = dataclasses.replace(plan.read_options, exclude=exclusions(outputs, journal_dir))

    def made(records: Iterable[ReadResult], start: int = 0) -> Iterator[list[Outcome]]:
        for chunk in outcomes(records, align, plan.chunk_items, start):
            if on_outcome is not None:
                for outcome in chunk:
                    on_outcome(outcome)
            yield chunk

    records = read_items(plan.paths, read_options, on_bytes)
    if not plan.resume:
        return _emit((o for chunk in made(records) for o in chunk), plan, plan.writer_options, stream)
    if stream is not None or not plan.output or plan.output == "-":
        raise BialignError("--resume needs an output file (-o FILE)")
    journal = Journal(journal_path(plan.output))
    now = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    start, creation_date = journal.open(_journal_options(plan), plan.writer_options.get("creation_date") or now)
    if start:
        LOG.debug("journal %s covers records 0 to %d", journal.directory, start - 1)
        if on_resume is not None:
            on_resume(start)
    for chunk in made(records, start):
        journal.write_chunk(chunk)
    report = _emit(journal.replay(), plan, {**plan.writer_options, "creation_date": creation_date}, None)
    journal.remove()
    return report
