"""Worker processes on one machine: same results as one process, in order, streamed."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from bialign.cli.progress import Progress
from bialign.errors import BialignError, UnknownNameError
from bialign.text.items import read_items
from bialign.run.parallel import align_parallel
from bialign.align.aligner import AlignConfig, Aligner
from bialign.records import Item, ItemResult, Rejected, Status
from conftest import DATA, ROOT

SMALL = DATA / "dev_items_small.jsonl"


def _records() -> list[Item | Rejected]:
    records = list(read_items([SMALL]))
    records.insert(5, Rejected("bad.jsonl", 3, "not JSON", "{oops"))
    return records


def _view(result: ItemResult) -> tuple:
    return (result.id, result.status, result.reason, tuple(json.dumps(p.to_json()) for p in result.pairs))


def test_two_workers_give_the_single_process_results_in_order(default_embedder):
    records = _records()
    expected = [_view(r) for r in Aligner(AlignConfig(), default_embedder).align_items(records)]
    seen: list[ItemResult] = []
    got = [_view(r) for r in align_parallel(records, AlignConfig(), jobs=2, chunk_size=3, progress=seen.append)]
    assert got == expected
    assert len(seen) == len(records)
    assert sum(r[1] == Status.ALIGNED for r in got) >= 15
    assert got[5][:2] == ("bad.jsonl:3", "rejected")


def test_input_is_consumed_lazily_with_bounded_chunks_in_flight():
    config = AlignConfig(encoder="hashing")
    items = [r for r in read_items([SMALL]) if isinstance(r, Item)] * 5
    consumed = 0

    def source():
        nonlocal consumed
        for item in items:
            consumed += 1
            yield item

    results = align_parallel(source(), config, jobs=2, chunk_size=4, max_in_flight=3)
    first = next(results)
    assert first.id == items[0].id
    assert consumed <= 4 * 3  # at most max_in_flight chunks were read before the first result
    rest = list(results)
    assert consumed == len(items)
    assert [first.id] + [r.id for r in rest] == [i.id for i in items]


def test_bad_arguments_fail_before_any_worker_starts():
    with pytest.raises(BialignError):
        list(align_parallel([], AlignConfig(), jobs=0))
    with pytest.raises(UnknownNameError):
        list(align_parallel([Item("x", "text")], AlignConfig(encoder="no-such-encoder"), jobs=2))


def test_cli_jobs_two_writes_the_same_file_as_jobs_one(tmp_path):
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"pairs-{jobs}.tsv"
        run = subprocess.run([sys.executable, "-m", "bialign", "align", str(SMALL), "-o", str(out), "-e", "hashing",
                              "-t", "0.2", "--jobs", jobs, "--chunk-size", "3"],
                             capture_output=True, text=True, cwd=ROOT, check=True)
        assert "items read: 20" in run.stderr
        assert "\r" not in run.stderr  # no progress bar when stderr is not a terminal
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") > 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_total_rate_and_counts_on_a_terminal_and_status_lines_elsewhere():
    result = next(align_parallel(read_items([SMALL]), AlignConfig(encoder="hashing"), jobs=1))
    size = SMALL.stat().st_size
    terminal = _Terminal()
    progress = Progress(True, size, stream=terminal)
    progress.read(size // 2)
    progress.update(result)
    progress.done()
    drawn = terminal.getvalue()
    assert "1 items" in drawn and f"{len(result.pairs)} pairs" in drawn and "B/s" in drawn and "100%" in drawn
    pipe = io.StringIO()  # not a terminal: a status line every interval (0 here: every item)
    status = Progress(True, size, stream=pipe, interval=0)
    status.read(size // 2)
    status.update(result)
    assert pipe.getvalue().startswith("bialign align: 1 items") and "(50%)" in pipe.getvalue()
    assert "left" in pipe.getvalue() and "\r" not in pipe.getvalue()
    quiet_stream = _Terminal()  # --quiet
    quiet = Progress(False, size, stream=quiet_stream, interval=0)
    quiet.update(result)
    quiet.done()
    assert quiet_stream.getvalue() == ""


def test_chunks_are_queued_ahead_on_the_workers():
    from bialign.run.parallel import ProcessExecutor
    from bialign.run import aligned_chunks

    records = list(read_items([SMALL]))
    with ProcessExecutor(AlignConfig(encoder="hashing"), 2) as workers:
        started: list[int] = []
        queue = workers.submit
        workers.submit = lambda chunk, on_aligned=None: (started.append(len(chunk)),  # type: ignore[method-assign]
                                                         queue(chunk, on_aligned))[1]
        heard: list[str] = []
        chunks = aligned_chunks(records, workers, chunk_size=4, on_aligned=lambda result: heard.append(result.id))
        first = next(chunks)
        assert started == [4, 4, 4]  # chunks 0, 1 and 2 were queued before chunk 0 was handed on
        assert heard == [o.result.id for o in first]  # a worker's chunk is heard when it arrives
        rest = [outcome for chunk in chunks for outcome in chunk]
    assert [o.index for o in first + rest] == list(range(len(records)))
    assert heard == [o.result.id for o in first + rest]


def test_cli_jobs_two_equals_jobs_one_with_the_default_encoder(tmp_path):
    # the cache rule keeps each worker's cache across chunks: chunk size and scheduling never show
    outputs = []
    for jobs, chunk in (("1", "256"), ("2", "3")):
        out = tmp_path / f"pairs-{jobs}.jsonl"
        subprocess.run([sys.executable, "-m", "bialign", "align", str(SMALL), "-o", str(out), "-q",
                        "--jobs", jobs, "--chunk-size", chunk], capture_output=True, text=True, cwd=ROOT, check=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") >= 15


def test_chunks_are_cut_into_pieces_for_the_workers_once_the_encoder_is_batch_independent():
    from bialign.run.parallel import ProcessExecutor
    from bialign.run import aligned_chunks

    records = list(read_items([SMALL])) * 6  # 120 records: chunks of 8, 16, 32 and 64
    records = [Item(f"{n}-{r.id}", r.text, r.source, r.line) for n, r in enumerate(records)]
    config = AlignConfig(encoder="hashing")
    expected = [_view(r) for r in Aligner(config).align_items(records)]
    with ProcessExecutor(config, 2) as workers:
        sizes: list[list[int]] = []
        send = workers._pool.submit
        workers._pool.submit = lambda f, piece: (sizes[-1].append(len(piece)), send(f, piece))[1]  # type: ignore
        submit = workers.submit
        workers.submit = lambda chunk, on_aligned=None: (sizes.append([]), submit(chunk, on_aligned))[1]  # type: ignore
        got = [_view(o.result) for chunk in aligned_chunks(records, workers, chunk_size=256) for o in chunk]
    assert got == expected
    assert workers.batch_independent is True
    assert sizes[0] == [8]  # before any worker has said so, a chunk goes whole
    assert sizes[3] == [16, 16, 16, 16]  # then 4 pieces (2 a worker) of at least 8 items
    assert sizes[2] in ([32], [8, 8, 8, 8]) and sizes[1] in ([16], [8, 8])  # queued before or after the first answer


def test_cli_jobs_two_balances_and_writes_the_same_files_with_and_without_resume(tmp_path):
    items = tmp_path / "items.jsonl"
    lines = SMALL.read_text(encoding="utf-8").splitlines()
    items.write_text("".join(json.dumps({**json.loads(line), "id": f"{n}-{i}"}) + "\n"
                             for n in range(4) for i, line in enumerate(lines)), encoding="utf-8")
    outputs = []
    for jobs, resume in (("1", []), ("2", []), ("2", ["--resume"])):
        out = tmp_path / f"pairs-{jobs}-{len(resume)}.tmx"
        subprocess.run([sys.executable, "-m", "bialign", "align", str(items), "-o", str(out), "-q", "--jobs", jobs,
                        "--creation-date", "20260101T000000Z", *resume], capture_output=True, cwd=ROOT, check=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
