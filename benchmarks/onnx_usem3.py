"""usem3 under ONNX Runtime (fp32 and dynamic int8) against bialign's numpy pass.

Builds an ONNX graph of usem3's network from the numpy weights (``onnx.helper``): token
embeddings are dequantised in numpy (as in the numpy pass), then the projection, the three
CNN branches (window gathers against a zero sentinel row), layer norms, the per-text sum
(a 0/1 text-by-token matrix), the text-level layers and the final normalisation run in
the graph. ``onnxruntime.quantization.quantize_dynamic`` gives the int8 model. All runs
use one thread. Prints throughput ratios and max vector differences on the distinct dev +
editorial sentences, then aligns dev and editorial with each variant and scores the pairs
with the referee (``/work/shared/eval/score.py``).

    pip install onnx onnxruntime
    python benchmarks/onnx_usem3.py [--rounds 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exactness import CORPORA, SHARED, sentences  # noqa: E402

from bialign import read_items  # noqa: E402
from bialign.embed.base import Embedder  # noqa: E402
from bialign.embed.usem3 import USEM3Embedder  # noqa: E402
from bialign.pipeline import AlignConfig, Aligner  # noqa: E402
from bialign.writers.jsonl import json_line  # noqa: E402

ORDERS = ((2, 0), (3, 1), (5, 2))
TOKEN_BUDGET = 384


def build_model(backend: Any, path: Path) -> None:
    """Write usem3's network (after the token-embedding lookup) as an ONNX model."""
    from onnx import TensorProto, helper, numpy_helper, save

    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(op: str, inputs: list[str], name: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    eps = float(backend.eps)
    x = node("MatMul", ["emb", const("proj_W", backend.proj_W)], "proj")
    x = node("Add", [x, const("proj_b", backend.proj_b)], "proj_bias")
    x = node("LayerNormalization", [x, const("ln_g_all", backend.ln_g_all), const("ln_b_all", backend.ln_b_all)],
             "ln_all", epsilon=eps, axis=-1)
    zero_row = const("zero_row", np.zeros((1, 256), dtype=np.float32))
    parts = ["emb"]
    for i, (n, left) in enumerate(ORDERS):
        xs = node("Slice", [x, const(f"s{i}", np.array([i * 256])), const(f"e{i}", np.array([(i + 1) * 256])),
                            const(f"ax{i}", np.array([1]))], f"xs{i}")
        cols = node("Slice", ["win", const(f"cs{i}", np.array([2 - left])), const(f"ce{i}", np.array([2 - left + n])),
                              const(f"cax{i}", np.array([1]))], f"cols{i}")
        shape = const(f"shape{i}", np.array([-1, n * 256]))
        h = xs
        for layer, (w, b) in enumerate(((backend.w1[i], backend.b1[i]), (backend.w2[i], backend.b2[i]))):
            buf = node("Concat", [h, zero_row], f"buf{i}_{layer}", axis=0)
            g = node("Reshape", [node("Gather", [buf, cols], f"g{i}_{layer}", axis=0), shape], f"r{i}_{layer}")
            y = node("Relu", [node("Add", [node("MatMul", [g, const(f"w{i}_{layer}", w)], f"mm{i}_{layer}"),
                                           const(f"b{i}_{layer}", b)], f"ab{i}_{layer}")], f"relu{i}_{layer}")
            h = node("Add", [y, h], f"res{i}_{layer}")
        parts.append(h)
    feats = node("Concat", parts, "feats", axis=1)
    feats = node("LayerNormalization", [feats, const("ln_g", backend.ln_g), const("ln_b", backend.ln_b)], "ln",
                 epsilon=eps, axis=-1)
    sums = node("MatMul", ["seg", feats], "sums")
    mean = node("MatMul", [sums, const("cnn_W", backend.cnn_W)], "cnn")
    mean = node("Add", [mean, node("Mul", ["lens", const("cnn_b", backend.cnn_b)], "lb")], "cnn_bias")
    mean = node("Div", [mean, node("Sqrt", ["lens"], "sqrt_len")], "mean")
    y0 = node("Relu", [node("MatMul", [mean, const("d0", backend.d0)], "m_d0")], "y0")
    y1 = node("Relu", [node("Add", [node("MatMul", [mean, const("p1", backend.p1)], "m_p1"),
                                    node("MatMul", [y0, const("d1", backend.d1)], "m_d1")], "a1")], "y1")
    y2 = node("Relu", [node("MatMul", [y1, const("d2", backend.d2)], "m_d2")], "y2")
    z = node("Tanh", [node("Add", [node("MatMul", [y1, const("p3", backend.p3)], "m_p3"),
                                   node("MatMul", [y2, const("d3", backend.d3)], "m_d3")], "a3")], "z")
    norm = node("Sqrt", [node("Max", [node("ReduceSumSquare", [z, const("axes", np.array([1]))], "ss", keepdims=1),
                                      const("eps", np.array([eps], dtype=np.float32))], "clip")], "norm")
    node("Div", [z, norm], "vectors")
    graph = helper.make_graph(
        nodes, "usem3",
        [helper.make_tensor_value_info("emb", TensorProto.FLOAT, ["n", 512]),
         helper.make_tensor_value_info("win", TensorProto.INT64, ["n", 5]),
         helper.make_tensor_value_info("seg", TensorProto.FLOAT, ["s", "n"]),
         helper.make_tensor_value_info("lens", TensorProto.FLOAT, ["s", 1])],
        [helper.make_tensor_value_info("vectors", TensorProto.FLOAT, ["s", 512])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 8
    save(model, str(path))


class OnnxUSEM3(Embedder):
    """usem3 run by ONNX Runtime on one thread (for this measurement only)."""

    name = "usem3-onnx"

    def __init__(self, model_path: Path, backend: Any) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self.backend = backend

    @property
    def dim(self) -> int:
        return 512

    def _embed(self, texts: list[str]) -> np.ndarray:
        encode = self.backend.sp.encode
        ids = [encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
        out, group, tokens, first = [], [], 0, 0
        for text_ids in ids:
            if group and tokens + len(text_ids) > TOKEN_BUDGET:
                out.append(self._run(group))
                group, tokens = [], 0
            group.append(text_ids)
            tokens += len(text_ids)
        if group:
            out.append(self._run(group))
        return np.vstack(out)

    def _run(self, group: list[list[int]]) -> np.ndarray:
        b = self.backend
        lens = np.array([len(g) for g in group])
        flat = np.concatenate([np.asarray(g, dtype=np.int64) for g in group])
        n = len(flat)
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        chunk = flat % len(b.scale)
        emb = b.table[flat].astype(np.float32) * b.scale[chunk, None] + b.lo[chunk, None]
        base = np.arange(n)[:, None] + np.arange(-2, 3)
        first = np.repeat(starts, lens)[:, None]
        win = np.where((base >= first) & (base < first + np.repeat(lens, lens)[:, None]), base, n)
        seg = np.zeros((len(group), n), dtype=np.float32)
        seg[np.repeat(np.arange(len(group)), lens), np.arange(n)] = 1.0
        return self.session.run(None, {"emb": emb.astype(np.float32), "win": win.astype(np.int64), "seg": seg,
                                       "lens": lens.astype(np.float32)[:, None]})[0]


def _pairs(embedder: Embedder, out: Path) -> dict[str, dict[str, float]]:
    scores = {}
    for items in CORPORA:
        corpus = items.name.split(".")[0]
        path = out / f"{embedder.name}-{corpus}.pairs.jsonl"
        aligner = Aligner(replace(AlignConfig()), embedder)
        with path.open("w", encoding="utf-8") as handle:
            for result in aligner.align_items(read_items([str(items)])):
                for pair in result.pairs:
                    handle.write(json_line(pair.to_dict()))
        run = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--items", str(items), "--gold",
                              str(items.with_name(f"{corpus}.gold.jsonl")), "--pairs", str(path), "--json"],
                             capture_output=True, text=True, check=True)
        scores[corpus] = json.loads(run.stdout)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default=tempfile.mkdtemp(prefix="bialign-onnx-"))
    args = parser.parse_args()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    numpy_pass = USEM3Embedder()
    backend = numpy_pass._backend
    build_model(backend, out / "usem3.onnx")
    quantize_dynamic(str(out / "usem3.onnx"), str(out / "usem3.int8.onnx"), weight_type=QuantType.QInt8)
    fp32, int8 = OnnxUSEM3(out / "usem3.onnx", backend), OnnxUSEM3(out / "usem3.int8.onnx", backend)
    int8.name = "usem3-onnx-int8"
    variants: list[Embedder] = [numpy_pass, fp32, int8]
    texts = sentences()
    reference = numpy_pass.embed(texts)
    times: dict[str, list[float]] = {e.name: [] for e in variants}
    for _ in range(args.rounds):
        for embedder in variants:
            start = time.perf_counter()
            embedder.embed(texts)
            times[embedder.name].append(time.perf_counter() - start)
    alone = np.vstack([fp32.embed([t]) for t in texts[:300]])
    print(f"texts: {len(texts)}; onnx fp32 alone == in one batch: {int((alone == fp32.embed(texts[:300])).all(1).sum())}/300")
    scores = {e.name: _pairs(e, out) for e in variants}
    base = min(times[numpy_pass.name])
    print("| pass | texts/s | speed vs numpy | max abs diff | dev strict F1 | editorial strict F1 | pairs = numpy's |")
    print("|---|---|---|---|---|---|---|")
    for embedder in variants:
        best = min(times[embedder.name])
        diff = float(np.abs(embedder.embed(texts) - reference).max())
        same = all((out / f"{embedder.name}-{c}.pairs.jsonl").read_bytes()
                   == (out / f"{numpy_pass.name}-{c}.pairs.jsonl").read_bytes() for c in ("dev", "editorial"))
        f1 = [scores[embedder.name][c]["strict_f1"] for c in ("dev", "editorial")]
        print(f"| {embedder.name} | {len(texts) / best:.0f} | {base / best:.2f}x | {diff:.1e} | {f1[0]:.4f} | "
              f"{f1[1]:.4f} | {'yes' if same else 'no'} |")


if __name__ == "__main__":
    main()
