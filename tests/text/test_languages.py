"""Blocks are named by a real language identifier: only Russian blocks give Russian pairs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bialign import align_text
from bialign.text.detect import EN, RU, detect_segments, name_language
from conftest import ROOT

# The seed's Russian summary, rendered into other Cyrillic languages for these tests.
SUMMARIES = {
    "bg": "Приключиха днешните разговори между делегациите на Турция и Русия за ситуацията след прекратяването на "
          "огъня в Карабах\n\nБАКУ /Trend/ - Приключиха днешните разговори между военните делегации на Турция и Русия "
          "за ситуацията след прекратяването на огъня в Карабах. Както съобщава в събота Trend, позовавайки се на "
          "министерството на националната отбрана на Турция, разговорите ще продължат през следващите дни.\n",
    "sr": "Завршени су данашњи разговори између делегација Турске и Русије о ситуацији након прекида ватре у "
          "Карабаху\n\nБАКУ /Trend/ - Завршени су данашњи разговори између војних делегација Турске и Русије о "
          "ситуацији након прекида ватре у Карабаху. Како преноси Trend позивајући се на министарство народне одбране "
          "Турске, разговори ће бити настављени наредних дана.\n",
    "be": "Завяршыліся сённяшнія абмеркаванні паміж дэлегацыямі Турцыі і Расіі па сітуацыі пасля спынення агню ў "
          "Карабаху\n\nБАКУ /Trend/ - Завяршыліся сённяшнія абмеркаванні паміж ваеннымі дэлегацыямі Турцыі і Расіі па "
          "сітуацыі пасля спынення агню ў Карабаху. Як перадае ў суботу Trend са спасылкай на міністэрства "
          "нацыянальнай абароны Турцыі, у наступныя дні абмеркаванні будуць працягнуты.\n",
}


def english_block(seed_text: str) -> str:
    [en, ru] = detect_segments(seed_text)
    assert (en.lang, ru.lang) == (EN, RU)
    return seed_text[en.start:en.end]


@pytest.mark.parametrize("lang", sorted(SUMMARIES))
def test_an_english_item_with_another_cyrillic_summary_gives_no_russian_pairs(seed_text, default_embedder, lang):
    text = english_block(seed_text) + "\n\n" + SUMMARIES[lang]
    assert [s.lang for s in detect_segments(text)] == [EN, lang]
    assert align_text(text, embedder=default_embedder) == []


def test_the_block_language_is_in_detect_output(seed_text, tmp_path):
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps({"id": "bg", "text": english_block(seed_text) + "\n\n" + SUMMARIES["bg"]},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "bialign", "detect", str(items)], capture_output=True, text=True,
                         cwd=ROOT)
    assert [s["lang"] for s in json.loads(run.stdout)["segments"]] == ["en", "bg"]
    align = subprocess.run([sys.executable, "-m", "bialign", "align", str(items), "-o", str(tmp_path / "p.jsonl"),
                            "--report", "-"], capture_output=True, text=True, cwd=ROOT)
    assert json.loads(align.stdout)["reasons"] == {"no pairs: not both English and Russian (found: bg, en)": 1}
    assert (tmp_path / "p.jsonl").read_text(encoding="utf-8") == ""


@pytest.mark.parametrize("lang,text", [
    ("uk", "Уряд України затвердив новий план відновлення енергетичної інфраструктури."),
    ("kk", "Қазақстан үкіметі келесі жылға арналған бюджет жобасын мақұлдады."),
    ("mk", "Владата ја усвои нацрт-буџетот за следната година, соопшти министерот за финансии."),
    ("ru", "Правительство утвердило проект бюджета на следующий год."),
])
def test_cyrillic_blocks_are_named(lang, text):
    assert name_language(text, RU) == lang


def test_latin_blocks_are_named():
    assert name_language("Azərbaycan hökuməti gələn ilin büdcə layihəsini təsdiqləyib.", EN) == "az"
    assert name_language("The government approved the draft budget for next year.", EN) == "en"


def test_the_seed_still_gives_its_pairs(seed_text, default_embedder):
    assert len(align_text(seed_text, embedder=default_embedder)) == 3
