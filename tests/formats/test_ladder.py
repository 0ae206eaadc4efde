"""Full alignments: every sentence in a bead, Vecalign's ladder format, and Vecalign's scores.

The reference reading and scoring below follow Vecalign's documentation (its README and the
description of its ``score.py``: one bead a line, ``[src indices]:[tgt indices]:cost``;
strict and lax precision over the test beads, recall as precision with gold and test swapped
and the beads with an empty side left out), written here independently of bialign's code.
"""

from __future__ import annotations

import ast
import json

import pytest

from bialign.bench.evaluation import alignment_scores
from bialign.errors import InputError
from bialign.formats.ladder import BeadsOutput, beads_of, read_beads, read_ladder, write_ladder
from bialign.records import ItemResult, Pair, Status


def _result(pairs: list[tuple[tuple[int, ...], tuple[int, ...], float]], sentences: tuple[int, int]) -> ItemResult:
    return ItemResult("doc", Status.ALIGNED, tuple(Pair("doc", "e", "r", score, en, ru) for en, ru, score in pairs),
                      sentences=sentences)


def test_every_sentence_is_in_one_bead_in_order():
    result = _result([((0,), (0,), 0.9), ((2, 3), (1,), 0.7), ((5,), (3, 4), 0.6)], (7, 6))
    beads = beads_of(result)
    assert [(b.en, b.ru) for b in beads] == [((0,), (0,)), ((1,), ()), ((2, 3), (1,)), ((4,), ()), ((), (2,)),
                                             ((5,), (3, 4)), ((6,), ()), ((), (5,))]
    assert sorted(i for b in beads for i in b.en) == list(range(7))
    assert sorted(j for b in beads for j in b.ru) == list(range(6))
    assert beads[1].score is None and beads[1].cost == 1.0 and beads[0].cost == pytest.approx(0.1)


def test_ladder_and_jsonl_beads_round_trip(tmp_path):
    beads = beads_of(_result([((0,), (0,), 0.9), ((2, 3), (1,), 0.75)], (5, 3)))
    with open(tmp_path / "doc.ladder", "w", encoding="utf-8") as handle:
        write_ladder(handle, beads)
    assert (tmp_path / "doc.ladder").read_text(encoding="utf-8").splitlines()[:3] == \
        ["[0]:[0]:0.1000", "[1]:[]:1.0000", "[2, 3]:[1]:0.2500"]
    assert [(b.en, b.ru) for b in read_ladder(tmp_path / "doc.ladder")] == [(b.en, b.ru) for b in beads]
    with BeadsOutput(tmp_path / "beads.jsonl") as output:
        output.write(_result([((0,), (0,), 0.9), ((2, 3), (1,), 0.75)], (5, 3)))
    assert [(b.en, b.ru, b.score) for b in read_beads(tmp_path / "beads.jsonl")["doc"]] == \
        [(b.en, b.ru, None if b.score is None else round(b.score, 4)) for b in beads]


def test_a_malformed_ladder_line_is_named(tmp_path):
    (tmp_path / "bad.ladder").write_text("[0]:[0]:0.1\n0-0 0.1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.ladder:2: not a line of the ladder format"):
        read_ladder(tmp_path / "bad.ladder")


# --- Vecalign's scores, read and computed from its documentation --------------------------

def _documented_read(text: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """A ladder as Vecalign documents it: 'src:tgt:cost', the index lists written as Python lists."""
    beads = []
    for line in text.splitlines():
        if line.strip():
            src, tgt, _cost = line.split(":")
            beads.append((tuple(ast.literal_eval(src)), tuple(ast.literal_eval(tgt))))
    return beads


def _documented_counts(gold, test):
    """(strict hits, strict misses, lax hits, lax misses) of ``test`` beads against ``gold``."""
    gold_set = {g for g in gold if g[0] or g[1]}
    strict_hit = strict_miss = lax_hit = lax_miss = 0
    for src, tgt in {t for t in test if t[0] or t[1]}:
        if (src, tgt) in gold_set:
            strict_hit += 1
            lax_hit += 1
            continue
        strict_miss += 1
        overlap = any(set(src) & set(g_src) and set(tgt) & set(g_tgt) for g_src, g_tgt in gold_set)
        lax_hit, lax_miss = (lax_hit + 1, lax_miss) if overlap else (lax_hit, lax_miss + 1)
    return strict_hit, strict_miss, lax_hit, lax_miss


def _documented_scores(gold_text: str, test_text: str) -> dict[str, float]:
    gold, test = _documented_read(gold_text), _documented_read(test_text)
    precision = _documented_counts(gold, test)
    both = [b for b in gold if b[0] and b[1]], [b for b in test if b[0] and b[1]]
    recall = _documented_counts(both[1], both[0])
    out = {}
    for name, (hit, miss), (found, lost) in (("strict", precision[:2], recall[:2]), ("lax", precision[2:], recall[2:])):
        p, r = hit / (hit + miss), found / (found + lost)
        out[name] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def test_bialign_scores_ladders_as_vecalign_documents_it(tmp_path):
    gold = "[0]:[0]:0.1\n[1]:[]:0.5\n[2, 3]:[1]:0.2\n[4]:[2]:0.3\n[]:[3]:0.4\n[5]:[4, 5]:0.1\n"
    tests = {
        "itself": gold,
        "finer and coarser": "[0]:[0]:0.1\n[1]:[]:0.5\n[2]:[1]:0.2\n[3]:[]:0.5\n[4]:[2, 3]:0.3\n[5]:[4, 5]:0.1\n",
        "shifted": "[0, 1]:[0]:0.1\n[2]:[1]:0.2\n[3, 4]:[2]:0.3\n[]:[3]:0.4\n[5]:[4]:0.1\n[]:[5]:0.6\n",
    }
    (tmp_path / "gold.ladder").write_text(gold, encoding="utf-8")
    for name, text in tests.items():
        (tmp_path / "test.ladder").write_text(text, encoding="utf-8")
        ours = alignment_scores({"d": read_ladder(tmp_path / "gold.ladder")}, {"d": read_ladder(tmp_path / "test.ladder")})
        expected = _documented_scores(gold, text)
        assert ours.strict[2] == pytest.approx(expected["strict"]), name
        assert ours.lax[2] == pytest.approx(expected["lax"]), name
    itself = alignment_scores({"d": read_ladder(tmp_path / "gold.ladder")}, {"d": read_ladder(tmp_path / "gold.ladder")})
    assert itself.strict == itself.lax == (1.0, 1.0, 1.0)


def test_score_reads_ladders_and_adds_the_referees_scores_on_texts(tmp_path, capsys):
    from bialign.cli import main

    (tmp_path / "en.txt").write_text("A one.\nB two.\nC three.\n", encoding="utf-8")
    (tmp_path / "ru.txt").write_text("А один.\nВ два. С три.\n", encoding="utf-8")
    (tmp_path / "gold.ladder").write_text("[0]:[0]:0.1\n[1, 2]:[1]:0.2\n", encoding="utf-8")
    (tmp_path / "test.ladder").write_text("[0]:[0]:0.1\n[1]:[1]:0.2\n[2]:[]:1.0\n", encoding="utf-8")
    assert main(["score", "--gold", str(tmp_path / "gold.ladder"), "--beads", str(tmp_path / "test.ladder"),
                 "--en", str(tmp_path / "en.txt"), "--ru", str(tmp_path / "ru.txt"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["vecalign_strict_p"] == pytest.approx(1 / 3, abs=1e-4) and report["vecalign_strict_r"] == 0.5
    assert report["strict_r"] == 0.5 and report["lax_r"] == 1.0  # the referee's, on the texts
