"""The LASER backend on a small model written in LASER's real file formats.

The test builds, in a temporary folder, fastBPE codes and vocabulary learnt from a few
English and Russian sentences, and a BiLSTM checkpoint with the structure of
``bilstm.93langs.2018-12-26.pt`` (``params``, ``model`` state dict, ``dictionary``) but
tiny layers; ``laserembeddings`` loads them with its own code.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("laserembeddings")

from bialign.embed import get_encoder  # noqa: E402
from bialign.embed.laser import BPE_CODES, BPE_VOCAB, ENCODER, ENV_VAR, LaserEmbedder, locate_model  # noqa: E402
from bialign.errors import ModelNotFoundError  # noqa: E402

CORPUS = [
    "the president said on monday that the new law will enter into force next year .",
    "the government of azerbaijan signed an agreement with the company .",
    "oil prices rose on the world market , the report said .",
    "президент заявил в понедельник , что новый закон вступит в силу в следующем году .",
    "правительство азербайджана подписало соглашение с компанией .",
    "цены на нефть выросли на мировом рынке , говорится в докладе .",
]
EMBED_DIM, HIDDEN, LAYERS = 12, 8, 2
N_MERGES = 120


def learn_bpe(lines: list[str], merges: int) -> tuple[list[tuple[str, str, int]], Counter[str]]:
    """A small fastBPE-style learner: merges with their counts, and the vocabulary of the result."""
    words = Counter(w for line in lines for w in line.split())
    segs = {w: tuple(w[:-1]) + (w[-1] + "</w>",) for w in words}
    codes: list[tuple[str, str, int]] = []
    for _ in range(merges):
        pairs: Counter[tuple[str, str]] = Counter()
        for w, seg in segs.items():
            for a, b in zip(seg, seg[1:]):
                pairs[a, b] += words[w]
        if not pairs:
            break
        (a, b), count = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
        codes.append((a, b, count))
        for w, seg in segs.items():
            out, i = [], 0
            while i < len(seg):
                if i + 1 < len(seg) and seg[i] == a and seg[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(seg[i])
                    i += 1
            segs[w] = tuple(out)
    vocab: Counter[str] = Counter()
    for w, seg in segs.items():
        for piece in seg[:-1]:
            vocab[piece + "@@"] += words[w]
        vocab[seg[-1][: -len("</w>")]] += words[w]
    return codes, vocab


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("laser")
    codes, vocab = learn_bpe(CORPUS, N_MERGES)
    (folder / BPE_CODES).write_text("".join(f"{a} {b} {n}\n" for a, b, n in codes), encoding="utf-8")
    (folder / BPE_VOCAB).write_text("".join(f"{t} {n}\n" for t, n in vocab.most_common()), encoding="utf-8")
    dictionary = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for token, _ in vocab.most_common():
        dictionary.setdefault(token, len(dictionary))
    params = {"num_embeddings": len(dictionary), "padding_idx": 1, "embed_dim": EMBED_DIM,
              "hidden_size": HIDDEN, "num_layers": LAYERS, "bidirectional": True,
              "left_pad": True, "padding_value": 0.0}
    torch.manual_seed(0)
    embed = torch.nn.Embedding(len(dictionary), EMBED_DIM, padding_idx=1)
    lstm = torch.nn.LSTM(EMBED_DIM, HIDDEN, num_layers=LAYERS, bidirectional=True)
    state = {"embed_tokens." + k: v for k, v in embed.state_dict().items()}
    state.update({"lstm." + k: v for k, v in lstm.state_dict().items()})
    torch.save({"params": params, "model": state, "dictionary": dictionary}, folder / ENCODER)
    return folder


@pytest.fixture(scope="module")
def laser(model_dir: Path) -> LaserEmbedder:
    embedder = get_encoder("laser", model_dir=str(model_dir))
    assert isinstance(embedder, LaserEmbedder)
    return embedder


def reference_vectors(model_dir: Path, bpe_lines: list[str]) -> np.ndarray:
    """LASER's sentence embedding computed by hand: BiLSTM states max-pooled over time."""
    ckpt = torch.load(model_dir / ENCODER)
    p, d = ckpt["params"], ckpt["dictionary"]
    embed = torch.nn.Embedding(p["num_embeddings"], p["embed_dim"], padding_idx=p["padding_idx"])
    lstm = torch.nn.LSTM(p["embed_dim"], p["hidden_size"], num_layers=p["num_layers"], bidirectional=True)
    embed.load_state_dict({k[len("embed_tokens."):]: v for k, v in ckpt["model"].items() if k.startswith("embed_tokens.")})
    lstm.load_state_dict({k[len("lstm."):]: v for k, v in ckpt["model"].items() if k.startswith("lstm.")})
    rows = []
    with torch.no_grad():
        for line in bpe_lines:
            ids = [d.get(t, d["<unk>"]) for t in line.split()] + [d["</s>"]]
            out, _ = lstm(embed(torch.tensor(ids)).unsqueeze(1))
            rows.append(out.max(dim=0).values[0].numpy())
    return np.vstack(rows)


def test_shapes_and_unit_length(laser: LaserEmbedder) -> None:
    vectors = laser.embed(["The president signed the law.", "Президент подписал закон.", ""])
    assert laser.dim == 2 * HIDDEN
    assert vectors.shape == (3, 2 * HIDDEN) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert not vectors[2].any()


def test_preprocessing_moses_lowercase_bpe(laser: LaserEmbedder, model_dir: Path) -> None:
    en, ru = laser.preprocess(["The president said, on Monday: «new law»!", "Президент заявил в понедельник..."])
    vocab = {line.split()[0] for line in (model_dir / BPE_VOCAB).read_text(encoding="utf-8").splitlines()}
    # Moses: punctuation split off, guillemets normalised to ASCII quotes; lower case
    assert en.replace("@@ ", "").split() == ["the", "president", "said", ",", "on", "monday", ":", '"', "new", "law", '"', "!"]
    # Russian is not romanised by LASER: Cyrillic BPE pieces, learnt from the corpus
    assert ru.replace("@@ ", "").split() == ["президент", "заявил", "в", "понедельник", "..."]
    assert all(piece in vocab for piece in ru.split() if not piece.startswith("."))
    assert "президент" in ru.split()  # a frequent word is one BPE piece
    unseen = laser.preprocess(["Zyx"])[0].split()
    assert len(unseen) == 3 and unseen[0].endswith("@@")  # an unknown word falls back to characters


def test_greek_is_romanised(laser: LaserEmbedder) -> None:
    (greek,) = laser.preprocess(["Καλημέρα κόσμε"])
    assert greek.replace("@@ ", "").split() == ["kalimera", "kosme"]


def test_matches_laserembeddings_and_a_hand_computed_encoder(laser: LaserEmbedder, model_dir: Path) -> None:
    from laserembeddings import Laser

    texts = ["The president signed the law.", "Президент подписал закон.", "Oil prices rose on the world market."]
    ours = laser.embed(texts)
    theirs = Laser(str(model_dir / BPE_CODES), str(model_dir / BPE_VOCAB), str(model_dir / ENCODER)).embed_sentences(
        texts, lang=["en", "ru", "en"])
    theirs = theirs / np.linalg.norm(theirs, axis=1, keepdims=True)
    assert np.allclose(ours, theirs, atol=1e-5)
    by_hand = reference_vectors(model_dir, laser.preprocess(texts))
    by_hand = by_hand / np.linalg.norm(by_hand, axis=1, keepdims=True)
    assert np.allclose(ours, by_hand, atol=1e-5)


def test_deterministic_and_independent_of_batch(laser: LaserEmbedder) -> None:
    texts = ["Цены на нефть выросли.", "The government signed an agreement with the company on Monday.", "Yes."]
    first = laser.embed(texts)
    assert np.array_equal(first, laser.embed(texts))
    alone = np.vstack([laser.embed([t]) for t in texts])
    assert np.allclose(first, alone, atol=1e-5)
    assert not np.allclose(first[0], first[1])


def test_model_dir_from_environment(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(model_dir))
    assert locate_model().directory == model_dir
    assert get_encoder("laser").dim == 2 * HIDDEN


def test_missing_files_are_named(model_dir: Path, tmp_path: Path) -> None:
    (tmp_path / BPE_CODES).write_bytes((model_dir / BPE_CODES).read_bytes())
    with pytest.raises(ModelNotFoundError) as info:
        get_encoder("laser", model_dir=str(tmp_path))
    message = str(info.value)
    assert BPE_VOCAB in message and ENCODER in message and BPE_CODES + "," not in message
    assert "python -m laserembeddings download-models" in message and str(tmp_path) in message


def test_without_the_extra_the_error_names_it() -> None:
    code = (
        "import sys; sys.modules['laserembeddings'] = None\n"
        "from bialign.embed import get_encoder\n"
        "try:\n    get_encoder('laser')\n"
        "except ImportError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out.splitlines() == [out] and "bialign[laser]" in out
