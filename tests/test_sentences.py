import pytest

from bialign.detect import detect_segments
from bialign.sentences import split_block


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
