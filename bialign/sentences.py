"""Sentence splitting and cleaning of one language block.

A block is cut into a title (the ``date YYYY-MM-DD <title>`` line in English, the first
line of a multi-line Russian block, or the text before an inline dateline) and body
sentences. Metadata never reaches a sentence: the ``date`` prefix, category/time lines,
datelines (``BAKU, Azerbaijan, Nov. 14``, ``БАКУ /Trend/ -``) and source lines
(``Trend:``) are cut out, whether they stand on lines of their own or inline when line
breaks were lost. Sentences are split with ``sentencex`` (Wikimedia's rule-based
splitter, with abbreviation lists for English and Russian).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

LINE_BREAK_RE = re.compile(r"[\n\r\u2028\u2029\x85\x0b\x0c]+")
DATE_PREFIX_RE = re.compile(r"\s*date \d{4}-\d{2}-\d{2}\s+")
CATEGORY_TIME_RE = re.compile(
    r"(?<!\S)\S+ \d{1,2} [A-Z][a-z]+ \d{4} \d{1,2}:\d{2}(?: \((?:UTC|GMT)[+-−]?\d{1,2}(?::\d{2})?\))?(?=\s|$)"
)
EN_DATELINE_RE = re.compile(
    r"(?<!\S)[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+)*, [A-Z][\w.'\-]+(?: [\w.'\-]+){0,3}"
    r"(?:, [A-Z][\w.'\-]+(?: [\w.'\-]+){0,3})?, [A-Z][a-z]{2,8}\.? \d{1,2}(?=\s|$)"
)
SOURCE_LINE_RE = re.compile(r"(?<!\S)[A-Z][\w&.\-]*(?: [A-Z][\w&.\-]*){0,2}:(?=\s|$)")
RU_DATELINE_RE = re.compile(
    r"(?<!\S)[А-ЯЁA-Z][А-ЯЁA-Z.\-]+,? ?/[^/\n]{1,40}/ ?[-–—]\s*"  # one city word: "США ЛОНДОН /Trend/ -"
)
WORD_CHAR_RE = re.compile(r"\w")
SENTENCE_FINAL_RE = re.compile(r"[.!?…:;][\"'»”’)\]]*\s*$")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a block: its written text and where it stands in the item text."""

    text: str
    start: int
    end: int
    lang: str
    is_title: bool = False
    soft_start: bool = False  # only a possible sentence start: the aligner may rejoin it


def collapse_whitespace(text: str) -> str:
    """Whitespace runs (line breaks included) as one space, ends stripped."""
    return " ".join(text.split())


Span = tuple[int, int]


def _lines(text: str, start: int, end: int) -> list[Span]:
    """Non-blank lines of ``text[start:end]`` as spans, trimmed of surrounding space."""
    spans: list[Span] = []
    position = start
    for match in list(LINE_BREAK_RE.finditer(text, start, end)) + [None]:
        line_end = match.start() if match else end
        spans.append(_trim(text, position, line_end))
        position = match.end() if match else end
    return [s for s in spans if s[1] > s[0]]


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_metadata_line(text: str, span: Span) -> bool:
    line = text[span[0]: span[1]]
    for pattern in (CATEGORY_TIME_RE, EN_DATELINE_RE, SOURCE_LINE_RE):
        if pattern.fullmatch(line):
            return True
    return not WORD_CHAR_RE.search(line)


# Markers that end a title when found near the start of a block, even inline. A source
# line ("Trend:") only counts once another marker was seen or on a line of its own, since
# titles may hold a colon ("Elite League: ...").
TITLE_END_MARKERS = (CATEGORY_TIME_RE, EN_DATELINE_RE, RU_DATELINE_RE)
METADATA_MARKERS = (CATEGORY_TIME_RE, EN_DATELINE_RE, RU_DATELINE_RE, SOURCE_LINE_RE)
MARKER_WINDOW = 600
MAX_TITLE_CHARS = 300


def _first_marker(text: str, start: int, end: int) -> int | None:
    """Where the earliest title-ending marker starts in the head of a block, if any."""
    window_end = min(end, start + MARKER_WINDOW)
    found = [m.start() for p in TITLE_END_MARKERS if (m := p.search(text, start, window_end))]
    for match in SOURCE_LINE_RE.finditer(text, start, window_end):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = end if line_end < 0 else line_end
        if text[line_start:line_end].strip() == match.group().strip():
            found.append(match.start())
            break
    return min(found) if found else None


def _skip_metadata(text: str, position: int, end: int) -> int:
    """Position after the metadata markers (inline or on lines) that start at ``position``.

    A source marker ("Trend:") only counts after another marker, since a text may well
    open with a word and a colon ("Brexit: ...").
    """
    markers = TITLE_END_MARKERS
    while True:
        while position < end and text[position].isspace():
            position += 1
        match = next((m for p in markers if (m := p.match(text, position, end))), None)
        if not match or match.end() == position:
            return position
        position = match.end()
        markers = METADATA_MARKERS


def _title_and_body(text: str, start: int, end: int, lang: str) -> tuple[Span | None, list[Span]]:
    """The title span (if any) and the body spans of a block.

    The title is the text before the first metadata marker (category/time line, dateline),
    or the ``date``-prefixed first line, or a first line without final punctuation.
    """
    start, end = _trim(text, start, end)
    if start >= end:
        return None, []
    prefix = DATE_PREFIX_RE.match(text, start, end)
    head = prefix.end() if prefix else start
    first_line_end = next((m.start() for m in LINE_BREAK_RE.finditer(text, head, end)), end)
    marker = _first_marker(text, head, end)
    title: Span | None = None
    if marker is not None and marker > head:
        candidate = _trim(text, head, min(marker, first_line_end))
        if candidate[1] - candidate[0] <= MAX_TITLE_CHARS:
            title = candidate
    elif marker is None:
        first = _trim(text, head, first_line_end)
        unpunctuated = not SENTENCE_FINAL_RE.search(text[first[0]:first[1]])
        if first_line_end < end and (prefix or unpunctuated):
            title = first
        elif first_line_end >= end and unpunctuated and first[1] - first[0] <= MAX_TITLE_CHARS:
            title = first  # a block that is a headline alone
    body_start = title[1] if title else head
    if title and marker is not None and title[1] <= marker:
        between = text[title[1]:marker]
        if not between.strip():
            body_start = marker
    body_start = _skip_metadata(text, body_start, end)
    body = [span for span in _lines(text, body_start, end) if not _is_metadata_line(text, span)]
    if body:  # a dateline can still open the first paragraph
        first = body[0]
        body[0] = (_skip_metadata(text, first[0], first[1]), first[1])
        body = [span for span in body if span[1] > span[0]]
    return title, body


@lru_cache(maxsize=8)
def _splitter(lang: str) -> Callable[[str], Iterable[str]]:
    import sentencex

    code = lang if lang in ("en", "ru") else "en"
    return lambda paragraph: sentencex.segment(code, paragraph)


# A sentence end that the splitter leaves alone inside quotations: a word of three or more
# lower-case letters (never an abbreviation like "Nov." or "г."), end punctuation, space,
# then a capital or an opening quote. "May." is a month, never an abbreviation.
INNER_END_RE = re.compile(r"(?:(?<=[a-zа-яё]{3}[.!?])|(?<=\bMay\.))[\"'»”’]?\s+(?=[\"«“„]?[A-ZА-ЯЁ])")
DANGLING_QUOTE_RE = re.compile(r"\s[\"«“„]$")


def _split_inside(text: str, span: Span) -> list[Span]:
    """Split a piece at sentence ends inside quotations."""
    pieces: list[Span] = []
    start = span[0]
    for match in INNER_END_RE.finditer(text, span[0], span[1]):
        cut = match.start() + (1 if text[match.start()] in "\"'»”’" else 0)
        pieces.append(_trim(text, start, cut))
        start = match.end()
    pieces.append(_trim(text, start, span[1]))
    return [p for p in pieces if p[1] > p[0]]


# Russian abbreviations that never end a sentence (unlike "г.", "млн.", "т.д."), which
# the splitter may still take for sentence ends.
RUSSIAN_ABBREVIATIONS = frozenset(
    "англ нем франц лат рус греч араб итал исп кит яп укр т.е т.к т.н и.о им ул просп пл"
    " см напр проф акад ген св букв".split()
)
LAST_WORD_RE = re.compile(r"([^\W\d_](?:[^\W\d_.]|\.(?=[^\W\d_]))*)\.$")


def _cannot_end(sentence: str) -> bool:
    """Whether a splitter's piece cannot be a whole sentence: a parenthesis is still open,
    or it ends with a Russian abbreviation."""
    if sentence.count("(") > sentence.count(")"):
        return True
    last = LAST_WORD_RE.search(sentence)
    return bool(last and last.group(1).lower() in RUSSIAN_ABBREVIATIONS)


def _split_span(text: str, span: Span, lang: str) -> list[Span]:
    """Sentence spans of one paragraph span."""
    start, end = span
    paragraph = text[start:end]
    pieces: list[Span] = []
    cursor = 0
    for sentence in _splitter(lang)(paragraph):
        stripped = sentence.strip()
        if not stripped:
            continue
        found = paragraph.find(stripped, cursor)
        if found < 0:
            continue
        pieces.extend(_split_inside(text, (start + found, start + found + len(stripped))))
        cursor = found + len(stripped)
    merged: list[Span] = []
    for piece in pieces:
        first_letter = next((ch for ch in text[piece[0]:piece[1]] if ch.isalpha()), "")
        if merged and (first_letter.islower() or _cannot_end(text[merged[-1][0]:merged[-1][1]])):
            merged[-1] = (merged[-1][0], piece[1])
        elif merged and DANGLING_QUOTE_RE.search(text, merged[-1][0], merged[-1][1]):
            merged[-1] = (merged[-1][0], merged[-1][1] - 1)  # the opening quote starts the next one
            merged[-1] = _trim(text, *merged[-1])
            merged.append((piece[0] - 1 if text[piece[0] - 1] in "\"«“„" else piece[0], piece[1]))
        else:
            merged.append(piece)
    return merged or [span]


# Where line breaks were lost, a subtitle without final punctuation runs into the next
# sentence ("... speak their minds When Momentum's activists ..."). Such places become soft
# boundaries that the aligner may keep or rejoin: a word without end punctuation followed
# by a capitalised word that typically opens a sentence, or by any capitalised word when
# the first closes a quotation.
SENTENCE_OPENERS = frozenset(
    "The A An It He She They We I In On At As After But And This That These Those Its His Her"
    " Their There What When While Who Why How If For Some One Two Three Many Most Meanwhile"
    " В На По Как Это Он Она Они Мы Я У Для Из С К О Но И А Все Когда После Однако При Об"
    " Его Ее Их Также Согласно".split()
)
# Words that names follow inside a sentence ("in Paris", "said Trump", "президент Путин").
NAME_PRECEDERS = frozenset(
    "a an the of in on at by for from to with into onto over under about after before between"
    " against during without within via per than as and or nor but if that which who whom whose"
    " is are was were be been being has have had do does did will would can could may might must"
    " shall should said says told according called named dubbed like near including such its his"
    " her their our your my this these those another every each both all any some no new former"
    " late mr mrs ms dr sir st president minister prime secretary senator sen rep gov governor"
    " leader chief star captain coach manager judge king queen prince"
    " в во на по из от до для с со к ко о об у за под над при про через между как что и а но или"
    " не это его ее их сказал заявил сообщил президент премьер министр глава лидер".split()
)
SOFT_BOUNDARY_RE = re.compile(
    r"(?<=[^\W_]|[\"'»”’)])\s+(?=[\"«“„]?[A-ZА-ЯЁ][^\W\d_]*)"
)
MIN_SOFT_WORDS = 3


def _soft_pieces(text: str, span: Span, lead: bool = False) -> list[tuple[Span, bool]]:
    """``span`` cut at its soft boundaries: (piece, starts at a soft boundary).

    In the ``lead`` sentence of a block, where subtitles run into the text, any capitalised
    word that does not follow a word that names follow may start a sentence.
    """
    pieces: list[tuple[Span, bool]] = []
    start = span[0]
    for match in SOFT_BOUNDARY_RE.finditer(text, span[0], span[1]):
        before = text[start:match.start()].split()
        after = text[match.end():span[1]].split()
        if len(before) < MIN_SOFT_WORDS or len(after) < MIN_SOFT_WORDS:
            continue
        previous, following = before[-1], after[0].lstrip("\"«“„")
        closes_quote = previous[-1] in "\"'»”’)"
        lead_start = lead and previous.lower() not in NAME_PRECEDERS
        if not (closes_quote or following in SENTENCE_OPENERS or lead_start):
            continue
        pieces.append(((start, match.start()), bool(pieces)))
        start = match.end()
    pieces.append(((start, span[1]), bool(pieces)))
    return pieces


def split_block(text: str, start: int, end: int, lang: str) -> list[Sentence]:
    """Title and body sentences of the block ``text[start:end]`` in language ``lang``."""
    title, body = _title_and_body(text, start, end, lang)
    sentences: list[Sentence] = []
    if title and title[1] > title[0]:
        sentences.append(Sentence(collapse_whitespace(text[title[0]:title[1]]), title[0], title[1], lang, True))
    lead = True
    for span in body:
        for sentence_span in _split_span(text, span, lang):
            for (s_start, s_end), soft in _soft_pieces(text, sentence_span, lead):
                written = collapse_whitespace(text[s_start:s_end])
                if WORD_CHAR_RE.search(written):
                    sentences.append(Sentence(written, s_start, s_end, lang, soft_start=soft and bool(sentences)))
            lead = False
    return sentences
