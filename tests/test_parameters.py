"""Bad parameters and bad corpus arguments raise errors that name the problem. (Corpora without a word to train on,
and hostile ones, are in test_robustness.py.)"""

import pytest

from w2vfast import Word2Vec

SENTENCES = [["a", "b", "c"]] * 10


@pytest.mark.parametrize(
    "settings, named",
    [
        (dict(vector_size=0), "vector_size"),
        (dict(vector_size=-5), "vector_size"),
        (dict(vector_size=10.5), "vector_size"),
        (dict(window=0), "window"),
        (dict(min_count=-1), "min_count"),
        (dict(negative=0), "negative"),
        (dict(sample=-0.1), "sample"),
        (dict(alpha=0.0), "alpha"),
        (dict(alpha=-0.01), "alpha"),
        (dict(alpha=float("nan")), "alpha"),
        (dict(min_alpha=-1e-4), "min_alpha"),
        (dict(epochs=-1), "epochs"),
        (dict(workers=0), "workers"),
        (dict(sg=2), "sg"),
        (dict(sg=True), "sg"),
        (dict(hs=2), "hs"),
        (dict(hs=0, negative=0), "negative"),
        (dict(hs=1, negative=-1), "negative"),
        (dict(cbow_mean=0.5), "cbow_mean"),
        (dict(max_vocab_size=0), "max_vocab_size"),
        (dict(max_final_vocab=-3), "max_final_vocab"),
        (dict(ns_exponent=float("inf")), "ns_exponent"),
        (dict(seed=-1), "seed"),
    ],
)
def test_invalid_parameter_raises_value_error_naming_it(settings, named):
    with pytest.raises(ValueError, match=named):
        Word2Vec(**settings)


def test_missing_corpus_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.txt"):
        Word2Vec(corpus_file=str(tmp_path / "nowhere.txt"))


def test_a_directory_inside_a_corpus_file_list_raises_value_error(tmp_path):
    (tmp_path / "sub").mkdir()
    with pytest.raises(ValueError, match="not a regular file"):
        Word2Vec(corpus_file=[str(tmp_path / "sub")])


def test_empty_corpus_file_list_raises_value_error():
    with pytest.raises(ValueError, match="empty list"):
        Word2Vec(corpus_file=[])


def test_generators_are_rejected_because_training_needs_several_passes():
    with pytest.raises(TypeError, match="iterator"):
        Word2Vec((sentence for sentence in SENTENCES), min_count=1)


def test_a_string_instead_of_a_token_list_is_rejected():
    with pytest.raises(TypeError, match="list of str tokens"):
        Word2Vec(["a sentence that was not split"], min_count=1)


def test_both_corpus_kinds_at_once_raise_value_error(tmp_path):
    with pytest.raises(ValueError, match="either"):
        Word2Vec(SENTENCES, corpus_file=str(tmp_path / "x.txt"))


def test_train_before_build_vocab_raises_value_error():
    with pytest.raises(ValueError, match="build_vocab"):
        Word2Vec().train(SENTENCES)
