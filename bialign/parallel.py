"""The pipeline on several worker processes of one machine, streamed and in input order.

Items are cut into chunks; each worker process builds one :class:`Aligner` (the encoder
is loaded once per worker, in the pool initializer) and aligns whole chunks. The parent
keeps a bounded number of chunks in flight and yields results in input order as they
come back, so memory stays flat however long the input is.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

from .embed import ENCODERS, EmbeddingStore
from .errors import BialignError, MissingDependencyError, UnknownNameError
from .pipeline import AlignConfig, Aligner
from .records import Item, ItemResult, Rejected

__all__ = [
    "align_parallel",
    "check_encoder",
    "DEFAULT_CHUNK_SIZE",
    "in_order",
    "limit_threads",
    "ProcessAligner",
    "START_METHOD",
    "THREAD_ENV_VARS",
]

DEFAULT_CHUNK_SIZE = 256
START_METHOD = "spawn"
#: environment variables that cap the thread pools of BLAS/OpenMP libraries
THREAD_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                   "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")

K = TypeVar("K")
R = TypeVar("R")

_worker_aligner: Aligner | None = None


def limit_threads(threads: int) -> None:
    """Cap this process's BLAS/OpenMP thread pools (through threadpoolctl when installed)."""
    for name in THREAD_ENV_VARS:
        os.environ[name] = str(threads)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # the variables above still cap libraries loaded from now on
        return
    threadpool_limits(threads)


def check_encoder(config: AlignConfig) -> None:
    """Fail in the caller, not in every worker, when the configured encoder cannot load."""
    spec = ENCODERS.get(config.encoder)
    if spec is None:
        raise UnknownNameError(f"unknown encoder '{config.encoder}'; choose from: {', '.join(sorted(ENCODERS))}")
    if not spec.installed():
        package = spec.requires[0] if spec.requires else config.encoder
        raise MissingDependencyError(package, spec.extra or config.encoder, f"the {config.encoder} encoder")


def _init_worker(config: AlignConfig, threads: int, store: EmbeddingStore | None = None) -> None:
    """Pool initializer: cap threads, then load the encoder once for this worker (its cache
    backed by the persistent ``store`` when given; SQLite lets the workers share it)."""
    global _worker_aligner
    limit_threads(threads)
    _worker_aligner = Aligner(config, config.make_embedder(store))


def _align_chunk(chunk: list[Item | Rejected]) -> list[ItemResult]:
    """Align one chunk in a worker (results in the chunk's order), with a fresh embedding cache.

    Vectors differ in the last bits with the encoder's batch, so a cache carried over from
    chunks this worker happened to get before would make the output depend on scheduling;
    a fresh cache per chunk makes it a function of the chunk alone (and resumed runs equal
    uninterrupted ones).
    """
    if _worker_aligner is None:  # pragma: no cover - the initializer always ran
        raise BialignError("worker was started without its aligner")
    _worker_aligner.embedder.clear()
    return list(_worker_aligner.align_items(chunk))


def _chunks(records: Iterable[Item | Rejected], size: int) -> Iterator[list[Item | Rejected]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


class ProcessAligner:
    """Worker processes that each load the encoder once; align lists of records, in order.

    Use it as a context manager. Each call splits the records into chunks of
    ``chunk_size``, aligns them on the workers and returns one result per record; this is
    the chunk-aligner shape that resumable runs (:mod:`bialign.resume`) take.
    """

    def __init__(self, config: AlignConfig, jobs: int, chunk_size: int = DEFAULT_CHUNK_SIZE,
                 progress: Callable[[ItemResult], None] | None = None, threads_per_job: int = 1,
                 start_method: str = START_METHOD, store: EmbeddingStore | None = None) -> None:
        if jobs < 2:
            raise BialignError(f"a process pool needs at least 2 jobs, not {jobs}")
        if chunk_size < 1:
            raise BialignError(f"chunk_size must be at least 1, not {chunk_size}")
        check_encoder(config)
        self.jobs = jobs
        self.chunk_size = chunk_size
        self.progress = progress
        self._pool = ProcessPoolExecutor(jobs, multiprocessing.get_context(start_method),
                                         initializer=_init_worker, initargs=(config, threads_per_job, store))

    def submit(self, chunk: list[Item | Rejected]) -> Future[list[ItemResult]]:
        """Start aligning one chunk on a worker."""
        return self._pool.submit(_align_chunk, chunk)

    def start(self, records: list[Item | Rejected]) -> Callable[[], list[ItemResult]]:
        """Queue ``records`` on the workers; the returned function waits for their results, in order."""
        futures = [self.submit(chunk) for chunk in _chunks(records, self.chunk_size)]
        return lambda: [result for future in futures for result in _deliver(future.result(), self.progress)]

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "ProcessAligner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def align_parallel(
    records: Iterable[Item | Rejected],
    config: AlignConfig | None = None,
    jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[ItemResult], None] | None = None,
    max_in_flight: int | None = None,
    threads_per_job: int = 1,
    start_method: str = START_METHOD,
) -> Iterator[ItemResult]:
    """Results of a stream of items on ``jobs`` worker processes, in input order.

    ``jobs=1`` runs in this process. Otherwise at most ``max_in_flight`` chunks (default
    ``2 * jobs``) of ``chunk_size`` items are queued or being aligned at once. Each worker
    caps its BLAS threads at ``threads_per_job`` so workers do not oversubscribe the cores.
    """
    config = config or AlignConfig()
    if jobs < 1:
        raise BialignError(f"jobs must be at least 1, not {jobs}")
    if chunk_size < 1:
        raise BialignError(f"chunk_size must be at least 1, not {chunk_size}")
    if jobs == 1:
        yield from Aligner(config).align_items(records, progress)
        return
    with ProcessAligner(config, jobs, chunk_size, threads_per_job=threads_per_job, start_method=start_method) as workers:
        started = ((None, workers.start(chunk)) for chunk in _chunks(records, chunk_size))
        for _, results in in_order(started, max_in_flight or 2 * jobs):
            yield from _deliver(results, progress)


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


def _deliver(results: list[ItemResult], progress: Callable[[ItemResult], None] | None) -> Iterator[ItemResult]:
    for result in results:
        if progress is not None:
            progress(result)
        yield result
