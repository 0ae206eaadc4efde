"""The benchmark as one self-contained HTML page (``bialign bench ... --html FILE``).

The page holds the system table (scores, 95% bootstrap intervals, paired-test p-values
against the baseline), an inline SVG plot, and per-segment views: the segments where the
systems' sentence chrF differs most, and scores bucketed by source length and by alignment
score, each with source, reference and every system's output side by side. Per-segment
tables are capped, so the page size is bounded whatever the test set's size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import MissingDependencyError
from .htmlpage import document, esc
from .scoring import METRICS, BenchResult
from .testset import TestSet

TOP_SEGMENTS = 50  # segments in the "differ most" table
PER_BUCKET = 20  # segments shown under each bucket
SIGNIFICANCE = 0.05
LENGTH_EDGES = (10, 20, 30, 50)  # source words
SCORE_EDGES = (0.5, 0.6, 0.7, 0.8)  # alignment scores

CSS = """
table.systems td, table.systems th { white-space: nowrap; }
table.segments td { max-width: 24rem; font-size: 14px; }
table.segments td.chrf { white-space: nowrap; }
.sig { font-weight: 700; color: #0a6b2b; }
svg text { font: 12px system-ui, sans-serif; }
figure { margin: .5rem 0; overflow-x: auto; }
"""


@dataclass(frozen=True)
class Bucket:
    """Segments that fall in one range (of source length or alignment score)."""

    label: str
    indices: tuple[int, ...]


def sentence_chrf(references: Sequence[str], outputs: Sequence[tuple[str, Sequence[str]]]) -> list[list[float]]:
    """Sentence chrF (sacrebleu's defaults) of each system (rows) on each segment (columns)."""
    try:
        from sacrebleu.metrics import CHRF
    except ImportError as exc:
        raise MissingDependencyError("sacrebleu", "bench", "the benchmark page") from exc
    chrf = CHRF()
    return [[chrf.sentence_score(hyp, [ref]).score for hyp, ref in zip(hyps, references)] for _, hyps in outputs]


def _corpus_chrf(references: Sequence[str], hypotheses: Sequence[str], indices: Sequence[int]) -> float:
    from sacrebleu.metrics import CHRF

    if not indices:
        return math.nan
    return CHRF().corpus_score([hypotheses[i] for i in indices], [[references[i] for i in indices]]).score


def _ranges(edges: Sequence[float], unit: str, fmt: str) -> list[tuple[str, float, float]]:
    bounds = [-math.inf, *edges, math.inf]
    out = []
    for low, high in zip(bounds, bounds[1:]):
        if low == -math.inf:
            out.append((f"below {high:{fmt}}{unit}", low, high))
        elif high == math.inf:
            out.append((f"{low:{fmt}}{unit} or more", low, high))
        else:
            out.append((f"{low:{fmt}}–{high:{fmt}}{unit}", low, high))
    return out


def buckets(values: Sequence[float], edges: Sequence[float], unit: str = "", fmt: str = "g") -> list[Bucket]:
    """Segments by range of ``values`` (``low <= value < high``); NaN values go to "unknown"."""
    out = [Bucket(label, tuple(i for i, v in enumerate(values) if not math.isnan(v) and low <= v < high))
           for label, low, high in _ranges(edges, unit, fmt)]
    unknown = tuple(i for i, v in enumerate(values) if math.isnan(v))
    if unknown:
        out.append(Bucket("unknown", unknown))
    return out


def spread(chrf: list[list[float]]) -> list[float]:
    """Per segment, best minus worst system's sentence chrF (0 with one system)."""
    return [max(column) - min(column) for column in zip(*chrf)] if chrf else []


def _p(value: float | None) -> str:
    if value is None:
        return "baseline"
    mark = ' <span class="sig">*</span>' if value < SIGNIFICANCE else ""
    return f"{value:.4f}{mark}"


def system_table(result: BenchResult) -> str:
    """Scores with 95% intervals and p-values, one row per system."""
    head = "".join(f'<th scope="col">{m} [95% CI]</th><th scope="col" class="num">p ({m})</th>' for m in METRICS)
    rows = []
    for system in result.systems:
        cells = []
        for metric in METRICS:
            low, high = system.intervals[metric]
            cells.append(f'<td class="num">{system.scores[metric]:.2f} <span class="muted">[{low:.2f}, {high:.2f}]</span></td>'
                         f'<td class="num">{_p(system.p_values.get(metric))}</td>')
        rows.append(f'<tr><th scope="row">{esc(system.name)}</th>{"".join(cells)}</tr>')
    return (f'<table class="systems"><caption>Systems on {result.segments} segments ({esc(result.direction)}); '
            f'intervals and p-values from sacrebleu\'s paired bootstrap test against the baseline '
            f'<strong>{esc(result.systems[0].name)}</strong>; <span class="sig">*</span> p &lt; {SIGNIFICANCE}. '
            f'TER: lower is better.</caption><thead><tr><th scope="col">system</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def plot_svg(result: BenchResult) -> str:
    """Each metric's scores as horizontal bars with their 95% intervals, as inline SVG."""
    names = [s.name for s in result.systems]
    label_w, panel_w, row_h, top = 120, 220, 24, 26
    height = top + row_h * len(names) + 10
    width = label_w + (panel_w + 50) * len(METRICS)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-labelledby="plot-title"><title id="plot-title">Scores with 95% bootstrap intervals; '
             f'the table above holds the same numbers</title>']
    for row, name in enumerate(names):
        y = top + row * row_h + row_h / 2 + 4
        parts.append(f'<text x="{label_w - 6}" y="{y}" text-anchor="end">{esc(name)}</text>')
    for column, metric in enumerate(METRICS):
        x0 = label_w + column * (panel_w + 50)
        values = [s.scores[metric] for s in result.systems]
        highs = [s.intervals[metric][1] for s in result.systems]
        scale = max([100.0] + [v for v in highs if not math.isnan(v)]) * 1.02
        title = metric + (" (lower is better)" if metric == "TER" else "")
        parts.append(f'<text x="{x0}" y="16" font-weight="600">{esc(title)}</text>')
        parts.append(f'<line x1="{x0}" y1="{top - 4}" x2="{x0}" y2="{height - 6}" stroke="#888"/>')
        for row, system in enumerate(result.systems):
            value = values[row]
            if math.isnan(value):
                continue
            y = top + row * row_h
            w = panel_w * max(value, 0.0) / scale
            low, high = (panel_w * max(v, 0.0) / scale for v in system.intervals[metric])
            parts.append(f'<rect x="{x0}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="#7aa6c2"/>')
            parts.append(f'<line x1="{x0 + low:.1f}" y1="{y + row_h / 2}" x2="{x0 + high:.1f}" y2="{y + row_h / 2}" '
                         f'stroke="#222" stroke-width="1.5"/>')
            for edge in (low, high):
                parts.append(f'<line x1="{x0 + edge:.1f}" y1="{y + 7}" x2="{x0 + edge:.1f}" y2="{y + row_h - 7}" stroke="#222"/>')
            parts.append(f'<text x="{x0 + max(w, high) + 4:.1f}" y="{y + row_h / 2 + 4}">{value:.1f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _score(value: float) -> str:
    return "?" if math.isnan(value) else f"{value:.2f}"


def segments_table(indices: Sequence[int], testset: TestSet, outputs: Sequence[tuple[str, Sequence[str]]],
                   chrf: list[list[float]], caption: str) -> str:
    """Source, reference and each system's output (with its sentence chrF), side by side."""
    scores = testset.scores or tuple(math.nan for _ in testset.sources)
    src_lang, tgt_lang = testset.src_lang, testset.tgt_lang
    head = "".join(f'<th scope="col">{esc(name)}</th><th scope="col" class="num">chrF</th>' for name, _ in outputs)
    rows = []
    for i in indices:
        cells = "".join(f'<td lang="{tgt_lang}">{esc(hyps[i])}</td><td class="num chrf">{chrf[s][i]:.1f}</td>'
                        for s, (_, hyps) in enumerate(outputs))
        rows.append(f'<tr><th scope="row" class="num">{i + 1}</th><td class="num">{_score(scores[i])}</td>'
                    f'<td lang="{src_lang}">{esc(testset.sources[i])}</td><td lang="{tgt_lang}">{esc(testset.references[i])}</td>'
                    f'{cells}</tr>')
    return (f'<table class="segments"><caption>{esc(caption)}</caption><thead><tr><th scope="col">segment</th>'
            f'<th scope="col">alignment score</th><th scope="col">source</th><th scope="col">reference</th>{head}'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def bucket_section(title: str, anchor: str, groups: Sequence[Bucket], testset: TestSet,
                   outputs: Sequence[tuple[str, Sequence[str]]], chrf: list[list[float]], gap: list[float]) -> str:
    """A table of corpus chrF per bucket and system, then each bucket's segments that differ most."""
    head = "".join(f'<th scope="col" class="num">{esc(name)} chrF</th>' for name, _ in outputs)
    rows, details = [], []
    for group in groups:
        cells = "".join(f'<td class="num">{_score(_corpus_chrf(testset.references, hyps, group.indices))}</td>'
                        for _, hyps in outputs)
        rows.append(f'<tr><th scope="row">{esc(group.label)}</th><td class="num">{len(group.indices)}</td>{cells}</tr>')
        if group.indices:
            shown = sorted(group.indices, key=lambda i: (-gap[i], i))[:PER_BUCKET]
            caption = (f"{title}: {group.label}: {len(shown)} of {len(group.indices)} segments, "
                       f"those where the systems differ most first")
            details.append(f'<details><summary>{esc(group.label)}: {len(group.indices)} segments</summary>'
                           f'{segments_table(shown, testset, outputs, chrf, caption)}</details>')
    return (f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{esc(title)}</h2>'
            f'<table><caption>Corpus chrF per bucket</caption><thead><tr><th scope="col">bucket</th>'
            f'<th scope="col" class="num">segments</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'{"".join(details)}</section>')


def bench_page(result: BenchResult, testset: TestSet, outputs: Sequence[tuple[str, Sequence[str]]],
               title: str = "bialign bench") -> str:
    """The whole benchmark page as one HTML string."""
    chrf = sentence_chrf(testset.references, outputs)
    gap = spread(chrf)
    n = len(testset.sources)
    if len(outputs) > 1:
        top = sorted(range(n), key=lambda i: (-gap[i], i))[:TOP_SEGMENTS]
        top_title = "Segments where the systems differ most"
        top_caption = (f"The {len(top)} segments (of {n}) with the largest gap between the best and the worst "
                       f"system's sentence chrF")
    else:
        top = sorted(range(n), key=lambda i: (chrf[0][i], i))[:TOP_SEGMENTS] if chrf else []
        top_title = "Segments with the lowest chrF"
        top_caption = f"The {len(top)} segments (of {n}) with the lowest sentence chrF"
    lengths = [float(len(s.split())) for s in testset.sources]
    scores = list(testset.scores) if testset.scores else [math.nan] * n
    report: dict[str, Any] = dict(result.testset)
    dropped = ", ".join(f"{k}: {v}" for k, v in dict(report.get("dropped", {})).items())  # type: ignore[arg-type]
    kept = f"{report.get('kept', n)} of {report.get('read', n)} pairs kept" + (f" (dropped: {dropped})" if dropped else "")
    signatures = "".join(f"<li>{esc(m)}: <code>{esc(sig)}</code></li>" for m, sig in result.signature.items())
    body = (
        f'<header><h1>{esc(title)}</h1><p>{esc(result.direction)}, {result.segments} segments, baseline '
        f'<strong>{esc(result.systems[0].name)}</strong>; test set: {esc(kept)}.</p></header><main>'
        f'<section aria-labelledby="systems-h"><h2 id="systems-h">Systems</h2>{system_table(result)}'
        f'<figure>{plot_svg(result)}<figcaption class="muted">Bars: scores; whiskers: 95% bootstrap intervals.'
        f'</figcaption></figure><details><summary>sacrebleu signatures</summary><ul>{signatures}</ul></details></section>'
        f'<p class="note">Per-segment views use sentence chrF (sacrebleu). Tables show at most {TOP_SEGMENTS} '
        f'segments, and {PER_BUCKET} per bucket.</p>'
        f'<section aria-labelledby="top-h"><h2 id="top-h">{esc(top_title)}</h2>'
        f'{segments_table(top, testset, outputs, chrf, top_caption)}</section>'
        f'{bucket_section("By source length (words)", "length-h", buckets(lengths, LENGTH_EDGES, " words"), testset, outputs, chrf, gap)}'
        f'{bucket_section("By alignment score", "score-h", buckets(scores, SCORE_EDGES, "", ".1f"), testset, outputs, chrf, gap)}'
        f'</main>')
    return document(title, body, CSS)
