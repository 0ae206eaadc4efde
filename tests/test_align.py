import numpy as np

from bialign.align import AlignParams, RunLayout, search, search_spans, span_lengths


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


def test_order_is_monotonic():
    sim = np.array([[0.1, 0.9], [0.9, 0.1]])
    beads = search(2, 2, _score_from(sim), AlignParams(threshold=0.5))
    assert len(beads) == 1


def test_soft_boundaries_join_pieces_of_one_sentence():
    # units 1 and 2 are pieces of one sentence: a run over them counts one sentence
    soft = [False, False, True, False]
    assert span_lengths(soft, 0, 1, 6) == [(1, 1)]
    assert span_lengths(soft, 1, 1, 6) == [(1, 1), (2, 1)]
    assert span_lengths(soft, 0, 2, 6) == [(1, 1), (2, 2), (3, 2)]
    assert span_lengths(soft, 1, 3, 2) == [(1, 1), (2, 1)]


def test_cutting_a_soft_boundary_costs():
    # one English sentence cut in two soft pieces; each piece matches one Russian sentence
    sim = np.array([[0.8, 0.1], [0.1, 0.8]])

    def score(i, a, j, b):
        return float(np.mean(sim[i:i + a, j:j + b])) if (a, b) == (1, 1) else 0.3

    cheap = search(2, 2, score, AlignParams(threshold=0.5, soft_split_penalty=0.1), [False, True])
    assert [(b.src, b.tgt) for b in cheap] == [((0,), (0,)), ((1,), (1,))]
    dear = search(2, 2, score, AlignParams(threshold=0.5, soft_split_penalty=0.7), [False, True])
    assert dear == []


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


def test_search_finds_the_best_path_of_all():
    params = AlignParams(threshold=0.3)
    rng = np.random.default_rng(7)
    for n_src, n_tgt in ((4, 2), (5, 3), (3, 3)):
        src = RunLayout.of([False] * n_src, params.max_src, params.max_units)
        tgt = RunLayout.of([False] * n_tgt, params.max_tgt, params.max_units)
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
