"""HTML of the review page, built from a :class:`bialign.review.data.Review` with escaped f-strings.

The page reads without JavaScript: every item, its texts, pairs and similarity matrix are
plain HTML. The inline script only sorts and filters items, records decisions and exports
them (see :mod:`bialign.review.decisions` for the file format).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..bench.htmlpage import document, esc
from ..text.detect import EN, RU
from .data import LONG_PAIR_CHARS, LONG_PAIR_SENTENCES, SCORE_BINS, ItemView, Review

if TYPE_CHECKING:
    from ..text.furniture import Furniture
    from ..text.sentences import Sentence

MAX_TEXT_CHARS = 12000  # characters of a language block shown, at most, past its last paired sentence
PALETTE = 8

CSS = """
.toolbar { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); padding: .4rem 0;
           z-index: 2; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; }
.toolbar label { white-space: nowrap; }
.item { border-top: 2px solid var(--line); padding-top: .2rem; scroll-margin-top: 6rem; }
.item h2, tr.pair { scroll-margin-top: 6rem; }
.texts > table { align-self: start; }
td.decide fieldset { border: 0; margin: 0; padding: 0; white-space: nowrap; }
.item:focus-within { border-top-color: #e08a00; }
.texts { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
@media (max-width: 800px) { .texts { grid-template-columns: 1fr; } }
.block { white-space: pre-wrap; background: var(--bg2); padding: .4rem .6rem; border-radius: 4px;
         max-height: 26rem; overflow: auto; font-size: 14px; }
.other { opacity: .75; }
.gap { color: var(--muted); }
.furniture { text-decoration: line-through dotted; }
.unpaired { text-decoration: underline dotted #888; }
.paired { border-radius: 3px; padding: 0 1px; }
.tag { font-size: 11px; font-weight: 600; border-radius: 3px; padding: 0 3px; margin-right: 2px; background: #333;
       color: #fff; white-space: nowrap; }
.c0 { background: #cfe3ff; } .c1 { background: #ffe0b3; } .c2 { background: #d3f2d0; } .c3 { background: #f7d4ef; }
.c4 { background: #e3dcff; } .c5 { background: #ffd6d6; } .c6 { background: #d2f2f2; } .c7 { background: #f1efc4; }
.badge { font-size: 12px; font-weight: 600; border-radius: 8px; padding: 1px 7px; background: #eee; margin-left: .3rem; }
.badge.warn { background: #ffe2a8; } .badge.bad { background: #ffc9c9; }
table.pairs td { max-width: 38rem; }
tr.pair:focus { outline: 3px solid #e08a00; }
tr.accepted { background: #e6f6e6; } tr.rejected { background: #fde4e4; } tr.rejected td { text-decoration: line-through; }
tr.rejected td.decide { text-decoration: none; }
table.matrix td { width: 2.6rem; text-align: right; font-size: 12px; padding: .1rem .25rem; }
table.matrix td.bead { outline: 3px solid #111; outline-offset: -3px; font-weight: 700; }
table.matrix th { font-size: 12px; font-weight: 500; }
details > summary { cursor: pointer; }
"""


def _score(value: float) -> str:
    return "?" if math.isnan(value) else f"{value:.2f}"


def _indices(values: tuple[int, ...]) -> str:
    return " ".join(str(v) for v in values)


def _heat(value: float) -> str:
    """The heat class of a cosine: ``h0`` (0 or less) to ``h9`` (0.9 or more)."""
    return f"h{min(max(int(float(value) * 10), 0), 9)}"


HEAT_CSS = "".join(
    f"table.matrix td.h{level} {{ background: hsl(212 70% {97 - 6.5 * level:.0f}%);"
    f"{' color: #fff;' if level >= 7 else ''} }}\n" for level in range(10))


def _histogram_rows(labels: list[str], counts: list[int]) -> str:
    top = max(counts, default=0) or 1
    return "".join(
        f'<tr><th scope="row">{esc(label)}</th><td class="num">{count}</td>'
        f'<td><span class="bar" style="width:{round(12 * count / top, 2)}rem"></span></td></tr>'
        for label, count in zip(labels, counts))


def summary(review: Review) -> str:
    """Counts, score histogram, pairs per item and rejected items."""
    views = review.views
    no_pairs = sum(1 for v in views if not v.pairs)
    sampled_pairs = sum(len(v.pairs) for v in views)
    labels = [f"{SCORE_BINS[i]:.1f}–{SCORE_BINS[i + 1]:.1f}" for i in range(len(SCORE_BINS) - 1)]
    counts = list(review.score_bins)
    if review.unknown_scores:
        labels.append("unknown")
        counts.append(review.unknown_scores)
    per_item = sorted(review.pairs_per_item.items())
    rejects = review.rejects
    reasons: dict[str, int] = {}
    for record in rejects:
        reasons[record.reason] = reasons.get(record.reason, 0) + 1
    parts = [
        '<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>',
        f'<p class="note">{esc(review.sample_note)}</p>',
        '<table><caption>Counts</caption><tbody>',
        f'<tr><th scope="row">items read</th><td class="num">{review.items_read}</td></tr>',
        f'<tr><th scope="row">items shown</th><td class="num">{len(views)}</td></tr>',
        f'<tr><th scope="row">pairs in the pairs file</th><td class="num">{review.pairs_total}</td></tr>',
        f'<tr><th scope="row">pairs of the items shown</th><td class="num">{sampled_pairs}</td></tr>',
        f'<tr><th scope="row">items shown without pairs</th><td class="num">{no_pairs}</td></tr>',
        f'<tr><th scope="row">records the item reader rejected</th><td class="num">{review.reader_rejected}</td></tr>',
        f'<tr><th scope="row">rejected items (rejects file)</th><td class="num">{len(rejects)}</td></tr>',
        '</tbody></table>',
        '<div class="texts"><table><caption>Pair scores (all pairs)</caption>'
        '<thead><tr><th scope="col">score</th><th scope="col" class="num">pairs</th>'
        '<th scope="col"><span class="visually-hidden">bar</span></th></tr></thead><tbody>',
        _histogram_rows(labels, counts), '</tbody></table>',
        '<table><caption>Pairs per item (all items)</caption>'
        '<thead><tr><th scope="col">pairs</th><th scope="col" class="num">items</th>'
        '<th scope="col"><span class="visually-hidden">bar</span></th></tr></thead><tbody>',
        _histogram_rows([str(k) for k, _ in per_item], [v for _, v in per_item]), '</tbody></table></div>',
    ]
    if rejects:
        parts.append('<table><caption>Rejected items by reason</caption><thead><tr><th scope="col">reason</th>'
                     '<th scope="col" class="num">items</th></tr></thead><tbody>')
        parts.extend(f'<tr><td>{esc(reason)}</td><td class="num">{count}</td></tr>'
                     for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1]))
        parts.append('</tbody></table><details><summary>Rejected items (first 200)</summary><table>'
                     '<thead><tr><th scope="col">item</th><th scope="col">where</th><th scope="col">reason</th></tr>'
                     '</thead><tbody>')
        for record in rejects[:200]:
            parts.append(f'<tr><td>{esc(record.id or "")}</td><td>{esc(record.where)}</td>'
                         f'<td>{esc(record.reason)}</td></tr>')
        parts.append('</tbody></table></details>')
    if review.encoder:
        parts.append(f'<p class="muted">Similarity matrices: cosine of sentence embeddings by {esc(review.encoder)}.</p>')
    parts.append('</section>')
    return "\n".join(parts)


def toolbar(count: int) -> str:
    """Sorting, filtering and decision controls; hidden until the script shows them."""
    return f"""<form class="toolbar" id="triage" hidden aria-label="Sort, filter and decisions">
<label>Sort <select id="sort">
<option value="input">input order</option><option value="score">lowest pair score first</option>
<option value="fewest">fewest pairs first</option><option value="most">most pairs first</option></select></label>
<label>Show <select id="filter">
<option value="all">all items</option><option value="nopairs">items without pairs</option>
<option value="reordered">items with reordered pairs</option><option value="long">items with long pairs</option>
<option value="low">items with a pair scored below</option></select></label>
<label>score below <input id="below" type="number" step="0.05" min="0" max="1" value="0.5" size="4"></label>
<output id="shown" aria-live="polite">{count} of {count} items shown</output>
<button type="button" id="export">Export decisions</button>
<label>Load decisions <input type="file" id="import" accept=".json,application/json"></label>
<output id="decided" aria-live="polite">0 decisions</output>
<span class="muted">Keys: j/k next/previous pair, n/p next/previous item, a accept, r reject, u undo</span>
</form>"""


def _pair_of(view: ItemView, side: str) -> dict[int, int]:
    """Sentence index -> position of its pair in ``view.pairs``."""
    out: dict[int, int] = {}
    for position, pair in enumerate(view.pairs):
        for index in (pair.src_index if side == EN else pair.tgt_index):
            out.setdefault(index, position)
    return out


def _gap(text: str, start: int, stop: int, furniture: list[Furniture]) -> str:
    """Text between sentences, grey; the page furniture in it says what it is on hover."""
    parts, position = [], start
    for piece in furniture:
        if piece.end <= position or piece.start >= stop:
            continue
        if piece.start > position:
            parts.append(f'<span class="gap">{esc(text[position:piece.start])}</span>')
        end = min(piece.end, stop)
        parts.append(f'<span class="gap furniture" title="set aside: {esc(piece.kind)}">'
                     f'{esc(text[max(piece.start, position):end])}</span>')
        position = end
    if stop > position:
        parts.append(f'<span class="gap">{esc(text[position:stop])}</span>')
    return "".join(parts)


def _block(view: ItemView, number: int, lang: str) -> str:
    """The language blocks of ``lang`` with each sentence marked as paired or unpaired."""
    text = view.item.text
    sentences: list[Sentence] = view.en if lang == EN else view.ru
    owner = _pair_of(view, lang)
    side_index = "src_index" if lang == EN else "tgt_index"
    first_of = {min(getattr(p, side_index)): n for n, p in enumerate(view.pairs) if getattr(p, side_index)}
    blocks = [s for s in view.segments if s.lang == lang]
    if not blocks:
        return '<p class="muted">none found</p>'
    out = []
    for segment in blocks:
        last_paired = max((s.end for i, s in enumerate(sentences) if i in owner and segment.start <= s.start < segment.end),
                          default=segment.start)
        stop = min(segment.end, max(last_paired, segment.start + MAX_TEXT_CHARS))
        parts, position = [], segment.start
        for index, sentence in enumerate(sentences):
            if not (segment.start <= sentence.start < stop):
                continue
            if sentence.start > position:
                parts.append(_gap(text, position, sentence.start, view.furniture))
            body = esc(text[sentence.start:sentence.end])
            anchor = f'id="s{number}-{lang}{index}"'
            if index in owner:
                pos = owner[index]
                pair = view.pairs[pos]
                tag = (f'<span class="tag">P{pos + 1} {_score(pair.score)}</span>' if first_of.get(index) == pos else "")
                parts.append(f'<span {anchor} class="sent paired c{pos % PALETTE}" data-pair="{pos + 1}" '
                             f'title="{lang} sentence {index}, pair P{pos + 1}, score {_score(pair.score)}">{tag}{body}</span>')
            else:
                parts.append(f'<span {anchor} class="sent unpaired" title="{lang} sentence {index}, unpaired">{body}</span>')
            position = max(position, sentence.end)
        if stop > position:
            parts.append(_gap(text, position, stop, view.furniture))
        if stop < segment.end:
            parts.append(f'\n<em class="muted">[{segment.end - stop} more characters not shown]</em>')
        out.append(f'<div class="block" lang="{lang}">{"".join(parts)}</div>')
    return "\n".join(out)


def _boundary(view: ItemView) -> str:
    """Where each language block starts and ends, and the text on both sides of each boundary."""
    if not view.segments:
        return "No language blocks found."
    text = view.item.text
    spans = "; ".join(f"{s.lang} characters {s.start}–{s.end}" for s in view.segments)
    edges = []
    for before, after in zip(view.segments, view.segments[1:]):
        tail = " ".join(text[max(before.start, before.end - 40):before.end].split())
        head = " ".join(text[after.start:min(after.end, after.start + 40)].split())
        edges.append(f"{before.lang} ends “…{tail}”, {after.lang} begins “{head}…”")
    return f"Language blocks: {spans}." + "".join(f" Boundary: {edge}." for edge in edges)


def _others(view: ItemView) -> str:
    blocks = [s for s in view.segments if s.lang not in (EN, RU)]
    return "".join(f'<h3>Other text ({esc(s.lang)})</h3><div class="block other">{esc(view.item.text[s.start:s.end][:MAX_TEXT_CHARS])}</div>'
                   for s in blocks)


def _pairs_table(view: ItemView, number: int) -> str:
    if not view.pairs:
        return '<p><strong>No pairs.</strong></p>'
    reordered, long = set(view.reordered), set(view.long)
    rows = []
    for pos, pair in enumerate(view.pairs):
        flags = (["reordered"] if pos in reordered else []) + (["long"] if pos in long else [])
        name = f"d{number}-{pos}"
        flag_text = "".join(f' <span class="badge warn">{f}</span>' for f in flags)
        rows.append(
            f'<tr class="pair" tabindex="0" data-id="{esc(pair.id)}" data-src="{_indices(pair.src_index)}" '
            f'data-tgt="{_indices(pair.tgt_index)}" data-score="{_score(pair.score)}">'
            f'<th scope="row"><span class="tag">P{pos + 1}</span>{flag_text}</th>'
            f'<td class="num">{_score(pair.score)}</td><td class="num">{esc(_indices(pair.src_index))}</td>'
            f'<td lang="en" class="src">{esc(pair.src)}</td><td class="num">{esc(_indices(pair.tgt_index))}</td>'
            f'<td lang="ru" class="tgt">{esc(pair.tgt)}</td>'
            f'<td class="decide"><fieldset><legend class="visually-hidden">Decision on pair P{pos + 1}</legend>'
            f'<label><input type="radio" name="{name}" value="accept"> accept</label> '
            f'<label><input type="radio" name="{name}" value="reject"> reject</label></fieldset></td></tr>')
    return ('<table class="pairs"><caption>Pairs (in Russian order)</caption><thead><tr>'
            '<th scope="col">pair</th><th scope="col">score</th><th scope="col">EN #</th><th scope="col">English</th>'
            '<th scope="col">RU #</th><th scope="col">Russian</th><th scope="col">decision</th></tr></thead><tbody>'
            + "".join(rows) + '</tbody></table>')


def _unpaired(view: ItemView) -> str:
    paired_ru = {i for p in view.pairs for i in p.tgt_index}
    paired_en = {i for p in view.pairs for i in p.src_index}
    ru = [(i, s) for i, s in enumerate(view.ru) if i not in paired_ru]
    en_window = [(i, s) for i, s in enumerate(view.en[:view.window]) if i not in paired_en]
    if not ru and not en_window:
        return ""
    items = "".join(f'<li lang="ru">RU {i}: {esc(s.text)}</li>' for i, s in ru)
    items += "".join(f'<li lang="en">EN {i}: {esc(s.text)}</li>' for i, s in en_window)
    return (f'<details><summary>Unpaired sentences: {len(ru)} Russian, {len(en_window)} English in the first '
            f'{view.window} English sentences</summary><ul>{items}</ul></details>')


def _matrix(view: ItemView, number: int) -> str:
    matrix = view.matrix
    if matrix is None:
        return ""
    beads = {(r, e) for p in view.pairs for r in p.tgt_index for e in p.src_index}
    n_ru, n_en = matrix.shape
    head = "".join(f'<th scope="col" title="{esc(view.en[e].text)}">E{e}</th>' for e in range(n_en))
    rows = []
    for r in range(n_ru):
        cells = []
        for e in range(n_en):
            value = float(matrix[r, e])
            bead = (r, e) in beads
            label = f"{value:.2f}".replace("0.", ".", 1)  # .56, -.03
            cells.append(f'<td class="{_heat(value)} bead" aria-label="{label} chosen">{label}</td>' if bead
                         else f'<td class="{_heat(value)}">{label}</td>')
        rows.append(f'<tr><th scope="row" title="{esc(view.ru[r].text)}">R{r}</th>{"".join(cells)}</tr>')
    more = f" (first {n_ru} of {len(view.ru)})" if n_ru < len(view.ru) else ""
    return (f'<details class="heat" open><summary>Similarity matrix: {n_ru} Russian{more} × {n_en} English sentences</summary>'
            f'<table class="matrix" id="m{number}"><caption>Cosine similarity of Russian sentences (rows) and English '
            f'sentences (columns); outlined cells are the chosen pairs</caption><thead><tr><td></td>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></details>')


def item_section(view: ItemView, number: int) -> str:
    """One item: header with badges, both texts side by side, pairs, unpaired, matrix."""
    badges = []
    if not view.pairs:
        badges.append('<span class="badge bad">no pairs</span>')
    if view.rejected:
        badges.append(f'<span class="badge bad">rejected: {esc(view.rejected)}</span>')
    if view.reordered:
        badges.append('<span class="badge warn">reordered</span>')
    if view.long:
        badges.append('<span class="badge warn">long pair</span>')
    min_score = view.min_score
    reason = f" — {esc(view.reason)}" if view.reason else ""
    attrs = (f'data-index="{number}" data-pairs="{len(view.pairs)}" '
             f'data-min-score="{"" if math.isnan(min_score) else f"{min_score:.4f}"}" '
             f'data-reordered="{int(bool(view.reordered))}" data-long="{int(bool(view.long))}"')
    return (f'<section class="item" id="item-{number}" aria-labelledby="h{number}" {attrs}>'
            f'<h2 id="h{number}" tabindex="-1">{number + 1}. <span class="item-id">{esc(view.item.id)}</span>{"".join(badges)}</h2>'
            f'<p class="muted">{len(view.pairs)} pairs, lowest score {_score(min_score)}{reason}. {esc(_boundary(view))}</p>'
            f'<div class="texts"><div><h3>English</h3>{_block(view, number, EN)}</div>'
            f'<div><h3>Russian</h3>{_block(view, number, RU)}</div></div>{_others(view)}'
            f'{_pairs_table(view, number)}{_unpaired(view)}{_matrix(view, number)}</section>')


SCRIPT = r"""
(function () {
  "use strict";
  var box = document.getElementById("items");
  var items = Array.prototype.slice.call(box.querySelectorAll("section.item"));
  var form = document.getElementById("triage");
  var sortBy = document.getElementById("sort"), filterBy = document.getElementById("filter");
  var below = document.getElementById("below"), shown = document.getElementById("shown");
  var decided = document.getElementById("decided");
  var decisions = {};
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  function minScore(s) { var v = s.dataset.minScore; return v === "" ? Infinity : parseFloat(v); }
  function keep(s) {
    var f = filterBy.value;
    if (f === "nopairs") return s.dataset.pairs === "0";
    if (f === "reordered") return s.dataset.reordered === "1";
    if (f === "long") return s.dataset.long === "1";
    if (f === "low") return minScore(s) < parseFloat(below.value);
    return true;
  }
  function order(a, b) {
    var o = sortBy.value, d = 0;
    if (o === "score") d = minScore(a) - minScore(b);
    else if (o === "fewest") d = a.dataset.pairs - b.dataset.pairs;
    else if (o === "most") d = b.dataset.pairs - a.dataset.pairs;
    return (isNaN(d) ? 0 : d) || a.dataset.index - b.dataset.index;
  }
  function update() {
    var sorted = items.slice().sort(order), count = 0;
    sorted.forEach(function (s) { var k = keep(s); s.hidden = !k; count += k; box.appendChild(s); });
    shown.textContent = count + " of " + items.length + " items shown";
  }
  [sortBy, filterBy, below].forEach(function (el) { el.addEventListener("change", update); el.addEventListener("input", update); });

  function keyOf(row) { return row.dataset.id + "\u0000" + row.dataset.src + "\u0000" + row.dataset.tgt; }
  function nums(v) { return v === "" ? [] : v.split(" ").map(Number); }
  function decide(row, value) {
    var k = keyOf(row);
    row.classList.remove("accepted", "rejected");
    row.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = r.value === value; });
    if (value) {
      row.classList.add(value === "accept" ? "accepted" : "rejected");
      decisions[k] = {id: row.dataset.id, src_index: nums(row.dataset.src), tgt_index: nums(row.dataset.tgt),
                      decision: value, score: row.dataset.score === "?" ? null : parseFloat(row.dataset.score),
                      src: row.querySelector("td.src").textContent, tgt: row.querySelector("td.tgt").textContent};
    } else { delete decisions[k]; }
    var n = Object.keys(decisions).length;
    decided.textContent = n + (n === 1 ? " decision" : " decisions");
  }
  box.addEventListener("change", function (e) {
    var t = e.target;
    if (t.type === "radio") decide(t.closest("tr.pair"), t.value);
  });
  document.getElementById("export").addEventListener("click", function () {
    var list = Object.keys(decisions).sort().map(function (k) { return decisions[k]; });
    var blob = new Blob([JSON.stringify({format: "bialign-decisions", version: 1, decisions: list}, null, 1) + "\n"],
                        {type: "application/json"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob); a.download = "decisions.json";
    document.body.appendChild(a); a.click(); a.remove();
  });

  document.getElementById("import").addEventListener("change", function (e) {
    var file = e.target.files[0];
    if (!file) return;
    file.text().then(function (text) {
      var data = JSON.parse(text), wanted = {};
      (data.decisions || []).forEach(function (d) {
        var key = d.id + "\u0000" + d.src_index.slice().sort(function (a, b) { return a - b; }).join(" ") + "\u0000" +
                  d.tgt_index.slice().sort(function (a, b) { return a - b; }).join(" ");
        wanted[key] = d.decision;
      });
      box.querySelectorAll("tr.pair").forEach(function (row) {
        var value = wanted[keyOf(row)];
        if (value === "accept" || value === "reject") decide(row, value);
      });
    }).catch(function (err) { decided.textContent = "could not load decisions: " + err.message; });
  });

  function visible(selector) {
    return Array.prototype.slice.call(box.querySelectorAll(selector)).filter(function (el) { return !el.closest("section.item").hidden; });
  }
  function move(list, current, step) {
    var i = list.indexOf(current), next = list[i < 0 ? (step > 0 ? 0 : list.length - 1) : i + step];
    if (next) { next.focus(); next.scrollIntoView({block: "nearest"}); }
  }
  function movePair(row, section, step) {
    // from a pair: the next or previous pair; from an item's heading (reached with n or p): the
    // item's first pair (or a later item's), or the last pair before the item
    var pairs = visible("tr.pair");
    if (row || !section) { move(pairs, row, step); return; }
    var after = step > 0 ? Node.DOCUMENT_POSITION_FOLLOWING : Node.DOCUMENT_POSITION_PRECEDING;
    var near = pairs.filter(function (p) { return section.compareDocumentPosition(p) & after; });
    var next = step > 0 ? near[0] : near[near.length - 1];
    if (next) { next.focus(); next.scrollIntoView({block: "nearest"}); }
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = e.target.tagName;
    if (tag === "SELECT" || (tag === "INPUT" && e.target.type !== "radio") || tag === "TEXTAREA") return;
    var row = e.target.closest ? e.target.closest("tr.pair") : null;
    var section = e.target.closest ? e.target.closest("section.item") : null;
    if (e.key === "j" || e.key === "k") { movePair(row, section, e.key === "j" ? 1 : -1); }
    else if (e.key === "n" || e.key === "p") { move(visible("section.item > h2"), section && section.querySelector("h2"), e.key === "n" ? 1 : -1); }
    else if (row && (e.key === "a" || e.key === "r" || e.key === "u")) {
      decide(row, e.key === "a" ? "accept" : e.key === "r" ? "reject" : ""); row.focus();
    } else { return; }
    e.preventDefault();
  });
  update();
})();
"""


def page(review: Review) -> str:
    """The whole review page."""
    sections = "\n".join(item_section(view, number) for number, view in enumerate(review.views))
    legend = (f'<p class="muted">Each pair has a colour and a tag <span class="tag">P1 0.83</span> (pair number and score) '
              f'in both texts; grey text was removed by cleaning (datelines, source lines); dotted underlines mark '
              f'unpaired sentences. "Reordered": a pair whose English comes before an earlier pair\'s. "Long": '
              f'{LONG_PAIR_SENTENCES}+ sentences on a side, or a side over {LONG_PAIR_CHARS} characters.</p>')
    body = (f'<header><h1>{esc(review.title)}</h1>{legend}</header><main>{summary(review)}'
            f'<h2 id="items-h">Items</h2>{toolbar(len(review.views))}'
            f'<noscript><p class="note">Sorting, filtering and decisions need JavaScript; everything else reads without it.</p></noscript>'
            f'<div id="items" aria-labelledby="items-h">{sections}</div></main>')
    return document(review.title, body, CSS + HEAT_CSS, SCRIPT)
