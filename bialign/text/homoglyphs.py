"""Letters of the other script inside a word, as scrapers and typists leave them.

Russian pages carry Latin letters that look like Cyrillic ones inside Cyrillic words
(``увеличилcя`` with a Latin ``c``, ``AЖД``, ``M.Бабаев``), and English pages the reverse.
The written text keeps them; the encoder and the language identifier see the word in its
own script. A word is changed only when both scripts are in it and every letter of the
smaller one has a twin in the larger one; words joined by a hyphen are separate words
(``IT-компания`` stays).
"""

from __future__ import annotations

import re

from .scripts import CYRILLIC_RE, LATIN_LETTER_RE

LATIN = "AaBCcEeHKMOoPpTXxy"
CYRILLIC = "АаВСсЕеНКМОоРрТХху"
TO_CYRILLIC = str.maketrans(LATIN, CYRILLIC)
TO_LATIN = str.maketrans(CYRILLIC, LATIN)
WORD_RE = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*")


def _one_script(match: re.Match[str]) -> str:
    word = match.group()
    cyrillic = CYRILLIC_RE.findall(word)
    latin = LATIN_LETTER_RE.findall(word)
    if not cyrillic or not latin:
        return word
    if len(cyrillic) >= len(latin):
        return word.translate(TO_CYRILLIC) if all(ch in LATIN for ch in latin) else word
    return word.translate(TO_LATIN) if all(ch in CYRILLIC for ch in cyrillic) else word


def one_script_words(text: str) -> str:
    """``text`` with each word of mixed scripts written in its main script where the letters allow."""
    if text.isascii() or not CYRILLIC_RE.search(text):
        return text
    return WORD_RE.sub(_one_script, text)
