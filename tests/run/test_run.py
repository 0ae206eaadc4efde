"""The run driver: chunks in input order on any executor, and one cache rule for all of them."""

from __future__ import annotations

from itertools import islice

import pytest

from bialign.embed import CachedEmbedder
from bialign.embed.hashing import HashingEmbedder
from bialign.errors import BialignError
from bialign.text.items import Item, read_items
from bialign.align.aligner import AlignConfig, Aligner
from bialign.records import Rejected
from bialign.run import CACHE_ENTRIES, Executor, InProcess, align_chunk, aligned_chunks, chunk_ends, run_aligner
from conftest import DATA

SMALL = DATA / "dev_items_small.jsonl"


class _BatchDependent(HashingEmbedder):
    """The hashing encoder, declared batch-dependent (as LASER or a sentence-transformers model is)."""

    batch_independent = False


def _items() -> list[Item]:
    return [r for r in read_items([SMALL]) if isinstance(r, Item)][:4]


def _views(results) -> list[tuple]:
    return [(r.id, r.status, tuple(p.to_json()["score"] for p in r.pairs)) for r in results]


def test_a_batch_independent_encoders_cache_lives_across_chunks_and_is_bounded():
    aligner = run_aligner(AlignConfig(encoder="hashing"))
    assert aligner.embedder.max_entries == CACHE_ENTRIES and aligner.embedder.batch_independent
    chunk = _items()
    first = align_chunk(aligner, chunk)
    embedded = aligner.embedder.misses
    second = align_chunk(aligner, chunk)
    assert embedded > 0 and aligner.embedder.misses == embedded  # the second chunk embedded nothing
    assert _views(first) == _views(second)


def test_a_batch_dependent_encoders_cache_is_emptied_at_each_chunk():
    aligner = Aligner(AlignConfig(encoder="hashing"), CachedEmbedder(_BatchDependent()))
    chunk = _items()
    first = align_chunk(aligner, chunk)
    embedded = aligner.embedder.misses
    second = align_chunk(aligner, chunk)
    assert embedded > 0 and aligner.embedder.misses == embedded  # counted afresh: everything embedded again
    assert aligner.embedder.total_embedded == 2 * embedded
    assert _views(first) == _views(second)


class _Eager(Executor):
    """Aligns each chunk as soon as it is submitted, three chunks ahead of the one waited for."""

    depth = 3

    def __init__(self, aligner: Aligner) -> None:
        self.aligner = aligner
        self.submitted = 0

    def submit(self, chunk, on_aligned=None):
        self.submitted += 1
        results = align_chunk(self.aligner, chunk, on_aligned)
        return lambda: results


def test_in_process_progress_hears_each_item_as_it_is_aligned_not_when_its_chunk_is_done():
    records = list(read_items([SMALL]))[:12]
    aligner = Aligner(AlignConfig(encoder="hashing", batch_items=1), CachedEmbedder(HashingEmbedder()))
    heard: list[tuple[str, int]] = []  # (item id, texts embedded by then)
    handed_on: list[int] = []  # items heard when each chunk was handed on

    def on_aligned(result) -> None:
        heard.append((result.id, aligner.embedder.total_embedded))

    outcomes = []
    for chunk in aligned_chunks(records, InProcess(aligner), chunk_size=6, on_aligned=on_aligned):
        handed_on.append(len(heard))
        outcomes += chunk
    assert [item for item, _ in heard] == [o.result.id for o in outcomes] == [r.id for r in records]
    assert handed_on == [6, 12]  # every item is heard before its chunk's outcomes are handed on
    embedded_by_then = [count for _, count in heard[:6]]
    assert embedded_by_then[0] < embedded_by_then[-1]  # the first item was heard before the rest were aligned
    plain = [o.result for chunk in aligned_chunks(records, InProcess(run_aligner(AlignConfig(encoder="hashing"))), 6)
             for o in chunk]
    assert _views(o.result for o in outcomes) == _views(plain)  # hearing changes no result


def test_outcomes_come_in_input_order_numbered_from_zero_whatever_the_executor():
    records = list(read_items([SMALL]))
    aligner = run_aligner(AlignConfig(encoder="hashing"))
    here = [o for chunk in aligned_chunks(records, InProcess(aligner), chunk_size=7) for o in chunk]
    assert [o.index for o in here] == list(range(len(records)))
    assert [o.result.id for o in here] == [r.id for r in records]
    eager = _Eager(aligner)
    chunks = aligned_chunks(records, eager, chunk_size=3)
    other = next(chunks)
    assert eager.submitted == 3  # chunks 0, 1 and 2 were started before chunk 0 was handed on
    other += [o for chunk in chunks for o in chunk]
    assert _views(o.result for o in other) == _views(o.result for o in here)
    later = [o.index for chunk in aligned_chunks(records, InProcess(aligner), chunk_size=7, start=9) for o in chunk]
    assert later == list(range(9, len(records)))


def test_a_chunk_size_below_one_is_refused():
    with pytest.raises(BialignError, match="chunk size must be at least 1"):
        next(aligned_chunks([], InProcess(run_aligner(AlignConfig(encoder="hashing"))), chunk_size=0))


def test_chunks_start_small_and_double_up_to_the_chunk_size_at_the_same_places_when_resumed():
    assert list(islice(chunk_ends(256), 8)) == [8, 24, 56, 120, 248, 504, 760, 1016]
    assert list(islice(chunk_ends(20), 4)) == [8, 24, 44, 64]
    assert list(islice(chunk_ends(5), 3)) == [5, 10, 15]
    records = [Rejected.of(Item(f"i{n}", "text"), "kept out") for n in range(600)]  # aligned instantly
    executor = InProcess(run_aligner(AlignConfig(encoder="hashing")))
    sizes = [len(chunk) for chunk in aligned_chunks(records, executor, chunk_size=256)]
    assert sizes == [8, 16, 32, 64, 128, 256, 96]
    resumed = [[o.index for o in chunk] for chunk in aligned_chunks(records, executor, chunk_size=256, start=100)]
    assert [(c[0], c[-1]) for c in resumed] == [(100, 119), (120, 247), (248, 503), (504, 599)]
