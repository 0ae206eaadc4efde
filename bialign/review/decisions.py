"""Review decisions: which pairs a reviewer accepted or rejected, and applying them to pairs.

A decisions file is one JSON object (the review page exports it)::

    {"format": "bialign-decisions", "version": 1,
     "decisions": [{"id": "item-7", "src_index": [3, 4], "tgt_index": [2],
                    "decision": "reject", "src": "...", "tgt": "..."}, ...]}

A pair is named by its item id and its sentence indices on both sides (order does not
matter, so the file is robust to pairs being reordered or re-sorted). ``decision`` is
``accept`` or ``reject``; ``src``/``tgt`` are the pair's texts, for a human reading the
file, and for matching pairs from files that hold no indices (TSV, Moses). Applying
decisions drops the rejected pairs and keeps every other pair.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import InputError
from ..records import Pair

__all__ = [
    "apply_decisions",
    "Decisions",
    "DecisionTally",
    "FORMAT",
    "load_decisions",
    "pair_key",
    "parse_decisions",
    "VERSION",
]

FORMAT = "bialign-decisions"
VERSION = 1
ACCEPT, REJECT = "accept", "reject"

PairKey = tuple[str, tuple[int, ...], tuple[int, ...]]


def pair_key(item_id: str, src_index: Iterable[int], tgt_index: Iterable[int]) -> PairKey:
    """The identity of a pair: item id and its sorted sentence indices on each side."""
    return str(item_id), tuple(sorted(int(i) for i in src_index)), tuple(sorted(int(i) for i in tgt_index))


def _text_key(item_id: str, src: str, tgt: str) -> tuple[str, str, str]:
    return str(item_id), " ".join(src.split()), " ".join(tgt.split())


@dataclass
class Decisions:
    """Decisions by pair identity (and by text, for pairs without indices)."""

    by_key: dict[PairKey, str] = field(default_factory=dict)
    by_text: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def add(self, item_id: str, src_index: Iterable[int], tgt_index: Iterable[int], decision: str,
            src: str = "", tgt: str = "") -> None:
        if decision not in (ACCEPT, REJECT):
            raise ValueError(f"decision must be '{ACCEPT}' or '{REJECT}', not {decision!r}")
        key = pair_key(item_id, src_index, tgt_index)
        self.by_key[key] = decision
        if src or tgt:
            self.by_text[_text_key(item_id, src, tgt)] = decision

    def decision_for(self, pair: Pair) -> str | None:
        """``accept``, ``reject`` or ``None`` (not reviewed) for ``pair``."""
        if pair.src_index or pair.tgt_index:
            key = pair_key(pair.id, pair.src_index, pair.tgt_index)
            return self.by_key.get(key)
        return self.by_text.get(_text_key(pair.id, pair.src, pair.tgt))

    def counts(self) -> dict[str, int]:
        values = list(self.by_key.values())
        return {ACCEPT: values.count(ACCEPT), REJECT: values.count(REJECT)}

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "decisions": [
            {"id": key[0], "src_index": list(key[1]), "tgt_index": list(key[2]), "decision": value}
            for key, value in self.by_key.items()]}


def parse_decisions(data: Any, source: str = "") -> Decisions:
    """Decisions from the parsed JSON of a decisions file."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"not a decisions file (expected \"format\": \"{FORMAT}\")", source)
    if data.get("version") != VERSION:
        raise InputError(f"decisions file version {data.get('version')!r} is not supported (expected {VERSION})", source)
    entries = data.get("decisions")
    if not isinstance(entries, list):
        raise InputError("\"decisions\" must be a list", source)
    decisions = Decisions()
    for number, entry in enumerate(entries, 1):
        try:
            decisions.add(entry["id"], entry.get("src_index", ()), entry.get("tgt_index", ()), entry["decision"],
                          str(entry.get("src", "")), str(entry.get("tgt", "")))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            detail = f"missing key {exc}" if isinstance(exc, KeyError) else str(exc)
            raise InputError(f"decision {number}: {detail}", source) from exc
    return decisions


def load_decisions(path: str | os.PathLike[str]) -> Decisions:
    """Read a decisions file; a one-line :class:`InputError` when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("no such decisions file", str(path)) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid JSON: {exc}", str(path)) from exc
    return parse_decisions(data, str(path))


@dataclass
class DecisionTally:
    """What applying decisions did: pairs kept, dropped as rejected, and accepted."""

    kept: int = 0
    rejected: int = 0
    accepted: int = 0


def apply_decisions(pairs: Iterable[Pair], decisions: Decisions, tally: DecisionTally | None = None) -> Iterator[Pair]:
    """The pairs not rejected in ``decisions``, in order; ``tally`` counts what happened."""
    tally = tally if tally is not None else DecisionTally()
    for pair in pairs:
        decision = decisions.decision_for(pair)
        if decision == REJECT:
            tally.rejected += 1
            continue
        tally.accepted += decision == ACCEPT
        tally.kept += 1
        yield pair
