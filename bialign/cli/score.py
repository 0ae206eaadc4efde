"""The ``score`` subcommand: pairs and language blocks against gold truth."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..bench.evaluation import evaluate, read_gold, read_pairs, recall_by_phenomenon
from ..errors import InputError
from ..formats import READERS, format_for_path
from ..records import Item
from ..text.items import read_items


def _segments(path: str) -> dict[str, list[tuple[str, int, int]]]:
    """Predicted blocks of a ``bialign detect`` output, by item id."""
    out: dict[str, list[tuple[str, int, int]]] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                out[str(record["id"])] = [(s["lang"], int(s["start"]), int(s["end"])) for s in record["segments"]]
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
                raise InputError(f"{path}:{number}: not a segments record: {error!r}") from error
    return out


def cmd_score(args: argparse.Namespace) -> int:
    if not args.pairs and not args.segments:
        raise InputError("nothing to score: give --pairs, --segments (with --items), or both")
    if args.segments and not args.items:
        raise InputError("--segments needs --items (the item texts the offsets point into)")
    gold = read_gold(args.gold)
    texts = {r.id: r.text for r in read_items(args.items) if isinstance(r, Item)} if args.items else None
    pairs = read_pairs(args.pairs, format_for_path(args.pairs, args.from_format, "--from")) if args.pairs else None
    report = evaluate(gold, pairs, _segments(args.segments) if args.segments else None, texts).to_dict()
    if pairs is not None:
        phenomena = recall_by_phenomenon(gold, pairs)
        if phenomena:
            report["recall_by_phenomenon"] = {tag: round(hit / total, 4) for tag, (hit, total) in phenomena.items()}
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for key, value in report.items():
            print(f"{key:18s} {round(value, 4) if isinstance(value, float) else value}")
    return 0


def add_subcommand(sub: Any) -> None:
    """Register ``score`` on the main parser's subparsers."""
    score = sub.add_parser(
        "score", help="score pairs and language blocks against gold truth (exact, strict, lax, fragments)",
        description="Score predicted pairs (any pair format with item ids: JSONL, TSV, TMX) and language blocks "
                    "(bialign detect output) against a gold file, with the definitions of docs/quality.md.")
    score.add_argument("--gold", required=True, help="gold JSONL: id, kind, segments, pairs (with phen), sentences")
    score.add_argument("--pairs", help="predicted pairs: JSONL, TSV or TMX (bialign align output)")
    score.add_argument("--from", dest="from_format", choices=sorted(READERS),
                       help="format of --pairs (default: from the extension)")
    score.add_argument("--segments", help="predicted language blocks (bialign detect output)")
    score.add_argument("--items", help="the items the segments' offsets point into")
    score.add_argument("--json", action="store_true", help="print one JSON object")
    score.set_defaults(func=cmd_score)
