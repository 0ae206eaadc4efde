"""The values every part of bialign shares, and their one JSON form each.

An :class:`Item` (or a :class:`DocumentPair`) is read from the input, or a :class:`Rejected`
record says why a piece of input could not become one. Aligning an item gives an
:class:`ItemResult` (its :class:`Status`, its :class:`Pair` objects, the language
:class:`Segment` blocks found); a run numbers each result as an :class:`Outcome`.

A pair's JSON form (:meth:`Pair.to_json`) is what JSONL pair files hold, what run journals
hold and what readers read back, with the field names of the Python API. A rejection's JSON
form (:meth:`Rejected.to_json`) is one line of a ``--rejects`` file and of the journal.

This module sits at the bottom of the package: it imports nothing from bialign but errors.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Union

from .errors import location

__all__ = [
    "DOCUMENT_SEPARATOR",
    "DocumentPair",
    "Item",
    "ItemResult",
    "Outcome",
    "Pair",
    "parse_index",
    "parse_score",
    "ReadResult",
    "Rejected",
    "Segment",
    "Status",
]

DOCUMENT_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Item:
    """One news item: an id and its raw text, with where it was read from.

    ``repaired`` says what the reader changed (e.g. invalid UTF-8 bytes replaced), or is empty.
    """

    id: str
    text: str
    source: str = ""
    line: int | None = None
    repaired: str = ""


@dataclass(frozen=True)
class DocumentPair(Item):
    """An English document and a Russian document to align with each other, as one item.

    ``text`` is the English document, a blank line, then the Russian one, so offsets (of
    segments and sentences) point into it; ``en_end`` is where the English ends. With
    ``sentence_per_line`` every non-blank line is one sentence, as taken; otherwise each
    document is cleaned and split like a block of a mixed item.
    """

    en_end: int = 0
    sentence_per_line: bool = False

    @classmethod
    def of(cls, item_id: str, en: str, ru: str, sentence_per_line: bool = False, source: str = "",
           line: int | None = None, repaired: str = "") -> "DocumentPair":
        """The pair of documents ``en`` and ``ru`` as one item."""
        return cls(item_id, en + DOCUMENT_SEPARATOR + ru, source, line, repaired, len(en), sentence_per_line)

    @property
    def en(self) -> str:
        return self.text[:self.en_end]

    @property
    def ru(self) -> str:
        return self.text[self.en_end + len(DOCUMENT_SEPARATOR):]


@dataclass(frozen=True)
class Rejected:
    """An input record that could not become an item (or an item that failed), with the
    reason and its original content.

    ``raw`` holds the original content when it is valid UTF-8; otherwise ``raw`` is empty
    and ``raw_b64`` holds the original bytes in base64. ``truncated`` means only the first
    bytes were kept (the item was too large to read).
    """

    source: str
    line: int | None
    reason: str
    raw: str = ""
    id: str | None = None
    raw_b64: str = ""
    truncated: bool = False

    @classmethod
    def of(cls, record: "Item | Rejected", reason: str) -> "Rejected":
        """``record`` rejected for ``reason``: an item keeps its text as the original content."""
        if isinstance(record, Rejected):
            return record if record.reason == reason else replace(record, reason=reason)
        return cls(record.source, record.line, reason, record.text, record.id)

    @property
    def where(self) -> str:
        """``file:line`` (or just the file) for messages."""
        return location(self.source, self.line)

    def original(self) -> bytes:
        """The original bytes (as far as they were kept)."""
        return base64.b64decode(self.raw_b64) if self.raw_b64 else self.raw.encode("utf-8")

    def to_json(self) -> dict[str, Any]:
        """One line of a ``--rejects`` file: where, why, and the original content.

        ``raw`` is the content as text when it is valid UTF-8, otherwise null, and then
        ``raw_b64`` holds the original bytes in base64 (else it is null).
        """
        return {"id": self.id, "source": self.source, "line": self.line, "reason": self.reason,
                "raw": None if self.raw_b64 else self.raw, "raw_b64": self.raw_b64 or None,
                "truncated": self.truncated}

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> "Rejected":
        """The inverse of :meth:`to_json` (a missing field but ``reason`` takes its default)."""
        return cls(record.get("source") or "", record.get("line"), record["reason"], record.get("raw") or "",
                   record.get("id"), record.get("raw_b64") or "", bool(record.get("truncated", False)))


ReadResult = Union[Item, Rejected]


def parse_score(text: str | float | None) -> float:
    """A score written as text or JSON; a missing one is NaN."""
    if text is None or text == "":
        return math.nan
    return float(text)


def parse_index(value: str | list[int] | tuple[int, ...] | None) -> tuple[int, ...]:
    """Sentence indices from a JSON list or a space-separated text; none when missing."""
    if isinstance(value, str):
        return tuple(int(v) for v in value.split())
    return tuple(int(v) for v in value or ())


@dataclass(frozen=True)
class Pair:
    """One translation pair of an item: English source, Russian target, and its score.

    ``id`` is the item's id, ``src_index`` and ``tgt_index`` the sentences' numbers in
    their blocks (the title is number 0 when there is one), ``title`` marks the titles' pair.
    """

    id: str
    src: str
    tgt: str
    score: float
    src_index: tuple[int, ...] = ()
    tgt_index: tuple[int, ...] = ()
    title: bool = False
    src_lang: str = "en"
    tgt_lang: str = "ru"

    def to_json(self) -> dict[str, Any]:
        """The JSON form: the score to four decimals (null when unknown), indices as lists."""
        return {
            "id": self.id, "src_lang": self.src_lang, "tgt_lang": self.tgt_lang,
            "src": self.src, "tgt": self.tgt, "score": None if math.isnan(self.score) else round(float(self.score), 4),
            "src_index": list(self.src_index), "tgt_index": list(self.tgt_index),
            "title": self.title,
        }

    @classmethod
    def from_json(cls, record: dict[str, Any], src_lang: str = "en", tgt_lang: str = "ru") -> "Pair":
        """The inverse of :meth:`to_json`; a missing field takes its default (the languages given)."""
        return cls(
            str(record.get("id", "")), str(record["src"]), str(record["tgt"]), parse_score(record.get("score")),
            parse_index(record.get("src_index")), parse_index(record.get("tgt_index")),
            bool(record.get("title", False)), str(record.get("src_lang", src_lang)),
            str(record.get("tgt_lang", tgt_lang)),
        )


@dataclass(frozen=True)
class Segment:
    """A block of one language: ``text[start:end]``."""

    lang: str
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"lang": self.lang, "start": self.start, "end": self.end}


class Status(str, Enum):
    """What became of an item: aligned (it has pairs), no pairs (with the reason) or rejected."""

    ALIGNED = "aligned"
    NO_PAIRS = "no_pairs"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class ItemResult:
    """What became of one input item; a rejected one keeps its :class:`Rejected` record."""

    id: str
    status: Status
    pairs: tuple[Pair, ...] = ()
    reason: str = ""
    segments: tuple[Segment, ...] = ()
    source: str = ""
    line: int | None = None
    rejection: Rejected | None = None
    #: how many English and Russian sentences the pairs' indices count in (titles included):
    #: with the pairs, the item's full alignment (:func:`bialign.formats.ladder.beads_of`)
    sentences: tuple[int, int] = (0, 0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))

    @classmethod
    def rejected(cls, record: Rejected) -> "ItemResult":
        """The result of a record that was rejected."""
        return cls(record.id or record.where, Status.REJECTED, reason=record.reason,
                   source=record.source, line=record.line, rejection=record)


@dataclass(frozen=True)
class Outcome:
    """What became of input record number ``index`` (``repaired``: what the reader changed)."""

    index: int
    result: ItemResult
    repaired: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON form of a run's journal (segments are left out)."""
        r = self.result
        return {"n": self.index, "id": r.id, "status": r.status.value, "reason": r.reason, "source": r.source,
                "line": r.line, "repaired": self.repaired,
                "reject": r.rejection.to_json() if r.rejection is not None else None,
                "pairs": [pair.to_json() for pair in r.pairs], "sentences": list(r.sentences)}

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> "Outcome":
        """The inverse of :meth:`to_json`."""
        reject = record["reject"]
        result = ItemResult(record["id"], Status(record["status"]), tuple(map(Pair.from_json, record["pairs"])),
                            record["reason"], source=record["source"], line=record["line"],
                            rejection=Rejected.from_json(reject) if reject is not None else None,
                            sentences=tuple(record["sentences"]))
        return cls(record["n"], result, record["repaired"])
