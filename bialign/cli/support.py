"""What the subcommands share: exit codes, log messages, input and settings options, the start
and end of a run, review decisions on pairs.

Only the CLI uses this module; the library logs through ``logging.getLogger("bialign")``
and never configures handlers, prints or draws.
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator, NoReturn, Sequence

from ..errors import BialignError, UnknownNameError
from ..formats.tmx import check_creation_date
from ..records import Pair
from ..review.decisions import DecisionTally, apply_decisions, load_decisions
from ..run.outputs import check_outputs, exclusions
from ..text.items import DEFAULT_MAX_CHARS, ReadOptions, check_encoding, input_bytes
from .progress import Progress

LOG = logging.getLogger("bialign")

#: exit codes of the ``bialign`` command
EXIT_OK = 0
EXIT_FAILED = 1  # the run ended but did not do its job: every item rejected, none found, an input missing
EXIT_USAGE = 2  # a user error: a bad option, an output that is an input or cannot be written, ...
EXIT_CLUSTER = 3  # the Dask scheduler could not be reached
EXIT_INTERRUPTED = 130

EPILOG = """exit codes:
  0    the run did its job
  1    the run ended without doing it: every item was rejected, no item was found, or an
       input of align or detect is missing (the other inputs are still processed)
  2    a user error, one line on stderr: a bad option or setting, an output that is an
       input or cannot be written (a directory, a missing directory, full disk, no
       permission), an input of another command that cannot be read
  3    the Dask scheduler (--scheduler) could not be reached
  130  interrupted (a run with --resume continues when rerun)"""

#: reject messages shown per reason before the rest are only counted (all of them with -v)
REJECTS_SHOWN_PER_REASON = 5


class ClusterError(BialignError):
    """The Dask scheduler could not be reached."""


class RunFailed(BialignError):
    """The run ended without doing its job (every item rejected, or none found)."""


def missing_inputs(paths: Sequence[str]) -> list[str]:
    """The inputs that do not exist (``-`` is standard input); more than one ``-`` is an error.

    A run goes on without them (each is one rejected item) and exits with
    :data:`EXIT_FAILED` at the end, naming them.
    """
    if list(paths).count("-") > 1:
        raise BialignError("standard input (-) can be read only once")
    return [p for p in paths if p != "-" and not Path(p).exists()]


def run_outcome(command: str, items: int, rejected: int, done: int, missing: Sequence[str]) -> None:
    """Raise :class:`RunFailed` when a finished run did not do its job."""
    if missing:
        raise RunFailed(f"{command}: no such input: {', '.join(missing)} (the other inputs were processed)")
    if items == 0:
        raise RunFailed(f"{command}: no items found in the inputs")
    if done == 0 and rejected == items:
        raise RunFailed(f"{command}: every item was rejected ({items}); see the messages above or --rejects")


class _Formatter(logging.Formatter):
    """The CLI's own messages as they are; the library's with a ``bialign:`` prefix."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        return message if record.name == LOG.name else f"bialign: {message}"


class _ProgressHandler(logging.Handler):
    """Log records written through the progress display (so they never run into the bar)."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress
        self.setFormatter(_Formatter())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.progress.write(self.format(record))
        except Exception:  # noqa: BLE001 - logging never stops a run
            self.handleError(record)


def verbosity(args: argparse.Namespace) -> int:
    """The log level of ``-v``/``-q``: DEBUG, INFO (default) or WARNING."""
    if getattr(args, "verbose", 0):
        return logging.DEBUG
    return logging.WARNING if getattr(args, "quiet", False) else logging.INFO


def reset_logging() -> None:
    """Take the command line's handler off the ``bialign`` logger (the library's state again)."""
    for old in [h for h in LOG.handlers if getattr(h, "_bialign_cli", False)]:
        LOG.removeHandler(old)
    LOG.setLevel(logging.NOTSET)
    LOG.propagate = True


def configure_logging(level: int, progress: Progress | None = None) -> logging.Handler:
    """Send the ``bialign`` logger's records at ``level`` to stderr (through ``progress``); returns the handler."""
    reset_logging()
    handler: logging.Handler
    if progress is not None:
        handler = _ProgressHandler(progress)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_Formatter())
    handler._bialign_cli = True  # type: ignore[attr-defined]
    LOG.addHandler(handler)
    LOG.setLevel(level)
    LOG.propagate = False
    return handler


class RejectLog:
    """One message per rejected item, at most ``shown`` per reason; the rest counted and summarised."""

    def __init__(self, shown: int = REJECTS_SHOWN_PER_REASON, all_of_them: bool = False,
                 kept_in: Sequence[str] = ()) -> None:
        self.shown = shown
        self.all = all_of_them
        self.kept_in = [name for name in kept_in if name]  # the files (--rejects, --report) that keep them all
        self.counts: Counter[str] = Counter()

    def reject(self, where: str, reason: str) -> None:
        from ..run.report import reason_key

        key = reason_key(reason)
        self.counts[key] += 1
        if self.all or self.counts[key] <= self.shown:
            LOG.warning("bialign: %s: %s", where, reason)
        elif self.counts[key] == self.shown + 1:
            LOG.warning("bialign: more items rejected for \"%s\" are not shown one by one (-v shows all)", key)

    def summary(self) -> None:
        """One line per reason whose messages were cut short."""
        kept = f"; all are in {' and '.join(self.kept_in)}" if self.kept_in else ""
        for key, count in sorted(self.counts.items()):
            if not self.all and count > self.shown:
                LOG.warning("bialign: %d items rejected for \"%s\" (%d shown; -v shows all%s)", count, key, self.shown,
                            kept)


class NoPairsLog:
    """Which items got no pairs, and why: each one with ``-v``, otherwise at the end one line per
    reason with the first few ids."""

    def __init__(self, shown: int = REJECTS_SHOWN_PER_REASON, all_of_them: bool = False) -> None:
        self.shown = shown
        self.all = all_of_them
        self.ids: dict[str, list[str]] = {}
        self.counts: Counter[str] = Counter()

    def no_pairs(self, where: str, item_id: str, reason: str) -> None:
        self.counts[reason] += 1
        if len(self.ids.setdefault(reason, [])) < self.shown:
            self.ids[reason].append(item_id)
        if self.all:
            LOG.info("bialign: %s: %s: no pairs: %s", where, item_id, reason)

    def summary(self, command: str) -> None:
        """One line per reason (most frequent first): how many items, and the first ids."""
        if self.all:
            return
        for reason, count in sorted(self.counts.items(), key=lambda entry: (-entry[1], entry[0])):
            more = f" and {count - len(self.ids[reason])} more (-v lists all)" if count > len(self.ids[reason]) else ""
            LOG.info("bialign %s: %s without pairs, %s: %s%s", command, counted(count, "item"), reason,
                     ", ".join(self.ids[reason]), more)


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="more messages: every rejected item and every item without pairs, not only the first "
                             "few of each reason")


def add_settings_options(parser: argparse.ArgumentParser) -> None:
    """``--config``, ``--set``, ``--encoder-option`` and ``--device`` of ``align``."""
    parser.add_argument("--config", metavar="FILE.toml",
                        help="alignment settings ([align]), encoder and [encoder_options] from a TOML file")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="settings",
                        help="set one alignment parameter (any AlignParams field, e.g. max_src=2); repeatable")
    parser.add_argument("--encoder-option", action="append", default=[], metavar="NAME=VALUE",
                        help="pass an option to the encoder (e.g. batch_size=64, model=DIR); repeatable")
    parser.add_argument("--device", help="device for encoders that take one (e.g. cuda, cuda:1, mps; st, labse, e5)")
    parser.add_argument("--force", action="store_true",
                        help="align document pairs whose English side is not English or whose Russian side is not "
                             "Russian (refused by default)")


def align_config(args: argparse.Namespace, encoder_given: bool):  # type: ignore[no-untyped-def]
    """The AlignConfig of ``align``'s options: encoder calibration, then --config, then --set and -t."""
    from ..align.aligner import AlignConfig
    from ..align.settings import (FileSettings, apply_settings, check_encoder_options, parse_assignments, read_config,
                            window_settings)

    file = read_config(args.config) if args.config else FileSettings()
    encoder = args.encoder if encoder_given or not file.encoder else file.encoder
    config = AlignConfig.for_encoder(encoder)
    params = apply_settings(config.params, file.align, f"{args.config}: " if args.config else "")
    values = parse_assignments(args.settings)
    if args.threshold is not None:
        values["threshold"] = args.threshold
    params = apply_settings(params, values)
    window = {**window_settings(file.align), **window_settings(values)}
    options = dict(file.encoder_options)
    options.update(parse_assignments(args.encoder_option))
    if args.device:
        options["device"] = args.device
    options = check_encoder_options(encoder, options)
    return AlignConfig(encoder=encoder, encoder_options=tuple(sorted(options.items())), params=params,
                       check_languages=not getattr(args, "force", False), **window)


def run_config(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The run's config: the encoder's calibration, then --config, --set, -t, encoder options and --device."""
    from ..embed import DEFAULT_ENCODER

    given = args.encoder is not None
    if not given:
        args.encoder = DEFAULT_ENCODER
    return align_config(args, given)


def output_format(output: str | None) -> str:
    """The format of ``-o``: from its extension; JSONL for standard output, a pipe or a device without one."""
    from ..formats import format_for_path
    from ..text.textio import is_stream_target

    if not output or output == "-":
        return "jsonl"
    try:
        return format_for_path(output, option="--format")
    except UnknownNameError:
        if is_stream_target(output):
            return "jsonl"
        raise


# --- what detect and align share: their inputs, the start and the end of a run ------------

def add_input_options(parser: argparse.ArgumentParser) -> None:
    """The inputs, ``-o`` and the reading, quiet and verbose options of ``detect`` and ``align``."""
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=".txt or .jsonl files (plain, .gz, .xz, .bz2, .zst), directories, or - for standard input")
    parser.add_argument("-o", "--output", help="output file (default, or -: standard output)")
    add_encoding_option(parser)
    parser.add_argument("--encoding-errors", choices=("reject", "replace"), default="reject",
                        help="items that are not valid in the encoding: reject them (default) or replace bad bytes")
    parser.add_argument("--max-chars", type=positive_int, default=DEFAULT_MAX_CHARS,
                        help=f"reject items longer than this (default {DEFAULT_MAX_CHARS})")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary; warnings and errors only")
    add_verbosity(parser)


def add_encoding_option(parser: argparse.ArgumentParser) -> None:
    """``--encoding NAME``: the character encoding of the inputs."""
    parser.add_argument("--encoding", type=encoding, default="utf-8", metavar="NAME",
                        help="character encoding of the inputs (default utf-8; e.g. cp1251, koi8-r)")


def read_options(args: argparse.Namespace) -> ReadOptions:
    """The :class:`~bialign.text.items.ReadOptions` of ``--encoding``, ``--encoding-errors`` and ``--max-chars``."""
    return ReadOptions(encoding_errors=args.encoding_errors, max_chars=args.max_chars, encoding=args.encoding)


def start_run(args: argparse.Namespace, command: str, outputs: Sequence[str | None],
              documents: bool = False) -> tuple[Progress, RejectLog]:
    """Check the inputs (and that no output is one of them), then set up progress and messages;
    ``documents``: the inputs are two folders of documents."""
    args.missing = missing_inputs(args.paths)
    check_outputs(args.paths, outputs)
    progress = Progress(not args.quiet, input_bytes(args.paths, exclusions(outputs), documents), command)
    configure_logging(verbosity(args), progress)
    return progress, RejectLog(all_of_them=bool(args.verbose), kept_in=[
        f"{option} {path}" for option, path in (("--rejects", getattr(args, "rejects", None)),
                                                ("--report", getattr(args, "report", None))) if path])


def finish_run(args: argparse.Namespace, report: object, progress: Progress, rejects: RejectLog, done: int,
               no_pairs: NoPairsLog | None = None) -> int:
    """End a run: the items without pairs by reason, the summary line, and the exit code (1 when
    it did not do its job)."""
    progress.done()
    rejects.summary()
    if no_pairs is not None:
        no_pairs.summary(args.command)
    LOG.info("bialign %s: %s", args.command, report.summary())  # type: ignore[attr-defined]
    run_outcome(args.command, report.items, report.rejected, done, args.missing)  # type: ignore[attr-defined]
    return 0


# --- what convert, testset and bench share: warnings, --decisions -------------------------

def counted(count: int, noun: str) -> str:
    """``1 pair``, ``2 pairs``."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def warn(command: str, message: str) -> None:
    print(f"bialign {command}: warning: {message}", file=sys.stderr)


def decided_pairs(command: str, args: argparse.Namespace, pairs: Iterable[Pair]) -> Iterator[Pair]:
    """``pairs`` without those rejected in ``--decisions FILE`` (all of them without the option)."""
    if not getattr(args, "decisions", None):
        return iter(pairs)
    decisions = load_decisions(args.decisions)  # a bad file fails before any output is opened

    def kept() -> Iterator[Pair]:
        tally = DecisionTally()
        yield from apply_decisions(pairs, decisions, tally)
        if not args.quiet:
            print(f"bialign {command}: decisions: {counted(tally.rejected, 'pair')} dropped as rejected, "
                  f"{tally.accepted} accepted, {tally.kept - tally.accepted} not reviewed", file=sys.stderr)

    return kept()


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not '{value}'") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def finite_number(value: str) -> float:
    """An argparse type: a finite number."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, not '{value}'") from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"must be a finite number, not '{value}'")
    return number


def positive_number(value: str) -> float:
    """An argparse type: a finite number above 0."""
    number = finite_number(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not '{value}'")
    return number


def _checked_by(check: Callable[[str], str]) -> Callable[[str], str]:
    """An argparse type of a library check: its SettingsError becomes argparse's one-line error."""
    def parse(value: str) -> str:
        try:
            return check(value)
        except BialignError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = check.__name__
    return parse


#: argparse types: a TMX creation date (``YYYYMMDDThhmmssZ``), an encoding the readers can take
creation_date = _checked_by(check_creation_date)
encoding = _checked_by(check_encoding)


class Parser(argparse.ArgumentParser):
    """argparse's parser whose usage errors are one line on stderr (and exit code 2), as bialign's other errors."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")
