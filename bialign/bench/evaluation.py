"""Scoring extracted pairs and language boundaries against gold truth.

The definitions are the ones the project is judged by (the referee's documented rules):

* texts are compared after Unicode NFKC and whitespace collapsing;
* **boundary**: an item's predicted language blocks (adjacent blocks of one language
  joined, empty ones dropped) equal the gold blocks, language and text;
* **exact**: a gold pair is found when one predicted pair equals it on both sides;
* **strict**: as exact, or when two or more predicted pairs lying inside it tile both of
  its sides in order, cut only at sentence ends (``.``, ``!``, ``?``, ``…`` with closing
  quotes or brackets) on both sides; the predicted pairs used so count as correct;
* **fragments**: predicted pairs with a side that does not end where a sentence ends (no
  end punctuation, and not the end of a gold sentence, title or pair side);
* **lax**: a predicted and a gold pair match when, on each side, at least half of the
  word tokens of the side with fewer tokens occur in the other side;
* precision and recall are micro-averaged over all pairs of all items.

Gold files hold one JSON object per item: ``id``, ``kind``, ``segments`` (``lang``,
``text``), ``pairs`` (``en``, ``ru``), ``en_sentences`` and ``ru_sentences``.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from ..errors import InputError
from ..formats.jsonl import json_objects

if TYPE_CHECKING:
    from ..formats.ladder import AlignmentBead

__all__ = [
    "alignment_scores",
    "AlignmentScores",
    "bead_texts",
    "Counts",
    "evaluate",
    "Evaluation",
    "exact_cover",
    "GoldItem",
    "is_fragment",
    "judge_pairs",
    "lax_match",
    "normalize",
    "pair_of_record",
    "PairJudgement",
    "precision_by_score",
    "read_gold",
    "read_pairs",
    "recall_by_phenomenon",
    "score_item",
    "ScoreBin",
    "segments_match",
    "SENTENCE_END_RE",
    "strict_cover",
    "sure_only",
    "WORD_RE",
    "word_set",
]

WORD_RE = re.compile(r"\w+", re.UNICODE)
SENTENCE_END_RE = re.compile(r"(?:[.!?\u2026]|\.\.\.)[\"'\u00bb\u201d\u2019\u201c)\]]*$")

TextPair = tuple[str, str]  # (English, Russian)


def normalize(text: str) -> str:
    """NFKC and collapsed whitespace: the form in which texts are compared."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def word_set(text: str) -> set[str]:
    """Lower-cased word tokens of a text."""
    return {w.lower() for w in WORD_RE.findall(text)}


@dataclass(frozen=True)
class GoldItem:
    """The truth for one item."""

    id: str
    kind: str
    segments: tuple[tuple[str, str], ...]  # (lang, text) per block, in order
    pairs: tuple[TextPair, ...]
    en_sentences: tuple[str, ...] = ()
    ru_sentences: tuple[str, ...] = ()
    phenomena: tuple[tuple[str, ...], ...] = ()  # per gold pair: what the editor did (``phen``)
    sure: tuple[bool, ...] = ()  # per gold pair: False where two careful bilinguals could disagree

    @classmethod
    def from_dict(cls, record: Mapping[str, object]) -> "GoldItem":
        """Build from one line of a gold file (an object with ``id``, ``segments`` and ``pairs``)."""
        if not isinstance(record, Mapping) or not {"id", "segments", "pairs"} <= set(record):
            found = ", ".join(sorted(record)) if isinstance(record, Mapping) else type(record).__name__
            raise InputError(f"not a gold record: it needs 'id', 'segments' and 'pairs' (found: {found})"
                             + ("; this looks like an items file" if isinstance(record, Mapping) and "text" in record
                                else ""))
        try:
            return cls(
                str(record["id"]),
                str(record.get("kind", "")),
                tuple((str(s["lang"]), str(s["text"])) for s in record.get("segments", ())),  # type: ignore[union-attr]
                tuple((str(p["en"]), str(p["ru"])) for p in record.get("pairs", ())),  # type: ignore[union-attr]
                tuple(str(s) for s in record.get("en_sentences", ())),  # type: ignore[union-attr]
                tuple(str(s) for s in record.get("ru_sentences", ())),  # type: ignore[union-attr]
                tuple(tuple(str(t) for t in p.get("phen", ())) for p in record.get("pairs", ())),  # type: ignore[union-attr]
                tuple(bool(p.get("sure", True)) for p in record.get("pairs", ())),  # type: ignore[union-attr]
            )
        except (KeyError, TypeError) as error:
            raise InputError(f"gold record {record.get('id', '?')!r} is malformed: {error!r}") from error


def read_gold(path: str | Path) -> dict[str, GoldItem]:
    """Gold items of a JSONL file, by id, in file order; a line that is not a gold record
    (an items file given for the gold, say) raises :class:`InputError` naming it."""
    gold: dict[str, GoldItem] = {}
    for number, record in json_objects(path):
        try:
            item = GoldItem.from_dict(record)
        except InputError as error:
            raise InputError(f"{path}:{number}: {error}") from None
        gold[item.id] = item
    if not gold:
        raise InputError(f"{path}: no gold records")
    return gold


def read_pairs(path: str | Path, fmt: str | None = None) -> dict[str, list[TextPair]]:
    """Predicted pairs by item id, from a pair file in any format bialign reads (``fmt``, or by
    the extension; :func:`bialign.formats.read_pairs`): JSONL records may also give the
    sides as ``en``/``ru``. A format without item ids (Moses) raises :class:`InputError`."""
    from ..formats import format_for_path, read_pairs as read_pair_file

    out: dict[str, list[TextPair]] = defaultdict(list)
    fmt = format_for_path(path, fmt)
    if fmt == "jsonl":
        for _, record in json_objects(path):
            out[str(record.get("id", record.get("item")))].append(pair_of_record(record))
        return dict(out)
    for pair in read_pair_file(path, fmt):
        if not pair.id:
            raise InputError(f"{path}: the {fmt} format holds no item ids, which scoring needs; "
                             "give the pairs as JSONL, TSV or TMX")
        out[pair.id].append(pair_of_record(pair.to_json()))
    return dict(out)


def pair_of_record(record: Mapping[str, object]) -> TextPair:
    """(English, Russian) of a pair record."""
    if "en" in record and "ru" in record:
        return str(record["en"]), str(record["ru"])
    sides = {record.get("src_lang"): record.get("src"), record.get("tgt_lang"): record.get("tgt")}
    if "en" not in sides or "ru" not in sides:
        raise InputError(f"pair without an English and a Russian side: {dict(record)}")
    return str(sides["en"]), str(sides["ru"])


def lax_match(pred: TextPair, gold: TextPair) -> bool:
    """At least half of the shorter side's word tokens are in the other, on both sides."""
    for ours, theirs in zip(pred, gold):
        a, b = word_set(ours), word_set(theirs)
        if not a or not b or len(a & b) / min(len(a), len(b)) < 0.5:
            return False
    return True


def strict_cover(gold: TextPair, preds: Sequence[TextPair]) -> list[int] | None:
    """Indices of predicted pairs that equal ``gold`` or exactly tile it, or ``None``."""
    gold_en, gold_ru = normalize(gold[0]), normalize(gold[1])
    inside: list[tuple[int, str, str]] = []
    for index, (en, ru) in enumerate(preds):
        en, ru = normalize(en), normalize(ru)
        if en and ru and en in gold_en and ru in gold_ru:
            if en == gold_en and ru == gold_ru:
                return [index]
            inside.append((index, en, ru))
    if len(inside) < 2:
        return None
    inside.sort(key=lambda entry: gold_ru.find(entry[2]))
    tiles = " ".join(e[1] for e in inside) == gold_en and " ".join(e[2] for e in inside) == gold_ru
    if tiles and all(SENTENCE_END_RE.search(en) and SENTENCE_END_RE.search(ru) for _, en, ru in inside[:-1]):
        return [e[0] for e in inside]
    return None


def exact_cover(gold: TextPair, preds: Sequence[TextPair]) -> int | None:
    """Index of a predicted pair equal to ``gold``, or ``None``."""
    wanted = normalize(gold[0]), normalize(gold[1])
    return next((k for k, (en, ru) in enumerate(preds) if (normalize(en), normalize(ru)) == wanted), None)


def is_fragment(pred: TextPair, gold: "GoldItem") -> bool:
    """Whether a side of ``pred`` ends neither with end punctuation nor where a gold
    sentence, title or pair side ends: a piece of a sentence."""
    for side, (text, sentences) in enumerate(((pred[0], gold.en_sentences), (pred[1], gold.ru_sentences))):
        text = normalize(text)
        if not text or SENTENCE_END_RE.search(text):
            continue
        ends = [normalize(s) for s in sentences] + [normalize(p[side]) for p in gold.pairs]
        if not any(end.endswith(text[-40:]) for end in ends if end):
            return True
    return False


def segments_match(text: str, gold: Sequence[tuple[str, str]], predicted: Iterable[tuple[str, int, int]]) -> bool:
    """Whether predicted blocks ``(lang, start, end)`` of ``text`` give the gold blocks."""
    blocks: list[tuple[str, str]] = []
    for lang, start, end in sorted(predicted, key=lambda s: s[1]):
        piece = normalize(text[start:end])
        if not piece:
            continue
        if blocks and blocks[-1][0] == lang:
            blocks[-1] = (lang, blocks[-1][1] + " " + piece)
        else:
            blocks.append((lang, piece))
    want = [(lang, normalize(t)) for lang, t in gold if normalize(t)]
    return blocks == want


@dataclass(frozen=True)
class Counts:
    """Pair counts behind precision and recall (and boundary counts) for a set of items."""

    items: int = 0
    boundary_ok: int = 0
    pred: int = 0
    gold: int = 0
    strict_pred: int = 0  # predicted pairs used in a strict cover
    strict_gold: int = 0  # gold pairs strictly found
    lax_pred: int = 0  # predicted pairs that lax-match some gold pair
    lax_gold: int = 0  # gold pairs lax-matched by some predicted pair
    exact: int = 0  # gold pairs equal to a predicted pair
    fragments: int = 0  # predicted pairs with a piece of a sentence on a side

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__))

    @property
    def boundary_acc(self) -> float:
        return self.boundary_ok / self.items if self.items else 0.0

    @property
    def strict(self) -> tuple[float, float, float]:
        """Strict precision, recall, F1."""
        return _prf(self.strict_pred, self.pred, self.strict_gold, self.gold)

    @property
    def lax(self) -> tuple[float, float, float]:
        """Lax precision, recall, F1."""
        return _prf(self.lax_pred, self.pred, self.lax_gold, self.gold)

    @property
    def exact_prf(self) -> tuple[float, float, float]:
        """Exact precision, recall, F1."""
        return _prf(self.exact, self.pred, self.exact, self.gold)


def _prf(hit_pred: int, n_pred: int, hit_gold: int, n_gold: int) -> tuple[float, float, float]:
    p = hit_pred / n_pred if n_pred else 0.0
    r = hit_gold / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass(frozen=True)
class PairJudgement:
    """How each pair of one item fared: which gold pairs were found, which predictions were right."""

    strict_gold: tuple[bool, ...]
    strict_pred: tuple[bool, ...]
    lax_gold: tuple[bool, ...]
    lax_pred: tuple[bool, ...]


def judge_pairs(gold: Sequence[TextPair], preds: Sequence[TextPair]) -> PairJudgement:
    """Strict and lax outcome of every gold and predicted pair of one item."""
    used: set[int] = set()
    found: list[bool] = []
    for pair in gold:
        cover = strict_cover(pair, preds)
        found.append(cover is not None)
        used.update(cover or ())
    return PairJudgement(
        tuple(found),
        tuple(i in used for i in range(len(preds))),
        tuple(any(lax_match(p, g) for p in preds) for g in gold),
        tuple(any(lax_match(p, g) for g in gold) for p in preds),
    )


def score_item(gold: GoldItem, preds: Sequence[TextPair], boundary_ok: bool = False) -> Counts:
    """Counts of one item."""
    judged = judge_pairs(gold.pairs, preds)
    exact = sum(exact_cover(pair, preds) is not None for pair in gold.pairs)
    fragments = sum(is_fragment(pred, gold) for pred in preds)
    return Counts(1, int(boundary_ok), len(preds), len(gold.pairs), sum(judged.strict_pred),
                  sum(judged.strict_gold), sum(judged.lax_pred), sum(judged.lax_gold), exact, fragments)


@dataclass(frozen=True)
class Evaluation:
    """Counts overall and by item kind."""

    overall: Counts
    by_kind: Mapping[str, Counts] = field(default_factory=dict)
    scored_boundary: bool = False
    scored_pairs: bool = True

    def to_dict(self) -> dict[str, object]:
        """The referee's JSON report for the same input (plus lax scores by kind)."""
        out: dict[str, object] = {"items": self.overall.items}
        kinds = sorted(self.by_kind.items())
        if self.scored_boundary:
            out["boundary_acc"] = self.overall.boundary_acc
            out["boundary_by_kind"] = {k: round(c.boundary_ok / c.items, 4) for k, c in kinds}
        if self.scored_pairs:
            c = self.overall
            out["pairs_pred"], out["pairs_gold"] = c.pred, c.gold
            out["strict_p"], out["strict_r"], out["strict_f1"] = c.strict
            out["exact_p"], out["exact_r"], out["exact_f1"] = c.exact_prf
            out["lax_p"], out["lax_r"], out["lax_f1"] = c.lax
            out["fragments"] = c.fragments
            out["strict_by_kind"] = {
                k: {"r": round(v.strict_gold / v.gold, 4) if v.gold else None,
                    "p": round(v.strict_pred / v.pred, 4) if v.pred else None, "pred": v.pred, "gold": v.gold}
                for k, v in kinds}
            out["lax_by_kind"] = {
                k: {"r": round(v.lax_gold / v.gold, 4) if v.gold else None,
                    "p": round(v.lax_pred / v.pred, 4) if v.pred else None, "pred": v.pred, "gold": v.gold}
                for k, v in kinds}
        return out


def evaluate(
    gold: Mapping[str, GoldItem],
    pairs: Mapping[str, Sequence[TextPair]] | None = None,
    segments: Mapping[str, Sequence[tuple[str, int, int]]] | None = None,
    texts: Mapping[str, str] | None = None,
) -> Evaluation:
    """Score predicted pairs (by item id) and/or predicted blocks (needs the item ``texts``).

    Items absent from ``pairs`` have no predicted pairs; items absent from ``segments``
    have a wrong boundary. Pairs of an item that is not in ``gold`` raise :class:`InputError`.
    """
    if pairs is not None:
        unknown = sorted(set(pairs) - set(gold))
        if unknown:
            raise InputError(f"pairs name items that are not in gold: {unknown[:5]}")
    if segments is not None and texts is None:
        raise InputError("scoring boundaries needs the item texts")
    by_kind: dict[str, Counts] = defaultdict(Counts)
    for item_id, item in gold.items():
        ok = False
        if segments is not None and texts is not None and item_id in segments:
            ok = segments_match(texts[item_id], item.segments, segments[item_id])
        counts = score_item(item, (pairs or {}).get(item_id, ()), ok)
        by_kind[item.kind] = by_kind[item.kind] + counts
    overall = sum(by_kind.values(), Counts())
    return Evaluation(overall, dict(by_kind), segments is not None, pairs is not None)


@dataclass(frozen=True)
class ScoreBin:
    """Predicted pairs whose score lies in ``[low, high)`` and how many of them are right."""

    low: float
    high: float
    pairs: int = 0
    strict_right: int = 0
    lax_right: int = 0

    @property
    def strict_precision(self) -> float | None:
        return self.strict_right / self.pairs if self.pairs else None

    @property
    def lax_precision(self) -> float | None:
        return self.lax_right / self.pairs if self.pairs else None


def precision_by_score(
    gold: Mapping[str, GoldItem],
    scored: Mapping[str, Sequence[tuple[TextPair, float]]],
    edges: Sequence[float],
) -> list[ScoreBin]:
    """Strict and lax precision of predicted pairs in score bins cut at ``edges``.

    ``scored`` maps item ids to (pair, score) in output order; each pair is judged with
    the other pairs of its item (so a pair tiling a gold pair with others counts as right).
    The bins are ``[-inf, e0)``, ``[e0, e1)``, ..., ``[e_last, inf)``.
    """
    cuts = sorted(edges)
    bounds = list(zip([float("-inf")] + cuts, cuts + [float("inf")]))
    tallies = [[0, 0, 0] for _ in bounds]
    for item_id, entries in scored.items():
        if item_id not in gold:
            raise InputError(f"pairs name an item that is not in gold: {item_id!r}")
        judged = judge_pairs(gold[item_id].pairs, [pair for pair, _ in entries])
        for (_, value), strict, lax in zip(entries, judged.strict_pred, judged.lax_pred):
            index = next(k for k, (low, high) in enumerate(bounds) if low <= value < high)
            tallies[index][0] += 1
            tallies[index][1] += int(strict)
            tallies[index][2] += int(lax)
    return [ScoreBin(low, high, *tally) for (low, high), tally in zip(bounds, tallies)]


def sure_only(gold: Mapping[str, GoldItem],
              pairs: Mapping[str, Sequence[TextPair]]) -> tuple[dict[str, GoldItem], dict[str, list[TextPair]]]:
    """Gold and predicted pairs without the gold pairs marked not sure, and without the
    predicted pairs that overlap one of them (lax) and no sure gold pair: neither right nor wrong."""
    kept_gold: dict[str, GoldItem] = {}
    kept_pairs: dict[str, list[TextPair]] = {}
    for item_id, item in gold.items():
        flags = item.sure or (True,) * len(item.pairs)
        sure = [p for p, ok in zip(item.pairs, flags) if ok]
        unsure = [p for p, ok in zip(item.pairs, flags) if not ok]
        phenomena = tuple(t for t, ok in zip(item.phenomena, flags) if ok) if item.phenomena else ()
        kept_gold[item_id] = replace(item, pairs=tuple(sure), phenomena=phenomena, sure=(True,) * len(sure))
        kept_pairs[item_id] = [p for p in pairs.get(item_id, ())
                               if any(lax_match(p, g) for g in sure) or not any(lax_match(p, g) for g in unsure)]
    return kept_gold, kept_pairs


def recall_by_phenomenon(gold: Mapping[str, GoldItem], pairs: Mapping[str, Sequence[TextPair]]) -> dict[str, tuple[int, int]]:
    """Strictly found and total gold pairs for each editorial phenomenon (``phen`` tag)."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item_id, item in gold.items():
        found = judge_pairs(item.pairs, pairs.get(item_id, ())).strict_gold
        for hit, tags in zip(found, item.phenomena or ((),) * len(item.pairs)):
            for tag in tags:
                tally[tag][0] += int(hit)
                tally[tag][1] += 1
    return {tag: (hit, total) for tag, (hit, total) in sorted(tally.items())}


# --- full alignments (beads), scored as Vecalign scores them ---------------------------------

@dataclass(frozen=True)
class AlignmentScores:
    """Vecalign's strict and lax precision, recall and F1 of full alignments (beads).

    A predicted bead is strictly right when the gold has the same bead; laxly right when
    one of its English sentences is, in some gold bead, aligned with one of its Russian
    sentences. Precision is over the predicted beads, a sentence left alone (``[3]:[]``)
    included; recall is precision with gold and prediction swapped and the beads with an
    empty side left out of both. Counts are summed over documents.
    """

    strict_right: int = 0
    strict_wrong: int = 0
    lax_right: int = 0
    lax_wrong: int = 0
    strict_found: int = 0
    strict_missed: int = 0
    lax_found: int = 0
    lax_missed: int = 0

    def __add__(self, other: "AlignmentScores") -> "AlignmentScores":
        return AlignmentScores(*(a + b for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other))))

    @property
    def strict(self) -> tuple[float, float, float]:
        return _prf(self.strict_right, self.strict_right + self.strict_wrong, self.strict_found,
                    self.strict_found + self.strict_missed)

    @property
    def lax(self) -> tuple[float, float, float]:
        return _prf(self.lax_right, self.lax_right + self.lax_wrong, self.lax_found, self.lax_found + self.lax_missed)

    def to_dict(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, (p, r, f) in (("strict", self.strict), ("lax", self.lax)):
            out.update({f"vecalign_{name}_p": round(p, 4), f"vecalign_{name}_r": round(r, 4),
                        f"vecalign_{name}_f1": round(f, 4)})
        return out


BeadKey = tuple[tuple[int, ...], tuple[int, ...]]


def _bead_keys(beads: Iterable["AlignmentBead"], with_empty_side: bool = True) -> set[BeadKey]:
    return {(tuple(sorted(b.en)), tuple(sorted(b.ru))) for b in beads
            if (b.en or b.ru) and (with_empty_side or (b.en and b.ru))}


def _judged(reference: set[BeadKey], candidates: set[BeadKey]) -> tuple[int, int, int, int]:
    """(strictly right, strictly wrong, laxly right, laxly wrong) of ``candidates`` against ``reference``."""
    aligned_to: dict[int, set[int]] = defaultdict(set)
    for en, ru in reference:
        for i in en:
            aligned_to[i].update(ru)
    counts = [0, 0, 0, 0]
    for en, ru in candidates:
        if (en, ru) in reference:
            counts[0] += 1
            counts[2] += 1
            continue
        counts[1] += 1
        lax = any(j in aligned_to[i] for i in en for j in ru)
        counts[2 if lax else 3] += 1
    return counts[0], counts[1], counts[2], counts[3]


def alignment_scores(gold: Mapping[str, Sequence["AlignmentBead"]],
                     predicted: Mapping[str, Sequence["AlignmentBead"]]) -> AlignmentScores:
    """Vecalign's strict and lax scores of predicted full alignments, by document id (a document
    missing on one side counts as an empty alignment there)."""
    total = AlignmentScores()
    for doc in sorted(gold.keys() | predicted.keys()):
        gold_beads, test_beads = gold.get(doc, ()), predicted.get(doc, ())
        right, wrong, lax_right, lax_wrong = _judged(_bead_keys(gold_beads), _bead_keys(test_beads))
        found, missed, lax_found, lax_missed = _judged(_bead_keys(test_beads, False), _bead_keys(gold_beads, False))
        total = total + AlignmentScores(right, wrong, lax_right, lax_wrong, found, missed, lax_found, lax_missed)
    return total


def bead_texts(beads: Iterable["AlignmentBead"], english: Sequence[str], russian: Sequence[str]) -> list[TextPair]:
    """The (English, Russian) text of each bead with both sides: its sentences joined by a space."""
    return [(" ".join(english[i] for i in b.en), " ".join(russian[j] for j in b.ru)) for b in beads if b.en and b.ru]
