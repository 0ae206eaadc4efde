"""The ``testset`` and ``bench`` subcommands: an MT test set from pairs, and MT systems
scored on it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from ..bench.testset import DIRECTIONS, TestSet, TestSetFilter, build_testset, testset_paths, write_testset
from ..errors import BialignError
from ..formats import READERS, format_for_path, read_pairs
from ..run.outputs import check_outputs
from ..text.textio import atomic_write
from .support import counted, decided_pairs, finite_number, positive_int, positive_number, warn


def _filters(args: argparse.Namespace) -> TestSetFilter:
    if args.max_ratio is not None and args.max_ratio < 1:
        raise BialignError("--max-ratio must be at least 1")
    return TestSetFilter(min_score=args.min_score, max_ratio=args.max_ratio, dedup=args.dedup)


def _testset(args: argparse.Namespace) -> TestSet:
    fmt = format_for_path(args.pairs, args.from_format, "--from")
    pairs = read_pairs(args.pairs, fmt, src_lang=args.src_lang, tgt_lang=args.tgt_lang)
    return build_testset(decided_pairs(getattr(args, "command", "testset"), args, pairs), args.direction, _filters(args))


def _report_filters(command: str, testset: TestSet) -> None:
    dropped = ", ".join(f"{name}: {count}" for name, count in testset.dropped.items())
    print(f"bialign {command}: {counted(testset.read, 'pair')} read, {len(testset)} kept; dropped by filter: {dropped}",
          file=sys.stderr)
    if testset.flattened:
        warn(command, f"{testset.flattened} line(s) had breaks or tabs turned into spaces or ends stripped")


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
    from ..bench.scoring import format_markdown, format_text, plot, score_systems, system_output

    check_outputs([args.pairs], [args.plot, args.html])
    testset = _testset(args)
    if not args.quiet:
        _report_filters("bench", testset)
    outputs = [(name, system_output(name, spec, testset.sources, args.timeout)) for name, spec in args.system]
    result = score_systems(testset.references, outputs, testset.direction, args.samples, args.tokenize, testset.report())
    if args.plot:
        plot(result, args.plot)
    if args.html:
        from ..bench.page import bench_page

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
    parser.add_argument("--min-score", type=finite_number, help="keep pairs scored at least this")
    parser.add_argument("--max-ratio", type=finite_number, help="keep pairs whose longer side is at most this many times the shorter (characters)")
    parser.add_argument("--dedup", action="store_true", help="keep only the first pair of each source sentence")
    parser.add_argument("--src-lang", default="en", help="source language of PAIRS' files (default en)")
    parser.add_argument("--tgt-lang", default="ru", help="target language of PAIRS' files (default ru)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr (warnings still shown)")
    parser.add_argument("--decisions", metavar="FILE",
                        help="review decisions (JSON from bialign review): drop the pairs marked rejected")


def add_subcommands(sub: Any) -> None:
    """Register ``testset`` and ``bench`` on the main parser's subparsers."""
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
    bench.add_argument("--timeout", type=positive_number, default=600.0, help="seconds a system command may run (default 600)")
    bench.add_argument("--samples", type=positive_int, default=1000, help="bootstrap resamples (default 1000)")
    bench.add_argument("--tokenize", help="sacrebleu BLEU tokenizer (default: sacrebleu's, 13a)")
    output = bench.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object")
    output.add_argument("--markdown", action="store_true", help="print a Markdown table")
    bench.add_argument("--plot", metavar="FILE.png", help="draw the scores with their intervals (needs bialign[plot])")
    bench.add_argument("--html", metavar="FILE.html",
                       help="write the benchmark as a page: table, plot, segments where systems differ (needs bialign[bench])")
    bench.set_defaults(func=cmd_bench)
