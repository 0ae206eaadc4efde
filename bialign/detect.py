"""Language segmentation: where the English block of an item ends and the Russian begins.

Words are labelled by script; a two-state dynamic programme (Latin / Cyrillic) finds the
cheapest labelling, where a word in the "wrong" script costs a little (Latin names inside
Russian cost less than Cyrillic words inside English) and a switch of language costs a
lot, least at a line break, more at a sentence end, most inside a sentence. Lines with no
letters of their own ("Trend:", numbers, times) go with their neighbours. Each block is
then named by its letters and function words, so Ukrainian, Kazakh or Azerbaijani text is
not taken for Russian or English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EN, RU = "en", "ru"
UNDETERMINED = "und"

WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
SENTENCE_END_GAP = re.compile(r"^[\"'»”’)\]]*[.!?…][\"'»”’)\]]*\s")

# Costs of the labelling; switches dominate so that blocks stay whole.
LATIN_IN_RU = 0.35
CYRILLIC_IN_EN = 1.0
OTHER_SCRIPT = 0.5
SWITCH_AT_LINE = 1.0
SWITCH_AT_SENTENCE = 1.5
SWITCH_INSIDE = 6.0

UKRAINIAN_LETTERS = set("іїєґ")
KAZAKH_LETTERS = set("әғқңөұүһ")
RUSSIAN_LETTERS = set("ыэъё")
AZERBAIJANI_LETTERS = set("əğış")
ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on was with as by at from it he said his are be has have"
    " this an not but were they who will which its after their been had".split()
)
RUSSIAN_WORDS = frozenset("и в не на что с по как это он для из от к о его за у так же".split())
UKRAINIAN_WORDS = frozenset("і та що це від до як його для або які також".split())


@dataclass(frozen=True)
class Segment:
    """A block of one language: ``text[start:end]``."""

    lang: str
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"lang": self.lang, "start": self.start, "end": self.end}


def _script(word: str) -> str:
    cyrillic = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
    if cyrillic * 2 >= len(word):
        return RU
    if all(ch.isascii() or "\u00c0" <= ch <= "\u024f" or ch in "əƏ" for ch in word):
        return EN
    return UNDETERMINED


def _switch_cost(gap: str) -> float:
    if "\n" in gap or "\r" in gap or "\u2028" in gap or "\u2029" in gap or "\x85" in gap:
        return SWITCH_AT_LINE
    if SENTENCE_END_GAP.match(gap):
        return SWITCH_AT_SENTENCE
    return SWITCH_INSIDE


def _word_cost(script: str, state: str) -> float:
    if script == state:
        return 0.0
    if script == UNDETERMINED:
        return OTHER_SCRIPT
    return LATIN_IN_RU if state == RU else CYRILLIC_IN_EN


def _label_words(words: list[tuple[int, int, str]], text: str) -> list[str]:
    """Cheapest EN/RU label for each word (Viterbi over two states)."""
    states = (EN, RU)
    cost = {s: _word_cost(words[0][2], s) for s in states}
    back: list[dict[str, str]] = []
    for index in range(1, len(words)):
        gap = text[words[index - 1][1]: words[index][0]]
        switch = _switch_cost(gap)
        new_cost: dict[str, float] = {}
        pointers: dict[str, str] = {}
        for s in states:
            other = RU if s == EN else EN
            stay, move = cost[s], cost[other] + switch
            pointers[s] = s if stay <= move else other
            new_cost[s] = min(stay, move) + _word_cost(words[index][2], s)
        back.append(pointers)
        cost = new_cost
    state = min(states, key=lambda s: cost[s])
    labels = [state]
    for pointers in reversed(back):
        state = pointers[state]
        labels.append(state)
    labels.reverse()
    return labels


def _boundary(text: str, left_end: int, right_start: int) -> tuple[int, int]:
    """Split the gap between two blocks at its strongest break.

    A line break wins, then a sentence end, then the first space; closing punctuation and
    numbers before the break stay left, opening punctuation after it goes right.
    """
    gap = text[left_end:right_start]
    breaks = [m for m in re.finditer(r"\s+", gap)]
    line_breaks = [m for m in breaks if re.search(r"[\n\r\u2028\u2029\x85]", m.group())]
    sentence_breaks = [m for m in breaks if re.search(r"[.!?…][\"'»”’)\]]*$", gap[: m.start()])]
    for candidates in (line_breaks, sentence_breaks, breaks):
        if candidates:
            chosen = candidates[-1] if candidates is not breaks else candidates[0]
            return left_end + chosen.start(), left_end + chosen.end()
    closing = re.match(r"[\"'»”’)\].!?…:;,]*", gap)
    cut = left_end + (closing.end() if closing else 0)
    return cut, cut


def name_language(block: str, script: str) -> str:
    """The language of a block written in ``script``: en/ru, or another code, or ``und``."""
    letters = set(block.lower())
    words = [w.lower() for w in WORD_RE.findall(block)]
    if script == RU:
        russian = sum(1 for w in words if w in RUSSIAN_WORDS) + 3 * len(letters & RUSSIAN_LETTERS)
        ukrainian = sum(1 for w in words if w in UKRAINIAN_WORDS) + 3 * len(letters & UKRAINIAN_LETTERS)
        kazakh = 3 * len(letters & KAZAKH_LETTERS)
        best = max(russian, ukrainian, kazakh)
        if best == 0 or russian == best:
            return RU
        return "uk" if ukrainian == best else "kk"
    if script == EN:
        english = sum(1 for w in words if w in ENGLISH_WORDS)
        if len(words) >= 8 and english / len(words) < 0.05:
            return "az" if letters & AZERBAIJANI_LETTERS else UNDETERMINED
        if letters & {"ə"}:
            return "az"
        return EN
    return UNDETERMINED


def detect_segments(text: str) -> list[Segment]:
    """Language blocks of ``text`` in text order, covering it from the first word to the end.

    Returns an empty list when the text has no letters at all.
    """
    words = [(m.start(), m.end(), _script(m.group())) for m in WORD_RE.finditer(text)]
    if not words:
        return []
    labels = _label_words(words, text)
    runs: list[tuple[str, int, int]] = []  # (script, first word index, last word index)
    for index, label in enumerate(labels):
        if runs and runs[-1][0] == label:
            runs[-1] = (label, runs[-1][1], index)
        else:
            runs.append((label, index, index))
    segments: list[Segment] = []
    start = 0
    for position, (script, _first, last) in enumerate(runs):
        if position + 1 < len(runs):
            end, next_start = _boundary(text, words[last][1], words[runs[position + 1][1]][0])
        else:
            end, next_start = len(text), len(text)
        lang = name_language(text[start:end], script)
        if segments and segments[-1].lang == lang:
            segments[-1] = Segment(lang, segments[-1].start, end)
        else:
            segments.append(Segment(lang, start, end))
        start = next_start
    return segments
