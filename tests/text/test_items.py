import gzip
import json

import pytest

from bialign.text.items import Item, ReadOptions, Rejected, read_items


def test_txt_item_id_is_file_name(tmp_path):
    (tmp_path / "story-1.txt").write_text("Hello world.\n", encoding="utf-8")
    [item] = list(read_items([tmp_path / "story-1.txt"]))
    assert isinstance(item, Item)
    assert item.id == "story-1"
    assert item.text == "Hello world.\n"


def test_jsonl_and_gzip_stream_in_order(tmp_path):
    lines = [json.dumps({"id": f"a{i}", "text": f"Text {i}."}) for i in range(3)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "b0", "text": "Zipped."}) + "\n")
    ids = [r.id for r in read_items([tmp_path])]
    assert ids == ["a0", "a1", "a2", "b0"]


def test_one_path_may_be_given_without_a_list(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": "only", "text": "Text."}) + "\n", encoding="utf-8")
    assert [r.id for r in read_items(str(path))] == ["only"]
    assert [r.id for r in read_items(path)] == ["only"]


def test_directory_is_sorted_and_recursive(tmp_path):
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "b.txt").write_text("B.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert [r.id for r in read_items([tmp_path])] == ["a", "b"]


def test_bad_records_are_rejected_with_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(
        b'{"id": "ok", "text": "Fine."}\n'
        b"not json\n"
        b"[1, 2]\n"
        b'{"id": "x"}\n'
        b'{"id": "y", "text": 5}\n'
        b'{"id": "z", "text": "\xff\xfe"}\n'
    )
    results = list(read_items([path, tmp_path / "missing.txt"]))
    assert isinstance(results[0], Item)
    rejected = results[1:]
    assert all(isinstance(r, Rejected) for r in rejected)
    assert [r.line for r in rejected[:5]] == [2, 3, 4, 5, 6]
    assert "not JSON" in rejected[0].reason
    assert "not a JSON object" in rejected[1].reason
    assert "no 'text'" in rejected[2].reason
    assert "not a string" in rejected[3].reason
    assert "UTF-8" in rejected[4].reason
    assert "no such file" in rejected[5].reason and rejected[5].line is None


def test_invalid_utf8_can_be_replaced(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 story.".encode("latin-1"))
    [rejected] = list(read_items([path]))
    assert isinstance(rejected, Rejected) and rejected.raw == ""
    assert rejected.original() == "Caf\xe9 story.".encode("latin-1")  # kept exactly, as base64
    [item] = list(read_items([path], ReadOptions(encoding_errors="replace")))
    assert item.text == "Caf\ufffd story." and "replaced" in item.repaired


def test_crlf_and_line_separators_stay_inside_a_jsonl_record(tmp_path):
    path = tmp_path / "seps.jsonl"
    path.write_bytes(json.dumps({"id": "s", "text": "One.\r\nTwo\u2028three."}, ensure_ascii=False).encode() + b"\r\n")
    [item] = list(read_items([path]))
    assert item.text == "One.\r\nTwo\u2028three."


def test_duplicate_ids_are_found_in_a_large_corpus_with_their_first_place(tmp_path):
    from bialign.text.items import _Ids

    path = tmp_path / "many.jsonl"
    lines = [json.dumps({"id": f"item-{i}", "text": "Text."}) for i in range(20000)]
    lines += [json.dumps({"id": "item-7", "text": "Again."}), json.dumps({"id": "item-19999", "text": "Again."})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rejected = [r for r in read_items(path) if isinstance(r, Rejected)]
    assert [r.reason for r in rejected] == [f"duplicate id: 'item-7' (first at {path}:8)",
                                            f"duplicate id: 'item-19999' (first at {path}:20000)"]
    ids = _Ids(ReadOptions())
    for i in range(20000):
        assert ids.duplicate(f"id-{i}", "a.jsonl", i + 1) is None
    assert ids.duplicate("id-123", "b.jsonl", 1) == "duplicate id: 'id-123' (first at a.jsonl:124)"
    assert (ids._hashes.itemsize + ids._places.itemsize) * len(ids._hashes) / 20000 <= 64  # bytes an id


def test_inputs_in_another_encoding_are_read_with_encoding(tmp_path):
    from bialign.errors import SettingsError

    text = "Talks ended.\n\nПереговоры завершились вчера в Баку.\n"
    (tmp_path / "a.txt").write_bytes(text.encode("cp1251"))
    (tmp_path / "b.jsonl").write_bytes((json.dumps({"id": "b", "text": text}, ensure_ascii=False) + "\n").encode("koi8-r"))
    assert [r.reason for r in read_items([tmp_path / "a.txt"])] == ["not valid UTF-8"]
    for name, encoding in (("a.txt", "cp1251"), ("b.jsonl", "koi8-r")):
        [item] = read_items([tmp_path / name], ReadOptions(encoding=encoding))
        assert isinstance(item, Item) and item.text == text and not item.repaired
    (tmp_path / "c.txt").write_bytes(text.encode("cp1251") + b"\x98")  # a byte cp1251 leaves undefined
    [bad] = read_items([tmp_path / "c.txt"], ReadOptions(encoding="cp1251"))
    assert bad.reason == "not valid cp1251" and bad.original() == text.encode("cp1251") + b"\x98"
    [fixed] = read_items([tmp_path / "c.txt"], ReadOptions(encoding="cp1251", encoding_errors="replace"))
    assert fixed.text == text + "\ufffd" and fixed.repaired == "invalid cp1251 replaced"
    for wrong in ("utf-16", "no-such-encoding"):
        with pytest.raises(SettingsError, match=wrong):
            ReadOptions(encoding=wrong)
