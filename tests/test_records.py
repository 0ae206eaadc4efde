"""The records everything shares, their one JSON form each, and their place at the bottom of the package."""

from __future__ import annotations

import ast
import dataclasses
import json
import math

import pytest

import bialign
from bialign import records
from bialign.errors import BialignError
from bialign.records import DocumentPair, Item, ItemResult, Outcome, Pair, Rejected, Status
from bialign.run.journal import JOURNAL_VERSION, Journal
from conftest import ROOT

PAIR = Pair("n-1", "He said so.\u2028Twice.", "Он так сказал.", 0.812345678, (1, 2), (1,), False)
TITLE = Pair("n-1", "Title", "Заголовок", 0.9, (0,), (0,), True)


def test_pair_json_is_the_jsonl_record_and_reads_back():
    record = PAIR.to_json()
    assert list(record) == ["id", "src_lang", "tgt_lang", "src", "tgt", "score", "src_index", "tgt_index", "title"]
    assert set(record) == {field.name for field in dataclasses.fields(Pair)}
    assert record["score"] == 0.8123 and record["src_index"] == [1, 2]
    back = Pair.from_json(json.loads(json.dumps(record)))
    assert back == dataclasses.replace(PAIR, score=0.8123)
    assert Pair.from_json(TITLE.to_json()) == TITLE


def test_an_unknown_score_is_null_and_reads_back_as_nan():
    record = dataclasses.replace(PAIR, score=math.nan).to_json()
    assert record["score"] is None
    assert math.isnan(Pair.from_json(record).score)


def test_a_minimal_record_takes_the_defaults():
    pair = Pair.from_json({"src": "Hi", "tgt": "Привет"}, "en", "ru")
    assert pair == Pair("", "Hi", "Привет", pair.score, (), (), False, "en", "ru") and math.isnan(pair.score)


@pytest.mark.parametrize("rejection", [
    Rejected("a.jsonl", 3, "not JSON", "{oops", None),
    Rejected("b.txt", None, "not valid UTF-8", "", "b", "/w==", True),
])
def test_a_rejection_is_one_rejects_line_and_reads_back(rejection):
    line = rejection.to_json()
    assert list(line) == ["id", "source", "line", "reason", "raw", "raw_b64", "truncated"]
    assert (line["raw"] is None) == bool(rejection.raw_b64)
    assert Rejected.from_json(json.loads(json.dumps(line))) == rejection


def test_a_failed_item_is_rejected_with_its_text():
    pair = DocumentPair.of("d", "English.", "Русский.", source="docs.jsonl", line=4)
    rejection = Rejected.of(pair, "internal error: boom")
    assert rejection == Rejected("docs.jsonl", 4, "internal error: boom", "English.\n\nРусский.", "d")
    assert rejection.original() == pair.text.encode("utf-8")
    already = Rejected("x", 1, "why")
    assert Rejected.of(already, "why") is already and Rejected.of(already, "other").reason == "other"


def test_status_is_an_enum_that_reads_as_its_name_in_files():
    result = ItemResult("a", "no_pairs", reason="no text")
    assert result.status is Status.NO_PAIRS and result.status == "no_pairs" and f"{result.status}" == "no_pairs"
    with pytest.raises(ValueError):
        ItemResult("a", "done")
    rejected = ItemResult.rejected(Rejected("a.jsonl", 2, "bad", "{"))
    assert (rejected.id, rejected.status, rejected.rejection.raw) == ("a.jsonl:2", Status.REJECTED, "{")


@pytest.mark.parametrize("result", [
    ItemResult("n-1", Status.ALIGNED, (TITLE, dataclasses.replace(PAIR, score=0.8123)), source="c.jsonl", line=1),
    ItemResult.rejected(Rejected("c.jsonl", 2, "not JSON", "", None, "/w==")),
])
def test_an_outcome_reads_back_from_its_journal_form(result):
    outcome = Outcome(7, result, "replaced invalid UTF-8")
    assert Outcome.from_json(json.loads(json.dumps(outcome.to_json()))) == outcome


def test_a_journal_of_another_version_is_refused(tmp_path):
    journal = Journal(tmp_path / "out.jsonl.partial")
    assert journal.open({"a": 1}, "20240101T000000Z") == (0, "20240101T000000Z")
    state = json.loads(journal.state_path.read_text(encoding="utf-8"))
    assert state["version"] == JOURNAL_VERSION
    journal.state_path.write_text(json.dumps({**state, "version": JOURNAL_VERSION - 1}), encoding="utf-8")
    with pytest.raises(BialignError, match="another version"):
        journal.open({"a": 1}, "20240101T000000Z")


def test_records_sit_at_the_bottom_and_are_exported():
    tree = ast.parse((ROOT / "bialign" / "records.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level}
    assert imported == {"errors"}
    for name in records.__all__:
        if name[0].isupper() and name not in ("DOCUMENT_SEPARATOR", "ReadResult"):
            assert getattr(bialign, name) is getattr(records, name), name
    assert Item is bialign.Item
