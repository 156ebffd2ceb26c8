"""What each fuzz target does with one input, shared by the atheris runner (fuzz.py) and the regression test that
replays kept inputs (tests/test_fuzz_regressions.py). A target returns normally or raises an exception it is
allowed to raise (ValueError, OSError: a clear report of bad input); anything else, or a crash, is a finding.

Targets
-------
corpus
    The first byte picks how the rest reaches the engine: as a plain file, compressed validly with gzip, bzip2 or
    xz, or behind a compression magic without being compressed (a corrupt stream). The engine counts the words;
    for valid input the counts must equal a Python reference (bytes.split(): the same six ASCII whitespace bytes,
    tokens cut every 64 KiB), then a tiny model builds its vocabulary and trains one epoch.
word2vec-text, word2vec-binary, keyedvectors, word2vec-model
    The bytes are loaded as a file of that format; a load that succeeds must give finite vectors of a consistent
    shape that answer a query.
"""

import bz2
import collections
import gzip
import lzma
import os

import numpy as np

ALLOWED = (ValueError, OSError)
MAX_TOKEN_BYTES = 1 << 16
TARGETS = ["corpus", "word2vec-text", "word2vec-binary", "keyedvectors", "word2vec-model"]
_MAGICS = [b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00"]
_COMPRESS = [gzip.compress, bz2.compress, lzma.compress]


def reference_counts(text: bytes) -> collections.Counter:
    counts = collections.Counter()
    for token in text.split():
        for start in range(0, len(token), MAX_TOKEN_BYTES):
            counts[token[start : start + MAX_TOKEN_BYTES]] += 1
    return counts


def run_corpus(data: bytes, directory: str) -> None:
    from w2vfast import Word2Vec, _core

    mode, body = (data[0] % 7, data[1:]) if data else (0, b"")
    if mode == 0:
        content = body
    elif mode <= 3:
        content = _COMPRESS[mode - 1](body)
    else:
        content = _MAGICS[mode - 4] + body
    path = os.path.join(directory, "corpus")
    with open(path, "wb") as out:
        out.write(content)
    try:
        counted = _core.count_words([path], 2, 0)
    except ALLOWED:
        if mode <= 3:
            raise AssertionError(f"valid input (mode {mode}) was refused")
        raise
    if mode <= 3:
        expected = reference_counts(body)
        got = {word.encode("utf-8", "surrogateescape"): int(count)
               for word, count in zip(counted.words(), counted.counts)}
        assert got == dict(expected), "engine's counts differ from the reference"
        assert counted.total_words == sum(expected.values())
    if counted.total_words:
        model = Word2Vec(vector_size=4, min_count=1, epochs=1, workers=2, window=2, negative=2, progress=False)
        model.build_vocab(corpus_file=path)
        model.train(corpus_file=path)
        assert np.isfinite(model.wv.vectors).all()


def run_loader(target: str, data: bytes, directory: str) -> None:
    from w2vfast import KeyedVectors, Word2Vec

    path = os.path.join(directory, "model")
    with open(path, "wb") as out:
        out.write(data)
    if target == "word2vec-text":
        kv = KeyedVectors.load_word2vec_format(path, unicode_errors="surrogateescape")
    elif target == "word2vec-binary":
        kv = KeyedVectors.load_word2vec_format(path, binary=True, unicode_errors="surrogateescape")
    elif target == "keyedvectors":
        kv = KeyedVectors.load(path)
    else:
        kv = Word2Vec.load(path).wv
    assert kv.vectors.shape == (len(kv.index_to_key), kv.vector_size)
    assert np.isfinite(kv.vectors).all()
    if len(kv) and kv.vector_size:
        kv.most_similar(kv.index_to_key[0], topn=3)


def run(target: str, data: bytes, directory: str) -> None:
    if target == "corpus":
        run_corpus(data, directory)
    else:
        run_loader(target, data, directory)


def seeds(target: str):
    """Small valid inputs for a target, to start its fuzzing from."""
    from w2vfast import KeyedVectors, Word2Vec
    import tempfile

    text = b"the cat sat on the mat\nthe dog\tbarked \xff\xfe\r\n\n  a\x00b\x0bc\x0cd"
    if target == "corpus":
        return [bytes([mode]) + text for mode in range(7)]
    sentences = [["the", "cat", "sat"], ["the", "dog", "barked", "caf\udce9"]]
    model = Word2Vec(sentences, vector_size=3, min_count=1, epochs=1, workers=1, progress=False)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "seed")
        if target.startswith("word2vec-") and target != "word2vec-model":
            model.wv.save_word2vec_format(path, binary=target.endswith("binary"))
        elif target == "keyedvectors":
            model.wv.save(path)
        else:
            model.save(path)
        with open(path, "rb") as file:
            return [file.read()]
