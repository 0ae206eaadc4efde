"""Language segmentation: where the English block of an item ends and the Russian begins.

Words are labelled by script; a two-state dynamic programme (Latin / Cyrillic) finds the
cheapest labelling, where a word in the "wrong" script costs a little (Latin names inside
Russian cost less than Cyrillic words inside English) and a switch of language costs a
lot, least at a line break, more at a sentence end, most inside a sentence (unless Latin
meets Cyrillic right there, as when line breaks were lost). Lines with no
letters of their own ("Trend:", numbers, times) go with their neighbours. Each block is
then named by a language identifier (py3langid, whose model ships in its package) among
the languages written in the block's script, so Ukrainian, Bulgarian, Serbian,
Belarusian, Macedonian or Kazakh text is not taken for Russian, nor Azerbaijani for
English; only blocks named ``ru`` give Russian pairs. The comparison behind the choice is
in docs/design.md.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from itertools import islice
from typing import Any

from ..records import Segment
from .homoglyphs import one_script_words
from .scripts import CYRILLIC_RE

EN, RU = "en", "ru"
UNDETERMINED = "und"
NAMED_CHARS = 1000  # characters a block's language is named from (the same names on dev and editorial as whole blocks)

WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
SENTENCE_END_GAP = re.compile(r"[.!?…][\"'»”’)\]]*\s+$")

# Costs of the labelling; switches dominate so that blocks stay whole.
LATIN_IN_RU = 0.35
CYRILLIC_IN_EN = 1.0
OTHER_SCRIPT = 0.5
SWITCH_AT_LINE = 1.0
SWITCH_AT_SENTENCE = 1.5
SWITCH_AT_SCRIPT_CHANGE = 3.0  # no punctuation, but Latin meets Cyrillic (a byline before a glued title)
SWITCH_INSIDE = 6.0

#: languages of py3langid's model written in Cyrillic (Serbian and Uzbek in Latin too)
CYRILLIC_LANGS = frozenset("ba be bg kk ky mk mn ru sr tg tt uk uz".split())
#: Latin-script languages a Latin block may be named: those of Europe and the Turkic ones.
#: Over every Latin-script language of the model, short English blocks are taken for
#: Indonesian, Nigerian Pidgin or Latin (benchmarks/langid_compare.py, docs/design.md).
LATIN_LANGS = frozenset(
    "en az tr uz tk de fr es it pt nl pl cs sk sl hr bs sr ro hu fi et lv lt sv no da sq ca".split()
)

LATIN_WORD_RE = re.compile("[\x00-\x7f\u00c0-\u024f\u0259\u018f]+")


def _script(word: str) -> str:
    """RU for a mostly Cyrillic word, EN for a Latin one, ``und`` for any other script."""
    if word.isascii():
        return EN
    if len(CYRILLIC_RE.findall(word)) * 2 >= len(word):
        return RU
    return EN if LATIN_WORD_RE.fullmatch(word) else UNDETERMINED


#: the script of non-ASCII words already seen (a bounded memo: news text repeats its words)
_script_of = lru_cache(maxsize=1 << 16)(_script)


def _gap_cost(gap: str) -> float | None:
    """The switch cost a gap between two words fixes by itself (a line break, a sentence end), else None."""
    if "\n" in gap or "\r" in gap or "\u2028" in gap or "\u2029" in gap or "\x85" in gap:
        return SWITCH_AT_LINE
    if SENTENCE_END_GAP.search(gap):
        return SWITCH_AT_SENTENCE
    return None


#: gaps repeat (" ", ", ", ". ", "\n\n"): their costs are looked up once
_gap_cost_of = lru_cache(maxsize=4096)(_gap_cost)


_WORD_COSTS = {  # script -> (cost as English, cost as Russian)
    EN: (0.0, LATIN_IN_RU),
    RU: (CYRILLIC_IN_EN, 0.0),
    UNDETERMINED: (OTHER_SCRIPT, OTHER_SCRIPT),
}


def _label_words(words: list[tuple[int, int, str]], text: str) -> list[str]:
    """Cheapest EN/RU label for each word (Viterbi over two states)."""
    en_cost, ru_cost = _WORD_COSTS[words[0][2]]
    back: list[tuple[bool, bool]] = []  # per word: (English came from Russian, Russian came from English)
    append, gap_cost, costs = back.append, _gap_cost_of, _WORD_COSTS
    _, previous_end, previous_script = words[0]
    for start, end, script in islice(words, 1, None):
        switch = gap_cost(text[previous_end:start])
        if switch is None:
            changes = script != previous_script and UNDETERMINED not in (script, previous_script)  # {EN, RU}
            switch = SWITCH_AT_SCRIPT_CHANGE if changes else SWITCH_INSIDE
        en_from_ru = ru_cost + switch < en_cost
        ru_from_en = en_cost + switch < ru_cost
        word_en, word_ru = costs[script]
        en_cost, ru_cost = (
            (ru_cost + switch if en_from_ru else en_cost) + word_en,
            (en_cost + switch if ru_from_en else ru_cost) + word_ru,
        )
        append((en_from_ru, ru_from_en))
        previous_end, previous_script = end, script
    english = en_cost <= ru_cost
    labels = [EN if english else RU]
    for en_from_ru, ru_from_en in reversed(back):
        english = not en_from_ru if english else ru_from_en
        labels.append(EN if english else RU)
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


class _Identifier:
    """py3langid's model, one copy restricted to the languages of each script (loaded on first use)."""

    def __init__(self) -> None:
        import copy

        model = _load_model()
        every = set(model.nb_classes)
        languages = {RU: every & CYRILLIC_LANGS, EN: every & LATIN_LANGS}
        self._models: dict[str, Any] = {}
        for script, langs in languages.items():
            restricted = copy.copy(model)  # shares the full model; set_languages gives the copy its own columns
            restricted.set_languages(sorted(langs))
            self._models[script] = restricted
        self._lock = threading.Lock()

    def identify(self, text: str, script: str) -> str:
        with self._lock:
            return str(self._models[script].classify(text)[0])


def _load_model() -> Any:
    """py3langid's model, decompressed in memory.

    py3langid's own loader decompresses the model (68 MB) into a temporary file, which a
    full disk or a file-size limit refuses; then every item would fail. Reading it in
    memory needs no disk. A model file of another layout is left to py3langid's loader.
    """
    import io
    import lzma
    from array import array

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    def stdlib_array(values: Any) -> array:
        out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
        out.frombytes(memoryview(np.ascontiguousarray(values)).cast("B"))
        return out

    with lzma.open(MODEL_DIR / MODEL_FILE) as packed:
        data = np.load(io.BytesIO(packed.read()), allow_pickle=False)
    if not {"ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat"} <= set(data.files):
        return LanguageIdentifier.from_model_file(MODEL_FILE)  # pragma: no cover - another py3langid layout
    return LanguageIdentifier(np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
                              stdlib_array(data["nextmove"]), data["out_feat"].tolist(),
                              tk_row=stdlib_array(data["nextmove_row"]))


@lru_cache(maxsize=1)
def _identifier() -> _Identifier:
    return _Identifier()


def name_language(block: str, script: str) -> str:
    """The language of a block written in ``script`` (EN: Latin, RU: Cyrillic): an ISO 639-1 code, or ``und``.

    It is named from the block's first :data:`NAMED_CHARS` characters (cut at a space):
    enough for the identifier, which walks each byte in Python.
    """
    if script not in (EN, RU):
        return UNDETERMINED
    if not WORD_RE.search(block):
        return script
    text = " ".join(one_script_words(block).split())
    if len(text) > NAMED_CHARS:
        text = text[:NAMED_CHARS].rsplit(" ", 1)[0]
    return _named(text, script)


@lru_cache(maxsize=1024)
def _named(text: str, script: str) -> str:
    """py3langid's name of a whitespace-collapsed block (about 2 ms a block: crawls repeat blocks)."""
    return _identifier().identify(text, script)


MIN_HEADER_WORDS = 5  # a shorter line (a byline: "By Name Surname") is not named reliably


def _page_header_moved(text: str, start: int, end: int, next_start: int, script: str) -> tuple[int, int]:
    """The boundary after a block, moved before its last line when that line is in a third
    language: a page's header in another language (a rubric of the site) opens the next
    page, it does not end this one."""
    line_start = max(text.rfind(sep, start, end) for sep in "\n\r\u2028\u2029") + 1
    line = text[line_start:end]
    rest = text[start:line_start]
    if line_start <= start or min(len(WORD_RE.findall(line)), len(WORD_RE.findall(rest))) < MIN_HEADER_WORDS:
        return end, next_start
    if name_language(line, script) in (name_language(rest, script), UNDETERMINED):
        return end, next_start
    cut = line_start
    while cut > start and text[cut - 1].isspace():
        cut -= 1
    return cut, line_start


def detect_segments(text: str) -> list[Segment]:
    """Language blocks of ``text`` in text order, covering it from the first word to the end.

    Returns an empty list when the text has no letters at all.
    """
    script = _script_of
    words = [(m.start(), m.end(), EN if (word := m.group()).isascii() else script(word))
             for m in WORD_RE.finditer(text)]
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
    start = named_from = 0
    for position, (script, _first, last) in enumerate(runs):
        if position + 1 < len(runs):
            end, next_start = _boundary(text, words[last][1], words[runs[position + 1][1]][0])
            end, header_start = _page_header_moved(text, start, end, next_start, script)
        else:
            end, next_start = header_start = len(text), len(text)
        lang = name_language(text[max(start, named_from):end], script)  # a moved header line does not name it
        named_from = next_start
        if segments and segments[-1].lang == lang:
            segments[-1] = Segment(lang, segments[-1].start, end)
        else:
            segments.append(Segment(lang, start, end))
        start = header_start
    return segments
