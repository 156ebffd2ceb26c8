"""Shared negatives: skip-gram whose context words of a window share their noise words (after Ji et al. 2016), the
default for skip-gram with negative sampling. It changes the statistics of training, so it must learn what the
exact algorithm learns: analogies of a planted corpus within a point of the exact mode's accuracy."""

import numpy as np
import pytest

from conftest import analogy_corpus
from w2vfast import Word2Vec


def accuracy(shared, questions, seed):
    # Small vectors and two epochs keep accuracy near 70%, where a worse algorithm shows (at 100% nothing would).
    model = Word2Vec(analogy_corpus(), vector_size=16, window=5, min_count=1, sample=0, epochs=2, workers=1,
                     seed=seed, shared_negatives=shared, progress=False)
    return model.wv.evaluate_word_analogies(questions, case_insensitive=False)[0]


def test_shared_negatives_answer_planted_analogies_within_a_point_of_the_exact_mode(questions):
    # One seed varies by +-4 points here; the mean of six is what the comparison can rely on.
    seeds = range(1, 7)
    exact = np.mean([accuracy(False, questions, seed) for seed in seeds])
    shared = np.mean([accuracy(True, questions, seed) for seed in seeds])
    assert 0.5 < exact < 0.95, "the analogies must be learnable but not trivial, or the comparison means nothing"
    assert shared >= exact - 0.01, (shared, exact)


def test_shared_negatives_are_reproducible_with_one_worker_and_differ_from_the_exact_mode(planted_file):
    first, second = (Word2Vec(corpus_file=planted_file, vector_size=16, min_count=1, epochs=2, workers=1, seed=4,
                              shared_negatives=True, progress=False) for _ in range(2))
    assert np.array_equal(first.wv.vectors, second.wv.vectors)
    exact = Word2Vec(corpus_file=planted_file, vector_size=16, min_count=1, epochs=2, workers=1, seed=4,
                     shared_negatives=False, progress=False)
    assert not np.array_equal(first.wv.vectors, exact.wv.vectors)


def test_shared_negatives_are_the_default_where_they_apply():
    assert Word2Vec().shared_negatives is True
    assert Word2Vec(shared_negatives=False).shared_negatives is False
    for mode in (dict(sg=0), dict(hs=1, negative=0), dict(hs=1, negative=5)):
        assert Word2Vec(**mode).shared_negatives is False


@pytest.mark.parametrize("mode", [dict(sg=0), dict(hs=1, negative=0), dict(hs=1, negative=5)])
def test_shared_negatives_outside_skip_gram_with_negative_sampling_raise_value_error(mode):
    with pytest.raises(ValueError, match="shared_negatives"):
        Word2Vec(shared_negatives=True, **mode)
