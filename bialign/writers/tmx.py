"""TMX 1.4b, written with an XML library (``xml.etree``), streamed one ``tu`` at a time.

Each ``tu`` has a ``tuid`` and ``prop`` elements for the item id, the score, the run's
signature, the sentence indices and the title flag, so a TMX file read back gives the
same pairs. Characters XML 1.0 forbids are removed (and counted in ``changes``); a
carriage return is written as ``&#13;`` so that XML's line-end normalisation keeps it.
"""

from __future__ import annotations

import contextlib
import math
import re
import time
from typing import IO
from xml.etree import ElementTree as ET

from .. import __version__
from ..pipeline import Pair
from ..signature import signature_string
from .base import PairWriter, register_writer, score_text

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


def index_text(index: tuple[int, ...]) -> str:
    return " ".join(str(i) for i in index)


@register_writer
class TmxWriter(PairWriter):
    name = "tmx"
    extensions = (".tmx",)

    def open(self, stack: contextlib.ExitStack) -> None:
        self._out: IO[str] = self.open_atomic(stack)
        created = self.options.get("creation_date") or time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        self._signature = xml_safe(signature_string(self.signature)) if self.signature else ""
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
        if self._signature:
            prop = ET.SubElement(header, "prop", {"type": PROP_SIGNATURE})
            prop.text = self._signature
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
        self._prop(tu, PROP_ITEM, self.fit("id", pair.item_id, xml_safe), always=True)
        if not math.isnan(pair.score):
            self._prop(tu, PROP_SCORE, score_text(pair.score))
        self._prop(tu, PROP_SIGNATURE, self._signature)
        self._prop(tu, PROP_SRC_INDEX, index_text(pair.src_index))
        self._prop(tu, PROP_TGT_INDEX, index_text(pair.tgt_index))
        if pair.is_title:
            self._prop(tu, PROP_TITLE, "1")
        for field, lang, text in (("src", pair.src_lang, pair.src), ("tgt", pair.tgt_lang, pair.tgt)):
            tuv = ET.SubElement(tu, "tuv", {"xml:lang": self.fit(f"{field}_lang", lang, xml_safe)})
            ET.SubElement(tuv, "seg").text = self.fit(field, text, xml_safe)
        self._out.write(_element_string(tu) + "\n")

    def close(self) -> None:
        self._out.write("</body>\n</tmx>\n")
