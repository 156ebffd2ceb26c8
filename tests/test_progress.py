"""Watching training: progress lines or a bar, the loss of each epoch, and callbacks around epochs."""

import io
import logging

import numpy as np
import pytest

from conftest import write_lines
from w2vfast import Word2Vec
from w2vfast.progress import TrainingProgress


def train(path, **overrides):
    settings = dict(corpus_file=path, vector_size=16, min_count=1, epochs=2, workers=2, seed=1)
    settings.update(overrides)
    return Word2Vec(**settings)


def progress_records(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "w2vfast.word2vec" and "words/s" in r.getMessage()]


def test_each_epoch_logs_percent_done_speed_and_learning_rate(planted_file, caplog):
    caplog.set_level(logging.INFO, logger="w2vfast")
    train(planted_file, alpha=0.025, min_alpha=0.0001)
    epochs = [message for message in progress_records(caplog) if message.startswith("epoch")]
    assert len(epochs) == 2
    assert epochs[0].startswith("epoch 1/2 done: 50.0% of 60000 words") and "lr 0.012550" in epochs[0]
    assert epochs[1].startswith("epoch 2/2 done: 100.0% of 60000 words") and "lr 0.000100" in epochs[1]


def test_progress_false_logs_no_progress(planted_file, caplog):
    caplog.set_level(logging.INFO, logger="w2vfast")
    train(planted_file, progress=False)
    assert not [message for message in progress_records(caplog) if message.startswith(("epoch", "training:"))]


def test_log_lines_come_every_interval_while_training(caplog):
    caplog.set_level(logging.INFO, logger="w2vfast")
    progress = TrainingProgress(total_words=1000, epochs=1, alpha=0.1, min_alpha=0.0, log_interval=0.0)
    for done in (100, 500, 900):
        progress.update(done)
    assert [m.split(",")[0] for m in progress_records(caplog)] == [
        "training: 10.0% of 1000 words", "training: 50.0% of 1000 words", "training: 90.0% of 1000 words"]
    assert "lr 0.050000" in progress_records(caplog)[1]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_a_tqdm_bar_instead_of_log_lines(planted_file, monkeypatch, caplog):
    pytest.importorskip("tqdm")
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    caplog.set_level(logging.INFO, logger="w2vfast")
    train(planted_file)
    bar = terminal.getvalue()
    assert "training: 100%" in bar and "60.0k/60.0k" in bar and "lr=" in bar
    assert not [message for message in progress_records(caplog) if message.startswith("epoch")]


def test_callbacks_see_every_epoch_in_order(planted_file):
    events = []

    class Recorder:
        def on_train_begin(self, model):
            events.append("train_begin")

        def on_epoch_begin(self, model):
            events.append(f"epoch_begin {model.epochs_trained}")

        def on_epoch_end(self, model):
            events.append(f"epoch_end {model.epochs_trained}")

        def on_train_end(self, model):
            events.append("train_end")

    train(planted_file, callbacks=[Recorder()])
    assert events == ["train_begin", "epoch_begin 0", "epoch_end 1", "epoch_begin 1", "epoch_end 2", "train_end"]


def test_loss_is_that_of_the_last_epoch_and_accumulates_without_float32_rounding(tmp_path):
    # 200,000 pairs of loss ~ln 2 each: a float32 running sum would be off in the 3rd significant digit or worse
    # once it passes 2**17; the engine sums each thread's loss in double. Check the loss against its bounds: at the
    # start every score is ~0, so each step costs (1 + negative) * ln 2; the epoch average must be below that and
    # close to it for a tiny learning rate.
    import math

    words = [f"w{i}" for i in range(1000)]
    lines = [[words[(i * 31 + j * 17) % 1000] for j in range(21)] for i in range(5000)]
    path = write_lines(tmp_path / "c.txt", lines)
    losses = []

    class Record:
        def on_epoch_end(self, model):
            losses.append(model.get_latest_training_loss())

    model = train(path, epochs=2, alpha=1e-6, min_alpha=1e-6, window=1, negative=4, sample=0, workers=1,
                  compute_loss=True, callbacks=[Record()])
    pairs = 5000 * 20 * 2  # window 1: each of the 20 inner gaps is a pair in both directions
    expected = pairs * 5 * math.log(2)
    assert losses[-1] == model.get_latest_training_loss()
    assert losses[0] == pytest.approx(expected, rel=1e-3)
    assert losses[1] == pytest.approx(expected, rel=1e-3)


def test_queries_in_a_callback_see_the_vectors_of_that_epoch(planted_file):
    seen = []

    class Query:
        def on_epoch_end(self, model):
            expected = model.wv.vectors[0] / np.linalg.norm(model.wv.vectors[0])
            seen.append(np.allclose(model.wv.get_vector(model.wv.index_to_key[0], norm=True), expected, atol=1e-6))

    train(planted_file, epochs=3, callbacks=[Query()])
    assert seen == [True, True, True]
