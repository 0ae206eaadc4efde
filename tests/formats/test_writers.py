import json

import pytest

from bialign.errors import UnknownNameError
from bialign.formats import format_for_path, open_writer
from bialign.records import Pair

PAIRS = [
    Pair("item-1", "Talks <ended> & resumed.", "Переговоры «завершились».", 0.81234, (1,), (1,)),
    Pair("item-1", "Tab\there.", "Табуляция\u2028здесь.", 0.6, (2,), (2,)),
]


def test_format_follows_extension():
    assert format_for_path("out.tmx") == "tmx"
    assert format_for_path("out.tsv.gz") == "tsv"
    assert format_for_path("x.bin", "jsonl") == "jsonl"
    with pytest.raises(UnknownNameError):
        format_for_path("out.bin")


def test_jsonl(tmp_path):
    path = tmp_path / "p.jsonl"
    with open_writer(path) as writer:
        writer.write_all(PAIRS)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert records[0]["src"] == PAIRS[0].src and records[0]["tgt"] == PAIRS[0].tgt
    assert records[0]["score"] == 0.8123 and records[0]["src_lang"] == "en"
    assert "«" in path.read_text(encoding="utf-8")  # not escaped


def test_tsv_columns_and_header(tmp_path):
    path = tmp_path / "p.tsv"
    with open_writer(path, header=True) as writer:
        writer.write_all(PAIRS)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "src\ttgt\tscore\tid"
    assert lines[1].split("\t") == [PAIRS[0].src, PAIRS[0].tgt, "0.8123", "item-1"]
    assert lines[2].split("\t")[:2] == ["Tab here.", "Табуляция здесь."]
    assert len([line for line in lines if line]) == 3


def test_moses_writes_two_aligned_files(tmp_path):
    with open_writer(tmp_path / "corpus.moses") as writer:
        writer.write_all(PAIRS)
    en = (tmp_path / "corpus.en").read_text(encoding="utf-8").splitlines()
    ru = (tmp_path / "corpus.ru").read_text(encoding="utf-8").splitlines()
    assert len(en) == len(ru) == 2
    assert ru[0] == PAIRS[0].tgt


def test_tmx_is_valid_against_the_dtd(tmp_path):
    lxml = pytest.importorskip("lxml.etree")
    from conftest import DATA

    path = tmp_path / "p.tmx"
    with open_writer(path, signature={"bialign": "test"}, creation_date="20200101T000000Z") as writer:
        writer.write_all(PAIRS + [Pair("i\x01d", "bad\x00char\x1f", "ok", 0.5)])
    dtd = lxml.DTD(str(DATA / "tmx14.dtd"))
    tree = lxml.parse(str(path))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    segs = tree.findall(".//seg")
    assert segs[0].text == PAIRS[0].src
    assert segs[-2].text == "badchar"
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [t.get(xml_lang) for t in tree.findall(".//tuv")][:2] == ["en", "ru"]


def test_failed_run_leaves_no_output(tmp_path):
    path = tmp_path / "p.jsonl"
    with pytest.raises(RuntimeError):
        with open_writer(path) as writer:
            writer.write(PAIRS[0])
            raise RuntimeError("interrupted")
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


# --- readers, changes, TMX details --------------------------------------------------------

import math  # noqa: E402

from bialign.errors import InputError  # noqa: E402
from bialign.formats import READERS, WRITERS, read_pairs  # noqa: E402

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_every_writer_format_has_a_reader():
    assert set(READERS) == set(WRITERS) == {"jsonl", "tsv", "tmx", "moses"}


def test_tmx_header_and_tu_props(tmp_path):
    lxml = pytest.importorskip("lxml.etree")
    path = tmp_path / "p.tmx"
    signature = {"bialign": "0.1.0", "encoder": "usem3"}
    with open_writer(path, signature=signature, creation_date="20200101T000000Z") as writer:
        writer.write_all(PAIRS)
    tree = lxml.parse(str(path))
    header = tree.find("header")
    for attribute in ("creationtool", "creationtoolversion", "srclang", "segtype", "o-tmf", "adminlang", "datatype"):
        assert header.get(attribute), attribute
    assert header.get("segtype") == "sentence" and header.get("datatype") == "plaintext"
    tus = tree.findall(".//tu")
    assert [tu.get("tuid") for tu in tus] == ["1", "2"]
    props = {p.get("type"): p.text for p in tus[0].findall("prop")}
    assert props["x-bialign-item"] == "item-1"
    assert props["x-bialign-score"] == "0.8123"
    assert props["x-bialign-src-index"] == "1"
    # the signature is the header's, once: not repeated in every tu
    assert [p.text for p in header.findall("prop")] == ["bialign:0.1.0|encoder:usem3"]
    assert not any(p.get("type") == "x-bialign-signature" for tu in tus for p in tu.findall("prop"))
    assert path.read_text(encoding="utf-8").count("encoder:usem3") == 1
    # prop elements come before the tuv elements (the DTD's order)
    assert [child.tag for child in tus[0]][-2:] == ["tuv", "tuv"]


def test_tmx_read_by_translate_toolkit(tmp_path):
    tmx = pytest.importorskip("translate.storage.tmx")
    path = tmp_path / "p.tmx"
    hostile = Pair("x", "a < b & \"c\" 'd'\tтаб\n😀\u200f", "«Привет» \u202bמ\u202c", 0.5)
    with open_writer(path, signature={"bialign": "t"}) as writer:
        writer.write_all(PAIRS + [hostile])
    store = tmx.tmxfile.parsefile(str(path))
    units = store.units
    assert len(units) == 3
    assert [u.source for u in units] == [p.src for p in PAIRS + [hostile]]
    assert [u.target for u in units] == [p.tgt for p in PAIRS + [hostile]]
    assert store.sourcelanguage == "en"
    assert [u.getid() for u in units] == ["1", "2", "3"]


def test_toolkit_tmx_is_read_back(tmp_path):
    tmx = pytest.importorskip("translate.storage.tmx")
    store = tmx.tmxfile(sourcelanguage="en", targetlanguage="ru")
    unit = store.addsourceunit("Talks & <tags>")
    unit.target = "Переговоры"
    unit.addnote("a translator's note", origin="translator")
    path = tmp_path / "toolkit.tmx"
    path.write_bytes(bytes(store))
    pairs = list(read_pairs(path))
    assert [(p.src, p.tgt, p.src_lang, p.tgt_lang) for p in pairs] == [("Talks & <tags>", "Переговоры", "en", "ru")]
    assert math.isnan(pairs[0].score)


FOREIGN_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.1">
<header creationtool="other" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en-US"
        srclang="EN-US" datatype="html"><note>a header note</note></header>
<body>
<tu tuid="a1" srclang="EN-US">
  <prop type="x-domain">news</prop><note>checked</note>
  <tuv lang="EN-US"><seg>Press <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept> now<ph x="2">&lt;br/&gt;</ph>.</seg></tuv>
  <tuv lang="ru-RU"><seg>Нажмите <hi type="b">здесь</hi>.</seg></tuv>
</tu>
<tu tuid="only-en"><tuv xml:lang="en"><seg>No Russian here.</seg></tuv></tu>
<tu tuid="a3">
  <tuv xml:lang="de"><seg>Deutsch</seg></tuv>
  <tuv xml:lang="ru"><seg>Русский</seg></tuv>
  <tuv xml:lang="en-GB"><seg>English</seg></tuv>
</tu>
</body>
</tmx>
"""


def test_foreign_tmx_lang_attributes_inline_markup_and_notes(tmp_path):
    path = tmp_path / "foreign.tmx"
    path.write_text(FOREIGN_TMX, encoding="utf-8")
    pairs = list(read_pairs(path))
    assert [(p.id, p.src, p.tgt) for p in pairs] == [
        ("a1", "Press here now.", "Нажмите здесь."),
        ("a3", "English", "Русский"),
    ]
    assert (pairs[0].src_lang, pairs[0].tgt_lang) == ("EN-US", "ru-RU")


def test_namespaced_tmx_is_read(tmp_path):
    path = tmp_path / "ns.tmx"
    path.write_text('<tmx xmlns="urn:x" version="1.4"><header srclang="en"/><body><tu>'
                    '<tuv xml:lang="en"><seg>Hi</seg></tuv><tuv xml:lang="ru"><seg>Привет</seg></tuv>'
                    "</tu></body></tmx>", encoding="utf-8")
    assert [(p.src, p.tgt) for p in read_pairs(path)] == [("Hi", "Привет")]


def test_entity_expansion_bomb_is_refused(tmp_path):
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    path = tmp_path / "bomb.tmx"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE tmx [{entities}]><tmx version="1.4"><body><tu>'
                    '<tuv xml:lang="en"><seg>&a9;</seg></tuv><tuv xml:lang="ru"><seg>x</seg></tuv>'
                    "</tu></body></tmx>", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable TMX"):
        list(read_pairs(path))


def test_external_entities_are_not_loaded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    path = tmp_path / "xxe.tmx"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
                    '<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&x;</seg></tuv>'
                    '<tuv xml:lang="ru"><seg>y</seg></tuv></tu></body></tmx>', encoding="utf-8")
    try:
        pairs = list(read_pairs(path))
    except InputError:
        return
    assert all("SECRET" not in p.src for p in pairs)


def test_malformed_tmx_names_the_file(tmp_path):
    path = tmp_path / "bad.tmx"
    path.write_text("<tmx><body><tu>", encoding="utf-8")
    with pytest.raises(InputError, match="bad.tmx"):
        list(read_pairs(path))


def test_writers_count_what_they_change(tmp_path):
    pairs = [Pair("a\tb", "one\ttwo", "три\nчетыре", 0.5), Pair("c", "clean", "чисто", 0.5),
             Pair("d", "bell\x07", "ok", 0.5)]
    expected = {"jsonl": {}, "tsv": {"id": 1, "src": 1, "tgt": 1}, "moses": {"src": 1, "tgt": 1},
                "tmx": {"src": 1}}
    for fmt, changes in expected.items():
        with open_writer(tmp_path / f"out.{fmt}", fmt) as writer:
            writer.write_all(pairs)
        assert dict(writer.changes) == changes, fmt
        assert writer.changed == sum(changes.values())


def test_lone_surrogates_never_crash_a_writer(tmp_path):
    pair = Pair("id", "bad \ud800 half", "ok \udfff", 0.5)
    for fmt in WRITERS:
        with open_writer(tmp_path / f"s.{fmt}", fmt) as writer:
            writer.write(pair)
        assert writer.changes["src"] == 1 and writer.changes["tgt"] == 1
        back = list(read_pairs(tmp_path / f"s.{fmt}", fmt))
        assert (back[0].src, back[0].tgt) == ("bad  half", "ok ")


def test_unknown_score_round_trips_as_nan(tmp_path):
    pair = Pair("id", "a", "b", math.nan)
    for fmt in ("jsonl", "tsv", "tmx"):
        with open_writer(tmp_path / f"n.{fmt}", fmt) as writer:
            writer.write(pair)
        assert math.isnan(next(read_pairs(tmp_path / f"n.{fmt}")).score), fmt
    assert '"score": null' in (tmp_path / "n.jsonl").read_text(encoding="utf-8")


def test_tsv_reader_header_and_two_columns(tmp_path):
    path = tmp_path / "h.tsv"
    with open_writer(path, header=True) as writer:
        writer.write_all(PAIRS[:1])
    [pair] = read_pairs(path)
    assert (pair.src, pair.tgt, pair.score, pair.id) == (PAIRS[0].src, PAIRS[0].tgt, 0.8123, "item-1")
    plain = tmp_path / "plain.tsv"
    plain.write_text("Hello\tПривет\r\nBye\tПока\n", encoding="utf-8")
    assert [(p.src, p.tgt) for p in read_pairs(plain)] == [("Hello", "Привет"), ("Bye", "Пока")]
    bad = tmp_path / "bad.tsv"
    bad.write_text("only one field\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.tsv:1"):
        list(read_pairs(bad))


def test_moses_reader_checks_line_counts(tmp_path):
    (tmp_path / "c.en").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "c.ru").write_text("а\n", encoding="utf-8")
    with pytest.raises(InputError, match="fewer lines"):
        list(read_pairs(tmp_path / "c.en"))
    (tmp_path / "c.ru").write_text("а\nб\nв\n", encoding="utf-8")
    with pytest.raises(InputError, match="more lines"):
        list(read_pairs(tmp_path / "c.moses"))
    (tmp_path / "c.ru").write_text("а\u2028x\r\nб\n", encoding="utf-8")
    assert [p.tgt for p in read_pairs(tmp_path / "c.ru")] == ["а\u2028x\r", "б"]


def test_jsonl_reader_accepts_en_ru_keys_and_names_bad_lines(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "g1", "en": "Hi", "ru": "Привет"}\n\n{"id": "g2"}\n', encoding="utf-8")
    reader = read_pairs(path)
    first = next(reader)
    assert (first.id, first.src, first.tgt) == ("g1", "Hi", "Привет")
    with pytest.raises(InputError, match="g.jsonl:3"):
        next(reader)
