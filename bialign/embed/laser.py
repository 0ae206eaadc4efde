"""LASER (BiLSTM, 93 languages, 1024 dimensions) through the ``laserembeddings`` package.

The model files are never downloaded here: they are looked up in a directory the user
gives (``model_dir``), then ``$BIALIGN_LASER_DIR``, then the ``laserembeddings`` package's
own ``data`` folder (where ``python -m laserembeddings download-models`` puts them).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from ..errors import MissingDependencyError, ModelNotFoundError
from ..text.detect import CYRILLIC_RE
from .base import Embedder

BPE_CODES = "93langs.fcodes"
BPE_VOCAB = "93langs.fvocab"
ENCODER = "bilstm.93langs.2018-12-26.pt"
MODEL_FILES = (BPE_CODES, BPE_VOCAB, ENCODER)
ENV_VAR = "BIALIGN_LASER_DIR"

_GREEK = re.compile(r"[\u0370-\u03FF]")


@dataclass(frozen=True)
class LaserFiles:
    """Where LASER's three model files were looked for, and which of them are there."""

    directory: Path
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    def path(self, name: str) -> Path:
        return self.directory / name


def _package_data_dir() -> Path | None:
    """The ``data`` folder of the installed ``laserembeddings`` package (without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("laserembeddings")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def candidate_dirs() -> list[Path]:
    """The directories searched for the model files, in order, when none is given."""
    dirs = []
    if os.environ.get(ENV_VAR):
        dirs.append(Path(os.environ[ENV_VAR]))
    package_dir = _package_data_dir()
    if package_dir is not None:
        dirs.append(package_dir)
    return dirs


def locate_model(model_dir: str | os.PathLike[str] | None = None) -> LaserFiles:
    """The first directory holding all three files; else the first searched, with what it lacks.

    A directory given explicitly (``model_dir``) is the only one searched.
    """
    dirs = [Path(model_dir)] if model_dir else candidate_dirs()
    if not dirs:
        return LaserFiles(Path(ENV_VAR), MODEL_FILES)
    found = [LaserFiles(d, tuple(f for f in MODEL_FILES if not (d / f).is_file())) for d in dirs]
    return next((f for f in found if f.complete), found[0])


def describe_location(model_dir: str | os.PathLike[str] | None = None) -> str:
    """One line for ``bialign encoders``: the directory found, or what is missing where."""
    files = locate_model(model_dir)
    if files.complete:
        return str(files.directory)
    return f"missing in {files.directory}: {', '.join(files.missing)}"


def missing_message(files: LaserFiles) -> str:
    return (
        f"LASER model files missing in {files.directory}: {', '.join(files.missing)}. "
        f"Get them with 'python -m laserembeddings download-models DIR' and pass DIR as "
        f"model_dir or set {ENV_VAR}=DIR"
    )


def guess_language(text: str) -> str:
    """The tokeniser language LASER needs: ``ru`` for Cyrillic, ``el`` for Greek, else ``en``."""
    if CYRILLIC_RE.search(text):
        return "ru"
    if _GREEK.search(text):
        return "el"
    return "en"


class LaserEmbedder(Embedder):
    """LASER sentence embeddings; the tokeniser language is chosen per sentence by its script."""

    name = "laser"

    def __init__(self, model_dir: str | os.PathLike[str] | None = None, max_tokens: int = 12000) -> None:
        try:
            from laserembeddings import Laser
            from laserembeddings.preprocessing import Tokenizer
        except ImportError as exc:
            raise MissingDependencyError("laserembeddings-fork", "laser", "the laser encoder") from exc
        files = locate_model(model_dir)
        if not files.complete:
            raise ModelNotFoundError(missing_message(files))
        self.model_dir = files.directory
        self._laser = Laser(
            bpe_codes=str(files.path(BPE_CODES)),
            bpe_vocab=str(files.path(BPE_VOCAB)),
            encoder=str(files.path(ENCODER)),
            embedding_options={"max_tokens": max_tokens, "cpu": True, "stable": True},
        )
        self._tokenizer_class = Tokenizer
        self._tokenizers: dict[str, Tokenizer] = {}
        self._dim = int(self._laser.bpeSentenceEmbedding.encoder.encoder.output_units)

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def version(self) -> str:
        for dist in ("laserembeddings-fork", "laserembeddings"):
            try:
                return f"{dist}-{metadata.version(dist)}"
            except metadata.PackageNotFoundError:
                continue
        return "unknown"

    def preprocess(self, texts: list[str]) -> list[str]:
        """The BPE-segmented lines LASER's encoder reads (normalise, tokenise, romanise, BPE)."""
        return [self._laser.bpe.encode_tokens(self._tokenizer(guess_language(t)).tokenize(t)) for t in texts]

    def _tokenizer(self, lang: str):  # type: ignore[no-untyped-def]
        if lang not in self._tokenizers:
            self._tokenizers[lang] = self._tokenizer_class(lang)
        return self._tokenizers[lang]

    def _embed(self, texts: list[str]) -> np.ndarray:
        vectors = self._laser.bpeSentenceEmbedding.embed_bpe_sentences(self.preprocess(texts))
        return np.asarray(vectors, dtype=np.float32)
