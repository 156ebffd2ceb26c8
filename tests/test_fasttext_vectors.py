"""FastTextKeyedVectors: composed vectors, vectors for unseen words from their n-grams, queries, and saving, on a
model whose vocabulary is built (no training needed)."""

import numpy as np
import pytest

from w2vfast import FastText, FastTextKeyedVectors, KeyedVectors
from w2vfast.fasttext import compose_vectors

# Distinct counts, so that every library orders the vocabulary the same way.
SENTENCES = [["walking", "talked", "cat", "dog"]] * 3 + [["walking", "talked", "cat"]] * 2 + [["walking", "talked"]] * 2
SENTENCES += [["walking"]]


def built(**settings) -> FastText:
    parameters = dict(vector_size=8, min_count=1, bucket=200, seed=7, workers=1, progress=False)
    parameters.update(settings)
    model = FastText(**parameters)
    return model.build_vocab(SENTENCES)


def composed(wv: FastTextKeyedVectors, word: str) -> np.ndarray:
    """fastText's word vector, written out: the mean of the word's own row (if any) and its n-grams' rows."""
    rows = [wv.vectors_ngrams[row] for row in wv.ngram_rows(word)]
    if word in wv.key_to_index:
        rows.append(wv.vectors_vocab[wv.key_to_index[word]])
    return np.mean(rows, axis=0)


def test_vocabulary_words_have_the_mean_of_their_own_and_ngram_rows():
    wv = built().wv
    assert wv.index_to_key == ["walking", "talked", "cat", "dog"]
    assert wv.vectors_vocab.shape == (4, 8) and wv.vectors_ngrams.shape == (200, 8)
    for word in wv.index_to_key:
        assert len(wv.ngram_rows(word)) > 0
        assert np.allclose(wv[word], composed(wv, word), atol=1e-7)
        assert not np.allclose(wv[word], wv.vectors_vocab[wv.get_index(word)])


def test_composed_vectors_are_gensims_to_the_bit():
    rng = np.random.default_rng(5)
    vocab_rows = rng.standard_normal((6, 37)).astype(np.float32)
    ngram_rows = rng.standard_normal((11, 37)).astype(np.float32)
    # A word without n-grams, a row listed twice, a word of one n-gram.
    ids = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 0], dtype=np.int32)
    offsets = np.array([0, 3, 3, 7, 8, 11, 12], dtype=np.int64)
    # gensim 4.4's FastTextKeyedVectors.adjust_vectors, in float32.
    expected = vocab_rows.copy()
    for word in range(6):
        buckets = ids[offsets[word]:offsets[word + 1]]
        for bucket in buckets:
            expected[word] += ngram_rows[bucket]
        expected[word] /= len(buckets) + 1
    assert np.array_equal(compose_vectors(vocab_rows, ngram_rows, offsets, ids), expected)


@pytest.mark.parametrize("offsets, ids, error, message", [
    ([0, 1], [0], ValueError, "one more number"),
    ([0, 1, 3], [0, 1], ValueError, "end at len\\(ids\\)"),
    ([0, 2, 1], [0], ValueError, "non-decreasing"),
    ([0, 1, 2], [0, 11], IndexError, "n-gram row 11 outside"),
])
def test_composing_with_offsets_or_ids_that_do_not_fit_raises(offsets, ids, error, message):
    with pytest.raises(error, match=message):
        compose_vectors(np.zeros((2, 4), np.float32), np.zeros((11, 4), np.float32), np.array(offsets, np.int64),
                        np.array(ids, np.int32))


def test_unseen_words_get_the_mean_of_their_ngram_rows():
    wv = built().wv
    assert "walked" not in wv.key_to_index and not wv.has_index_for("walked")
    assert "walked" in wv
    assert np.allclose(wv["walked"], composed(wv, "walked"), atol=1e-7)
    unit = composed(wv, "walked") / np.linalg.norm(composed(wv, "walked"))
    assert np.allclose(wv.get_vector("walked", norm=True), unit)
    assert wv[["cat", "walked"]].shape == (2, 8)


def test_a_word_without_any_ngram_raises_key_error():
    wv = built(min_n=5, max_n=6).wv  # "<ab>" is 4 characters: no n-gram of 5
    assert "ab" not in wv
    with pytest.raises(KeyError, match="no character n-gram of 5 to 6 characters"):
        wv["ab"]


@pytest.mark.parametrize("lengths", [(3, 0), (4, 3)])
def test_without_ngram_lengths_the_model_has_no_buckets_and_no_unseen_words(lengths):
    min_n, max_n = lengths
    model = built(min_n=min_n, max_n=max_n)
    assert model.bucket == model.wv.bucket == 0 and model.wv.vectors_ngrams.shape == (0, 8)
    assert model.wv.vectors is model.wv.vectors_vocab
    assert "walked" not in model.wv
    with pytest.raises(KeyError, match="no n-grams"):
        model.wv["walked"]


def test_initial_weights_are_gensims():
    gensim_fasttext = pytest.importorskip("gensim.models.fasttext")
    ours = built()
    theirs = gensim_fasttext.FastText(vector_size=8, min_count=1, bucket=200, seed=7, workers=1)
    theirs.build_vocab(SENTENCES)
    assert theirs.wv.index_to_key == ours.wv.index_to_key
    assert np.array_equal(theirs.wv.vectors_vocab, ours.wv.vectors_vocab)
    assert np.array_equal(theirs.wv.vectors_ngrams, ours.wv.vectors_ngrams)
    assert np.allclose(theirs.wv.vectors, ours.wv.vectors, atol=1e-7)
    for word in ["walked", "catdog", "a"]:
        assert np.allclose(theirs.wv[word], ours.wv[word], atol=1e-7)


def test_queries_take_unseen_words():
    wv = built().wv
    neighbours = wv.most_similar("walked", topn=4)
    assert sorted(word for word, _ in neighbours) == sorted(wv.index_to_key)  # nothing excluded: it is not a row
    assert neighbours[0][1] == pytest.approx(wv.similarity("walked", neighbours[0][0]), abs=1e-6)
    assert wv.most_similar(positive=["walked", "cat"], negative=["talked"], topn=1)
    assert wv.most_similar_cosmul(positive=["walked"], topn=1)
    assert wv.n_similarity(["walked"], ["walking"]) == pytest.approx(wv.similarity("walked", "walking"), abs=1e-6)
    assert wv.distances("walked", ["cat", "dogs"]).shape == (2,)
    assert wv.get_sentence_vector(["walked", "cat"]).shape == (8,)


@pytest.mark.parametrize("mmap", [None, "r"])
def test_saved_vectors_load_with_their_ngrams(tmp_path, mmap):
    wv = built().wv
    wv.save(tmp_path / "v.w2vf")
    for loader in (FastTextKeyedVectors.load, KeyedVectors.load):
        loaded = loader(tmp_path / "v.w2vf", mmap=mmap)
        assert isinstance(loaded, FastTextKeyedVectors)
        assert (loaded.min_n, loaded.max_n, loaded.bucket) == (3, 6, 200)
        assert np.array_equal(loaded.vectors, wv.vectors) and np.array_equal(loaded.vectors_ngrams, wv.vectors_ngrams)
        assert np.array_equal(loaded["walked"], wv["walked"]) and loaded.get_vecattr("cat", "count") == 5
        assert loaded.most_similar("walked", topn=2) == wv.most_similar("walked", topn=2)


def test_plain_vectors_do_not_load_as_fasttext_vectors(tmp_path):
    plain = KeyedVectors(3)
    plain.add_vectors(["a"], np.ones((1, 3)))
    plain.save(tmp_path / "plain.w2vf")
    with pytest.raises(ValueError, match="not FastText vectors"):
        FastTextKeyedVectors.load(tmp_path / "plain.w2vf")


def test_vec_text_output_holds_the_composed_vectors(tmp_path):
    wv = built().wv
    wv.save_word2vec_format(tmp_path / "v.vec")
    text = KeyedVectors.load_word2vec_format(tmp_path / "v.vec")
    assert text.index_to_key == wv.index_to_key and np.allclose(text.vectors, wv.vectors, atol=1e-6)


def test_added_vectors_become_the_words_own_rows():
    wv = built().wv
    wv.add_vectors(["cat", "zebra"], np.ones((2, 8)) * [[1], [2]])
    assert len(wv.vectors_vocab) == len(wv) == 5
    assert np.array_equal(wv.vectors_vocab[wv.get_index("cat")], np.ones(8))
    assert np.array_equal(wv.vectors_vocab[wv.get_index("zebra")], 2 * np.ones(8))
    assert np.array_equal(wv["zebra"], 2 * np.ones(8))
    wv.adjust_vectors()
    assert np.allclose(wv["zebra"], composed(wv, "zebra"), atol=1e-7)


def test_word_pair_evaluation_skips_unseen_words_as_gensim_does(tmp_path):
    wv = built().wv
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("walking\ttalked\t5\ncat\tdog\t4\nwalking\tcat\t1\nwalked\tcat\t2\n")
    _, _, oov_percent = wv.evaluate_word_pairs(pairs)
    assert oov_percent == 25.0


@pytest.mark.parametrize("settings, message", [
    (dict(word_ngrams=2), "word_ngrams must be 1"),
    (dict(bucket=2**31), "bucket must be < 2**31"),
    (dict(min_n=-1), "min_n must be >= 0"),
    (dict(max_n="6"), "max_n must be an integer"),
])
def test_bad_ngram_settings_raise_value_error_naming_them(settings, message):
    with pytest.raises(ValueError, match=message.replace("*", r"\*")):
        FastText(**settings)


def test_unknown_parameters_raise_type_error():
    with pytest.raises(TypeError, match="hashfxn"):
        FastText(hashfxn=hash)


def test_a_native_file_whose_ngram_rows_disagree_with_its_bucket_is_refused(tmp_path):
    wv = built().wv
    wv.vectors_ngrams = wv.vectors_ngrams[:100]
    wv.save(tmp_path / "v.w2vf")
    with pytest.raises(ValueError, match=r"vectors_ngrams has shape \(100, 8\), not \(200, 8\)"):
        FastTextKeyedVectors.load(tmp_path / "v.w2vf")
