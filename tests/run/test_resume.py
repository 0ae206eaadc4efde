"""Atomic outputs, deterministic runs, and resuming after Ctrl-C or ``kill -9``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import hostile
from bialign import AlignConfig, Aligner
from bialign.cli import main
from bialign.formats.moses import moses_paths
from bialign.text.items import ReadOptions
from bialign.run.journal import Journal, journal_path
from bialign.run import InProcess, RunPlan, run_plan
from bialign.align.signature import run_signature
from bialign.text.textio import atomic_write

DATE = "20240101T000000Z"


def bialign(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bialign", *args], capture_output=True, text=True)


def corpus(path: Path, copies: int) -> Path:
    """The clean items ``copies`` times over, with distinct ids."""
    lines = hostile.CLEAN.read_text(encoding="utf-8").splitlines()
    with open(path, "w", encoding="utf-8") as handle:
        for copy in range(copies):
            for line in lines:
                record = json.loads(line)
                record["id"] = f"{record['id']}-{copy}"
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.write("not json\n")  # one rejection, so the rejects file is exercised too
    return path


def _wait_for_chunk(process: subprocess.Popen, journal: Path) -> None:
    while not list(journal.glob("chunk-*.jsonl")):
        assert process.poll() is None, "the run ended before it could be interrupted"
        time.sleep(0.01)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_run_leaves_old_output_and_resume_matches_an_uninterrupted_run(tmp_path, capsys, how):
    items = corpus(tmp_path / "items.jsonl", 8)  # 97 items in 25 chunks: the signal comes after the first
    total = 97  # is journaled, while two dozen chunks are still to come
    options = ["-e", "hashing", "--checkpoint-every", "4", "--creation-date", DATE]
    reference = tmp_path / "reference"
    reference.mkdir()
    # the uninterrupted run and the resumed one run the command in this process (the same main() as
    # ``python -m bialign``, without two more interpreter starts); only the one to interrupt is a process
    assert main(["align", str(items), "-o", str(reference / "pairs.tmx"), "--rejects", str(reference / "rejects.jsonl"),
                 "--report", str(reference / "report.json"), *options]) == 0

    out = tmp_path / "pairs.tmx"
    out.write_text("OLD OUTPUT\n", encoding="utf-8")
    command = ["align", str(items), "-o", str(out), "--rejects", str(tmp_path / "rejects.jsonl"),
               "--report", str(tmp_path / "report.json"), "--resume", *options]
    process = subprocess.Popen([sys.executable, "-m", "bialign", *command], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    journal = journal_path(out)
    _wait_for_chunk(process, journal)
    process.send_signal(how)
    _, stderr = process.communicate(timeout=60)
    if how == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == 130 and "interrupted; no output was written" in stderr
    assert out.read_text(encoding="utf-8") == "OLD OUTPUT\n"  # untouched
    assert not (tmp_path / "report.json").exists() and not (tmp_path / "rejects.jsonl").exists()
    done = Journal(journal).chunks()
    assert done and done[-1][1] + 1 < total  # the run was stopped part of the way through

    capsys.readouterr()
    assert main(command) == 0
    assert f"resuming; {done[-1][1] + 1} items were done already" in capsys.readouterr().err
    for name in ("pairs.tmx", "rejects.jsonl", "report.json"):
        assert (tmp_path / name).read_bytes() == (reference / name).read_bytes(), name
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["items"] == total and report["rejected"] == 1
    assert not journal.exists() and not list(tmp_path.glob(".*.tmp"))


class _Interrupt(Exception):
    pass


class _InterruptedAt(InProcess):
    """Aligns in this process until it is handed chunk number ``chunk`` (from 1): then it is interrupted."""

    def __init__(self, aligner: Aligner, chunk: int) -> None:
        super().__init__(aligner)
        self.chunk = chunk
        self.submitted = 0

    def submit(self, chunk, on_aligned=None):
        self.submitted += 1
        if self.submitted == self.chunk:
            raise _Interrupt()
        return super().submit(chunk, on_aligned)


def _plan(items: Path, out: Path, fmt: str, aligner: Aligner, resume: bool, chunk_size: int = 7) -> RunPlan:
    return RunPlan((str(items),), str(out), fmt, run_signature(aligner.config, aligner.embedder), ReadOptions(),
                   {"creation_date": DATE, "header": True}, str(out) + ".rejects", str(out) + ".report",
                   resume, chunk_size=chunk_size)


def test_a_run_resumed_while_its_chunks_still_grow_gives_the_same_files(tmp_path):
    items = corpus(tmp_path / "items.jsonl", 3)
    aligner = Aligner(AlignConfig(encoder="hashing"))
    plain = tmp_path / "plain.jsonl"
    run_plan(_plan(items, plain, "jsonl", aligner, False, chunk_size=16), InProcess(aligner))
    out = tmp_path / "resumed.jsonl"
    with pytest.raises(_Interrupt):
        run_plan(_plan(items, out, "jsonl", aligner, True, chunk_size=16), _InterruptedAt(aligner, 3))
    assert [c[:2] for c in Journal(journal_path(out)).chunks()] == [(0, 7), (8, 23)]  # 8 records, then 16
    seen = []
    report = run_plan(_plan(items, out, "jsonl", aligner, True, chunk_size=16), InProcess(aligner),
                      on_resume=seen.append)
    assert seen == [24] and report.items == 37
    assert _outputs(out, "jsonl") == _outputs(plain, "jsonl")


def _outputs(out: Path, fmt: str) -> list[bytes]:
    paths = list(moses_paths(out)) if fmt == "moses" else [out]
    return [p.read_bytes() for p in paths + [Path(str(out) + ".rejects"), Path(str(out) + ".report")]]


@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "tmx", "moses"])
def test_resume_gives_the_same_files_in_every_format(tmp_path, fmt):
    items = corpus(tmp_path / "items.jsonl", 3)
    aligner = Aligner(AlignConfig(encoder="hashing"))
    plain = tmp_path / f"plain.{fmt}"
    run_plan(_plan(items, plain, fmt, aligner, False), InProcess(aligner))

    out = tmp_path / f"resumed.{fmt}"
    with pytest.raises(_Interrupt):
        run_plan(_plan(items, out, fmt, aligner, True), _InterruptedAt(aligner, 3))
    assert [c[:2] for c in Journal(journal_path(out)).chunks()] == [(0, 6), (7, 13)]
    assert not any(p.exists() for p in ([out] + list(moses_paths(out))))
    seen = []
    report = run_plan(_plan(items, out, fmt, aligner, True), InProcess(aligner), on_resume=seen.append)
    assert seen == [14] and report.items == 37 and report.balanced
    assert _outputs(out, fmt) == _outputs(plain, fmt)
    assert not journal_path(out).exists()


def test_a_journal_of_other_options_is_refused(tmp_path):
    items = corpus(tmp_path / "items.jsonl", 1)
    out = tmp_path / "pairs.jsonl"
    journal = journal_path(out)
    Journal(journal).open({"signature": "something else"}, DATE)
    run = bialign("align", str(items), "-o", str(out), "-e", "hashing", "--resume")
    assert run.returncode == 2 and "belongs to a run with other options" in run.stderr
    assert not out.exists()
    run = bialign("align", str(items), "-e", "hashing", "--resume")
    assert run.returncode == 2 and "--resume needs an output file" in run.stderr


def test_the_same_input_gives_byte_identical_output(tmp_path):
    items = corpus(tmp_path / "items.jsonl", 1)
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / f"{name}.tmx"
        run = bialign("align", str(items), "-o", str(out), "--creation-date", DATE, "--rejects", str(out) + ".rej")
        assert run.returncode == 0, run.stderr
        outputs.append((out.read_bytes(), Path(str(out) + ".rej").read_bytes()))
    assert outputs[0] == outputs[1] and outputs[0][0].count(b"<tu ") > 20


def test_atomic_write_leaves_the_old_file_on_error(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as handle:
            handle.write("half of the new content")
            raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["out.txt"]
    with atomic_write(target) as handle:
        handle.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n" and os.listdir(tmp_path) == ["out.txt"]


def test_a_refused_journal_names_the_options_that_differ_and_a_stale_one_is_mentioned(tmp_path):
    items = corpus(tmp_path / "items.jsonl", 1)
    out = tmp_path / "pairs.jsonl"
    journal = journal_path(out)
    Journal(journal).open({"signature": {"threshold": 0.5, "max_src": 3}}, DATE)
    run = bialign("align", str(items), "-o", str(out), "-e", "hashing", "--resume", "-t", "0.45")
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2 and len(lines) == 1, run.stderr
    assert "threshold: 0.5 in the journal, 0.45 now" in lines[0] and "(signature)" not in lines[0], lines
    plain = bialign("align", str(items), "-o", str(out), "-e", "hashing", "-t", "0.45")
    assert plain.returncode == 0
    assert f"{journal} holds the journal of an interrupted --resume run" in plain.stderr
