"""Page furniture: the datelines, date lines, bylines and chrome of agency pages, by general rules."""

from __future__ import annotations

import pytest

from bialign.text.furniture import furniture_kind, leading_furniture, match_dateline


@pytest.mark.parametrize("text, dateline", [
    ("BAKU, Azerbaijan, September 8. As many trains", "BAKU, Azerbaijan, September 8."),
    ("BAKU, Azerbaijan, Nov. 14", "BAKU, Azerbaijan, Nov. 14"),
    ("TBILISI, Georgia, Oct.26\nBy", "TBILISI, Georgia, Oct.26"),
    ("NEW YORK, USA, Dec. 12 Trend: The", "NEW YORK, USA, Dec. 12 Trend:"),
    ("ASTANA. KAZINFORM Today, the parliament", "ASTANA. KAZINFORM"),
    ("NUR-SULTAN. KAZINFORM – All shops", "NUR-SULTAN. KAZINFORM –"),
    ("Baku - APA. The minister", "Baku - APA."),
    ("Baku | ORIENT. The minister", "Baku | ORIENT."),
    ("Bishkek, March 16, 2018 / Kabar /. Imports grew", "Bishkek, March 16, 2018 / Kabar /."),
    ("Baku, September 19 (AzerTAc). The team", "Baku, September 19 (AzerTAc)."),
    ("Georgia, Tbilisi, Feb. 7 /Trend, N. Kirtskhalia/\nThe", "Georgia, Tbilisi, Feb. 7 /Trend, N. Kirtskhalia/"),
    ("БАКУ /Trend/ - Объявлена столица", "БАКУ /Trend/ -"),
    ("БАКУ/ Trend/ – Форум стал", "БАКУ/ Trend/ –"),
    ("АСТАНА/Trend/ - Казахстан", "АСТАНА/Trend/ -"),
    ("АСТАНА/ Trend - Казахстан", "АСТАНА/ Trend -"),
    ("БАКУ\u00a0/Trend/\u00a0— Текст", "БАКУ\u00a0/Trend/\u00a0—"),
    ("Москва. 5 января. INTERFAX.RU - Президент", "Москва. 5 января. INTERFAX.RU -"),
    ("Бишкек, 14.05.20. /Кабар/. Текст", "Бишкек, 14.05.20. /Кабар/."),
    ("Бишкек, 14.05.20. /корр. Кабар – Имя Фамилия/. Текст", "Бишкек, 14.05.20. /корр. Кабар – Имя Фамилия/."),
    ("Баку, 23 февраля, АЗЕРТАДЖ\nВ центре", "Баку, 23 февраля, АЗЕРТАДЖ"),
    ("МОСКВА, 5 янв — РИА Новости. Президент", "МОСКВА, 5 янв — РИА Новости."),
    ("Москва, 5 января /ТАСС/. Президент", "Москва, 5 января /ТАСС/."),
])
def test_datelines_of_the_regions_agencies(text, dateline):
    end = match_dateline(text, 0, len(text))
    assert end is not None and text[:end] == dateline


@pytest.mark.parametrize("text", [
    "AZERBAIJAN AND UZBEKISTAN SIGN AGREEMENT ON JOINT INVESTMENT FUND",  # a headline in capitals
    "Azerbaijan, Georgia agree to expand rail freight corridor",
    "Baku declared World Capital of Sports for 2026",
    "Moscow, NATO Secretary General said on Monday",
    "Baku, Trend reports citing the ministry",  # "in Baku, Trend reports": a lower-case place needs a marked agency
    "Как Report сообщили из аэропорта, число пассажиров выросло.",
    "Brexit: UK would forever regret losing carmakers.",
    "Kazakhstan plans to build a new seaport in Aktau.",
])
def test_text_that_is_no_dateline(text):
    assert match_dateline(text, 0, len(text)) is None


def test_furniture_glued_together_is_found_piece_by_piece():
    text = "(MENAFN- Trend News Agency) BAKU, Azerbaijan, December 25. The year 2025 has been fruitful."
    pieces = leading_furniture(text, 0, len(text), True)
    assert [(p.kind, text[p.start:p.end]) for p in pieces] == [
        ("syndication", "(MENAFN- Trend News Agency)"), ("dateline", "BAKU, Azerbaijan, December 25.")]
    glued = "MENAFN - Trend News Agency)The Middle Corridor plays an important role."
    assert [p.kind for p in leading_furniture(glued, 0, len(glued), True)] == ["syndication"]
    byline = "By Elchin Mehdiyev - Trend:\n\nThe youth capital has been announced."
    assert [p.kind for p in leading_furniture(byline, 0, len(byline), True)] == ["byline"]
    lost_breaks = "Экономика Материалы 25 декабря 2025 11:40 (UTC +04:00) Айгюн Балиярли БАКУ /Trend/ - Год стал"
    assert [(p.kind, lost_breaks[p.start:p.end]) for p in leading_furniture(lost_breaks, 0, len(lost_breaks), True)] == [
        ("datetime", "Экономика Материалы 25 декабря 2025 11:40 (UTC +04:00)"), ("byline", "Айгюн Балиярли"),
        ("dateline", "БАКУ /Trend/ -")]
    name = "Sadig Javadov said the rate would stay."  # a name before no dateline is text
    assert leading_furniture(name, 0, len(name), True) == []


def test_a_word_and_a_colon_is_a_source_line_only_on_its_own():
    alone = "Trend:"
    assert [p.kind for p in leading_furniture(alone, 0, len(alone), True)] == ["source"]
    sentence = "Minister: Trade turnover between Azerbaijan and Russia increases"
    assert leading_furniture(sentence, 0, len(sentence), True) == []


@pytest.mark.parametrize("line, kind", [
    ("Politics 14 November 2020 16:21 (UTC+04:00)", "datetime"),
    ("Transport Materials 12 December 2022 12:34 (UTC +04:00)", "datetime"),
    ("Экономика Материалы 25 декабря 2025 11:40 (UTC +04:00)", "datetime"),
    ("10 December 2025 11:35 (UTC +04:00)", "datetime"),
    ("Tuesday, 02 January 2024 12:17 GMT", "datetime"),
    ("2025-12-25 03:02:57", "datetime"),
    ("16:55, 20 March 2019 | GMT +6", "datetime"),
    ("    • 14 января, 2026", "datetime"),
    ("    • 17:25", "datetime"),
    ("By Tamilla Hasanova", "byline"),
    ("Автор: Айгюн Балиярли", "byline"),
    ("Поиск", "chrome"),
    ("Last minute", "chrome"),
    ("Все материалы", "chrome"),
    ("Photo: The Ministry of Investments, Industry, and Trade of Uzbekistan", "chrome"),
    ("Follow our WhatsApp channel for the latest news.", "chrome"),
    ("More news in our Telegram channel!", "chrome"),
    ("Подписывайтесь на наш канал в Telegram", "chrome"),
    (" date 2025-12-16", "date"),
    ("date\u00a02025-12-16", "date"),
])
def test_whole_lines_of_furniture(line, kind):
    assert furniture_kind(line) == kind


@pytest.mark.parametrize("line", [
    "In 2025 the airport served 8 million passengers.",
    "He joined the channel in 2019 as a reporter.",
    "Baku declared World Capital of Sports for 2026",
    "By Monday, the talks had ended.",
    "Individual sports",  # a rubric: set aside by its place in the head, not by its words
])
def test_lines_that_are_not_furniture_by_themselves(line):
    assert furniture_kind(line) is None
