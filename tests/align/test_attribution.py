"""Russian sentences that only carry an attribution, and how the search treats them."""

from __future__ import annotations

import numpy as np
import pytest

from bialign.align.beads import AlignParams, RunLayout, alone_runs, attribution_runs, search_spans
from bialign.text.attribution import is_attribution


@pytest.mark.parametrize("sentence", [
    "Как сообщает в понедельник Trend, об этом заявила посол Китая в Азербайджане на брифинге в Баку.",
    "Как передает Day.Az со ссылкой на АЗЕРТАДЖ, об этом, в частности, сказал президент в интервью.",
    "Об этом сообщает в четверг Trend со ссылкой на министерство инвестиций.",
    "Об этом корреспонденту Report заявил специальный представитель президента.",
    "Как сообщает Report, об этом свидетельствуют данные Центробанка.",
    "Такое заявление сделал министр на пресс-конференции.",
])
def test_attribution_sentences(sentence):
    assert is_attribution(sentence)


@pytest.mark.parametrize("sentence", [
    "Как сообщает Report, в Баку состоялась торжественная церемония.",  # it says what happened
    "Об этом он объявил в субботу в Твиттере: «Личность, ранее известная как Канье Уэст».",  # and quotes
    "Это заявление прозвучало после того, как Конгресс отклонил план.",
    "Объявлена молодежная столица Азербайджана.",
])
def test_sentences_that_say_more_than_who_said_it(sentence):
    assert not is_attribution(sentence)


def test_an_attribution_may_join_a_bead_of_two_russian_sentences():
    """One English sentence rendered by two Russian sentences and their attribution: a bead of
    one and three sentences, longer than the search allows any other."""
    params = AlignParams()
    src, tgt = RunLayout.of(1, params.max_src), RunLayout.of(3, params.max_tgt + 1)
    similarity = np.zeros((len(src.spans), len(tgt.spans)))
    similarity[0, tgt.spans.index((0, 3))] = 0.75
    similarity[0, tgt.spans.index((0, 2))] = 0.46
    similarity[0, tgt.spans.index((2, 1))] = 0.53
    allowed, floor = attribution_runs([False, False, True], tgt, params)
    beads = search_spans(similarity, src, tgt, params, None, None, allowed, floor)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0, 1, 2))]
    no_attribution = attribution_runs([False, False, False], tgt, params)
    beads = search_spans(similarity, src, tgt, params, None, None, *no_attribution)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (2,))]  # without it: the attribution alone


def test_an_attribution_alone_needs_its_own_threshold():
    params = AlignParams()
    src, tgt = RunLayout.of(2, params.max_src), RunLayout.of(2, params.max_tgt + 1)
    similarity = np.zeros((len(src.spans), len(tgt.spans)))
    similarity[src.spans.index((0, 1)), tgt.spans.index((0, 1))] = 0.8
    similarity[src.spans.index((1, 1)), tgt.spans.index((1, 1))] = params.attribution_threshold - 0.02
    allowed, floor = attribution_runs([False, True], tgt, params)
    beads = search_spans(similarity, src, tgt, params, None, None, allowed, floor)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,))]
    assert len(search_spans(similarity, src, tgt, params, None, None, allowed)) == 2  # without the floor


def test_runs_longer_than_max_tgt_only_for_an_attribution_and_a_lone_title_stands_alone():
    params = AlignParams()
    tgt = RunLayout.of(4, params.max_tgt + 1)
    allowed, _ = attribution_runs([False, False, True, False], tgt, params)
    longer = {span: ok for span, ok in zip(tgt.spans, allowed) if span[1] > params.max_tgt}
    assert longer == {(0, 3): True, (1, 3): False}
    alone = alone_runs(RunLayout.of(3, 2), True)
    assert [span for span, ok in zip(RunLayout.of(3, 2).spans, alone) if not ok] == [(0, 2)]
