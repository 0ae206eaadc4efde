"""bialign.bench.evaluation gives the referee's numbers: checked by running the referee itself."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from bialign import Aligner, read_items
from bialign.errors import InputError
from bialign.bench.evaluation import (
    GoldItem, evaluate, lax_match, precision_by_score, read_gold, read_pairs, strict_cover,
)

SHARED = Path(os.environ.get("BIALIGN_SHARED", "/work/shared"))
REFEREE = SHARED / "eval" / "score.py"
DEV_ITEMS = SHARED / "data" / "dev" / "dev.items.jsonl"
DEV_GOLD = SHARED / "data" / "dev" / "dev.gold.jsonl"

needs_referee = pytest.mark.skipif(not REFEREE.exists() or not DEV_GOLD.exists(),
                                   reason=f"the referee and dev data are not at {SHARED} (set BIALIGN_SHARED)")


# --- the definitions, on small cases ---------------------------------------------------

def test_lax_needs_half_of_the_shorter_side_on_both_sides():
    gold = ("one two three four", "раз два три четыре")
    assert lax_match(("one two", "раз два"), gold)
    assert not lax_match(("one five six seven", "раз два"), gold)  # 1 of 4 English words: below half
    is_half = lax_match(("one two five six", "раз пять"), gold)
    assert is_half  # 2 of 4 and 1 of 2: exactly half counts
    assert not lax_match(("one two", "пять шесть"), gold)  # Russian side shares nothing
    assert not lax_match(("...", "раз"), gold)  # no word tokens on a side


def test_strict_cover_exact_or_tiles_in_russian_order():
    gold = ("A b. C d.", "А б. В г.")
    assert strict_cover(gold, [("x", "y"), ("A  b. C\nd.", "А б. В г.")]) == [1]
    assert strict_cover(gold, [("C d.", "В г."), ("A b.", "А б.")]) == [1, 0]
    assert strict_cover(gold, [("A b.", "А б.")]) is None  # half of it is not enough
    assert strict_cover(gold, [("A b.", "А б."), ("C d.", "В г."), ("b.", "б.")]) is None  # overlap spoils the tiling
    assert strict_cover(gold, [("A b. C d. E.", "А б. В г.")]) is None  # coarser is not inside


def test_nfkc_and_whitespace_are_ignored():
    gold = GoldItem("i", "k", (), (("11\u00a0million  people", "11\u00a0млн"),))
    result = evaluate({"i": gold}, {"i": [("11 million people", "11 млн")]})
    assert result.overall.strict == (1.0, 1.0, 1.0)


def test_pairs_of_unknown_items_are_an_error():
    with pytest.raises(InputError, match="not in gold"):
        evaluate({}, {"x": [("a", "b")]})


def test_precision_by_score_judges_pairs_within_their_item_and_bins_by_score():
    gold = {"i": GoldItem("i", "k", (), (("A b. C d.", "А б. В г."), ("E f.", "Д е."))),
            "j": GoldItem("j", "k", (), ())}
    scored = {
        "i": [(("A b.", "А б."), 0.45), (("C d.", "В г."), 0.72),  # tile the first gold pair together
              (("E f. G h.", "Д е."), 0.55)],  # too large: lax right, strict wrong
        "j": [(("X y.", "Х у."), 0.31)],  # no pairs expected
    }
    bins = precision_by_score(gold, scored, [0.4, 0.5, 0.7])
    assert [(b.low, b.high, b.pairs, b.strict_right, b.lax_right) for b in bins] == [
        (float("-inf"), 0.4, 1, 0, 0), (0.4, 0.5, 1, 1, 1), (0.5, 0.7, 1, 0, 1), (0.7, float("inf"), 1, 1, 1)]
    assert bins[2].strict_precision == 0.0 and bins[2].lax_precision == 1.0
    assert precision_by_score(gold, {}, [0.5])[0].strict_precision is None
    with pytest.raises(InputError, match="not in gold"):
        precision_by_score(gold, {"x": [(("a", "b"), 0.9)]}, [0.5])


# --- against the referee ------------------------------------------------------------------

def _write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _referee(items: Path, gold: Path, pairs: Path, segments: Path) -> dict:
    run = subprocess.run([sys.executable, str(REFEREE), "--items", str(items), "--gold", str(gold),
                          "--pairs", str(pairs), "--segments", str(segments), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def _ours(items: Path, gold: Path, pairs: Path, segments: Path) -> dict:
    texts = {r.id: r.text for r in read_items([items])}
    segs = {}
    for line in segments.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        segs[record["id"]] = [(s["lang"], s["start"], s["end"]) for s in record["segments"]]
    return evaluate(read_gold(gold), read_pairs(pairs), segs, texts).to_dict()


def _assert_same(referee: dict, ours: dict) -> None:
    assert set(referee) <= set(ours)
    assert {k: ours[k] for k in referee} == referee  # exact, floats included


def _perturbed(gold_records: list[dict], texts: dict[str, str], rng: random.Random):
    """Predicted pairs and segments made from gold by every kind of mistake and success."""
    pairs, segments = [], []
    for g in gold_records:
        others = [p for h in gold_records for p in h["pairs"] if h["id"] != g["id"]][:50]
        for p in g["pairs"]:
            roll = rng.random()
            en, ru = p["en"], p["ru"]
            if roll < 0.35:
                pairs.append({"id": g["id"], "en": " ".join(en.split()), "ru": ru})
            elif roll < 0.45:
                pairs.append({"id": g["id"], "src_lang": "ru", "tgt_lang": "en", "src": ru, "tgt": en})
            elif roll < 0.55 and en.count(". ") and ru.count(". "):  # finer pairs that tile it
                a, b = en.split(". ", 1)
                c, d = ru.split(". ", 1)
                pairs += [{"id": g["id"], "en": b, "ru": d}, {"id": g["id"], "en": a + ".", "ru": c + "."}]
            elif roll < 0.65:  # a word lost on one side: lax only
                pairs.append({"id": g["id"], "src_lang": "en", "tgt_lang": "ru", "src": en.rsplit(" ", 1)[0], "tgt": ru})
            elif roll < 0.72 and others:  # the wrong English sentence
                pairs.append({"id": g["id"], "en": rng.choice(others)["en"], "ru": ru})
            elif roll < 0.78:  # duplicated
                pairs += [{"id": g["id"], "en": en, "ru": ru}] * 2
            elif roll < 0.83:  # an empty side
                pairs.append({"id": g["id"], "en": "", "ru": ru})
            # else: missed
        if rng.random() < 0.15 and others:
            pairs.append({"id": g["id"], "en": rng.choice(others)["en"], "ru": rng.choice(others)["ru"]})
        text = texts[g["id"]]
        spans, cursor = [], 0
        for s in g["segments"]:
            start = text.find(s["text"].strip(), cursor)
            spans.append([s["lang"], start, start + len(s["text"].strip())])
            cursor = spans[-1][2]
        roll = rng.random()
        if roll < 0.1 and spans:
            spans[0][2] = max(spans[0][1], spans[0][2] - 12)  # boundary a little early
        elif roll < 0.2 and spans and spans[0][2] - spans[0][1] > 20:  # one block cut in two
            lang, start, end = spans[0]
            spans[0:1] = [[lang, start, start + 10], [lang, start + 10, end]]
        elif roll < 0.25:
            continue  # no segments for this item
        segments.append({"id": g["id"], "segments": [{"lang": a, "start": b, "end": c} for a, b, c in spans]})
    return pairs, segments


@needs_referee
@pytest.mark.parametrize("seed", [1, 2])
def test_same_numbers_as_referee_on_perturbed_dev(tmp_path, seed):
    gold_records = [json.loads(line) for line in DEV_GOLD.read_text(encoding="utf-8").splitlines()]
    texts = {r.id: r.text for r in read_items([DEV_ITEMS])}
    pairs, segments = _perturbed(gold_records, texts, random.Random(seed))
    files = (DEV_ITEMS, DEV_GOLD, _write_jsonl(tmp_path / "p.jsonl", pairs), _write_jsonl(tmp_path / "s.jsonl", segments))
    referee = _referee(*files)
    assert 0 < referee["strict_r"] < referee["lax_r"] < 1 and 0 < referee["boundary_acc"] < 1  # a real test
    _assert_same(referee, _ours(*files))


@needs_referee
def test_same_numbers_as_referee_on_bialign_output(tmp_path, default_embedder):
    results = list(Aligner(embedder=default_embedder).align_items(read_items([DEV_ITEMS])))
    pairs = [p.to_json() for r in results for p in r.pairs]
    segments = [{"id": r.id, "segments": [s.to_dict() for s in r.segments]} for r in results]
    files = (DEV_ITEMS, DEV_GOLD, _write_jsonl(tmp_path / "p.jsonl", pairs), _write_jsonl(tmp_path / "s.jsonl", segments))
    _assert_same(_referee(*files), _ours(*files))


def test_score_command_prints_the_evaluation(tmp_path, capsys):
    from bialign.cli import main
    from conftest import DATA

    gold = DATA / "editorial.gold.jsonl"
    first = json.loads(gold.read_text(encoding="utf-8").splitlines()[1])
    pairs = _write_jsonl(tmp_path / "p.jsonl", [{"id": first["id"], "en": p["en"], "ru": p["ru"]}
                                                 for p in first["pairs"][:2]])
    assert main(["score", "--gold", str(gold), "--pairs", str(pairs), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    total = sum(len(json.loads(line)["pairs"]) for line in gold.read_text(encoding="utf-8").splitlines())
    assert report["pairs_pred"] == 2 and report["pairs_gold"] == total
    assert report["strict_p"] == 1.0 and report["exact_r"] == 2 / total and report["fragments"] == 0
    assert set(report["recall_by_phenomenon"]) >= {"title", "para"}
    assert main(["score", "--gold", str(gold)]) == 2  # nothing to score: one line, exit 2
    assert "nothing to score" in capsys.readouterr().err


def test_sure_only_leaves_out_pairs_two_annotators_could_disagree_on():
    from bialign.bench.evaluation import sure_only

    gold = {"i": GoldItem.from_dict({"id": "i", "segments": [], "pairs": [
        {"en": "One two three.", "ru": "Раз два три."},
        {"en": "Four five six.", "ru": "Четыре пять шесть.", "sure": False}]})}
    pairs = {"i": [("One two three.", "Раз два три."), ("Four five six. Seven.", "Четыре пять шесть."), ("X y z.", "Икс.")]}
    kept_gold, kept_pairs = sure_only(gold, pairs)
    assert kept_gold["i"].pairs == (("One two three.", "Раз два три."),)
    assert kept_pairs["i"] == [("One two three.", "Раз два три."), ("X y z.", "Икс.")]  # a wrong pair stays wrong
    assert evaluate(kept_gold, kept_pairs).overall.strict[0] == 0.5


def test_score_refuses_an_items_file_as_gold_and_reads_every_pair_format(tmp_path):
    from bialign.cli import main
    from bialign.formats import open_writer, read_pairs as read_pair_file
    from conftest import DATA as data

    with pytest.raises(InputError, match=r"dev.items.jsonl:1: not a gold record.*looks like an items file"):
        read_gold(data / "dev.items.jsonl")
    pairs = list(read_pair_file(data / "dev_pairs.jsonl"))
    scored = {}
    for fmt in ("jsonl", "tsv", "tmx"):
        path = tmp_path / f"pairs.{fmt}"
        with open_writer(path, fmt) as writer:
            writer.write_all(pairs)
        scored[fmt] = evaluate(read_gold(data / "dev.gold.jsonl"), read_pairs(path)).to_dict()
    assert scored["tsv"] == scored["jsonl"] == scored["tmx"]
    with open_writer(tmp_path / "pairs.moses", "moses") as writer:
        writer.write_all(pairs)
    with pytest.raises(InputError, match="holds no item ids"):
        read_pairs(tmp_path / "pairs.moses")
    assert main(["score", "--gold", str(data / "dev.items.jsonl"), "--pairs", str(tmp_path / "pairs.jsonl")]) == 2
    assert main(["score", "--gold", str(data / "dev.gold.jsonl"), "--pairs", str(tmp_path / "pairs.tmx")]) == 0
