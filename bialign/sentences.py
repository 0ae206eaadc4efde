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
    r"(?<!\S)[А-ЯЁA-Z][А-ЯЁA-Z.\-]+(?: [А-ЯЁA-Z][А-ЯЁA-Z.\-]+)*,? ?/[^/\n]{1,40}/ ?[-–—]\s*"
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


def _cut(text: str, span: Span, pattern: re.Pattern[str], limit: int | None = None) -> tuple[list[Span], bool]:
    """Remove the first match of ``pattern`` (within ``limit`` chars) from ``span``."""
    start, end = span
    match = pattern.search(text, start, min(end, start + limit) if limit else end)
    if not match:
        return [span], False
    pieces = [_trim(text, start, match.start()), _trim(text, match.end(), end)]
    return [p for p in pieces if p[1] > p[0]], True


def _is_metadata_line(text: str, span: Span) -> bool:
    line = text[span[0]: span[1]]
    for pattern in (CATEGORY_TIME_RE, EN_DATELINE_RE, SOURCE_LINE_RE):
        if pattern.fullmatch(line):
            return True
    return not WORD_CHAR_RE.search(line)


def _strip_inline_metadata(text: str, spans: list[Span]) -> list[Span]:
    """Cut category/time, dateline and source markers that share a line with the text."""
    for pattern in (CATEGORY_TIME_RE, EN_DATELINE_RE, SOURCE_LINE_RE, RU_DATELINE_RE):
        if not spans:
            break
        head, found = _cut(text, spans[0], pattern, limit=400)
        spans = head + spans[1:]
    return spans


def _title_and_body(text: str, start: int, end: int, lang: str) -> tuple[Span | None, list[Span]]:
    """The title span (if any) and the body spans of a block."""
    lines = _lines(text, start, end)
    if not lines:
        return None, []
    first = lines[0]
    prefix = DATE_PREFIX_RE.match(text, first[0], first[1])
    if prefix:
        first = (prefix.end(), first[1])
    inline_markers = (CATEGORY_TIME_RE, EN_DATELINE_RE, RU_DATELINE_RE)
    title: Span | None = None
    rest = lines[1:]
    for pattern in inline_markers:
        match = pattern.search(text, first[0], min(first[1], first[0] + 400))
        if match and match.start() > first[0]:
            title = _trim(text, first[0], match.start())
            rest = [_trim(text, match.start(), first[1])] + rest
            break
    if title is None and (prefix or (len(lines) > 1 and not SENTENCE_FINAL_RE.search(text[first[0]:first[1]]))):
        if len(lines) > 1 or not prefix:
            title = first
        else:  # one line with a date prefix but no marker: the title cannot be told apart
            rest = [first]
    if title is None:
        rest = lines
    body = [span for span in rest if not _is_metadata_line(text, span)]
    # An inline dateline or metadata can open the first body line(s).
    if body:
        body = _strip_inline_metadata(text, body[:1]) + body[1:]
        if lang != "en" and body:
            body = _cut(text, body[0], RU_DATELINE_RE, limit=120)[0] + body[1:]
        body = [span for span in body if not _is_metadata_line(text, span)]
    return title, body


@lru_cache(maxsize=8)
def _splitter(lang: str) -> Callable[[str], Iterable[str]]:
    import sentencex

    code = lang if lang in ("en", "ru") else "en"
    return lambda paragraph: sentencex.segment(code, paragraph)


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
        pieces.append((start + found, start + found + len(stripped)))
        cursor = found + len(stripped)
    merged: list[Span] = []
    for piece in pieces:
        first_letter = next((ch for ch in text[piece[0]:piece[1]] if ch.isalpha()), "")
        if merged and first_letter.islower():
            merged[-1] = (merged[-1][0], piece[1])
        else:
            merged.append(piece)
    return merged or [span]


def split_block(text: str, start: int, end: int, lang: str) -> list[Sentence]:
    """Title and body sentences of the block ``text[start:end]`` in language ``lang``."""
    title, body = _title_and_body(text, start, end, lang)
    sentences: list[Sentence] = []
    if title and title[1] > title[0]:
        sentences.append(Sentence(collapse_whitespace(text[title[0]:title[1]]), title[0], title[1], lang, True))
    for span in body:
        for s_start, s_end in _split_span(text, span, lang):
            written = collapse_whitespace(text[s_start:s_end])
            if WORD_CHAR_RE.search(written):
                sentences.append(Sentence(written, s_start, s_end, lang))
    return sentences
