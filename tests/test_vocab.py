"""The vocabulary: counts, order, min_count, max_final_vocab and max_vocab_size pruning, and updating the vocabulary of
a trained model (build_vocab(update=True))."""

import collections

import numpy as np
import pytest

from conftest import planted_sentences
from w2vfast import Word2Vec, _core

TEXT = "the cat sat on the mat\nthe dog sat\n\nzebra the cat  \n  a a a b\tb\r\nlast line without newline"


def python_counts(text):
    return collections.Counter(text.split())


@pytest.fixture
def text_file(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text(TEXT)
    return str(path)


@pytest.mark.parametrize("workers", [1, 2, 3, 5, 16, 64])
def test_count_words_matches_python_split_whatever_the_workers(text_file, workers):
    counted = _core.count_words([text_file], workers, 0)
    assert dict(zip(counted.words(), counted.counts.tolist())) == python_counts(TEXT)
    assert counted.total_words == len(TEXT.split())
    assert counted.total_sentences == len(TEXT.split("\n"))


def test_count_words_keeps_first_occurrence_order(text_file):
    assert _core.count_words([text_file], 3, 0).words() == list(dict.fromkeys(TEXT.split()))


def test_vocabulary_is_sorted_by_descending_count_ties_in_first_occurrence_order(text_file):
    model = Word2Vec(min_count=1, workers=2)
    model.build_vocab(corpus_file=text_file)
    expected = sorted(python_counts(TEXT).items(), key=lambda item: -item[1])  # sorted() is stable
    assert model.wv.index_to_key == [word for word, _ in expected]
    assert [model.wv.get_vecattr(word, "count") for word, _ in expected] == [count for _, count in expected]
    assert model.wv.key_to_index == {word: index for index, (word, _) in enumerate(expected)}


def test_file_and_iterable_build_the_same_vocabulary(text_file):
    from_file = Word2Vec(min_count=2).build_vocab(corpus_file=text_file)
    from_sentences = Word2Vec(min_count=2).build_vocab([line.split() for line in TEXT.split("\n")])
    assert from_file.wv.index_to_key == from_sentences.wv.index_to_key
    assert from_file.corpus_total_words == from_sentences.corpus_total_words == len(TEXT.split())
    assert from_file.corpus_count == from_sentences.corpus_count == len(TEXT.split("\n"))


def test_min_count_drops_rarer_words(text_file):
    model = Word2Vec(min_count=3).build_vocab(corpus_file=text_file)
    assert model.wv.index_to_key == ["the", "a"]


def test_max_final_vocab_raises_min_count_without_splitting_ties():
    counts = np.array([5, 4, 4, 4, 2, 1], dtype=np.uint64)
    counted = _core.WordCounts(["w5", "x4", "y4", "z4", "v2", "u1"], counts, total_words=20, total_sentences=1)
    # The 4th word has count 4, so words of count 4 cannot all fit: the threshold becomes 5.
    assert counted.select(1, 3).words() == ["w5"]
    assert counted.select(1, 4).words() == ["w5", "x4", "y4", "z4"]


def test_max_vocab_size_prunes_rare_words_while_counting(tmp_path):
    # 1000 distinct singletons interleaved with two frequent words: pruning must keep the frequent ones, exactly
    # counted, and bound the table.
    tokens = []
    for i in range(1000):
        tokens += ["common", f"rare{i}", "often"]
    path = tmp_path / "prune.txt"
    path.write_text(" ".join(tokens) + "\n")
    counted = _core.count_words([str(path)], 1, 50)
    counts = dict(zip(counted.words(), counted.counts.tolist()))
    assert len(counted) <= 50
    assert counts["common"] == 1000 and counts["often"] == 1000
    assert counted.total_words == 3000


def test_max_vocab_size_prunes_sentence_iterables_the_same_way():
    sentences = [["common", f"rare{i}", "often"] for i in range(1000)]
    model = Word2Vec(min_count=1, max_vocab_size=50).build_vocab(sentences)
    assert len(model.wv) <= 50
    assert model.wv.get_vecattr("common", "count") == 1000


def test_word_table_finds_every_word_and_only_those():
    words = [f"word{i}" for i in range(5000)]
    counted = _core.WordCounts(words, np.ones(len(words), dtype=np.uint64), total_words=5000, total_sentences=1)
    vocabulary = _core.Vocabulary(counted, ns_exponent=0.75, sample=0.0, hs=False)
    assert len(vocabulary) == 5000
    assert all(vocabulary.find(word) == index for index, word in enumerate(words))
    assert vocabulary.find("word5000") == -1 and vocabulary.find("") == -1


# ------------------------------------------------------------------ updating a trained model's vocabulary


def trained_model(**overrides):
    settings = dict(min_count=1, vector_size=16, epochs=2, workers=1, seed=3)
    settings.update(overrides)
    return Word2Vec(planted_sentences(sentences=400), **settings)


def test_vocabulary_update_keeps_old_vectors_and_appends_new_words():
    model = trained_model()
    old_keys, old_vectors = list(model.wv.index_to_key), model.wv.vectors.copy()
    old_count = model.wv.get_vecattr("a0", "count")
    more = [["a0", "new1", "new2", "new1"], ["new1", "rare"]] * 3
    model.build_vocab(more, update=True)
    assert model.wv.index_to_key[: len(old_keys)] == old_keys
    assert np.array_equal(model.wv.vectors[: len(old_keys)], old_vectors)
    assert model.wv.index_to_key[len(old_keys) :] == ["new1", "new2", "rare"]  # most frequent first, min_count=1
    assert model.wv.get_vecattr("a0", "count") == old_count + 3 and model.wv.get_vecattr("new1", "count") == 9
    assert model.syn1neg.shape == model.wv.vectors.shape and model.corpus_count == 6
    before = model.wv.vectors[model.wv.get_index("new1")].copy()
    model.train(more, epochs=2)
    assert not np.array_equal(model.wv.vectors[model.wv.get_index("new1")], before)


def test_vocabulary_update_applies_min_count_to_new_words_only():
    model = trained_model(min_count=2)
    size = len(model.wv)
    model.build_vocab([["a0", "once", "twice", "twice"]], update=True)
    assert len(model.wv) == size + 1 and "twice" in model.wv and "once" not in model.wv


def test_vocabulary_update_needs_a_vocabulary():
    with pytest.raises(ValueError, match="build_vocab"):
        Word2Vec(min_count=1).build_vocab([["a", "b"]], update=True)


def test_vocabulary_from_known_counts_is_the_counted_corpus_vocabulary(text_file):
    counted = Word2Vec(corpus_file=text_file, min_count=2, epochs=0)
    counts = dict(zip(counted.wv.index_to_key, counted.wv.expandos["count"].tolist()))
    from_counts = Word2Vec(min_count=2).build_vocab_from_freq(counts)
    assert from_counts.wv.index_to_key == counted.wv.index_to_key
    np.testing.assert_array_equal(from_counts.wv.expandos["count"], counted.wv.expandos["count"])
    assert from_counts.corpus_total_words == sum(counts.values())


def test_known_counts_of_equal_value_keep_the_order_given_and_min_count_drops_the_rare():
    model = Word2Vec(min_count=2).build_vocab_from_freq({"b": 3, "a": 5, "d": 3, "c": 3, "rare": 1})
    assert model.wv.index_to_key == ["a", "b", "d", "c"]


def test_known_counts_may_be_numpy_integers():
    model = Word2Vec(min_count=1).build_vocab_from_freq({"a": np.int64(4), "b": np.uint32(2), "c": 3})
    assert model.wv.index_to_key == ["a", "c", "b"]


@pytest.mark.parametrize("bad", [2.0, True, -1, "3", None])
def test_a_known_count_that_is_not_a_non_negative_integer_is_named(bad):
    with pytest.raises(ValueError, match="the count of 'odd'"):
        Word2Vec(min_count=1).build_vocab_from_freq({"a": 4, "odd": bad, "b": 2})
