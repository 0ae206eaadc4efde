"""Two documents given as an English one and a Russian one: checking that they are.

Each side is named by the language identifier of :func:`bialign.text.detect.detect_segments`
(the one ``bialign detect`` uses): a side is in the language that most of its letters'
blocks are named. A pair whose sides are not English and Russian (swapped files, two
English files, an empty side) is refused with :class:`DocumentLanguageError`, unless
the caller forces it (``AlignConfig(check_languages=False)``, ``--force``).
"""

from __future__ import annotations

from collections import Counter

from ..errors import DocumentLanguageError
from ..records import DocumentPair
from .detect import EN, RU, detect_segments

__all__ = ["DocumentLanguageError", "check_languages", "side_language"]


def side_language(text: str) -> str:
    """The language of most of ``text`` (characters of its blocks), or ``""`` when it has no letters."""
    counts: Counter[str] = Counter()
    for segment in detect_segments(text):
        counts[segment.lang] += len(text[segment.start:segment.end].strip())
    return counts.most_common(1)[0][0] if counts else ""


def check_languages(pair: DocumentPair) -> None:
    """Raise :class:`DocumentLanguageError` unless ``pair``'s English side is English and its Russian side Russian."""
    en, ru = side_language(pair.en), side_language(pair.ru)
    if (en, ru) != (EN, RU):
        raise DocumentLanguageError(en, ru)
