"""The ``convert`` subcommand: pairs from one format to another (JSONL, TSV, TMX, Moses),
optionally without those a review rejected."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..formats import READERS, WRITERS, format_for_path, open_writer, read_pairs
from ..run.outputs import check_outputs, pair_outputs
from .support import counted, creation_date, decided_pairs, warn


def _changes_warning(command: str, fmt: str, changes: dict[str, int]) -> None:
    total = sum(changes.values())
    if total:
        detail = ", ".join(f"{field}: {count}" for field, count in sorted(changes.items()))
        warn(command, f"{total} field(s) changed to fit the {fmt} format ({detail}); "
                       "see docs/formats.md for what each format can hold")


def cmd_convert(args: argparse.Namespace) -> int:
    src_fmt = format_for_path(args.input, args.from_format, "--from")
    dst_fmt = args.to_format or ("jsonl" if args.output == "-" else format_for_path(args.output, option="--to"))
    check_outputs([args.input], pair_outputs(args.output, dst_fmt, args.src_lang, args.tgt_lang))
    options: dict[str, Any] = {"src_lang": args.src_lang, "tgt_lang": args.tgt_lang}
    write_options = dict(options, header=args.header, creation_date=args.creation_date)
    with open_writer(args.output, dst_fmt, **write_options) as writer:
        writer.write_all(decided_pairs("convert", args, read_pairs(args.input, src_fmt, **options)))
    _changes_warning("convert", dst_fmt, dict(writer.changes))
    if not args.quiet:
        print(f"bialign convert: {counted(writer.count, 'pair')}, {src_fmt} -> {dst_fmt}", file=sys.stderr)
    return 0


def add_subcommand(sub: Any) -> None:
    """Register ``convert`` on the main parser's subparsers."""
    convert = sub.add_parser("convert", help="convert pairs between JSONL, TSV, TMX and Moses")
    convert.add_argument("input", metavar="IN", help="pairs file to read")
    convert.add_argument("output", metavar="OUT", help="pairs file to write (Moses: NAME.moses, NAME.en or NAME.ru; "
                                                       "-: standard output, JSONL unless --to says otherwise)")
    convert.add_argument("--from", dest="from_format", choices=sorted(READERS), help="format of IN (default: from the extension)")
    convert.add_argument("--to", dest="to_format", choices=sorted(WRITERS), help="format of OUT (default: from the extension)")
    convert.add_argument("--src-lang", default="en", help="source language for formats that do not name it (default en)")
    convert.add_argument("--tgt-lang", default="ru", help="target language for formats that do not name it (default ru)")
    convert.add_argument("--header", action="store_true", help="TSV: write a header line")
    convert.add_argument("--creation-date", type=creation_date, help="TMX: fixed creationdate (YYYYMMDDThhmmssZ)")
    convert.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr (warnings still shown)")
    convert.add_argument("--decisions", metavar="FILE",
                        help="review decisions (JSON from bialign review): drop the pairs marked rejected")
    convert.set_defaults(func=cmd_convert)
