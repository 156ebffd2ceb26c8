"""fastText's .bin format: read and written as fastText and gensim do, and hostile files refused with ValueError in a
child process (never a crash or a huge allocation)."""

import struct

import numpy as np
import pytest

from w2vfast import FastTextKeyedVectors, KeyedVectors, load_facebook_model, load_facebook_vectors, save_facebook_model
from w2vfast import fasttext_format
from w2vfast.fasttext_format import FacebookModel, read_facebook_model, write_facebook_model

from isolation import expect_value, run_isolated

WORDS = ["</s>", "the", "cat", "sat", "naïve", "caf\udce9"]  # "caf\udce9": a corpus word of invalid UTF-8
DIM, BUCKET = 4, 50


def small_model(**overrides) -> FacebookModel:
    rng = np.random.default_rng(0)
    fields = dict(
        dim=DIM, ws=5, epoch=5, min_count=1, neg=5, word_ngrams=1, loss=fasttext_format.LOSS_NS,
        model=fasttext_format.MODEL_SKIPGRAM, bucket=BUCKET, minn=3, maxn=6, lr_update_rate=100, t=1e-4,
        words=list(WORDS), counts=np.arange(len(WORDS), 0, -1, dtype=np.int64) * 10, ntokens=1234,
        vectors_vocab=rng.standard_normal((len(WORDS), DIM)).astype(np.float32),
        vectors_ngrams=rng.standard_normal((BUCKET, DIM)).astype(np.float32),
        output=rng.standard_normal((len(WORDS), DIM)).astype(np.float32),
    )
    fields.update(overrides)
    return FacebookModel(**fields)


@pytest.fixture
def small_bin(tmp_path):
    path = tmp_path / "small.bin"
    write_facebook_model(path, small_model())
    return path


def valid_utf8_model() -> FacebookModel:
    """small_model() without its word of invalid UTF-8, which gensim and fastText decode differently."""
    model = small_model()
    model.words, model.counts = model.words[:-1], model.counts[:-1]
    model.vectors_vocab, model.output = model.vectors_vocab[:-1], model.output[:-1]
    return model


@pytest.fixture
def valid_utf8_bin(tmp_path):
    path = tmp_path / "utf8.bin"
    write_facebook_model(path, valid_utf8_model())
    return path


def expected_vector(model: FacebookModel, wv: FastTextKeyedVectors, word: str) -> np.ndarray:
    """fastText's getWordVector, written out: the mean of the word's own row (if in the vocabulary) and its n-gram
    rows."""
    rows = [model.vectors_ngrams[row] for row in wv.ngram_rows(word)]
    if word in model.words:
        rows.append(model.vectors_vocab[model.words.index(word)])
    return np.mean(rows, axis=0)


# ------------------------------------------------------------------ the layout


def test_what_is_written_reads_back_unchanged(small_bin):
    model, loaded = small_model(), read_facebook_model(small_bin)
    assert loaded.words == WORDS and np.array_equal(loaded.counts, model.counts) and loaded.ntokens == 1234
    for matrix in ("vectors_vocab", "vectors_ngrams", "output"):
        assert np.array_equal(getattr(loaded, matrix), getattr(model, matrix))
    assert (loaded.dim, loaded.bucket, loaded.minn, loaded.maxn, loaded.t) == (DIM, BUCKET, 3, 6, 1e-4)


def test_vectors_compose_word_and_ngram_rows_as_fasttext_does(small_bin):
    model, wv = small_model(), load_facebook_vectors(small_bin)
    for word in ["cat", "naïve", "caf\udce9", "catsat", "zebra"]:  # in the vocabulary, and not
        assert word in wv
        assert np.allclose(wv[word], expected_vector(model, wv, word), atol=1e-6)
    assert np.allclose(wv.vectors[wv.get_index("sat")], expected_vector(model, wv, "sat"), atol=1e-6)


def test_a_model_read_and_written_back_is_the_same_file(small_bin, tmp_path):
    save_facebook_model(load_facebook_model(small_bin), tmp_path / "again.bin")
    assert (tmp_path / "again.bin").read_bytes() == small_bin.read_bytes()


def test_a_file_of_fasttext_reads_and_writes_back_byte_for_byte(tmp_path):
    datapath = pytest.importorskip("gensim.test.utils").datapath
    original = datapath("crime-and-punishment.bin")  # trained by fastText itself
    save_facebook_model(load_facebook_model(original), tmp_path / "again.bin")
    with open(original, "rb") as file:
        assert (tmp_path / "again.bin").read_bytes() == file.read()


# ------------------------------------------------------------------ gensim and fastText read what we write


def test_gensim_reads_our_files_with_equal_vectors_and_we_read_theirs(valid_utf8_bin, tmp_path):
    gensim_fasttext = pytest.importorskip("gensim.models.fasttext")
    theirs = gensim_fasttext.load_facebook_model(str(valid_utf8_bin))
    ours = load_facebook_vectors(valid_utf8_bin)
    assert theirs.wv.index_to_key == ours.index_to_key
    assert np.allclose(theirs.wv.vectors, ours.vectors, atol=1e-6)
    for word in ["catsat", "zebra", "naïve"]:
        assert np.allclose(theirs.wv[word], ours[word], atol=1e-6)

    gensim_fasttext.save_facebook_model(theirs, str(tmp_path / "gensim.bin"))
    again = load_facebook_model(tmp_path / "gensim.bin")
    assert np.allclose(again.wv.vectors, ours.vectors, atol=1e-6)
    assert np.array_equal(again.syn1neg, valid_utf8_model().output)
    assert np.allclose(again.wv["zebra"], theirs.wv["zebra"], atol=1e-6)


def test_fasttext_reads_our_files_with_equal_vectors(valid_utf8_bin):
    fasttext = pytest.importorskip("fasttext")
    theirs, ours = fasttext.load_model(str(valid_utf8_bin)), load_facebook_vectors(valid_utf8_bin)
    assert theirs.get_words()[:3] == ["</s>", "the", "cat"] and theirs.get_dimension() == DIM
    for word in ["cat", "naïve", "catsat", "zebra"]:
        assert np.allclose(theirs.get_word_vector(word), ours[word], atol=1e-6)


def test_we_read_a_model_fasttext_trained(tmp_path):
    fasttext = pytest.importorskip("fasttext")
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("the cat sat on the mat\nthe dog sat on the log\n" * 50)
    trained = fasttext.train_unsupervised(str(corpus), model="cbow", dim=8, epoch=1, minCount=1, bucket=1000,
                                          thread=1, verbose=0)
    trained.save_model(str(tmp_path / "fasttext.bin"))
    model = load_facebook_model(tmp_path / "fasttext.bin")
    assert model.sg == 0 and model.wv.bucket == 1000 and model.wv.index_to_key == trained.get_words()
    for word in ["cat", "mat", "catalogue", "dogs"]:
        assert np.allclose(model.wv[word], trained.get_word_vector(word), atol=1e-6)
    before = model.wv["catalogue"].copy()
    model.train(corpus_file=str(corpus), total_words=model.corpus_total_words, epochs=1)  # and trains on
    assert not np.allclose(model.wv["catalogue"], before)


# ------------------------------------------------------------------ what is refused, and how


def test_words_fasttext_cannot_store_are_refused(tmp_path):
    with pytest.raises(ValueError, match="whitespace"):
        write_facebook_model(tmp_path / "x.bin", small_model(words=WORDS[:-1] + ["two words"]))
    assert not (tmp_path / "x.bin").exists()


def test_a_softmax_model_loads_as_vectors_but_not_as_a_model_to_train(tmp_path):
    write_facebook_model(tmp_path / "softmax.bin", small_model(loss=fasttext_format.LOSS_SOFTMAX))
    assert len(load_facebook_vectors(tmp_path / "softmax.bin")) == len(WORDS)
    with pytest.raises(ValueError, match="softmax loss"):
        load_facebook_model(tmp_path / "softmax.bin")


def patched(data: bytes, offset: int, layout: str, value) -> bytes:
    return data[:offset] + struct.pack(layout, value) + data[offset + struct.calcsize(layout):]


# Byte offsets of the header's fields (see fasttext_format's layout): args from byte 8, the dictionary from 64.
DIM_AT, LOSS_AT, MODEL_AT, BUCKET_AT = 8, 32, 36, 40
SIZE_AT, NWORDS_AT, NLABELS_AT, FIRST_WORD_AT = 64, 68, 72, 92


def hostile_files(data: bytes):
    """(name, content, what the message must say) for corrupt and hostile variants of a valid file."""
    # The input matrix's header follows the last entry ("caf\xe9", NUL, count, type).
    matrix_at = data.index(b"caf\xe9\0") + 5 + 9
    huge = 2**31 - 1
    words = len(WORDS)
    return [
        ("empty", b"", "empty file"),
        ("wrong magic", b"\x7fELF" + data[4:], "not a fastText .bin model"),
        ("word2vec text", b"3 4\nthe 1 2 3 4\n" + data[16:], "not a fastText .bin model"),
        ("future version", patched(data, 4, "<i", 99), "version 99"),
        ("supervised model", patched(data, MODEL_AT, "<i", 3), "supervised"),
        ("labels", patched(patched(data, NLABELS_AT, "<i", 2), SIZE_AT, "<i", words + 2), "supervised"),
        ("unknown loss", patched(data, LOSS_AT, "<i", 9), "unknown loss code 9"),
        ("zero dim", patched(data, DIM_AT, "<i", 0), "dim is 0"),
        ("absurd word count", patched(patched(data, SIZE_AT, "<i", huge), NWORDS_AT, "<i", huge), "claims"),
        ("size and nwords disagree", patched(data, SIZE_AT, "<i", words + 1), "do not add up"),
        ("absurd bucket", patched(patched(data, BUCKET_AT, "<i", huge), matrix_at + 1, "<q", words + huge),
         "truncated: the input matrix needs"),
        ("absurd dim", patched(patched(data, DIM_AT, "<i", huge), matrix_at + 9, "<q", huge),
         "truncated: the input matrix needs"),
        ("matrix disagrees with header", patched(data, matrix_at + 1, "<q", words + BUCKET + 1), "input matrix is"),
        ("quantised", patched(data, matrix_at, "<?", True), "quantised"),
        ("pruned", patched(data, FIRST_WORD_AT - 8, "<q", 3), "pruned"),
        ("trailing bytes", data + b"\0" * 8, "bytes after the output matrix"),
        ("NaN vector", data[:matrix_at + 17] + struct.pack("<f", float("nan")) + data[matrix_at + 21:], "NaN"),
        ("no end of word", data[:FIRST_WORD_AT] + b"x" * 100, "has no end"),
    ]


def case_read(path):
    """Reads the file in every way a user can, returning (error type, message) of each."""
    outcomes = []
    for reader in (load_facebook_vectors, load_facebook_model, KeyedVectors.load):
        try:
            reader(path)
            outcomes.append(("ok", ""))
        except Exception as error:  # noqa: BLE001 - the parent asserts on the type
            outcomes.append((type(error).__name__, str(error)))
    return outcomes


def test_hostile_files_raise_value_error_naming_what_was_found(small_bin, tmp_path):
    data = small_bin.read_bytes()
    for name, content, message in hostile_files(data):
        path = tmp_path / (name.replace(" ", "-") + ".bin")
        path.write_bytes(content)
        (vectors, model, native) = expect_value(run_isolated(case_read, str(path)))
        assert vectors == model or model[0] == "ValueError", name
        assert vectors[0] == "ValueError" and message in vectors[1], (name, vectors)
        assert native[0] == "ValueError", (name, native)  # KeyedVectors.load: not a w2vfast file


def case_read_every_truncation(path, step):
    data = open(path, "rb").read()
    outcomes = set()
    for length in range(0, len(data), step):
        with open(path + ".cut", "wb") as out:
            out.write(data[:length])
        try:
            load_facebook_model(path + ".cut")
            outcomes.add(("ok", length))
        except ValueError as error:
            assert "truncated" in str(error) or "empty" in str(error) or "has no end" in str(error), str(error)
            outcomes.add(("ValueError", 0))
    return sorted(outcomes)


def test_every_truncation_raises_value_error(small_bin):
    assert expect_value(run_isolated(case_read_every_truncation, str(small_bin), 3)) == [("ValueError", 0)]
