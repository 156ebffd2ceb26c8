"""Hostile input and faults: every case ends in a clear Python exception or a documented, correct result, never a
crash, an abort, a hang or silently wrong numbers. Each case runs in a child process (see isolation.py), and the
test asserts on the child's exit status as well as on its message or result."""

import gzip
import os
import random
import re
import sys

import numpy as np
import pytest

from isolation import expect_error, expect_value, run_isolated
from w2vfast import KeyedVectors, Word2Vec
from w2vfast._arrays import all_finite

QUIET = dict(progress=False, workers=2, seed=1)


def write(directory, content: bytes, name="corpus.txt") -> str:
    path = os.path.join(directory, name)
    with open(path, "wb") as out:
        out.write(content)
    return path


def small_text(lines=300) -> bytes:
    rng = random.Random(0)
    words = [f"w{i}" for i in range(30)]
    return b"".join(" ".join(rng.choices(words, k=12)).encode() + b"\n" for _ in range(lines))


def train_file(path, **parameters):
    """Trains on a file and returns (vocabulary, whether every weight is finite)."""
    return train_corpus(dict(corpus_file=path), **parameters)


def train_corpus(corpus, **parameters):
    """Trains on corpus_file=... or sentences=... and returns (vocabulary, whether every weight is finite)."""
    model = Word2Vec(**corpus, **{"min_count": 1, "epochs": 1, **QUIET, **parameters})
    finite = bool(np.isfinite(model.wv.vectors).all() and np.isfinite(model.syn1neg).all())
    return sorted(model.wv.index_to_key), finite


# -------------------------------------------------------------------- corpus content


def case_empty_file(directory):
    return train_file(write(directory, b""))


def case_whitespace_only(directory):
    return train_file(write(directory, b" \t\n\r\n\x0b\x0c\n   \n" * 1000))


def case_every_word_below_min_count(directory):
    return train_file(write(directory, b"alpha beta gamma\ndelta\n"), min_count=2)


def case_empty_sentences(directory):
    return train_corpus(dict(sentences=[[], []]))


def case_every_sentence_word_below_min_count(directory):
    return train_corpus(dict(sentences=[["alpha", "beta", "gamma"], ["delta"]]), min_count=2)


@pytest.mark.parametrize(
    "case, message",
    [
        (case_empty_file, "the corpus is empty"),
        (case_whitespace_only, "the corpus is empty"),
        (case_every_word_below_min_count, "the vocabulary is empty after min_count=2"),
        (case_empty_sentences, "the corpus is empty"),
        (case_every_sentence_word_below_min_count, "the vocabulary is empty after min_count=2"),
    ],
)
def test_corpus_without_trainable_words_raises_value_error(tmp_path, case, message):
    expect_error(run_isolated(case, str(tmp_path)), "ValueError", message)


def case_single_word(directory, trailing_newline):
    return train_file(write(directory, b"lonely" + (b"\n" if trailing_newline else b"")))


@pytest.mark.parametrize("trailing_newline", [True, False])
def test_single_word_corpus_trains_its_one_word(tmp_path, trailing_newline):
    assert expect_value(run_isolated(case_single_word, str(tmp_path), trailing_newline)) == (["lonely"], True)


def case_nul_bytes(directory):
    return train_file(write(directory, b"a\x00b c\x00\x00 \x00\n" * 50 + b"\x00" * 1000 + b"\n"))


def test_nul_bytes_are_ordinary_word_bytes(tmp_path):
    vocabulary, finite = expect_value(run_isolated(case_nul_bytes, str(tmp_path)))
    assert vocabulary == sorted(["a\x00b", "c\x00\x00", "\x00", "\x00" * 1000]) and finite


def case_invalid_utf8(directory):
    path = write(directory, b"\xff\xfe ok \xc3 \xed\xa0\x80 caf\xe9 caf\xc3\xa9 caf\xe9\n" * 50)
    model = Word2Vec(corpus_file=path, min_count=1, epochs=1, **QUIET)
    model.wv.save_word2vec_format(os.path.join(directory, "v.bin"), binary=True)
    reloaded = KeyedVectors.load_word2vec_format(os.path.join(directory, "v.bin"), binary=True,
                                                 unicode_errors="surrogateescape")
    trained = list(zip(model.wv.index_to_key, model.wv.expandos["count"].tolist()))
    return trained, sorted(reloaded.index_to_key)


def test_invalid_utf8_words_keep_their_bytes_through_training_and_saving(tmp_path):
    trained, reloaded = expect_value(run_isolated(case_invalid_utf8, str(tmp_path)))
    # Keys are the words' bytes, surrogate-escaped: Latin-1 "caf\xe9" and UTF-8 "café" are two words, each counted.
    counted = [(b"caf\xe9", 100), (b"\xff\xfe", 50), (b"ok", 50), (b"\xc3", 50), (b"\xed\xa0\x80", 50),
               (b"caf\xc3\xa9", 50)]  # by count, then in order of first occurrence
    expected = [(word.decode("utf-8", "surrogateescape"), count) for word, count in counted]
    assert trained == expected
    assert reloaded == sorted(word for word, _ in expected)


LONG_LINE_BYTES = 100 * 1000 * 1000


def case_100mb_line_without_newline(directory, compressed, spaces):
    # 100-byte words (10 distinct), or one 100 MB run of letters that the reader cuts into 64 KiB tokens.
    unit = b"".join(bytes([97 + i]) * 99 + b" " for i in range(10)) if spaces else b"x" * 1000
    data = unit * (LONG_LINE_BYTES // len(unit))
    if compressed:
        path = write(directory, gzip.compress(data, compresslevel=1), "line.txt.gz")
    else:
        path = write(directory, data, "line.txt")
    del data
    model = Word2Vec(corpus_file=path, min_count=1, epochs=1, vector_size=8, window=2, negative=1, sample=0, **QUIET)
    counts = dict(zip(model.wv.index_to_key, model.wv.expandos["count"].tolist()))
    return counts, model.corpus_count, model.corpus_total_words, bool(np.isfinite(model.wv.vectors).all())


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_100mb_line_without_newline_is_counted_in_full_and_trained(tmp_path, compressed):
    # A million words on one line: a hundred times the sentence limit, and over twenty of the decompressing reader's
    # largest blocks (4 MiB), which it cuts at a space. A word lost, repeated or cut in two shows in the counts.
    counts, sentences, total, finite = expect_value(
        run_isolated(case_100mb_line_without_newline, str(tmp_path), compressed, True, timeout=120)
    )
    assert counts == {chr(97 + i) * 99: LONG_LINE_BYTES // 1000 for i in range(10)}
    assert (total, finite) == (LONG_LINE_BYTES // 100, True)
    # A plain file's line is one sentence; the decompressing reader cuts a line longer than 4 MiB at a space.
    assert sentences == 1 if not compressed else sentences >= 1


def test_100mb_token_is_cut_into_64_kib_pieces(tmp_path):
    counts, sentences, total, finite = expect_value(
        run_isolated(case_100mb_line_without_newline, str(tmp_path), False, False, timeout=120)
    )
    assert total == -(-LONG_LINE_BYTES // 65536) and sentences == 1 and finite


# -------------------------------------------------------------------- memory bound of counting

DISTINCT_WORDS = 2_000_000  # bench/huge_vocabulary.py runs the 10-million-word case
MAX_VOCAB_SIZE = 100_000


def case_huge_vocabulary(directory, max_vocab_size):
    import resource

    path = os.path.join(directory, "distinct.txt")
    with open(path, "w") as out:
        for start in range(0, DISTINCT_WORDS, 100_000):
            out.write("\n".join(" ".join(f"w{i:x}" for i in range(s, s + 100)) for s in range(start, start + 100_000, 100)))
            out.write("\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    model = Word2Vec(max_vocab_size=max_vocab_size, min_count=1, vector_size=4, **QUIET)  # weights: 3 MiB
    model.build_vocab(corpus_file=path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is in bytes on macOS, KiB on Linux
    return len(model.wv), model.corpus_total_words, (peak - before) * scale / 2**20


@pytest.mark.skipif(sys.platform == "win32", reason="the resource module is POSIX")
def test_max_vocab_size_bounds_memory_of_a_huge_vocabulary(tmp_path):
    kept, total, growth_mib = expect_value(run_isolated(case_huge_vocabulary, str(tmp_path), MAX_VOCAB_SIZE, fresh=True))
    assert total == DISTINCT_WORDS and kept <= MAX_VOCAB_SIZE
    # Unbounded, 2 million words take about 300 MiB here; two threads' tables of 100,000 words take about 40 MiB.
    assert growth_mib < 80, f"counting grew the process by {growth_mib:.0f} MiB"


# -------------------------------------------------------------------- the file changes or is not a file


def case_file_changes_while_training(directory, change, compressed):
    data = small_text(lines=40_000)
    path = write(directory, gzip.compress(data, 1) if compressed else data, "changing.txt" + (".gz" if compressed else ""))
    model = Word2Vec(min_count=1, epochs=3, vector_size=20, **QUIET)
    model.build_vocab(corpus_file=path)

    class ChangeAfterFirstEpoch:
        # At the end of the first epoch, so that the change always lands inside train(), whatever the speed.
        def on_epoch_end(self, model):
            if model.epochs_trained != 1:
                return
            if change == "delete":
                os.unlink(path)
            else:
                with open(path, "r+b") as file:
                    file.truncate(os.path.getsize(path) // 3)

    model.train(corpus_file=path, callbacks=[ChangeAfterFirstEpoch()])
    return model.epochs_trained, bool(np.isfinite(model.wv.vectors).all())


@pytest.mark.skipif(sys.platform == "win32", reason="Windows refuses to delete an open file")
@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_file_deleted_while_training_raises_os_error_by_the_next_epoch(tmp_path, compressed):
    # POSIX keeps a deleted file's data for whoever has it open; the next epoch cannot open it.
    outcome = run_isolated(case_file_changes_while_training, str(tmp_path), "delete", compressed)
    expect_error(outcome, "OSError", "cannot open corpus file")


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_file_truncated_while_training_trains_what_is_left_or_raises(tmp_path, compressed):
    outcome = run_isolated(case_file_changes_while_training, str(tmp_path), "truncate", compressed)
    if compressed:
        # A gzip stream cut short cannot be decompressed to its end: the reader says so.
        assert outcome.exitcode == 1 and outcome.error in ("OSError", "ValueError"), outcome.describe()
        assert "changing.txt.gz" in outcome.message and "truncated" in outcome.message, outcome.describe()
    else:
        # A plain file is read up to wherever it now ends: training completes on the text still there.
        assert expect_value(outcome) == (3, True)


def case_directory_or_fifo(directory, kind):
    path = os.path.join(directory, "input")
    if kind == "fifo":
        os.mkfifo(path)
    else:
        os.mkdir(path)
        if kind == "directory with a fifo":
            os.mkfifo(os.path.join(path, "pipe"))
    return train_file(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize(
    "kind, message",
    [("fifo", "is not a regular file"), ("directory", "holds no files"), ("directory with a fifo", "holds no files")],
)
def test_fifo_or_empty_directory_as_corpus_file_raises_value_error_without_blocking(tmp_path, kind, message):
    # Opening a FIFO for reading would block until a writer comes: the check happens before any open.
    expect_error(run_isolated(case_directory_or_fifo, str(tmp_path), kind, timeout=30), "ValueError", message)


# -------------------------------------------------------------------- extreme hyperparameters


def case_train_with(directory, parameters):
    path = write(directory, small_text())
    model = Word2Vec(corpus_file=path, min_count=1, **{"epochs": 2, **QUIET, **parameters})
    similar = model.wv.most_similar("w0", topn=3)
    return model.epochs_trained, bool(np.isfinite(model.wv.vectors).all()), len(similar), model.wv.vectors.shape


@pytest.mark.parametrize(
    "parameters",
    [
        dict(vector_size=1),
        dict(vector_size=2000),
        dict(window=1),
        dict(window=100),
        dict(negative=50),
        dict(sample=1),
        dict(alpha=1e-30, min_alpha=0.0),
        dict(alpha=1.0),
        dict(workers=64),
        dict(sg=0, window=100),
        dict(sg=0, cbow_mean=0, negative=50),
        dict(hs=1, negative=0, vector_size=1),
        dict(sg=0, hs=1, negative=0, window=100),
        dict(shared_negatives=True, negative=50),
    ],
    ids=lambda parameters: ",".join(f"{name}={value}" for name, value in parameters.items()),
)
def test_extreme_hyperparameters_train_finite_vectors(tmp_path, parameters):
    epochs, finite, similar, shape = expect_value(run_isolated(case_train_with, str(tmp_path), parameters))
    assert epochs == 2 and finite and similar == 3 and shape[1] == parameters.get("vector_size", 100)


def test_zero_epochs_leave_the_initial_vectors(tmp_path):
    epochs, finite, similar, shape = expect_value(run_isolated(case_train_with, str(tmp_path), dict(epochs=0)))
    assert epochs == 0 and finite and shape == (30, 100)


@pytest.mark.parametrize(
    "mode", [dict(), dict(sg=0), dict(shared_negatives=True)], ids=["sg-ns", "cbow-ns", "sg-shared-negatives"]
)
def test_learning_rate_that_overflows_raises_floating_point_error(tmp_path, mode):
    outcome = run_isolated(case_train_with, str(tmp_path), dict(alpha=1e30, **mode))
    expect_error(outcome, "FloatingPointError", "training diverged in epoch 1")
    assert re.search(r"training diverged in epoch 1: .* alpha=1e\+30", outcome.message), outcome.describe()


def _laid_out(matrix, layout):
    """``matrix`` as each kind of matrix the check reads: the engine reads float32 rows in place (a padded output
    layer's too, whose padding holds NaN here and must not count), NumPy anything else."""
    if layout == "padded":
        padded = np.full((matrix.shape[0], 16), np.nan, dtype=np.float32)
        padded[:, :matrix.shape[1]] = matrix
        return padded[:, :matrix.shape[1]]
    if layout == "transposed":
        return np.ascontiguousarray(matrix.T).T
    if layout == "float64":
        return matrix.astype(np.float64)
    return matrix


@pytest.mark.parametrize("layout", ["contiguous", "padded", "transposed", "float64"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", [0, 57, -1])
def test_the_divergence_check_finds_one_nan_or_infinite_weight_anywhere(bad, where, layout):
    matrix = np.full((20, 10), 3e38, dtype=np.float32)  # finite, though a float32 sum of it would overflow
    assert all_finite(_laid_out(matrix, layout)) and all_finite(_laid_out(np.zeros((0, 10), np.float32), layout))
    matrix.flat[where] = bad
    assert not all_finite(_laid_out(matrix, layout))


@pytest.mark.parametrize("mode", [dict(sg=1), dict(sg=0)], ids=["sg-hs", "cbow-hs"])
def test_huge_learning_rate_with_hierarchical_softmax_stalls_or_raises_never_corrupts(tmp_path, mode):
    # Hierarchical softmax skips decisions whose score is saturated (|score| >= 6, as word2vec.c), so a huge rate
    # often leaves the weights finite and training stalls; but whether the first unsaturated update already
    # overflows depends on the threads' interleaving. Either outcome is correct; NaN vectors handed back are not.
    outcome = run_isolated(case_train_with, str(tmp_path), dict(hs=1, negative=0, alpha=1e30, **mode))
    if outcome.error is not None:
        expect_error(outcome, "FloatingPointError", "training diverged in epoch 1")
    else:
        epochs, finite, similar, shape = expect_value(outcome)
        assert epochs == 2 and finite and similar == 3


# -------------------------------------------------------------------- loading vectors and models

FORMATS = ["word2vec-text", "word2vec-binary", "keyedvectors", "word2vec-model"]


def saved_model(directory, file_format):
    model = Word2Vec(sentences=[[f"w{i}" for i in range(j, j + 8)] for j in range(20)], vector_size=6, min_count=1,
                     epochs=1, **QUIET)
    path = os.path.join(directory, file_format)
    if file_format.startswith("word2vec-") and file_format != "word2vec-model":
        model.wv.save_word2vec_format(path, binary=file_format.endswith("binary"))
    elif file_format == "keyedvectors":
        model.wv.save(path)
    else:
        model.save(path)
    return model, path


def load(path, file_format):
    if file_format.startswith("word2vec-") and file_format != "word2vec-model":
        return KeyedVectors.load_word2vec_format(path, binary=file_format.endswith("binary"))
    if file_format == "keyedvectors":
        return KeyedVectors.load(path)
    return Word2Vec.load(path).wv


def case_damaged_files(directory, file_format, damage):
    """Loads many damaged copies of one file; returns how each went: 'error', 'same' or 'changed <detail>'."""
    model, path = saved_model(directory, file_format)
    original = open(path, "rb").read()
    rng = random.Random(7)
    if damage == "truncated":
        lengths = sorted(set(range(0, min(len(original), 80))) | set(rng.sample(range(len(original)), 60)))
        copies = [original[:length] for length in lengths]
    else:
        copies = []
        for position in sorted(set(range(min(len(original), 64))) | set(rng.sample(range(len(original)), 200))):
            damaged = bytearray(original)
            damaged[position] ^= 1 << rng.randrange(8)
            copies.append(bytes(damaged))
    results = []
    damaged_path = os.path.join(directory, "damaged")
    for copy in copies:
        with open(damaged_path, "wb") as out:
            out.write(copy)
        try:
            kv = load(damaged_path, file_format)
        except ValueError:
            results.append("error")
            continue
        if kv.index_to_key == model.wv.index_to_key and np.array_equal(kv.vectors, model.wv.vectors):
            results.append("same")
            continue
        changed_keys = sum(a != b for a, b in zip(kv.index_to_key, model.wv.index_to_key))
        same_shape = kv.vectors.shape == model.wv.vectors.shape
        changed_rows = int((kv.vectors != model.wv.vectors).any(axis=1).sum()) if same_shape else -1
        results.append(f"changed keys={changed_keys} rows={changed_rows} finite={np.isfinite(kv.vectors).all()}")
    return results


@pytest.mark.parametrize("file_format", FORMATS)
def test_truncated_files_raise_value_error_in_every_format(tmp_path, file_format):
    results = expect_value(run_isolated(case_damaged_files, str(tmp_path), file_format, "truncated"))
    # The one cut that loses nothing: the newline ending a binary file's last vector, which word2vec.c's reader
    # does not need (gensim's writer omits it).
    allowed = {"error", "same"} if file_format == "word2vec-binary" else {"error"}
    assert set(results) <= allowed, results


@pytest.mark.parametrize("file_format", ["keyedvectors", "word2vec-model"])
def test_bit_flips_in_native_files_raise_value_error(tmp_path, file_format):
    results = expect_value(run_isolated(case_damaged_files, str(tmp_path), file_format, "bit-flipped"))
    # The checksum catches every flip; a flip in the checksum's key name only makes the file look older and intact.
    assert set(results) <= {"error", "same"} and results.count("error") >= len(results) - 2, results


@pytest.mark.parametrize("file_format", ["word2vec-text", "word2vec-binary"])
def test_bit_flips_in_word2vec_files_raise_or_change_one_entry(tmp_path, file_format):
    # word2vec.c's formats carry no checksum: a flip that still parses changes one key or one vector, and the
    # result is whatever the damaged file says (finite, since NaN and inf are refused). It never crashes or hangs.
    results = expect_value(run_isolated(case_damaged_files, str(tmp_path), file_format, "bit-flipped"))
    allowed = {"error", "same", "changed keys=1 rows=0 finite=True", "changed keys=0 rows=1 finite=True"}
    assert set(results) <= allowed, results


def case_non_finite_vectors(directory, file_format, value):
    path = os.path.join(directory, "v")
    if file_format == "word2vec-text":
        write(directory, f"2 3\nfine 1 2 3\nbad 1 {value} 3\n".encode(), "v")
    elif file_format == "word2vec-binary":
        write(directory, b"2 3\nfine " + np.array([1, 2, 3], "<f4").tobytes() + b"\nbad "
              + np.array([1, float(value), 3], "<f4").tobytes() + b"\n", "v")
    else:
        # Written by hand around save's refusal: the file a buggy or foreign writer could leave.
        import w2vfast.persistence as persistence

        vectors = np.array([[1, 2, 3], [1, float(value), 3]], dtype=np.float32)
        original = persistence.check_finite
        persistence.check_finite = lambda *args: None
        try:
            persistence.save_native(path, "keyedvectors", ["fine", "bad"], {"vectors": vectors}, {"vector_size": 3})
        finally:
            persistence.check_finite = original
    return load(path, file_format)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e39"])
@pytest.mark.parametrize("file_format", ["word2vec-text", "word2vec-binary", "keyedvectors"])
def test_non_finite_vectors_raise_value_error_naming_the_word(tmp_path, file_format, value):
    if value == "1e39" and file_format != "word2vec-text":
        pytest.skip("only text can hold a number beyond float32's range")
    outcome = run_isolated(case_non_finite_vectors, str(tmp_path), file_format, value)
    expect_error(outcome, "ValueError", "the vector of key 'bad' (row 1) holds NaN or infinite values")


def case_save_non_finite(directory, file_format):
    kv = KeyedVectors(2)
    kv.add_vectors(["fine", "caf\udce9"], np.array([[1, 2], [np.nan, 0]], dtype=np.float32))
    path = os.path.join(directory, "out")
    if file_format == "keyedvectors":
        kv.save(path)
    else:
        kv.save_word2vec_format(path, binary=file_format.endswith("binary"))


@pytest.mark.parametrize("file_format", ["word2vec-text", "word2vec-binary", "keyedvectors"])
def test_saving_non_finite_vectors_raises_value_error_and_writes_nothing(tmp_path, file_format):
    # The key, of invalid UTF-8, is named escaped, as repr() writes it.
    message = r"the vector of key 'caf\udce9' (row 1) holds NaN or infinite values"
    expect_error(run_isolated(case_save_non_finite, str(tmp_path), file_format), "ValueError", message)
    assert not os.path.exists(tmp_path / "out")
