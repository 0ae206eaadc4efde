"""Two-document alignment on the command line: an English file and a Russian file."""

from __future__ import annotations

import json

from bialign import detect_segments
from bialign.cli import main


def test_documents_command_gives_the_seed_pairs(tmp_path, seed_text, capsys):
    english, russian = (seed_text[s.start:s.end] for s in detect_segments(seed_text))
    (tmp_path / "seed.en.txt").write_text(english, encoding="utf-8")
    (tmp_path / "seed.ru.txt").write_text(russian, encoding="utf-8")
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    assert main(["documents", str(tmp_path / "seed.en.txt"), str(tmp_path / "seed.ru.txt"),
                 "-o", str(tmp_path / "docs.jsonl"), "--id", "seed", "-q"]) == 0
    assert main(["align", str(tmp_path / "seed.txt"), "-o", str(tmp_path / "mixed.jsonl"), "-q"]) == 0
    docs = [json.loads(line) for line in (tmp_path / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    mixed = [json.loads(line) for line in (tmp_path / "mixed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(docs) == 3 and docs == mixed


def test_documents_command_reads_one_sentence_a_line_and_refuses_a_missing_file(tmp_path, capsys):
    (tmp_path / "a.en").write_text("The talks ended on Saturday.\nThe weather was cold.\n", encoding="utf-8")
    (tmp_path / "a.ru").write_text("Переговоры завершились в субботу.\n", encoding="utf-8")
    assert main(["documents", str(tmp_path / "a.en"), str(tmp_path / "a.ru"), "--sentence-per-line",
                 "-f", "tsv", "-q"]) == 0
    assert capsys.readouterr().out.startswith("The talks ended on Saturday.\tПереговоры завершились в субботу.\t")
    assert main(["documents", str(tmp_path / "a.en"), str(tmp_path / "missing.ru")]) == 2
    assert "no such input" in capsys.readouterr().err
