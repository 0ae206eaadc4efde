"""Pairs as DataFrames and Datasets, the TSV read back by pandas and csv, one set of field names."""

from __future__ import annotations

import csv
import dataclasses
import math
import sys

import pytest

import bialign
from bialign import Item, Pair, to_dataframe, to_dataset
from bialign.formats import open_writer
from bialign.formats.frames import COLUMNS

TRICKY = [
    Pair("001", '"We will win," he said.', "«Мы победим», — сказал он.", 0.91234, (0,), (0,), True),
    Pair("NA", "NA", "null", math.nan, (1, 2), (1,)),
    Pair("x", 'He said "yes" and left; a \\ backslash', "Он сказал «да» и ушёл", 0.5, (3,), (2, 3)),
]


def write(path, pairs=TRICKY, **options):
    with open_writer(path, **options) as writer:
        writer.write_all(pairs)
    return path


def test_pair_fields_are_the_file_names():
    pair = TRICKY[0]
    assert (pair.id, pair.title) == ("001", True)
    assert set(pair.to_json()) == {field.name for field in dataclasses.fields(Pair)} == set(COLUMNS)


def test_dataframe_from_python_and_from_every_pair_file(tmp_path):
    pd = pytest.importorskip("pandas")
    frame = to_dataframe(TRICKY)
    assert list(frame.columns) == list(COLUMNS) and len(frame) == 3
    assert frame["src"].tolist() == [p.src for p in TRICKY] and frame["id"].tolist() == ["001", "NA", "x"]
    assert frame["title"].tolist() == [True, False, False] and pd.isna(frame["score"][1])
    assert frame["tgt_index"].tolist() == [[0], [1], [2, 3]]
    from_jsonl = to_dataframe(write(tmp_path / "p.jsonl"))
    assert from_jsonl.drop(columns="score").equals(frame.drop(columns="score"))
    assert from_jsonl["score"][0] == pytest.approx(0.9123)
    for name in ("p.tsv", "p.tmx", "p.moses"):
        other = to_dataframe(write(tmp_path / name))
        assert other["src"].tolist() == frame["src"].tolist() and other["tgt"].tolist() == frame["tgt"].tolist()


def test_dataset_from_pairs_and_results(tmp_path):
    pytest.importorskip("datasets")
    result = bialign.ItemResult("a", "aligned", tuple(TRICKY))
    dataset = to_dataset([result])
    assert dataset.column_names == list(COLUMNS) and dataset.num_rows == 3
    assert dataset[0]["src"] == TRICKY[0].src and dataset[2]["tgt_index"] == [2, 3]
    assert to_dataset(write(tmp_path / "p.jsonl"))["tgt"] == [p.tgt for p in TRICKY]


def test_the_tsv_round_trips_through_pandas_with_the_documented_call(tmp_path):
    pd = pytest.importorskip("pandas")
    path = write(tmp_path / "p.tsv", header=True)
    frame = pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False)
    assert frame["src"].tolist() == [p.src for p in TRICKY]
    assert frame["tgt"].tolist() == [p.tgt for p in TRICKY] and frame["id"].tolist() == ["001", "NA", "x"]
    assert frame["score"].tolist() == ["0.9123", "", "0.5000"]
    bare = write(tmp_path / "bare.tsv")
    frame = pd.read_csv(bare, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False, header=None,
                        names=["src", "tgt", "score", "id"])
    assert frame["src"].tolist() == [p.src for p in TRICKY]


def test_the_tsv_round_trips_through_the_csv_module(tmp_path):
    path = write(tmp_path / "p.tsv")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert [row[:2] for row in rows] == [[p.src, p.tgt] for p in TRICKY]
    assert [row[3] for row in rows] == ["001", "NA", "x"]


def test_wrong_argument_types_say_what_is_expected(default_embedder):
    aligner = bialign.Aligner(embedder=default_embedder)
    with pytest.raises(TypeError, match="takes Item objects .* not str"):
        list(aligner.align_items(["text"]))
    with pytest.raises(TypeError, match="iterable of Item objects, not one str"):
        list(aligner.align_items("text"))
    with pytest.raises(TypeError, match="takes an Item"):
        aligner.align_item("text")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="as str, not Item"):
        bialign.align_text(Item("a", "text"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Pair or ItemResult"):
        to_dataframe([{"src": "a"}])


def test_a_missing_extra_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    monkeypatch.setitem(sys.modules, "datasets", None)
    with pytest.raises(ImportError, match=r"pip install 'bialign\[pandas\]'"):
        to_dataframe(TRICKY)
    with pytest.raises(ImportError, match=r"pip install 'bialign\[datasets\]'"):
        to_dataset(TRICKY)
