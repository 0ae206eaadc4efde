"""The review page: what it holds (plain tests of the builder) and how it behaves in Chromium."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bialign.cli import main
from bialign.review.decisions import ACCEPT, REJECT, apply_decisions, load_decisions, parse_decisions
from bialign.errors import InputError
from bialign.formats import open_writer, read_pairs
from bialign.text.items import read_items
from bialign.align.aligner import Aligner
from bialign.records import Item, Pair
from bialign.review import ItemView, item_sentences, load_review, render_review, sample_items

from browser import browser, page  # noqa: F401  (fixtures)
from conftest import DATA

SMALL = DATA / "dev_items_small.jsonl"
HOSTILE_ID = "x<i>\"'&"
HOSTILE = Item(HOSTILE_ID, (
    "date 2021-03-02 Parliament approves the new <script>document.title='pwned';window.pwned=1</script> budget\n\n"
    "The parliament approved the new budget <img src=x onerror=\"window.pwned=2\"> on Tuesday after a long debate. "
    "The vote was close, with many members absent. The budget raises spending on schools.\n\n"
    "Парламент утвердил новый бюджет <script>window.pwned=3</script>\n\n"
    "Парламент во вторник утвердил новый бюджет после долгих дебатов. Голосование было напряжённым."))
ENGLISH_ONLY = Item("english-only", "Oil prices rose on Monday. Traders expect more gains this week.")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, default_embedder):
    """Items (the small dev sample, an item with HTML in it, one without Russian), their pairs and rejects."""
    root = tmp_path_factory.mktemp("review")
    items = [r for r in read_items(SMALL) if isinstance(r, Item)] + [HOSTILE, ENGLISH_ONLY]
    items_path = root / "items.jsonl"
    items_path.write_text("".join(json.dumps({"id": i.id, "text": i.text}, ensure_ascii=False) + "\n" for i in items),
                          encoding="utf-8")
    results = list(Aligner(embedder=default_embedder).align_items(items))
    pairs = [p for r in results for p in r.pairs]
    pairs_path = root / "pairs.jsonl"
    with open_writer(pairs_path) as writer:
        writer.write_all(pairs)
    rejects_path = root / "rejects.jsonl"
    rejects_path.write_text(json.dumps({"id": "gone-1", "source": "crawl.jsonl", "line": 7,
                                        "reason": "not valid UTF-8 <b>"}) + "\n", encoding="utf-8")
    review = load_review(pairs_path, [items_path], rejects_path, embedder=default_embedder)
    html_path = root / "review.html"
    html_path.write_text(render_review(review), encoding="utf-8")
    return {"root": root, "items": items, "items_path": items_path, "pairs": pairs, "pairs_path": pairs_path,
            "rejects_path": rejects_path, "review": review, "html": html_path}


# --- the builder, without a browser -------------------------------------------------------

def test_sample_is_reproducible_uniform_and_in_input_order():
    items = [Item(f"i{n}", "text") for n in range(200)]
    first, read, rejected = sample_items(items, 20, seed=3)
    again, _, _ = sample_items(items, 20, seed=3)
    other, _, _ = sample_items(items, 20, seed=4)
    assert (read, rejected) == (200, 0)
    assert [i.id for i in first] == [i.id for i in again] != [i.id for i in other]
    positions = [int(i.id[1:]) for i in first]
    assert positions == sorted(positions) and len(set(positions)) == 20
    assert max(positions) > 100  # not simply the first items
    assert sample_items(items[:5], 20, seed=3)[0] == items[:5]


def test_page_holds_every_item_and_pair(corpus):
    review, html = corpus["review"], corpus["html"].read_text(encoding="utf-8")
    assert [v.item.id for v in review.views] == [i.id for i in corpus["items"]]
    assert sum(len(v.pairs) for v in review.views) == len(corpus["pairs"]) > 20
    assert html.count('<section class="item"') == len(corpus["items"])
    assert html.count('<tr class="pair"') == len(corpus["pairs"])
    assert "All 22 items are shown." in html
    assert sum(review.score_bins) + review.unknown_scores == review.pairs_total == len(corpus["pairs"])
    assert sum(review.pairs_per_item.values()) == 22
    assert review.pairs_per_item[0] == sum(1 for v in review.views if not v.pairs) >= 1
    assert "not valid UTF-8 &lt;b&gt;" in html  # the rejects file's reason, escaped
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html


def test_pair_indices_point_at_the_sentences_of_the_pair(corpus):
    for view in corpus["review"].views:
        for pair in view.pairs:
            assert " ".join(view.en[i].text for i in pair.src_index) == pair.src
            assert " ".join(view.ru[j].text for j in pair.tgt_index) == pair.tgt


def test_page_furniture_is_shown_grey_with_its_kind(corpus):
    html = corpus["html"].read_text(encoding="utf-8")
    kinds = {piece.kind for view in corpus["review"].views for piece in view.furniture}
    assert {"date", "dateline", "datetime", "source"} <= kinds
    for kind in kinds:
        assert f'class="gap furniture" title="set aside: {kind}"' in html
    assert '<span class="gap furniture" title="set aside: source">Trend:</span>' in html


def test_a_document_shows_what_the_aligner_set_aside_in_it(tmp_path):
    lines = {"en": "Annual report\nChapter one\n\nBAKU, Azerbaijan, Nov. 14. The port grew. Trade rose.\n",
             "ru": "Годовой отчёт\nГлава первая\n\nПорт вырос. Торговля выросла.\n"}
    items_path, pairs_path = tmp_path / "docs.jsonl", tmp_path / "pairs.jsonl"
    items_path.write_text(json.dumps({"id": "doc", **lines}, ensure_ascii=False) + "\n"
                          + json.dumps({"id": "split", "sentence_per_line": True, **lines}, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    pairs_path.write_text("", encoding="utf-8")
    raw, split = load_review(pairs_path, [items_path], encoder=None).views
    assert [s.text for s in raw.en][:2] == ["Annual report", "Chapter one"]  # a document keeps its head lines
    assert [piece.kind for piece in raw.furniture] == ["dateline"]
    assert not split.furniture and len(split.en) == 3  # one sentence a line: nothing set aside


def test_similarity_matrix_marks_the_chosen_beads(corpus):
    views = [v for v in corpus["review"].views if v.pairs]
    for view in views:
        assert view.matrix is not None and view.matrix.shape == (len(view.ru), view.window)
        assert float(abs(view.matrix).max()) <= 1.0 + 1e-5
        for pair in view.pairs:
            if len(pair.src_index) == len(pair.tgt_index) == 1:  # a 1-1 bead is one cell: its score is that cosine
                assert view.matrix[pair.tgt_index[0], pair.src_index[0]] == pytest.approx(pair.score, abs=0.02)
    html = corpus["html"].read_text(encoding="utf-8")
    cells = sum(len(p.src_index) * len(p.tgt_index) for v in views for p in v.pairs)
    assert html.count(' bead" aria-label="') == cells


def test_item_text_with_html_is_escaped(corpus):
    html = corpus["html"].read_text(encoding="utf-8")
    assert "<script>document.title" not in html and "<script>window.pwned" not in html
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt;" in html
    assert 'data-id="x&lt;i&gt;&quot;&#x27;&amp;"' in html
    assert html.count("<script>") == 1  # the page's own script only


def test_item_without_russian_is_shown_without_pairs(corpus):
    view = next(v for v in corpus["review"].views if v.item.id == "english-only")
    assert not view.pairs and "not both English and Russian" in view.reason


def test_reordered_and_long_pairs():
    item = Item("r", "x")
    pairs = [Pair("r", "a", "b", 0.9, (0,), (0,)), Pair("r", "c", "d", 0.8, (3,), (1,)),
             Pair("r", "e", "f", 0.7, (1, 2, 3), (2,)), Pair("r", "g", "h", 0.6, (4,), (3,))]
    view = ItemView(item, [], [], [], pairs)
    assert view.reordered == [2]
    assert view.long == [2]
    assert view.min_score == 0.6
    assert math.isnan(ItemView(item, [], [], [], []).min_score)


def test_sample_bounds_the_page(corpus, tmp_path):
    out = tmp_path / "sample.html"
    assert main(["review", str(corpus["pairs_path"]), "--items", str(corpus["items_path"]), "-o", str(out),
                 "--sample", "5", "--seed", "1", "--no-matrix", "-q"]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.count('<section class="item"') == 5
    assert "A uniform random sample of 5 of 22 items (reservoir sampling, seed 1)" in html
    assert 'class="matrix"' not in html
    assert out.stat().st_size < corpus["html"].stat().st_size


def test_review_errors_are_one_line(corpus, tmp_path, capsys):
    bad = tmp_path / "rejects.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    assert main(["review", str(corpus["pairs_path"]), "--items", str(corpus["items_path"]), "-o",
                 str(tmp_path / "r.html"), "--rejects", str(bad), "--no-matrix"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("bialign: ") and "rejects.jsonl:1: not a JSON line" in err and "\n" not in err
    assert not (tmp_path / "r.html").exists()
    assert main(["review", str(tmp_path / "none.jsonl"), "--items", str(corpus["items_path"]), "-o",
                 str(tmp_path / "r.html")]) == 2
    assert "none.jsonl: no such file" in capsys.readouterr().err
    assert main(["review", str(corpus["pairs_path"]), "--items", str(tmp_path / "no-items"), "-o",
                 str(tmp_path / "r.html"), "--no-matrix"]) == 2
    assert "no items read from" in capsys.readouterr().err


# --- the decisions file -------------------------------------------------------------------

def _decisions_file(path: Path, entries: list[dict]) -> Path:
    path.write_text(json.dumps({"format": "bialign-decisions", "version": 1, "decisions": entries}), encoding="utf-8")
    return path


def test_decisions_match_pairs_by_item_and_indices_in_any_order():
    decisions = parse_decisions({"format": "bialign-decisions", "version": 1, "decisions": [
        {"id": "a", "src_index": [2, 1], "tgt_index": [1], "decision": REJECT},
        {"id": "a", "src_index": [0], "tgt_index": [0], "decision": ACCEPT},
        {"id": "", "src_index": [], "tgt_index": [], "decision": REJECT, "src": "Hello  world", "tgt": "Привет"}]})
    pairs = [Pair("a", "t", "т", 0.9, (0,), (0,)), Pair("a", "x y", "х", 0.5, (1, 2), (1,)),
             Pair("b", "x y", "х", 0.5, (1, 2), (1,)), Pair("", "Hello world", "Привет", math.nan)]
    kept = list(apply_decisions(reversed(pairs), decisions))
    assert kept == [pairs[2], pairs[0]]
    assert decisions.counts() == {ACCEPT: 1, REJECT: 2}
    assert parse_decisions(decisions.to_dict()).by_key == decisions.by_key


@pytest.mark.parametrize("content, message", [
    ("[]", "not a decisions file"),
    ('{"format": "bialign-decisions", "version": 9, "decisions": []}', "version 9 is not supported"),
    ('{"format": "bialign-decisions", "version": 1, "decisions": [{"id": "a", "decision": "maybe"}]}',
     "decision 1: decision must be 'accept' or 'reject'"),
    ('{"format": "bialign-decisions", "version": 1, "decisions": [{"decision": "reject"}]}', "decision 1: missing key 'id'"),
    ("{oops", "not valid JSON"),
])
def test_bad_decisions_files_give_one_line_errors(tmp_path, content, message):
    path = tmp_path / "d.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_decisions(path)


def test_convert_and_testset_apply_decisions(corpus, tmp_path, capsys):
    pairs = corpus["pairs"]
    rejected = pairs[:3]
    decisions = _decisions_file(tmp_path / "d.json", [
        {"id": p.id, "src_index": list(p.src_index), "tgt_index": list(p.tgt_index), "decision": REJECT}
        for p in rejected] + [{"id": pairs[3].id, "src_index": list(pairs[3].src_index),
                               "tgt_index": list(pairs[3].tgt_index), "decision": ACCEPT}])
    out = tmp_path / "clean.tmx"
    assert main(["convert", str(corpus["pairs_path"]), str(out), "--decisions", str(decisions)]) == 0
    assert "3 pairs dropped as rejected, 1 accepted" in capsys.readouterr().err
    kept = [(p.id, p.src, p.tgt) for p in read_pairs(out)]
    assert kept == [(p.id, p.src, p.tgt) for p in pairs[3:]]
    assert main(["testset", str(corpus["pairs_path"]), "-o", str(tmp_path / "t"), "--decisions", str(decisions),
                 "--direction", "en-ru", "-q"]) == 0
    lines = (tmp_path / "t.src").read_text(encoding="utf-8").splitlines()
    assert lines == [" ".join(p.src.split()) for p in pairs[3:]]


def test_convert_with_a_missing_decisions_file_writes_nothing(corpus, tmp_path, capsys):
    out = tmp_path / "clean.tsv"
    assert main(["convert", str(corpus["pairs_path"]), str(out), "--decisions", str(tmp_path / "none.json")]) == 2
    assert "no such decisions file" in capsys.readouterr().err
    assert not out.exists()


def test_item_sentences_is_how_the_aligner_numbers_them(corpus):
    item = corpus["items"][0]
    segments, en, ru, reason = item_sentences(item)
    assert not reason and {s.lang for s in segments} == {"en", "ru"}
    assert en[0].is_title and ru[0].is_title


# --- in Chromium ----------------------------------------------------------------------------

def _open(page, path: Path):  # noqa: F811
    page.goto(path.as_uri())
    page.wait_for_selector("#triage:not([hidden])")
    return page


def test_browser_shows_the_items_and_pairs_of_the_input(page, corpus):  # noqa: F811
    _open(page, corpus["html"])
    ids = page.locator("section.item .item-id").all_inner_texts()
    assert ids == [i.id for i in corpus["items"]]
    rows = page.eval_on_selector_all(
        "tr.pair", "rows => rows.map(r => [r.dataset.id, r.dataset.src, r.dataset.tgt, "
                   "r.querySelector('td.src').textContent, r.querySelector('td.tgt').textContent])")
    expected = sorted((p.id, " ".join(map(str, p.src_index)), " ".join(map(str, p.tgt_index)), p.src, p.tgt)
                      for p in corpus["pairs"])
    assert sorted(map(tuple, rows)) == expected
    first = corpus["review"].views[0]
    tags = page.locator("#item-0 .block[lang=ru] .tag").all_inner_texts()
    assert tags == [f"P{n + 1} {p.score:.2f}" for n, p in enumerate(first.pairs)]
    assert page.locator("#shown").inner_text() == "22 of 22 items shown"
    assert page.errors == []


def test_browser_filter_and_sort_change_what_is_shown(page, corpus):  # noqa: F811
    _open(page, corpus["html"])
    views = corpus["review"].views
    page.select_option("#filter", "nopairs")
    shown = page.locator("section.item:visible .item-id").all_inner_texts()
    assert shown == [v.item.id for v in views if not v.pairs] and shown
    assert page.locator("#shown").inner_text() == f"{len(shown)} of 22 items shown"
    page.select_option("#filter", "low")
    page.fill("#below", "0.6")
    page.dispatch_event("#below", "change")
    low = page.locator("section.item:visible .item-id").all_inner_texts()
    assert sorted(low) == sorted(v.item.id for v in views if v.pairs and v.min_score < 0.6)
    page.select_option("#filter", "all")
    page.select_option("#sort", "score")
    ordered = page.locator("section.item:visible .item-id").all_inner_texts()
    scored = sorted((v for v in views if v.pairs), key=lambda v: v.min_score)
    assert ordered[:3] == [v.item.id for v in scored[:3]]
    assert len(ordered) == 22


def test_browser_decisions_export_and_apply(page, corpus, tmp_path):  # noqa: F811
    _open(page, corpus["html"])
    page.check("#item-0 tr.pair >> nth=0 >> input[value=reject]")
    page.check("#item-0 tr.pair >> nth=1 >> input[value=accept]")
    page.locator("#item-1 tr.pair").first.focus()  # keyboard: r rejects the focused pair, j moves on
    page.keyboard.press("r")
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.keyboard.press("u")  # ... and u takes the decision back
    assert page.locator("#decided").inner_text() == "3 decisions"
    with page.expect_download() as info:
        page.click("#export")
    path = tmp_path / "decisions.json"
    info.value.save_as(path)
    decisions = load_decisions(path)
    views = corpus["review"].views
    p0, p1, q0 = views[0].pairs[0], views[0].pairs[1], views[1].pairs[0]
    assert decisions.decision_for(p0) == REJECT and decisions.decision_for(p1) == ACCEPT
    assert decisions.decision_for(q0) == REJECT and decisions.decision_for(views[1].pairs[1]) is None
    page.reload()  # a new session: loading the exported file restores the decisions
    page.wait_for_selector("#triage:not([hidden])")
    assert page.locator("#decided").inner_text() == "0 decisions"
    page.set_input_files("#import", str(path))
    from playwright.sync_api import expect

    expect(page.locator("#decided")).to_have_text("3 decisions")
    assert page.locator("#item-0 tr.pair").first.get_attribute("class") == "pair rejected"
    assert page.locator("#item-0 tr.pair >> nth=1 >> input[value=accept]").is_checked()
    out = tmp_path / "clean.jsonl"
    assert main(["convert", str(corpus["pairs_path"]), str(out), "--decisions", str(path), "-q"]) == 0
    kept = [(p.id, p.src_index, p.tgt_index) for p in read_pairs(out)]
    assert len(kept) == len(corpus["pairs"]) - 2
    assert (p0.id, p0.src_index, p0.tgt_index) not in kept and (q0.id, q0.src_index, q0.tgt_index) not in kept


def test_browser_keys_n_then_j_reach_the_first_pair_of_the_item_reached(page, corpus):  # noqa: F811
    _open(page, corpus["html"])
    with_pairs = [f"item-{n}" for n, view in enumerate(corpus["review"].views) if view.pairs]
    first, second = with_pairs[0], with_pairs[1]
    page.locator(f"#{first} tr.pair").first.focus()
    page.keyboard.press("n")  # to the next item's heading
    page.keyboard.press("j")  # to that item's first pair (not the page's first pair)
    page.keyboard.press("r")
    rejected = page.eval_on_selector_all("tr.pair.rejected", "rows => rows.map(r => r.closest('section').id)")
    assert rejected == [second]
    assert page.evaluate("document.activeElement.closest('section').id") == second
    page.keyboard.press("n")
    page.keyboard.press("k")  # from a heading back: the last pair before that item
    assert page.evaluate("document.activeElement.closest('section').id") == second
    assert page.errors == []


def test_browser_item_with_html_runs_nothing(page, corpus):  # noqa: F811
    _open(page, corpus["html"])
    index = [i.id for i in corpus["items"]].index(HOSTILE_ID)
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.title() == corpus["review"].title
    english = page.locator(f"#item-{index} .block[lang=en]").inner_text()
    assert "<script>document.title='pwned';window.pwned=1</script>" in english
    assert '<img src=x onerror="window.pwned=2">' in english
    assert page.locator(f"#item-{index} .item-id").inner_text() == HOSTILE_ID
    assert page.locator("img").count() == 0 and page.locator("script").count() == 1


def test_page_reads_without_javascript(browser, corpus):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(corpus["html"].as_uri())
        assert tab.locator("section.item:visible").count() == 22
        assert tab.locator("tr.pair:visible").count() == len(corpus["pairs"])
        assert not tab.locator("#triage").is_visible()
        assert tab.locator("table.matrix:visible").count() > 0
    finally:
        context.close()
