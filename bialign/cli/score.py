"""The ``score`` subcommand: pairs and language blocks against gold truth."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..bench.evaluation import (GoldItem, alignment_scores, bead_texts, evaluate, read_gold, read_pairs,
                                recall_by_phenomenon)
from ..errors import InputError
from ..formats import READERS, format_for_path
from ..formats.ladder import read_beads
from ..records import Item
from ..text.items import document_files, document_key, read_items
from ..text.sentences import line_sentences
from ..text.textio import open_text_read


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


def _sentences(path: str | None, lang: str) -> dict[str, list[str]]:
    """The sentences of one document file, or of each document of a folder by its name, as
    ``bialign documents --sentence-per-line`` reads them (:func:`bialign.text.items.document_files`,
    :func:`bialign.text.sentences.line_sentences`)."""
    if path is None:
        return {}
    root = Path(path)
    files = document_files(root) if root.is_dir() else {document_key(root, root.parent): root}
    out = {}
    for key, file in files.items():
        with open_text_read(file) as handle:
            text = handle.read()
        out[key] = [sentence.text for sentence in line_sentences(text, 0, len(text), lang)]
    return out


def _score_alignments(args: argparse.Namespace) -> dict[str, object]:
    """Full alignments (beads) against gold beads: Vecalign's scores, and the referee's on the
    beads' texts when the documents are given (one sentence a line)."""
    gold, predicted = read_beads(args.gold), read_beads(args.beads)
    if len(gold) == 1 and len(predicted) == 1:  # one document pair each: whatever their file names
        predicted = {next(iter(gold)): next(iter(predicted.values()))}
    report: dict[str, object] = {"documents": len(gold), "beads_gold": sum(map(len, gold.values())),
                                 "beads_pred": sum(map(len, predicted.values()))}
    report.update(alignment_scores(gold, predicted).to_dict())
    english, russian = _sentences(args.en, "en"), _sentences(args.ru, "ru")
    if english or russian:
        if len(gold) == 1 and len(english) == 1 and len(russian) == 1:
            english, russian = ({next(iter(gold)): v} for v in (next(iter(english.values())), next(iter(russian.values()))))
        missing = sorted(doc for doc in gold if doc not in english or doc not in russian)
        if missing:
            raise InputError(f"no English or Russian sentences for {', '.join(missing[:5])} (--en, --ru)")
        try:
            truth = {doc: GoldItem(doc, "documents", (), tuple(bead_texts(beads, english[doc], russian[doc])))
                     for doc, beads in gold.items()}
            pairs = {doc: bead_texts(beads, english[doc], russian[doc]) for doc, beads in predicted.items() if doc in gold}
        except IndexError:
            raise InputError("a bead points past the last sentence of its document (--en, --ru: one sentence a line)") \
                from None
        report.update(evaluate(truth, pairs).to_dict())
    return report


def cmd_score(args: argparse.Namespace) -> int:
    if args.beads:
        if args.pairs or args.segments:
            raise InputError("--beads scores full alignments against gold beads; score --pairs and --segments apart")
        return _print(args, _score_alignments(args))
    if args.en or args.ru:
        raise InputError("--en and --ru give the documents of --beads")
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
    return _print(args, report)


def _print(args: argparse.Namespace, report: dict[str, object]) -> int:
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
    score.add_argument("--gold", required=True, help="gold JSONL: id, kind, segments, pairs (with phen), sentences; "
                                                     "with --beads: gold beads")
    score.add_argument("--pairs", help="predicted pairs: JSONL, TSV or TMX (bialign align output)")
    score.add_argument("--from", dest="from_format", choices=sorted(READERS),
                       help="format of --pairs (default: from the extension)")
    score.add_argument("--segments", help="predicted language blocks (bialign detect output)")
    score.add_argument("--items", help="the items the segments' offsets point into")
    score.add_argument("--beads", help="predicted full alignments: a ladder file ([0, 1]:[0]:cost, as Vecalign "
                                       "writes them), a folder of NAME.ladder files, or JSONL beads; --gold is then "
                                       "gold beads in the same forms")
    score.add_argument("--en", help="with --beads: the English document(s), one sentence a line (a file or a folder), "
                                    "to add the referee's scores on the beads' texts")
    score.add_argument("--ru", help="with --beads: the Russian document(s), one sentence a line")
    score.add_argument("--json", action="store_true", help="print one JSON object")
    score.set_defaults(func=cmd_score)
