"""KeyedVectors: lookups, similarity queries and the word2vec C formats."""

import numpy as np
import pytest

from w2vfast import KeyedVectors


def make_vectors(keys=("alpha", "beta", "gamma", "delta", "caf\udce9", "naïve"), vector_size=7, seed=0):
    kv = KeyedVectors(vector_size)
    kv.add_vectors(list(keys), np.random.default_rng(seed).standard_normal((len(keys), vector_size)))
    return kv


def test_lookup_by_key_and_by_list():
    kv = make_vectors()
    assert len(kv) == 6 and "beta" in kv and "zeta" not in kv
    assert np.array_equal(kv["beta"], kv.vectors[1])
    assert np.array_equal(kv[["gamma", "alpha"]], kv.vectors[[2, 0]])
    assert np.linalg.norm(kv.get_vector("delta", norm=True)) == pytest.approx(1.0)


def test_missing_key_raises_key_error_naming_it():
    with pytest.raises(KeyError, match="zeta"):
        make_vectors()["zeta"]


def test_most_similar_ranks_by_cosine_and_excludes_the_query():
    kv = KeyedVectors(2)
    kv.add_vectors(["east", "north", "northeast", "west"], [[1, 0], [0, 1], [1, 1.1], [-1, 0]])
    result = kv.most_similar("north", topn=2)
    assert [key for key, _ in result] == ["northeast", "east"]
    assert result[0][1] == pytest.approx(1.1 / np.hypot(1, 1.1))
    assert kv.similarity("east", "west") == pytest.approx(-1.0)


def test_most_similar_with_negative_solves_an_analogy():
    kv = KeyedVectors(3)
    kv.add_vectors(
        ["man", "woman", "king", "queen", "apple"],
        [[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [-1, 0, 0.2]],
    )
    assert kv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)[0][0] == "queen"


def test_most_similar_matches_a_brute_force_ranking():
    kv = make_vectors(keys=[f"k{i}" for i in range(300)], vector_size=16)
    normed = kv.vectors / np.linalg.norm(kv.vectors, axis=1, keepdims=True)
    scores = normed @ normed[5]
    expected = [f"k{i}" for i in np.argsort(-scores) if i != 5][:10]
    assert [key for key, _ in kv.most_similar("k5", topn=10)] == expected


@pytest.mark.parametrize("binary", [False, True])
def test_word2vec_format_round_trip(tmp_path, binary):
    kv = make_vectors()
    kv.expandos["count"] = np.arange(6, 0, -1)
    path, vocab = tmp_path / "vectors", tmp_path / "vocab.txt"
    kv.save_word2vec_format(path, fvocab=vocab, binary=binary)
    loaded = KeyedVectors.load_word2vec_format(path, fvocab=vocab, binary=binary, unicode_errors="surrogateescape")
    assert loaded.index_to_key == kv.index_to_key  # "caf\udce9", a word of invalid UTF-8, keeps its bytes
    if binary:
        assert np.array_equal(loaded.vectors, kv.vectors)
    else:
        np.testing.assert_allclose(loaded.vectors, kv.vectors, rtol=1e-6)
    assert loaded.get_vecattr("alpha", "count") == 6


def test_text_format_is_what_word2vec_c_writes(tmp_path):
    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b"], [[0.5, -1.0], [2.0, 0.25]])
    kv.save_word2vec_format(tmp_path / "v.txt")
    assert (tmp_path / "v.txt").read_text() == "2 2\na 0.5 -1.0\nb 2.0 0.25\n"


def test_limit_reads_only_the_first_vectors(tmp_path):
    make_vectors().save_word2vec_format(tmp_path / "v.bin", binary=True)
    loaded = KeyedVectors.load_word2vec_format(tmp_path / "v.bin", binary=True, limit=2)
    assert loaded.index_to_key == ["alpha", "beta"] and loaded.vectors.shape == (2, 7)


@pytest.mark.parametrize("binary", [False, True])
def test_truncated_file_raises_value_error_saying_where(tmp_path, binary):
    path = tmp_path / "v"
    make_vectors(keys=["alpha", "beta", "gamma"]).save_word2vec_format(path, binary=binary)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 20])
    with pytest.raises(ValueError, match="7 floats for word 'gamma' at byte"):
        KeyedVectors.load_word2vec_format(path, binary=binary)


def test_bad_header_raises_value_error(tmp_path):
    (tmp_path / "v.txt").write_text("hello world\nx 1 2\n")
    with pytest.raises(ValueError, match="header"):
        KeyedVectors.load_word2vec_format(tmp_path / "v.txt")


def test_invalid_utf8_key_needs_an_explicit_unicode_errors_policy(tmp_path):
    (tmp_path / "v.txt").write_bytes(b"1 2\ncaf\xe9 1 2\n")
    with pytest.raises(ValueError, match="unicode_errors"):
        KeyedVectors.load_word2vec_format(tmp_path / "v.txt")
    loaded = KeyedVectors.load_word2vec_format(tmp_path / "v.txt", unicode_errors="replace")
    assert loaded.index_to_key == ["caf\ufffd"]


def test_save_replaces_the_file_only_when_complete(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("old contents")
    kv = make_vectors()
    kv.index_to_key[1] = "has space"  # unwritable key: the save fails before anything is written
    with pytest.raises(ValueError, match="whitespace"):
        kv.save_word2vec_format(path)
    assert path.read_text() == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["v.txt"]


@pytest.mark.gensim
@pytest.mark.parametrize("binary", [False, True])
def test_gensim_reads_what_we_write_and_we_read_what_gensim_writes(tmp_path, binary):
    gensim_models = pytest.importorskip("gensim.models")
    kv = make_vectors(keys=["alpha", "beta", "gamma", "naïve"])
    kv.save_word2vec_format(tmp_path / "ours", binary=binary)
    theirs = gensim_models.KeyedVectors.load_word2vec_format(tmp_path / "ours", binary=binary)
    assert theirs.index_to_key == kv.index_to_key
    np.testing.assert_allclose(theirs.vectors, kv.vectors, rtol=1e-6)

    theirs.save_word2vec_format(tmp_path / "theirs", binary=binary)
    loaded = KeyedVectors.load_word2vec_format(tmp_path / "theirs", binary=binary)
    assert loaded.index_to_key == kv.index_to_key
    np.testing.assert_allclose(loaded.vectors, kv.vectors, rtol=1e-6)
