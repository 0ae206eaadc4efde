"""The persistent embedding store: real SQLite files, several processes, damage, the size bound."""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from bialign.embed import CachedEmbedder
from bialign.embed.hashing import HashingEmbedder
from bialign.embed.store import EmbeddingStore, text_key
from bialign.embed.usem3 import USEM3Embedder

TEXTS = [f"Sentence number {i} about talks in Baku." for i in range(40)] + [f"Предложение {i} о переговорах." for i in range(40)]


def _cached(directory: Path, encoder: object = None, **options: float) -> CachedEmbedder:
    return CachedEmbedder(encoder or HashingEmbedder(), store=EmbeddingStore(directory, **options))


def test_a_second_embedder_over_the_store_embeds_nothing_and_gives_the_same_bytes(tmp_path: Path) -> None:
    first = _cached(tmp_path, USEM3Embedder())
    vectors = first.embed(TEXTS[:30])
    assert (first.misses, first.stored) == (30, 0)
    second = _cached(tmp_path, USEM3Embedder())
    again = second.embed(TEXTS[:30] + TEXTS[30:35])
    assert (second.misses, second.stored) == (5, 30)
    assert again[:30].tobytes() == vectors.tobytes()
    assert again[30:].tobytes() == USEM3Embedder().embed(TEXTS[30:35]).tobytes()


def test_parts_are_stored_too_so_a_rerun_composes_without_embedding(tmp_path: Path) -> None:
    first = _cached(tmp_path, USEM3Embedder())
    first.embed(TEXTS[:4])  # parts come with the vectors
    estimates = first.run_estimates(TEXTS[:4], [(0, 2), (1, 3)])
    assert first.misses == 4
    second = _cached(tmp_path, USEM3Embedder())
    assert second.run_estimates(TEXTS[:4], [(0, 2), (1, 3)]).tobytes() == estimates.tobytes()
    assert (second.misses, second.stored) == (0, 4)
    assert _cached(tmp_path).run_estimates(TEXTS[:4], [(0, 2)]) is None  # the hashing encoder does not compose


def test_the_file_is_sqlite_in_wal_mode_keyed_by_encoder_identity(tmp_path: Path) -> None:
    cache = _cached(tmp_path)
    cache.embed(TEXTS)
    path = cache.store.path_for(cache.identity())  # type: ignore[union-attr]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM vectors").fetchone()[0] == len(TEXTS)
        blob = db.execute("SELECT vector FROM vectors WHERE key = ?", (text_key(TEXTS[0]),)).fetchone()[0]
    assert blob == cache.embed([TEXTS[0]])[0].astype("<f4").tobytes()
    other = _cached(tmp_path, HashingEmbedder(dim=64))
    other.embed(TEXTS[:3])
    assert other.misses == 3  # another identity, another file: nothing shared
    assert len(list(tmp_path.glob("vectors-*.sqlite3"))) == 2


def _write_many(directory: str, offset: int, count: int) -> None:
    cache = _cached(Path(directory))
    for first in range(offset, offset + count, 7):  # many small transactions, interleaving with the other writer
        cache.embed([f"text {i}" for i in range(first, min(first + 7, offset + count))])


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(str(tmp_path), offset, 600)) for offset in (0, 300)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    store = EmbeddingStore(tmp_path)
    encoder = HashingEmbedder()
    texts = [f"text {i}" for i in range(900)]
    assert store.count(encoder.identity(), encoder.dim) == 900
    reader = CachedEmbedder(encoder, store=store)
    assert np.array_equal(reader.embed(texts), encoder.embed(texts)) and reader.misses == 0


def _damaged(tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str) -> CachedEmbedder:
    """A store whose file was damaged by ``damage``, reopened by a fresh embedder."""
    cache = _cached(tmp_path)
    cache.embed(TEXTS)
    path = cache.store.path_for(cache.identity())  # type: ignore[union-attr]
    cache.store.close()  # type: ignore[union-attr]
    if damage == "garbage":
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.write_bytes(b"this is not a database" * 100)
    else:
        with sqlite3.connect(path) as db:
            db.executescript(damage)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bialign"):
        fresh = _cached(tmp_path)
        assert np.array_equal(fresh.embed(TEXTS), HashingEmbedder().embed(TEXTS))
    return fresh


@pytest.mark.parametrize("damage, message", [
    ("garbage", "not a usable SQLite file"),
    ("DROP TABLE vectors; CREATE TABLE vectors (key TEXT, vector BLOB);", "another schema"),
    ("UPDATE meta SET value = 'usem3 v0' WHERE name = 'identity';", "another encoder"),
    ("UPDATE meta SET value = '512' WHERE name = 'dim';", "another encoder"),
    ("UPDATE meta SET value = '0' WHERE name = 'schema';", "another format"),
])
def test_a_foreign_or_corrupt_file_is_ignored_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                              damage: str, message: str) -> None:
    fresh = _damaged(tmp_path, caplog, damage)
    assert fresh.stored == 0 and fresh.misses == len(TEXTS)  # nothing trusted: all embedded
    assert any(message in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("damage", [
    "UPDATE vectors SET vector = substr(vector, 1, 100);",  # a vector of the wrong dimension
    "UPDATE vectors SET vector = zeroblob(1024);",  # right size, checksum does not match
])
def test_damaged_rows_are_embedded_again_and_repaired(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                      damage: str) -> None:
    fresh = _damaged(tmp_path, caplog, damage)
    assert fresh.stored == 0 and fresh.misses == len(TEXTS)
    assert any("damaged vectors" in r.getMessage() for r in caplog.records)
    repaired = _cached(tmp_path)
    assert np.array_equal(repaired.embed(TEXTS), HashingEmbedder().embed(TEXTS)) and repaired.stored == len(TEXTS)


def test_non_finite_values_are_not_trusted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = _cached(tmp_path)
    path = cache.store.path_for(cache.identity())  # type: ignore[union-attr]
    bad = np.full(256, np.nan, dtype="<f4")
    cache.store.put(cache.identity(), 256, [(text_key(TEXTS[0]), bad)])  # type: ignore[union-attr]
    assert path.exists()
    with caplog.at_level(logging.WARNING, logger="bialign"):
        fresh = _cached(tmp_path)
        assert np.isfinite(fresh.embed([TEXTS[0]])).all() and fresh.misses == 1
    assert any("damaged vectors" in r.getMessage() for r in caplog.records)


class _Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_the_store_stays_under_its_bound_and_evicts_the_least_recently_used(tmp_path: Path) -> None:
    clock = _Clock()
    store = EmbeddingStore(tmp_path, max_mb=2, clock=clock)
    encoder = HashingEmbedder()  # 1 KB vectors: the bound holds at most 2048
    cache = CachedEmbedder(encoder, store=store)
    keep = [f"kept {i}" for i in range(50)]
    path = store.path_for(encoder.identity())
    for first in range(0, 6000, 200):
        clock.now += 7200  # later than the rewrite interval of a row's last use
        cache.clear()
        cache.embed(keep + [f"filler {i}" for i in range(first, first + 200)])
        assert path.stat().st_size <= 2.5 * 2**20  # the bound, plus WAL lag and a few pages
    count = store.count(encoder.identity(), encoder.dim)
    assert 1000 < count < 2048  # most of the bound holds data
    fresh = CachedEmbedder(encoder, store=EmbeddingStore(tmp_path, max_mb=2))
    fresh.embed(keep)
    assert fresh.stored == len(keep)  # used in every round: never evicted
    fresh.embed(["filler 0", "filler 1", "filler 5999"])
    assert (fresh.misses, fresh.stored) == (2, len(keep) + 1)  # the oldest fillers went, the newest stayed


def test_a_store_is_picklable_and_reopens_in_the_copy(tmp_path: Path) -> None:
    cache = _cached(tmp_path)
    cache.embed(TEXTS)
    copy = pickle.loads(pickle.dumps(cache.store))
    reader = CachedEmbedder(HashingEmbedder(), store=copy)
    reader.embed(TEXTS)
    assert reader.stored == len(TEXTS)


def test_an_unwritable_directory_costs_nothing_but_the_cache(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with caplog.at_level(logging.WARNING, logger="bialign"):
        cache = _cached(blocker / "cache")
        assert np.array_equal(cache.embed(TEXTS), HashingEmbedder().embed(TEXTS))
    assert cache.misses == len(TEXTS)
    assert any("cannot be opened" in r.getMessage() for r in caplog.records)
