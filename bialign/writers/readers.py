"""Pair readers for the four formats, behind a registry that mirrors the writers'.

``read_pairs(path)`` streams :class:`Pair` objects from a JSONL, TSV, TMX or Moses file
(format from the extension unless given). Fields a format does not hold come back as
defaults: no item id (``""``), an unknown score (NaN), no indices.

The TMX reader also reads TMX written by other tools: ``xml:lang`` or ``lang`` on
``tuv``, a namespaced or plain ``tmx`` root, ``seg`` with inline markup (the text of
``hi`` is kept; native codes in ``bpt``/``ept``/``ph``/``it``/``ut`` are left out), and
``prop``/``note`` elements. It parses with ``xml.etree`` incrementally, one ``tu`` at a
time; external entities are never loaded and expat refuses entity expansion bombs.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import IO, Any, Callable, Iterator
from xml.etree import ElementTree as ET

from ..errors import InputError
from ..pipeline import Pair
from ..textio import open_binary, open_text_read
from .base import format_for_path, parse_score
from .moses import moses_paths
from .tmx import PROP_ITEM, PROP_SCORE, PROP_SRC_INDEX, PROP_TGT_INDEX, PROP_TITLE
from .tsv import COLUMNS

Reader = Callable[..., Iterator[Pair]]
READERS: dict[str, Reader] = {}

_CHUNK = 1 << 16


def register_reader(name: str) -> Callable[[Reader], Reader]:
    """Decorator: make a reader available under a format name (the writer's name)."""
    def decorate(func: Reader) -> Reader:
        READERS[name] = func
        return func
    return decorate


def read_pairs(path: str | os.PathLike[str], fmt: str | None = None, **options: Any) -> Iterator[Pair]:
    """Stream the pairs of ``path``; the format is ``fmt`` or follows the extension."""
    return READERS[format_for_path(path, fmt)](Path(path), **options)


def lines(handle: IO[str]) -> Iterator[str]:
    """The lines of ``handle`` split on ``\\n`` only (a CR or U+2028 stays inside its line)."""
    rest = ""
    while chunk := handle.read(_CHUNK):
        parts = (rest + chunk).split("\n")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


def _index(value: Any) -> tuple[int, ...]:
    if isinstance(value, str):
        return tuple(int(v) for v in value.split())
    return tuple(int(v) for v in value or ())


# --- JSONL -----------------------------------------------------------------------------

def pair_from_record(record: dict[str, Any], src_lang: str = "en", tgt_lang: str = "ru") -> Pair:
    """A pair from a JSONL record: bialign's keys, or ``{"en": ..., "ru": ...}``."""
    if "src" in record and "tgt" in record:
        return Pair(
            str(record.get("id", "")), str(record["src"]), str(record["tgt"]),
            parse_score(record.get("score")), _index(record.get("src_index")),
            _index(record.get("tgt_index")), bool(record.get("title", False)),
            str(record.get("src_lang", src_lang)), str(record.get("tgt_lang", tgt_lang)),
        )
    if src_lang in record and tgt_lang in record:
        return Pair(str(record.get("id", "")), str(record[src_lang]), str(record[tgt_lang]),
                    parse_score(record.get("score")), src_lang=src_lang, tgt_lang=tgt_lang)
    raise ValueError(f"a pair needs 'src' and 'tgt' (or '{src_lang}' and '{tgt_lang}') keys")


def json_objects(path: str | os.PathLike[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` of each non-blank line of a JSONL file; a line that is not a
    JSON object is an :class:`InputError` naming the file and line."""
    with open_text_read(path) as handle:
        for number, line in enumerate(lines(handle), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise InputError(f"not a JSON line: {exc}", str(path), number) from exc
            if not isinstance(record, dict):
                raise InputError("not a JSON object", str(path), number)
            yield number, record


@register_reader("jsonl")
def read_jsonl(path: Path, src_lang: str = "en", tgt_lang: str = "ru", **_: Any) -> Iterator[Pair]:
    for number, record in json_objects(path):
        try:
            yield pair_from_record(record, src_lang, tgt_lang)
        except (ValueError, TypeError) as exc:
            raise InputError(str(exc), str(path), number) from exc


# --- TSV -------------------------------------------------------------------------------

def _is_header(fields: list[str]) -> bool:
    return len(fields) >= 2 and fields[:2] == ["src", "tgt"] and set(fields) <= set(COLUMNS)


@register_reader("tsv")
def read_tsv(path: Path, src_lang: str = "en", tgt_lang: str = "ru", **_: Any) -> Iterator[Pair]:
    """``src, tgt[, score[, id]]`` per line, or the columns a header line names."""
    columns = list(COLUMNS)
    with open_text_read(path) as handle:
        for number, line in enumerate(lines(handle), 1):
            fields = line.removesuffix("\r").split("\t")
            if number == 1 and _is_header(fields):
                columns = fields
                continue
            if line == "":
                continue
            if len(fields) < 2:
                raise InputError("a TSV line needs at least two tab-separated fields", str(path), number)
            row = dict(zip(columns, fields))
            try:
                score = parse_score(row.get("score"))
            except ValueError as exc:
                raise InputError(f"bad score {row.get('score')!r}", str(path), number) from exc
            yield Pair(row.get("id", ""), row["src"], row["tgt"], score, src_lang=src_lang, tgt_lang=tgt_lang)


# --- Moses -----------------------------------------------------------------------------

@register_reader("moses")
def read_moses(path: Path, src_lang: str = "en", tgt_lang: str = "ru", **_: Any) -> Iterator[Pair]:
    """``NAME.en`` and ``NAME.ru`` read in step; their line counts must agree."""
    src_path, tgt_path = moses_paths(path, src_lang, tgt_lang)
    with open_text_read(src_path) as src_handle, open_text_read(tgt_path) as tgt_handle:
        src_lines, tgt_lines = lines(src_handle), lines(tgt_handle)
        number = 0
        for number, src in enumerate(src_lines, 1):
            tgt = next(tgt_lines, None)
            if tgt is None:
                raise InputError(f"{tgt_path} has fewer lines than {src_path}", str(tgt_path), number)
            yield Pair("", src, tgt, math.nan, src_lang=src_lang, tgt_lang=tgt_lang)
        if next(tgt_lines, None) is not None:
            raise InputError(f"{tgt_path} has more lines than {src_path}", str(tgt_path), number + 1)


# --- TMX -------------------------------------------------------------------------------

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NATIVE_CODES = {"bpt", "ept", "ph", "it", "ut"}


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def seg_text(seg: ET.Element) -> str:
    """The plain text of a ``seg``: its own text and ``hi`` text, without native codes."""
    parts = [seg.text or ""]
    for child in seg:
        if _local(child.tag) not in _NATIVE_CODES:
            parts.append(seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _same_language(code: str, wanted: str) -> bool:
    return code.lower().replace("_", "-").split("-")[0] == wanted.lower().split("-")[0]


def _pair_from_tu(tu: ET.Element, src_lang: str, tgt_lang: str) -> Pair | None:
    props: dict[str, str] = {}
    variants: list[tuple[str, str]] = []
    for child in tu:
        tag = _local(child.tag)
        if tag == "prop":
            props.setdefault(child.get("type", ""), child.text or "")
        elif tag == "tuv":
            lang = child.get(_XML_LANG) or child.get("lang") or ""
            seg = next((c for c in child if _local(c.tag) == "seg"), None)
            if seg is not None:
                variants.append((lang, seg_text(seg)))
    src = next((v for v in variants if _same_language(v[0], src_lang)), None)
    tgt = next((v for v in variants if v is not src and _same_language(v[0], tgt_lang)), None)
    if src is None or tgt is None:
        return None
    return Pair(
        props.get(PROP_ITEM, tu.get("tuid", "")), src[1], tgt[1], parse_score(props.get(PROP_SCORE)),
        _index(props.get(PROP_SRC_INDEX)), _index(props.get(PROP_TGT_INDEX)),
        props.get(PROP_TITLE) == "1", src[0], tgt[0],
    )


def _parser() -> ET.XMLPullParser:
    # expat (2.4.1 and later, as bundled with supported Pythons) stops entity expansion
    # that amplifies its input ("billion laughs"), and ElementTree never loads external
    # entities or DTDs, so a hostile file fails with a ParseError instead of blowing up.
    return ET.XMLPullParser(events=("start", "end"))


@register_reader("tmx")
def read_tmx(path: Path, src_lang: str = "en", tgt_lang: str = "ru", **_: Any) -> Iterator[Pair]:
    """The ``tu`` elements that have a ``src_lang`` and a ``tgt_lang`` variant, in order.

    ``src_lang`` and ``tgt_lang`` match by primary language (``en-US`` is ``en``); a
    ``tu`` without both languages is skipped.
    """
    pull = _parser()
    parents: list[ET.Element] = []
    try:
        with open_binary(path) as handle:
            while chunk := handle.read(_CHUNK):
                pull.feed(chunk)
                for event, element in pull.read_events():
                    if event == "start":
                        parents.append(element)
                        continue
                    parents.pop()
                    if _local(element.tag) == "tu":
                        pair = _pair_from_tu(element, src_lang, tgt_lang)
                        if parents:
                            parents[-1].remove(element)  # keep memory flat
                        if pair is not None:
                            yield pair
            pull.close()
    except (ET.ParseError, ValueError) as exc:
        raise InputError(f"not a readable TMX file: {exc}", str(path)) from exc


