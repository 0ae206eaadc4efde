"""Test sets from pairs and MT benchmarking with sacrebleu, checked against sacrebleu's CLI."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from bialign.cli import main
from bialign.errors import MissingDependencyError
from bialign.formats import read_pairs
from bialign.records import Pair
from bialign.bench.testset import TestSetFilter, build_testset, write_testset

pytest.importorskip("sacrebleu")

from bialign.bench import BenchError, format_markdown, score_systems, system_output  # noqa: E402
from conftest import DATA

DEV_PAIRS = DATA / "dev_pairs.jsonl"


def degrade(line: str, index: int) -> str:
    """A worse translation: every third word dropped and neighbours swapped."""
    words = [w for i, w in enumerate(line.split()) if (i + index) % 3]
    for i in range(0, len(words) - 1, 2):
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words) or line


@pytest.fixture(scope="module")
def testset_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    assert main(["testset", str(DEV_PAIRS), "-o", str(folder / "dev"), "-q"]) == 0
    refs = (folder / "dev.ref").read_text(encoding="utf-8").splitlines()
    (folder / "degraded.txt").write_text("".join(degrade(r, i) + "\n" for i, r in enumerate(refs)), encoding="utf-8")
    return folder


def _bench_json(capsys, *args: str) -> dict:
    assert main(["bench", str(DEV_PAIRS), "-q", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_testset_files_follow_the_direction(tmp_path):
    pairs = list(read_pairs(DEV_PAIRS))
    for direction, source_side in (("ru-en", "tgt"), ("en-ru", "src")):
        assert main(["testset", str(DEV_PAIRS), "-o", str(tmp_path / direction), "--direction", direction, "-q"]) == 0
        sources = (tmp_path / f"{direction}.src").read_text(encoding="utf-8").splitlines()
        refs = (tmp_path / f"{direction}.ref").read_text(encoding="utf-8").splitlines()
        assert len(sources) == len(refs) == len(pairs) == 60
        assert sources[0] == getattr(pairs[0], source_side).strip()


def test_filters_drop_and_count():
    pairs = [
        Pair("a", "Good pair here.", "Хорошая пара здесь.", 0.9),
        Pair("b", "Low score.", "Низкая оценка.", 0.2),
        Pair("c", "Unknown score.", "Неизвестно.", math.nan),
        Pair("d", "Short.", "Очень-очень длинное предложение, которое гораздо длиннее английского.", 0.9),
        Pair("e", "Good pair  here.", "Хорошая   пара здесь.", 0.95),  # same source, spaces aside
        Pair("f", "   ", "Пусто слева.", 0.9),
        Pair("g", "Two\nlines.", "Две строки.", 0.9),
    ]
    testset = build_testset(pairs, "ru-en", TestSetFilter(min_score=0.5, max_ratio=3.0, dedup=True))
    assert testset.dropped == {"empty": 1, "score": 2, "length_ratio": 1, "duplicate": 1}
    assert testset.sources == ("Хорошая пара здесь.", "Две строки.")
    assert testset.references == ("Good pair here.", "Two lines.")
    assert testset.flattened == 1
    assert build_testset(pairs, "en-ru").dropped == {"empty": 1, "score": 0, "length_ratio": 0, "duplicate": 0}


def test_bench_orders_systems_with_significance_and_matches_sacrebleu_cli(testset_files, capsys):
    ref, degraded = testset_files / "dev.ref", testset_files / "degraded.txt"
    result = _bench_json(capsys, "--system", f"reference={ref}", "--system", f"degraded={degraded}")
    assert set(result) == {"signature", "direction", "segments", "systems", "testset"}
    assert result["direction"] == "ru-en" and result["segments"] == 60
    assert set(result["signature"]) == {"BLEU", "chrF", "chrF++", "TER"}
    assert "tok:13a" in result["signature"]["BLEU"] and "version:" in result["signature"]["BLEU"]
    baseline, worse = result["systems"]
    assert (baseline["name"], worse["name"]) == ("reference", "degraded")
    assert baseline["BLEU"] == 100.0 and baseline["p_value"] is None
    assert worse["BLEU"] < baseline["BLEU"] and worse["chrF"] < baseline["chrF"] and worse["TER"] > baseline["TER"]
    assert worse["p_value"] < 0.05
    lo, hi = worse["BLEU_ci"]
    assert lo < worse["BLEU"] < hi < baseline["BLEU_ci"][0]
    assert result["testset"]["kept"] == 60

    def cli(*metrics: str) -> list[float]:
        done = subprocess.run([sys.executable, "-m", "sacrebleu", str(ref), "-i", str(degraded), "-m", *metrics,
                               "-b", "-w", "4"], capture_output=True, text=True, check=True)
        return [float(v) for v in json.loads(done.stdout)] if "[" in done.stdout else [float(done.stdout)]

    assert cli("bleu", "chrf", "ter") == [worse["BLEU"], worse["chrF"], worse["TER"]]
    assert cli("chrf", "--chrf-word-order", "2") == [worse["chrF++"]]


def test_bench_text_markdown_and_plot(testset_files, tmp_path, capsys):
    ref, degraded = testset_files / "dev.ref", testset_files / "degraded.txt"
    png = tmp_path / "scores.png"
    systems = ["--system", f"reference={ref}", "--system", f"degraded={degraded}", "--samples", "200"]
    assert main(["bench", str(DEV_PAIRS), *systems, "--plot", str(png)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "ru-en, 60 segments, baseline: reference"
    assert lines[1].split() == ["system", "BLEU", "BLEU", "95%", "CI", "chrF", "chrF++", "TER", "p", "(BLEU)"]
    assert lines[2].split()[:2] == ["reference", "100.00"]
    assert any(line.startswith("BLEU signature: nrefs:1|bs:200") for line in lines)
    assert "60 pairs read, 60 kept" in captured.err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["bench", str(DEV_PAIRS), *systems, "--markdown", "-q"]) == 0
    out = capsys.readouterr().out
    assert "| system | BLEU | BLEU 95% CI | chrF | chrF++ | TER | p (BLEU) |" in out
    assert "| reference | 100.00 |" in out and "- TER: `nrefs:1" in out


def test_command_systems(testset_files, capsys):
    ref = testset_files / "dev.ref"
    # A stand-in "MT system": copies its input (Russian) to its output, line by line.
    copy = f"cmd:{sys.executable} -c \"import sys; sys.stdout.write(sys.stdin.read())\""
    result = _bench_json(capsys, "--system", f"reference={ref}", "--system", f"copy={copy}",
                         "--system", "cat=cat", "--samples", "100")
    names = [s["name"] for s in result["systems"]]
    assert names == ["reference", "copy", "cat"]
    assert result["systems"][1]["BLEU"] == result["systems"][2]["BLEU"] < 5


@pytest.mark.parametrize("spec,message", [
    ("cmd:exit 3", "failed with exit code 3"),
    ("cmd:head -n 2", "wrote 2 lines for 60 source lines"),
    ("cmd:sleep 30", "did not finish within 0.5 s"),
])
def test_failing_commands_give_clear_errors(spec, message, capsys):
    assert main(["bench", str(DEV_PAIRS), "-q", "--timeout", "0.5", "--system", f"bad={spec}"]) == 2
    assert message in capsys.readouterr().err


def test_hypothesis_file_of_wrong_length(tmp_path, capsys):
    short = tmp_path / "short.txt"
    short.write_text("one\ntwo\n", encoding="utf-8")
    assert main(["bench", str(DEV_PAIRS), "-q", "--system", f"short={short}"]) == 2
    assert "has 2 lines, the test set 60" in capsys.readouterr().err


def test_bench_reports_filters_in_json_and_on_stderr(testset_files, tmp_path, capsys):
    pairs = tmp_path / "pairs.jsonl"
    records = [json.loads(line) for line in DEV_PAIRS.read_text(encoding="utf-8").splitlines()]
    for i, record in enumerate(records):
        record["score"] = 0.3 if i % 10 == 0 else 0.8
    records.append(dict(records[1]))  # a duplicate
    pairs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert main(["testset", str(pairs), "-o", str(tmp_path / "f"), "--min-score", "0.5", "--dedup"]) == 0
    assert "61 pairs read, 54 kept; dropped by filter: empty: 0, score: 6, length_ratio: 0, duplicate: 1" \
        in capsys.readouterr().err
    ref = tmp_path / "f.ref"
    assert main(["bench", str(pairs), "--json", "--min-score", "0.5", "--dedup", "--samples", "50",
                 "--system", f"ref={ref}"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["segments"] == 54
    assert result["testset"]["dropped"] == {"empty": 0, "score": 6, "length_ratio": 0, "duplicate": 1}
    assert "dropped by filter" in captured.err


def test_library_api_and_missing_extras(monkeypatch, tmp_path):
    refs = ["The cat sat on the mat.", "It was raining all day long."]
    result = score_systems(refs, [("good", refs), ("bad", ["A dog.", "Sun shone."])], n_samples=50)
    assert [s.name for s in result.systems] == ["good", "bad"]
    assert result.systems[0].scores["BLEU"] == pytest.approx(100.0)
    assert result.systems[1].scores["BLEU"] < 50
    assert "| good | 100.00 |" in format_markdown(result)
    with pytest.raises(BenchError, match="must differ"):
        score_systems(refs, [("a", refs), ("a", refs)])
    assert system_output("x", "cmd:tr a-z A-Z", ["abc", "d e"]) == ["ABC", "D E"]
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    from bialign.bench import plot

    with pytest.raises(MissingDependencyError, match=r"bialign\[plot\]"):
        plot(result, tmp_path / "x.png")
    monkeypatch.setitem(sys.modules, "sacrebleu", None)
    with pytest.raises(MissingDependencyError, match=r"bialign\[bench\]"):
        score_systems(refs, [("good", refs)])


def test_write_testset_round_trips_lines(tmp_path):
    pairs = [Pair("a", "Line\u2028with separator.", "Строка\r\nс переводом.", 0.9)]
    testset = build_testset(pairs, "en-ru")
    src, ref = write_testset(testset, tmp_path / "t")
    assert src.read_text(encoding="utf-8") == "Line with separator.\n"
    assert ref.read_text(encoding="utf-8") == "Строка с переводом.\n"


def test_intervals_of_a_short_test_set_stay_within_the_metric_range():
    from bialign.bench import score_systems

    # one line right, four wrong: unclipped, the bootstrap interval of BLEU starts near -10
    references = ["the cat sat on the mat today", "a dog barked twice at night", "it rained all day in the city",
                  "the minister met the delegation", "prices rose by ten percent"]
    systems = [("base", ["the cat sat on the mat today", "x y", "z w", "q r", "s t"]),
               ("other", ["the cat sat on the mat today", "a dog", "no", "nothing", "none at all"])]
    result = score_systems(references, systems, n_samples=200)
    assert result.systems[0].intervals["BLEU"][0] == 0.0
    for system in result.systems:
        for metric, (low, high) in system.intervals.items():
            assert low >= 0.0, (system.name, metric, low)
            assert metric == "TER" or high <= 100.0
