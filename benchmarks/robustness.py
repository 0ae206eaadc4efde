"""Alignment quality on dev items reshaped into the other layouts a crawl produces.

Each seed-like dev item (English article, then Russian summary, line breaks kept) is
rewritten three ways with the same truth: ``glued`` (no line break between the blocks),
``ru-first`` (the Russian block first) and ``one-line`` (every line break lost). The
pairs and blocks bialign finds are scored with the referee's definitions
(``bialign.bench.evaluation``), overall and by layout, so layouts the dev set holds only a few
items of are measured on about eighty each.

    python benchmarks/robustness.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bialign import Aligner, Item  # noqa: E402
from bialign.bench.evaluation import GoldItem, evaluate  # noqa: E402


def reshaped(items: dict[str, str], gold: list[dict]) -> tuple[dict[str, str], dict[str, GoldItem]]:
    """The three layouts of every two-block seed-like item, with their truth."""
    texts: dict[str, str] = {}
    truth: dict[str, GoldItem] = {}
    for record in gold:
        if record["kind"] != "seed-like" or len(record["segments"]) != 2:
            continue
        text = items[record["id"]]
        english, russian = record["segments"]
        cut = text.find(russian["text"][:30])
        if cut < 0:
            continue
        en_raw, ru_raw = text[:cut].rstrip(), text[cut:].strip()
        layouts = {
            "glued": (en_raw + " " + ru_raw, [english, russian]),
            "ru-first": (ru_raw + "\n" + en_raw.strip(), [russian, english]),
            "one-line": (re.sub(r"\s*\n\s*", " ", text).strip(), [english, russian]),
        }
        for kind, (new_text, segments) in layouts.items():
            new_id = f"{record['id']}-{kind}"
            texts[new_id] = new_text
            truth[new_id] = GoldItem.from_dict({**record, "id": new_id, "kind": kind, "segments": segments})
    return texts, truth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data folder")
    args = parser.parse_args()
    dev = args.shared / "data" / "dev"
    items = {r["id"]: r["text"] for r in map(json.loads, (dev / "dev.items.jsonl").read_text("utf-8").splitlines())}
    gold = [json.loads(line) for line in (dev / "dev.gold.jsonl").read_text("utf-8").splitlines()]
    texts, truth = reshaped(items, gold)
    aligner = Aligner()
    pairs, segments = {}, {}
    for result in aligner.align_items(Item(i, t) for i, t in texts.items()):
        pairs[result.id] = [(p.src, p.tgt) for p in result.pairs]
        segments[result.id] = [(s.lang, s.start, s.end) for s in result.segments]
    evaluation = evaluate(truth, pairs, segments, texts)
    report = evaluation.to_dict()
    print(f"# {len(texts)} reshaped items from {len(texts) // 3} seed-like dev items, encoder {aligner.embedder.signature()}")
    print("| layout | items | boundary | strict P | strict R | strict F1 |")
    print("|---|---|---|---|---|---|")
    for kind, counts in sorted(evaluation.by_kind.items()):
        p, r, f = counts.strict
        print(f"| {kind} | {counts.items} | {counts.boundary_acc:.3f} | {p:.3f} | {r:.3f} | {f:.3f} |")
    print(f"| all | {report['items']} | {report['boundary_acc']:.3f} | {report['strict_p']:.3f} | "
          f"{report['strict_r']:.3f} | {report['strict_f1']:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
