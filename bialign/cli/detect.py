"""The ``detect`` subcommand: the language segments of each item, and the page furniture set
aside in them (datelines, date lines, bylines, chrome), as JSONL.

It keeps its own short loop rather than the run driver's: it has no encoder, writes
segments rather than pairs and keeps no journal.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
from typing import IO, Any, Iterator

from ..errors import internal_error, location
from ..formats.jsonl import json_line
from ..records import Item, Rejected, Status
from ..run.outputs import exclusions
from ..run.report import DETECTED, DetectReport, write_report
from ..text.detect import detect_segments
from ..text.items import read_items
from ..text.sentences import furniture_of
from ..text.textio import atomic_write
from .support import add_input_options, finish_run, read_options, start_run


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
    progress, reject_log = start_run(args, "detect", outputs)
    options = dataclasses.replace(read_options(args), exclude=exclusions(outputs))
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(_output(args.output))
        rejects = stack.enter_context(atomic_write(args.rejects)) if args.rejects else None
        for record in read_items(args.paths, options, progress.read):
            reason = record.reason if isinstance(record, Rejected) else ""
            if isinstance(record, Item):
                try:
                    segments = detect_segments(record.text)
                    furniture = furniture_of(record.text, segments)
                except Exception as exc:  # noqa: BLE001 - one bad item never stops a run
                    reason = internal_error(exc)
                else:
                    out.write(json_line({"id": record.id, "segments": [s.to_dict() for s in segments],
                                         "furniture": [f.to_dict(record.text) for f in furniture]}))
                    report.add(DETECTED, repaired=record.repaired)
                    progress.update(None)
                    continue
            reject_log.reject(location(record.source, record.line), reason)
            report.add(Status.REJECTED, reason, record.repaired if isinstance(record, Item) else "")
            progress.update(None)
            if rejects is not None:
                rejects.write(json_line(Rejected.of(record, reason).to_json()))
    write_report(args.report, report.to_dict())
    return finish_run(args, report, progress, reject_log, report.detected)


def add_subcommand(sub: Any) -> None:
    """Register ``detect`` on the main parser's subparsers."""
    detect = sub.add_parser("detect",
                            help="write the language segments of each item, and the furniture set aside, as JSONL")
    add_input_options(detect)
    detect.add_argument("--rejects", metavar="FILE", help="write rejected items, with their content, as JSONL (- for stdout)")
    detect.add_argument("--report", metavar="FILE", help="write the run's counts as JSON (- for stdout)")
    detect.set_defaults(func=cmd_detect)
