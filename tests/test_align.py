import numpy as np

from bialign.align import AlignParams, search, span_vectors


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


def test_two_english_sentences_merge_when_the_pair_scores_higher():
    vectors_en = np.eye(3, dtype=np.float32)
    target = (vectors_en[0] + vectors_en[1]) / np.sqrt(2)
    en = span_vectors(vectors_en, 3)
    ru = span_vectors(target[None, :], 1)
    beads = search(3, 1, lambda i, a, j, b: float(en[(i, a)] @ ru[(j, b)]), AlignParams(threshold=0.5))
    assert [(b.src, b.tgt) for b in beads] == [((0, 1), (0,))]
    assert abs(beads[0].score - 1.0) < 1e-6


def test_order_is_monotonic():
    sim = np.array([[0.1, 0.9], [0.9, 0.1]])
    beads = search(2, 2, _score_from(sim), AlignParams(threshold=0.5))
    assert len(beads) == 1
