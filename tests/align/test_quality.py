"""Quality guard: dev and editorial aligned from raw text, scored with the referee's rules.

The floors sit a little under what bialign reaches (docs/quality.md); a change that loses
pairs, or writes a single piece of a sentence, fails here.
"""

from __future__ import annotations

import pytest

from bialign import Aligner, DocumentPair, Item, read_items
from bialign.bench.evaluation import evaluate, read_gold, recall_by_phenomenon
from bialign.text.sentences import written_form
from conftest import DATA

FLOORS = {"dev": 0.96, "editorial": 0.95}
PHENOMENON_FLOOR = 0.85  # every phenomenon the editor used


@pytest.fixture(scope="module")
def scored(default_embedder):
    aligner = Aligner(embedder=default_embedder)
    out = {}
    for name in FLOORS:
        items = [r for r in read_items(DATA / f"{name}.items.jsonl") if isinstance(r, Item)]
        gold = read_gold(DATA / f"{name}.gold.jsonl")
        results = list(aligner.align_items(items))
        pairs = {r.id: [(p.src, p.tgt) for p in r.pairs] for r in results}
        segments = {r.id: [(s.lang, s.start, s.end) for s in r.segments] for r in results}
        texts = {i.id: i.text for i in items}
        out[name] = (evaluate(gold, pairs, segments, texts), recall_by_phenomenon(gold, pairs), results, texts)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_strict_f1_stays_above_the_floor_with_no_fragments(scored, name):
    evaluation = scored[name][0]
    counts = evaluation.overall
    assert counts.fragments == 0
    assert counts.boundary_acc == 1.0
    assert counts.strict[2] >= FLOORS[name], counts


@pytest.mark.slow
def test_every_editorial_phenomenon_is_recalled(scored):
    phenomena = scored["editorial"][1]
    assert {"order", "merge", "split", "skip", "extra", "attr", "trim", "num", "para"} <= set(phenomena)
    low = {tag: hit / total for tag, (hit, total) in phenomena.items() if hit / total < PHENOMENON_FLOOR}
    assert not low, low


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_every_written_pair_is_text_of_the_input(scored, name):
    """Whitespace collapsed and HTML entities decoded, each side of each pair is in its item."""
    results, texts = scored[name][2:]
    sides = [(r.id, side) for r in results for p in r.pairs for side in (p.src, p.tgt)]
    assert len(sides) > 300
    missing = [(i, side) for i, side in sides if side not in written_form(texts[i])]
    assert not missing, missing[:3]


@pytest.mark.slow
def test_every_pair_of_documents_is_text_of_the_documents(default_embedder):
    """Two-document mode: the blocks of dev items as separate documents, raw text in."""
    gold = read_gold(DATA / "dev.gold.jsonl")
    documents = [item for item in gold.values() if len(item.segments) == 2][:20]
    aligner = Aligner(embedder=default_embedder)
    checked = 0
    for item in documents:
        texts = dict(item.segments)
        pair = DocumentPair.of(item.id, texts["en"], texts["ru"])
        for p in aligner.align_item(pair).pairs:
            assert p.src in written_form(texts["en"]), p.src
            assert p.tgt in written_form(texts["ru"]), p.tgt
            checked += 1
    assert checked > 40
