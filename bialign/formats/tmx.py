"""TMX 1.4b, written with an XML library (``xml.etree``), streamed one ``tu`` at a time.

The header's ``prop`` holds the run's signature, once. Each ``tu`` has a ``tuid`` and
``prop`` elements for the item id, the score, the sentence indices and the title flag,
so a TMX file read back gives the same pairs. Characters XML 1.0 forbids are removed
(and counted in ``changes``); a carriage return is written as ``&#13;`` so that XML's
line-end normalisation keeps it.

The reader also reads TMX written by other tools: ``xml:lang`` or ``lang`` on ``tuv``, a
namespaced or plain ``tmx`` root, ``seg`` with inline markup (the text of ``hi`` is kept;
native codes in ``bpt``/``ept``/``ph``/``it``/``ut`` are left out), and ``prop``/``note``
elements. It parses with ``xml.etree`` incrementally, one ``tu`` at a time; external
entities are never loaded and expat refuses entity expansion bombs.
"""

from __future__ import annotations

import contextlib
import math
import re
import time
from pathlib import Path
from typing import IO, Any, Iterator
from xml.etree import ElementTree as ET

from ..errors import InputError, SettingsError
from ..records import Pair, parse_index, parse_score
from ..text.textio import open_binary
from ..version import __version__
from .base import READ_BLOCK, PairWriter, register_reader, register_writer, score_text

# Characters XML 1.0 forbids: C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

PROP_ITEM = "x-bialign-item"
PROP_SCORE = "x-bialign-score"
PROP_SIGNATURE = "x-bialign-signature"
PROP_SRC_INDEX = "x-bialign-src-index"
PROP_TGT_INDEX = "x-bialign-tgt-index"
PROP_TITLE = "x-bialign-title"


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _XML_FORBIDDEN.sub("", text)


def _element_string(element: ET.Element) -> str:
    # ElementTree leaves a raw CR in text, which a parser would turn into LF.
    return ET.tostring(element, encoding="unicode").replace("\r", "&#13;")


def signature_string(signature: dict[str, object]) -> str:
    """The run's signature as one ``key:value|key:value`` text, sacrebleu-style (the header's ``prop``)."""
    return "|".join(f"{key}:{value}" for key, value in signature.items())


_CREATION_DATE = re.compile(r"\d{8}T\d{6}Z")


def check_creation_date(value: str) -> str:
    """``value`` when it is a TMX ``creationdate`` (``YYYYMMDDThhmmssZ``, UTC, a real time), else a SettingsError."""
    try:
        if not _CREATION_DATE.fullmatch(value):
            raise ValueError(value)
        time.strptime(value, "%Y%m%dT%H%M%SZ")
    except (TypeError, ValueError):
        raise SettingsError(f"a TMX creation date is YYYYMMDDThhmmssZ (e.g. 20240131T120000Z), "
                            f"not '{value}'") from None
    return value


def creation_date_now() -> str:
    """The current time as a TMX ``creationdate`` (``YYYYMMDDThhmmssZ``, UTC)."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())


def index_text(index: tuple[int, ...]) -> str:
    return " ".join(str(i) for i in index)


@register_writer
class TmxWriter(PairWriter):
    name = "tmx"
    extensions = (".tmx",)

    def open(self, stack: contextlib.ExitStack) -> None:
        self._out: IO[str] = self.open_atomic(stack)
        created = self.options.get("creation_date") or creation_date_now()
        check_creation_date(created)
        signature = xml_safe(signature_string(self.signature)) if self.signature else ""
        header = ET.Element("header", {
            "creationtool": "bialign",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "bialign",
            "adminlang": "en",
            "srclang": self.options.get("src_lang", "en"),
            "datatype": "plaintext",
            "creationdate": created,
        })
        if signature:
            prop = ET.SubElement(header, "prop", {"type": PROP_SIGNATURE})
            prop.text = signature
        self._out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self._out.write('<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
        self._out.write('<tmx version="1.4">\n')
        self._out.write(_element_string(header) + "\n<body>\n")

    def _prop(self, tu: ET.Element, prop_type: str, value: str, always: bool = False) -> None:
        if value or always:
            ET.SubElement(tu, "prop", {"type": prop_type}).text = value

    def write(self, pair: Pair) -> None:
        self.count += 1
        tu = ET.Element("tu", {"tuid": str(self.count)})
        self._prop(tu, PROP_ITEM, self.fit("id", pair.id, xml_safe), always=True)
        if not math.isnan(pair.score):
            self._prop(tu, PROP_SCORE, score_text(pair.score))
        self._prop(tu, PROP_SRC_INDEX, index_text(pair.src_index))
        self._prop(tu, PROP_TGT_INDEX, index_text(pair.tgt_index))
        if pair.title:
            self._prop(tu, PROP_TITLE, "1")
        for field, lang, text in (("src", pair.src_lang, pair.src), ("tgt", pair.tgt_lang, pair.tgt)):
            tuv = ET.SubElement(tu, "tuv", {"xml:lang": self.fit(f"{field}_lang", lang, xml_safe)})
            ET.SubElement(tuv, "seg").text = self.fit(field, text, xml_safe)
        self._out.write(_element_string(tu) + "\n")

    def close(self) -> None:
        self._out.write("</body>\n</tmx>\n")


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
        parse_index(props.get(PROP_SRC_INDEX)), parse_index(props.get(PROP_TGT_INDEX)),
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
            while chunk := handle.read(READ_BLOCK):
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
