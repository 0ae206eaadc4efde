"""Russian sentences that only carry the attribution of an English sentence.

An agency's Russian desk habitually splits an English lead "X happened, Y said, Trend
reports." into two sentences: "X произошло. Как сообщает Trend, об этом заявил Y." The
second one renders no content of its own, only who said it and where: it belongs to the
pair of the Russian sentence before it. Such sentences have a fixed form (a closed class
of openings that point back with "об этом", "такое заявление", ...), so they are found by
their words, not by their vectors; the search then lets them join the bead of the
sentence before them (:func:`bialign.align.beads.candidates`).
"""

from __future__ import annotations

import re

# "Об этом сказал ...", "Как сообщает в понедельник Trend, об этом заявила ...",
# "Как передает Day.Az со ссылкой на АЗЕРТАДЖ, об этом, в частности, сказал ...",
# "Такое заявление сделал ...", "Эти данные приводит ..."
ATTRIBUTION_RE = re.compile(
    r"(?:Об этом|Об этом же|О(?:б)? (?:этом|том) же)\s"
    r"|Как\s(?:сообща\w*|переда\w*|сообщил\w*|отмеча\w*|пиш\w*|информир\w*)\b.{0,160}?,\s*(?:об этом|о чем)\b"
    r"|(?:Такое|Соответствующее) заявление\s|(?:Такие|Эти) (?:данные|сведения)\s|Эту информацию\s"
    r"|(?:Такую|Эту) (?:информацию|оценку)\s|(?:Такое|Это) мнение\s"
)
MAX_ATTRIBUTION_WORDS = 45  # longer, and it says more than who said it


def is_attribution(text: str) -> bool:
    """Whether a Russian sentence only says who said what the sentence before it says.

    A sentence that also quotes (a colon, then the words) says more and is not one.
    """
    return bool(ATTRIBUTION_RE.match(text)) and ":" not in text and len(text.split()) <= MAX_ATTRIBUTION_WORDS
