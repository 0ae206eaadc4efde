"""``bialign convert``: any format to any format, with warnings for what a format changes."""

from __future__ import annotations

import itertools
import json

import pytest

from bialign.cli import main
from bialign.formats import open_writer, read_pairs
from bialign.records import Pair

FORMATS = {"jsonl": "pairs.jsonl", "tsv": "pairs.tsv", "tmx": "pairs.tmx", "moses": "pairs.moses"}
PAIRS = [
    Pair("n-1", "Oil prices rose <again> & again.", "Цены на нефть снова выросли.", 0.9, (1,), (1,), True),
    Pair("n-1", "\u200fRTL mark, emoji 😀 and \"quotes\".", "Эмодзи 😀 и «кавычки».", 0.75, (2, 3), (2,)),
]


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "in.jsonl"
    with open_writer(path) as writer:
        writer.write_all(PAIRS)
    return path


@pytest.mark.parametrize("first,second", list(itertools.permutations(FORMATS, 2)))
def test_convert_any_to_any(tmp_path, source, first, second, capsys):
    middle = tmp_path / FORMATS[first]
    final = tmp_path / ("out_" + FORMATS[second])
    assert main(["convert", str(source), str(middle)]) == 0
    assert main(["convert", str(middle), str(final), "-q"]) == 0
    back = list(read_pairs(final))
    assert [(p.src, p.tgt) for p in back] == [(p.src, p.tgt) for p in PAIRS]
    if "moses" not in (first, second):
        assert [p.id for p in back] == ["n-1", "n-1"]
        assert [round(p.score, 4) for p in back] == [0.9, 0.75]
    assert "warning" not in capsys.readouterr().err


def test_convert_explicit_formats_and_moses_by_language_file(tmp_path, source):
    out = tmp_path / "data.txt"
    assert main(["convert", str(source), str(out), "--to", "tsv", "--header", "-q"]) == 0
    assert out.read_text(encoding="utf-8").startswith("src\ttgt\tscore\tid\n")
    assert main(["convert", str(out), str(tmp_path / "corpus.en"), "--from", "tsv", "-q"]) == 0
    assert (tmp_path / "corpus.ru").read_text(encoding="utf-8").splitlines()[0] == PAIRS[0].tgt


def test_convert_warns_about_changed_fields(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    with open_writer(path) as writer:
        writer.write_all([Pair("x", "line one\nline two", "таб\tуляция", 0.5), Pair("y", "ok\x01", "ок", 0.5)])
    assert main(["convert", str(path), str(tmp_path / "out.tsv")]) == 0
    err = capsys.readouterr().err
    assert "warning: 2 field(s) changed to fit the tsv format (src: 1, tgt: 1)" in err
    assert main(["convert", str(path), str(tmp_path / "out.tmx")]) == 0
    assert "warning: 1 field(s) changed to fit the tmx format (src: 1)" in capsys.readouterr().err


def test_convert_reports_bad_input(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"src": "a", "tgt": "b"}\nnot json\n', encoding="utf-8")
    assert main(["convert", str(bad), str(tmp_path / "out.tsv")]) == 2
    assert "bad.jsonl:2" in capsys.readouterr().err
    assert not (tmp_path / "out.tsv").exists()
    assert main(["convert", str(bad), str(tmp_path / "out.xyz")]) == 2


def test_gold_style_jsonl_converts(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g", "en": "Hello", "ru": "Привет"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["convert", str(gold), str(tmp_path / "g.tmx"), "-q"]) == 0
    [pair] = read_pairs(tmp_path / "g.tmx")
    assert (pair.id, pair.src, pair.tgt) == ("g", "Hello", "Привет")
