"""The letters of the two scripts bialign reads: Cyrillic (Russian) and Latin (English)."""

from __future__ import annotations

import re

CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
LATIN_LETTER_RE = re.compile("[A-Za-z]")


def has_both_scripts(text: str) -> bool:
    """Whether ``text`` has Latin and Cyrillic letters: a text without both has no pairs."""
    return bool(CYRILLIC_RE.search(text) and LATIN_LETTER_RE.search(text))
