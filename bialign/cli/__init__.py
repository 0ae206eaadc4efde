"""The ``bialign`` command: the only place that prints, reads argv or draws progress.

One module per subcommand (:mod:`~bialign.cli.detect`, :mod:`~bialign.cli.align`,
:mod:`~bialign.cli.encoders`, :mod:`~bialign.cli.convert`, :mod:`~bialign.cli.bench` for
``testset`` and ``bench``, :mod:`~bialign.cli.documents`, :mod:`~bialign.cli.review`,
:mod:`~bialign.cli.score`), each registering itself with ``add_subcommand``; what they
share is in :mod:`~bialign.cli.support` and :mod:`~bialign.cli.progress`. Here: the
parser, and errors turned into one line on stderr and an exit code.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from . import align, bench, convert, detect, documents, encoders, review, score
from ..errors import BialignError
from ..version import __version__
from .support import (EPILOG, EXIT_CLUSTER, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, ClusterError, Parser,
                      RunFailed, reset_logging)

__all__ = ["build_parser", "main"]


def _error(message: str) -> None:
    print(f"bialign: {message}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="bialign", description="English-Russian translation pairs from mixed news items.",
                    epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"bialign {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    detect.add_subcommand(sub)
    align.add_subcommand(sub)
    encoders.add_subcommand(sub)
    convert.add_subcommand(sub)
    bench.add_subcommands(sub)  # testset, bench
    documents.add_subcommand(sub)
    review.add_subcommand(sub)
    score.add_subcommand(sub)
    for command in sub.choices.values():  # every subcommand's --help ends with the exit codes
        if command.epilog is None:
            command.epilog = EPILOG
            command.formatter_class = argparse.RawDescriptionHelpFormatter
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
