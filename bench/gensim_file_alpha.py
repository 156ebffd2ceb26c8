"""The learning rate gensim 4.4's ``corpus_file=`` mode actually uses with several workers, without training.

Usage::

    python bench/gensim_file_alpha.py --corpus ../shared/corpora/gcide.txt --workers 1,2,4

gensim's ``corpus_file`` threads each read ``1/workers`` of the file, and each computes its learning rate from its
*own* sentence count divided by the *whole* corpus's ``corpus_count`` (``get_next_alpha`` in
``word2vec_corpusfile.pyx``, called from ``train_epoch_sg``/``train_epoch_cbow`` with ``expected_examples =
corpus_count``). So with W workers an epoch's progress reaches only about 1/W: the rate falls by 1/W of its epoch
share, jumps down at the next epoch's start (``get_alpha(cur_epoch)``), and the run ends near the rate at progress
``(epochs - 1 + 1/W) / epochs`` instead of ``min_alpha``. With one worker the schedule is the documented one.

This script replays that loop with gensim's own line reader (``CythonLineSentence``, started at each thread's byte
offset, stopping as gensim does after ``total_words / workers`` words) and prints, per worker count, each epoch's
start rate and the rate each thread ends it with. It trains nothing, so it runs in seconds. w2vfast decays one
shared counter of words (word2vec.c's schedule) and ends every run at ``min_alpha`` whatever the thread count.

Needs gensim (``pip install gensim``); the corpus must be a plain text file (gensim's reader does not decompress).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="plain text file, one sentence a line")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--alpha", type=float, default=0.025)
    parser.add_argument("--min-alpha", type=float, default=0.0001)
    return parser.parse_args(argv)


def thread_share(corpus: Path, thread: int, workers: int, total_words: int):
    """Sentences and words one of gensim's corpus_file threads reads in an epoch."""
    from gensim.models.word2vec_corpusfile import CythonLineSentence

    reader = CythonLineSentence(str(corpus), int(os.path.getsize(corpus) / workers * thread))
    reader.reset()
    sentences = words = 0
    while not (reader.is_eof() or words > total_words / workers):  # word2vec_corpusfile.pyx's loop condition
        batch = reader.next_batch()
        sentences += len(batch)
        words += sum(len(sentence) for sentence in batch)
    return sentences, words


def count_corpus(corpus: Path):
    """Sentences and words of the whole file as gensim's line reader yields them (build_vocab's corpus_count can differ
    by a line or so, which changes nothing here)."""
    from gensim.models.word2vec_corpusfile import CythonLineSentence

    reader = CythonLineSentence(str(corpus), 0)
    reader.reset()
    sentences = words = 0
    while not reader.is_eof():
        batch = reader.next_batch()
        sentences += len(batch)
        words += sum(len(sentence) for sentence in batch)
    return sentences, words


def main(argv=None) -> None:
    args = parse_args(argv)
    corpus_count, total_words = count_corpus(args.corpus)
    print(f"Corpus `{args.corpus.name}`: {corpus_count:,} sentences, {total_words:,} words; alpha {args.alpha}, "
          f"min_alpha {args.min_alpha}, {args.epochs} epochs.\n")
    print("| workers | thread | sentences an epoch | rate at each epoch's start | rate at each epoch's end |")
    print("| ---: | ---: | ---: | --- | --- |")
    for workers in (int(w) for w in args.workers.split(",")):
        for thread in range(workers):
            sentences, _ = thread_share(args.corpus, thread, workers, total_words)
            starts, ends = [], []
            for epoch in range(args.epochs):
                progress = (epoch + sentences / corpus_count) / args.epochs
                starts.append(args.alpha - (args.alpha - args.min_alpha) * epoch / args.epochs)
                ends.append(max(args.min_alpha, args.alpha - (args.alpha - args.min_alpha) * progress))
            print(f"| {workers} | {thread} | {sentences:,} | {' '.join(f'{a:.4f}' for a in starts)} | "
                  f"{' '.join(f'{a:.4f}' for a in ends)} |")


if __name__ == "__main__":
    main()
