"""Word classes: word2vec.c's spherical k-means (KeyedVectors.word_classes and `w2vfast train -classes`)."""

import numpy as np
import pytest

from conftest import planted_sentences
from w2vfast import KeyedVectors, Word2Vec
from w2vfast.classes import word_classes


def word2vec_c_classes(vectors, classes, iterations=10):
    """word2vec.c's -classes loop, transcribed statement by statement (float64 sums)."""
    rows, dim = vectors.shape
    assignment = [row % classes for row in range(rows)]
    for _ in range(iterations):
        centres = np.zeros((classes, dim))
        counts = np.ones(classes)
        for row in range(rows):
            centres[assignment[row]] += vectors[row]
            counts[assignment[row]] += 1
        for c in range(classes):
            centres[c] /= counts[c]
            with np.errstate(invalid="ignore"):
                centres[c] /= np.sqrt(np.sum(centres[c] * centres[c]))
        for row in range(rows):
            best, best_class = -10.0, 0
            for c in range(classes):
                x = float(np.dot(centres[c], vectors[row]))
                if x > best:
                    best, best_class = x, c
            assignment[row] = best_class
    return np.array(assignment)


def test_classes_are_word2vec_c_s():
    vectors = np.random.default_rng(0).standard_normal((300, 8)).astype(np.float32)
    assert np.array_equal(word_classes(vectors, 7), word2vec_c_classes(vectors, 7))


def test_an_emptied_class_takes_no_members_as_in_word2vec_c():
    # Three tight groups and five classes: classes run empty, and word2vec.c's NaN centres keep them empty.
    rng = np.random.default_rng(1)
    centres = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    vectors = (centres[rng.integers(0, 3, 60)] + 0.01 * rng.standard_normal((60, 3))).astype(np.float32)
    classes = word_classes(vectors, 5)
    assert np.array_equal(classes, word2vec_c_classes(vectors, 5))
    assert len(set(classes.tolist())) == 3


def test_a_seed_gives_reproducible_classes_of_another_start():
    vectors = np.random.default_rng(2).standard_normal((500, 10)).astype(np.float32)
    assert np.array_equal(word_classes(vectors, 9, seed=4), word_classes(vectors, 9, seed=4))
    assert not np.array_equal(word_classes(vectors, 9, seed=4), word_classes(vectors, 9, seed=5))


def test_classes_of_trained_vectors_follow_the_planted_communities():
    model = Word2Vec(planted_sentences(), vector_size=16, min_count=1, epochs=2, workers=1, seed=3, progress=False)
    classes = dict(zip(model.wv.index_to_key, model.wv.word_classes(2)))
    assert len({classes[word] for word in classes if word.startswith("a")}) == 1
    assert len({classes[word] for word in classes if word.startswith("b")}) == 1
    assert classes["a0"] != classes["b0"]


@pytest.mark.parametrize("n_classes", [0, 4, 2.5, True])
def test_a_number_of_classes_outside_one_to_the_words_raises_value_error(n_classes):
    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b", "c"], np.eye(3, 2))
    with pytest.raises(ValueError, match="n_classes must be an integer from 1 to the number of words"):
        kv.word_classes(n_classes)
