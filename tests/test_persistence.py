"""Saving and loading in the native format: vectors, and whole models that keep training. (The word2vec C formats are
in test_keyedvectors.py.)"""

import os
import stat

import numpy as np
import pytest

from w2vfast import KeyedVectors, Word2Vec, _core

from conftest import planted_sentences


def small_vectors():
    kv = KeyedVectors(5)
    keys = ["alpha", "beta", "caf\udce9", "naïve"]  # "caf\udce9": a corpus word of invalid UTF-8
    kv.add_vectors(keys, np.random.default_rng(0).standard_normal((4, 5)))
    kv.expandos["count"] = np.array([40, 30, 20, 10], dtype=np.int64)
    return kv


def small_model(**overrides):
    settings = dict(min_count=1, vector_size=16, epochs=2, workers=1, seed=3, compute_loss=True)
    settings.update(overrides)
    return Word2Vec(planted_sentences(sentences=400), **settings)


# ------------------------------------------------------------------ KeyedVectors, native format


@pytest.mark.parametrize("mmap", [None, "r"])
def test_native_round_trip_keeps_keys_vectors_and_counts(tmp_path, mmap):
    kv = small_vectors()
    kv.save(tmp_path / "v.w2vf")
    loaded = KeyedVectors.load(tmp_path / "v.w2vf", mmap=mmap)
    assert loaded.index_to_key == kv.index_to_key and loaded.key_to_index == kv.key_to_index
    assert np.array_equal(loaded.vectors, kv.vectors) and loaded.get_vecattr("naïve", "count") == 10
    assert loaded.most_similar("alpha", topn=2) == kv.most_similar("alpha", topn=2)
    if mmap == "r":
        assert isinstance(loaded.vectors, np.memmap) and not loaded.vectors.flags.writeable


def test_memory_mapped_load_does_not_read_the_matrix(tmp_path):
    kv = KeyedVectors(64)
    kv.add_vectors([f"w{i}" for i in range(3)], np.ones((3, 64)))
    kv.vectors = np.ones((3, 64), dtype=np.float32)
    kv.save(tmp_path / "v.w2vf")
    loaded = KeyedVectors.load(tmp_path / "v.w2vf", mmap="c")  # copy on write: changes stay in memory
    loaded.vectors[0, 0] = 5.0
    assert KeyedVectors.load(tmp_path / "v.w2vf").vectors[0, 0] == 1.0


def test_truncated_native_file_raises_value_error_saying_where(tmp_path):
    small_vectors().save(tmp_path / "v.w2vf")
    data = (tmp_path / "v.w2vf").read_bytes()
    (tmp_path / "cut.w2vf").write_bytes(data[:-7])
    with pytest.raises(ValueError, match=r"array 'expando:count' .* at byte \d+, file ends at byte \d+"):
        KeyedVectors.load(tmp_path / "cut.w2vf")
    (tmp_path / "short.w2vf").write_bytes(data[:40])
    with pytest.raises(ValueError, match="header"):
        KeyedVectors.load(tmp_path / "short.w2vf")


@pytest.mark.parametrize("content, message", [(b"2 5\nnot native", "not a w2vfast file"), (b"", "not a w2vfast file")])
def test_foreign_file_raises_value_error(tmp_path, content, message):
    (tmp_path / "v").write_bytes(content)
    with pytest.raises(ValueError, match=message):
        KeyedVectors.load(tmp_path / "v")


def test_corrupt_header_raises_value_error(tmp_path):
    small_vectors().save(tmp_path / "v.w2vf")
    data = bytearray((tmp_path / "v.w2vf").read_bytes())
    data[20:30] = b"#" * 10  # inside the JSON header
    (tmp_path / "v.w2vf").write_bytes(bytes(data))
    with pytest.raises(ValueError, match="header at byte 16 is corrupt"):
        KeyedVectors.load(tmp_path / "v.w2vf")


def test_failed_save_leaves_the_previous_file_and_no_temporary(tmp_path):
    path = tmp_path / "v.w2vf"
    small_vectors().save(path)
    before = path.read_bytes()
    kv = small_vectors()
    kv.index_to_key[0] = "line\nbreak"
    with pytest.raises(ValueError, match="newline"):
        kv.save(path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["v.w2vf"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_saved_files_get_the_umask_s_mode_and_a_replaced_file_keeps_its_own(tmp_path):
    umask = os.umask(0o027)
    try:
        small_vectors().save(tmp_path / "new.w2vf")
        small_vectors().save_word2vec_format(tmp_path / "new.txt")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.w2vf").stat().st_mode) == 0o640  # mkstemp alone gives 0o600
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    (tmp_path / "new.w2vf").chmod(0o604)
    small_vectors().save(tmp_path / "new.w2vf")
    assert stat.S_IMODE((tmp_path / "new.w2vf").stat().st_mode) == 0o604


def test_changed_byte_in_a_native_file_fails_its_checksum(tmp_path):
    small_vectors().save(tmp_path / "v.w2vf")
    data = bytearray((tmp_path / "v.w2vf").read_bytes())
    data[-20] ^= 0x10  # inside the last array: offsets and sizes still agree, only the checksum can tell
    (tmp_path / "v.w2vf").write_bytes(bytes(data))
    with pytest.raises(ValueError, match="checksum mismatch"):
        KeyedVectors.load(tmp_path / "v.w2vf")
    assert len(KeyedVectors.load(tmp_path / "v.w2vf", mmap="r")) == 4  # mapping reads nothing, so checks nothing


def test_native_file_without_checksum_still_loads(tmp_path):
    # Files written before the checksum existed: the same layout, no "checksum" in the header.
    from w2vfast import persistence

    kv = small_vectors()
    persistence.save_native(tmp_path / "v.w2vf", "keyedvectors", kv.index_to_key, {"vectors": kv.vectors}, {})
    data = (tmp_path / "v.w2vf").read_bytes().replace(b'"checksum": "', b'"checksun": "')
    (tmp_path / "v.w2vf").write_bytes(data)
    assert np.array_equal(KeyedVectors.load(tmp_path / "v.w2vf").vectors, kv.vectors)


# ------------------------------------------------------------------ Word2Vec


def test_model_round_trip_keeps_weights_parameters_and_state(tmp_path):
    model = small_model(window=3, negative=4, alpha=0.03)
    model.save(tmp_path / "m.w2vf")
    loaded = Word2Vec.load(tmp_path / "m.w2vf")
    assert np.array_equal(loaded.wv.vectors, model.wv.vectors) and np.array_equal(loaded.syn1neg, model.syn1neg)
    assert (loaded.window, loaded.negative, loaded.alpha, loaded.seed) == (3, 4, 0.03, 3)
    assert (loaded.epochs_trained, loaded._rng_stream) == (model.epochs_trained, model._rng_stream)
    assert loaded.get_latest_training_loss() == model.get_latest_training_loss() > 0
    assert loaded.wv.get_vecattr("a0", "count") == model.wv.get_vecattr("a0", "count")
    assert KeyedVectors.load(tmp_path / "m.w2vf").index_to_key == model.wv.index_to_key


def test_training_resumes_after_load_exactly_as_without_saving(tmp_path):
    sentences = planted_sentences(sentences=400)
    uninterrupted = small_model()
    uninterrupted.train(sentences, epochs=1)
    saved = small_model()
    saved.save(tmp_path / "m.w2vf")
    resumed = Word2Vec.load(tmp_path / "m.w2vf")
    resumed.train(sentences, epochs=1)
    assert np.array_equal(resumed.wv.vectors, uninterrupted.wv.vectors)
    assert np.array_equal(resumed.syn1neg, uninterrupted.syn1neg)


def hierarchical_softmax_model(huffman_ties):
    """A model of hierarchical softmax trained for two epochs on a tree whose ties are broken as `huffman_ties` says
    ("leaves-first": as w2vfast built every tree before it followed gensim's), and its sentences."""
    sentences = planted_sentences(sentences=400)
    model = Word2Vec(min_count=1, vector_size=16, epochs=2, workers=1, seed=3, hs=1, negative=0)
    model.build_vocab(sentences)
    model._vocabulary = model_tree(model, huffman_ties)
    model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
    return model, sentences


def model_tree(model, huffman_ties):
    """The engine's vocabulary of `model`'s words and counts, its tree's ties broken as `huffman_ties` says."""
    words = _core.WordCounts(model.wv.index_to_key, model._vocabulary.counts, total_words=model.corpus_total_words,
                             total_sentences=model.corpus_count)
    return model._new_vocabulary(words, huffman_ties)


def paths(vocabulary):
    return [list(vocabulary.huffman_points(word)) for word in range(len(vocabulary))]


@pytest.mark.parametrize("huffman_ties", ["gensim", "leaves-first"])
def test_hierarchical_softmax_resumes_on_the_tree_it_was_saved_with(tmp_path, huffman_ties):
    # syn1's rows belong to the inner nodes of the tree the model trained with: a file written before the tree
    # followed gensim's (it does not say how ties were broken) must rebuild the leaves-first tree, or each row would
    # train on other words' paths.
    from w2vfast import persistence

    uninterrupted, sentences = hierarchical_softmax_model(huffman_ties)
    other_ties = "leaves-first" if huffman_ties == "gensim" else "gensim"
    assert paths(uninterrupted._vocabulary) != paths(model_tree(uninterrupted, other_ties))
    uninterrupted.train(sentences, epochs=1)
    saved, _ = hierarchical_softmax_model(huffman_ties)
    saved.save(tmp_path / "m.w2vf")
    kind, keys, arrays, attributes = persistence.load_native(tmp_path / "m.w2vf")
    assert attributes["huffman_ties"] == huffman_ties
    if huffman_ties == "leaves-first":
        del attributes["huffman_ties"]  # as in the files of then
        persistence.save_native(tmp_path / "m.w2vf", kind, keys, arrays, attributes)
    resumed = Word2Vec.load(tmp_path / "m.w2vf")
    assert resumed._vocabulary.huffman_ties == huffman_ties
    resumed.train(sentences, epochs=1)
    assert np.array_equal(resumed.syn1, uninterrupted.syn1)
    assert np.array_equal(resumed.wv.vectors, uninterrupted.wv.vectors)


def test_loading_vectors_as_a_model_raises_value_error(tmp_path):
    small_vectors().save(tmp_path / "v.w2vf")
    with pytest.raises(ValueError, match="not a Word2Vec model"):
        Word2Vec.load(tmp_path / "v.w2vf")
