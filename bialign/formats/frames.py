"""Pairs as a pandas DataFrame or a Hugging Face ``datasets.Dataset`` (extras ``pandas``, ``datasets``).

Both take pairs from Python (an iterable of :class:`~bialign.align.aligner.Pair`, or of
:class:`~bialign.align.aligner.ItemResult`) or from a pair file in any readable format (JSONL,
TSV, TMX, Moses). Columns carry the names of the JSONL form of a pair (``COLUMNS``).
"""

from __future__ import annotations

import os
from typing import Any, Iterable, Iterator, Union

from ..errors import MissingDependencyError
from ..records import ItemResult, Pair

__all__ = [
    "COLUMNS",
    "iter_pairs",
    "to_dataframe",
    "to_dataset",
]

COLUMNS = ("id", "src_lang", "tgt_lang", "src", "tgt", "score", "src_index", "tgt_index", "title")

PairSource = Union[str, "os.PathLike[str]", Iterable[Union[Pair, ItemResult]]]


def iter_pairs(source: PairSource, fmt: str | None = None) -> Iterator[Pair]:
    """The pairs of ``source``: a pair file (format ``fmt`` or from its extension), pairs or item results."""
    if isinstance(source, (str, os.PathLike)):
        from . import read_pairs

        yield from read_pairs(source, fmt)
        return
    if isinstance(source, (Pair, ItemResult)):
        source = [source]
    try:
        entries = iter(source)
    except TypeError:
        raise TypeError(f"expected a pair file path or an iterable of Pair, not {type(source).__name__}") from None
    for entry in entries:
        if isinstance(entry, Pair):
            yield entry
        elif isinstance(entry, ItemResult):
            yield from entry.pairs
        else:
            raise TypeError(f"expected Pair or ItemResult objects, not {type(entry).__name__}")


def _records(source: PairSource, fmt: str | None) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for pair in iter_pairs(source, fmt):
        record = pair.to_json()
        record["score"] = float(pair.score)  # full precision, NaN when unknown
        for name in COLUMNS:
            columns[name].append(record[name])
    return columns


def to_dataframe(source: PairSource, fmt: str | None = None) -> Any:
    """A ``pandas.DataFrame`` with one row per pair and the columns :data:`COLUMNS`."""
    columns = _records(source, fmt)  # a wrong argument is a TypeError, pandas or not
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingDependencyError("pandas", "pandas", "to_dataframe") from exc
    frame = pd.DataFrame(columns, columns=list(COLUMNS))
    return frame.astype({"score": "float64", "title": "bool"})


def to_dataset(source: PairSource, fmt: str | None = None) -> Any:
    """A Hugging Face ``datasets.Dataset`` with one row per pair and the columns :data:`COLUMNS`."""
    columns = _records(source, fmt)
    try:
        import datasets
    except ImportError as exc:
        raise MissingDependencyError("datasets", "datasets", "to_dataset") from exc
    features = datasets.Features({
        "id": datasets.Value("string"), "src_lang": datasets.Value("string"), "tgt_lang": datasets.Value("string"),
        "src": datasets.Value("string"), "tgt": datasets.Value("string"), "score": datasets.Value("float64"),
        "src_index": datasets.Sequence(datasets.Value("int64")), "tgt_index": datasets.Sequence(datasets.Value("int64")),
        "title": datasets.Value("bool"),
    })
    return datasets.Dataset.from_dict(columns, features=features)
