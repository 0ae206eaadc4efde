"""Counting what became of every item of a run, so the numbers always add up.

Every input record (a JSONL line, a ``.txt`` file, a file that cannot be read) is one
item and ends as exactly one of: aligned, no pairs, rejected; so
``items == aligned + no_pairs + rejected`` always. ``repaired`` counts items the reader
changed to read them (``--encoding-errors replace``); they are counted in the three
outcomes too.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from ..records import ItemResult, Status
from ..text.textio import atomic_write

__all__ = [
    "DETECTED",
    "DetectReport",
    "reason_key",
    "RunReport",
    "write_report",
]

DETECTED = "detected"


def reason_key(reason: str) -> str:
    """A reason without its details (numbers, names), for counting."""
    return reason.split(":")[0].split(" (")[0].strip()


@dataclass
class _Tally:
    """What every report counts: items, rejections, repairs, and the reasons behind them."""

    items: int = 0
    rejected: int = 0
    repaired: int = 0
    reasons: Counter = field(default_factory=Counter)

    def _count_item(self, repaired: str) -> None:
        self.items += 1
        if repaired:
            self.repaired += 1
            self.reasons[f"repaired: {repaired}"] += 1

    def _count_rejection(self, reason: str) -> None:
        self.rejected += 1
        self.reasons[f"rejected: {reason_key(reason)}"] += 1

    def _with_repairs(self, text: str) -> str:
        return text + (f" (repaired: {self.repaired})" if self.repaired else "")


@dataclass
class RunReport(_Tally):
    """Items read = aligned + no_pairs + rejected; pairs written; reasons counted."""

    aligned: int = 0
    no_pairs: int = 0
    pairs: int = 0

    def add(self, result: ItemResult, repaired: str = "") -> None:
        """Count one item's result (``repaired``: what the reader changed, if anything)."""
        self._count_item(repaired)
        self.pairs += len(result.pairs)
        if result.status == Status.ALIGNED:
            self.aligned += 1
        elif result.status == Status.NO_PAIRS:
            self.no_pairs += 1
            self.reasons[f"no pairs: {result.reason}"] += 1
        elif result.status == Status.REJECTED:
            self._count_rejection(result.reason)
        else:  # pragma: no cover - the pipeline has no other status
            raise ValueError(f"unknown item status {result.status!r}")

    @property
    def balanced(self) -> bool:
        """Whether every item is counted exactly once."""
        return self.items == self.aligned + self.no_pairs + self.rejected

    def to_dict(self) -> dict[str, object]:
        return {
            "items": self.items, "aligned": self.aligned, "no_pairs": self.no_pairs,
            "rejected": self.rejected, "pairs": self.pairs, "repaired": self.repaired,
            "reasons": dict(sorted(self.reasons.items())),
        }

    def summary(self) -> str:
        return self._with_repairs(f"items read: {self.items}, aligned: {self.aligned}, without pairs: "
                                  f"{self.no_pairs}, rejected: {self.rejected}, pairs written: {self.pairs}")


@dataclass
class DetectReport(_Tally):
    """For ``bialign detect``: items read = detected + rejected."""

    detected: int = 0

    def add(self, status: str, reason: str = "", repaired: str = "") -> None:
        self._count_item(repaired)
        if status == DETECTED:
            self.detected += 1
        else:
            self._count_rejection(reason)

    def to_dict(self) -> dict[str, object]:
        return {"items": self.items, "detected": self.detected, "rejected": self.rejected,
                "repaired": self.repaired, "reasons": dict(sorted(self.reasons.items()))}

    def summary(self) -> str:
        return self._with_repairs(f"items read: {self.items}, detected: {self.detected}, rejected: {self.rejected}")


def write_report(path: str | None, counts: dict[str, object]) -> None:
    """The ``--report`` file: ``counts`` as indented JSON, written atomically (nothing when ``path`` is None)."""
    if path:
        with atomic_write(path) as handle:
            json.dump(counts, handle, ensure_ascii=False, indent=2)
            handle.write("\n")

