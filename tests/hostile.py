"""A corpus with every kind of broken or awkward input, for the reliability tests.

``build(directory)`` writes it and returns what a run must account for: the paths to
give on the command line and the number of input items they hold.
"""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CLEAN = DATA / "clean12.items.jsonl"

EN = ("date 2021-03-02 Parliament approves the new budget\n\nThe parliament approved the new budget on Tuesday "
      "after a long debate. The vote was close, with many members absent. The budget raises spending on schools.")
RU = "Парламент утвердил новый бюджет\n\nПарламент во вторник утвердил новый бюджет после долгих дебатов. Голосование было напряжённым."
UK = ("Парламент ухвалив новий бюджет після тривалих дебатів. Голосування було напруженим, і багато депутатів "
      "були відсутні. Бюджет також збільшує видатки на освіту та охорону здоров'я.")
KK_CYRILLIC = ("Парламент ұзақ пікірталастан кейін жаңа бюджетті қабылдады. Дауыс беру шиеленісті өтті, көптеген "
               "депутаттар қатыспады. Бюджет білім беру мен денсаулық сақтау шығындарын көбейтеді.")
KK_LATIN = ("Parlament uzaq pikirtalastan keıin jańa bıýjetti qabyldady. Daýys berý shıelenisti ótti, kóptegen "
            "depýtattar qatyspady. Bıýjet bilim berý men densaýlyq saqtaý shyǵyndaryn kóbeıtedi.")
AZ = ("Parlament uzun müzakirələrdən sonra yeni büdcəni qəbul etdi. Səsvermə gərgin keçdi, bir çox deputat "
      "iştirak etmədi. Büdcə təhsil və səhiyyə xərclərini artırır.")


@dataclass(frozen=True)
class Corpus:
    paths: list[str]
    items: int  # input items the paths hold (JSONL lines, .txt files, unreadable files)
    clean_ids: list[str]


def _line(record: object) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


def hostile_lines(clean_first_id: str) -> list[bytes]:
    """One JSONL line per awkward case; each is one item."""
    long_en = "The committee said that " + "the report, which was long, " * 360 + "was approved."
    long_ru = "Комитет заявил, что " + "доклад, который был длинным, " * 330 + "был одобрен."
    switches = "\n".join(f"This is English sentence number {i} about the budget. Это русское предложение номер {i} о бюджете."
                         for i in range(60))
    return [
        b"not json at all\n",
        b"[1, 2, 3]\n",
        b'"just a string"\n',
        _line({"id": "h-notext", "body": "no text field"}),
        _line({"id": "h-int", "text": 42}),
        _line({"id": "h-null", "text": None}),
        _line({"id": "h-list", "text": ["a", "b"]}),
        _line({"id": "h-empty", "text": ""}),
        _line({"id": "h-space", "text": " \n\t \u3000 "}),
        b'{"id": "h-latin1", "text": "Caf\xe9 au lait \xff\xfe story."}\n',
        _line({"id": "h-nul", "text": "Binary\x00data\x00here"}),
        _line({"id": "h-binary", "text": "\x01\x02\x03\x04\x05\x06\x07\x08abc"}),
        _line({"id": "h-ctrl", "text": EN + "\x1b[31m\x07 odd \x01 controls\n\n" + RU}),
        _line({"id": "h-crlf", "text": (EN + "\n\n" + RU).replace("\n", "\r\n")}).replace(b"\n", b"\r\n"),
        _line({"id": "h-cr", "text": (EN + "\n\n" + RU).replace("\n", "\r")}),
        _line({"id": "h-seps", "text": EN.replace("\n\n", "\u2028") + "\u0085\u2029" + RU.replace("\n\n", "\u2028")}),
        _line({"id": "h-marks", "text": "\u200b\ufeff" + EN.replace(" ", " \u200b", 5) + "\u200e\n\n\u202e" + RU
               .replace(" ", "\u200d ", 5) + "\u202c\u2066x\u2069"}),
        _line({"id": "h-zw-only", "text": "\u200b\u200c\u200d\u2060"}),
        _line({"id": clean_first_id, "text": EN + "\n\n" + RU}),  # duplicate of the first clean item
        b'{"id": "h-surrogate", "text": "broken \\ud800 pair"}\n',
        b'{"id": "h-surrogate-id\\udfff", "text": "fine text"}\n',
        _line({"id": "h-long", "text": long_en + "\n\n" + long_ru}),
        _line({"id": "h-switches", "text": switches}),
        _line({"id": "h-uk", "text": EN + "\n\n" + UK}),
        _line({"id": "h-kk", "text": EN + "\n\n" + KK_CYRILLIC}),
        _line({"id": "h-kk-latin", "text": RU + "\n\n" + KK_LATIN}),
        _line({"id": "h-az", "text": RU + "\n\n" + AZ}),
        "\ufeff".encode("utf-8") + _line({"id": "h-bom", "text": EN + "\n\n" + RU}),
        b"[" * 100_000 + b"]" * 100_000 + b"\n",
        _line({"id": 7, "text": EN + "\n\n" + RU}),
        _line({"id": "h-ok", "text": EN + "\n\n" + RU}),
    ]


def truncated_gzip(path: Path, lines: int = 400) -> int:
    """A ``.jsonl.gz`` cut in the middle; returns how many whole lines come before the cut."""
    data = b"".join(_line({"id": f"gz-{i}", "text": f"Short item number {i}."}) for i in range(lines))
    packed = gzip.compress(data, mtime=0)
    cut = packed[: len(packed) // 2]
    path.write_bytes(cut)
    readable = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(cut)
    return readable.count(b"\n")


def build(directory: Path, big_bytes: int = 50_000_000) -> Corpus:
    """Write the hostile corpus under ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    clean = directory / "a-clean.jsonl"
    clean.write_bytes(CLEAN.read_bytes())
    clean_ids = [json.loads(line)["id"] for line in CLEAN.read_text(encoding="utf-8").splitlines()]
    lines = hostile_lines(clean_ids[0])
    (directory / "b-hostile.jsonl").write_bytes(b"".join(lines) + b"\n\n")  # blank lines are not items
    with open(directory / "c-big.jsonl", "wb") as handle:  # a 50 MB single-line item, then a fine one
        handle.write(b'{"id": "big", "text": "')
        block = b"word " * 200_000
        for _ in range(big_bytes // len(block)):
            handle.write(block)
        handle.write(b'"}\n')
        handle.write(_line({"id": "after-big", "text": EN + "\n\n" + RU}))
    (directory / "d-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (directory / "e-latin1.txt").write_bytes("Résumé of the café story.".encode("latin-1"))
    (directory / "f-empty.txt").write_bytes(b"")
    (directory / "g-crlf.txt").write_bytes((EN + "\n\n" + RU).replace("\n", "\r\n").encode("utf-8"))
    gz_lines = truncated_gzip(directory / "h-truncated.jsonl.gz")
    (directory / "i-truncated.txt.gz").write_bytes(gzip.compress((EN + RU).encode("utf-8"), mtime=0)[:40])
    (directory / "j-notgzip.jsonl.gz").write_bytes(b'{"id": "plain", "text": "not compressed"}\n')
    tiny = directory / "k-tiny.jsonl"
    tiny.write_text("".join(json.dumps({"id": f"tiny-{i}", "text": "Hi." if i % 2 else "Да."}) + "\n"
                            for i in range(100_000)), encoding="utf-8")
    missing = directory / "missing.txt"
    items = (len(clean_ids) + len(lines) + 2 + 5  # clean, hostile, big + after-big, five .txt/.txt.gz files
             + gz_lines + 1 + 1 + 100_000 + 1)  # truncated gz: whole lines + the break; not-gzip; tiny; missing
    return Corpus([str(directory), str(missing)], items, clean_ids)
