"""Shared negatives: skip-gram whose context words of a window share their noise words (after Ji et al. 2016), the
default for skip-gram with negative sampling. It changes the statistics of training, so it must learn what the
exact algorithm learns: analogies of a planted corpus within a point of the exact mode's accuracy. With several
workers, each trains private copies of the frequent words' rows and folds them into the model every few updates
(hot_rows.h); that must not change what is learnt either."""

import random

import numpy as np
import pytest

from w2vfast import Word2Vec

ENTITIES = 40


def analogy_corpus(sentences=4_000, seed=0):
    """Words e<i>_<r> for entity i in role r (0 or 1). A sentence about (i, r) holds the word, four of the entity's
    own context words and four of the role's: e<i>_1 - e<i>_0 is the same role direction for every i, which makes
    "e<i>_0 : e<i>_1 :: e<j>_0 : e<j>_1" analogies that a model can only answer by learning both factors."""
    rng = random.Random(seed)
    corpus = []
    for _ in range(sentences):
        entity, role = rng.randrange(ENTITIES), rng.randrange(2)
        words = [f"e{entity}_{role}"] + [f"c{entity}_{rng.randrange(6)}" for _ in range(4)]
        words += [f"r{role}_{rng.randrange(10)}" for _ in range(4)]
        rng.shuffle(words)
        corpus.append(words)
    return corpus


@pytest.fixture(scope="module")
def questions(tmp_path_factory):
    path = tmp_path_factory.mktemp("analogies") / "questions.txt"
    lines = [": roles"] + [f"e{i}_0 e{i}_1 e{j}_0 e{j}_1" for i in range(ENTITIES) for j in range(ENTITIES) if i != j]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


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


def test_private_rows_train_what_in_place_updates_train(tmp_path, planted_corpus):
    # A file of one line is one chunk, which draws the random stream of a single-worker run whichever worker takes
    # it: with workers=4 (private rows of frequent words, here all words) the one line trains exactly as with
    # workers=1 (in place), up to the rounding of folding the rows' changes into the model. A change left unfolded
    # at the end of a pass would show here.
    path = tmp_path / "one-line.txt"
    path.write_text(" ".join(word for sentence in planted_corpus[:400] for word in sentence) + "\n")
    in_place, copies = (Word2Vec(corpus_file=str(path), vector_size=16, min_count=1, epochs=2, workers=workers,
                                 seed=3, shared_negatives=True, progress=False) for workers in (1, 4))
    assert not np.array_equal(in_place.syn1neg, 0)
    np.testing.assert_allclose(copies.wv.vectors, in_place.wv.vectors, rtol=0, atol=1e-5)
    np.testing.assert_allclose(copies.syn1neg, in_place.syn1neg, rtol=0, atol=1e-5)


def test_sixteen_workers_with_private_rows_learn_what_one_worker_learns(tmp_path, questions):
    # Sixteen workers each train private copies of the rows of frequent words (all 100 words here) and fold them into
    # the model every few updates; rows folded too seldom miss the other workers' steps, which then add up: folds every
    # 32 updates answered 65% of these analogies and every 64 updates 36%, against 100% for one worker. The corpus
    # (180k words) gives each worker chunks of its own; two cores interleave the workers, which leaves the staleness
    # of their private rows as it is on sixteen.
    path = tmp_path / "analogies.txt"
    path.write_text("\n".join(" ".join(sentence) for sentence in analogy_corpus(sentences=20_000)) + "\n")
    for seed in (1, 2):
        model = Word2Vec(corpus_file=str(path), vector_size=16, window=5, min_count=1, sample=0, epochs=1,
                         workers=16, seed=seed, progress=False)
        assert model.wv.evaluate_word_analogies(questions, case_insensitive=False)[0] >= 0.99


def test_shared_negatives_are_the_default_where_they_apply():
    assert Word2Vec().shared_negatives is True
    assert Word2Vec(shared_negatives=False).shared_negatives is False
    for mode in (dict(sg=0), dict(hs=1, negative=0), dict(hs=1, negative=5)):
        assert Word2Vec(**mode).shared_negatives is False


@pytest.mark.parametrize("mode", [dict(sg=0), dict(hs=1, negative=0), dict(hs=1, negative=5)])
def test_shared_negatives_outside_skip_gram_with_negative_sampling_raise_value_error(mode):
    with pytest.raises(ValueError, match="shared_negatives"):
        Word2Vec(shared_negatives=True, **mode)
