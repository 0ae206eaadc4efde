import numpy as np

import itertools

from bialign.align.beads import AlignParams, RunLayout, candidates, search, search_spans, total_gain


def _score_from(matrix):
    def score(i, a, j, b):
        return float(np.mean(matrix[i:i + a, j:j + b])) if a * b else 0.0
    return score


def test_one_to_one_diagonal_with_skipped_english():
    sim = np.full((5, 2), 0.1)
    sim[0, 0] = 0.9
    sim[3, 1] = 0.8
    beads = search(5, 2, _score_from(sim), AlignParams(threshold=0.5))
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((3,), (1,))]


def test_unmatched_russian_sentence_is_left_out():
    sim = np.array([[0.9, 0.2], [0.1, 0.3]])
    beads = search(2, 2, _score_from(sim), AlignParams(threshold=0.5))
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,))]


def _mean(vectors, start, length):
    total = vectors[start:start + length].sum(axis=0)
    return total / np.linalg.norm(total)


def test_two_english_sentences_merge_when_the_pair_scores_higher():
    vectors_en = np.eye(3, dtype=np.float32)
    target = (vectors_en[0] + vectors_en[1]) / np.sqrt(2)
    beads = search(3, 1, lambda i, a, j, b: float(_mean(vectors_en, i, a) @ target), AlignParams(threshold=0.5))
    assert [(b.src, b.tgt) for b in beads] == [((0, 1), (0,))]
    assert abs(beads[0].score - 1.0) < 1e-6


def test_monotone_search_keeps_the_english_order():
    sim = np.array([[0.1, 0.9], [0.9, 0.1]])
    beads = search(2, 2, _score_from(sim), AlignParams(threshold=0.5, reorder=False))
    assert len(beads) == 1


def test_summary_search_pairs_a_reordered_sentence():
    # the editor gives the second English sentence first
    sim = np.array([[0.1, 0.9], [0.9, 0.1]])
    beads = search(2, 2, _score_from(sim), AlignParams(threshold=0.5))
    assert [(b.src, b.tgt) for b in beads] == [((1,), (0,)), ((0,), (1,))]


def test_reordering_costs_the_order_penalty():
    sim = np.array([[0.1, 0.56], [0.56, 0.1]])
    # each bead gains 0.06; together they gain 0.12 minus the order penalty
    both = search(2, 2, _score_from(sim), AlignParams(threshold=0.5, order_penalty=0.05))
    assert len(both) == 2
    one = search(2, 2, _score_from(sim), AlignParams(threshold=0.5, order_penalty=0.1))
    assert len(one) == 1


def test_skipped_english_before_a_match_costs():
    # the same Russian sentence matches English 0 and 3 equally: the earlier one wins
    sim = np.array([[0.8], [0.1], [0.1], [0.8]])
    beads = search(4, 1, _score_from(sim), AlignParams(threshold=0.5))
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,))]


def _path_gain(beads, params, similarity, src_rows, tgt_rows):
    """Total gain of a bead path as the search defines it (skips before the last match cost);
    None when a bead gains nothing, as such beads are never taken."""
    total, last = 0.0, 0
    for src, tgt in beads:
        total -= params.skip_src_penalty * (src[0] - last)
        a, b = len(src), len(tgt)
        gain = (similarity[src_rows[(src[0], a)], tgt_rows[(tgt[0], b)]] - params.threshold
                - params.extra_sentence_penalty * (a + b - 2))
        if gain <= 0:
            return None
        total += gain
        last = src[-1] + 1
    return total


def _all_paths(n_src, n_tgt, shapes, i=0, j=0):
    """Every monotonic sequence of beads (English run, Russian run) from cell (i, j)."""
    yield []
    for a, b in shapes:
        for start_i in range(i, n_src - a + 1):
            for start_j in range(j, n_tgt - b + 1):
                bead = (tuple(range(start_i, start_i + a)), tuple(range(start_j, start_j + b)))
                for rest in _all_paths(n_src, n_tgt, shapes, start_i + a, start_j + b):
                    yield [bead] + rest


def test_monotone_search_finds_the_best_path_of_all():
    params = AlignParams(threshold=0.3, reorder=False)
    rng = np.random.default_rng(7)
    for n_src, n_tgt in ((4, 2), (5, 3), (3, 3)):
        src = RunLayout.of(n_src, params.max_src)
        tgt = RunLayout.of(n_tgt, params.max_tgt)
        src_spans, tgt_spans = src.spans, tgt.spans
        src_rows = {span: row for row, span in enumerate(src_spans)}
        tgt_rows = {span: row for row, span in enumerate(tgt_spans)}
        for _ in range(20):
            similarity = rng.uniform(0.0, 0.9, (len(src_spans), len(tgt_spans)))
            found = search_spans(similarity, src, tgt, params)
            gain = _path_gain([(b.src, b.tgt) for b in found], params, similarity, src_rows, tgt_rows)
            gains = (_path_gain(path, params, similarity, src_rows, tgt_rows)
                     for path in _all_paths(n_src, n_tgt, params.bead_shapes()))
            best = max(g for g in gains if g is not None)
            assert abs(gain - best) < 1e-9
            for bead in found:
                assert bead.score == similarity[src_rows[(bead.src[0], len(bead.src))], tgt_rows[(bead.tgt[0], len(bead.tgt))]]


def _disjoint(chosen):
    src = [i for c in chosen for i in range(c.src_start, c.src_start + c.src_length)]
    tgt = [j for c in chosen for j in range(c.tgt_start, c.tgt_start + c.tgt_length)]
    return len(src) == len(set(src)) and len(tgt) == len(set(tgt))


def test_summary_search_finds_the_best_set_of_all():
    params = AlignParams(threshold=0.45, order_penalty=0.05)
    rng = np.random.default_rng(11)
    for n_src, n_tgt in ((4, 2), (5, 3), (3, 3), (6, 3)):
        src = RunLayout.of(n_src, params.max_src)
        tgt = RunLayout.of(n_tgt, params.max_tgt)
        for _ in range(15):
            similarity = rng.uniform(0.0, 0.9, (len(src.spans), len(tgt.spans)))
            found = candidates(similarity, src, tgt, params)
            beads = search_spans(similarity, src, tgt, params)
            chosen = [c for c in found if (tuple(range(c.src_start, c.src_start + c.src_length)),
                                           tuple(range(c.tgt_start, c.tgt_start + c.tgt_length)))
                      in {(b.src, b.tgt) for b in beads}]
            assert len(chosen) == len(beads) and _disjoint(chosen)
            best = max(total_gain(subset, params) for size in range(min(len(found), n_tgt) + 1)
                       for subset in itertools.combinations(found, size) if _disjoint(subset))
            assert abs(total_gain(chosen, params) - best) < 1e-9


def test_relief_lets_a_merge_win_a_near_tie_and_keeps_its_score():
    # English 0+1 with Russian 0 scores 0.718, English 0 alone 0.717: the extra sentence's
    # penalty decides, unless the Russian sentence's clauses render both (relief).
    src, tgt = RunLayout.of(2, 2), RunLayout.of(1, 1)
    similarity = np.zeros((len(src.spans), len(tgt.spans)))
    similarity[src.spans.index((0, 1)), 0] = 0.717
    similarity[src.spans.index((0, 2)), 0] = 0.718
    params = AlignParams()
    assert [b.src for b in search_spans(similarity, src, tgt, params)] == [(0,)]
    relief = np.zeros_like(similarity)
    relief[src.spans.index((0, 2)), 0] = params.extra_sentence_penalty
    [bead] = search_spans(similarity, src, tgt, params, relief)
    assert bead.src == (0, 1) and bead.score == 0.718


def test_documents_take_beads_of_any_shape_up_to_their_size_and_summaries_keep_theirs():
    from bialign import AlignParams

    summary = AlignParams()
    assert sorted(summary.bead_shapes()) == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]
    documents = summary.for_documents()
    assert sorted(documents.bead_shapes()) == [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (3, 1)]
    assert not documents.reorder
    larger = AlignParams(document_bead_sentences=5).for_documents()
    assert {(1, 4), (2, 3), (3, 2), (4, 1)} <= set(larger.bead_shapes())
