"""The pipeline on a real Dask LocalCluster: the same pairs as one process, one file per partition."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bialign.errors import MissingDependencyError
from bialign.items import read_items
from bialign.pipeline import AlignConfig, Aligner
from conftest import DATA, ROOT

SMALL = DATA / "dev_items_small.jsonl"
dask_bag = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

from bialign.distributed import _ALIGNERS, items_bag, write_pairs  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as dask_client:
        yield dask_client


def _lines(paths) -> list[dict]:
    return [json.loads(line) for path in paths for line in open(path, encoding="utf-8")]


def _aligners_per_worker() -> int:
    return len(_ALIGNERS)


def test_cluster_pairs_equal_the_single_process_run(client, tmp_path, default_embedder):
    records = list(read_items([SMALL]))
    expected = [p.to_json() for r in Aligner(AlignConfig(), default_embedder).align_items(records) for p in r.pairs]
    run = write_pairs(dask_bag.from_sequence(records, npartitions=5), tmp_path / "out", AlignConfig())
    assert [p.rsplit("/", 1)[1] for p in run.paths] == [f"part-{i:05d}.jsonl" for i in range(5)]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"part-{i:05d}.jsonl" for i in range(5)]
    assert _lines(run.paths) == expected
    report = run.report()
    assert (report.items, report.pairs) == (20, len(expected))
    # five partitions over two workers: each worker process built one aligner, not one per partition
    assert set(client.run(_aligners_per_worker).values()) == {1}


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


def test_cli_scheduler_writes_one_file_per_partition(client, tmp_path):
    out = tmp_path / "out"
    single = tmp_path / "single.jsonl"
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id": "b1", "text": 3}\n{"id": "b2", "text": "\xff"}\n')
    common = [sys.executable, "-m", "bialign", "align", str(SMALL), str(bad), "-e", "hashing", "-t", "0.2"]
    subprocess.run(common + ["-o", str(single), "--rejects", str(tmp_path / "single.rejects.jsonl")],
                   cwd=ROOT, check=True, capture_output=True)
    run = subprocess.run(common + ["--scheduler", client.scheduler.address, "--output-dir", str(out),
                                   "--partitions", "3", "--rejects", str(tmp_path / "cluster.rejects.jsonl")],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "items read: 22" in run.stderr and "files: 3" in run.stderr
    # the same rejects file as on one machine, undecodable bytes kept in raw_b64
    assert (tmp_path / "cluster.rejects.jsonl").read_bytes() == (tmp_path / "single.rejects.jsonl").read_bytes()
    assert _lines([tmp_path / "cluster.rejects.jsonl"])[1]["raw_b64"]
    parts = sorted(out.glob("part-*.jsonl"))
    assert len(parts) == 3
    assert _lines(parts) == _lines([single]) != []


def test_missing_dask_names_the_extra(monkeypatch):
    from bialign.distributed import require_dask

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingDependencyError, match=r"bialign\[dask\]"):
        require_dask()
