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

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

LINE_BREAK_RE = re.compile(r"[\n\r\u2028\u2029\x85\x0b\x0c]+")
DATE_PREFIX_RE = re.compile(r"\s*date \d{4}-\d{2}-\d{2}\s+")
CATEGORY_TIME_RE = re.compile(
    r"(?<!\S)\S+ \d{1,2} [A-Z][a-z]+ \d{4} \d{1,2}:\d{2}(?: \((?:UTC|GMT)[+-−]?\d{1,2}(?::\d{2})?\))?(?=\s|$)"
)
SPACE = "[ \u00a0\u202f]"  # a space, no-break spaces included
EN_DATELINE_RE = re.compile(
    (r"(?<!\S)[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+)*, [A-Z][\w.'\-]+(?: [\w.'\-]+){0,3}"
     r"(?:, [A-Z][\w.'\-]+(?: [\w.'\-]+){0,3})?, [A-Z][a-z]{2,8}\.? \d{1,2}(?=\s|$|[A-Z])").replace(" ", SPACE)
)
# "Trend:", also glued to a dateline ("Nov. 14Trend:")
SOURCE_LINE_RE = re.compile(r"(?:(?<!\S)|(?<=\d))[A-Z][\w&.\-]*(?: [A-Z][\w&.\-]*){0,2}:(?=\s|$)".replace(" ", SPACE))
# "By Name Surname - Trend:"
BYLINE_RE = re.compile(
    r"(?<!\S)By(?: [A-Z][\w.'\-]+){1,4} ?[-–—] ?[A-Z][\w&.\-]*(?: [A-Z][\w&.\-]*){0,2}:(?=\s|$)".replace(" ", SPACE)
)
# "(MENAFN - Trend News Agency)": an aggregator's name and the source
AGGREGATOR_RE = re.compile(r"(?<!\S)\([A-Z]{3,} ?[-–—] ?[^()\n]{1,60}\)(?=\s|$)".replace(" ", SPACE))
RU_DATELINE_RE = re.compile(  # one city word: "США ЛОНДОН /Trend/ -", no-break spaces and dashes of any kind
    r"(?<!\S)[А-ЯЁA-Z][А-ЯЁA-Z.\-]+,? ?/[^/\n]{1,40}/ ?[-–—]\s*".replace(" ", SPACE)
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


def collapse_whitespace(text: str) -> str:
    """Whitespace runs (line breaks included) as one space, ends stripped."""
    return " ".join(text.split())


def written_form(raw: str) -> str:
    """A sentence as it is written out: HTML entities left by scrapers (``&#39;``,
    ``&quot;``) decoded, whitespace collapsed. The item text itself is never changed, so
    offsets keep pointing into it."""
    return collapse_whitespace(html.unescape(raw) if "&" in raw else raw)


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
    for pattern in (CATEGORY_TIME_RE, EN_DATELINE_RE, SOURCE_LINE_RE, BYLINE_RE, AGGREGATOR_RE):
        if pattern.fullmatch(line):
            return True
    return not WORD_CHAR_RE.search(line)


# Markers that end a title when found near the start of a block, even inline. A source
# line ("Trend:") only counts once another marker was seen or on a line of its own, since
# titles may hold a colon ("Elite League: ...").
TITLE_END_MARKERS = (CATEGORY_TIME_RE, EN_DATELINE_RE, RU_DATELINE_RE)
METADATA_MARKERS = (CATEGORY_TIME_RE, EN_DATELINE_RE, RU_DATELINE_RE, BYLINE_RE, SOURCE_LINE_RE, AGGREGATOR_RE)
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


def _title_and_body(text: str, start: int, end: int) -> tuple[Span | None, list[Span]]:
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
# The splitter also leaves a full stop before a number ("... экспертизу. 24 июля ..."):
# after a word of four or more lower-case letters that is no abbreviation of a unit, that
# is a sentence end.
NUMBER_START_RE = re.compile(r"(?<=[a-zа-яё]{4}[.!?])[\"'»”’]?\s+(?=\d)")
UNIT_ABBREVIATIONS = frozenset("млрд долл тыс руб approx".split())
DANGLING_QUOTE_RE = re.compile(r"\s[\"«“„]$")


def _cut_at(text: str, span: Span, pattern: re.Pattern[str]) -> list[Span]:
    """Split a piece where ``pattern`` finds a sentence end (a closing quote stays before the cut)."""
    pieces: list[Span] = []
    start = span[0]
    for match in pattern.finditer(text, span[0], span[1]):
        last_word = (text[start:match.start()].split() or [""])[-1]
        if last_word.rstrip(".!?").lower() in UNIT_ABBREVIATIONS:
            continue
        cut = match.start() + (1 if text[match.start()] in "\"'»”’" else 0)
        pieces.append(_trim(text, start, cut))
        start = match.end()
    pieces.append(_trim(text, start, span[1]))
    return [p for p in pieces if p[1] > p[0]]


# Where line breaks were lost, a subtitle without end punctuation runs into the next
# sentence ("... speak their minds When Momentum's activists ..."). A sentence is decided to
# start there when a word that ends in a lower-case letter (or a closing quote) is followed
# by a capitalised word of a closed class that opens sentences and is never capitalised
# inside one: pronouns, conjunctions, prepositions. Names ("saved Liverpool"), titles
# ("The Times") and words that also start names ("It", "The", "A") never cut a sentence.
GLUED_OPENERS = {
    "en": frozenset(
        "He She They We When While Whereas If Although Though Because However Meanwhile Moreover"
        " But These Those There His Their Its Some Many Most Several Such In As An".split()),
    "ru": frozenset(
        "В Во На По С Со К Ко О Об У Из За До Для От При Про Без Под Над Через После Перед Между"
        " Благодаря Согласно Несмотря Кроме Вместо Среди Около Против Он Она Они Оно Мы Я Вы Это"
        " Этот Эта Эти Его Ее Её Их Все Всё Когда Если Хотя Поскольку Так Как Но И А Однако Также"
        " Тем Теперь Ранее Затем Сегодня Вчера Накануне Позже".split()),
}
GLUED_START_RE = re.compile(r"(?:(?<=[a-zа-яё][\"'»”’)])|(?<=[a-zа-яё]))\s+(?=[A-ZА-ЯЁ][a-zа-яё]*\b)")
MIN_GLUED_WORDS = 3


def _split_glued(text: str, span: Span, lang: str) -> list[Span]:
    """Split a sentence span where a sentence without end punctuation runs into the next."""
    openers = GLUED_OPENERS.get(lang, frozenset())
    pieces: list[Span] = []
    start = span[0]
    for match in GLUED_START_RE.finditer(text, span[0], span[1]):
        following = text[match.end():span[1]].split()
        if not following or following[0].strip(",;:") not in openers:
            continue
        if len(text[start:match.start()].split()) < MIN_GLUED_WORDS or len(following) < MIN_GLUED_WORDS:
            continue
        pieces.append((start, match.start()))
        start = match.end()
    pieces.append((start, span[1]))
    return pieces


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
        pieces.extend(_cut_at(text, (start + found, start + found + len(stripped)), INNER_END_RE))
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


def split_block(text: str, start: int, end: int, lang: str) -> list[Sentence]:
    """Title and body sentences of the block ``text[start:end]`` in language ``lang``."""
    title, body = _title_and_body(text, start, end)
    sentences: list[Sentence] = []
    if title and title[1] > title[0]:
        sentences.append(Sentence(written_form(text[title[0]:title[1]]), title[0], title[1], lang, True))
    for span in body:
        for s_start, s_end in (piece for sentence in _split_span(text, span, lang)
                               for part in _cut_at(text, sentence, NUMBER_START_RE)
                               for piece in _split_glued(text, part, lang)):
            written = written_form(text[s_start:s_end])
            if WORD_CHAR_RE.search(written):
                sentences.append(Sentence(written, s_start, s_end, lang))
    return sentences
