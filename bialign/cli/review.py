"""The ``review`` subcommand: an HTML page to check alignments."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..embed import DEFAULT_ENCODER, ENCODERS
from ..formats import READERS, format_for_path
from ..review.build import DEFAULT_SAMPLE, DEFAULT_SEED, load_review, write_review
from ..run.outputs import check_outputs
from ..text.items import ReadOptions
from .support import add_encoding_option, counted, positive_int


def cmd_review(args: argparse.Namespace) -> int:
    check_outputs([args.pairs, *args.items] + ([args.rejects] if args.rejects else []), [args.output])
    review = load_review(args.pairs, args.items, args.rejects, args.sample, args.seed,
                         None if args.no_matrix else args.encoder,
                         pairs_format=format_for_path(args.pairs, args.from_format, "--from"),
                         read_options=ReadOptions(encoding_errors="replace", encoding=args.encoding))
    write_review(args.output, review)
    if not args.quiet:
        pairs = sum(len(v.pairs) for v in review.views)
        print(f"bialign review: {len(review.views)} of {counted(review.items_read, 'item')}, "
              f"{counted(pairs, 'pair')} shown; wrote {args.output}", file=sys.stderr)
    return 0


def add_subcommand(sub: Any) -> None:
    """Register ``review`` on the main parser's subparsers."""
    review = sub.add_parser("review", help="write an HTML page to review a sample of pairs by eye")
    review.add_argument("pairs", metavar="PAIRS", help="pairs file (JSONL or TMX keep item ids and sentence indices)")
    review.add_argument("--items", nargs="+", required=True, metavar="PATH",
                        help="the items the pairs were aligned from (.txt, .jsonl(.gz) files or directories)")
    review.add_argument("-o", "--output", required=True, metavar="FILE.html", help="the page to write")
    add_encoding_option(review)
    review.add_argument("--rejects", metavar="FILE", help="the rejects file of the align run (JSONL)")
    review.add_argument("--from", dest="from_format", choices=sorted(READERS), help="format of PAIRS (default: from the extension)")
    review.add_argument("--sample", type=positive_int, default=DEFAULT_SAMPLE,
                        help=f"show at most this many items, a reproducible random sample (default {DEFAULT_SAMPLE})")
    review.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed of the sample (default {DEFAULT_SEED})")
    review.add_argument("-e", "--encoder", default=DEFAULT_ENCODER, choices=sorted(ENCODERS),
                        help="encoder for the similarity matrices (default: %(default)s)")
    review.add_argument("--no-matrix", action="store_true", help="leave out the similarity matrices (no encoder)")
    review.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    review.set_defaults(func=cmd_review)
