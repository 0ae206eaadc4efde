"""bialign as a citizen of the shell: outputs, pipes, modes, inputs named as outputs, exit codes."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import DATA, SEED

ITEMS = DATA / "clean12.items.jsonl"


def bialign(*args: str, stdin: bytes | None = None, umask: int | None = None, fsize: int | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    def limits() -> None:
        if umask is not None:
            os.umask(umask)
        if fsize is not None:  # a real limit on the size of every file the process writes
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run([sys.executable, "-m", "bialign", *args], input=stdin, capture_output=True,
                          preexec_fn=limits, cwd=cwd)


def no_traceback(run: subprocess.CompletedProcess) -> None:
    assert b"Traceback" not in run.stderr, run.stderr.decode()


def test_outputs_take_the_mode_of_the_umask(tmp_path):
    run = bialign("align", str(ITEMS), "-o", str(tmp_path / "pairs.tsv"), "--rejects", str(tmp_path / "r.jsonl"),
                  "--report", str(tmp_path / "report.json"), umask=0o022)
    assert run.returncode == 0, run.stderr
    for name in ("pairs.tsv", "r.jsonl", "report.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644
    run = bialign("align", str(ITEMS), "-o", str(tmp_path / "private.tsv"), umask=0o077)
    assert stat.S_IMODE((tmp_path / "private.tsv").stat().st_mode) == 0o600


def test_a_fifo_stays_a_fifo_and_carries_the_same_bytes_as_a_file(tmp_path):
    assert bialign("align", str(ITEMS), "-o", str(tmp_path / "file.tsv")).returncode == 0
    fifo = tmp_path / "pipe.tsv"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    run = bialign("align", str(ITEMS), "-o", str(fifo))
    reader.join(timeout=120)
    assert run.returncode == 0, run.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received == [(tmp_path / "file.tsv").read_bytes()]
    assert not list(tmp_path.glob(".*.tmp"))


def test_dash_is_standard_output_for_every_output_option(tmp_path):
    report = bialign("align", str(ITEMS), "-o", str(tmp_path / "p.jsonl"), "--report", "-")
    assert json.loads(report.stdout)["pairs"] > 0 and not (tmp_path / "-").exists()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "b"}\n' + ITEMS.read_text(encoding="utf-8"), encoding="utf-8")
    rejects = bialign("align", str(bad), "-o", str(tmp_path / "p2.jsonl"), "--rejects", "-")
    assert json.loads(rejects.stdout)["reason"] == "no 'text' field (nor 'en' and 'ru')"
    convert = bialign("convert", str(tmp_path / "p.jsonl"), "-", "--to", "tsv")
    assert convert.returncode == 0 and convert.stdout.count(b"\n") == json.loads(report.stdout)["pairs"]
    testset = bialign("testset", str(tmp_path / "p.jsonl"), "-o", "-")
    assert testset.returncode == 0 and all(line.count(b"\t") == 1 for line in testset.stdout.splitlines())
    assert not (tmp_path / "-").exists() and not Path("-").exists()


@pytest.mark.parametrize("how", ["same", "symlink", "report", "rejects"])
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path, how):
    items = tmp_path / "in.jsonl"
    shutil.copy(ITEMS, items)
    before = items.read_bytes()
    link = tmp_path / "link.jsonl"
    link.symlink_to(items)
    args = {"same": ["-o", str(items)], "symlink": ["-o", str(link)],
            "report": ["-o", str(tmp_path / "p.jsonl"), "--report", str(items)],
            "rejects": ["-o", str(tmp_path / "p.jsonl"), "--rejects", str(link)]}[how]
    run = bialign("align", str(items), *args)
    assert run.returncode == 2
    assert run.stderr.decode().strip().splitlines() == [
        f"bialign: refusing to write {args[-1]}: it is the input {items}; choose another output file"]
    assert items.read_bytes() == before and not (tmp_path / "p.jsonl").exists()
    detect = bialign("detect", str(items), "-o", str(link))
    assert detect.returncode == 2 and items.read_bytes() == before
    convert = bialign("convert", str(tmp_path / "x.jsonl"), str(tmp_path / "x.jsonl"))
    assert convert.returncode == 2 and b"Traceback" not in convert.stderr


def test_a_second_run_into_the_corpus_folder_does_not_read_its_own_outputs(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ITEMS, corpus / "items.jsonl")
    outputs = []
    for _ in range(2):
        run = bialign("align", str(corpus), "-o", str(corpus / "pairs.jsonl"), "--rejects",
                      str(corpus / "rejects.jsonl"), "--resume")
        assert run.returncode == 0, run.stderr
        assert b"items read: 12," in run.stderr
        outputs.append((corpus / "pairs.jsonl").read_bytes())
    assert outputs[0] == outputs[1]


def test_stdin_gives_the_same_pairs_as_the_file(tmp_path):
    from_file = bialign("align", str(ITEMS))
    from_stdin = bialign("align", "-", stdin=ITEMS.read_bytes())
    assert from_stdin.returncode == 0 and from_stdin.stdout == from_file.stdout and from_file.stdout
    text = bialign("align", "-", stdin=SEED.read_bytes())
    records = [json.loads(line) for line in text.stdout.splitlines()]
    assert len(records) == 3 and {r["id"] for r in records} == {"stdin"}


def test_compressed_inputs_read_like_plain_ones(tmp_path):
    data = ITEMS.read_bytes()
    (tmp_path / "a.jsonl.xz").write_bytes(lzma.compress(data))
    (tmp_path / "b.jsonl.bz2").write_bytes(bz2.compress(data))
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress(data))
    (tmp_path / "seed.txt.xz").write_bytes(lzma.compress(SEED.read_bytes()))
    from bialign.text.items import read_items

    plain = [item.text for item in read_items(ITEMS)]
    for name in ("a.jsonl.xz", "b.jsonl.bz2", "c.jsonl.gz"):
        assert [item.text for item in read_items(tmp_path / name)] == plain
    [seed] = read_items(tmp_path / "seed.txt.xz")
    assert seed.id == "seed" and seed.text == SEED.read_text(encoding="utf-8")


def test_zstandard_inputs_read_like_plain_ones(tmp_path):
    zstandard = pytest.importorskip("zstandard")
    from bialign.text.items import read_items

    (tmp_path / "a.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(ITEMS.read_bytes()))
    assert [i.text for i in read_items(tmp_path / "a.jsonl.zst")] == [i.text for i in read_items(ITEMS)]


def test_missing_inputs_and_runs_that_reject_everything_exit_non_zero(tmp_path):
    missing = bialign("align", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "p.jsonl"))
    assert missing.returncode == 1
    assert missing.stderr.decode().strip().splitlines()[-1] == (
        f"bialign: align: no such input: {tmp_path / 'nope.jsonl'} (the other inputs were processed)")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(f'{{"id": "{n}"}}\n' for n in range(40)), encoding="utf-8")
    rejected = bialign("align", str(bad), "-o", str(tmp_path / "p.jsonl"))
    assert rejected.returncode == 1
    lines = rejected.stderr.decode().strip().splitlines()
    assert lines[-1] == "bialign: align: every item was rejected (40); see the messages above or --rejects"
    assert sum("no 'text' field" in line for line in lines) < 10  # summarised, not one line each
    assert bialign("detect", str(bad)).returncode == 1
    for command in (["convert", str(tmp_path / "nope.jsonl"), str(tmp_path / "o.tsv")],
                    ["testset", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "t")]):
        run = bialign(*command)
        assert run.returncode == 2 and len(run.stderr.splitlines()) == 1, run.stderr
        assert b"No such file or directory" in run.stderr
        no_traceback(run)


def test_a_file_size_limit_gives_one_line_no_half_output_and_resume_continues(tmp_path):
    whole = bialign("align", str(DATA / "dev_items_small.jsonl"), "-o", str(tmp_path / "whole.jsonl"))
    assert whole.returncode == 0
    out = tmp_path / "out" / "pairs.jsonl"
    out.parent.mkdir()
    args = ("align", str(DATA / "dev_items_small.jsonl"), "-o", str(out), "--resume", "--checkpoint-every", "1")
    limited = bialign(*args, fsize=12000)  # the journal's chunks fit, the whole output does not
    assert limited.returncode == 2, limited.stderr
    assert limited.stderr.decode().strip().splitlines()[-1].startswith(f"bialign: cannot write {out}: ")
    no_traceback(limited)
    assert not out.exists() and not list(out.parent.glob(".*.tmp"))
    assert list((out.parent / "pairs.jsonl.partial").glob("chunk-*"))
    resumed = bialign(*args)
    assert resumed.returncode == 0, resumed.stderr
    assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()


def test_an_unwritable_destination_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    run = bialign("align", str(ITEMS), "-o", str(blocker / "pairs.jsonl"))
    assert run.returncode == 2 and len(run.stderr.splitlines()) == 1, run.stderr
    no_traceback(run)


def test_settings_are_validated_and_recorded(tmp_path):
    refused = bialign("align", str(ITEMS), "-t", "5")
    assert refused.returncode == 2
    assert refused.stderr.decode().strip() == "bialign: threshold must be between -1.0 and 1.0, not 5.0"
    for bad in (["--set", "max_src=0"], ["--set", "nope=1"], ["--device", "cuda"], ["--set", "threshold"]):
        run = bialign("align", str(ITEMS), *bad)
        assert run.returncode == 2 and len(run.stderr.splitlines()) == 1, run.stderr
    config = tmp_path / "bialign.toml"
    config.write_text("[align]\nthreshold = 0.5\nmax_src = 2\n[encoder_options]\nbatch_size = 16\n")
    run = bialign("align", str(ITEMS), "--config", str(config), "--set", "title_threshold=0.35",
                  "-o", str(tmp_path / "p.jsonl"), "--report", "-")
    assert run.returncode == 0, run.stderr
    signature = json.loads(run.stdout)["signature"]
    assert (signature["threshold"], signature["max_src"], signature["title_threshold"]) == (0.5, 2, 0.35)
    assert signature["encoder_options"] == {"batch_size": 16}
    config.write_text("[align]\nmax_src = 'six'\n")
    run = bialign("align", str(ITEMS), "--config", str(config))
    assert run.stderr.decode().strip() == f"bialign: {config}: max_src must be a whole number, not 'six'"


def test_help_documents_the_exit_codes():
    for command in ([], ["align"], ["detect"], ["documents"], ["convert"], ["score"], ["review"], ["testset"]):
        run = bialign(*command, "--help")
        codes = run.stdout.decode().split("exit codes:")[1]
        one, two = codes.split("\n  2 ")[0], codes.split("\n  2 ")[1].split("\n  3 ")[0]
        assert "every item was rejected" in one and "input of align or detect is missing" in one, codes
        assert "missing input" not in two and "a directory" in two, codes


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    pytest.importorskip("distributed")
    env_run = subprocess.run([sys.executable, "-m", "bialign", "align", str(ITEMS), "--scheduler", "tcp://127.0.0.1:9",
                              "-o", str(tmp_path / "pairs.jsonl")], capture_output=True,
                             env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert env_run.returncode == 3, env_run.stderr
    assert env_run.stderr.decode().strip().splitlines()[-1].startswith(
        "bialign: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    no_traceback(env_run)
    bad = bialign("align", str(ITEMS), "--scheduler", "not a scheduler", "-o", str(tmp_path / "pairs.jsonl"))
    assert bad.returncode == 3 and b"Traceback" not in bad.stderr, bad.stderr


def test_a_process_substitution_path_is_written_as_jsonl(tmp_path):
    """``-o >(gzip > x.gz)`` names /dev/fd/N: no extension, written directly, JSONL."""
    assert bialign("align", str(ITEMS), "-o", str(tmp_path / "file.jsonl")).returncode == 0
    read_end, write_end = os.pipe()
    process = subprocess.Popen([sys.executable, "-m", "bialign", "align", str(ITEMS), "-o", f"/dev/fd/{write_end}"],
                               pass_fds=(write_end,), stderr=subprocess.PIPE)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        received = pipe.read()
    assert process.wait(timeout=300) == 0, process.stderr.read() if process.stderr else ""
    process.stderr.close()  # type: ignore[union-attr]
    assert received == (tmp_path / "file.jsonl").read_bytes()


def test_the_library_logs_without_handlers_and_the_cli_shows_its_messages_with_v(tmp_path, caplog):
    import logging

    from bialign.text.items import read_items

    with caplog.at_level(logging.DEBUG, logger="bialign"):
        list(read_items(ITEMS))
    assert logging.getLogger("bialign").handlers == [] or all(
        not getattr(h, "_bialign_cli", False) for h in logging.getLogger("bialign").handlers)
    assert any(r.name == "bialign.text.items" and "reading" in r.getMessage() for r in caplog.records)
    verbose = bialign("align", str(ITEMS), "-o", str(tmp_path / "p.jsonl"), "-v")
    assert f"bialign: reading {ITEMS}" in verbose.stderr.decode()
    quiet = bialign("align", str(ITEMS), "-o", str(tmp_path / "p.jsonl"), "-q")
    assert quiet.returncode == 0 and quiet.stderr == b""


def test_runs_that_need_no_encoder_exit_cleanly_every_time(tmp_path):
    english = tmp_path / "en.txt"
    english.write_text("Just English. Two sentences.\n", encoding="utf-8")
    codes = [bialign("align", str(english), "-o", str(tmp_path / "o.jsonl"), "-q") for _ in range(6)]
    assert [run.returncode for run in codes] == [0] * 6, [run.stderr for run in codes]
    assert all(run.stderr == b"" for run in codes), [run.stderr for run in codes]


def test_a_process_that_exits_while_the_encoder_loads_exits_cleanly():
    script = ("from bialign.embed.usem3 import USEM3Embedder; from bialign.text.detect import detect_segments\n"
              "USEM3Embedder().load_in_background(); detect_segments('Just English. Two sentences.')")
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True) for _ in range(8)]
    assert [run.returncode for run in runs] == [0] * 8, [run.stderr for run in runs]


def _refused_output(run: subprocess.CompletedProcess, path: Path) -> None:
    assert run.returncode == 2, run.stderr
    lines = run.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"bialign: cannot write {path}: "), run.stderr
    assert ".tmp" not in lines[0]


@pytest.mark.parametrize("kind", ["a directory", "in a missing directory"])
def test_an_output_that_cannot_be_a_file_is_refused_before_any_work(tmp_path, kind):
    pairs, seed = DATA / "dev_pairs.jsonl", SEED.parent / "seed"
    (tmp_path / "o").mkdir()
    if kind == "a directory":
        bad = tmp_path / "outdir"
        bad.mkdir()
        (tmp_path / "t.src").mkdir()
    else:
        bad = tmp_path / "missing" / "out"
    ok = str(tmp_path / "o" / "p.jsonl")
    commands = [  # (command, the output it must name)
        (["align", str(ITEMS), "-o", str(bad), "-f", "jsonl"], bad),
        (["align", str(ITEMS), "-o", ok, "--report", str(bad)], bad),
        (["align", str(ITEMS), "-o", ok, "--rejects", str(bad)], bad),
        (["align", str(ITEMS), "-o", str(bad), "-f", "jsonl", "--resume"], bad),
        (["detect", str(ITEMS), "-o", str(bad)], bad),
        (["convert", str(pairs), str(bad), "--to", "tsv"], bad),
        (["documents", f"{seed}.en.txt", f"{seed}.ru.txt", "-o", str(bad), "-f", "jsonl"], bad),
        (["review", str(pairs), "--items", str(DATA / "dev.items.jsonl"), "-o", str(bad), "--no-matrix"], bad),
    ]
    if kind == "a directory":
        commands.append((["testset", str(pairs), "-o", str(tmp_path / "t")], tmp_path / "t.src"))
    else:
        commands.append((["testset", str(pairs), "-o", str(bad)], Path(f"{bad}.src")))
    before = sorted(tmp_path.rglob("*"))
    for command, named in commands:
        _refused_output(bialign(*command), named)
    assert sorted(tmp_path.rglob("*")) == before  # nothing written, no directory made


@pytest.mark.parametrize("bad,said", [
    (["--max-chars", "-1"], "argument --max-chars: must be at least 1, not -1"),
    (["--max-chars", "0"], "argument --max-chars: must be at least 1, not 0"),
    (["--creation-date", "yesterday"], "not 'yesterday'"),
    (["--encoder-option", "batch_size=0"], "encoder option batch_size must be at least 1, not 0"),
    (["--encoder-option", "threads=-1"], "encoder option threads must be at least 1, not -1"),
    (["--set", "window_extra=-1"], "window_extra must be at least 0, not -1"),
    (["-t", "nan"], "threshold must be a finite number, not nan"),
    (["--cache-max-mb", "0"], "argument --cache-max-mb: must be more than 0, not '0'"),
    (["--chunk-size", "many"], "argument --chunk-size/--checkpoint-every: must be a whole number, not 'many'"),
])
def test_bad_numbers_and_values_are_refused_in_one_line(tmp_path, bad, said):
    run = bialign("align", str(ITEMS), "-o", str(tmp_path / "p.tmx"), *bad)
    assert run.returncode == 2, run.stderr
    lines = run.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and said in lines[0], lines
    assert list(tmp_path.iterdir()) == []


def test_the_window_settings_are_settable_and_recorded(tmp_path):
    config = tmp_path / "w.toml"
    config.write_text("[align]\nmin_window = 4\n")
    run = bialign("align", str(ITEMS), "--config", str(config), "--set", "window_extra=0", "-o",
                  str(tmp_path / "p.jsonl"), "--report", str(tmp_path / "r.json"))
    assert run.returncode == 0, run.stderr
    signature = json.loads((tmp_path / "r.json").read_text())["signature"]
    assert (signature["min_window"], signature["window_extra"]) == (4, 0)


def test_a_cp1251_input_is_read_with_encoding(tmp_path):
    (tmp_path / "seed.txt").write_bytes(SEED.read_text(encoding="utf-8").encode("cp1251"))
    refused = bialign("align", str(tmp_path / "seed.txt"), "-o", str(tmp_path / "no.jsonl"))
    assert refused.returncode == 1 and b"not valid UTF-8" in refused.stderr
    read = bialign("align", str(tmp_path / "seed.txt"), "-o", str(tmp_path / "p.jsonl"), "--encoding", "cp1251")
    assert read.returncode == 0, read.stderr
    assert bialign("align", str(SEED), "-o", str(tmp_path / "u.jsonl")).returncode == 0
    assert (tmp_path / "p.jsonl").read_bytes() == (tmp_path / "u.jsonl").read_bytes()


def test_messages_name_the_right_option_and_count_in_words(tmp_path):
    run = bialign("convert", str(SEED), str(tmp_path / "x.tmx"))
    message = run.stderr.decode().strip()
    assert run.returncode == 2 and "--from" in message and "--format" not in message and "output" not in message
    assert "a .txt file holds an item, not pairs" in message
    run = bialign("convert", str(DATA / "dev_pairs.jsonl"), str(tmp_path / "x.unknown"))
    assert run.returncode == 2 and "give --to (" in run.stderr.decode()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(f'{{"id": "{n}"}}\n' for n in range(8)), encoding="utf-8")
    quiet = bialign("align", str(bad), "-o", str(tmp_path / "p.jsonl")).stderr.decode()
    assert "(5 shown; -v shows all)" in quiet and "--rejects" not in quiet.split("5 shown")[1].splitlines()[0]
    kept = bialign("align", str(bad), "-o", str(tmp_path / "p.jsonl"), "--rejects", str(tmp_path / "r.jsonl")).stderr
    assert f"(5 shown; -v shows all; all are in --rejects {tmp_path / 'r.jsonl'})" in kept.decode()
    one = tmp_path / "one.jsonl"
    one.write_text((DATA / "dev_pairs.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert "bialign convert: 1 pair, jsonl -> tsv" in bialign("convert", str(one), str(tmp_path / "o.tsv")).stderr.decode()
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    forced = bialign("documents", str(SEED.parent / "seed.en.txt"), str(empty), "--force")
    assert "0 pairs written (the Russian document is empty)" in forced.stderr.decode()


def test_items_without_pairs_are_listed_with_their_reason(tmp_path):
    items = tmp_path / "mix.jsonl"
    english = "".join(json.dumps({"id": f"en{n}", "text": f"Only English here, number {n}."}) + "\n" for n in range(7))
    items.write_text(ITEMS.read_text(encoding="utf-8") + english, encoding="utf-8")
    run = bialign("align", str(items), "-o", str(tmp_path / "p.jsonl"))
    assert run.returncode == 0, run.stderr
    lines = run.stderr.decode().strip().splitlines()
    assert ("bialign align: 9 items without pairs, not both English and Russian (found: en): dev-0004, dev-0006, en0, "
            "en1, en2 and 4 more (-v lists all)") in lines, lines
    verbose = bialign("align", str(items), "-o", str(tmp_path / "p.jsonl"), "-v").stderr.decode()
    assert f"bialign: {items}:19: en6: no pairs: not both English and Russian (found: en)" in verbose.splitlines()
