"""The ``convert``, ``testset`` and ``bench`` subcommands (registered by :mod:`bialign.cli`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Iterable, Iterator

from .decisions import DecisionTally, apply_decisions, load_decisions
from .errors import BialignError
from .outputs import check_outputs, pair_outputs
from .records import Pair
from .testset import DIRECTIONS, TestSet, TestSetFilter, build_testset, testset_paths, write_testset
from .textio import atomic_write
from .formats import READERS, WRITERS, format_for_path, open_writer, read_pairs


def _warn(command: str, message: str) -> None:
    print(f"bialign {command}: warning: {message}", file=sys.stderr)


def _changes_warning(command: str, fmt: str, changes: dict[str, int]) -> None:
    total = sum(changes.values())
    if total:
        detail = ", ".join(f"{field}: {count}" for field, count in sorted(changes.items()))
        _warn(command, f"{total} field(s) changed to fit the {fmt} format ({detail}); "
                       "see docs/formats.md for what each format can hold")


def _decided(command: str, args: argparse.Namespace, pairs: Iterable[Pair]) -> Iterator[Pair]:
    """``pairs`` without those rejected in ``--decisions FILE`` (all of them without the option)."""
    if not getattr(args, "decisions", None):
        return iter(pairs)
    decisions = load_decisions(args.decisions)  # a bad file fails before any output is opened

    def kept() -> Iterator[Pair]:
        tally = DecisionTally()
        yield from apply_decisions(pairs, decisions, tally)
        if not args.quiet:
            print(f"bialign {command}: decisions: {tally.rejected} pairs dropped as rejected, "
                  f"{tally.accepted} accepted, {tally.kept - tally.accepted} not reviewed", file=sys.stderr)

    return kept()


def cmd_convert(args: argparse.Namespace) -> int:
    src_fmt = format_for_path(args.input, args.from_format)
    dst_fmt = args.to_format or ("jsonl" if args.output == "-" else format_for_path(args.output))
    check_outputs([args.input], pair_outputs(args.output, dst_fmt, args.src_lang, args.tgt_lang))
    options: dict[str, Any] = {"src_lang": args.src_lang, "tgt_lang": args.tgt_lang}
    write_options = dict(options, header=args.header, creation_date=args.creation_date)
    with open_writer(args.output, dst_fmt, **write_options) as writer:
        writer.write_all(_decided("convert", args, read_pairs(args.input, src_fmt, **options)))
    _changes_warning("convert", dst_fmt, dict(writer.changes))
    if not args.quiet:
        print(f"bialign convert: {writer.count} pairs, {src_fmt} -> {dst_fmt}", file=sys.stderr)
    return 0


def _filters(args: argparse.Namespace) -> TestSetFilter:
    if args.max_ratio is not None and args.max_ratio < 1:
        raise BialignError("--max-ratio must be at least 1")
    return TestSetFilter(min_score=args.min_score, max_ratio=args.max_ratio, dedup=args.dedup)


def _testset(args: argparse.Namespace) -> TestSet:
    pairs = read_pairs(args.pairs, args.from_format, src_lang=args.src_lang, tgt_lang=args.tgt_lang)
    return build_testset(_decided(getattr(args, "command", "testset"), args, pairs), args.direction, _filters(args))


def _report_filters(command: str, testset: TestSet) -> None:
    dropped = ", ".join(f"{name}: {count}" for name, count in testset.dropped.items())
    print(f"bialign {command}: {testset.read} pairs read, {len(testset)} kept; dropped by filter: {dropped}",
          file=sys.stderr)
    if testset.flattened:
        _warn(command, f"{testset.flattened} line(s) had breaks or tabs turned into spaces or ends stripped")


def cmd_testset(args: argparse.Namespace) -> int:
    if args.output != "-":
        check_outputs([args.pairs], [str(p) for p in testset_paths(args.output)])
    testset = _testset(args)
    if args.output == "-":  # one "source<TAB>reference" line per segment (the lines hold no tabs)
        sys.stdout.writelines(f"{src}\t{ref}\n" for src, ref in zip(testset.sources, testset.references))
        where = "standard output (source<TAB>reference)"
    else:
        src_path, ref_path = write_testset(testset, args.output)
        where = f"source {src_path}, reference {ref_path}"
    if not args.quiet:
        _report_filters("testset", testset)
        print(f"bialign testset: {testset.direction}: {where}", file=sys.stderr)
    return 0


def _system(value: str) -> tuple[str, str]:
    name, sep, spec = value.partition("=")
    if not sep or not name or not spec:
        raise argparse.ArgumentTypeError(f"expected NAME=FILE or NAME='cmd:COMMAND', got '{value}'")
    return name, spec


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import format_markdown, format_text, plot, score_systems, system_output

    testset = _testset(args)
    if not args.quiet:
        _report_filters("bench", testset)
    outputs = [(name, system_output(name, spec, testset.sources, args.timeout)) for name, spec in args.system]
    result = score_systems(testset.references, outputs, testset.direction, args.samples, args.tokenize, testset.report())
    if args.plot:
        plot(result, args.plot)
    if args.html:
        from .bench_html import bench_page

        with atomic_write(args.html) as handle:
            handle.write(bench_page(result, testset, outputs, f"bialign bench: {os.path.basename(args.pairs)}"))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif args.markdown:
        sys.stdout.write(format_markdown(result))
    else:
        sys.stdout.write(format_text(result))
    return 0


def _add_pairs_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pairs", metavar="PAIRS", help="pairs file in any readable format")
    parser.add_argument("--from", dest="from_format", choices=sorted(READERS), help="format of PAIRS (default: from the extension)")
    parser.add_argument("--direction", choices=DIRECTIONS, default="ru-en", help="translation direction (default ru-en)")
    parser.add_argument("--min-score", type=float, help="keep pairs scored at least this")
    parser.add_argument("--max-ratio", type=float, help="keep pairs whose longer side is at most this many times the shorter (characters)")
    parser.add_argument("--dedup", action="store_true", help="keep only the first pair of each source sentence")
    parser.add_argument("--src-lang", default="en", help="source language of PAIRS' files (default en)")
    parser.add_argument("--tgt-lang", default="ru", help="target language of PAIRS' files (default ru)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr (warnings still shown)")
    parser.add_argument("--decisions", metavar="FILE",
                        help="review decisions (JSON from bialign review): drop the pairs marked rejected")


def add_subcommands(sub: Any) -> None:
    """Register ``convert``, ``testset`` and ``bench`` on the main parser's subparsers."""
    convert = sub.add_parser("convert", help="convert pairs between JSONL, TSV, TMX and Moses")
    convert.add_argument("input", metavar="IN", help="pairs file to read")
    convert.add_argument("output", metavar="OUT", help="pairs file to write (Moses: NAME.moses, NAME.en or NAME.ru; "
                                                       "-: standard output, JSONL unless --to says otherwise)")
    convert.add_argument("--from", dest="from_format", choices=sorted(READERS), help="format of IN (default: from the extension)")
    convert.add_argument("--to", dest="to_format", choices=sorted(WRITERS), help="format of OUT (default: from the extension)")
    convert.add_argument("--src-lang", default="en", help="source language for formats that do not name it (default en)")
    convert.add_argument("--tgt-lang", default="ru", help="target language for formats that do not name it (default ru)")
    convert.add_argument("--header", action="store_true", help="TSV: write a header line")
    convert.add_argument("--creation-date", help="TMX: fixed creationdate (YYYYMMDDThhmmssZ)")
    convert.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr (warnings still shown)")
    convert.add_argument("--decisions", metavar="FILE",
                        help="review decisions (JSON from bialign review): drop the pairs marked rejected")
    convert.set_defaults(func=cmd_convert)

    testset = sub.add_parser("testset", help="write an MT test set (source and reference files) from pairs")
    _add_pairs_options(testset)
    testset.add_argument("-o", "--output", required=True, metavar="PREFIX",
                         help="writes PREFIX.src and PREFIX.ref; - writes source<TAB>reference lines to standard output")
    testset.set_defaults(func=cmd_testset)

    bench = sub.add_parser("bench", help="score MT systems on a test set from pairs (BLEU, chrF, chrF++, TER)")
    _add_pairs_options(bench)
    bench.add_argument("--system", action="append", type=_system, required=True, metavar="NAME=SPEC",
                       help="a system: a hypothesis file, or a command ('cmd:...', or any value that is not a file) "
                            "reading source lines on stdin; the first system is the baseline")
    bench.add_argument("--timeout", type=float, default=600.0, help="seconds a system command may run (default 600)")
    bench.add_argument("--samples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    bench.add_argument("--tokenize", help="sacrebleu BLEU tokenizer (default: sacrebleu's, 13a)")
    output = bench.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object")
    output.add_argument("--markdown", action="store_true", help="print a Markdown table")
    bench.add_argument("--plot", metavar="FILE.png", help="draw the scores with their intervals (needs bialign[plot])")
    bench.add_argument("--html", metavar="FILE.html",
                       help="write the benchmark as a page: table, plot, segments where systems differ (needs bialign[bench])")
    bench.set_defaults(func=cmd_bench)
