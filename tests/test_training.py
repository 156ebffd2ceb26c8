"""Training: what it learns, that it is reproducible, that it reads every line once, and that it can be stopped."""

import _thread
import threading
import time

import numpy as np
import pytest

from conftest import COMMUNITY_SIZE, planted_sentences, write_lines
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


@pytest.mark.parametrize("source", ["corpus_file", "sentences"])
def test_one_worker_and_the_same_seed_give_bit_identical_vectors(planted_file, planted_corpus, source):
    corpus = {"corpus_file": planted_file} if source == "corpus_file" else {"sentences": planted_corpus}
    first = small_model(sample=1e-3, **corpus)
    second = small_model(sample=1e-3, **corpus)
    assert np.array_equal(first.wv.vectors, second.wv.vectors)
    assert np.array_equal(first.syn1neg, second.syn1neg)


def test_different_seeds_give_different_vectors(planted_file):
    assert not np.array_equal(
        small_model(corpus_file=planted_file, seed=1).wv.vectors,
        small_model(corpus_file=planted_file, seed=2).wv.vectors,
    )


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


@pytest.mark.parametrize("workers", [1, 2, 3, 7, 16])
def test_every_line_is_trained_exactly_once_per_epoch_whatever_the_workers(tmp_path, workers):
    # Line i has i + 1 words, so a skipped or repeated line changes the total; with sample=0 and every word in the
    # vocabulary, the words the engine trains must equal the words of the file, each epoch.
    lines = [[f"w{(i * 7 + j) % 50}" for j in range(i + 1)] for i in range(300)]
    path = write_lines(tmp_path / "lines.txt", lines)
    model = small_model(workers=workers, epochs=3)
    model.build_vocab(corpus_file=path)
    trained, read = model.train(corpus_file=path)
    words = sum(len(line) for line in lines)
    assert model.corpus_total_words == words
    assert (trained, read) == (3 * words, 3 * words)


def test_lines_longer_than_the_sentence_limit_are_trained_in_full(tmp_path):
    length = 25_000
    path = tmp_path / "long.txt"
    path.write_text(" ".join(f"w{i % 100}" for i in range(length)) + "\n")
    model = small_model(epochs=2)
    model.build_vocab(corpus_file=str(path))
    assert model.train(corpus_file=str(path)) == (2 * length, 2 * length)
    model = small_model(epochs=2)
    model.build_vocab([[f"w{i % 100}" for i in range(length)]])
    assert model.train([[f"w{i % 100}" for i in range(length)]]) == (2 * length, 2 * length)


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


def test_generators_are_rejected_because_training_needs_several_passes(planted_corpus):
    with pytest.raises(TypeError, match="iterator"):
        Word2Vec((sentence for sentence in planted_corpus), min_count=1)


def test_a_string_instead_of_a_token_list_is_rejected():
    with pytest.raises(TypeError, match="list of str tokens"):
        Word2Vec(["a sentence that was not split"], min_count=1)


def test_ctrl_c_stops_training_promptly_and_leaves_a_usable_model(tmp_path):
    path = write_lines(tmp_path / "big.txt", planted_sentences(sentences=20_000, length=20))
    model = Word2Vec(vector_size=50, min_count=1, workers=2, epochs=1000)
    model.build_vocab(corpus_file=path)
    timer = threading.Timer(0.5, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        model.train(corpus_file=path)
    assert time.monotonic() - started < 5
    assert 0 < model.epochs_trained < 1000
    assert np.isfinite(model.wv.vectors).all()
    assert len(model.wv.most_similar("a0", topn=3)) == 3


def test_sigmoid_of_nan_is_a_table_value_not_a_wild_read():
    from w2vfast import _core

    # Diverged weights give NaN scores; the lookup must stay inside its table (it used to index with NaN).
    assert _core.sigmoid(np.float32(np.nan)) == 0.0


def test_diverging_learning_rate_raises_floating_point_error(planted_corpus):
    with pytest.raises(FloatingPointError, match="training diverged in epoch 1: .* alpha=1e\\+30"):
        Word2Vec(planted_corpus[:200], alpha=1e30, min_count=1, workers=1, epochs=2, progress=False)
