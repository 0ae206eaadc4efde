"""The full alignment of an item: every sentence of both sides in a bead, in Vecalign's
ladder format or as JSONL.

A bead lists the English and the Russian sentence indices it joins, 0-based in the order
bialign numbers them (a pair's ``src_index`` and ``tgt_index``; with ``--sentence-per-line``
the non-blank lines of each document). A sentence no pair holds is a bead of its own with
nothing on the other side (``[3]:[]``, ``[]:[5]``). The ladder format writes one bead a line,
``[0, 1]:[0]:0.2134``, as Vecalign does: English indices, Russian indices, and a cost, here
``1 - score`` (the cosine of the bead's two sides), and 1.0 for a sentence left alone. JSONL
beads are ``{"id", "en": [...], "ru": [...], "score"}`` (``score`` null for a sentence alone).

For two documents aligned in order the beads are in both documents' order; for a summary
(``bialign align``) they follow the English order, and the Russian indices may go back.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable

from ..errors import BialignError, InputError
from ..records import ItemResult, Status
from ..text.textio import atomic_write, open_text_read
from .jsonl import json_objects

__all__ = ["AlignmentBead", "beads_of", "BeadsOutput", "LADDER_SUFFIX", "ladder_line", "read_beads", "read_ladder",
           "write_ladder"]

LADDER_SUFFIX = ".ladder"
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")  # a beads file of JSON lines, not a ladder
LADDER_RE = re.compile(r"\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?::\s*(\S+))?\s*")


@dataclass(frozen=True)
class AlignmentBead:
    """English and Russian sentence indices aligned together, and the bead's score (None for
    a sentence alone)."""

    en: tuple[int, ...]
    ru: tuple[int, ...]
    score: float | None = None

    @property
    def cost(self) -> float:
        """Vecalign's third field: ``1 - score``, or 1.0 for a sentence alone."""
        return 1.0 if self.score is None else 1.0 - self.score

    def to_json(self, item_id: str) -> dict[str, object]:
        return {"id": item_id, "en": list(self.en), "ru": list(self.ru),
                "score": None if self.score is None else round(self.score, 4)}


def beads_of(result: ItemResult) -> list[AlignmentBead]:
    """Every sentence of an item's result in a bead: its pairs, and each sentence no pair holds alone."""
    n_en, n_ru = result.sentences
    if result.status == Status.REJECTED:
        return []
    pairs = sorted(result.pairs, key=lambda p: (min(p.src_index, default=n_en), min(p.tgt_index, default=n_ru)))
    paired_en = {i for p in pairs for i in p.src_index}
    paired_ru = {j for p in pairs for j in p.tgt_index}
    beads: list[AlignmentBead] = []
    next_en = next_ru = 0

    def alone_before(en_stop: int, ru_stop: int) -> None:
        nonlocal next_en, next_ru
        beads.extend(AlignmentBead((i,), ()) for i in range(next_en, en_stop) if i not in paired_en)
        beads.extend(AlignmentBead((), (j,)) for j in range(next_ru, ru_stop) if j not in paired_ru)
        next_en, next_ru = max(next_en, en_stop), max(next_ru, ru_stop)

    for pair in pairs:
        alone_before(min(pair.src_index), min(pair.tgt_index))
        beads.append(AlignmentBead(tuple(pair.src_index), tuple(pair.tgt_index), pair.score))
        next_en, next_ru = max(next_en, max(pair.src_index) + 1), max(next_ru, max(pair.tgt_index) + 1)
    alone_before(n_en, n_ru)
    return beads


def ladder_line(bead: AlignmentBead) -> str:
    """One line of the ladder format, ``[0, 1]:[0]:0.2134``."""
    return f"[{', '.join(map(str, bead.en))}]:[{', '.join(map(str, bead.ru))}]:{bead.cost:.4f}\n"


def write_ladder(handle: IO[str], beads: Iterable[AlignmentBead]) -> None:
    """Write beads in the ladder format."""
    for bead in beads:
        handle.write(ladder_line(bead))


def read_ladder(path: str | Path) -> list[AlignmentBead]:
    """The beads of a ladder file (Vecalign's output or gold format); a line of another shape
    is an :class:`~bialign.errors.InputError` naming it."""
    beads = []
    with open_text_read(path) as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            match = LADDER_RE.fullmatch(line)
            if match is None:
                raise InputError(f"{path}:{number}: not a line of the ladder format ([i, j]:[k]:cost): {line.strip()[:60]!r}")
            en, ru = (tuple(int(x) for x in side.replace(",", " ").split()) for side in match.group(1, 2))
            try:
                score = None if not (en and ru) or match.group(3) is None else 1.0 - float(match.group(3))
            except ValueError:
                raise InputError(f"{path}:{number}: the cost is not a number: {match.group(3)!r}") from None
            beads.append(AlignmentBead(en, ru, score))
    return beads


def read_beads(path: str | Path) -> dict[str, list[AlignmentBead]]:
    """Beads by item id from a JSONL beads file, or from one ladder file (its id: the file name
    without ``.ladder``) or a directory of them."""
    path = Path(path)
    if path.is_dir():
        return {file.name[:-len(LADDER_SUFFIX)]: read_ladder(file) for file in sorted(path.glob(f"*{LADDER_SUFFIX}"))}
    if not path.name.endswith(JSONL_SUFFIXES):
        return {path.name[:-len(LADDER_SUFFIX)] if path.name.endswith(LADDER_SUFFIX) else path.stem: read_ladder(path)}
    out: dict[str, list[AlignmentBead]] = {}
    for number, record in json_objects(path):
        try:
            score = record.get("score")
            out.setdefault(str(record["id"]), []).append(AlignmentBead(
                tuple(int(i) for i in record["en"]), tuple(int(j) for j in record["ru"]),
                None if score is None else float(score)))
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(f"{path}:{number}: not a bead ({{\"id\", \"en\", \"ru\", \"score\"}}): {error!r}") from None
    return out



class BeadsOutput:
    """Where a run's full alignments go, by the path given: a ``.jsonl`` file (every item),
    an existing directory (one ``ID.ladder`` file an item, in subdirectories as the ids
    have them), or one ladder file (a single item). Files are written atomically."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.kind = "jsonl" if self.path.name.endswith(JSONL_SUFFIXES) else (
            "directory" if self.path.is_dir() else "ladder")
        self._stack = contextlib.ExitStack()
        self._handle: IO[str] | None = None
        self._items = 0

    @property
    def file(self) -> str | None:
        """The one file this output writes, to be checked like any output; None for a directory."""
        return None if self.kind == "directory" else str(self.path)

    def __enter__(self) -> "BeadsOutput":
        if self.kind != "directory":
            self._handle = self._stack.enter_context(atomic_write(self.path))
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.__exit__(*exc)

    def write(self, result: ItemResult) -> None:
        """The beads of one item's result (nothing for a rejected item)."""
        if result.status == Status.REJECTED:
            return
        beads = beads_of(result)
        self._items += 1
        if self.kind == "jsonl":
            assert self._handle is not None
            for bead in beads:
                self._handle.write(json.dumps(bead.to_json(result.id), ensure_ascii=False) + "\n")
        elif self.kind == "directory":
            target = self.path.joinpath(*result.id.split("/")).with_name(result.id.split("/")[-1] + LADDER_SUFFIX)
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_write(target) as handle:
                write_ladder(handle, beads)
        else:
            if self._items > 1:
                raise BialignError(f"{self.path}: a ladder file holds one alignment; give a .jsonl file or "
                                   "a directory for several")
            assert self._handle is not None
            write_ladder(self._handle, beads)
