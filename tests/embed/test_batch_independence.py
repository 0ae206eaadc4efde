"""With batch-independent vectors, how items are batched and cached never changes a pair."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bialign import read_items
from bialign.embed import CachedEmbedder, EmbeddingStore, get_encoder
from bialign.align.aligner import AlignConfig, Aligner
from conftest import DATA

ITEMS = DATA / "dev_items_small.jsonl"


def _pairs(aligner: Aligner, records: list, chunk: int, reset: bool) -> list[tuple]:
    out = []
    for first in range(0, len(records), chunk):
        if reset:
            aligner.embedder.clear()
        for result in aligner.align_items(records[first:first + chunk]):
            out += [(p.id, p.src, p.tgt, p.score, p.src_index, p.tgt_index) for p in result.pairs]
    return out


def test_batching_chunking_and_caching_give_the_same_pairs_and_scores(tmp_path: Path) -> None:
    records = list(read_items([str(ITEMS)]))
    config = AlignConfig()
    encoder = get_encoder(config.encoder)
    reference = _pairs(Aligner(config, CachedEmbedder(encoder)), records, len(records), reset=False)
    assert len(reference) > 40
    one_by_one = Aligner(replace(config, batch_items=1), CachedEmbedder(encoder))
    assert _pairs(one_by_one, records, 3, reset=True) == reference
    carried = Aligner(replace(config, batch_items=7), CachedEmbedder(encoder))
    reversed_first = list(reversed(records))
    _pairs(carried, reversed_first, 4, reset=False)  # the cache now holds vectors embedded in other batches
    embedded = carried.embedder.misses
    assert _pairs(carried, records, 5, reset=False) == reference
    assert carried.embedder.misses == embedded  # all served from the cache
    stored = Aligner(config, CachedEmbedder(encoder, store=EmbeddingStore(tmp_path)))
    assert _pairs(stored, records, 6, reset=True) == reference
    warm = Aligner(config, CachedEmbedder(encoder, store=EmbeddingStore(tmp_path)))
    assert _pairs(warm, records, 100, reset=True) == reference
    assert warm.embedder.total_embedded == 0 and warm.embedder.total_stored > 0
