"""Clauses of a Russian sentence, the evidence for a merged bead."""

import numpy as np

from bialign import Aligner, Item
from bialign.text.clauses import clauses, renders_each


def test_a_merged_sentence_divides_at_its_clause_breaks():
    text = ("Остальные участники группы выбрались самостоятельно с помощью двух очевидцев; "
            "у всех лыжников были лавинные датчики.")
    assert clauses(text) == ["Остальные участники группы выбрались самостоятельно с помощью двух очевидцев",
                             "у всех лыжников были лавинные датчики."]
    assert clauses("Станции строятся на Фиолетовой линии и свяжут жилые районы с центром.") == [
        "Станции строятся на Фиолетовой линии", "и свяжут жилые районы с центром."]


def test_a_sentence_of_one_clause_has_none_to_offer():
    assert clauses("Компания также заказала у российского производителя 20 новых вагонов.") == []
    assert clauses("Об этом сообщили Trend в пресс-службе: Баку.") == []  # a piece under three words


def test_each_sentence_needs_a_clause_of_its_own():
    assert renders_each(np.array([[0.7, 0.3], [0.2, 0.6]]), 0.4)
    assert renders_each(np.array([[0.3, 0.7], [0.6, 0.2]]), 0.4)
    assert not renders_each(np.array([[0.7, 0.3], [0.6, 0.2]]), 0.4)  # both on the first clause
    assert not renders_each(np.array([[0.7], [0.6]]), 0.4)  # two sentences, one clause


def test_a_short_sentence_merged_after_a_semicolon_stays_in_its_pair(default_embedder):
    # An editorial summary: the joined English text scores no higher than its first sentence
    # alone, and the Russian clause after the semicolon renders the short second sentence.
    text = ("date 2020-02-01 Avalanche at ski resort kills 1\n\n"
            "The identity of the man who died hasn't been released. "
            "The other skiers in his group rescued themselves with the help of two witnesses who saw them get "
            "swept up by the snow. All were wearing avalanche beacons.\n\n"
            "Лавина на горнолыжном курорте унесла жизнь одного человека\n\n"
            "Имя погибшего не разглашается. Остальные участники группы выбрались самостоятельно с помощью двух "
            "очевидцев, видевших, как их накрыло снегом; у всех лыжников были лавинные датчики.\n")
    result = Aligner(embedder=default_embedder).align_item(Item("merge", text))
    merged = [p for p in result.pairs if p.tgt.startswith("Остальные")]
    assert [p.src for p in merged] == ["The other skiers in his group rescued themselves with the help of two "
                                       "witnesses who saw them get swept up by the snow. All were wearing "
                                       "avalanche beacons."]
