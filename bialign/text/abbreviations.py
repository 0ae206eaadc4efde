"""The abbreviations of each language, by how a full stop after them may end a sentence.

One list per language, from which every rule of the sentence splitter reads
(:mod:`bialign.text.sentences`). Words are lower case, without their final full stop; inner
full stops stay (``т.е``, ``a.m``).

* :data:`NEVER` never end a sentence: they stand before a name or a number (``Mr.``,
  ``им.``, ``ул.``, ``incl.``, ``корп.``, ``просп.``).
* :data:`AFTER_NUMBER` are units: after a number they end a sentence when a capital
  follows (``8,5 г. Это``, ``21 см. Кроме``, ``895 тыс. Из них``), and elsewhere they are
  other words that never end one (``г. Москва``, ``см. выше``).
* :data:`BEFORE_OPENER` end a sentence only before a word that opens one and is never
  capitalised inside a sentence (:data:`OPENERS`): ``7 p.m. ET`` and ``the U.S. Senate`` go
  on, ``in the U.S. The company`` ends.
* :data:`BEFORE_CAPITAL` end a sentence before any capital, never before a number (``и т.д.
  Затем``, ``etc.``, ``until Oct. President`` but ``Oct. 26``, ``see para. 4``, ``No. 5``).

A word in none of them ends a sentence before a capital, a digit or an opening quote; a
single capital letter is an initial (``M. Бабаев``) unless a lower-case word comes before
it and a sentence opener after it (``витамин С. Он``).
"""

from __future__ import annotations

NEVER: dict[str, frozenset[str]] = {
    "en": frozenset(
        "mr mrs ms messrs mmes dr prof gen col lt sgt capt cpt maj cmdr adm gov sen sens rep reps st mt ft rev fr"
        " hon pres supt insp det cf vs viz e.g i.e incl approx".split()),
    "ru": frozenset(
        "им ул просп пр-т пер пл бул наб ш корп кв д стр обл р-н мкр пос с дер и.о т.е т.к т.н т.ч напр проф"
        " акад ген св букв англ нем франц фр лат рус греч араб итал исп кит яп укр азерб каз узб тур ст ч п"
        " гл рис табл прим изд вып т тел".split()),
}

AFTER_NUMBER: dict[str, frozenset[str]] = {
    "en": frozenset("km m cm mm kg lb lbs oz mi sq bn mln bln".split()),
    "ru": frozenset(
        "г гг в вв тыс млн млрд трлн руб долл коп см мм км м кг т га л мин сек ч млн.руб тыс.руб".split()),
}

BEFORE_OPENER: dict[str, frozenset[str]] = {
    "en": frozenset("a.m p.m u.s u.k u.n e.u inc ltd co corp jr sr bros".split()),
    "ru": frozenset(),
}

BEFORE_CAPITAL: dict[str, frozenset[str]] = {
    "en": frozenset("etc al jan feb mar apr jun jul aug sep sept oct nov dec no nos art sec ch p pp fig figs vol vols"
                    " para paras ref tel ext rs".split()),
    "ru": frozenset("т.д т.п др пр янв фев мар апр авг сент окт нояб дек".split()),
}

#: Words that open a sentence and are never capitalised inside one: pronouns, articles,
#: conjunctions, prepositions (names such as "It" or "The Times" are why "It" and "The"
#: count only here, after an abbreviation, and not where line breaks were lost).
OPENERS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "The A An This That These Those It Its He She They We I You His Her Their Our My There Here When While"
        " Whereas If Although Though Because However Meanwhile Moreover But And Or So Yet Some Many Most Several"
        " Such In On At For From By With As After Before During Since Under Over According Earlier Later Also"
        " Then Now Today Yesterday".split()),
    "ru": frozenset(
        "В Во На По С Со К Ко О Об У Из За До Для От При Про Без Под Над Через После Перед Между Благодаря"
        " Согласно Несмотря Кроме Вместо Среди Около Против Он Она Они Оно Мы Я Вы Это Этот Эта Эти Его Ее Её Их"
        " Все Всё Когда Если Хотя Поскольку Так Как Но И А Однако Также Тем Теперь Ранее Затем Сегодня Вчера"
        " Накануне Позже Отметим Напомним".split()),
}
