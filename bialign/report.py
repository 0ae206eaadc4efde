"""Counting what became of every item of a run, so the numbers always add up."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .pipeline import ALIGNED, NO_PAIRS, REJECTED, ItemResult

@dataclass
class RunReport:
    """Items read = aligned + no_pairs + rejected; pairs written; reasons counted."""

    items: int = 0
    aligned: int = 0
    no_pairs: int = 0
    rejected: int = 0
    pairs: int = 0
    reasons: Counter = field(default_factory=Counter)

    def add(self, result: ItemResult) -> None:
        self.items += 1
        self.pairs += len(result.pairs)
        if result.status == ALIGNED:
            self.aligned += 1
        elif result.status == NO_PAIRS:
            self.no_pairs += 1
            self.reasons[f"no pairs: {result.reason}"] += 1
        elif result.status == REJECTED:
            self.rejected += 1
            self.reasons[f"rejected: {result.reason.split(':')[0]}"] += 1

    def to_dict(self) -> dict[str, object]:
        return {
            "items": self.items, "aligned": self.aligned, "no_pairs": self.no_pairs,
            "rejected": self.rejected, "pairs": self.pairs, "reasons": dict(sorted(self.reasons.items())),
        }

    def summary(self) -> str:
        return (f"items read: {self.items}, aligned: {self.aligned}, without pairs: {self.no_pairs}, "
                f"rejected: {self.rejected}, pairs written: {self.pairs}")
