"""usem3 under ONNX Runtime (fp32 and dynamic int8) against bialign's numpy pass.

The fp32 variant is the ``usem3-onnx`` encoder (:mod:`bialign.embed.usem3_onnx`: two graphs
built from usem3's numpy weights with ``onnx.helper``); the int8 variant is the same two
graphs after ``onnxruntime.quantization.quantize_dynamic`` (int8 weights, activations
quantised at run time). All run on one thread. Prints throughput against the numpy pass
(fastest of ``--rounds``, alternating), the max vector difference, bit-exactness alone vs
in one batch, then aligns dev and editorial with each variant and scores the pairs with
``bialign.bench.evaluation`` (what ``bialign score`` applies).

    pip install 'bialign[onnx]'
    python benchmarks/onnx_usem3.py [--rounds 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exactness import CORPORA, sentences  # noqa: E402

from bialign import read_items  # noqa: E402
from bialign.embed.base import Embedder  # noqa: E402
from bialign.bench.evaluation import evaluate, read_gold, read_pairs  # noqa: E402
from bialign.embed.usem3 import USEM3Embedder, USEM3OnnxEmbedder  # noqa: E402
from bialign.embed.usem3_onnx import OnnxForward, text_graph, token_graph  # noqa: E402
from bialign.align.aligner import AlignConfig, Aligner  # noqa: E402
from bialign.formats.jsonl import json_line  # noqa: E402


class Int8Embedder(USEM3OnnxEmbedder):
    """usem3-onnx with both graphs quantised to int8 weights (measured only, never adopted)."""

    name = "usem3-onnx-int8"

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def _embed_exact(self, texts: list[str]) -> np.ndarray:
        if self._exact is None:
            import onnx
            import onnxruntime as ort
            from onnxruntime.quantization import QuantType, quantize_dynamic

            forward = OnnxForward(self._backend)
            options = ort.SessionOptions()
            options.intra_op_num_threads = options.inter_op_num_threads = 1
            for name, build in (("tokens", token_graph), ("texts", text_graph)):
                plain, quantised = self.folder / f"{name}.onnx", self.folder / f"{name}.int8.onnx"
                plain.write_bytes(build(onnx, self._backend))
                quantize_dynamic(str(plain), str(quantised), weight_type=QuantType.QInt8)
                setattr(forward, name, ort.InferenceSession(str(quantised), options, providers=["CPUExecutionProvider"]))
            self._exact = forward
        return super()._embed_exact(texts)


def _pairs(embedder: Embedder, out: Path) -> dict[str, dict[str, float]]:
    scores = {}
    for items in CORPORA:
        corpus = items.name.split(".")[0]
        path = out / f"{embedder.name}-{corpus}.pairs.jsonl"
        aligner = Aligner(AlignConfig(), embedder)
        with path.open("w", encoding="utf-8") as handle:
            for result in aligner.align_items(read_items([str(items)])):
                for pair in result.pairs:
                    handle.write(json_line(pair.to_json()))
        scores[corpus] = evaluate(read_gold(items.with_name(f"{corpus}.gold.jsonl")), read_pairs(path)).to_dict()
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default=tempfile.mkdtemp(prefix="bialign-onnx-"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    numpy_pass = USEM3Embedder()
    variants: list[Embedder] = [numpy_pass, USEM3OnnxEmbedder(), Int8Embedder(out)]
    texts = sentences()
    reference = numpy_pass.embed(texts)
    times: dict[str, list[float]] = {e.name: [] for e in variants}
    for _ in range(args.rounds):
        for embedder in variants:
            start = time.perf_counter()
            embedder.embed(texts)
            times[embedder.name].append(time.perf_counter() - start)
    scores = {e.name: _pairs(e, out) for e in variants}
    base = min(times[numpy_pass.name])
    print(f"texts: {len(texts)} distinct dev + editorial sentences; one thread each")
    print("| pass | texts/s | speed vs numpy | max abs diff | alone == batch | dev strict F1 | editorial strict F1 "
          "| pairs = numpy's (ignoring score) |")
    print("|---|---|---|---|---|---|---|---|")
    for embedder in variants:
        best = min(times[embedder.name])
        vectors = embedder.embed(texts)
        alone = np.vstack([embedder.embed([t]) for t in texts[:500]])
        same_rows = int((alone == vectors[:500]).all(1).sum())
        diff = float(np.abs(vectors - reference).max())
        same = all(_without_scores(out / f"{embedder.name}-{c}.pairs.jsonl")
                   == _without_scores(out / f"{numpy_pass.name}-{c}.pairs.jsonl") for c in ("dev", "editorial"))
        f1 = [scores[embedder.name][c]["strict_f1"] for c in ("dev", "editorial")]
        print(f"| {embedder.name} | {len(texts) / best:.0f} | {base / best:.2f}x | {diff:.1e} | {same_rows}/500 | "
              f"{f1[0]:.4f} | {f1[1]:.4f} | {'yes' if same else 'no'} |")


def _without_scores(path: Path) -> list[dict]:
    return [{k: v for k, v in json.loads(line).items() if k != "score"} for line in path.open(encoding="utf-8")]


if __name__ == "__main__":
    main()
