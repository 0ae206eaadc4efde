"""A corpus with every kind of broken input runs to the end and accounts for every item."""

from __future__ import annotations

import base64
import gzip
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from lxml import etree

import hostile
from bialign import AlignConfig, Aligner, Item, ReadOptions, Rejected, read_items
from bialign.embed.hashing import HashingEmbedder
from bialign.records import Status
from conftest import DATA

DATE = "20240101T000000Z"


def bialign(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bialign", *args], capture_output=True, text=True)


def tmx_pairs(path: Path) -> list[tuple[str, str, str, float]]:
    """(item, en, ru, score) of every ``tu``, after validating the file against the TMX 1.4 DTD."""
    tree = etree.parse(str(path))
    dtd = etree.DTD(str(DATA / "tmx14.dtd"))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    out = []
    for tu in tree.iter("tu"):
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        segs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang"): tuv.findtext("seg") for tu_ in [tu]
                for tuv in tu_.findall("tuv")}
        out.append((props["x-bialign-item"], segs["en"], segs["ru"], float(props["x-bialign-score"])))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> hostile.Corpus:
    return hostile.build(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def hostile_run(corpus, tmp_path_factory):
    """One run of the real default encoder over the whole hostile corpus."""
    out = tmp_path_factory.mktemp("run")
    run = bialign("align", *corpus.paths, "-o", str(out / "pairs.tmx"), "--creation-date", DATE,
                  "--rejects", str(out / "rejects.jsonl"), "--report", str(out / "report.json"))
    return run, out


def test_hostile_corpus_runs_to_the_end_and_counts_add_up(corpus, hostile_run):
    run, out = hostile_run
    assert run.returncode == 1, run.stderr  # the corpus names a missing file: the run ends, then fails
    assert "no such input:" in run.stderr.splitlines()[-1] and "missing.txt" in run.stderr.splitlines()[-1]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["items"] == corpus.items
    assert report["items"] == report["aligned"] + report["no_pairs"] + report["rejected"]
    assert report["aligned"] >= 10 and report["rejected"] >= 20
    assert f"items read: {corpus.items}, aligned: {report['aligned']}" in run.stderr
    assert sum(v for k, v in report["reasons"].items() if k.startswith("rejected: ")) == report["rejected"]
    assert sum(v for k, v in report["reasons"].items() if k.startswith("no pairs: ")) == report["no_pairs"]
    assert len(tmx_pairs(out / "pairs.tmx")) == report["pairs"]
    assert not list(out.glob(".*.tmp")) and not list(out.glob("*.partial"))


def test_rejects_keep_the_original_content_exactly(corpus, hostile_run):
    _, out = hostile_run
    lines = (out / "rejects.jsonl").read_text(encoding="utf-8").split("\n")[:-1]
    rejects = [json.loads(line) for line in lines]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(rejects) == report["rejected"]
    by_line = {(Path(r["source"]).name, r["line"]): r for r in rejects}
    hostile_lines = hostile.hostile_lines(corpus.clean_ids[0])
    latin1 = by_line[("b-hostile.jsonl", 10)]
    assert latin1["raw"] is None and base64.b64decode(latin1["raw_b64"]) == hostile_lines[9].rstrip(b"\n")
    assert by_line[("b-hostile.jsonl", 1)]["raw"] == "not json at all"
    assert by_line[("b-hostile.jsonl", 19)]["reason"].startswith("duplicate id: 'seed-000' (first at ")
    binary = by_line[("d-binary.txt", None)]
    assert base64.b64decode(binary["raw_b64"]) == (Path(corpus.paths[0]) / "d-binary.txt").read_bytes()
    big = by_line[("c-big.jsonl", 1)]
    assert big["truncated"] and big["reason"].startswith("item too large") and len(big["raw"]) == 65_536
    assert ("missing.txt", None) in by_line and ("f-empty.txt", None) in by_line
    for record in rejects:
        assert set(record) == {"id", "source", "line", "reason", "raw", "raw_b64", "truncated"}
        assert (record["raw"] is None) != (record["raw_b64"] is None) or record["reason"].startswith(
            ("cannot read file", "no such file"))


def test_valid_items_give_the_pairs_of_a_clean_run(corpus, hostile_run, tmp_path):
    _, out = hostile_run
    clean = tmp_path / "clean.tmx"
    run = bialign("align", str(hostile.CLEAN), "-o", str(clean), "--creation-date", DATE)
    assert run.returncode == 0, run.stderr
    expected = tmx_pairs(clean)
    got = [p for p in tmx_pairs(out / "pairs.tmx") if p[0] in set(corpus.clean_ids)]
    assert [p[:3] for p in got] == [p[:3] for p in expected] and len(expected) > 20
    assert all(abs(a[3] - b[3]) <= 2e-4 for a, b in zip(got, expected))  # batch-level float noise at most
    others = [p for p in tmx_pairs(out / "pairs.tmx") if p[0] not in set(corpus.clean_ids)]
    assert {p[0] for p in others} >= {"h-ok", "h-crlf", "after-big"}


def test_other_languages_end_as_no_pairs():
    aligner = Aligner(AlignConfig(encoder="hashing"))
    for text, found in ((hostile.EN + "\n\n" + hostile.UK, "uk"), (hostile.EN + "\n\n" + hostile.KK_CYRILLIC, "kk"),
                        (hostile.RU + "\n\n" + hostile.AZ, "az"), (hostile.RU + "\n\n" + hostile.KK_LATIN, None)):
        result = aligner.align_item(Item("x", text))
        assert result.status == Status.NO_PAIRS and "not both English and Russian" in result.reason
        assert found is None or found in result.reason


def test_replace_mode_repairs_and_says_so(corpus, tmp_path):
    base = Path(corpus.paths[0])
    report = tmp_path / "report.json"
    run = bialign("align", str(base / "b-hostile.jsonl"), str(base / "e-latin1.txt"), "-e", "hashing",
                  "--encoding-errors", "replace", "-o", str(tmp_path / "p.jsonl"), "--report", str(report))
    assert run.returncode == 0, run.stderr
    counts = json.loads(report.read_text(encoding="utf-8"))
    assert counts["repaired"] == 4  # two files with bad bytes, two lone surrogates
    assert counts["reasons"]["repaired: invalid UTF-8 replaced"] == 2
    assert counts["items"] == counts["aligned"] + counts["no_pairs"] + counts["rejected"]
    assert "(repaired: 4)" in run.stderr
    items = {r.id: r for r in read_items([base / "e-latin1.txt"], ReadOptions(encoding_errors="replace"))}
    assert items["e-latin1"].text == "R\ufffdsum\ufffd of the caf\ufffd story."


def test_detect_accounts_for_every_item(corpus, tmp_path):
    report, rejects = tmp_path / "report.json", tmp_path / "rejects.jsonl"
    run = bialign("detect", *corpus.paths, "-o", str(tmp_path / "seg.jsonl"), "--report", str(report),
                  "--rejects", str(rejects))
    assert run.returncode == 1 and "missing.txt" in run.stderr.splitlines()[-1], run.stderr  # a missing input
    counts = json.loads(report.read_text(encoding="utf-8"))
    assert counts["items"] == corpus.items == counts["detected"] + counts["rejected"]
    segments = (tmp_path / "seg.jsonl").read_text(encoding="utf-8").split("\n")[:-1]
    assert len(segments) == counts["detected"]
    assert len(rejects.read_text(encoding="utf-8").split("\n")[:-1]) == counts["rejected"]


def test_max_chars_is_configurable_and_named_in_the_reason(tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "x" * 100}) + "\n" + json.dumps({"id": "b", "text": "short"}) + "\n",
                    encoding="utf-8")
    (tmp_path / "long.txt").write_text("y" * 500, encoding="utf-8")
    results = list(read_items([path, tmp_path / "long.txt"], ReadOptions(max_chars=50)))
    assert [type(r).__name__ for r in results] == ["Rejected", "Item", "Rejected"]
    assert "100 characters, limit 50 (--max-chars)" in results[0].reason
    assert "limit 50 characters (--max-chars)" in results[2].reason


def test_reading_an_oversized_line_is_bounded_in_memory(tmp_path):
    path = tmp_path / "big.jsonl"
    with open(path, "wb") as handle:
        handle.write(b'{"id": "big", "text": "')
        for _ in range(50):
            handle.write(b"a" * 1_000_000)
        handle.write(b'"}\n{"id": "next", "text": "fine"}\n')
    tracemalloc.start()
    try:
        results = list(read_items([path], ReadOptions(max_chars=100_000)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(results[0], Rejected) and results[0].truncated
    assert isinstance(results[1], Item) and results[1].id == "next"
    assert peak < 5_000_000  # the 50 MB line was never held whole


def test_truncated_gzip_keeps_the_items_before_the_break(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    whole = hostile.truncated_gzip(path)
    results = list(read_items([path]))
    assert [type(r) for r in results] == [Item] * whole + [Rejected]
    assert results[-1].line == whole + 1 and "cannot read file" in results[-1].reason
    txt = tmp_path / "cut.txt.gz"
    txt.write_bytes(gzip.compress(b"Some text that is long enough to be cut." * 20)[:30])
    [only] = list(read_items([txt]))
    assert isinstance(only, Rejected) and only.line is None


def test_duplicate_ids_are_rejected_or_kept(tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text("".join(json.dumps({"id": "same", "text": f"Text {i}."}) + "\n" for i in range(3)), encoding="utf-8")
    results = list(read_items([path]))
    assert isinstance(results[0], Item) and all(isinstance(r, Rejected) for r in results[1:])
    assert results[2].reason == f"duplicate id: 'same' (first at {path}:1)"
    assert all(isinstance(r, Item) for r in read_items([path], ReadOptions(duplicate_ids="keep")))


class _FailingEmbedder(HashingEmbedder):
    """The real hashing encoder, failing on one marked sentence (as a buggy model might)."""

    def _embed(self, texts):
        if any("Explode" in t for t in texts):
            raise RuntimeError("model failure")
        return super()._embed(texts)


def test_an_error_inside_the_pipeline_rejects_only_that_item():
    good = hostile.EN + "\n\n" + hostile.RU
    bad = good.replace("The vote was close", "Explode now")
    aligner = Aligner(AlignConfig(encoder="hashing"), embedder=_FailingEmbedder())
    results = list(aligner.align_items([Item("a", good), Item("b", bad), Item("c", good)]))
    assert [r.status for r in results] == [Status.NO_PAIRS, Status.REJECTED, Status.NO_PAIRS]
    assert results[1].reason == "internal error: RuntimeError: model failure" and results[1].rejection.raw == bad
