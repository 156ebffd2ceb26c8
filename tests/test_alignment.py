"""Every matrix the engine trains starts on a cache line (64 bytes), however the model got it: a row of a multiple
of 16 floats then never straddles two lines, which trains about 1.15 times as fast (w2vfast/_arrays.py). The output
layers (``syn1neg``, ``syn1``) go further: every row starts on a line whatever the width, their rows padded to a
multiple of 16 floats, and the engine trains them as it trains contiguous rows, to the bit. The word vectors stay
C-contiguous, as users and libraries expect of them."""

import hashlib

import numpy as np
import pytest

import w2vfast
from w2vfast._arrays import aligned_empty, aligned_vstack, aligned_zeros, row_aligned_vstack, row_aligned_zeros
from conftest import planted_sentences

LINE = 64
OUTPUT_LAYERS = ("syn1neg", "syn1")


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
        assert matrix.flags.writeable and matrix.dtype == np.float32, name
        if name in OUTPUT_LAYERS:
            assert_rows_on_cache_lines(matrix)
        else:
            assert matrix.flags.c_contiguous, name


def assert_rows_on_cache_lines(matrix):
    if matrix.size == 0:
        return  # no row to align (NumPy gives an empty matrix any strides)
    assert matrix.strides[1] == 4, "the rows are contiguous"
    if len(matrix) > 1:
        assert matrix.strides[0] % LINE == 0, f"rows {matrix.strides[0]} bytes apart"
        assert matrix.strides[0] < matrix.shape[1] * 4 + LINE, "padded to the next line, no further"


MODELS = [
    pytest.param(lambda: w2vfast.Word2Vec(vector_size=48, min_count=1, hs=1, negative=5, epochs=1, workers=1),
                 id="word2vec"),
    pytest.param(lambda: w2vfast.Word2Vec(vector_size=100, min_count=1, hs=1, negative=5, epochs=1, workers=1),
                 id="word2vec-100"),
    pytest.param(lambda: w2vfast.FastText(vector_size=48, min_count=1, hs=1, negative=5, epochs=1, workers=1,
                                          bucket=1000), id="fasttext"),
    pytest.param(lambda: w2vfast.FastText(vector_size=37, min_count=1, hs=1, negative=5, epochs=1, workers=1,
                                          bucket=1000), id="fasttext-37"),
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


@pytest.mark.parametrize("hs", [0, 1])
def test_a_model_loaded_from_fasttexts_bin_has_aligned_matrices(tmp_path, hs):
    model = w2vfast.FastText(planted_sentences(200), vector_size=50, min_count=1, hs=hs, negative=0 if hs else 5,
                             epochs=1, workers=1, bucket=1000)
    w2vfast.save_facebook_model(model, str(tmp_path / "model.bin"))
    loaded = w2vfast.load_facebook_model(str(tmp_path / "model.bin"))
    assert_on_cache_lines(loaded)
    np.testing.assert_array_equal(loaded.wv.vectors_ngrams, model.wv.vectors_ngrams)
    np.testing.assert_array_equal(loaded.syn1 if hs else loaded.syn1neg, model.syn1 if hs else model.syn1neg)


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
    row_stacked = row_aligned_vstack([np.zeros(shape, np.float32), np.ones(shape, np.float32)])
    for matrix in (row_aligned_zeros(shape), row_stacked):
        assert matrix.dtype == np.float32 and matrix.shape[1] == shape[1]
        assert matrix.size == 0 or matrix.ctypes.data % LINE == 0
        assert_rows_on_cache_lines(matrix)
    assert not row_aligned_zeros(shape).any()
    np.testing.assert_array_equal(row_stacked, stacked)


def sha1(matrix):
    return hashlib.sha1(np.ascontiguousarray(matrix).tobytes()).hexdigest()


@pytest.mark.parametrize("model_class", [w2vfast.Word2Vec, w2vfast.FastText])
@pytest.mark.parametrize("sg", [0, 1])
@pytest.mark.parametrize("vector_size", [37, 100])
def test_padded_output_layers_train_as_contiguous_ones_do_to_the_bit(model_class, sg, vector_size):
    sentences = planted_sentences(400)

    def trained(contiguous_outputs):
        extra = {"bucket": 1000} if model_class is w2vfast.FastText else {}
        model = model_class(vector_size=vector_size, min_count=1, sg=sg, hs=1, negative=2, epochs=2, workers=1,
                            seed=3, **extra)
        model.build_vocab(sentences)
        if contiguous_outputs:  # matrices a user assigns: trained where they are
            model.syn1neg = np.ascontiguousarray(model.syn1neg)
            model.syn1 = np.ascontiguousarray(model.syn1)
        model.train(sentences, total_examples=len(sentences), epochs=2)
        return model

    padded, contiguous = trained(False), trained(True)
    for layer in OUTPUT_LAYERS:
        assert getattr(padded, layer).strides[0] > vector_size * 4, layer
        assert getattr(contiguous, layer).strides[0] == vector_size * 4, layer
    assert sha1(padded.wv.vectors) == sha1(contiguous.wv.vectors)
    assert sha1(padded.syn1) == sha1(contiguous.syn1)
    assert sha1(padded.syn1neg) == sha1(contiguous.syn1neg)


@pytest.mark.parametrize("layer, hs, negative", [("syn1", 1, 0), ("syn1neg", 0, 5)])
@pytest.mark.parametrize("sg", [0, 1])
@pytest.mark.parametrize("workers", [1, 4])
def test_the_padding_of_the_output_layers_is_never_read_or_written(layer, hs, negative, sg, workers):
    # NaN in every padding float: a row read or written where the padding lies (a stride taken as vector_size, in the
    # steps or in the private rows that several workers fold into the layer) would spread it into the model or
    # overwrite it.
    sentences = planted_sentences(2000)
    model = w2vfast.Word2Vec(vector_size=100, min_count=1, sg=sg, hs=hs, negative=negative, epochs=2,
                             workers=workers, seed=1)
    model.build_vocab(sentences)
    matrix = getattr(model, layer)
    padded = np.lib.stride_tricks.as_strided(matrix, shape=(len(matrix), matrix.strides[0] // 4))
    padded[:, 100:] = np.nan
    model.train(sentences, total_examples=len(sentences), epochs=2)
    assert np.isnan(padded[:, 100:]).all()
    assert np.isfinite(matrix).all() and np.isfinite(model.wv.vectors).all()
    assert np.abs(matrix).sum() > 0  # trained


@pytest.mark.parametrize("layer, hs, negative", [("syn1", 1, 0), ("syn1neg", 0, 5)])
def test_output_layers_whose_rows_are_not_contiguous_are_refused_by_name(layer, hs, negative):
    sentences = planted_sentences(200)
    model = w2vfast.Word2Vec(vector_size=20, min_count=1, hs=hs, negative=negative, epochs=1, workers=1)
    model.build_vocab(sentences)
    setattr(model, layer, np.zeros((len(model.wv), 40), dtype=np.float32)[:, ::2])
    with pytest.raises(ValueError, match=f"{layer} must be .* whose rows are contiguous"):
        model.train(sentences, total_examples=len(sentences), epochs=1)
