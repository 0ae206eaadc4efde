#!/usr/bin/env python3
"""Alignment quality on items with truth: bialign against a peer aligner, same encoder.

    python benchmarks/quality.py [--encoder usem3] [--set dev] [--set editorial] [--set real]
                                 [--threshold T] [--sweep 0.35,0.4,...] [--errors FILE]
                                 [--score-bins [T]] [--bins 0.4,0.5,...] [--no-peer] [--refresh-peer]

bialign runs the whole job (language boundary, sentences, alignment) on the raw items:
dev and editorial from ``tests/data``, and the real agency pages from the shared data folder
(``$BIALIGN_SHARED`` or ``../shared``) when it is there.
The peer is ``sentalign`` (Vecalign's dynamic programming, ``pip install sentalign``),
given the TRUE sentences of each language block (gold ``en_sentences``/``ru_sentences``,
so its boundary is the true one) and the same encoder; its alignments with both sides
non-empty become pairs (several sentences of a side joined by a space). Both are scored
with ``bialign.bench.evaluation``, which uses the referee's definitions.

The peer's pairs depend only on the gold file, the encoder and the peer's settings, so
they are cached on disk (``~/.cache/bialign/``); later runs re-score them instantly.
bialign is rerun once per threshold of the sweep with ``AlignParams()`` changed only in
``threshold``, since the search's choices depend on it; the library's default threshold
is always among the rows and marked.
``--score-bins T`` reruns bialign at threshold T (0.3 if no value is given) and prints the
strict and lax precision of its pairs in score bins (``--bins`` gives the cut points).
``--errors FILE`` writes every bialign error on the items (JSONL if FILE ends in
``.jsonl``, readable text otherwise) with a guessed cause, and prints counts per cause.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import re
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout's bialign, not an installed one

import benchdata  # noqa: E402
from bialign import AlignConfig, Aligner, AlignParams, Item, read_items  # noqa: E402
from bialign.embed import CachedEmbedder, Embedder, get_encoder  # noqa: E402
from bialign.bench.evaluation import (  # noqa: E402
    Counts, GoldItem, TextPair, evaluate, judge_pairs, normalize, precision_by_score, read_gold, recall_by_phenomenon,
    segments_match, sure_only, word_set,
)

SETS = {name: (benchdata.items_path(name), benchdata.gold_path(name)) for name in benchdata.SETS}  # in tests/data
REAL = benchdata.shared("data", "real")  # real agency pages: third-party news, read where they are
if REAL is not None:
    SETS["real"] = (REAL / "real.items.jsonl", REAL / "real.gold.jsonl")
SWEEP = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
BINS = (0.4, 0.5, 0.6, 0.7)
PEER_MAX_SIZE = 4  # Vecalign's own default: beads with up to 4 sentences in all


# --- running the systems ---------------------------------------------------------------

@dataclasses.dataclass
class Run:
    pairs: dict[str, list[TextPair]]
    scored: dict[str, list[tuple[TextPair, float, bool]]]  # pair, score, is title
    segments: dict[str, list[tuple[str, int, int]]]
    seconds: float


def run_bialign(items: list[Item], embedder: Embedder, encoder: str, threshold: float) -> Run:
    params = dataclasses.replace(AlignParams(), threshold=threshold)
    aligner = Aligner(AlignConfig(encoder=encoder, params=params), embedder=embedder)
    start = time.perf_counter()
    pairs: dict[str, list[TextPair]] = {}
    scored: dict[str, list[tuple[TextPair, float, bool]]] = {}
    segments: dict[str, list[tuple[str, int, int]]] = {}
    for result in aligner.align_items(items):
        these = []
        for p in result.pairs:
            en, ru = (p.src, p.tgt) if p.src_lang == "en" else (p.tgt, p.src)
            these.append(((en, ru), p.score, p.title))
        scored[result.id] = these
        pairs[result.id] = [t[0] for t in these]
        segments[result.id] = [(s.lang, s.start, s.end) for s in result.segments]
    return Run(pairs, scored, segments, time.perf_counter() - start)


def _peer_cache_file(gold_path: Path, embedder: Embedder) -> Path:
    from importlib.metadata import version

    key = hashlib.sha256()
    key.update(gold_path.read_bytes())
    key.update(f"{embedder.signature()}|sentalign {version('sentalign')}|max {PEER_MAX_SIZE}".encode())
    root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "bialign"
    return root / f"quality-peer-{key.hexdigest()[:16]}.json"


def run_peer(gold: dict[str, GoldItem], gold_path: Path, embedder: Embedder, refresh: bool) -> tuple[Run, str]:
    try:
        from sentalign import sentalign
    except ImportError as error:
        raise SystemExit("the peer needs sentalign: pip install sentalign (or pass --no-peer)") from error
    cache = _peer_cache_file(gold_path, embedder)
    if cache.exists() and not refresh:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        return Run({k: [tuple(p) for p in v] for k, v in stored["pairs"].items()}, {}, {}, stored["seconds"]), "cached"
    start = time.perf_counter()
    pairs: dict[str, list[TextPair]] = {}
    for item_id, g in gold.items():
        if not g.en_sentences or not g.ru_sentences:
            pairs[item_id] = []
            continue
        with warnings.catch_warnings():  # the peer's sparse search casts NaN paddings
            warnings.simplefilter("ignore", RuntimeWarning)
            result = sentalign(list(g.en_sentences), list(g.ru_sentences), embedder.embed,
                               alignment_max_size=PEER_MAX_SIZE)
        pairs[item_id] = [(" ".join(a.src_sentences), " ".join(a.tgt_sentences))
                          for a in result.alignments if a.src_sentences and a.tgt_sentences]
    seconds = time.perf_counter() - start
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"pairs": pairs, "seconds": seconds}, ensure_ascii=False), encoding="utf-8")
    return Run(pairs, {}, {}, seconds), "computed"


# --- tables ------------------------------------------------------------------------------

HEADER = f"{'kind':<10} {'system':<10} {'items':>5} {'bound':>6} {'pred':>5} {'gold':>5} " \
         f"{'sP':>6} {'sR':>6} {'sF1':>6} {'eF1':>6} {'lP':>6} {'lR':>6} {'lF1':>6} {'frag':>5}"


def _cells(c: Counts) -> list[str]:
    """P, R, F1 strict, exact F1, P, R, F1 lax, fragments; '-' where there is nothing to divide by."""
    out = []
    for p, r, f in (c.strict, c.lax):
        out += [f"{p:>6.3f}" if c.pred else f"{'-':>6}", f"{r:>6.3f}" if c.gold else f"{'-':>6}",
                f"{f:>6.3f}" if c.pred and c.gold else f"{'-':>6}"]
        if len(out) == 3:
            out.append(f"{c.exact_prf[2]:>6.3f}" if c.pred and c.gold else f"{'-':>6}")
    return out + [f"{c.fragments:>5}"]


def _row(kind: str, system: str, c: Counts, boundary: str | None = None) -> str:
    bound = boundary if boundary is not None else f"{c.boundary_acc:.3f}"
    numbers = " ".join(_cells(c))
    return f"{kind:<10} {system:<10} {c.items:>5} {bound:>6} {c.pred:>5} {c.gold:>5} {numbers}"


def quality_table(systems: list[tuple[str, dict[str, Counts], bool]]) -> str:
    """One table: per kind (``all`` first), one row per system."""
    kinds = ["all"] + sorted(k for k in systems[0][1] if k != "all")
    lines = [HEADER, "-" * len(HEADER)]
    for kind in kinds:
        for name, counts, true_boundary in systems:
            if kind in counts:
                lines.append(_row(kind, name, counts[kind], "true" if true_boundary else None))
    return "\n".join(lines)


def _by_kind(evaluation) -> dict[str, Counts]:
    return {"all": evaluation.overall, **evaluation.by_kind}


# --- errors ------------------------------------------------------------------------------

BOILERPLATE = [re.compile(p) for p in (
    r"^\s*date \d{4}-\d{2}-\d{2}",
    r"(?<!\w)Trend:",
    r"/\s*Trend\s*/",
    r"\b\d{1,2} [A-Z][a-z]+ \d{4} \d{1,2}:\d{2}",  # category/time line
    r"\(UTC[+-]\d",
    r"\b[A-Z][A-Z.'\-]{2,}(?: [A-Z][A-Z.'\-]+)*, [A-Z][\w.'\-]+(?:, [A-Z][\w.'\-]+)*, [A-Z][a-z]{2,8}\.? \d{1,2}\b",
    r"^[А-ЯЁ][А-ЯЁ\-]{2,}(?: [А-ЯЁ\-]+)* /",
)]


def has_boilerplate(text: str) -> bool:
    return any(p.search(text) for p in BOILERPLATE)


def _joinable(side: str, sentences: list[str], max_join: int = AlignParams().max_src) -> bool:
    """Whether ``side`` equals one to ``max_join`` consecutive sentence pieces joined by a space."""
    want = normalize(side)
    normal = [normalize(s) for s in sentences]
    return any(" ".join(normal[i:i + n]) == want
               for n in range(1, max_join + 1) for i in range(len(normal) - n + 1))


def _overlap(a: str, b: str) -> bool:
    x, y = word_set(a), word_set(b)
    return bool(x and y) and len(x & y) / min(len(x), len(y)) >= 0.5


def _size(ours: TextPair, gold: TextPair) -> str | None:
    """``bead too large`` / ``bead too small`` when one pair contains the other on a side."""
    (pe, pr), (ge, gr) = (normalize(ours[0]), normalize(ours[1])), (normalize(gold[0]), normalize(gold[1]))
    if (ge in pe and len(pe) > len(ge)) or (gr in pr and len(pr) > len(gr)):
        return "bead too large"
    if (pe in ge and len(pe) < len(ge)) or (pr in gr and len(pr) < len(gr)):
        return "bead too small"
    return None


def categorise(kind: str, side_gold: TextPair | None, side_pred: TextPair | None, g: GoldItem, boundary_ok: bool,
               preds: list[TextPair], en_sents: list[str], ru_sents: list[str], is_title: bool) -> list[str]:
    """Likely causes of one error: a missed gold pair (``side_gold``) or a wrong prediction (``side_pred``)."""
    cats: list[str] = []
    if not boundary_ok:
        cats.append("boundary wrong")
    title = (normalize(g.en_sentences[0]), normalize(g.ru_sentences[0])) if g.en_sentences and g.ru_sentences else None
    if side_gold is not None:
        near = [p for p in preds if _overlap(p[1], side_gold[1]) or _overlap(p[0], side_gold[0])]
        if not _joinable(side_gold[0], en_sents) or not _joinable(side_gold[1], ru_sents):
            cats.append("sentence split mismatch")
        if title and (normalize(side_gold[0]), normalize(side_gold[1])) == title:
            cats.append("title")
        if any(has_boilerplate(p[0]) or has_boilerplate(p[1]) for p in near):
            cats.append("boilerplate left in")
        sizes = {_size(p, side_gold) for p in near} - {None}
        cats.extend(sorted(sizes))
        if not near:
            cats.append("not paired (below threshold or skipped)")
        elif not sizes and any(_overlap(p[1], side_gold[1]) and not _overlap(p[0], side_gold[0]) for p in near):
            cats.append("wrong English sentence")
    if side_pred is not None:
        if has_boilerplate(side_pred[0]) or has_boilerplate(side_pred[1]):
            cats.append("boilerplate left in")
        if is_title or (title and normalize(side_pred[0]) == title[0]) or (title and normalize(side_pred[1]) == title[1]):
            cats.append("title")
        if not g.pairs:
            cats.append("pairs where none expected")
        elif not any(_overlap(side_pred[1], gp[1]) for gp in g.pairs):
            cats.append("unmatched Russian sentence paired anyway")
        else:
            near = [gp for gp in g.pairs if _overlap(side_pred[1], gp[1])]
            sizes = {_size(side_pred, gp) for gp in near} - {None}
            cats.extend(sorted(sizes))
            if any(not _joinable(gp[0], en_sents) or not _joinable(gp[1], ru_sents) for gp in near):
                cats.append("sentence split mismatch")
            if not sizes and all(not _overlap(side_pred[0], gp[0]) for gp in near):
                cats.append("wrong English sentence")
    return list(dict.fromkeys(cats)) or ["other"]


def _bialign_sentences(item: Item) -> tuple[list[str], list[str]]:
    from bialign.align.aligner import prepare

    prepared = prepare(item)
    return [s.text for s in prepared.en], [s.text for s in prepared.ru]


def collect_errors(items: list[Item], gold: dict[str, GoldItem], run: Run) -> list[dict]:
    errors = []
    texts = {i.id: i.text for i in items}
    for item in items:
        g = gold.get(item.id)
        if g is None:
            continue
        preds = run.pairs.get(item.id, [])
        judged = judge_pairs(g.pairs, preds)
        if all(judged.strict_gold) and all(judged.strict_pred):
            continue
        boundary_ok = segments_match(texts[item.id], g.segments, run.segments.get(item.id, []))
        en_sents, ru_sents = _bialign_sentences(item)
        scored = run.scored.get(item.id, [])
        base = {"item": item.id, "kind": g.kind, "boundary_ok": boundary_ok,
                "predicted_pairs": [{"en": p[0], "ru": p[1], "score": round(s, 4), "title": t} for p, s, t in scored],
                "gold_pairs": [{"en": p[0], "ru": p[1]} for p in g.pairs],
                "en_sentences": en_sents, "ru_sentences": ru_sents}
        for gp, found in zip(g.pairs, judged.strict_gold):
            if not found:
                cats = categorise(g.kind, gp, None, g, boundary_ok, preds, en_sents, ru_sents, False)
                errors.append({"error": "missed gold pair", "pair": {"en": gp[0], "ru": gp[1]}, "categories": cats, **base})
        for (pp, score, is_title), right in zip(scored, judged.strict_pred):
            if not right:
                cats = categorise(g.kind, None, pp, g, boundary_ok, preds, en_sents, ru_sents, is_title)
                errors.append({"error": "wrong predicted pair", "pair": {"en": pp[0], "ru": pp[1], "score": round(score, 4)},
                               "categories": cats, **base})
    return errors


def write_errors(path: Path, errors: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        if path.suffix == ".jsonl":
            for e in errors:
                out.write(json.dumps(e, ensure_ascii=False) + "\n")
            return
        for e in errors:
            out.write(f"=== {e['item']} ({e['kind']}) {e['error']}: {', '.join(e['categories'])}\n")
            out.write(f"  EN {e['pair']['en']}\n  RU {e['pair']['ru']}\n")
            if "score" in e["pair"]:
                out.write(f"  score {e['pair']['score']}\n")
            out.write(f"  boundary {'ok' if e['boundary_ok'] else 'WRONG'}\n  gold pairs:\n")
            for p in e["gold_pairs"]:
                out.write(f"    EN {p['en']}\n    RU {p['ru']}\n")
            out.write("  predicted pairs:\n")
            for p in e["predicted_pairs"]:
                out.write(f"    [{p['score']:.3f}{' title' if p['title'] else ''}] EN {p['en']}\n    {'':>7} RU {p['ru']}\n")
            out.write("  bialign sentences:\n")
            for lang in ("en", "ru"):
                for n, s in enumerate(e[f"{lang}_sentences"]):
                    out.write(f"    {lang}{n:<3} {s}\n")
            out.write("\n")


# --- main ----------------------------------------------------------------------------------

def _half(items: list[Item], half: str) -> list[Item]:
    """Half ``a`` (even positions) or ``b`` (odd positions) of a set: settings are chosen on
    one half and checked on the other."""
    return [item for k, item in enumerate(items) if k % 2 == "ab".index(half)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder", default="usem3")
    ap.add_argument("--set", dest="sets", action="append", choices=sorted(SETS),
                    help="data sets to score (default: those found: dev, editorial and the real pages)")
    ap.add_argument("--threshold", type=float, default=None, help="bialign's threshold (default: the library's)")
    ap.add_argument("--sweep", default=",".join(map(str, SWEEP)), help="thresholds for the precision/recall sweep ('' for none)")
    ap.add_argument("--errors", type=Path, help="write bialign's errors here (.jsonl or text)")
    ap.add_argument("--score-bins", type=float, nargs="?", const=0.3, default=None, metavar="T",
                    help="precision by score bin of a run at threshold T (default 0.3), all sets together")
    ap.add_argument("--bins", default=",".join(map(str, BINS)), help="cut points of the score bins")
    ap.add_argument("--no-peer", action="store_true", help="skip the peer")
    ap.add_argument("--refresh-peer", action="store_true", help="recompute the peer's cached pairs")
    a = ap.parse_args(argv)

    default = AlignParams().threshold
    threshold = a.threshold if a.threshold is not None else default
    embedder = CachedEmbedder(get_encoder(a.encoder))
    all_items: list[Item] = []
    all_gold: dict[str, GoldItem] = {}
    runs: dict[str, Run] = {}
    print(f"# encoder {embedder.signature()}, bialign threshold {threshold}")
    print("# bound = boundary accuracy (sentalign is given the true blocks and sentences); s = strict, "
          "e = exact, l = lax; P/R/F1 micro-averaged; frag = pairs with a piece of a sentence on a side")
    for name in a.sets or [name for name in SETS if SETS[name][0].exists()]:
        items_path, gold_path = SETS[name]
        gold = read_gold(gold_path)
        items = [r for r in read_items([items_path]) if isinstance(r, Item)]
        texts = {i.id: i.text for i in items}
        ours = run_bialign(items, embedder, a.encoder, threshold)
        runs[name] = ours
        all_items += items
        all_gold.update(gold)
        systems = [("bialign", _by_kind(evaluate(gold, ours.pairs, ours.segments, texts)), False)]
        peer_note = ""
        if not a.no_peer:
            peer, how = run_peer(gold, gold_path, embedder, a.refresh_peer)
            systems.append(("sentalign", _by_kind(evaluate(gold, peer.pairs)), True))
            peer_note = f", sentalign {peer.seconds:.1f}s ({how})"
        print()
        print(f"## {name}: {len(items)} items ({items_path})")
        print(quality_table(systems))
        print(f"# time: bialign {ours.seconds:.1f}s (embeddings included){peer_note}")
        halves = []
        for half in "ab":
            ids = {i.id for i in _half(items, half)}
            counts = evaluate({k: g for k, g in gold.items() if k in ids},
                              {k: v for k, v in ours.pairs.items() if k in ids}).overall
            halves.append(f"half {half} ({counts.items} items) strict F1 {counts.strict[2]:.4f}, "
                          f"fragments {counts.fragments}")
        print("# " + "; ".join(halves))
        if any(not all(g.sure) for g in gold.values()):
            sure_gold, sure_pairs = sure_only(gold, ours.pairs)
            counts = evaluate(sure_gold, sure_pairs).overall
            print(f"# sure pairs only ({counts.gold} of {sum(len(g.pairs) for g in gold.values())} gold pairs; predictions "
                  f"overlapping only the others are left out): strict P/R/F1 {counts.strict[0]:.4f}/{counts.strict[1]:.4f}/"
                  f"{counts.strict[2]:.4f}, exact F1 {counts.exact_prf[2]:.4f}")
        phenomena = recall_by_phenomenon(gold, ours.pairs)
        if phenomena:
            print("# strict recall by what the editor (or the agency's desk) did:")
            print(f"{'phen':<8} {'found':>5} {'gold':>5} {'recall':>6}")
            for tag, (hit, total) in phenomena.items():
                print(f"{tag:<8} {hit:>5} {total:>5} {hit / total:>6.3f}")

    pairs_all = {k: v for run in runs.values() for k, v in run.pairs.items()}
    sweep = [float(x) for x in a.sweep.split(",") if x.strip()]
    if sweep:
        if not any(abs(t - default) < 1e-9 for t in sweep):
            sweep = sorted(sweep + [default])
        print()
        print(f"# sweep over all sets: AlignParams() with only the threshold changed (titles keep "
              f"title_threshold {AlignParams().title_threshold})")
        print(f"{'threshold':>9} {'pred':>5} {'sP':>6} {'sR':>6} {'sF1':>6} {'eF1':>6} {'lP':>6} {'lR':>6} {'lF1':>6} {'frag':>5}")
        for t in sweep:
            pairs = pairs_all if abs(t - threshold) < 1e-9 else run_bialign(all_items, embedder, a.encoder, t).pairs
            c = evaluate(all_gold, pairs).overall
            marker = "  <- default" if abs(t - default) < 1e-9 else ""
            print(f"{t:>9.2f} {c.pred:>5} " + " ".join(_cells(c)) + marker)

    if a.score_bins is not None:
        low = run_bialign(all_items, embedder, a.encoder, a.score_bins)
        edges = [float(x) for x in a.bins.split(",") if x.strip()]
        print()
        print(f"# precision by pair score over all sets, bialign at threshold {a.score_bins} (titles: "
              f"title_threshold {AlignParams().title_threshold}); a pair is judged with the other pairs of its item;"
              " 'kept' = pairs at or above the bin's low edge and their strict precision")
        print(f"{'score':<11} {'pairs':>5} {'titles':>6} {'sRight':>6} {'sP':>6} {'lP':>6} {'kept':>5} {'keptP':>6}")
        scored = {k: [(p, s) for p, s, _ in v] for k, v in low.scored.items()}
        titles = [s for v in low.scored.values() for _, s, t in v if t]
        bins = precision_by_score(all_gold, scored, edges)
        for k, b in enumerate(bins):
            name = f"<{b.high:g}" if b.low == float("-inf") else f">={b.low:g}" if b.high == float("inf") \
                else f"{b.low:g}-{b.high:g}"
            n_titles = sum(b.low <= s < b.high for s in titles)
            sp = f"{b.strict_precision:>6.3f}" if b.pairs else f"{'-':>6}"
            lp = f"{b.lax_precision:>6.3f}" if b.pairs else f"{'-':>6}"
            kept = sum(x.pairs for x in bins[k:])
            kept_right = sum(x.strict_right for x in bins[k:])
            kp = f"{kept_right / kept:>6.3f}" if kept else f"{'-':>6}"
            print(f"{name:<11} {b.pairs:>5} {n_titles:>6} {b.strict_right:>6} {sp} {lp} {kept:>5} {kp}")

    if a.errors:
        merged = Run(pairs_all, {k: v for r in runs.values() for k, v in r.scored.items()},
                     {k: v for r in runs.values() for k, v in r.segments.items()}, 0.0)
        errors = collect_errors(all_items, all_gold, merged)
        write_errors(a.errors, errors)
        kinds = Counter(e["error"] for e in errors)
        cats = Counter(c for e in errors for c in e["categories"])
        print()
        print(f"# {len(errors)} errors written to {a.errors}: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
        print("# causes (an error may have several):")
        for cat, n in cats.most_common():
            print(f"{n:>5}  {cat}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
