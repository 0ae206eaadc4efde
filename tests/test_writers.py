import json

import pytest

from bialign.errors import UnknownNameError
from bialign.pipeline import Pair
from bialign.writers import format_for_path, open_writer

PAIRS = [
    Pair("item-1", "Talks <ended> & resumed.", "Переговоры «завершились».", 0.81234, (1,), (1,)),
    Pair("item-1", "Tab\there.", "Табуляция\u2028здесь.", 0.6, (2,), (2,)),
]


def test_format_follows_extension():
    assert format_for_path("out.tmx") == "tmx"
    assert format_for_path("out.tsv.gz") == "tsv"
    assert format_for_path("x.bin", "jsonl") == "jsonl"
    with pytest.raises(UnknownNameError):
        format_for_path("out.bin")


def test_jsonl(tmp_path):
    path = tmp_path / "p.jsonl"
    with open_writer(path) as writer:
        writer.write_all(PAIRS)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert records[0]["src"] == PAIRS[0].src and records[0]["tgt"] == PAIRS[0].tgt
    assert records[0]["score"] == 0.8123 and records[0]["src_lang"] == "en"
    assert "«" in path.read_text(encoding="utf-8")  # not escaped


def test_tsv_columns_and_header(tmp_path):
    path = tmp_path / "p.tsv"
    with open_writer(path, header=True) as writer:
        writer.write_all(PAIRS)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "src\ttgt\tscore\tid"
    assert lines[1].split("\t") == [PAIRS[0].src, PAIRS[0].tgt, "0.8123", "item-1"]
    assert lines[2].split("\t")[:2] == ["Tab here.", "Табуляция здесь."]
    assert len([line for line in lines if line]) == 3


def test_moses_writes_two_aligned_files(tmp_path):
    with open_writer(tmp_path / "corpus.moses") as writer:
        writer.write_all(PAIRS)
    en = (tmp_path / "corpus.en").read_text(encoding="utf-8").splitlines()
    ru = (tmp_path / "corpus.ru").read_text(encoding="utf-8").splitlines()
    assert len(en) == len(ru) == 2
    assert ru[0] == PAIRS[0].tgt


def test_tmx_is_valid_against_the_dtd(tmp_path):
    lxml = pytest.importorskip("lxml.etree")
    from conftest import DATA

    path = tmp_path / "p.tmx"
    with open_writer(path, signature={"bialign": "test"}, creation_date="20200101T000000Z") as writer:
        writer.write_all(PAIRS + [Pair("i\x01d", "bad\x00char\x1f", "ok", 0.5)])
    dtd = lxml.DTD(str(DATA / "tmx14.dtd"))
    tree = lxml.parse(str(path))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    segs = tree.findall(".//seg")
    assert segs[0].text == PAIRS[0].src
    assert segs[-2].text == "badchar"
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [t.get(xml_lang) for t in tree.findall(".//tuv")][:2] == ["en", "ru"]


def test_failed_run_leaves_no_output(tmp_path):
    path = tmp_path / "p.jsonl"
    with pytest.raises(RuntimeError):
        with open_writer(path) as writer:
            writer.write(PAIRS[0])
            raise RuntimeError("interrupted")
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
