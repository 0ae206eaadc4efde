"""Property tests: every format gives back what it was given, or counts what it changed."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bialign.formats import open_writer, read_pairs
from bialign.formats.tmx import xml_safe
from bialign.formats.tsv import tsv_field
from bialign.records import Pair
from conftest import DATA

HOSTILE = ["\t", "\n", "\r", "\r\n", "<", ">", "&", '"', "'", "]]>", "&amp;", "\x00", "\x1f", "\x7f",
           "\x85", "\u2028", "\u2029", "\u200f", "\u202e", "\u200d", "\ufeff", "\ufffe", "\uffff",
           "😀", "👩‍👩‍👧", "\U0010ffff", " ", "  ", "\u00a0", "«»", "й", "\\", "\\n", "{\"a\": 1}"]

texts = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)),
    max_size=8,
).map("".join)
scores = st.one_of(st.floats(min_value=0, max_value=1), st.just(math.nan))
indices = st.lists(st.integers(min_value=0, max_value=500), max_size=3).map(tuple)
pairs = st.builds(Pair, id=texts, src=texts, tgt=texts, score=scores,
                  src_index=indices, tgt_index=indices, title=st.booleans())

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _same_score(read: float, written: float) -> bool:
    if math.isnan(written):
        return math.isnan(read)
    return read == pytest.approx(written, abs=5e-5)


DTD = DATA / "tmx14.dtd"


def _round_trip(fmt: str, batch: list[Pair]) -> tuple[list[Pair], int]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"pairs.{fmt}"
        with open_writer(path, fmt, signature={"bialign": "test"}) as writer:
            writer.write_all(batch)
        if fmt == "tmx":
            from lxml import etree

            dtd = etree.DTD(str(DTD))
            assert dtd.validate(etree.parse(str(path))), dtd.error_log.filter_from_errors()
        return list(read_pairs(path, fmt)), writer.changed


@SETTINGS
@given(st.lists(pairs, max_size=5))
def test_jsonl_keeps_everything(batch):
    back, changed = _round_trip("jsonl", batch)
    assert changed == 0
    assert len(back) == len(batch)
    for read, written in zip(back, batch):
        assert (read.id, read.src, read.tgt) == (written.id, written.src, written.tgt)
        assert (read.src_index, read.tgt_index, read.title) == (written.src_index, written.tgt_index, written.title)
        assert _same_score(read.score, written.score)


def _changes_as_expected(back, batch, clean, with_ids):
    """Check each text came back as ``clean`` made it; return how many ``clean`` changed."""
    assert len(back) == len(batch)
    changes = 0
    for read, written in zip(back, batch):
        fields = [(read.src, written.src), (read.tgt, written.tgt)]
        if with_ids:
            fields.append((read.id, written.id))
        for got, text in fields:
            assert got == clean(text)
            changes += got != text
    return changes


@SETTINGS
@given(st.lists(pairs, max_size=5))
def test_tmx_keeps_everything_xml_can_hold(batch):
    back, changed = _round_trip("tmx", batch)
    assert changed == _changes_as_expected(back, batch, xml_safe, with_ids=True)
    for read, written in zip(back, batch):
        assert (read.src_index, read.tgt_index, read.title) == (written.src_index, written.tgt_index, written.title)
        assert (read.src_lang, read.tgt_lang) == ("en", "ru")
        assert _same_score(read.score, written.score)


@SETTINGS
@given(st.lists(pairs, max_size=5))
def test_tsv_keeps_texts_ids_and_scores_or_counts_changes(batch):
    back, changed = _round_trip("tsv", batch)
    assert changed == _changes_as_expected(back, batch, tsv_field, with_ids=True)
    for read, written in zip(back, batch):
        assert _same_score(read.score, written.score)


@SETTINGS
@given(st.lists(pairs, max_size=5))
def test_moses_keeps_texts_or_counts_changes(batch):
    back, changed = _round_trip("moses", batch)
    assert changed == _changes_as_expected(back, batch, tsv_field, with_ids=False)


@SETTINGS
@given(st.lists(pairs, min_size=1, max_size=4), st.sampled_from(["jsonl", "tsv", "tmx", "moses"]))
def test_any_to_any_conversion_is_stable(batch, middle):
    """JSONL -> X -> JSONL -> X: the second pass changes nothing more than the first."""
    once, _ = _round_trip(middle, batch)
    twice, changed = _round_trip(middle, once)
    assert changed == 0
    assert [(p.src, p.tgt) for p in twice] == [(p.src, p.tgt) for p in once]
