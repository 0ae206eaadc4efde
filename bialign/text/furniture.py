"""Page furniture: what an agency's page holds around its story that is no sentence of it.

Each kind is a general rule of how news pages of the region are laid out, in English and
Russian, never a rule for one page:

* ``date``: the crawler's ``date YYYY-MM-DD`` token;
* ``dateline``: a place, a date and/or an agency at the head of the story: ``BAKU,
  Azerbaijan, Nov. 14``, ``ASTANA. KAZINFORM -``, ``Baku - APA.``, ``Bishkek, March 16,
  2018 / Kabar /.``, ``БАКУ /Trend/ -``, ``АСТАНА/ Trend -``, ``Москва. 5 января.
  INTERFAX.RU -``, ``Бишкек, 14.05.20. /Кабар/.``, with any dash and spacing, on a line
  of its own or glued to the first sentence;
* ``syndication``: an aggregator's prefix, ``(MENAFN- Trend News Agency)``;
* ``source`` and ``byline``: ``Trend:``, ``By Name Surname - Trend:``, ``By Name``,
  ``Автор: ...``;
* ``datetime``: category/time and date/time lines (``Politics 14 November 2020 16:21 (UTC+04:00)``,
  ``Экономика Материалы 25 декабря 2025 11:40 (UTC +04:00)``, ``• 17:25``, ``2025-12-25 03:02:57``);
* ``chrome``: navigation and page words (``Поиск``, ``Last minute``, ``Все материалы``,
  ``Tags:``), photo captions, "follow our channel" tails, short lines around the headline
  (rubrics, tags, an author's name);
* ``other-language``: a line in a third language;
* ``repeated-title``: the headline printed a second time.

Everything here finds spans; :mod:`bialign.text.sentences` decides where to look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPACE = "[ \u00a0\u202f\t]"
DASH = "[-\u2010\u2011\u2012\u2013\u2014\u2015]"

MONTHS_EN = ("Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
             "|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?")
MONTHS_RU = ("январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|октябр[ья]"
             "|ноябр[ья]|декабр[ья]|янв|фев|мар|апр|авг|сент?|окт|нояб?|дек")
MONTHS = f"(?:{MONTHS_EN}|{MONTHS_RU}|(?i:{MONTHS_EN}))"
WEEKDAYS = ("Mon(?:day)?|Tue(?:s|sday)?|Wed(?:nesday)?|Thu(?:rs|rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?"
            "|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье")

# A day and a month in any order, a year or not; or a numeric date.
DATE = (rf"(?:{MONTHS}\.?{SPACE}?\d{{1,2}}(?:(?:,|{SPACE})+\d{{4}})?"
        rf"|\d{{1,2}}\.?{SPACE}+{MONTHS}\.?(?:(?:,|{SPACE})+\d{{4}}(?:{SPACE}г(?:ода)?\.?)?)?"
        rf"|\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}})")

#: News agencies of the region, as datelines name them (a closed class).
AGENCIES = (
    "Trend|Trend News Agency|Report|Report\\.az|REPORT\\.AZ|APA|AzerTAc|AzerTAj|AzerTag|AZERTAC|Azertac|Azernews|AzerNews"
    "|Day\\.Az|News\\.Az|Caliber\\.Az|Kabar|KABAR|Kazinform|KAZINFORM|Interfax|INTERFAX|INTERFAX\\.RU|Интерфакс"
    "|ИНТЕРФАКС|ORIENT|Orient|Turan|TURAN|Sputnik|Спутник|TASS|ТАСС|РИА Новости|Reuters|AFP|Xinhua|Anadolu|UzA|УзА"
    "|Kun\\.uz|24\\.kg|AKIpress|Тренд|АПА|АЗЕРТАДЖ|Азертадж|АзерТАдж|Кабар|КАБАР|Казинформ|КАЗИНФОРМ|Туран"
)
# A place in capitals: up to three Latin words (NEW YORK), one Cyrillic word (НЬЮ-ЙОРК), so
# that a Russian headline keeps its last word in capitals (... на юго-запад США ЛОНДОН /Trend/ -)
LATIN_CAPS = "[A-Z][A-Z'’\\-]+"
CAPS_PLACE = f"(?:{LATIN_CAPS}(?:{SPACE}{LATIN_CAPS}){{0,2}}|[А-ЯЁ][А-ЯЁ'’\\-]+)"
TITLE_PLACE = "[A-ZА-ЯЁ][a-zа-яё'’\\-]+(?:[ \\-][A-ZА-ЯЁ][a-zа-яё'’\\-]+){0,2}"
REGION = "[A-ZА-ЯЁ][\\w'’.\\-]*(?: [A-Za-zА-ЯЁа-яё][\\w'’.\\-]*){0,3}"
SLASHED = f"/{SPACE}*[^/\\n]{{1,60}}?{SPACE}*/"  # "/Trend/", "/ Kabar /", "/корр. Кабар/"
CAPS_AGENCY = "[A-ZА-ЯЁ]{3,}(?:\\.[A-Za-zА-Яа-я]{2,3})?"  # KAZINFORM, INTERFAX.RU, REPORT.AZ
AGENCY_NAMED = rf"(?:{SLASHED}|\({SPACE}*(?:{AGENCIES}){SPACE}*\)|(?<![\w.])(?:{AGENCIES})(?![\w]))"
MARKED_AGENCY = rf"(?:{SLASHED}|\({SPACE}*(?:{AGENCIES}){SPACE}*\))"
SEPARATOR = rf"(?:{SPACE}*[.,|]{SPACE}*|{SPACE}+{DASH}{SPACE}+|{SPACE}+)"
PUNCTUATION_SEPARATOR = rf"(?:{SPACE}*[.,|]{SPACE}*|{SPACE}+{DASH}{SPACE}+)"
# what may close a dateline: a full stop, a colon, a dash, a slash, or nothing before the
# sentence (a space, or a capital glued to it)
DATELINE_END = rf"(?:{SPACE}*(?:[.:/]|{DASH})+(?:{SPACE}*{DASH})?)?(?=\s|$|[A-ZА-ЯЁ\"«“„])"
# An agency in capitals after a place needs an explicit close (a headline's next word could
# be in capitals too), or a place in capitals and a sentence after it (NUR-SULTAN. KAZINFORM In ...)
EXPLICIT_END = rf"{SPACE}*(?:[.:/]|{DASH})+(?:{SPACE}*{DASH})?(?=\s|$|[A-ZА-ЯЁ\"«“„])"
CLOSED_END = rf"(?:{EXPLICIT_END}|(?=\s+[A-ZА-ЯЁ][a-zа-яё]))"

DATELINE_PATTERNS = (
    # BAKU, Azerbaijan, Nov. 14 / TBILISI, Georgia, Oct.26 / Georgia, Tbilisi, Feb. 7 /Trend, N. Name/
    re.compile(rf"(?:{CAPS_PLACE}|{TITLE_PLACE})(?:,{SPACE}*{REGION}){{0,2}},{SPACE}*{DATE}"
               rf"(?:{SEPARATOR}{AGENCY_NAMED})?{DATELINE_END}"),
    # БАКУ /Trend/ - / БАКУ/ Trend/ - / ТАШКЕНТ, 5 мая, Trend
    re.compile(rf"{CAPS_PLACE}(?:,{SPACE}*{REGION})?(?:{SEPARATOR}{DATE})?(?:{SEPARATOR}|{SPACE}*){AGENCY_NAMED}"
               rf"{DATELINE_END}"),
    # Baku - APA. / Bishkek, March 16, 2018 / Kabar /. / Baku, September 19 (AzerTAc). / Баку, 23 февраля, АЗЕРТАДЖ
    # (a place in lower case needs the agency marked or the dateline closed: "in Baku, Trend reports")
    re.compile(rf"{TITLE_PLACE}(?:{SEPARATOR}{DATE})?(?:{SEPARATOR}|{SPACE}*)(?:{MARKED_AGENCY}{DATELINE_END}"
               rf"|{AGENCY_NAMED}{EXPLICIT_END})"),
    # ASTANA. KAZINFORM - / NUR-SULTAN. KAZINFORM In ... / Baku | ORIENT. / Москва. 5 января. INTERFAX.RU -
    re.compile(rf"{CAPS_PLACE}(?:{PUNCTUATION_SEPARATOR}{DATE})?{PUNCTUATION_SEPARATOR}{CAPS_AGENCY}{CLOSED_END}"),
    re.compile(rf"{TITLE_PLACE}(?:{PUNCTUATION_SEPARATOR}{DATE})?{PUNCTUATION_SEPARATOR}{CAPS_AGENCY}{EXPLICIT_END}"),
    # a slash opened and never closed: "АСТАНА/ Trend -"
    re.compile(rf"{CAPS_PLACE}{SPACE}*/{SPACE}*(?:{AGENCIES}){SPACE}*{DASH}"),
)
# "(MENAFN- Trend News Agency)", also without its opening bracket and glued to the text
SYNDICATION_RE = re.compile(rf"\(?[A-Z]{{3,}}{SPACE}*{DASH}{SPACE}*[^()\n]{{1,60}}\)")
# "Trend:", "Trend News Agency:" (also glued to a dateline: "Nov. 14Trend:")
SOURCE_RE = re.compile(rf"[A-Z][\w&.\-]*(?:{SPACE}[A-Z][\w&.\-]*){{0,2}}:(?=\s|$)")
NAME = "[A-ZА-ЯЁ][\\w.'’\\-]*"
# "By Name Surname - Trend:", "By Name Surname", "Автор: Name Surname", "Author: ..."
BYLINE_RE = re.compile(
    rf"(?:By|BY){SPACE}+{NAME}(?:{SPACE}+{NAME}){{0,3}}(?:{SPACE}*{DASH}{SPACE}*{NAME}(?:{SPACE}{NAME}){{0,2}}:)?"
    rf"(?=\s|$|[A-Z])|(?:Автор|Author|Корреспондент)s?:{SPACE}*[^\n]{{1,60}}$"
)
AUTHOR_BEFORE_DATELINE_RE = re.compile(rf"[A-ZА-ЯЁ][a-zа-яё'’\-]+(?:{SPACE}[A-ZА-ЯЁ][a-zа-яё'’\-]+){{1,2}}(?=\s)")
DATE_TOKEN_RE = re.compile(rf"\s*date{SPACE}\d{{4}}-\d{{2}}(?:-\d{{2}})?(?=\s|$)\s*")

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
_DATETIME_WORD = re.compile(
    rf"(?:{MONTHS}|{WEEKDAYS}|(?i:{WEEKDAYS})|UTC|GMT|MSK|AZT|AM|PM|a\.m|p\.m|г|года|год)\.?,?$"
    rf"|[(\[]?(?:UTC|GMT)?[+\-−]?\d{{1,4}}(?:[.:/\-]\d{{1,4}}){{0,3}}[)\],.]?$"
)
# a rubric, then a date and a time: "Politics 14 November 2020 16:21 (UTC+04:00)",
# "Transport Materials 12 December 2022 12:34", "Экономика Материалы 25 декабря 2025 11:40"
CATEGORY_TIME_RE = re.compile(
    rf"(?<!\S)(?:\S+{SPACE}(?:Materials{SPACE}|Материалы{SPACE})?)?\d{{1,2}}{SPACE}{MONTHS}{SPACE}\d{{4}},?{SPACE}"
    rf"{_TIME}(?:{SPACE}?\((?:UTC|GMT){SPACE}?[+\-−]?\d{{1,2}}(?::\d{{2}})?\))?(?=\s|$)"
)
BULLETS = "•·▪►|*"

#: Whole lines of a page that are navigation or page words, in either language.
CHROME_LINE_RE = re.compile(
    r"(?i:last minute|latest news|all news|all materials|read more|read also|related(?: news)?|tags?:?|share|"
    r"print|comments?|photo|video|advertisement|currently reading|поиск|все материалы|все новости|последние новости|читайте также"
    r"|теги:?|поделиться|печать|комментарии|фото|видео|реклама|главное|лента новостей)\W*"
)
PHOTO_RE = re.compile(r"(?:Photo|Фото|Photos|Source|Источник)(?:{SPACE}\w+){0,2}:{SPACE}".replace("{SPACE}", SPACE))
NETWORKS = "telegram|телеграм|whatsapp|twitter|facebook|instagram|youtube|tiktok|linkedin|вконтакте|дзен"
SOCIAL_RE = re.compile(
    rf"(?i)(?:\b(?:follow|subscribe|join)\b.{{0,60}}\b(?:channel|{NETWORKS})\b"
    rf"|(?:подписывайтесь|подпишитесь|следите|присоединяйтесь|читайте нас)\b.{{0,60}}(?:канал|соцсет|{NETWORKS})"
    rf"|\b(?:our|наш\w*)\s+(?:{NETWORKS})[\s-]*(?:channel|канал)|(?:channel|канал\w*)\s+(?:in|on|в)\s+(?:{NETWORKS}))"
)
TAGS_RE = re.compile(r"(?i:tags|теги|тэги|keywords|ключевые слова):?")  # the line after it lists tags


@dataclass(frozen=True)
class Furniture:
    """A span of an item's text that is page furniture, and its kind."""

    kind: str
    start: int
    end: int

    def to_dict(self, text: str | None = None) -> dict[str, object]:
        """The JSON form; with the item's ``text``, the span's text too."""
        out: dict[str, object] = {"kind": self.kind, "start": self.start, "end": self.end}
        if text is not None:
            out["text"] = text[self.start:self.end]
        return out


def match_dateline(text: str, position: int, end: int) -> int | None:
    """End of a dateline that starts at ``position``, or None."""
    found = [m.end() for pattern in DATELINE_PATTERNS if (m := pattern.match(text, position, end))]
    return max(found) if found else None


def leading_furniture(text: str, position: int, end: int, first: bool) -> list[Furniture]:
    """The furniture that opens ``text[position:end]``, in order: syndication prefixes,
    datelines, bylines and source lines, however they are glued together.

    A source line (``Trend:``) and a byline count only after another piece of furniture or
    when they are the whole of the span (``first`` is False after a title), since a text may
    open with a word and a colon (``Brexit: ...``).
    """
    found: list[Furniture] = []
    while True:
        position = _skip_space(text, position, end)
        if position >= end:
            return found
        piece = _furniture_at(text, position, end, bool(found) or not first)
        if piece is None or piece.end <= position:
            return found
        found.append(piece)
        position = piece.end


def _furniture_at(text: str, position: int, end: int, after_furniture: bool) -> Furniture | None:
    if (m := SYNDICATION_RE.match(text, position, end)) and _ends_clean(text, m.end(), end, glued=True):
        return Furniture("syndication", position, m.end())
    if (m := BYLINE_RE.match(text, position, end)) and (after_furniture or _whole(text, m.end(), end)):
        return Furniture("byline", position, m.end())
    if after_furniture and (m := AUTHOR_BEFORE_DATELINE_RE.match(text, position, end)) \
            and match_dateline(text, _skip_space(text, m.end(), end), end) is not None:
        return Furniture("byline", position, m.end())  # an author's name between a date line and the dateline
    if (dateline_end := match_dateline(text, position, end)) is not None:
        return Furniture("dateline", position, dateline_end)
    if (m := CATEGORY_TIME_RE.match(text, position, end)):
        return Furniture("datetime", position, m.end())
    if (m := SOURCE_RE.match(text, position, end)) and (after_furniture or _whole(text, m.end(), end)):
        return Furniture("source", position, m.end())
    return None


def _skip_space(text: str, position: int, end: int) -> int:
    while position < end and text[position].isspace():
        position += 1
    return position


def _whole(text: str, position: int, end: int) -> bool:
    """Whether only space (up to a line break) follows ``position``."""
    rest = text[position:end]
    line = rest.split("\n", 1)[0]
    return not line.strip()


def _ends_clean(text: str, position: int, end: int, glued: bool = False) -> bool:
    """Whether a sentence may start at ``position``: the end, a space, or (``glued``) a letter or quote."""
    if position >= end or text[position].isspace():
        return True
    return glued and (text[position].isalnum() or text[position] in "\"«“„'")


def is_datetime_line(line: str) -> bool:
    """Whether a line is a date and/or time, with at most a rubric of a few words before it."""
    if CATEGORY_TIME_RE.fullmatch(line.strip()):
        return True
    words = [w.strip(BULLETS + ",;") for w in line.split()]
    words = [w for w in words if w and w not in ("-", "–", "—", "|")]
    return bool(words) and any(ch.isdigit() for ch in line) and all(_DATETIME_WORD.match(w) for w in words)


def is_byline_line(line: str) -> bool:
    """``By Name Surname``, ``Автор: ...`` standing alone."""
    match = BYLINE_RE.match(line)
    return bool(match) and not line[match.end():].strip()


def is_chrome_line(line: str) -> bool:
    """Navigation or page words, a photo caption or a "follow our channel" line."""
    stripped = line.strip(" " + BULLETS)
    return bool(CHROME_LINE_RE.fullmatch(stripped) or PHOTO_RE.match(stripped) or SOCIAL_RE.search(stripped))


MAX_LINE_CHARS = 200  # a line of furniture is short; a longer one is text


def furniture_kind(line: str) -> str | None:
    """The kind of a whole line of furniture, or None for a line that may hold text."""
    if len(line) > MAX_LINE_CHARS:
        return None
    if DATE_TOKEN_RE.fullmatch(line):
        return "date"
    if is_datetime_line(line):
        return "datetime"
    if is_byline_line(line):
        return "byline"
    if is_chrome_line(line):
        return "chrome"
    return None
