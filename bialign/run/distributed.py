"""A Dask cluster as an executor of the run driver, and a bag of items to one pair file per partition.

Needs ``pip install 'bialign[dask]'``. :class:`DaskExecutor` sends the driver's chunks to
the workers of a ``distributed.Client`` and hands the results back in input order, so a
cluster run writes what a local run writes (``bialign align --scheduler ADDRESS``).
:func:`write_pairs` aligns a ``dask.bag`` of items and writes each partition to
``OUTPUT_DIR/part-NNNNN.<ext>`` atomically on its worker; read in name order the files
hold the pairs in input order.

The :class:`AlignConfig` (and the persistent embedding store, if any) is shipped with
each task; every worker process keeps one aligner per config and store, so the encoder is
loaded once per worker process, and aligns each chunk or partition under the driver's
cache rule (:func:`bialign.run.driver.align_chunk`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from ..align.aligner import AlignConfig, Aligner
from ..embed import EmbeddingStore
from ..errors import BialignError, MissingDependencyError
from ..records import Item, ItemResult, ReadResult, Rejected
from ..text.items import ReadOptions, iter_input_files, read_items
from .driver import Executor, align_chunk, outcome_of, reported, run_aligner
from .report import RunReport
from .results import ResultStore

if TYPE_CHECKING:  # pragma: no cover
    import dask.bag
    import distributed

__all__ = [
    "align_partition",
    "ClusterRun",
    "DaskExecutor",
    "items_bag",
    "part_path",
    "PartitionReport",
    "require_dask",
    "worker_aligner",
    "write_pairs",
    "write_partition",
]

_ALIGNERS: dict[tuple[AlignConfig, tuple[str, float] | None, tuple[str, float] | None], Aligner] = {}
_ALIGNERS_LOCK = threading.Lock()


def require_dask() -> Any:
    """Import ``dask.bag``, or raise :class:`MissingDependencyError` naming the extra."""
    try:
        import dask.bag
        import distributed  # noqa: F401  - the extra installs both
    except ImportError as exc:
        raise MissingDependencyError("dask", "dask", "running on a Dask cluster") from exc
    return dask.bag


def worker_aligner(config: AlignConfig, store: EmbeddingStore | None = None,
                   results: ResultStore | None = None) -> Aligner:
    """This process's aligner for ``config``, ``store`` and ``results``, built (and its encoder loaded) on first use."""
    key = (config, None if store is None else (str(store.directory), store.max_mb),
           None if results is None else (str(results.directory), results.max_mb))
    with _ALIGNERS_LOCK:
        aligner = _ALIGNERS.get(key)
        if aligner is None:
            aligner = _ALIGNERS[key] = run_aligner(config, store, results)
        return aligner


def align_partition(records: Iterable[ReadResult], config: AlignConfig, store: EmbeddingStore | None = None,
                    results: ResultStore | None = None) -> list[ItemResult]:
    """Results of one chunk or partition's records, in order (runs on a worker)."""
    aligner = worker_aligner(config, store, results)
    with _ALIGNERS_LOCK:  # one encoder per process: threads of a worker take turns
        return align_chunk(aligner, records)


class DaskExecutor(Executor):
    """Chunks aligned as tasks on the cluster of ``client`` (the caller opens and closes it).

    ``depth`` chunks are in flight at once (default: two per worker thread, plus one).
    """

    def __init__(self, client: "distributed.Client", config: AlignConfig, store: EmbeddingStore | None = None,
                 depth: int | None = None, results: ResultStore | None = None) -> None:
        require_dask()
        self.client = client
        self.config = config
        self.store = store
        self.results = results
        self.depth = depth or 2 * max(1, sum(client.nthreads().values())) + 1

    def submit(self, chunk: list[ReadResult],
               on_aligned: Callable[[ItemResult], None] | None = None) -> Callable[[], list[ItemResult]]:
        task = self.client.submit(align_partition, chunk, self.config, self.store, self.results, pure=False)
        return reported(task.result, on_aligned)


def _read_file(path: str, options: ReadOptions) -> list[Item | Rejected]:
    return list(read_items([path], options))


def items_bag(paths: Sequence[str], options: ReadOptions = ReadOptions(),
              npartitions: int | None = None) -> "dask.bag.Bag":
    """Items of files and directories as a bag, each file read on a worker.

    One partition per input file; ``npartitions`` repartitions the items afterwards
    (useful when there are fewer files than workers).
    """
    bag_module = require_dask()
    entries = list(iter_input_files(paths))
    files = [str(e) for e in entries if not isinstance(e, Rejected)]
    missing = [e for e in entries if isinstance(e, Rejected)]
    parts = []
    if files:
        parts.append(bag_module.from_sequence(files, npartitions=len(files)).map(_read_file, options).flatten())
    if missing:
        parts.append(bag_module.from_sequence(missing, npartitions=1))
    if not parts:
        raise BialignError("no input files")
    bag = bag_module.concat(parts) if len(parts) > 1 else parts[0]
    return bag.repartition(npartitions) if npartitions else bag


@dataclass(frozen=True)
class PartitionReport:
    """What one partition's task did: its file, its counts and its rejected records."""

    index: int
    path: str
    counts: dict[str, object]
    rejected: tuple[dict[str, object], ...] = ()  # lines of the rejects file (Rejected.to_json)


def part_path(output_dir: str | Path, index: int, fmt: str = "jsonl") -> Path:
    """``OUTPUT_DIR/part-NNNNN.<ext>`` for partition ``index``."""
    from ..formats import WRITERS

    return Path(output_dir) / f"part-{index:05d}{WRITERS[fmt].extensions[0]}"


def write_partition(records: Iterable[ReadResult], index: int, config: AlignConfig, output_dir: str,
                    fmt: str = "jsonl", signature: dict[str, object] | None = None,
                    writer_options: tuple[tuple[str, object], ...] = (),
                    store: EmbeddingStore | None = None) -> PartitionReport:
    """Align one partition and write its pairs atomically to its own file (runs on a worker)."""
    from ..formats import open_writer

    path = part_path(output_dir, index, fmt)
    report = RunReport()
    rejected: list[dict[str, object]] = []
    records = list(records)
    with open_writer(path, fmt, signature, **dict(writer_options)) as writer:
        for number, (record, result) in enumerate(zip(records, align_partition(records, config, store))):
            outcome = outcome_of(number, record, result)
            report.add(result, outcome.repaired)
            if result.rejection is not None:
                rejected.append(result.rejection.to_json())
            writer.write_all(result.pairs)
    return PartitionReport(index, str(path), report.to_dict(), tuple(rejected))


@dataclass
class ClusterRun:
    """The outcome of :func:`write_pairs`: one report per partition, and their sum."""

    partitions: list[PartitionReport] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [p.path for p in self.partitions]

    @property
    def rejected(self) -> list[dict[str, object]]:
        """The rejects-file lines of all partitions, in input order."""
        return [r for p in self.partitions for r in p.rejected]

    def report(self) -> RunReport:
        total = RunReport()
        for part in self.partitions:
            counts = part.counts
            for name in ("items", "aligned", "no_pairs", "rejected", "pairs", "repaired"):
                setattr(total, name, getattr(total, name) + int(counts.get(name, 0)))  # type: ignore[call-overload]
            total.reasons.update(counts["reasons"])  # type: ignore[arg-type]
        return total


def write_pairs(items: "dask.bag.Bag", output_dir: str | Path, config: AlignConfig | None = None,
                fmt: str = "jsonl", signature: dict[str, object] | None = None,
                writer_options: dict[str, object] | None = None, store: EmbeddingStore | None = None) -> ClusterRun:
    """Align a bag of items and write one pair file per partition; blocks until done.

    Runs on the active Dask scheduler (a ``distributed.Client`` if one is open); ``store``:
    a persistent embedding store the workers share.
    """
    require_dask()
    import dask

    config = config or AlignConfig()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    options = tuple(sorted((writer_options or {}).items()))
    tasks = [dask.delayed(write_partition, pure=False)(part, index, config, str(output_dir), fmt, signature, options,
                                                       store)
             for index, part in enumerate(items.to_delayed())]
    return ClusterRun(list(dask.compute(*tasks)))
