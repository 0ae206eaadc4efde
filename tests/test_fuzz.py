"""Property tests: arbitrary text and bytes through reader -> detect -> split -> align -> write."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import hostile
from bialign import AlignConfig, Aligner, Item, Rejected, detect_segments, read_items
from bialign.embed import get_encoder
from bialign.formats import open_writer
from bialign.formats.moses import moses_paths
from bialign.formats.tmx import xml_safe
from bialign.align.aligner import prepare
from bialign.records import Pair, Status
from bialign.text.sentences import collapse_whitespace

PIECES = [
    "the", "Parliament", "approved", "budget", "said", "Mr.", "U.S.", "Nov. 14", "BAKU, Azerbaijan, Nov. 14",
    "Trend:", "date 2020-11-14", "Politics 14 November 2020 16:21 (UTC+04:00)", "Парламент", "утвердил", "бюджет",
    "г.", "БАКУ /Trend/ -", "Trend", "2020", "ї", "қазақ", "əli", "Ыы", ". ", "! ", "? ", "…", "«", "»", "\"", "(",
    ")", " - ", "\n", "\n\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\u200b", "\u200d", "\u202e", "\u2066",
    "\ufeff", "\t", "\x01", "\x1b", "\x0b", "\x0c", "\x1c", "\x7f", "\ufffd", "\ufffe", "😀", "e\u0301", " ", "  ",
]
fragment = st.one_of(st.sampled_from(PIECES), st.text(max_size=6))
texts = st.lists(fragment, max_size=80).map("".join)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ALIGNER = Aligner(AlignConfig(encoder="hashing"))


def _check_result(item: Item, result) -> None:
    assert result.status in tuple(Status)
    assert result.status != Status.REJECTED, result.reason  # nothing inside the pipeline may fail
    assert (result.status == Status.ALIGNED) == bool(result.pairs)
    prepared = prepare(item)
    for pair in result.pairs:
        assert pair.src and pair.tgt
        assert all(0 <= i < len(prepared.en) for i in pair.src_index)
        assert all(0 <= j < len(prepared.ru) for j in pair.tgt_index)
    for sentence in prepared.en + prepared.ru:
        assert 0 <= sentence.start <= sentence.end <= len(item.text)


@SETTINGS
@given(texts)
def test_detection_covers_the_text_in_order(text):
    segments = detect_segments(text)
    position = 0
    for segment in segments:
        assert position <= segment.start <= segment.end <= len(text)
        position = segment.end
    if segments:
        assert segments[-1].end == len(text)


@SETTINGS
@given(st.lists(texts, min_size=1, max_size=4))
def test_reader_and_pipeline_never_fail(batch):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "items.jsonl"
        path.write_text("".join(json.dumps({"id": f"i{n}", "text": t}, ensure_ascii=False) + "\n"
                                for n, t in enumerate(batch)), encoding="utf-8")
        records = list(read_items([path]))
        assert len(records) == len(batch)  # one record per line, whatever the text holds
        results = list(ALIGNER.align_items(records))
    assert len(results) == len(records)
    for record, result in zip(records, results):
        if isinstance(record, Rejected):
            assert result.status == Status.REJECTED and record.reason
        else:
            assert record.text == batch[int(record.id[1:])]
            _check_result(record, result)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["x.jsonl", "x.txt", "x.jsonl.gz", "x.txt.gz"]))
def test_reader_accounts_for_arbitrary_bytes(data, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        records = list(read_items([path]))
    if name == "x.txt" or name.endswith(".gz"):
        assert len(records) == 1 or name == "x.jsonl.gz"
    else:
        assert len(records) == sum(1 for line in data.split(b"\n") if line.strip())
    for record in records:
        if isinstance(record, Rejected):
            assert record.reason
            if name == "x.txt":
                assert record.original() == data  # the rejects file can give back the exact bytes
            elif name == "x.jsonl":
                assert record.original() in data
        else:
            assert record.text.strip() and "\x00" not in record.text


def _write_and_read_back(pairs: list[Pair], directory: Path) -> None:
    for fmt in ("jsonl", "tsv", "tmx", "moses"):
        out = directory / f"pairs.{fmt}"
        with open_writer(out, fmt, {"bialign": "test"}, creation_date="20240101T000000Z") as writer:
            writer.write_all(pairs)
        if fmt == "jsonl":
            records = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n")[:-1]]
            assert [(r["src"], r["tgt"]) for r in records] == [(p.src, p.tgt) for p in pairs]
        elif fmt == "tsv":
            rows = out.read_text(encoding="utf-8").splitlines()
            assert len(rows) == len(pairs) and all(len(r.split("\t")) == 4 for r in rows)
        elif fmt == "tmx":
            tree = etree.parse(str(out), etree.XMLParser(resolve_entities=False))
            segs = [s.text or "" for s in tree.iter("seg")]
            assert segs == [xml_safe(t) for p in pairs for t in (p.src, p.tgt)]
        else:
            for side in moses_paths(out):
                assert len(side.read_text(encoding="utf-8").splitlines()) == len(pairs)


@SETTINGS
@given(st.lists(st.tuples(texts, texts), max_size=5))
def test_writers_parse_back_whatever_the_text(raw_pairs):
    pairs = [Pair(f"id{n}", collapse_whitespace(a) or "a", collapse_whitespace(b) or "b", 0.5)
             for n, (a, b) in enumerate(raw_pairs)]
    with tempfile.TemporaryDirectory() as tmp:
        _write_and_read_back(pairs, Path(tmp))


HARD = [
    hostile.EN.replace("\n", "\r") + "\r\r" + hostile.RU.replace(" ", "\u200b ", 9),
    hostile.EN + "\u2028\u0085" + hostile.RU + "\x01\x1b[0m",
    "\n".join(f"Sentence {i} in English. Предложение {i} по-русски." for i in range(40)),
    "A" * 10_000 + ". " + "Б" * 10_000 + ".",
    hostile.EN + "\n\n" + hostile.UK + "\n\n" + hostile.RU + "\n\n" + hostile.AZ,
]


@pytest.fixture(scope="module")
def real_aligner() -> Aligner:
    return Aligner(AlignConfig(), get_encoder())


@pytest.mark.parametrize("text", HARD, ids=["cr-zw", "seps-ctrl", "switches", "10k-sentences", "four-languages"])
def test_hard_items_with_the_real_encoder(real_aligner, text, tmp_path):
    item = Item("hard", text)
    [result] = list(real_aligner.align_items([item]))
    _check_result(item, result)
    _write_and_read_back(list(result.pairs), tmp_path)
