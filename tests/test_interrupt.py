"""Ctrl-C: a SIGINT during training stops every thread within about a second, raises KeyboardInterrupt in the
training process, and leaves the model usable with what was trained so far. Run in a child process that receives a
real signal, as a user's terminal would send it."""

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

CHILD = r"""
import sys
import time
import numpy as np
sys.path.insert(0, {tests!r})
from conftest import planted_sentences, write_lines
from w2vfast import IdCorpus, Word2Vec

source = sys.argv[1]
sentences = planted_sentences(sentences=5000, length=20)
if source == "corpus_file":
    corpus = dict(corpus_file=write_lines(sys.argv[2], sentences))
elif source == "gz":
    import gzip
    path = write_lines(sys.argv[2], sentences)
    open(path + ".gz", "wb").write(gzip.compress(open(path, "rb").read()))
    corpus = dict(corpus_file=path + ".gz")
elif source == "sentences":
    corpus = dict(corpus_iterable=sentences)
else:
    words = sorted({{w for s in sentences for w in s}})
    index = {{w: i for i, w in enumerate(words)}}
    tokens = np.array([index[w] for s in sentences for w in s], dtype=np.int32)
    corpus = dict(corpus_iterable=IdCorpus(tokens, np.arange(0, len(tokens) + 1, 20), words))

model = Word2Vec(vector_size=50, min_count=1, workers=2, epochs=10_000, progress=False)
model.build_vocab(**corpus)
print("training", flush=True)
started = time.monotonic()
try:
    model.train(**corpus)
except KeyboardInterrupt:
    seconds = time.monotonic() - started
    usable = np.isfinite(model.wv.vectors).all() and len(model.wv.most_similar("a0", topn=3)) == 3
    print("interrupted", model.epochs_trained, usable, seconds, flush=True)
    sys.exit(0)
print("finished without interruption", flush=True)
sys.exit(3)
"""


@pytest.mark.parametrize("source", ["corpus_file", "gz", "sentences", "IdCorpus"])
def test_sigint_stops_training_within_a_second_and_leaves_a_usable_model(tmp_path, source):
    tests = os.path.dirname(os.path.abspath(__file__))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(tests=tests), source, str(tmp_path / "corpus.txt")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert child.stdout.readline().strip() == "training"
    time.sleep(0.5)  # well into the first epochs
    child.send_signal(signal.SIGINT)
    signalled = time.monotonic()
    try:
        out, err = child.communicate(timeout=30)
    finally:
        child.kill()
    stopped_after = time.monotonic() - signalled
    assert child.returncode == 0, err
    word, epochs_trained, usable, seconds_in_train = out.split()
    assert word == "interrupted" and usable == "True"
    assert 0 < int(epochs_trained) < 10_000  # epochs of 100,000 words: several end within the half second
    # A second on an idle machine; the slack covers interpreter shutdown and a busy CI runner. train() itself,
    # signalled half a second in, must have returned within 5 s of its start.
    assert float(seconds_in_train) < 5, f"train() ran {float(seconds_in_train):.1f}s"
    assert stopped_after < 5, f"took {stopped_after:.1f}s to stop"
