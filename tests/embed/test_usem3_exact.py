"""usem3's vectors do not depend on the batch: bit for bit, a text alone equals it in any batch.

The same check over every dev and editorial sentence (3,319 texts, minutes) is
``python benchmarks/exactness.py``; docs/speed.md gives its result.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits
import pytest

from bialign.embed.usem3 import USEM3Embedder
from bialign.embed.usem3_exact import LANES, Layout
from bialign.text.items import Item
from bialign.align.aligner import prepare
from conftest import DATA



def _sentences(paths: list[Path]) -> list[str]:
    texts: list[str] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            prepared = prepare(Item(record["id"], record["text"]))
            texts += [s.text for s in prepared.en + prepared.ru]
    return list(dict.fromkeys(texts))


@pytest.fixture(scope="module")
def exact() -> USEM3Embedder:
    return USEM3Embedder()


def _mixed_batches(embedder: USEM3Embedder, texts: list[str], seed: int) -> np.ndarray:
    """Vectors of ``texts`` embedded in shuffled batches of random sizes, put back in order."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(texts))
    out = np.empty((len(texts), embedder.dim), dtype=np.float32)
    first = 0
    while first < len(texts):
        size = int(rng.integers(1, 300))
        rows = order[first:first + size]
        out[rows] = embedder.embed([texts[i] for i in rows])
        first += size
    return out


def _check_alone_equals_batched(embedder: USEM3Embedder, texts: list[str]) -> None:
    whole = embedder.embed(texts)
    alone = np.vstack([embedder.embed([text]) for text in texts])
    assert np.array_equal(alone, whole)
    for seed in (1, 2):
        assert np.array_equal(_mixed_batches(embedder, texts, seed), whole)


def test_vectors_are_batch_independent_on_the_small_dev_set(exact: USEM3Embedder) -> None:
    texts = _sentences([DATA / "dev_items_small.jsonl"])
    assert len(texts) > 200
    _check_alone_equals_batched(exact, texts)


def test_exact_pass_stays_close_to_usem3s_own(exact: USEM3Embedder) -> None:
    texts = _sentences([DATA / "dev_items_small.jsonl"])[:150]
    batched = USEM3Embedder(exact=False)
    assert np.abs(exact.embed(texts) - batched.embed(texts)).max() < 1e-5


def test_usem3s_own_pass_does_depend_on_the_batch() -> None:
    """What the exact pass is for: the batched pass changes a vector with its neighbours."""
    texts = _sentences([DATA / "dev_items_small.jsonl"])[:100]
    batched = USEM3Embedder(exact=False)
    alone = np.vstack([batched.embed([text]) for text in texts])
    assert not np.array_equal(alone, batched.embed(texts))


def test_identity_names_the_pass_and_changes_with_it(exact: USEM3Embedder) -> None:
    assert json.loads(exact.identity())["options"]["forward"] == "exact-lanes12"
    assert exact.identity() != USEM3Embedder(exact=False).identity()
    assert exact.identity() == USEM3Embedder().identity()


def test_layout_puts_each_item_on_its_lane_and_pads_to_whole_lane_rounds() -> None:
    lanes = np.array([0, 0, 5, 11, 0, 3])
    layout = Layout(lanes, 24)
    assert layout.size == 36  # three items on lane 0 need rows 0, 12, 24: three rounds of the lanes
    assert list(layout.rows % LANES) == list(lanes)
    assert sorted(layout.rows) == sorted(set(layout.rows))
    assert all(layout.source[row] == item for item, row in enumerate(layout.rows))
    assert (layout.source == len(lanes)).sum() == layout.size - len(lanes)
    values = np.arange(6, dtype=np.float32)[:, None] + 1
    laid = layout.to_rows(values)
    assert np.array_equal(laid[layout.rows], values) and laid.sum() == values.sum()


def test_a_rows_product_does_not_depend_on_the_row_count_of_its_block() -> None:
    """What the layout rests on (this BLAS): a row's bits depend on its lane, not on how many
    rows (a multiple of LANES) share its product, so the last block of a layout is short."""
    rng = np.random.default_rng(3)
    weight = rng.standard_normal((320, 768)).astype(np.float32)
    x = rng.standard_normal((100 * LANES, 320)).astype(np.float32)
    with threadpool_limits(1, user_api="blas"):  # as the exact pass runs
        whole = Layout(np.arange(len(x)) % LANES, 96 * LANES).matmul(x, weight)
        for block in (LANES, 5 * LANES, 32 * LANES):
            assert Layout(np.arange(len(x)) % LANES, block).matmul(x, weight).tobytes() == whole.tobytes()


def test_the_onnx_engine_is_batch_independent_and_close_to_numpy(exact: USEM3Embedder) -> None:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from bialign.embed import get_encoder

    onnx = get_encoder("usem3-onnx")
    texts = _sentences([DATA / "dev_items_small.jsonl"])
    _check_alone_equals_batched(onnx, texts)  # type: ignore[arg-type]
    assert np.abs(onnx.embed(texts) - exact.embed(texts)).max() < 1e-5
    assert json.loads(onnx.identity())["options"]["forward"].startswith("onnx-")
    assert onnx.identity() != exact.identity()


def test_an_unknown_engine_is_refused() -> None:
    from bialign.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="choose from: numpy, onnx"):
        USEM3Embedder(engine="tensorrt")


class _UsemBatched:
    """usem3's own batched pass over token ids (its micro-batch step), for the self-check."""

    def __init__(self, backend: object) -> None:
        self.backend = backend

    def encode_ids(self, texts: list[list[int]]) -> np.ndarray:
        out = np.empty((len(texts), 512), dtype=np.float32)
        self.backend._encode_batch([list(map(int, t)) for t in texts], sum(map(len, texts)), out)  # type: ignore[attr-defined]
        return out


def test_the_self_check_on_load_passes_here_and_catches_a_batch_dependent_pass(exact: USEM3Embedder) -> None:
    from bialign.embed.usem3_exact import ExactForward, batch_independent

    exact.embed(["Load the model."])
    assert exact.batch_independent is True
    backend = exact._backend
    with threadpool_limits(1, user_api="blas"):  # as the encoder runs its check
        assert batch_independent(ExactForward(backend), len(backend.table))
        assert not batch_independent(_UsemBatched(backend), len(backend.table))


def test_parts_are_batch_independent_and_compose_close_to_the_joined_text(exact: USEM3Embedder) -> None:
    texts = ["The storm reached the coast on Monday.", "Thousands of homes lost power.",
             "Шторм достиг побережья в понедельник.", "Тысячи домов остались без света.", "Schools stayed shut."]
    vectors, parts = exact.embed_with_parts(texts)
    assert np.array_equal(vectors, exact.embed(texts))  # the same vectors, bit for bit
    alone = np.vstack([exact.embed_with_parts([text])[1] for text in texts])
    assert np.array_equal(parts, alone)
    spans = [(0, 2), (2, 2), (0, 3)]
    estimates = exact.compose(parts, spans)
    joined = exact.embed([" ".join(texts[i:i + n]) for i, n in spans])
    assert np.allclose(np.linalg.norm(estimates, axis=1), 1.0, atol=1e-5)
    assert (np.einsum("ij,ij->i", estimates, joined) > 0.9).all()  # short texts: the joins weigh most
    assert np.array_equal(exact.run_estimates(texts, spans), estimates)


def test_a_run_estimate_does_not_depend_on_the_other_runs_of_the_call(exact: USEM3Embedder) -> None:
    """The pipeline estimates the runs of a whole batch of items in one compose call."""
    texts = ["The storm reached the coast on Monday.", "Thousands of homes lost power.",
             "Шторм достиг побережья в понедельник.", "Тысячи домов остались без света.", "Schools stayed shut."]
    parts = exact.embed_with_parts(texts)[1]
    spans = [(0, 2), (2, 2), (0, 3), (1, 3), (3, 2), (1, 2)]
    together = exact.compose(parts, spans)
    for row, span in enumerate(spans):
        assert np.array_equal(exact.compose(parts, [span])[0], together[row])
    many = np.vstack([parts] * 40)  # more runs than one block of rows
    assert np.array_equal(exact.compose(many, spans * 40)[-len(spans):], together)
