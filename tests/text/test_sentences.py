import pytest

from bialign.text.detect import detect_segments
from bialign.text.sentences import layout_block, line_sentences, split_block


def _sentences(text, lang):
    return split_block(text, 0, len(text), lang)


def test_seed_cleaning(seed_text):
    segments = detect_segments(seed_text)
    en = split_block(seed_text, segments[0].start, segments[0].end, "en")
    ru = split_block(seed_text, segments[1].start, segments[1].end, "ru")
    assert en[0].is_title and en[0].text.startswith("Today's discussions")
    assert not any("date 2020" in s.text or "Trend:" == s.text or "BAKU" in s.text or "UTC" in s.text for s in en)
    assert en[1].text.startswith("The discussions, which were being held on November 14")
    assert ru[0].is_title and ru[0].text.startswith("Завершились сегодняшние обсуждения между делегациями")
    assert ru[1].text.startswith("Завершились сегодняшние обсуждения между военными")
    assert "Trend/" not in ru[1].text


def test_abbreviations_do_not_end_sentences():
    en = _sentences("He arrived on Nov. 14 in Baku. The talks began on Sept. 27 in Ankara.", "en")
    assert [s.text for s in en] == ["He arrived on Nov. 14 in Baku.", "The talks began on Sept. 27 in Ankara."]
    ru = _sentences("В 2019 г. он приехал в Москву, т.е. в столицу. Затем он уехал.", "ru")
    assert [s.text for s in ru] == ["В 2019 г. он приехал в Москву, т.е. в столицу.", "Затем он уехал."]


def test_inline_metadata_when_line_breaks_are_lost():
    text = ("date 2021-02-09 Killer Pig Mauls Farmer Society 9 February 2021 10:26 (UTC+04:00) "
            "TBILISI, Georgia, Feb. 9 Trend: A farmer was killed by a pig. The man was found dead.")
    sentences = _sentences(text, "en")
    assert sentences[0].is_title and sentences[0].text == "Killer Pig Mauls Farmer"
    assert [s.text for s in sentences[1:]] == ["A farmer was killed by a pig.", "The man was found dead."]


def test_russian_inline_dateline_ends_the_title():
    text = "Свинья загрызла фермера ТБИЛИСИ /Trend/ - Фермер погиб на рынке. Об этом сообщили СМИ."
    sentences = _sentences(text, "ru")
    assert sentences[0].is_title and sentences[0].text == "Свинья загрызла фермера"
    assert [s.text for s in sentences[1:]] == ["Фермер погиб на рынке.", "Об этом сообщили СМИ."]


def test_offsets_point_at_the_original_text():
    text = "date 2020-01-01 Title here\n\nFirst  sentence\nwraps here. Second one."
    for sentence in _sentences(text, "en"):
        assert " ".join(text[sentence.start:sentence.end].split()) == sentence.text


def test_russian_dateline_is_one_word_so_a_title_keeps_its_last_capitals():
    text = "Ураган Роза принесет ливни на юго-запад США ЛОНДОН /Trend/ - Остатки урагана принесут ливни."
    sentences = _sentences(text, "ru")
    assert sentences[0].is_title and sentences[0].text == "Ураган Роза принесет ливни на юго-запад США"
    assert sentences[1].text == "Остатки урагана принесут ливни."


def test_a_word_and_colon_opening_the_text_is_not_a_source_line():
    text = "Brexit: UK 'would forever regret' losing carmakers. The UK would regret it, he said."
    assert _sentences(text, "en")[0].text.startswith("Brexit: UK")
    with_markers = "Title here\nBAKU, Azerbaijan, Nov. 14\nTrend:\nBody text starts here."
    assert [s.text for s in _sentences(with_markers, "en")] == ["Title here", "Body text starts here."]


SEED_VARIANTS = {
    "russian dateline with no-break spaces and an em dash": ("БАКУ /Trend/ - ", "БАКУ\u00a0/Trend/\u00a0— "),
    "russian dateline with an en dash": ("БАКУ /Trend/ - ", "БАКУ /Trend/ – "),
    "source glued to the dateline": ("BAKU, Azerbaijan, Nov. 14\n\nTrend:\n\n", "BAKU, Azerbaijan, Nov. 14Trend: "),
    "byline on its own line": ("Trend:\n\n", "By Ayten Mammadova - Trend:\n\n"),
    "byline inline": ("\n\nTrend:\n\n", " By Ayten Mammadova – Trend: "),
    "aggregator line": ("Trend:\n\n", "(MENAFN - Trend News Agency) "),
    "english dateline with no-break spaces": ("BAKU, Azerbaijan, Nov. 14", "BAKU,\u00a0Azerbaijan,\u00a0Nov.\u00a014"),
}


@pytest.mark.parametrize("variant", SEED_VARIANTS, ids=list(SEED_VARIANTS))
def test_seed_metadata_variants_are_removed(seed_text, variant):
    old, new = SEED_VARIANTS[variant]
    assert old in seed_text
    text = seed_text.replace(old, new)
    segments = detect_segments(text)
    en = split_block(text, segments[0].start, segments[0].end, "en")
    ru = split_block(text, segments[1].start, segments[1].end, "ru")
    assert en[1].text.startswith("The discussions, which were being held on November 14")
    assert ru[1].text.startswith("Завершились сегодняшние обсуждения между военными")
    assert not any(marker in s.text for s in en + ru for marker in ("Trend/", "Trend:", "MENAFN", "Mammadova", "BAKU"))


def test_html_entities_are_decoded_in_the_written_text_only():
    text = "It&#39;s a &quot;deal&quot;, the minister said. Talks go on."
    sentences = _sentences(text, "en")
    assert sentences[0].text == 'It\'s a "deal", the minister said.'
    assert text[sentences[0].start:sentences[0].end] == "It&#39;s a &quot;deal&quot;, the minister said."


def test_glued_subtitle_is_a_sentence_of_its_own():
    en = _sentences("It is intolerant of those who speak their minds When activists in my party voted, it was no surprise.", "en")
    assert [s.text for s in en] == ["It is intolerant of those who speak their minds",
                                    "When activists in my party voted, it was no surprise."]
    ru = _sentences("Она не терпит тех, кто высказывает свое мнение Когда активисты партии проголосовали, это не удивило.", "ru")
    assert len(ru) == 2 and ru[1].text.startswith("Когда активисты")


def test_names_and_titles_do_not_start_sentences():
    text = "Sources have told The Age and The Sydney Morning Herald that the stadium is too small for the broadcast."
    assert [s.text for s in _sentences(text, "en")] == [text]
    text = "Daniel Sturridge saved Liverpool from a loss to Chelsea with a late goal on Saturday."
    assert [s.text for s in _sentences(text, "en")] == [text]


def test_a_full_stop_before_a_number_ends_a_sentence():
    ru = _sentences("Мужчину направили на экспертизу. 24 июля он бросил детей под поезд. Рост составил 5 млрд. 300 млн рублей.", "ru")
    assert [s.text for s in ru] == ["Мужчину направили на экспертизу.", "24 июля он бросил детей под поезд.",
                                    "Рост составил 5 млрд. 300 млн рублей."]


@pytest.mark.parametrize("text, expected", [
    # a unit after a number ends a sentence before a capital, not before a lower-case word
    ("Масса составила 8,5 г. Это рекорд.", ["Масса составила 8,5 г.", "Это рекорд."]),
    ("Длина трещины 21 см. Кроме того, пострадал фасад.", ["Длина трещины 21 см.", "Кроме того, пострадал фасад."]),
    ("Площадь составит 3 тыс. м. Работы начнутся летом.", ["Площадь составит 3 тыс. м.", "Работы начнутся летом."]),
    ("В Физули проживает более 3 тыс. человек. Город растет.", ["В Физули проживает более 3 тыс. человек.", "Город растет."]),
    ("Число составило 6 млн 895 тыс. Из них половина иностранцы.", ["Число составило 6 млн 895 тыс.", "Из них половина иностранцы."]),
    # "г." elsewhere is a city, an initial before a name goes on, an initial after a word before an opener ends
    ("Встреча прошла в г. Баку. Она была долгой.", ["Встреча прошла в г. Баку.", "Она была долгой."]),
    ("Об этом сказал M. Бабаев на брифинге.", ["Об этом сказал M. Бабаев на брифинге."]),
    ("В продукте много витамина С. Он полезен.", ["В продукте много витамина С.", "Он полезен."]),
    # words that stand before a number never end a sentence; a full stop before a number after a word does
    ("Prices rose 5 percent, incl. 20 percent VAT on fuel.", ["Prices rose 5 percent, incl. 20 percent VAT on fuel."]),
    ("The rule is set out in para. 4 of the law.", ["The rule is set out in para. 4 of the law."]),
    ("Офис находится по адресу: просп. Нефтяников, корп. 2. Вход со двора.",
     ["Офис находится по адресу: просп. Нефтяников, корп. 2.", "Вход со двора."]),
    ("Сайт расположен на просп. 12 Апреля. Он открыт.", ["Сайт расположен на просп. 12 Апреля.", "Он открыт."]),
    # domains stay whole; a number ends a quoted sentence; ellipses end one before a capital
    ("Как сообщает URA.RU, сделка закрыта. Об этом пишет BFM.TV.", ["Как сообщает URA.RU, сделка закрыта.", "Об этом пишет BFM.TV."]),
    ('"Two ships will be bought by 2027. Work is also underway," he said.',
     ['"Two ships will be bought by 2027.', 'Work is also underway," he said.']),
    ("He paused... Then he went on.", ["He paused...", "Then he went on."]),
    # a closing quote stays with its sentence; a quote followed by its attribution goes on
    ('"I didn\'t do it." Remember?', ['"I didn\'t do it."', "Remember?"]),
    ('"Why?" he asked. It was late.', ['"Why?" he asked.', "It was late."]),
    ("It was rated at 5 p.m. ET by the U.S. Senate staff.", ["It was rated at 5 p.m. ET by the U.S. Senate staff."]),
    ("Flights were halted in the U.S. The airline apologised.", ["Flights were halted in the U.S.", "The airline apologised."]),
    ("Mr. Adams and Ms. Maurice met Sens. Lindsey Graham and Mike Lee.", ["Mr. Adams and Ms. Maurice met Sens. Lindsey Graham and Mike Lee."]),
    ("The airport will stay closed until Oct. President Widodo arrived on Oct. 2.",
     ["The airport will stay closed until Oct.", "President Widodo arrived on Oct. 2."]),
])
def test_one_abbreviation_list_per_language_decides_sentence_ends(text, expected):
    assert [s.text for s in _sentences(text, "ru" if any("а" <= ch <= "я" for ch in text) else "en")] == expected


def test_hard_wrapped_paragraphs_are_joined_again():
    text = ("In accordance with the instructions of Azerbaijani President\nIlham Aliyev, the return of former "
            "displaced persons to\nthe restored city of Lachin continues, Azernews reports.\nAnother group of 21 "
            "families left for\nLachin on November 22.")
    assert [s.text for s in _sentences(text, "en")] == [
        "In accordance with the instructions of Azerbaijani President Ilham Aliyev, the return of former displaced "
        "persons to the restored city of Lachin continues, Azernews reports.",
        "Another group of 21 families left for Lachin on November 22."]
    listed = "The port announced incentives. The package includes:\n- a discount on containers;\n- free storage."
    assert len(_sentences(listed, "en")) == 4  # a list keeps one item a line


def test_the_head_of_a_page_gives_the_title_and_chrome():
    text = (" date 2025-12-16 Ilham Aliyev WUF13 Budget package\n    Baku declared World Capital of Sports for 2026\n\n"
            "    Individual sports\n    • 16 December, 2025\n    • 18:12\n"
            "    The title has officially been handed over from Monaco to Baku, Report informs.\n\nIt was a ceremony.")
    layout = layout_block(text, 0, len(text), "en")
    assert [(s.text, s.is_title) for s in layout.sentences] == [
        ("Baku declared World Capital of Sports for 2026", True),
        ("The title has officially been handed over from Monaco to Baku, Report informs.", False),
        ("It was a ceremony.", False)]
    assert [(f.kind, text[f.start:f.end]) for f in layout.furniture] == [
        ("date", "date 2025-12-16"), ("chrome", "Ilham Aliyev WUF13 Budget package"),
        ("chrome", "Individual sports"), ("datetime", "• 16 December, 2025"), ("datetime", "• 18:12")]


def test_a_first_line_with_a_full_stop_is_the_lead_not_a_title():
    text = " date 2026-01-14 Throughout 2025, the airport served 7.6 million passengers.\n\nMost flew abroad."
    sentences = _sentences(text, "en")
    assert not any(s.is_title for s in sentences) and len(sentences) == 2
    translated = "Иностранцы будут платить больше.\n\nБАКУ /Trend/ - Иностранные покупатели заплатят больше."
    assert _sentences(translated, "ru")[0].is_title  # before a dateline, a headline may end with a full stop


def test_a_title_in_title_case_is_never_cut():
    text = "China-Azerbaijan Relations Stand Out As Most Fruitful Year In 2025 - Ambassador\n\nThe year was fruitful."
    assert _sentences(text, "en")[0].text == "China-Azerbaijan Relations Stand Out As Most Fruitful Year In 2025 - Ambassador"


def test_lines_in_a_third_language_and_tails_are_set_aside():
    ru = "Vətən müharibəsinin Anım Gününün rəmzi olan Xarı bülbül\nЗаголовок новости о форуме\n\nБАКУ /Trend/ - Форум открылся."
    layout = layout_block(ru, 0, len(ru), "ru")
    assert [s.text for s in layout.sentences] == ["Заголовок новости о форуме", "Форум открылся."]
    assert layout.furniture[0].kind == "other-language"
    en = "The forum opened. It will last three days.\n\nBy Tamilla Hasanova\n\nTags:\nBaku forum dialogue"
    layout = layout_block(en, 0, len(en), "en")
    assert [s.text for s in layout.sentences] == ["The forum opened.", "It will last three days."]
    assert [f.kind for f in layout.furniture] == ["byline", "source", "chrome"]


def test_a_document_keeps_its_headings_and_short_lines():
    text = ("Annual report\nChapter one\nOverview of the year\n\nThe port grew. Trade rose.\n\n"
            "Outlook\n\nMore ships are due.\n\nThank you")
    page = [s.text for s in layout_block(text, 0, len(text), "en").sentences]
    assert "Chapter one" not in page and "Thank you" not in page  # a news page's head and tail
    document = layout_block(text, 0, len(text), "en", page=False)
    assert [(s.text, s.is_title) for s in document.sentences] == [
        ("Annual report", True), ("Chapter one", False), ("Overview of the year", False),
        ("The port grew.", False), ("Trade rose.", False), ("Outlook", False),
        ("More ships are due.", False), ("Thank you", False)]
    assert not document.furniture
    third = "Заголовок\n\nVətən müharibəsinin Anım Gününün rəmzi\n\nФорум открылся."
    assert len(layout_block(third, 0, len(third), "ru", page=False).sentences) == 3


def test_one_sentence_a_line_is_written_out_like_any_sentence():
    text = "Tom &amp; Jerry.\r\n&nbsp;\n\n  Second   line.\nthird\r line"
    sentences = line_sentences(text, 0, len(text), "en")
    assert [s.text for s in sentences] == ["Tom & Jerry.", "Second line.", "third line"]
    assert all(text[s.start:s.end].strip().startswith(s.text[:2]) for s in sentences)


def test_every_furniture_span_is_text_that_no_sentence_holds(seed_text):
    segments = detect_segments(seed_text)
    for segment in segments:
        layout = layout_block(seed_text, segment.start, segment.end, segment.lang)
        spans = [(s.start, s.end) for s in layout.sentences] + [(f.start, f.end) for f in layout.furniture]
        spans.sort()
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # nothing is in two places
        assert all(seed_text[f.start:f.end].strip() for f in layout.furniture)
