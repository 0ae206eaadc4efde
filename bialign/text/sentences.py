"""Sentences of one language block: the page's furniture set aside, the title found, the body split.

A block is read the way its page is laid out:

1. Lines wrapped at a fixed width inside a paragraph are joined again: a line goes on
   when the next one starts in lower case, when it ends with a comma or a word that never
   ends a sentence (a preposition, a conjunction), or, in a block wrapped that way, when
   the next line's first word would not have fitted on it.
2. The head of the page, the lines before the story, holds the title and furniture
   (:mod:`bialign.text.furniture`): the ``date`` token, category/time lines, rubrics, tags, an
   author's name. The head ends at the first dateline near the top, or, without one, at the
   first line that reads as a sentence (a line ending with a full stop is the story's lead,
   not a headline). The title is the longest line of the head that is no furniture. When
   line breaks were lost, the title is the text before the first dateline or category/time line.
3. The story's paragraphs lose the furniture that opens them (a dateline glued to the first
   sentence, a syndication prefix); lines that are furniture anywhere (a byline, a "follow
   us" line, a line in a third language, the title printed again) are set aside.
4. Paragraphs are split into sentences at ``.``, ``!``, ``?`` and ellipses followed by a
   capital, a digit or an opening quote, except after an abbreviation
   (:mod:`bialign.text.abbreviations`, one list per language) or an initial. Where line breaks
   were lost, a subtitle without end punctuation is cut from the sentence it runs into.

Everything set aside is returned with its kind (:class:`bialign.text.furniture.Furniture`).
A sentence's written text is the item text, whitespace collapsed, HTML entities decoded.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Iterable

from ..records import Segment
from .abbreviations import AFTER_NUMBER, BEFORE_CAPITAL, BEFORE_OPENER, NEVER, OPENERS
from .detect import name_language
from .furniture import (
    CATEGORY_TIME_RE, DATE_TOKEN_RE, TAGS_RE, Furniture, furniture_kind, leading_furniture, match_dateline,
)
from .scripts import CYRILLIC_RE

LINE_BREAK_RE = re.compile(r"[\n\r\u2028\u2029\x85\x0b\x0c]+")
WORD_CHAR_RE = re.compile(r"\w")
CLOSING = "\"'»”’)]"
OPENING = "\"'«“„‘([<"
FINAL_RE = re.compile(r"(?:\.{3}|[.!?…])[\"'»”’)\]]*$")  # a line or text that ends a sentence
TITLE_FINAL_RE = re.compile(r"(?:\.{3}|[.…])[\"'»”’)\]]*$")  # what a headline never ends with
LIST_MARKER_RE = re.compile(r"(?:[-–—•·▪*►]|\d{1,2}[.)])\s")
MAX_TITLE_CHARS = 300
MARKER_WINDOW = 600
WRAP_FILL = 0.85  # a wrapped line this full (of the block's longest) was broken for lack of room
MAX_TAIL_WORDS = 8  # a line after the story without end punctuation and this short is page chrome

#: Words that never end a sentence or a headline: a line ending with one goes on.
NONFINAL_WORDS = {
    "en": frozenset("a an the of to in on at for with by from and or but nor as that which who whose than into onto"
                    " about over under between among via per".split()),
    "ru": frozenset("в во на с со к ко о об обо у из за до для от при про без под над через после перед между и а но"
                    " или что чтобы как который которая которое которые не ни".split()),
}
# Where line breaks were lost, a subtitle without end punctuation runs into the next
# sentence ("... speak their minds When Momentum's activists ..."). A sentence starts there
# when a word ending in a lower-case letter is followed by a capitalised word of a closed
# class that opens sentences and is never capitalised inside one. Names ("saved Liverpool"), titles ("The
# Times") and words that also start names ("It", "The", "A") never cut a sentence. Both
# lists are drawn from the splitter's openers (:data:`bialign.text.abbreviations.OPENERS`).
GLUED_OPENERS = {
    "en": frozenset(
        "He She They We When While Whereas If Although Though Because However Meanwhile Moreover"
        " But These Those There His Their Its Some Many Most Several Such In As An".split()),
    "ru": OPENERS["ru"] - {"Отметим", "Напомним"},
}
GLUED_START_RE = re.compile(r"(?<=[a-zа-яё])[\"'»”’)]?\s+(?=[A-ZА-ЯЁ][a-zа-яё]*\b)")
MIN_GLUED_WORDS = 3
END_MARK_RE = re.compile(r"(?:\.{3}|[.!?…])+[\"'»”’)\]]*(?=\s)")
AGENCY_CREDIT_RE = re.compile(r"\([A-Z]{2,6}\)")  # "COSTA MESA, Calif. (AP) - ...": the credit goes on
INITIAL_RE = re.compile(r"[A-ZА-ЯЁ]")
DOTTED_ACRONYM_RE = re.compile(r"(?:[A-Za-zА-Яа-яЁё]\.)+[A-Za-zА-Яа-яЁё]")
NUMBER_RE = re.compile(r"[\d.,%$€£]*\d[\d.,%]*")
LETTER_RE = re.compile(r"[^\W\d_]")

Span = tuple[int, int]


@dataclass(frozen=True)
class Sentence:
    """A sentence of a block: its written text and where it stands in the item text."""

    text: str
    start: int
    end: int
    lang: str
    is_title: bool = False


@dataclass(frozen=True)
class BlockLayout:
    """A block's sentences (the title first, if any) and the furniture set aside, in text order."""

    sentences: tuple[Sentence, ...]
    furniture: tuple[Furniture, ...]


def collapse_whitespace(text: str) -> str:
    """Whitespace runs (line breaks included) as one space, ends stripped."""
    return " ".join(text.split())


def written_form(raw: str) -> str:
    """A sentence as it is written out: HTML entities left by scrapers (``&#39;``,
    ``&quot;``) decoded, whitespace collapsed. The item text itself is never changed, so
    offsets keep pointing into it."""
    return collapse_whitespace(html.unescape(raw) if "&" in raw else raw)


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- lines and paragraphs ----------------------------------------------------------------

def _lines(text: str, start: int, end: int) -> list[tuple[Span, bool]]:
    """Non-blank lines of ``text[start:end]``, trimmed, each with whether a blank line comes before it."""
    out: list[tuple[Span, bool]] = []
    position, blank = start, False
    for match in list(LINE_BREAK_RE.finditer(text, start, end)) + [None]:
        line = _trim(text, position, match.start() if match else end)
        if line[1] > line[0]:
            out.append((line, blank))
            blank = False
        else:
            blank = bool(out)
        if match:
            breaks = match.group()
            blank = blank or breaks.count("\n") + breaks.count("\u2029") > 1 or "\r\r" in breaks
            position = match.end()
    return out


def _last_word(line: str) -> str:
    words = line.split()
    return words[-1].lower() if words else ""


def _is_furniture_line(text: str, span: Span) -> bool:
    line = text[span[0]:span[1]]
    if furniture_kind(line):
        return True
    pieces = leading_furniture(text, span[0], span[1], True)
    return bool(pieces) and not text[pieces[-1].end:span[1]].strip()


def _goes_on(line: str, following: str, lang: str) -> bool:
    """Whether ``line`` surely goes on in ``following`` (the paragraph was wrapped)."""
    if LIST_MARKER_RE.match(following):
        return False
    first = next((ch for ch in following if ch.isalnum()), "")
    if first.islower():
        return True
    if FINAL_RE.search(line) or line.endswith((":", ";")):
        return False
    return line.endswith((",", "-", "‐")) or _last_word(line) in NONFINAL_WORDS.get(lang, frozenset())


def _paragraphs(text: str, start: int, end: int, lang: str) -> list[Span]:
    """Paragraph spans: lines, joined again where a paragraph was wrapped."""
    lines = _lines(text, start, end)
    if len(lines) < 2:
        return [span for span, _ in lines]
    bodies = [text[a:b] for (a, b), _ in lines]
    linked = [not blank and _goes_on(bodies[k - 1], bodies[k], lang) for k, (_, blank) in enumerate(lines) if k]
    wrapped = sum(linked) >= 2
    width = max(len(body) for body in bodies)
    spans = [lines[0][0]]
    for k in range(1, len(lines)):
        (span, blank), previous = lines[k], bodies[k - 1]
        join = linked[k - 1]  # the line surely goes on, even into what could pass for furniture ("on\nSeptember 15.")
        if not join and wrapped and not blank and not FINAL_RE.search(previous) \
                and not LIST_MARKER_RE.match(bodies[k]) and not _is_furniture_line(text, span):
            first_word = bodies[k].split()[0]
            join = len(previous) + 1 + len(first_word) > WRAP_FILL * width  # the word did not fit on the line
        if join and not _is_furniture_line(text, lines[k - 1][0]):
            spans[-1] = (spans[-1][0], span[1])
        else:
            spans.append(span)
    return spans


# --- the head of the page: title and furniture ----------------------------------------------

def _inline_marker(text: str, start: int, end: int) -> int | None:
    """Where the first category/time line or dateline starts inside a paragraph, past its
    start and within its head: line breaks were lost and the title runs into the story."""
    window = min(end, start + MARKER_WINDOW)
    found = [m.start() for m in CATEGORY_TIME_RE.finditer(text, start + 1, window)]
    for match in re.finditer(r"(?<=\s)[A-ZА-ЯЁ]", text[start + 1:window]):
        position = start + 1 + match.start()
        if match_dateline(text, position, end) is not None:
            found.append(position)
            break
    return min(found) if found else None


def _other_language(line: str, lang: str) -> bool:
    """Whether a line is written in a third language: no Cyrillic in a Russian block; named
    as another language in an English block (only lines with letters outside ASCII are named)."""
    if not LETTER_RE.search(line):
        return False
    if lang == "ru":
        return not CYRILLIC_RE.search(line)
    if lang == "en" and not line.isascii() and len(line.split()) >= 3 and not CYRILLIC_RE.search(line):
        return name_language(line, "en") not in ("en", "und")
    return False


def _body_like(line: str) -> bool:
    """Whether a head line is rather the story's first paragraph than a headline."""
    return bool(TITLE_FINAL_RE.search(line)) or len(line) > MAX_TITLE_CHARS or bool(_sentence_cuts(line, 0, len(line)))


def _set_aside(text: str, span: Span, lang: str) -> str | None:
    """The furniture kind of a whole line, or None; a line in another language than ``lang``
    (when given) is one too."""
    line = text[span[0]:span[1]]
    kind = furniture_kind(line)
    if kind:
        return kind
    return "other-language" if _other_language(line, lang) else None


MAX_HEAD_PARAGRAPHS = 6  # a dateline further down does not end a head


def _opening(text: str, paragraph: Span) -> tuple[list[Furniture], Span]:
    """The furniture opening a paragraph, and the rest of it."""
    pieces = leading_furniture(text, *paragraph, True)
    return pieces, _trim(text, pieces[-1].end if pieces else paragraph[0], paragraph[1])


def _opens_story(pieces: list[Furniture]) -> bool:
    """Whether furniture opening a paragraph is what stands before a story (a dateline or a
    syndication prefix)."""
    return any(piece.kind in ("dateline", "syndication") for piece in pieces)


def _head_and_body(text: str, paragraphs: list[Span], lang: str,
                   furniture: list[Furniture]) -> tuple[list[Span], list[Span]]:
    """The head's candidate titles and the body's paragraphs; furniture found on the way is added.

    The head ends at the first dateline when one opens a paragraph near the top (whatever
    punctuation the lines before it have: a translated headline may end with a full stop),
    else at the first paragraph that reads like a sentence rather than a headline.
    """
    openings = [_opening(text, p) for p in paragraphs[:MAX_HEAD_PARAGRAPHS]]
    dateline_at = next((k for k, (pieces, _) in enumerate(openings) if _opens_story(pieces)), None)
    if dateline_at is not None and any(len(text[a:b]) > MAX_TITLE_CHARS or _sentence_cuts(text, a, b)
                                       for _, (a, b) in openings[:dateline_at]):
        dateline_at = None  # whole sentences before it: that was the story
    head: list[Span] = []
    for index, paragraph in enumerate(paragraphs):
        pieces, rest = openings[index] if index < len(openings) else _opening(text, paragraph)
        if index == dateline_at or dateline_at is None and (_opens_story(pieces) or _body_like(text[rest[0]:rest[1]])):
            return head, paragraphs[index:]
        furniture.extend(pieces)
        if rest[1] <= rest[0]:
            continue
        kind = _set_aside(text, rest, lang)
        if kind:
            furniture.append(Furniture(kind, *rest))
        else:
            head.append(rest)
    return head, []


def layout_block(text: str, start: int, end: int, lang: str, page: bool = True) -> BlockLayout:
    """Title, body sentences and furniture of the block ``text[start:end]`` in language ``lang``.

    A ``page`` (a block of a news item, its language detected) follows a news page's layout:
    its title is the longest line of the head, the head's other lines, lines in a third
    language and short lines after the story's last sentence are set aside. A document (not a
    ``page``: its language given by the user) keeps them: its title is its first line and
    every other line is a sentence; only furniture that names itself is set aside.
    """
    start, end = _trim(text, start, end)
    furniture: list[Furniture] = []
    if start >= end:
        return BlockLayout((), ())
    token = DATE_TOKEN_RE.match(text, start, end)
    if token:
        furniture.append(Furniture("date", *_trim(text, token.start(), token.end())))
        start = token.end()
    paragraphs = _paragraphs(text, start, end, lang)
    if paragraphs:
        first = paragraphs[0]
        marker = _inline_marker(text, *first)
        if marker is not None and marker - first[0] <= MAX_TITLE_CHARS and not FINAL_RE.search(
                text[first[0]:marker].rstrip()) and not _sentence_cuts(text, first[0], marker):
            paragraphs[0:1] = [_trim(text, first[0], marker), (marker, first[1])]
    foreign = lang if page else ""  # the language whose lines in another one are set aside
    head, body = _head_and_body(text, paragraphs, foreign, furniture)
    if page:
        title = max(head, key=lambda s: (len(text[s[0]:s[1]].split()), -s[0])) if head else None
        furniture.extend(Furniture("chrome", *span) for span in head if span != title)
    else:
        title, body = (head[0], head[1:] + body) if head else (None, body)
    title_text = written_form(text[title[0]:title[1]]) if title else None
    sentences: list[Sentence] = []
    if title:
        sentences.append(Sentence(title_text, title[0], title[1], lang, True))
    last_final = max((k for k, s in enumerate(body) if FINAL_RE.search(text[s[0]:s[1]])), default=-1)
    for index, paragraph in enumerate(body):
        pieces, rest = _opening(text, paragraph)
        furniture.extend(pieces)
        if rest[1] <= rest[0]:
            continue
        line = text[rest[0]:rest[1]]
        kind = _set_aside(text, rest, foreign)
        if kind is None and title_text and written_form(line) == title_text:
            kind = "repeated-title"
        if kind is None and page and index and furniture and TAGS_RE.fullmatch(
                text[furniture[-1].start:furniture[-1].end]):
            kind = "chrome"  # the tags after a "Tags:" line
        if kind is None and page and index > last_final and len(line.split()) <= MAX_TAIL_WORDS and index > 0:
            kind = "chrome"  # a tag line or a signature after the story
        if kind:
            furniture.append(Furniture(kind, *rest))
            continue
        for s_start, s_end in _split_paragraph(text, rest, lang):
            written = written_form(text[s_start:s_end])
            if WORD_CHAR_RE.search(written):
                sentences.append(Sentence(written, s_start, s_end, lang))
    furniture.sort(key=lambda f: f.start)
    return BlockLayout(tuple(sentences), tuple(furniture))


def split_block(text: str, start: int, end: int, lang: str, page: bool = True) -> list[Sentence]:
    """Title and body sentences of the block ``text[start:end]`` in language ``lang`` (a news
    ``page``'s or a document's: see :func:`layout_block`)."""
    return list(layout_block(text, start, end, lang, page).sentences)


def line_sentences(text: str, start: int, end: int, lang: str) -> list[Sentence]:
    """Every non-blank line of ``text[start:end]`` as one sentence (documents split one
    sentence a line): lines end at ``\n`` only, and are written out like any sentence."""
    out: list[Sentence] = []
    position = start
    for line in text[start:end].split("\n"):
        written = written_form(line)
        if written:
            out.append(Sentence(written, position, position + len(line), lang))
        position += len(line) + 1
    return out


def furniture_of(text: str, segments: Iterable[Segment], page: bool = True) -> list[Furniture]:
    """The furniture set aside in the English and Russian blocks of an item (a news ``page``'s,
    or a document's: see :func:`layout_block`), in text order."""
    return [piece for segment in segments if segment.lang in ("en", "ru")
            for piece in layout_block(text, segment.start, segment.end, segment.lang, page).furniture]


# --- sentences ----------------------------------------------------------------------------

def _lists(word: str) -> str:
    """The language whose abbreviation lists a word is looked up in: by its script."""
    return "ru" if CYRILLIC_RE.search(word) else "en"


def _ends_sentence(text: str, start: int, mark: re.Match[str], following: int, end: int) -> bool:
    """Whether the end mark ``mark`` ends a sentence, given the text from ``following`` on."""
    position = following
    while position < end and text[position] in OPENING:
        position += 1
    first = text[position] if position < end else ""
    if not (first.isupper() or first.isdigit()) or AGENCY_CREDIT_RE.match(text, following, end):
        return False
    if not mark.group().startswith(".") or mark.group().startswith("..."):
        return True  # ! ? … and ellipses
    before = text[start:mark.start()].split()
    word = before[-1].lstrip(OPENING) if before else ""
    if not word or NUMBER_RE.fullmatch(word):
        return True
    next_word = text[position:end].split(None, 1)[0].strip(",;:" + CLOSING) if position < end else ""
    previous = before[-2] if len(before) > 1 else ""
    if len(word) == 1 and INITIAL_RE.fullmatch(word):  # an initial, or a letter that ends the sentence
        return previous[:1].islower() and next_word in OPENERS[_lists(next_word)]
    lang = _lists(word)
    low = word.lower()
    if low in AFTER_NUMBER[lang]:  # a unit: after a number, or after another unit ("3 тыс. м.")
        units = AFTER_NUMBER[_lists(previous)]
        after_unit = previous.endswith(".") and previous[:-1].lower() in units
        return bool(NUMBER_RE.fullmatch(previous) or after_unit) and first.isupper()
    if low in NEVER[lang]:
        return False
    if low in BEFORE_OPENER[lang] or DOTTED_ACRONYM_RE.fullmatch(word):
        return next_word in OPENERS[_lists(next_word)]
    if low in BEFORE_CAPITAL[lang]:
        return first.isupper()
    return True


def _sentence_cuts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(end of a sentence, start of the next)`` for every sentence end inside ``text[start:end]``."""
    cuts = []
    for mark in END_MARK_RE.finditer(text, start, end):
        following = mark.end()
        while following < end and text[following].isspace():
            following += 1
        if following < end and _ends_sentence(text, start, mark, following, end):
            cuts.append((mark.end(), following))
    return cuts


def _split_glued(text: str, span: Span, lang: str) -> list[Span]:
    """Split a sentence span where a sentence without end punctuation runs into the next
    (never inside a run of capitalised words: a headline in title case)."""
    openers = GLUED_OPENERS.get(lang, frozenset())
    pieces: list[Span] = []
    start = span[0]
    for match in GLUED_START_RE.finditer(text, span[0], span[1]):
        left = text[start:match.start()].split()
        following = text[match.end():span[1]].split()
        if not following or following[0].strip(",;:") not in openers:
            continue
        if len(left) < MIN_GLUED_WORDS or len(following) < MIN_GLUED_WORDS or _title_case(left[-4:]):
            continue
        cut = match.start() + (1 if text[match.start()] in CLOSING else 0)
        pieces.append((start, cut))
        start = match.end()
    pieces.append((start, span[1]))
    return pieces


def _title_case(words: list[str]) -> bool:
    """Whether most of ``words`` are capitalised, as in a headline written in title case."""
    capitalised = sum(word.lstrip(OPENING)[:1].isupper() for word in words)
    return capitalised * 2 > len(words)


def _split_paragraph(text: str, span: Span, lang: str) -> list[Span]:
    """Sentence spans of one paragraph."""
    pieces: list[Span] = []
    start = span[0]
    for cut, following in _sentence_cuts(text, *span):
        if text[start:cut].count("(") > text[start:cut].count(")"):
            continue  # a parenthesis is still open
        pieces.append((start, cut))
        start = following
    pieces.append((start, span[1]))
    return [glued for piece in pieces for glued in _split_glued(text, piece, lang)]
