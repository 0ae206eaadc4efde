"""From an item to its translation pairs, and from a corpus of items to results.

The work per item is: detect the language blocks, split and clean sentences, embed the
Russian sentences and the start of the English article, align, and build :class:`Pair`
objects from the original sentence text. Corpus runs embed many items' sentences in one
batch through a cache, so each distinct sentence is embedded once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from .align import AlignParams, Bead, search, span_lengths
from .detect import EN, RU, Segment, detect_segments
from .embed import DEFAULT_ENCODER, ENCODERS, CachedEmbedder, Embedder, get_encoder
from .items import Item, Rejected
from .sentences import Sentence, split_block

ALIGNED, NO_PAIRS, REJECTED = "aligned", "no_pairs", "rejected"


@dataclass(frozen=True)
class AlignConfig:
    """Everything that decides a run's output; picklable, so it can be shipped to workers."""

    encoder: str = DEFAULT_ENCODER
    encoder_options: tuple[tuple[str, object], ...] = ()
    params: AlignParams = AlignParams()
    min_window: int = 8  # English body sentences embedded at first
    batch_items: int = 64

    @classmethod
    def for_encoder(cls, encoder: str = DEFAULT_ENCODER, **overrides: float) -> "AlignConfig":
        """A config with the alignment parameters calibrated for ``encoder``, then ``overrides``."""
        spec = ENCODERS.get(encoder)
        calibrated = dict(spec.calibration) if spec else {}
        return cls(encoder=encoder, params=replace(AlignParams(), **{**calibrated, **overrides}))

    def make_embedder(self) -> CachedEmbedder:
        """The configured encoder, wrapped in a cache."""
        return CachedEmbedder(get_encoder(self.encoder, **dict(self.encoder_options)))


@dataclass(frozen=True)
class Pair:
    """One translation pair of an item: English source, Russian target, and its score."""

    item_id: str
    src: str
    tgt: str
    score: float
    src_index: tuple[int, ...] = ()
    tgt_index: tuple[int, ...] = ()
    is_title: bool = False
    src_lang: str = EN
    tgt_lang: str = RU

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.item_id, "src_lang": self.src_lang, "tgt_lang": self.tgt_lang,
            "src": self.src, "tgt": self.tgt, "score": round(self.score, 4),
            "src_index": list(self.src_index), "tgt_index": list(self.tgt_index),
            "title": self.is_title,
        }


@dataclass(frozen=True)
class ItemResult:
    """What became of one input item: aligned, no pairs (with the reason) or rejected."""

    item_id: str
    status: str
    pairs: tuple[Pair, ...] = ()
    reason: str = ""
    segments: tuple[Segment, ...] = ()
    source: str = ""
    line: int | None = None
    raw: str = ""

    @classmethod
    def rejected(cls, record: Rejected) -> "ItemResult":
        return cls(record.id or record.where, REJECTED, reason=record.reason,
                   source=record.source, line=record.line, raw=record.raw)


@dataclass
class _Prepared:
    item: Item
    segments: list[Segment]
    en: list[Sentence] = field(default_factory=list)
    ru: list[Sentence] = field(default_factory=list)
    reason: str = ""

    @property
    def en_title(self) -> list[Sentence]:
        return [s for s in self.en if s.is_title][:1]

    @property
    def ru_title(self) -> list[Sentence]:
        return [s for s in self.ru if s.is_title][:1]

    @property
    def en_body(self) -> list[Sentence]:
        return [s for s in self.en if not s.is_title]

    @property
    def ru_body(self) -> list[Sentence]:
        return [s for s in self.ru if not s.is_title]


def sentences_of(text: str, segments: Sequence[Segment], lang: str) -> list[Sentence]:
    """Sentences of every block of ``lang``; only the first block may hold a title."""
    out: list[Sentence] = []
    for segment in segments:
        if segment.lang == lang:
            found = split_block(text, segment.start, segment.end, lang)
            out.extend(s if not out or not s.is_title else Sentence(s.text, s.start, s.end, s.lang) for s in found)
    return out


def prepare(item: Item) -> _Prepared:
    """Detection and sentence splitting of one item."""
    segments = detect_segments(item.text)
    prepared = _Prepared(item, segments)
    langs = {s.lang for s in segments}
    if not segments:
        prepared.reason = "no text"
    elif EN not in langs or RU not in langs:
        found = ", ".join(sorted(langs))
        prepared.reason = f"not both English and Russian (found: {found})"
    else:
        prepared.en = sentences_of(item.text, segments, EN)
        prepared.ru = sentences_of(item.text, segments, RU)
        if not prepared.en or not prepared.ru:
            prepared.reason = "no sentences in one of the languages"
    return prepared


def _window(prepared: _Prepared, config: AlignConfig) -> int:
    return max(config.min_window, 3 * len(prepared.ru_body) + 2)


def _texts_needed(prepared: _Prepared, window: int, params: AlignParams) -> list[str]:
    titles = [s.text for s in prepared.en_title + prepared.ru_title]
    return (titles + list(span_texts(prepared.en_body[:window], params.max_src, params.max_units).values())
            + list(span_texts(prepared.ru_body, params.max_tgt, params.max_units).values()))


def span_texts(sentences: Sequence[Sentence], max_sentences: int, max_units: int) -> dict[tuple[int, int], str]:
    """Text of every run ``(start, units)`` of adjacent units that a bead may take."""
    soft = [s.soft_start for s in sentences]
    return {(i, n): " ".join(s.text for s in sentences[i: i + n])
            for i in range(len(sentences)) for n, _ in span_lengths(soft, i, max_sentences, max_units)}


def embed_spans(sentences: Sequence[Sentence], max_sentences: int, max_units: int,
                embedder: Embedder) -> tuple[dict[tuple[int, int], int], np.ndarray]:
    """Row index of every run of adjacent units, and the embeddings of their joined texts."""
    texts = span_texts(sentences, max_sentences, max_units)
    return {span: row for row, span in enumerate(texts)}, embedder.embed(list(texts.values()))


def _align_body(en: list[Sentence], ru: list[Sentence], embedder: Embedder, params: AlignParams) -> list[Bead]:
    if not en or not ru:
        return []
    en_rows, en_vectors = embed_spans(en, params.max_src, params.max_units, embedder)
    ru_rows, ru_vectors = embed_spans(ru, params.max_tgt, params.max_units, embedder)
    similarity = en_vectors @ ru_vectors.T  # every English run against every Russian run at once

    def score(i: int, a: int, j: int, b: int) -> float:
        return float(similarity[en_rows[(i, a)], ru_rows[(j, b)]])

    return search(len(en), len(ru), score, params, [s.soft_start for s in en], [s.soft_start for s in ru])


def _pair(item_id: str, en: list[Sentence], ru: list[Sentence], bead: Bead, offset_src: int, offset_tgt: int,
          is_title: bool = False) -> Pair:
    return Pair(
        item_id,
        " ".join(en[i].text for i in bead.src),
        " ".join(ru[j].text for j in bead.tgt),
        bead.score,
        tuple(i + offset_src for i in bead.src),
        tuple(j + offset_tgt for j in bead.tgt),
        is_title,
    )


def finish(prepared: _Prepared, embedder: Embedder, config: AlignConfig) -> ItemResult:
    """Align a prepared item (its sentences should already be in the embedder's cache)."""
    item = prepared.item
    base = dict(segments=tuple(prepared.segments), source=item.source, line=item.line)
    if prepared.reason:
        return ItemResult(item.id, NO_PAIRS, reason=prepared.reason, **base)
    params = config.params
    pairs: list[Pair] = []
    en_title, ru_title = prepared.en_title, prepared.ru_title
    title_offset_en, title_offset_ru = len(en_title), len(ru_title)
    if en_title and ru_title:
        similarity = float(np.dot(*embedder.embed([en_title[0].text, ru_title[0].text])))
        if similarity >= params.title_threshold:
            pairs.append(_pair(item.id, en_title, ru_title, Bead((0,), (0,), similarity), 0, 0, True))
    en_body, ru_body = prepared.en_body, prepared.ru_body
    window = _window(prepared, config)
    while True:
        beads = _align_body(en_body[:window], ru_body, embedder, params)
        last = max((max(b.src) for b in beads), default=-1)
        if window >= len(en_body) or last < window - params.max_src:
            break
        window *= 2  # the best match sits at the window's edge: look further
    pairs.extend(_pair(item.id, en_body, ru_body, b, title_offset_en, title_offset_ru) for b in beads)
    if not pairs:
        return ItemResult(item.id, NO_PAIRS, reason="no sentence matched above the threshold", **base)
    return ItemResult(item.id, ALIGNED, tuple(pairs), **base)


def _guarded(item: Item, step: Callable, *args: object):  # type: ignore[no-untyped-def]
    """``step(*args)``, or a rejection of ``item`` when it raises: one bad item never stops a run."""
    try:
        return step(*args)
    except Exception as exc:  # noqa: BLE001
        return Rejected(item.source, item.line, f"internal error: {type(exc).__name__}: {str(exc)[:200]}",
                        item.text, item.id)


class Aligner:
    """Aligns items with one encoder, loaded once; reuse it across calls."""

    def __init__(self, config: AlignConfig | None = None, embedder: Embedder | None = None) -> None:
        self.config = config or AlignConfig()
        if embedder is None:
            self.embedder: Embedder = self.config.make_embedder()
        else:
            self.embedder = embedder if isinstance(embedder, CachedEmbedder) else CachedEmbedder(embedder)

    def align_item(self, item: Item) -> ItemResult:
        """Pairs of one item."""
        return finish(prepare(item), self.embedder, self.config)

    def align_items(
        self,
        records: Iterable[Item | Rejected],
        progress: Callable[[ItemResult], None] | None = None,
    ) -> Iterator[ItemResult]:
        """Results of a stream of items (and rejections), in input order, batched for the encoder."""
        batch: list[Item | Rejected] = []
        for record in records:
            batch.append(record)
            if len(batch) >= self.config.batch_items:
                yield from self._run_batch(batch, progress)
                batch = []
        if batch:
            yield from self._run_batch(batch, progress)

    def _run_batch(self, batch: list[Item | Rejected], progress: Callable[[ItemResult], None] | None) -> Iterator[ItemResult]:
        prepared: list[_Prepared | Rejected] = [r if isinstance(r, Rejected) else _guarded(r, prepare, r) for r in batch]
        texts = [t for p in prepared if isinstance(p, _Prepared) and not p.reason
                 for t in _texts_needed(p, _window(p, self.config), self.config.params)]
        if texts:
            try:
                self.embedder.embed(texts)
            except Exception:  # noqa: BLE001 - each item embeds again in finish(), where its error is caught
                pass
        for entry in prepared:
            if isinstance(entry, _Prepared):
                entry = _guarded(entry.item, finish, entry, self.embedder, self.config)
            result = ItemResult.rejected(entry) if isinstance(entry, Rejected) else entry
            if progress is not None:
                progress(result)
            yield result


def align_text(text: str, embedder: Embedder | None = None, config: AlignConfig | None = None,
               item_id: str = "item") -> list[Pair]:
    """Translation pairs of one item's text."""
    return list(Aligner(config, embedder).align_item(Item(item_id, text)).pairs)


def align_corpus(items: Iterable[Item | Rejected], embedder: Embedder | None = None,
                 config: AlignConfig | None = None) -> Iterator[ItemResult]:
    """Results for a stream of items, one :class:`ItemResult` each, in order."""
    return Aligner(config, embedder).align_items(items)
