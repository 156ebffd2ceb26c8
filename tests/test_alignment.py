"""Every matrix the engine trains starts on a cache line (64 bytes), however the model got it: a row of a multiple
of 16 floats then never straddles two lines, which trains about 1.15 times as fast (w2vfast/_arrays.py)."""

import numpy as np
import pytest

import w2vfast
from w2vfast._arrays import aligned_empty, aligned_vstack, aligned_zeros
from conftest import planted_sentences

LINE = 64


def trained_matrices(model):
    """The matrices training writes into, by name."""
    matrices = {"wv.vectors": model.wv.vectors, "syn1neg": model.syn1neg, "syn1": model.syn1}
    if isinstance(model, w2vfast.FastText):
        matrices = {"wv.vectors_vocab": model.wv.vectors_vocab, "wv.vectors_ngrams": model.wv.vectors_ngrams,
                    "syn1neg": model.syn1neg, "syn1": model.syn1}
    return matrices


def assert_on_cache_lines(model):
    for name, matrix in trained_matrices(model).items():
        if matrix.size:  # an empty matrix (a layer the model does not train) has no row to align
            assert matrix.ctypes.data % LINE == 0, f"{name} starts {matrix.ctypes.data % LINE} bytes past a line"
        assert matrix.flags.c_contiguous and matrix.flags.writeable and matrix.dtype == np.float32, name


MODELS = [
    pytest.param(lambda: w2vfast.Word2Vec(vector_size=48, min_count=1, hs=1, negative=5, epochs=1, workers=1),
                 id="word2vec"),
    pytest.param(lambda: w2vfast.FastText(vector_size=48, min_count=1, hs=1, negative=5, epochs=1, workers=1,
                                          bucket=1000), id="fasttext"),
]


@pytest.mark.parametrize("make_model", MODELS)
def test_a_new_vocabulary_gets_aligned_matrices(make_model):
    model = make_model()
    model.build_vocab(planted_sentences(200))
    assert_on_cache_lines(model)


@pytest.mark.parametrize("make_model", MODELS)
def test_a_vocabulary_update_keeps_them_aligned(make_model):
    model = make_model()
    model.build_vocab(planted_sentences(200))
    model.build_vocab([["new", "words", "here"]] * 5, update=True)
    assert "new" in model.wv.key_to_index
    assert_on_cache_lines(model)


@pytest.mark.parametrize("make_model", MODELS)
def test_a_loaded_model_has_aligned_matrices_with_the_saved_numbers(make_model, tmp_path):
    model = make_model()
    model.build_vocab(planted_sentences(200))
    model.train(planted_sentences(200), total_examples=200, epochs=1)
    model.save(str(tmp_path / "model"))
    loaded = type(model).load(str(tmp_path / "model"))
    assert_on_cache_lines(loaded)
    for name, matrix in trained_matrices(model).items():
        np.testing.assert_array_equal(trained_matrices(loaded)[name], matrix, err_msg=name)


def test_a_model_loaded_from_fasttexts_bin_has_aligned_matrices(tmp_path):
    model = w2vfast.FastText(planted_sentences(200), vector_size=48, min_count=1, hs=0, negative=5, epochs=1,
                             workers=1, bucket=1000)
    w2vfast.save_facebook_model(model, str(tmp_path / "model.bin"))
    loaded = w2vfast.load_facebook_model(str(tmp_path / "model.bin"))
    assert_on_cache_lines(loaded)
    np.testing.assert_array_equal(loaded.wv.vectors_ngrams, model.wv.vectors_ngrams)


def test_empty_matrices_load_too(tmp_path):
    # The aligned reader has nothing to read for a matrix without rows: an empty KeyedVectors, an unused layer.
    w2vfast.KeyedVectors(5).save(str(tmp_path / "empty"))
    assert w2vfast.KeyedVectors.load(str(tmp_path / "empty")).vectors.shape == (0, 5)
    model = w2vfast.Word2Vec(planted_sentences(50), vector_size=8, min_count=1, hs=0, negative=5, epochs=1, workers=1)
    model.save(str(tmp_path / "model"))
    loaded = w2vfast.Word2Vec.load(str(tmp_path / "model"))
    assert loaded.syn1.shape == (0, 8) and loaded.syn1neg.shape == model.syn1neg.shape


def test_the_initial_vectors_are_the_generators_numbers_as_before():
    # Filling an aligned matrix in place draws the same stream as NumPy's own allocation did: seeds keep their
    # vectors across versions.
    model = w2vfast.Word2Vec(vector_size=37, min_count=1, seed=11)
    model.build_vocab(planted_sentences(200))
    expected = np.random.default_rng(11).random((len(model.wv), 37), dtype=np.float32) * 2.0 - 1.0
    np.testing.assert_array_equal(model.wv.vectors, expected / 37)


@pytest.mark.parametrize("shape", [(0, 5), (1, 1), (7, 100), (3, 16)])
def test_the_helpers_align_any_shape(shape):
    stacked = aligned_vstack([np.zeros(shape, np.float32), np.ones(shape, np.float32)])
    for matrix in (aligned_empty(shape), aligned_zeros(shape), stacked):
        assert matrix.dtype == np.float32 and matrix.flags.c_contiguous
        assert matrix.size == 0 or matrix.ctypes.data % LINE == 0  # an empty matrix has no row to align
    assert not aligned_zeros(shape).any()
    np.testing.assert_array_equal(stacked, np.vstack([np.zeros(shape), np.ones(shape)]))
