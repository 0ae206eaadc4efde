"""The benchmark page (``bialign bench --html``): its content, and the page in Chromium."""

from __future__ import annotations

import dataclasses
import math

import pytest

from bialign.bench.page import TOP_SEGMENTS, buckets, sentence_chrf, spread
from bialign.cli import main
from bialign.formats import open_writer, read_pairs

from browser import browser, page  # noqa: F401  (fixtures)
from conftest import DATA

pytest.importorskip("sacrebleu")

HOSTILE = "<script>window.pwned=1;document.title='pwned'</script><img src=x onerror=\"window.pwned=2\">"


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    """Pairs with scores, three systems (one writes HTML), and the page ``bench --html`` wrote."""
    root = tmp_path_factory.mktemp("bench_html")
    pairs = [dataclasses.replace(p, score=0.45 + 0.1 * (n % 6)) for n, p in enumerate(read_pairs(DATA / "dev_pairs.jsonl"))]
    pairs_path = root / "pairs.jsonl"
    with open_writer(pairs_path) as writer:
        writer.write_all(pairs)
    refs = [" ".join(p.src.split()) for p in pairs]  # ru-en: the English side is the reference
    degraded = [" ".join(w for j, w in enumerate(r.split()) if (n + j) % 4) for n, r in enumerate(refs)]
    hostile = [HOSTILE] + refs[1:]
    files = {}
    for name, lines in (("degraded", degraded), ("hostile", hostile)):
        files[name] = root / f"{name}.en"
        files[name].write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    html = root / "bench.html"
    assert main(["bench", str(pairs_path), "--system", f"degraded={files['degraded']}", "--system",
                 f"hostile={files['hostile']}", "--system", "untranslated=cat", "--samples", "200",
                 "--html", str(html), "-q"]) == 0
    return {"pairs": pairs, "refs": refs, "outputs": [degraded, hostile], "html": html}


def test_buckets_cover_every_segment_once():
    values = [3.0, 10.0, 12.0, 55.0, math.nan, 29.9]
    groups = buckets(values, (10, 20, 30, 50), " words")
    assert [g.label for g in groups] == ["below 10 words", "10–20 words", "20–30 words", "30–50 words",
                                         "50 words or more", "unknown"]
    assert [g.indices for g in groups] == [(0,), (1, 2), (5,), (), (3,), (4,)]


def test_spread_is_best_minus_worst():
    chrf = sentence_chrf(["the cat sat", "a dog"], [("a", ["the cat sat", "a dog"]), ("b", ["cat", "a dog"])])
    assert chrf[0] == [100.0, 100.0]
    gap = spread(chrf)
    assert gap[0] > 30 and gap[1] == 0.0


def test_page_holds_table_plot_and_segment_views(bench_run, capsys):
    html = bench_run["html"].read_text(encoding="utf-8")
    for name in ("degraded", "hostile", "untranslated"):
        assert f'<th scope="row">{name}</th>' in html
    assert html.count("baseline</td>") == 4  # the baseline row, one per metric
    assert '<span class="sig">*</span></td>' in html  # untranslated differs from the baseline
    assert "<svg" in html and "95% bootstrap intervals" in html
    n = len(bench_run["pairs"])
    assert f"The {min(TOP_SEGMENTS, n)} segments (of {n}) with the largest gap" in html
    assert "By source length (words)" in html and "By alignment score" in html
    assert "0.5–0.6" in html and "0.8 or more" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_system_output_with_html_is_escaped(bench_run):
    html = bench_run["html"].read_text(encoding="utf-8")
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.pwned=1;" in html
    assert "<script>" not in html  # the bench page needs no script at all


def test_browser_bench_page(page, bench_run):  # noqa: F811
    page.goto(bench_run["html"].as_uri())
    systems = page.locator("table.systems tbody th").all_inner_texts()
    assert systems == ["degraded", "hostile", "untranslated"]
    top = page.locator("#top-h + table.segments tbody tr")
    assert top.count() == min(TOP_SEGMENTS, len(bench_run["pairs"]))
    first = top.first.locator("td").all_inner_texts()
    index = int(top.first.locator("th").inner_text()) - 1
    assert first[2] == bench_run["refs"][index]  # source, reference, then each system's output and chrF
    assert first[3] == bench_run["outputs"][0][index]
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.title().startswith("bialign bench")
    hostile_cells = page.eval_on_selector_all(
        "table.segments tbody tr", "rows => rows.filter(r => r.querySelector('th').textContent === '1')"
                                   ".map(r => r.querySelectorAll('td')[5].textContent)")
    assert hostile_cells and all(cell == HOSTILE for cell in hostile_cells)
    details = page.locator("#length-h ~ details").first
    assert not details.locator("table").is_visible()
    details.locator("summary").click()
    assert details.locator("table").is_visible()
    assert page.errors == []
