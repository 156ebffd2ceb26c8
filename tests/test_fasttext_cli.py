"""The command line with subword models: `w2vfast train -minn/-maxn/-bucket` writes fastText's .bin and a .vec, and the
query commands read fastText .bin files, answering for unseen words."""

import numpy as np
import pytest

from w2vfast import KeyedVectors, load_facebook_model
from w2vfast.fasttext_format import write_facebook_model

from conftest import write_lines
from test_cli import run_main
from test_fasttext_format import small_model
from test_fasttext_training import CORPUS, UNSEEN

TRAIN_FLAGS = ["-size", "16", "-window", "3", "-iter", "2", "-min-count", "1", "-threads", "1", "-q"]


@pytest.fixture
def bin_file(tmp_path):
    path = tmp_path / "model.bin"
    write_facebook_model(path, small_model())
    return path


def test_train_with_ngram_options_writes_a_fasttext_bin_and_a_vec(tmp_path, capsys):
    corpus = write_lines(tmp_path / "corpus.txt", CORPUS)
    status, _, err = run_main(capsys, "train", "-train", corpus, "-output", tmp_path / "model", "-minn", "3",
                              "-maxn", "5", "-bucket", "5000", *TRAIN_FLAGS)
    assert status == 0, err
    model = load_facebook_model(tmp_path / "model.bin")
    assert (model.wv.min_n, model.wv.max_n, model.wv.bucket, model.vector_size) == (3, 5, 5000, 16)
    text = KeyedVectors.load_word2vec_format(tmp_path / "model.vec")
    assert text.index_to_key == model.wv.index_to_key and np.allclose(text.vectors, model.wv.vectors, atol=1e-5)

    unseen = next(iter(UNSEEN.values()))
    status, out, _ = run_main(capsys, "similar", tmp_path / "model.bin", unseen, "-n", "3")
    assert status == 0 and "composed from its n-grams" in out and len(out.splitlines()) == 4


def test_output_named_bin_writes_the_same_pair(tmp_path, capsys):
    corpus = write_lines(tmp_path / "corpus.txt", CORPUS)
    status, _, err = run_main(capsys, "train", "-train", corpus, "-output", tmp_path / "m.bin", "-minn", "3",
                              "-bucket", "1000", *TRAIN_FLAGS)
    assert status == 0, err
    assert (tmp_path / "m.bin").exists() and (tmp_path / "m.vec").exists() and not (tmp_path / "m.bin.bin").exists()


def test_info_similar_and_analogy_read_fasttext_bin_files(bin_file, capsys):
    status, out, _ = run_main(capsys, "info", bin_file)
    assert status == 0 and "fastText binary" in out and "3-6 characters, 50 buckets" in out
    assert "words       6" in out
    status, out, _ = run_main(capsys, "similar", bin_file, "cat", "catnip", "-n", "2")
    assert status == 0 and out.startswith("cat\n") and "catnip (not in the vocabulary" in out
    status, out, _ = run_main(capsys, "analogy", bin_file, "the", "cat", "dogs", "-n", "1")
    assert status == 0 and "is to" in out


def test_a_word_without_ngrams_is_reported_missing(tmp_path, capsys):
    write_facebook_model(tmp_path / "m.bin", small_model(minn=5, maxn=6))
    status, _, err = run_main(capsys, "similar", tmp_path / "m.bin", "ab")
    assert status == 1 and "'ab' is not in the vocabulary" in err


@pytest.mark.parametrize("flags, message", [
    (["-minn", "3", "-binary", "1"], "-binary"),
    (["-maxn", "6", "-hs", "1", "-negative", "5"], "add -negative 0"),
    (["-minn", "-1"], "-minn"),
    (["-bucket", "x"], "-bucket"),
])
def test_bad_subword_usage_exits_2(flags, message, tmp_path, capsys):
    corpus = write_lines(tmp_path / "corpus.txt", CORPUS[:10])
    status, _, err = run_main(capsys, "train", "-train", corpus, "-output", tmp_path / "m", *flags, "-q")
    assert status == 2 and message in err


def test_a_supervised_bin_fails_with_the_reason(tmp_path, capsys):
    write_facebook_model(tmp_path / "m.bin", small_model(model=3))
    status, _, err = run_main(capsys, "info", tmp_path / "m.bin")
    assert status == 1 and "supervised" in err and len(err.splitlines()) == 1
