from bialign.text.detect import detect_segments


def _blocks(text):
    return [(s.lang, " ".join(text[s.start:s.end].split())) for s in detect_segments(text)]


def test_seed_has_english_then_russian(seed_text):
    segments = detect_segments(seed_text)
    assert [s.lang for s in segments] == ["en", "ru"]
    assert seed_text[segments[0].start:].startswith(" date 2020-11-14") or segments[0].start == 0
    assert seed_text[segments[1].start:segments[1].end].startswith("Завершились")
    assert seed_text[segments[0].start:segments[0].end].rstrip().endswith("peace negotiations.")


def test_russian_first_and_latin_names_inside_russian():
    text = ("Компания Apple представила новый iPhone в Купертино. Об этом сообщает Trend.\n"
            "Apple unveiled a new iPhone in Cupertino. Trend reports.")
    assert [lang for lang, _ in _blocks(text)] == ["ru", "en"]


def test_cyrillic_quote_inside_english_stays_english():
    text = ('The slogan "Слава героям" was painted on the wall. Police removed it on Monday.\n'
            "Лозунг был нарисован на стене. Полиция удалила его в понедельник.")
    blocks = _blocks(text)
    assert [lang for lang, _ in blocks] == ["en", "ru"]
    assert blocks[0][1].endswith("on Monday.")


def test_glued_boundary_without_line_break():
    text = "He left the city on Friday, officials said. Он покинул город в пятницу, сообщили чиновники."
    assert _blocks(text) == [
        ("en", "He left the city on Friday, officials said."),
        ("ru", "Он покинул город в пятницу, сообщили чиновники."),
    ]


def test_neutral_lines_follow_their_neighbours():
    text = "Trend:\n\n2024\n\nThe talks ended.\n\nПереговоры завершились.\n\n12:30"
    blocks = _blocks(text)
    assert blocks == [("en", "Trend: 2024 The talks ended."), ("ru", "Переговоры завершились. 12:30")]


def test_one_language_and_no_letters():
    assert [s.lang for s in detect_segments("Only English here. Nothing else.")] == ["en"]
    assert detect_segments("12:30 2024-01-01 ...") == []


def test_other_cyrillic_and_latin_languages_are_not_russian_or_english():
    ukrainian = "Україна та Польща підписали угоду, яка також стосується енергетики і транспорту."
    kazakh = "Қазақстан Республикасының Президенті жаңа заңға қол қойды және оны жариялады."
    azerbaijani = "Azərbaycan prezidenti İlham Əliyev bu gün yeni qərar imzalayıb və açıqlayıb."
    assert [s.lang for s in detect_segments(ukrainian)] == ["uk"]
    assert [s.lang for s in detect_segments(kazakh)] == ["kk"]
    assert [s.lang for s in detect_segments(azerbaijani)] == ["az"]


def test_offsets_are_in_bounds_and_ordered():
    text = "A b c. Д е ж. E f g. З и к."
    segments = detect_segments(text)
    assert all(0 <= s.start <= s.end <= len(text) for s in segments)
    assert all(a.end <= b.start for a, b in zip(segments, segments[1:]))


def test_byline_glued_to_a_russian_title_stays_english():
    text = ("The party voted against him on Monday. Chris Leslie is MP for Nottingham East "
            "Лейбористская партия больше не широкая церковь. Она нетерпима к инакомыслию.")
    blocks = _blocks(text)
    assert [lang for lang, _ in blocks] == ["en", "ru"]
    assert blocks[0][1].endswith("Nottingham East")
    assert blocks[1][1].startswith("Лейбористская")


def test_sentence_end_after_a_number_is_a_cheap_switch():
    text = ("Anyone who can identify the men should call Newport police at 859-292-3680. "
            "Дерзкая кража 26 750 долл. во время обслуживания банкомата.")
    blocks = _blocks(text)
    assert blocks[0] == ("en", "Anyone who can identify the men should call Newport police at 859-292-3680.")
    assert blocks[1][1].startswith("Дерзкая кража")


def test_a_header_line_in_a_third_language_opens_the_next_block():
    text = ("The forum brought together experts from forty countries. They discussed trade.\n\n"
            "Vətən müharibəsinin Anım Gününün rəmzi olan Xarı bülbül\n"
            "Форум собрал экспертов из сорока стран. Они обсудили торговлю.")
    blocks = _blocks(text)
    assert [lang for lang, _ in blocks] == ["en", "ru"]
    assert blocks[0][1].endswith("They discussed trade.") and blocks[1][1].startswith("Vətən")
    byline = "The forum opened today in the capital.\n\nBy Tamilla Hasanova\n\nФорум открылся сегодня в столице."
    assert _blocks(byline)[0][1].endswith("By Tamilla Hasanova")  # a short line is not named: it stays


def test_latin_look_alikes_inside_cyrillic_words_do_not_change_the_language():
    mixed = "Товарооборот увеличилcя на 5%, сообщили в AЖД. Об этом сказал M.Бабаев."
    assert [s.lang for s in detect_segments(mixed)] == ["ru"]


def test_detect_command_writes_the_furniture_set_aside(tmp_path, seed_text):
    import json

    from bialign.cli import main

    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    assert main(["detect", str(tmp_path / "seed.txt"), "-o", str(tmp_path / "out.jsonl"), "-q"]) == 0
    [record] = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    kinds = [piece["kind"] for piece in record["furniture"]]
    assert kinds[:4] == ["date", "datetime", "dateline", "source"] and "dateline" in kinds[4:]
    for piece in record["furniture"]:
        assert seed_text[piece["start"]:piece["end"]] == piece["text"]
