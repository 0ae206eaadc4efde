"""What became of one input record of a run (:class:`Outcome`), and its line in the journal.

The run driver is :mod:`bialign.run` and the journal :mod:`bialign.journal`; this module
keeps only the outcome record until it joins the other records.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from .pipeline import ItemResult, Pair
from .writers.jsonl import json_line

__all__ = [
    "Outcome",
]


@dataclass(frozen=True)
class Outcome:
    """What became of input record number ``index``, with its rejects-file line if rejected."""

    index: int
    result: ItemResult
    repaired: str = ""
    reject: dict[str, object] | None = None

    def to_json(self) -> str:
        r = self.result
        pairs = [{k: v.item() if hasattr(v, "item") else v for k, v in dataclasses.asdict(p).items()} for p in r.pairs]
        return json_line({
            "n": self.index, "id": r.item_id, "status": r.status, "reason": r.reason, "source": r.source,
            "line": r.line, "repaired": self.repaired, "reject": self.reject, "pairs": pairs,
        })

    @classmethod
    def from_json(cls, line: str) -> "Outcome":
        d = json.loads(line)
        pairs = tuple(Pair(**{k: tuple(v) if isinstance(v, list) else v for k, v in p.items()}) for p in d["pairs"])
        result = ItemResult(d["id"], d["status"], pairs, d["reason"], source=d["source"], line=d["line"])
        return cls(d["n"], result, d["repaired"], d["reject"])
