"""The `w2vfast` command line, judged by its exit status and its output.

The main flows (train, similar, analogy, eval, info, plot) run as users run them, in a child process. The tables of
bad-usage and failure cases call `w2vfast.cli.main` in this process, which is what the console script runs (a
child process costs about half a second here); one test checks that its status becomes the process's exit status.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import COMMUNITY_SIZE, planted_sentences, write_lines
from w2vfast import KeyedVectors, Word2Vec
from w2vfast.cli import main

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Small and quick: 2 epochs over the planted corpus of 30,000 words, 20 dimensions.
TRAIN_FLAGS = ["-size", "20", "-window", "3", "-iter", "2", "-min-count", "1", "-threads", "1"]


def w2vfast(*args, env=None):
    """Runs `python -m w2vfast ARGS` and returns the completed process (exit status, stdout, stderr)."""
    return subprocess.run([sys.executable, "-m", "w2vfast", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


def run_main(capsys, *args):
    """Runs `w2vfast.cli.main(ARGS)` in this process and returns (exit status, stdout, stderr)."""
    try:
        status = main([str(arg) for arg in args])
    except SystemExit as exit:  # argparse ends bad usage this way
        status = exit.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def without_module(monkeypatch, *modules):
    """Makes `import module` fail, as when an optional package is not installed."""
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_lines(tmp_path_factory.mktemp("corpus") / "planted.txt", planted_sentences())


@pytest.fixture(scope="module")
def trained(corpus, tmp_path_factory):
    """Vectors trained with word2vec.c's flags, binary format, and the process that trained them."""
    vectors = tmp_path_factory.mktemp("vectors") / "planted.bin"
    process = w2vfast("train", "-train", corpus, "-output", vectors, "-binary", "1", *TRAIN_FLAGS)
    assert process.returncode == 0, process.stderr
    return vectors, process


def neighbour_blocks(stdout):
    """Parses `similar` output: a query word alone on a line, then indented 'word similarity' lines."""
    blocks = {}
    for line in stdout.splitlines():
        if not line.startswith(" "):
            query = line.strip()
            blocks[query] = []
        else:
            word, similarity = line.split()
            blocks[query].append((word, float(similarity)))
    return blocks


# ------------------------------------------------------------------------------------------------ train


def test_train_with_word2vec_c_flags_writes_loadable_vectors_and_shows_progress(trained):
    vectors, process = trained
    wv = KeyedVectors.load_word2vec_format(vectors, binary=True)
    assert len(wv) == 2 * COMMUNITY_SIZE and wv.vector_size == 20
    assert "epoch 1/2" in process.stderr and "epoch 2/2" in process.stderr
    assert process.stdout == ""


def test_train_is_word2vec_with_word2vec_c_defaults(corpus, tmp_path, capsys):
    # One thread and one seed make training deterministic, so the CLI must reproduce the Python API bit for bit,
    # with word2vec.c's defaults (sample 1e-3, negative 5, alpha 0.025 decaying to alpha * 1e-4).
    output = tmp_path / "cli.bin"
    status, _, error = run_main(capsys, "-train", corpus, "-output", output, "-binary", "1", "-iter", "1",
                                "-threads", "1", "-size", "16", "-min-count", "1", "--seed", "7", "-q")
    assert status == 0, error
    assert error == ""  # -q: nothing but errors
    model = Word2Vec(corpus_file=corpus, vector_size=16, epochs=1, workers=1, min_count=1, seed=7,
                     window=5, sample=1e-3, negative=5, alpha=0.025, min_alpha=0.025 * 1e-4)
    cli = KeyedVectors.load_word2vec_format(output, binary=True)
    assert cli.index_to_key == model.wv.index_to_key
    np.testing.assert_array_equal(cli.vectors, model.wv.vectors)


def test_classes_put_each_planted_community_in_a_class_of_its_own(corpus, tmp_path, capsys):
    # The planted corpus has two communities of words that never share a sentence: two classes separate them.
    output = tmp_path / "classes.txt"
    status, _, error = run_main(capsys, "-train", corpus, "-output", output, "-classes", "2", "-size", "20",
                                "-min-count", "1", "-iter", "2", "-q")
    assert status == 0, error
    classes = dict(line.split() for line in output.read_text().splitlines())
    assert len(classes) == 2 * COMMUNITY_SIZE
    assert {classes[f"a{i}"] for i in range(COMMUNITY_SIZE)} != {classes[f"b{i}"] for i in range(COMMUNITY_SIZE)}
    assert len({classes[f"a{i}"] for i in range(COMMUNITY_SIZE)}) == 1
    assert len({classes[f"b{i}"] for i in range(COMMUNITY_SIZE)}) == 1


def test_more_classes_than_words_fail_with_a_reason(corpus, tmp_path, capsys):
    status, _, error = run_main(capsys, "-train", corpus, "-output", tmp_path / "c.txt", "-classes", "1000",
                                "-min-count", "1", "-iter", "1", "-q")
    assert status == 1 and "-classes 1000: the vocabulary has only 40 words" in error
    assert not (tmp_path / "c.txt").exists()


def test_long_options_write_text_vectors_and_the_vocabulary(corpus, tmp_path, capsys):
    output, vocab = tmp_path / "vectors.txt", tmp_path / "vocab.txt"
    status, _, error = run_main(capsys, "train", "--input", corpus, "--output", output, "--vector-size", "8",
                                "--epochs", "1", "--min-count", "1", "--save-vocab", vocab)
    assert status == 0, error
    wv = KeyedVectors.load_word2vec_format(output, binary=False)
    assert wv.vector_size == 8
    lines = [line.split() for line in vocab.read_text().splitlines()]
    assert [word for word, _ in lines] == wv.index_to_key
    counts = [int(count) for _, count in lines]
    assert counts == sorted(counts, reverse=True) and sum(counts) == sum(map(len, planted_sentences()))


def test_read_vocab_takes_words_and_counts_from_the_file(corpus, tmp_path, capsys):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("".join(f"a{i} 1000\n" for i in range(COMMUNITY_SIZE)) + "b0 1\n")  # the b* words but one unknown
    output = tmp_path / "vectors.bin"
    status, _, error = run_main(capsys, "train", "-train", corpus, "-read-vocab", vocab, "-output", output,
                                "-binary", "1", "-min-count", "1", "-iter", "1", "-size", "8")
    assert status == 0, error
    wv = KeyedVectors.load_word2vec_format(output, binary=True)
    assert wv.index_to_key == [f"a{i}" for i in range(COMMUNITY_SIZE)] + ["b0"]


def test_save_vocab_without_output_only_counts(corpus, tmp_path, capsys):
    vocab = tmp_path / "vocab.txt"
    status, _, error = run_main(capsys, "-train", corpus, "-save-vocab", vocab, "-min-count", "1")
    assert status == 0, error
    assert len(vocab.read_text().splitlines()) == 2 * COMMUNITY_SIZE
    assert "Saved the vocabulary" in error and "epoch" not in error


# ------------------------------------------------------------------------------------------------ queries


def test_similar_finds_each_words_own_community(trained):
    vectors, _ = trained
    process = w2vfast("similar", vectors, "a0", "b0", "-n", "5")
    assert process.returncode == 0, process.stderr
    blocks = neighbour_blocks(process.stdout)
    assert [word[0] for word, _ in blocks["a0"]] == ["a"] * 5
    assert [word[0] for word, _ in blocks["b0"]] == ["b"] * 5
    similarities = [similarity for _, similarity in blocks["a0"]]
    assert similarities == sorted(similarities, reverse=True)


def test_analogy_prints_the_neighbours_of_b_minus_a_plus_c(trained):
    vectors, _ = trained
    process = w2vfast("analogy", vectors, "a0", "a1", "b0", "--topn", "3")
    assert process.returncode == 0, process.stderr
    printed = [line.split()[0] for line in process.stdout.splitlines()[1:]]
    wv = KeyedVectors.load_word2vec_format(vectors, binary=True)
    assert printed == [word for word, _ in wv.most_similar(positive=["a1", "b0"], negative=["a0"], topn=3)]


@pytest.mark.parametrize("binary", [True, False])
def test_info_reports_words_dimension_and_detected_format(trained, tmp_path, binary):
    wv = KeyedVectors.load_word2vec_format(trained[0], binary=True)
    path = tmp_path / "vectors"
    wv.save_word2vec_format(path, binary=binary)
    process = w2vfast("info", path)
    assert process.returncode == 0, process.stderr
    fields = dict(line.split(None, 1) for line in process.stdout.splitlines())
    assert fields["format"] == ("word2vec binary" if binary else "word2vec text")
    assert fields["words"] == str(2 * COMMUNITY_SIZE) and fields["dimension"] == "20"


@pytest.fixture(scope="module")
def relational_vectors(tmp_path_factory):
    """Vectors that answer every capital-country analogy exactly, plus random vectors for the word-pair sets.

    capital_i = u_i + p and country_i = u_i + q, with u_i, p, q orthonormal: all have the same norm, so
    country_a - capital_a + capital_c is parallel to country_c.
    """
    from w2vfast import datasets

    pairs = []
    with open(datasets.path("questions-words.txt")) as questions:
        for line in questions:
            if line.startswith(":"):
                if pairs:
                    break
                continue
            capital, country = line.split()[:2]
            if (capital, country) not in pairs:
                pairs.append((capital, country))
    rng = np.random.default_rng(0)
    dimension = len(pairs) + 2 + 30
    basis = np.linalg.qr(rng.standard_normal((dimension, dimension)))[0]
    p, q = basis[-1], basis[-2]
    words = {}
    for i, (capital, country) in enumerate(pairs):
        words[capital], words[country] = basis[i] + p, basis[i] + q
    for name in ("wordsim353.tsv", "simlex999.txt"):
        with open(datasets.path(name)) as lines:
            for line in lines:
                fields = line.split("\t")
                if not line.startswith("#") and len(fields) >= 3:
                    for word in fields[:2]:
                        words.setdefault(word.lower(), rng.standard_normal(dimension) * 0.1)
    wv = KeyedVectors(dimension)
    wv.add_vectors(list(words), np.array(list(words.values())))
    path = tmp_path_factory.mktemp("relational") / "relational.txt"
    wv.save_word2vec_format(path, binary=False)
    return path, len(pairs)


def test_eval_prints_the_librarys_scores_as_a_table(relational_vectors):
    from w2vfast import datasets

    vectors, _ = relational_vectors
    process = w2vfast("eval", vectors, "--sections")
    assert process.returncode == 0, process.stderr
    wv = KeyedVectors.load_word2vec_format(vectors)
    score, sections = wv.evaluate_word_analogies(datasets.path("questions-words.txt"))
    rows = [line.split() for line in process.stdout.splitlines()]
    analogy_row = next(row for row in rows if row[0] == "questions-words.txt")
    answered = len(sections[-1]["correct"]) + len(sections[-1]["incorrect"])
    with open(datasets.path("questions-words.txt")) as questions:
        total = sum(1 for line in questions if not line.startswith(":"))
    assert analogy_row[3] == f"{score:.4f}"
    assert analogy_row[4] == f"{answered:,}" and analogy_row[6] == f"{total:,}"
    # The vectors solve every capital-country question exactly; other answerable questions use random vectors.
    first = sections[0]
    assert first["section"] == "capital-common-countries" and not first["incorrect"]
    assert ["capital-common-countries", "1.0000", f"{len(first['correct']):,}", f"{len(first['correct']):,}"] in rows
    for name in ("wordsim353.tsv", "simlex999.txt"):
        pearson, spearman, oov_percent = wv.evaluate_word_pairs(datasets.path(name))
        row = next(row for row in rows if row[0] == name)
        assert row[1:3] == ["Spearman", f"{spearman[0]:.4f}"]
        assert row[3] == f"{100 - oov_percent:.1f}%"


def test_info_and_similar_read_the_native_format(trained, tmp_path):
    wv = KeyedVectors.load_word2vec_format(trained[0], binary=True)
    native = tmp_path / "planted.w2v"
    wv.save(native)
    process = w2vfast("info", native)
    assert process.returncode == 0, process.stderr
    assert "w2vfast native" in process.stdout and str(2 * COMMUNITY_SIZE) in process.stdout
    expected = [word for word, _ in wv.most_similar("a0", topn=3)]
    process = w2vfast("similar", native, "a0", "-n", "3")
    assert [word for word, _ in neighbour_blocks(process.stdout)["a0"]] == expected


def test_console_script_is_installed():
    script = Path(sys.executable).with_name("w2vfast" + (".exe" if os.name == "nt" else ""))
    if not script.exists():
        pytest.skip("w2vfast is not installed as a console script in this environment")
    process = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert process.returncode == 0 and process.stdout.startswith("w2vfast ")


# ------------------------------------------------------------------------------------------------ plot


def test_plot_writes_a_png_of_the_words_and_their_neighbours(trained, tmp_path):
    image = pytest.importorskip("matplotlib.image")
    output = tmp_path / "words.png"
    process = w2vfast("plot", trained[0], "--words", "a0", "b0", "--neighbours", "4", "-o", output)
    assert process.returncode == 0, process.stderr
    assert output.read_bytes()[:8] == PNG_SIGNATURE
    pixels = image.imread(output)
    assert pixels.ndim == 3 and pixels.shape[0] > 100 and pixels.shape[1] > 100
    assert "10 words" in process.stdout


def test_plot_without_matplotlib_says_how_to_install_it(trained, tmp_path, capsys, monkeypatch):
    without_module(monkeypatch, "matplotlib", "matplotlib.pyplot")
    status, _, error = run_main(capsys, "plot", trained[0], "--words", "a0", "-o", tmp_path / "x.png")
    assert status == 1
    assert "pip install 'w2vfast[plot]'" in error
    assert not (tmp_path / "x.png").exists()


def test_tsne_without_scikit_learn_says_so(trained, tmp_path, capsys, monkeypatch):
    pytest.importorskip("matplotlib")
    without_module(monkeypatch, "sklearn", "sklearn.manifold")
    status, _, error = run_main(capsys, "plot", trained[0], "--words", "a0", "--method", "tsne", "-o",
                                tmp_path / "x.png")
    assert status == 1
    assert "scikit-learn" in error


def test_tsne_projects_with_scikit_learn(trained, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    pytest.importorskip("sklearn")
    status, output, error = run_main(capsys, "plot", trained[0], "--words", "a0", "b0", "--method", "tsne", "-o",
                                     tmp_path / "tsne.png")
    assert status == 0, error
    assert (tmp_path / "tsne.png").read_bytes()[:8] == PNG_SIGNATURE


# ------------------------------------------------------------------------------------------------ failures: exit 1


def test_failures_exit_1_with_a_one_line_reason(trained, corpus, tmp_path, capsys):
    vectors = trained[0]
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(vectors.read_bytes()[:-50])
    not_vectors = tmp_path / "notes.txt"
    not_vectors.write_text("these are not vectors\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    gzipped = tmp_path / "corpus.txt.gz"
    gzipped.write_bytes(b"\x1f\x8b\x08\x00" + bytes(20))
    cases = {
        ("info", tmp_path / "missing.bin"): "No such file",
        ("info", truncated): "file ends",
        ("similar", not_vectors, "a0"): "not a word vectors file",
        ("similar", vectors, "a0", "zebra"): "'zebra' is not in the vocabulary",
        ("analogy", vectors, "a0", "a1", "zebra"): "'zebra' is not in the vocabulary",
        ("plot", vectors, "--words", "zebra", "-o", tmp_path / "x.png"): "'zebra' is not in the vocabulary",
        ("train", "-train", tmp_path / "missing.txt", "-output", tmp_path / "x"): "does not exist",
        ("train", "-train", empty, "-output", tmp_path / "x"): "the corpus is empty",
        ("train", "-train", gzipped, "-output", tmp_path / "x"): "gzip",
        ("train", "-train", corpus, "-output", tmp_path / "x", "-min-count", "100000"): "vocabulary is empty",
    }
    for args, reason in cases.items():
        status, _, error = run_main(capsys, *args)
        assert status == 1, (args, error)
        assert reason in error, (args, error)
        assert len(error.strip().splitlines()) == 1, error


def test_the_process_exits_with_mains_status_and_no_traceback(trained, tmp_path):
    for args, status, reason in (
        (["info", tmp_path / "missing.bin"], 1, "No such file"),
        (["train", "-train", "corpus.txt", "-output", "x", "-size", "ten"], 2, "invalid int value"),
    ):
        process = w2vfast(*args)
        assert process.returncode == status, process.stderr
        assert reason in process.stderr and "Traceback" not in process.stderr


# ------------------------------------------------------------------------------------------------ bad usage: exit 2


@pytest.mark.parametrize("flags, expected", [
    ((), dict(sg=1, hs=0, alpha=0.025, shared_negatives=None)),
    (("-cbow", "1"), dict(sg=0, alpha=0.05)),
    (("-hs", "1", "-negative", "0"), dict(hs=1, negative=0)),
    (("--shared-negatives", "0"), dict(shared_negatives=False)),
], ids=["defaults", "cbow", "hs", "exact negatives"])
def test_train_flags_reach_the_library(flags, expected, corpus, tmp_path, capsys, monkeypatch):
    seen = {}

    class Recording(Word2Vec):
        def __init__(self, **parameters):
            seen.update(parameters)
            super().__init__(**parameters)

    monkeypatch.setattr("w2vfast.cli.Word2Vec", Recording)
    status, _, error = run_main(capsys, "train", "-train", corpus, "-output", tmp_path / "v.txt", "-iter", "1", *flags)
    assert status == 0, error
    assert {name: seen[name] for name in expected} == expected
    assert (tmp_path / "v.txt").exists()


BAD_USAGE = {
    (): "a command is required",
    ("frobnicate",): "invalid choice",
    ("train", "-output", "x.bin"): "-train",
    ("train", "-train", "{corpus}"): "nothing to do",
    ("train", "-train", "{corpus}", "-output", "x", "-size", "0"): "-size 0: vector_size must be >= 1",
    ("train", "-train", "{corpus}", "-output", "x", "-size", "ten"): "invalid int value",
    ("train", "-train", "{corpus}", "-output", "x", "-window", "0"): "-window 0",
    ("train", "-train", "{corpus}", "-output", "x", "-negative", "0"): "-negative 0",
    ("train", "-train", "{corpus}", "-output", "x", "-threads", "0"): "-threads 0",
    ("train", "-train", "{corpus}", "-output", "x", "-iter", "-1"): "-iter -1",
    ("train", "-train", "{corpus}", "-output", "x", "-alpha", "0"): "-alpha",
    ("train", "-train", "{corpus}", "-output", "x", "-sample", "-1"): "-sample",
    ("train", "-train", "{corpus}", "-output", "x", "-min-count", "-1"): "-min-count -1",
    ("train", "-train", "{corpus}", "-output", "x", "-binary", "2"): "invalid choice",
    ("train", "-train", "{corpus}", "-output", "x", "-classes", "-1"): "must be at least 0",
    ("train", "-train", "{corpus}", "-output", "x", "-cbow", "1", "--shared-negatives", "1"): "--shared-negatives 1",
    ("train", "-train", "{corpus}", "-output", "x", "-unknown-flag", "1"): "unrecognized arguments",
    ("similar", "{vectors}"): "required: WORD",
    ("similar", "{vectors}", "a0", "-n", "0"): "must be at least 1",
    ("analogy", "{vectors}", "a0", "a1"): "required: C",
    ("eval",): "required: VECTORS",
    ("info",): "required: VECTORS",
    ("plot", "{vectors}", "-o", "x.png"): "--words",
    ("plot", "{vectors}", "--words", "a0"): "-o/--output",
    ("plot", "{vectors}", "--words", "a0", "-o", "x.png", "--neighbours", "-1"): "must be at least 0",
    ("plot", "{vectors}", "--words", "a0", "-o", "x.png", "--method", "umap"): "invalid choice",
}


@pytest.mark.parametrize("args, message", list(BAD_USAGE.items()), ids=[" ".join(a) or "no command" for a in BAD_USAGE])
def test_bad_usage_exits_2_with_a_clear_message(args, message, trained, corpus, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, _, error = run_main(capsys, *[arg.format(corpus=corpus, vectors=trained[0]) for arg in args])
    assert status == 2, error
    assert message in error
    assert not (tmp_path / "x").exists() and not (tmp_path / "x.bin").exists() and not (tmp_path / "x.png").exists()
