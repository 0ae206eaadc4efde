"""The review page: one self-contained HTML file to check a sample of alignments by eye.

:func:`load_review` reads the pairs, the items they came from and (optionally) the
rejects file, samples the items reproducibly, re-derives each item's language blocks and
sentences the way the aligner does, and computes each item's similarity matrix with the
encoder. :func:`render_review` turns that into HTML (see :mod:`bialign.review.html`).
"""

from __future__ import annotations

import math
import os
import random
from collections import Counter
from typing import Iterable, Sequence

import numpy as np

from ..align.aligner import prepare, set_aside
from ..embed import DEFAULT_ENCODER, Embedder, get_encoder
from ..errors import InputError
from ..formats import read_pairs
from ..formats.jsonl import json_objects
from ..records import Item, Pair, Rejected, Segment
from ..text.items import ReadOptions, read_items
from ..text.sentences import Sentence
from ..text.textio import atomic_write
from .data import (LONG_PAIR_CHARS, LONG_PAIR_SENTENCES, MAX_MATRIX_EN, MAX_MATRIX_RU, SCORE_BINS, ItemView,
                          Review)
from .html import page

__all__ = [
    "DEFAULT_SAMPLE",
    "DEFAULT_SEED",
    "item_sentences",
    "ItemView",
    "load_review",
    "LONG_PAIR_CHARS",
    "LONG_PAIR_SENTENCES",
    "MAX_MATRIX_EN",
    "MAX_MATRIX_RU",
    "read_rejects",
    "render_review",
    "Review",
    "sample_items",
    "SCORE_BINS",
    "similarity_matrices",
    "write_review",
]

DEFAULT_SAMPLE = 300
DEFAULT_SEED = 0
def item_sentences(item: Item) -> tuple[list[Segment], list[Sentence], list[Sentence], str]:
    """Language blocks, English and Russian sentences (titles first) and why not aligned.

    The only place that knows how the aligner numbers sentences: a pair's ``src_index`` and
    ``tgt_index`` index these two lists.
    """
    prepared = prepare(item)
    return list(prepared.segments), list(prepared.en), list(prepared.ru), prepared.reason


def sample_items(records: Iterable[Item | object], size: int, seed: int) -> tuple[list[Item], int, int]:
    """A reproducible uniform sample of ``size`` items (reservoir sampling), in input order.

    Returns the sample, how many items were read and how many records the reader rejected.
    """
    rng = random.Random(seed)
    reservoir: list[tuple[int, Item]] = []
    read = rejected = 0
    for record in records:
        if not isinstance(record, Item):
            rejected += 1
            continue
        if read < size:
            reservoir.append((read, record))
        else:
            slot = rng.randrange(read + 1)
            if slot < size:
                reservoir[slot] = (read, record)
        read += 1
    return [item for _, item in sorted(reservoir, key=lambda entry: entry[0])], read, rejected


def read_rejects(path: str | os.PathLike[str]) -> list[Rejected]:
    """The records of a ``--rejects`` file: id, source, line and reason (not the content)."""
    out = []
    for number, record in json_objects(path):
        if "reason" not in record:
            raise InputError("a rejects line needs a 'reason'", str(path), number)
        out.append(Rejected.from_json({k: record.get(k) for k in ("id", "source", "line", "reason")}))
    return out


def _bin(score: float) -> int | None:
    """The histogram bin of a score (0.1 wide, from 0 to 1; out-of-range scores clamped), None when unknown."""
    if math.isnan(score):
        return None
    return math.floor(min(max(score, 0.0), 0.9999) * 10)


def similarity_matrices(views: Sequence[ItemView], embedder: Embedder, batch: int = 2048) -> None:
    """Fill each view's matrix: cosine of Russian sentences against its English window."""
    texts: list[str] = []
    for view in views:
        texts.extend(s.text for s in view.en[:view.window])
        texts.extend(s.text for s in view.ru[:MAX_MATRIX_RU])
    if not texts:
        return
    vectors = np.concatenate([embedder.embed(texts[i:i + batch]) for i in range(0, len(texts), batch)])
    row = 0
    for view in views:
        n_en, n_ru = view.window, min(len(view.ru), MAX_MATRIX_RU)
        en, ru = vectors[row:row + n_en], vectors[row + n_en:row + n_en + n_ru]
        row += n_en + n_ru
        if n_en and n_ru:
            view.matrix = ru @ en.T


def load_review(pairs_path: str | os.PathLike[str], items_paths: Sequence[str | os.PathLike[str]],
                rejects_path: str | os.PathLike[str] | None = None, sample: int = DEFAULT_SAMPLE,
                seed: int = DEFAULT_SEED, encoder: str | None = DEFAULT_ENCODER, embedder: Embedder | None = None,
                pairs_format: str | None = None, read_options: ReadOptions = ReadOptions()) -> Review:
    """Read pairs, items and rejects; sample items; compute what the page shows.

    ``encoder=None`` (and no ``embedder``) leaves out the similarity matrices.
    """
    if sample < 1:
        raise InputError(f"the sample size must be at least 1, not {sample}")
    for path in (pairs_path, rejects_path):
        if path is not None and not os.path.isfile(path):
            raise InputError("no such file", str(path))
    items, read, reader_rejected = sample_items(read_items(list(items_paths), read_options), sample, seed)
    if not items:
        where = ", ".join(map(str, items_paths))
        raise InputError(f"no items read from {where} ({reader_rejected} records rejected by the reader)")
    wanted = {item.id for item in items}
    by_item: dict[str, list[Pair]] = {}
    counts = [0] * (len(SCORE_BINS) - 1)
    total = unknown = 0
    per_item: Counter[str] = Counter()
    for pair in read_pairs(pairs_path, pairs_format):
        total += 1
        slot = _bin(pair.score)
        if slot is None:
            unknown += 1
        else:
            counts[slot] += 1
        per_item[pair.id] += 1
        if pair.id in wanted:
            by_item.setdefault(pair.id, []).append(pair)
    rejects = read_rejects(rejects_path) if rejects_path else []
    rejected_ids = {str(r.id): r.reason for r in rejects if r.id is not None}
    views = []
    for item in items:
        segments, en, ru, reason = item_sentences(item)
        pairs = sorted(by_item.get(item.id, []), key=lambda p: (min(p.tgt_index, default=0), min(p.src_index, default=0)))
        views.append(ItemView(item, segments, en, ru, pairs, reason, rejected_ids.get(item.id, ""),
                              furniture=set_aside(item, segments)))
    if embedder is None and encoder:
        embedder = get_encoder(encoder)
    if embedder is not None:
        similarity_matrices(views, embedder)
    pairs_per_item: Counter[int] = Counter(per_item.values())
    with_pairs = sum(pairs_per_item.values())
    if read > with_pairs:
        pairs_per_item[0] += read - with_pairs
    if read > sample:
        note = (f"A uniform random sample of {len(items)} of {read} items (reservoir sampling, seed {seed}), "
                f"shown in input order. The summary counts all items and pairs.")
    else:
        note = f"All {read} items are shown."
    return Review(f"bialign review: {os.path.basename(str(pairs_path))}", views, read, reader_rejected, note,
                  total, counts, unknown, pairs_per_item, rejects,
                  embedder.signature() if embedder is not None else "")


def render_review(review: Review) -> str:
    """The page as one HTML string (inline CSS and JavaScript, no network)."""
    return page(review)


def write_review(path: str | os.PathLike[str], review: Review) -> None:
    """Write the page to ``path`` (atomically: a failed run leaves no half-written page)."""
    with atomic_write(path) as handle:
        handle.write(render_review(review))

