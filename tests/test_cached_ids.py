"""Epochs after the first replay the word ids the first read from a plain corpus file (ChunkIdCache).

The replay must train exactly what reading the text again would, and must be used: a file rewritten after the first
epoch (same size, so the passes cut it into the same chunks) shows which epochs read it again.
"""

import hashlib

import numpy as np
import pytest

import w2vfast.word2vec as word2vec_module
from w2vfast import FastText, Word2Vec

SETTINGS = dict(vector_size=16, window=3, min_count=1, sample=0.0, seed=7, progress=False)
EPOCHS = 3


@pytest.fixture
def corpus_path(tmp_path):
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(300)]
    lines = [" ".join(rng.choice(words, size=rng.integers(1, 15))) for _ in range(20000)]
    lines[10] = ""  # an empty line, and a line of one unknown-to-be word, as a corpus has them
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def digest(model) -> str:
    weights = [model.wv.vectors, model.syn1neg, model.syn1]
    if isinstance(model, FastText):
        weights.append(model.wv.vectors_ngrams)
    return hashlib.sha1(b"".join(np.ascontiguousarray(w).tobytes() for w in weights)).hexdigest()


def train(path, cached_id_bytes, monkeypatch, model_class=Word2Vec, callbacks=(), **settings):
    monkeypatch.setattr(word2vec_module, "_CACHED_ID_BYTES", cached_id_bytes)
    model = model_class(**{**SETTINGS, **settings})
    model.build_vocab(corpus_file=str(path))
    counts = model.train(corpus_file=str(path), total_words=model.corpus_total_words, epochs=EPOCHS,
                         callbacks=list(callbacks))
    return model, counts


@pytest.mark.parametrize("model_class, mode", [
    (Word2Vec, dict(sg=1, negative=5)),
    (Word2Vec, dict(sg=0, hs=1, negative=0)),
    (FastText, dict(sg=1, negative=3, bucket=5000)),
])
@pytest.mark.parametrize("budget", [4 << 20, 300 << 10], ids=["whole corpus", "room for part of it"])
def test_replayed_epochs_train_exactly_as_reading_the_text(corpus_path, monkeypatch, model_class, mode, budget):
    read, read_counts = train(corpus_path, 0, monkeypatch, model_class, workers=1, **mode)
    replayed, replayed_counts = train(corpus_path, budget, monkeypatch, model_class, workers=1, **mode)
    assert digest(replayed) == digest(read)
    assert replayed_counts == read_counts


class RewriteAfterFirstEpoch:
    """Replaces every word of the corpus with an unknown word of the same length, after the first epoch."""

    def __init__(self, path):
        self.path, self.epochs = path, 0

    def on_epoch_end(self, model):
        self.epochs += 1
        if self.epochs == 1:
            text = self.path.read_text()
            self.path.write_text("".join(c if c.isspace() else "q" for c in text))


@pytest.mark.parametrize("workers", [1, 4])
def test_epochs_after_the_first_replay_the_first_epoch_s_words(corpus_path, monkeypatch, workers):
    _, (trained, read) = train(corpus_path, 4 << 20, monkeypatch, workers=workers,
                               callbacks=[RewriteAfterFirstEpoch(corpus_path)])
    words = sum(len(line.split()) for line in corpus_path.read_text().splitlines())
    assert read == EPOCHS * words
    assert trained == EPOCHS * words  # read again, the rewritten epochs would train nothing


def test_without_room_for_the_ids_every_epoch_reads_the_text(corpus_path, monkeypatch):
    _, (trained, read) = train(corpus_path, 0, monkeypatch, workers=1,
                               callbacks=[RewriteAfterFirstEpoch(corpus_path)])
    words = sum(len(line.split()) for line in corpus_path.read_text().splitlines())
    assert read == EPOCHS * words and trained == words


def test_a_budget_for_part_of_the_corpus_replays_that_part(corpus_path, monkeypatch):
    # Four workers cut the file (700 KB) into 10 chunks of about 70 KB of text; the budget holds some, not all.
    _, (trained, read) = train(corpus_path, 300 << 10, monkeypatch, workers=4,
                               callbacks=[RewriteAfterFirstEpoch(corpus_path)])
    words = read // EPOCHS
    assert words < trained < EPOCHS * words
