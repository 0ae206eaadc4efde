"""Two-document alignment on the command line: an English file and a Russian file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bialign import detect_segments
from bialign.cli import main
from conftest import ROOT


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


SEED_EN, SEED_RU = (str(ROOT / "examples" / f"seed.{lang}.txt") for lang in ("en", "ru"))


def test_documents_in_the_wrong_languages_are_refused_in_one_line(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    cases = [((SEED_RU, SEED_EN), "the documents are swapped: the English one is Russian and the Russian one English"),
             ((SEED_EN, SEED_EN), "the Russian document is English (en)"),
             ((SEED_RU, SEED_RU), "the English document is Russian (ru)"),
             ((SEED_EN, str(empty)), "the Russian document has no text")]
    for (english, russian), said in cases:
        output = tmp_path / "out.jsonl"
        assert main(["documents", english, russian, "-o", str(output)]) == 2
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and said in lines[0] and english in lines[0] and "--force" in lines[0], lines
        assert not output.exists()
    assert main(["documents", SEED_RU, SEED_EN, "-o", str(tmp_path / "forced.jsonl"), "--force", "-q"]) == 0
    assert (tmp_path / "forced.jsonl").read_text(encoding="utf-8").count("\n") == 3


def test_document_records_in_the_wrong_languages_are_rejected_and_forced(tmp_path, capsys):
    en, ru = "The talks ended today. Both sides agreed.", "Переговоры завершились сегодня. Обе стороны согласились."
    items = tmp_path / "docs.jsonl"
    items.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (
        {"id": "ok", "en": en, "ru": ru}, {"id": "swapped", "en": ru, "ru": en}, {"id": "two-en", "en": en, "ru": en})),
        encoding="utf-8")
    assert main(["align", str(items), "-o", str(tmp_path / "p.jsonl"), "--report", str(tmp_path / "r.json")]) == 0
    report = json.loads((tmp_path / "r.json").read_text())
    assert (report["aligned"], report["rejected"]) == (1, 2)
    assert {json.loads(line)["id"] for line in (tmp_path / "p.jsonl").read_text().splitlines()} == {"ok"}
    err = capsys.readouterr().err
    assert "docs.jsonl:2: the documents are swapped" in err and "docs.jsonl:3: the Russian document is English" in err
    assert main(["align", str(items), "-o", str(tmp_path / "f.jsonl"), "--force", "-q"]) == 0
    assert {json.loads(line)["id"] for line in (tmp_path / "f.jsonl").read_text().splitlines()} == {
        "ok", "swapped", "two-en"}


def test_align_documents_checks_languages_and_refuses_file_names(default_embedder):
    from bialign import align_documents, align_text
    from bialign.text.documents import DocumentLanguageError
    from bialign.errors import InputError

    en, ru = Path(SEED_EN).read_text(encoding="utf-8"), Path(SEED_RU).read_text(encoding="utf-8")
    with pytest.raises(DocumentLanguageError, match="swapped"):
        align_documents(ru, en, default_embedder)
    assert len(align_documents(ru, en, default_embedder, force=True)) == 3
    for call in (lambda: align_documents("a.txt", "b.txt", default_embedder),
                 lambda: align_documents(SEED_EN, SEED_RU, default_embedder),
                 lambda: align_text("examples/seed.txt", default_embedder)):
        with pytest.raises(InputError, match="not a file name"):
            call()
    assert align_text("Hello.", default_embedder) == []  # a short text is still a text


def _folders(tmp_path):
    """An English and a Russian folder: two pairs by name (one in a subfolder, one named by language)
    and an English document without its Russian one."""
    en, ru = tmp_path / "en", tmp_path / "ru"
    (en / "news").mkdir(parents=True)
    (ru / "news").mkdir(parents=True)
    (en / "news" / "seed.txt").write_text((ROOT / "examples" / "seed.en.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (ru / "news" / "seed.txt").write_text((ROOT / "examples" / "seed.ru.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (en / "talks.en").write_text("The talks ended on Saturday.\nThe weather was cold.\nBoth sides agreed.\n",
                                 encoding="utf-8")
    (ru / "talks.ru").write_text("Переговоры завершились в субботу.\nОбе стороны согласились.\n", encoding="utf-8")
    (en / "lonely.txt").write_text("This English document has no Russian one.\n", encoding="utf-8")
    return en, ru


def test_folders_pair_documents_by_name_and_report_one_sided_files(tmp_path, capsys):
    en, ru = _folders(tmp_path)
    out = tmp_path / "pairs.jsonl"
    assert main(["documents", str(en), str(ru), "-o", str(out), "--sentence-per-line",
                 "--rejects", str(tmp_path / "rejects.jsonl"), "--beads", str(tmp_path / "beads.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "no Russian document named lonely" in err and "rejected: 1" in err
    pairs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {p["id"] for p in pairs} == {"news/seed", "talks"}
    assert [json.loads(line)["id"] for line in (tmp_path / "rejects.jsonl").read_text(encoding="utf-8").splitlines()] \
        == ["lonely"]
    beads = [json.loads(line) for line in (tmp_path / "beads.jsonl").read_text(encoding="utf-8").splitlines()]
    talks = [(b["en"], b["ru"]) for b in beads if b["id"] == "talks"]
    assert talks == [([0], [0]), ([1], []), ([2], [1])]  # the English sentence left out is a bead of its own


def test_a_document_too_large_is_rejected_like_an_item_keeping_what_was_read(tmp_path):
    from bialign.text.items import ReadOptions, read_document_folders

    en, ru = _folders(tmp_path)
    [record] = [r for r in read_document_folders(en, ru, ReadOptions(max_chars=10)) if r.id == "talks"]
    assert record.reason.startswith("document too large") and record.truncated
    assert (en / "talks.en").read_text(encoding="utf-8").startswith(record.raw) and record.raw


def test_the_progress_total_of_folders_is_their_documents(tmp_path):
    from bialign.text.items import input_bytes

    en, ru = _folders(tmp_path)
    (en / ".hidden.en").write_text("Not a document.", encoding="utf-8")
    documents = [f for root in (en, ru) for f in root.rglob("*") if f.is_file() and not f.name.startswith(".")]
    assert input_bytes([en, ru], documents=True) == sum(f.stat().st_size for f in documents) > 0


def test_folders_run_resumable_and_on_workers_to_the_same_files(tmp_path):
    en, ru = _folders(tmp_path)
    beads_dir = tmp_path / "ladders"
    beads_dir.mkdir()
    outputs = {}
    for name, extra in (("one", []), ("two", ["-j", "2", "--chunk-size", "1"]), ("resumed", ["--resume"])):
        out = tmp_path / f"{name}.tsv"
        assert main(["documents", str(en), str(ru), "-o", str(out), "-q", *extra]) == 0
        outputs[name] = out.read_bytes()
    assert outputs["one"] == outputs["two"] == outputs["resumed"]
    assert main(["documents", str(en), str(ru), "-o", str(tmp_path / "x.jsonl"), "-q", "--beads", str(beads_dir)]) == 0
    assert sorted(p.relative_to(beads_dir).as_posix() for p in beads_dir.rglob("*.ladder")) == \
        ["news/seed.ladder", "talks.ladder"]


def test_beads_outputs_are_refused_before_any_work_when_they_cannot_be_written(tmp_path, capsys):
    en, ru = _folders(tmp_path)
    assert main(["documents", str(en), str(ru), "-o", str(tmp_path / "p.jsonl"), "--beads",
                 str(tmp_path / "all.ladder")]) == 2
    assert "a ladder file holds the alignment of one document pair" in capsys.readouterr().err
    assert not (tmp_path / "p.jsonl").exists()
    assert main(["documents", str(en / "talks.en"), str(ru), "-o", str(tmp_path / "p.jsonl")]) == 2
    assert "give two files, or two folders" in capsys.readouterr().err


def test_one_document_pair_writes_its_ladder_into_a_directory(tmp_path, capsys):
    ladders = tmp_path / "ladders"
    ladders.mkdir()
    assert main(["documents", SEED_EN, SEED_RU, "-o", str(tmp_path / "p.jsonl"), "--beads", str(ladders),
                 "--id", "seed", "-q"]) == 0
    pairs = (tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()
    ladder = (ladders / "seed.ladder").read_text(encoding="utf-8").splitlines()
    assert len(pairs) == 3 and sum("[]" not in line for line in ladder) == 3  # a bead of both sides a pair
    assert main(["documents", SEED_EN, SEED_RU, "-o", str(tmp_path / "q.jsonl"), "--beads",
                 str(tmp_path / "missing" / "seed.ladder")]) == 2
    assert "the directory" in capsys.readouterr().err and not (tmp_path / "q.jsonl").exists()


def test_align_documents_gives_the_full_alignment_with_beads(default_embedder):
    import bialign

    en = "The talks ended on Saturday.\nThe weather was cold.\nBoth sides agreed.\n"
    ru = "Переговоры завершились в субботу.\nОбе стороны согласились.\n"
    beads = bialign.align_documents(en, ru, default_embedder, sentence_per_line=True, beads=True)
    assert [(b.en, b.ru) for b in beads] == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    assert len(bialign.align_documents(en, ru, default_embedder, sentence_per_line=True)) == 2
