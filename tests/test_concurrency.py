"""Threads around training: the engine releases the GIL while it trains, so other Python threads run meanwhile.
Querying a model that is training must not crash (the answers reflect the vectors of that moment), and two models
trained at the same time must each end exactly as if trained alone. Each case runs in a child process (isolation.py)
so that a crash fails the test instead of ending the test runner."""

import threading

import numpy as np
import pytest

from conftest import planted_sentences, write_lines
from isolation import expect_value, run_isolated
from w2vfast import KeyedVectors, Word2Vec


def case_query_while_training(corpus_path):
    model = Word2Vec(vector_size=32, min_count=1, workers=2, epochs=30, progress=False)
    model.build_vocab(corpus_file=corpus_path)
    training_done = threading.Event()
    answers, errors = [], []

    def query():
        while not training_done.is_set():
            try:
                answers.append(model.wv.most_similar("a0", topn=5))
                answers.append(model.wv.similarity("a1", "b1"))
                answers.append(model.wv["b2"].sum())
                answers.append(model.wv.most_similar(positive=["a3", "b3"], negative=["a4"], topn=2))
            except Exception as error:  # any exception is a finding; the assertion below shows it
                errors.append(repr(error))
                return

    queriers = [threading.Thread(target=query) for _ in range(3)]
    for thread in queriers:
        thread.start()
    try:
        model.train(corpus_file=corpus_path)
    finally:
        training_done.set()
        for thread in queriers:
            thread.join()
    neighbours = [word for word, _ in model.wv.most_similar("a0", topn=10)]
    return errors, len(answers), model.epochs_trained, neighbours


def test_querying_from_other_threads_while_training_does_not_crash(tmp_path):
    path = write_lines(tmp_path / "planted.txt", planted_sentences())
    errors, answers, epochs, neighbours = expect_value(run_isolated(case_query_while_training, path, timeout=120))
    assert errors == [] and answers > 0 and epochs == 30
    assert all(word.startswith("a") for word in neighbours)  # it still learned while being queried


def train(source, seed):
    model = Word2Vec(vector_size=24, min_count=1, workers=1, epochs=10, seed=seed, progress=False)
    model.build_vocab(**source)
    model.train(**source)
    return model.wv.vectors.copy(), model.syn1neg.copy()


def case_two_models_at_once(sources):
    alone = [train(source, seed) for seed, source in enumerate(sources, start=1)]
    together = [None, None]
    start_together = threading.Barrier(2)

    def run(index):
        start_together.wait()
        together[index] = train(sources[index], index + 1)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [all(np.array_equal(a, b) for a, b in zip(alone[i], together[i])) for i in range(2)]


@pytest.mark.parametrize("kinds", [("file", "file"), ("file", "sentences"), ("sentences", "sentences")])
def test_two_models_trained_at_once_equal_each_trained_alone(tmp_path, kinds):
    # With one worker a model's training is deterministic, so "correct" can be exact: bit-identical weights.
    sources = []
    for index, kind in enumerate(kinds):
        sentences = planted_sentences(sentences=3000, seed=index)
        if kind == "file":
            sources.append(dict(corpus_file=write_lines(tmp_path / f"corpus{index}.txt", sentences)))
        else:
            sources.append(dict(corpus_iterable=sentences))
    assert expect_value(run_isolated(case_two_models_at_once, sources, timeout=120)) == [True, True]


class NormsClearedAtEveryRead(KeyedVectors):
    """What a query sees when a training thread clears the norms cache between any two of its steps."""

    norms = property(lambda self: None, lambda self, value: None)


def test_queries_do_not_read_the_norms_cache_twice():
    kv = NormsClearedAtEveryRead(4)
    kv.add_vectors(["a", "b", "c"], np.array([[1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0]], dtype=np.float32))
    assert [word for word, _ in kv.most_similar("a", topn=2)] == ["b", "c"]
    assert [word for word, _ in kv.most_similar_cosmul("a", topn=1)] == ["b"]
    assert kv.similarity("a", "b") == pytest.approx(2 ** -0.5)
    assert np.allclose(np.linalg.norm(kv.get_normed_vectors(), axis=1), 1)
    assert np.allclose(kv.get_vector("b", norm=True), [2 ** -0.5, 2 ** -0.5, 0, 0])
