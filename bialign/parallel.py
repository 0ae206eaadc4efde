"""Worker processes of one machine as an executor of the run driver (:mod:`bialign.run`).

Each worker process builds one aligner in the pool initializer (the encoder is loaded
once per worker) and aligns whole chunks under the driver's cache rule; the driver keeps
a bounded number of chunks in flight and takes results back in input order, so memory
stays flat however long the input is.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator

from .embed import ENCODERS, EmbeddingStore
from .errors import BialignError, MissingDependencyError, UnknownNameError
from .pipeline import AlignConfig, Aligner
from .records import ItemResult, ReadResult
from .results import ResultStore
from .run import DEFAULT_CHUNK_SIZE, Executor, InProcess, align_chunk, aligned_chunks, reported, run_aligner

__all__ = [
    "align_parallel",
    "check_encoder",
    "limit_threads",
    "ProcessExecutor",
    "START_METHOD",
    "THREAD_ENV_VARS",
]

START_METHOD = "spawn"
#: environment variables that cap the thread pools of BLAS/OpenMP libraries
THREAD_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                   "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")

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


def _align_chunk(chunk: list[ReadResult]) -> list[ItemResult]:
    """Align one chunk in a worker, under the driver's cache rule."""
    if _worker_aligner is None:  # pragma: no cover - the initializer always ran
        raise BialignError("worker was started without its aligner")
    return align_chunk(_worker_aligner, chunk)


class ProcessExecutor(Executor):
    """Chunks aligned on ``jobs`` worker processes, each loading the encoder once.

    ``depth`` chunks are queued ahead (default ``jobs + 1``: a worker that finishes finds
    the next chunk waiting while the caller writes). Each worker caps its BLAS threads at
    ``threads_per_job`` so workers do not oversubscribe the cores.
    """

    def __init__(self, config: AlignConfig, jobs: int, store: EmbeddingStore | None = None,
                 threads_per_job: int = 1, start_method: str = START_METHOD, depth: int | None = None,
                 results: ResultStore | None = None) -> None:
        if jobs < 2:
            raise BialignError(f"a process pool needs at least 2 jobs, not {jobs}")
        check_encoder(config)
        self.jobs = jobs
        self.depth = depth or jobs + 1
        self._pool = ProcessPoolExecutor(jobs, multiprocessing.get_context(start_method),
                                         initializer=_init_worker, initargs=(config, threads_per_job, store, results))

    def submit(self, chunk: list[ReadResult],
               on_aligned: Callable[[ItemResult], None] | None = None) -> Callable[[], list[ItemResult]]:
        return reported(self._pool.submit(_align_chunk, chunk).result, on_aligned)

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
