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


@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("header", [b"3000000000 3000000000", b"1 3000000000", b"3000000000 3"])
def test_header_promising_more_than_the_file_holds_raises_without_allocating_it(tmp_path, binary, header):
    # 3e9 x 3e9 floats would be 36 EB: the loader must see that the data ends, not try to allocate the promise.
    (tmp_path / "v").write_bytes(header + b"\nab 1 2 3\n")
    with pytest.raises(ValueError, match="expected 3"):
        KeyedVectors.load_word2vec_format(tmp_path / "v", binary=binary)


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
    # Whole files, and with the counts in a vocabulary file (word2vec.c's -save-vocab) and a limit on what is read.
    gensim_models = pytest.importorskip("gensim.models")
    kv = make_vectors(keys=["alpha", "beta", "gamma", "naïve"])  # gensim decodes strictly: no key of invalid UTF-8
    kv.expandos["count"] = np.array([40, 30, 20, 10], dtype=np.int64)
    kv.save_word2vec_format(tmp_path / "ours", fvocab=tmp_path / "ours.vocab", binary=binary)
    theirs = gensim_models.KeyedVectors.load_word2vec_format(tmp_path / "ours", binary=binary)
    assert theirs.index_to_key == kv.index_to_key
    np.testing.assert_allclose(theirs.vectors, kv.vectors, rtol=1e-6)
    theirs_limited = gensim_models.KeyedVectors.load_word2vec_format(
        tmp_path / "ours", fvocab=tmp_path / "ours.vocab", binary=binary, limit=3
    )
    assert theirs_limited.index_to_key == kv.index_to_key[:3] and theirs_limited.get_vecattr("beta", "count") == 30
    np.testing.assert_allclose(theirs_limited.vectors, kv.vectors[:3], rtol=1e-6)

    theirs.save_word2vec_format(tmp_path / "theirs", binary=binary)
    loaded = KeyedVectors.load_word2vec_format(tmp_path / "theirs", binary=binary)
    assert loaded.index_to_key == kv.index_to_key
    np.testing.assert_allclose(loaded.vectors, kv.vectors, rtol=1e-6)
    theirs_limited.save_word2vec_format(tmp_path / "theirs3", fvocab=tmp_path / "theirs3.vocab", binary=binary)
    loaded = KeyedVectors.load_word2vec_format(
        tmp_path / "theirs3", fvocab=tmp_path / "theirs3.vocab", binary=binary, limit=2
    )
    assert loaded.index_to_key == ["alpha", "beta"] and loaded.get_vecattr("alpha", "count") == 40
    np.testing.assert_allclose(loaded.vectors, kv.vectors[:2], rtol=1e-6)


# ------------------------------------------------------------------ the rest of gensim's queries


def test_weighted_terms_and_clipping_follow_gensim():
    kv = make_vectors(keys=[f"k{i}" for i in range(50)], vector_size=8)
    normed = kv.get_normed_vectors()
    query = 2.0 * normed[1] - normed[2]
    query /= np.linalg.norm(query)
    scores = normed @ query
    expected = [f"k{i}" for i in np.argsort(-scores) if i not in (1, 2)][:5]
    assert [k for k, _ in kv.most_similar(positive=[("k1", 2.0)], negative=["k2"], topn=5)] == expected
    clipped = kv.most_similar("k1", topn=3, clip_start=10, clip_end=20)
    assert all(10 <= kv.get_index(key) < 20 for key, _ in clipped) and len(clipped) == 3
    assert kv.most_similar("k1", topn=0) == [] and kv.most_similar("k1", topn=None).shape == (50,)


def test_batched_queries_equal_one_query_at_a_time():
    kv = make_vectors(keys=[f"k{i}" for i in range(400)], vector_size=16)
    keys = [f"k{i}" for i in range(0, 400, 7)]
    batched = kv.most_similar_batch(keys, topn=8, exclude_self=True)
    for key, result in zip(keys, batched):
        single = kv.most_similar(key, topn=8)
        assert [k for k, _ in result] == [k for k, _ in single]
        np.testing.assert_allclose([s for _, s in result], [s for _, s in single], rtol=1e-5)
    by_vector = kv.most_similar(kv[keys[:3]], topn=4, restrict_vocab=100)
    for key, result in zip(keys[:3], by_vector):
        assert [k for k, _ in result] == [k for k, _ in kv.similar_by_vector(kv[key], topn=4, restrict_vocab=100)]
    assert by_vector[0][0][0] == keys[0]  # a vector's own key is not excluded


def test_cosmul_ranks_by_levy_and_goldbergs_product_of_shifted_similarities():
    kv = make_vectors(keys=[f"k{i}" for i in range(60)], vector_size=6)
    normed = kv.get_normed_vectors()
    shifted = (1 + normed @ normed[[1, 2, 3]].T) / 2
    scores = shifted[:, 0] * shifted[:, 1] / (shifted[:, 2] + 1e-6)
    expected = [f"k{i}" for i in np.argsort(-scores) if i not in (1, 2, 3)][:5]
    result = kv.most_similar_cosmul(positive=["k1", "k2"], negative=["k3"], topn=5)
    assert [key for key, _ in result] == expected
    assert result[0][1] == pytest.approx(scores[kv.get_index(expected[0])], rel=1e-5)
    with pytest.raises(ValueError, match="positive"):
        kv.most_similar_cosmul(negative=["k1"])


@pytest.mark.gensim
def test_queries_equal_gensim_on_the_same_vectors():
    gensim_models = pytest.importorskip("gensim.models")
    kv = make_vectors(keys=[f"k{i}" for i in range(200)], vector_size=10, seed=4)
    theirs = gensim_models.KeyedVectors(10)
    theirs.add_vectors(kv.index_to_key, kv.vectors)
    for method, args in [
        ("most_similar", dict(positive=["k1", "k7"], negative=["k3"], topn=6)),
        ("most_similar", dict(positive=["k5"], topn=4, restrict_vocab=50)),
        ("most_similar_cosmul", dict(positive=["k1", "k7"], negative=["k3"], topn=6)),
    ]:
        ours, expected = getattr(kv, method)(**args), getattr(theirs, method)(**args)
        assert [k for k, _ in ours] == [k for k, _ in expected]
        np.testing.assert_allclose([s for _, s in ours], [s for _, s in expected], rtol=1e-5)
    assert kv.doesnt_match(["k1", "k2", "k3", "k4"]) == theirs.doesnt_match(["k1", "k2", "k3", "k4"])
    assert kv.rank("k1", "k9") == theirs.rank("k1", "k9")
    assert kv.n_similarity(["k1", "k2"], ["k3"]) == pytest.approx(theirs.n_similarity(["k1", "k2"], ["k3"]), rel=1e-5)


def test_pairwise_queries():
    kv = KeyedVectors(2)
    kv.add_vectors(["east", "north", "northeast", "west", "south"], [[1, 0], [0, 1], [1, 1.1], [-1, 0], [0, -1]])
    assert kv.distance("east", "west") == pytest.approx(2.0)
    np.testing.assert_allclose(kv.distances("east", ["north", "west"]), [1.0, 2.0], atol=1e-6)
    assert kv.distances([1.0, 0.0]).shape == (5,)
    assert kv.n_similarity(["east", "north"], ["northeast"]) == pytest.approx(np.cos(np.arctan(1.1) - np.pi / 4))
    assert kv.rank("north", "northeast") == 1 and kv.rank("north", "south") == 4
    assert kv.closer_than("north", "east") == ["northeast"]
    assert kv.doesnt_match(["east", "northeast", "north", "south"]) == "south"
    assert kv.most_similar_to_given("east", ["west", "northeast"]) == "northeast"
    with pytest.raises(KeyError, match="'up'"):
        kv.rank("north", "up")


def test_mean_vector_weights_normalisation_and_missing_keys():
    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b"], [[2, 0], [0, 4]])
    np.testing.assert_allclose(kv.get_mean_vector(["a", "b"]), [0.5, 0.5])
    np.testing.assert_allclose(kv.get_mean_vector(["a", "b"], pre_normalize=False), [1, 2])
    np.testing.assert_allclose(kv.get_mean_vector(["a", "zz"], weights=[1, 3]), [1, 0])
    np.testing.assert_allclose(np.linalg.norm(kv.get_mean_vector(["a", "b"], post_normalize=True)), 1, rtol=1e-6)
    with pytest.raises(KeyError, match="zz"):
        kv.get_mean_vector(["a", "zz"], ignore_missing=False)


def test_cached_norms_follow_changes_to_the_vectors():
    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b", "c"], [[1, 0], [0, 1], [1, 1]])
    assert kv.most_similar("a", topn=1)[0][0] == "c"
    kv["b"] = [3, 0.1]  # replacing a vector clears the cache
    assert kv.most_similar("a", topn=1)[0][0] == "b"
    kv.vectors = kv.vectors * np.array([[1.0], [1.0], [-1.0]], dtype=np.float32)  # so does assigning a matrix
    assert kv.similarity("a", "c") < 0
    assert kv.get_vector("b", norm=True) == pytest.approx(np.array([3, 0.1]) / np.hypot(3, 0.1))
