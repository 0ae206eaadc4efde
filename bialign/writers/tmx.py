"""TMX 1.4b, written with an XML library (``xml.etree``), streamed one ``tu`` at a time."""

from __future__ import annotations

import contextlib
import re
import time
from typing import IO
from xml.etree import ElementTree as ET

from .. import __version__
from ..pipeline import Pair
from ..signature import signature_string
from .base import PairWriter, register_writer

# Characters XML 1.0 forbids: C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _XML_FORBIDDEN.sub("", text)


def _element_string(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode")


@register_writer
class TmxWriter(PairWriter):
    name = "tmx"
    extensions = (".tmx",)

    def open(self, stack: contextlib.ExitStack) -> None:
        self._out: IO[str] = self.open_atomic(stack)
        created = self.options.get("creation_date") or time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        header = ET.Element("header", {
            "creationtool": "bialign",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "bialign-jsonl",
            "adminlang": "en",
            "srclang": self.options.get("src_lang", "en"),
            "datatype": "plaintext",
            "creationdate": created,
        })
        if self.signature:
            prop = ET.SubElement(header, "prop", {"type": "x-bialign-signature"})
            prop.text = xml_safe(signature_string(self.signature))
        self._out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self._out.write('<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
        self._out.write('<tmx version="1.4">\n')
        self._out.write(_element_string(header) + "\n<body>\n")

    def write(self, pair: Pair) -> None:
        self.count += 1
        tu = ET.Element("tu", {"tuid": str(self.count)})
        for prop_type, value in (("x-bialign-item", pair.item_id), ("x-bialign-score", f"{pair.score:.4f}")):
            prop = ET.SubElement(tu, "prop", {"type": prop_type})
            prop.text = xml_safe(value)
        for lang, text in ((pair.src_lang, pair.src), (pair.tgt_lang, pair.tgt)):
            tuv = ET.SubElement(tu, "tuv", {"xml:lang": lang})
            seg = ET.SubElement(tuv, "seg")
            seg.text = xml_safe(text)
        self._out.write(_element_string(tu) + "\n")

    def close(self) -> None:
        self._out.write("</body>\n</tmx>\n")
