"""Scoring machine-translation systems on a test set made from pairs, with sacrebleu.

Each system's output is scored with BLEU, chrF, chrF++ and TER (sacrebleu 2.x), with a
95% confidence interval from bootstrap resampling, and compared with the first system
(the baseline) by sacrebleu's paired bootstrap test. A system is a file of hypotheses or
a command that reads source lines on stdin and writes one translation a line on stdout.

sacrebleu is an optional dependency: ``pip install 'bialign[bench]'``.
"""

from __future__ import annotations

import math
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..errors import BialignError, MissingDependencyError
from .testset import TestSet

__all__ = [
    "bench",
    "BenchError",
    "BenchResult",
    "COMMAND_PREFIX",
    "DEFAULT_SAMPLES",
    "DEFAULT_TIMEOUT",
    "format_markdown",
    "format_text",
    "METRICS",
    "metrics",
    "plot",
    "read_lines",
    "run_command",
    "score_systems",
    "system_output",
    "SystemScore",
]

METRICS = ("BLEU", "chrF", "chrF++", "TER")
# sacrebleu's own names of the metrics as configured here
_SACREBLEU_NAMES = {"BLEU": "BLEU", "chrF": "chrF2", "chrF++": "chrF2++", "TER": "TER"}
COMMAND_PREFIX = "cmd:"
DEFAULT_TIMEOUT = 600.0
DEFAULT_SAMPLES = 1000


class BenchError(BialignError):
    """A system cannot be scored: its command failed or its output has the wrong length."""


@dataclass(frozen=True)
class SystemScore:
    """One system's scores, their 95% intervals and p-values against the baseline."""

    name: str
    scores: dict[str, float]
    intervals: dict[str, tuple[float, float]]
    p_values: dict[str, float | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {"name": self.name}
        record.update({m: round(self.scores[m], 4) for m in METRICS})
        record.update({f"{m}_ci": [round(v, 4) for v in self.intervals[m]] for m in METRICS})
        record["p_value"] = self.p_values.get("BLEU")
        record["p_values"] = dict(self.p_values)
        return record


@dataclass(frozen=True)
class BenchResult:
    """All systems' scores on one test set, with sacrebleu's signature per metric."""

    direction: str
    segments: int
    signature: dict[str, str]
    systems: tuple[SystemScore, ...]
    testset: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "signature": dict(self.signature),
            "direction": self.direction,
            "segments": self.segments,
            "systems": [s.to_dict() for s in self.systems],
            "testset": dict(self.testset),
        }


def _sacrebleu() -> Any:
    try:
        import sacrebleu  # noqa: F401
        from sacrebleu.metrics import BLEU, CHRF, TER
        from sacrebleu.significance import PairedTest
    except ImportError as exc:
        raise MissingDependencyError("sacrebleu", "bench", "MT benchmarking") from exc
    return BLEU, CHRF, TER, PairedTest


def metrics(tokenize: str | None = None) -> dict[str, Any]:
    """The four sacrebleu metrics, configured as sacrebleu's command line does by default."""
    BLEU, CHRF, TER, _ = _sacrebleu()
    bleu_options = {"tokenize": tokenize} if tokenize else {}
    return {"BLEU": BLEU(**bleu_options), "chrF": CHRF(), "chrF++": CHRF(word_order=2), "TER": TER()}


def read_lines(path: str | os.PathLike[str]) -> list[str]:
    """The lines of a text file (UTF-8, split on ``\\n`` only, trailing whitespace dropped)."""
    text = Path(path).read_text(encoding="utf-8")
    if text.endswith("\n"):
        text = text[:-1]
    return [line.rstrip() for line in text.split("\n")] if text else []


def run_command(command: str, sources: Sequence[str], timeout: float = DEFAULT_TIMEOUT) -> list[str]:
    """Translate ``sources`` with a shell command: one line in, one line out."""
    try:
        done = subprocess.run(command, shell=True, input="".join(s + "\n" for s in sources),
                              capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"command '{command}' did not finish within {timeout:g} s") from exc
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise BenchError(f"command '{command}' failed with exit code {done.returncode}: {detail[0]}")
    output = done.stdout[:-1] if done.stdout.endswith("\n") else done.stdout
    lines = [line.rstrip() for line in output.split("\n")] if output else []
    if len(lines) != len(sources):
        raise BenchError(f"command '{command}' wrote {len(lines)} lines for {len(sources)} source lines")
    return lines


def system_output(name: str, spec: str, sources: Sequence[str], timeout: float = DEFAULT_TIMEOUT) -> list[str]:
    """A system's translations of ``sources``.

    ``spec`` is a command when it starts with ``cmd:``; otherwise an existing file is a
    file of hypotheses (one a line) and anything else is run as a shell command.
    """
    if spec.startswith(COMMAND_PREFIX):
        return run_command(spec[len(COMMAND_PREFIX):], sources, timeout)
    if os.path.isfile(spec):
        lines = read_lines(spec)
        if len(lines) != len(sources):
            raise BenchError(f"system '{name}': {spec} has {len(lines)} lines, the test set {len(sources)}")
        return lines
    return run_command(spec, sources, timeout)


def _interval(result: Any, fallback: float, metric: str = "BLEU") -> tuple[float, float]:
    """The bootstrap mean ± its half-width, clipped to the metric's range (0 to 100; TER has no top).

    On a short test set the half-width may exceed the mean; a score below 0 is not a score.
    """
    if result.mean is None or result.ci is None:
        return (fallback, fallback)
    top = math.inf if metric == "TER" else 100.0
    return (max(0.0, float(result.mean - result.ci)), min(top, float(result.mean + result.ci)))


def score_systems(references: Sequence[str], systems: Sequence[tuple[str, Sequence[str]]],
                  direction: str = "ru-en", n_samples: int = DEFAULT_SAMPLES, tokenize: str | None = None,
                  testset: dict[str, object] | None = None) -> BenchResult:
    """Score every system against ``references``; the first system is the baseline.

    Uses sacrebleu's paired bootstrap test (``n_samples`` resamples; the seed comes from
    ``SACREBLEU_SEED``, 12345 by default, as in sacrebleu).
    """
    if not systems:
        raise BenchError("no system to score")
    names = [name for name, _ in systems]
    if len(set(names)) != len(names):
        raise BenchError(f"system names must differ: {', '.join(names)}")
    for name, hypotheses in systems:
        if len(hypotheses) != len(references):
            raise BenchError(f"system '{name}' has {len(hypotheses)} lines, the test set {len(references)}")
    if not references:
        raise BenchError("the test set is empty")
    *_, PairedTest = _sacrebleu()
    named = [(name, list(hyps)) for name, hyps in systems]
    test = PairedTest(named, {m: metric for m, metric in metrics(tokenize).items()}, [list(references)],
                      test_type="bs", n_samples=n_samples)
    signatures, table = test()
    scored = []
    for index, name in enumerate(names):
        scores, intervals, p_values = {}, {}, {}
        for metric in METRICS:
            result = table[_SACREBLEU_NAMES[metric]][index]
            scores[metric] = float(result.score)
            intervals[metric] = _interval(result, scores[metric], metric)
            p_values[metric] = None if index == 0 or result.p_value is None else float(result.p_value)
        scored.append(SystemScore(name, scores, intervals, p_values))
    signature = {m: signatures[_SACREBLEU_NAMES[m]].format() for m in METRICS}
    return BenchResult(direction, len(references), signature, tuple(scored), testset or {})


def bench(testset: TestSet, systems: Sequence[tuple[str, str]], timeout: float = DEFAULT_TIMEOUT,
          n_samples: int = DEFAULT_SAMPLES, tokenize: str | None = None) -> BenchResult:
    """Get each system's output (file or command) for ``testset`` and score them all."""
    outputs = [(name, system_output(name, spec, testset.sources, timeout)) for name, spec in systems]
    return score_systems(testset.references, outputs, testset.direction, n_samples, tokenize, testset.report())


# --- presentation (pure functions; the CLI prints them) ----------------------------------

def _p(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _rows(result: BenchResult) -> list[list[str]]:
    rows = []
    for system in result.systems:
        lo, hi = system.intervals["BLEU"]
        rows.append([system.name, f"{system.scores['BLEU']:.2f}", f"[{lo:.2f}, {hi:.2f}]",
                     f"{system.scores['chrF']:.2f}", f"{system.scores['chrF++']:.2f}",
                     f"{system.scores['TER']:.2f}", _p(system.p_values.get("BLEU"))])
    return rows


_HEADER = ["system", "BLEU", "BLEU 95% CI", "chrF", "chrF++", "TER", "p (BLEU)"]


def format_text(result: BenchResult) -> str:
    """A plain-text table, then the signatures."""
    rows = [_HEADER] + _rows(result)
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
    lines = [f"{result.direction}, {result.segments} segments, baseline: {result.systems[0].name}"]
    for row in rows:
        lines.append("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
    lines.extend(f"{metric} signature: {sig}" for metric, sig in result.signature.items())
    return "\n".join(lines) + "\n"


def format_markdown(result: BenchResult) -> str:
    """A Markdown table, then the signatures as a list."""
    lines = [f"{result.direction}, {result.segments} segments, baseline: {result.systems[0].name}", "",
             "| " + " | ".join(_HEADER) + " |", "|" + "|".join(["---"] + ["---:"] * (len(_HEADER) - 1)) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in _rows(result))
    lines.append("")
    lines.extend(f"- {metric}: `{sig}`" for metric, sig in result.signature.items())
    return "\n".join(lines) + "\n"


def plot(result: BenchResult, path: str | os.PathLike[str]) -> None:
    """Draw each metric's scores with their 95% intervals into an image file."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise MissingDependencyError("matplotlib", "plot", "--plot") from exc
    names = [s.name for s in result.systems]
    figure, axes = plt.subplots(1, len(METRICS), figsize=(3.2 * len(METRICS), 0.6 * len(names) + 1.8), sharey=True)
    for axis, metric in zip(axes, METRICS):
        values = [s.scores[metric] for s in result.systems]
        low = [max(0.0, v - s.intervals[metric][0]) for v, s in zip(values, result.systems)]
        high = [max(0.0, s.intervals[metric][1] - v) for v, s in zip(values, result.systems)]
        positions = list(range(len(names)))
        axis.barh(positions, values, xerr=[low, high], color="#7aa6c2", ecolor="#333333", capsize=4)
        for position, value in zip(positions, values):
            axis.text(value, position, f" {value:.1f}", va="bottom", fontsize=8)
        axis.set_title(metric + (" (lower is better)" if metric == "TER" else ""), fontsize=10)
        axis.set_yticks(positions, names)
        axis.set_xlim(0, max(100.0, max(v + h for v, h in zip(values, high)) * 1.1) if not math.isnan(max(values)) else 100)
    axes[0].invert_yaxis()  # shared: the baseline on top in every panel
    figure.suptitle(f"{result.direction}, {result.segments} segments, 95% bootstrap intervals", fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
