"""Training: what it learns, where its weights start and that it updates them in place, and how subsampling, the
learning-rate schedule and the loss act along the way. Reproducibility is tested for every mode in test_modes.py,
reading every line once in test_corpora.py, Ctrl-C in test_interrupt.py and a diverging learning rate in
test_robustness.py."""

import numpy as np
import pytest

from conftest import COMMUNITY_SIZE
from w2vfast import Word2Vec


def small_model(**overrides):
    settings = dict(vector_size=24, window=3, min_count=1, negative=5, epochs=4, workers=1, seed=5, sample=0)
    settings.update(overrides)
    return Word2Vec(**settings)


def assert_communities_separate(wv):
    for community in "ab":
        for i in range(COMMUNITY_SIZE):
            neighbours = [word for word, _ in wv.most_similar(f"{community}{i}", topn=5)]
            assert all(word[0] == community for word in neighbours), (f"{community}{i}", neighbours)


@pytest.mark.parametrize("workers", [1, 2])
def test_neighbours_come_from_the_same_planted_community(planted_file, workers):
    model = Word2Vec(corpus_file=planted_file, vector_size=24, window=3, min_count=1, epochs=5, workers=workers)
    assert_communities_separate(model.wv)


def test_sentence_iterables_learn_the_planted_communities_too(planted_corpus):
    model = Word2Vec(planted_corpus, vector_size=24, window=3, min_count=1, epochs=5, workers=2)
    assert_communities_separate(model.wv)


def test_untrained_vectors_do_not_separate_the_communities(planted_corpus):
    # The check above must be able to fail: with training switched off, it does.
    model = Word2Vec(planted_corpus, vector_size=24, window=3, min_count=1, epochs=0)
    with pytest.raises(AssertionError):
        assert_communities_separate(model.wv)


def test_weights_are_updated_in_place_in_numpy_arrays(planted_file):
    model = small_model(epochs=1)
    model.build_vocab(corpus_file=planted_file)
    vectors, syn1neg = model.wv.vectors, model.syn1neg
    before = vectors.copy()
    model.train(corpus_file=planted_file)
    assert model.wv.vectors is vectors and model.syn1neg is syn1neg
    assert not np.array_equal(vectors, before) and np.any(syn1neg != 0)


def test_initial_vectors_are_uniform_within_one_over_dimension_as_gensim_4(planted_corpus):
    model = small_model(vector_size=50, epochs=0)
    model.build_vocab(planted_corpus)
    assert np.abs(model.wv.vectors).max() <= 1 / 50
    assert model.wv.vectors.std() == pytest.approx(2 / 50 / np.sqrt(12), rel=0.1)
    assert model.wv.vectors.mean() == pytest.approx(0, abs=0.05 / 50)
    assert not model.syn1neg.any()


def test_subsampling_drops_frequent_words(planted_file):
    model = small_model(sample=1e-3, epochs=1)
    model.build_vocab(corpus_file=planted_file)
    trained, read = model.train(corpus_file=planted_file)
    # 40 words of equal frequency 1/40: each is kept with probability (sqrt(0.025/1e-3) + 1) * 1e-3 / 0.025 = 0.24.
    assert trained / read == pytest.approx(0.24, abs=0.01)


def test_learning_rate_reaches_min_alpha_at_the_end_of_the_run(planted_file):
    model = small_model(workers=2, epochs=3, alpha=0.05, min_alpha=0.001)
    model.build_vocab(corpus_file=planted_file)
    model.train(corpus_file=planted_file)
    assert model.min_alpha_yet_reached == pytest.approx(0.001, abs=1e-6)


def test_loss_is_recorded_and_falls_as_training_proceeds(planted_file):
    losses = []

    class RecordLoss:
        def on_epoch_end(self, model):
            losses.append(model.get_latest_training_loss())

    # A small learning rate, so that training is still improving in the last epoch.
    small_model(corpus_file=planted_file, epochs=5, alpha=0.002, compute_loss=True, callbacks=[RecordLoss()])
    assert len(losses) == 5 and all(loss > 0 for loss in losses)
    assert all(later < earlier for earlier, later in zip(losses, losses[1:]))
    assert losses[-1] < 0.9 * losses[0]
