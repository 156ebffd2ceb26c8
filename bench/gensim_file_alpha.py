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


def read_lines(corpus: Path, offset: int, word_limit: float):
    """Sentences and words gensim's line reader yields from byte `offset` on, stopping as a corpus_file thread does
    once it has read more than `word_limit` words (word2vec_corpusfile.pyx's loop condition)."""
    from gensim.models.word2vec_corpusfile import CythonLineSentence

    reader = CythonLineSentence(str(corpus), offset)
    reader.reset()
    sentences = words = 0
    while not (reader.is_eof() or words > word_limit):
        batch = reader.next_batch()
        sentences += len(batch)
        words += sum(len(sentence) for sentence in batch)
    return sentences, words


def main(argv=None) -> None:
    args = parse_args(argv)
    # The whole file as one reader sees it (build_vocab's corpus_count can differ by a line, which changes nothing).
    corpus_count, total_words = read_lines(args.corpus, 0, float("inf"))
    print(f"Corpus `{args.corpus.name}`: {corpus_count:,} sentences, {total_words:,} words; alpha {args.alpha}, "
          f"min_alpha {args.min_alpha}, {args.epochs} epochs.\n")
    def rate(progress: float) -> float:  # get_next_alpha's linear decay
        return max(args.min_alpha, args.alpha - (args.alpha - args.min_alpha) * progress)

    print("| workers | thread | sentences an epoch | rate at each epoch's start | rate at each epoch's end |")
    print("| ---: | ---: | ---: | --- | --- |")
    for workers in (int(w) for w in args.workers.split(",")):
        for thread in range(workers):
            offset = int(os.path.getsize(args.corpus) / workers * thread)  # gensim's offset of the thread
            sentences, _ = read_lines(args.corpus, offset, total_words / workers)
            starts = [rate(epoch / args.epochs) for epoch in range(args.epochs)]
            ends = [rate((epoch + sentences / corpus_count) / args.epochs) for epoch in range(args.epochs)]
            print(f"| {workers} | {thread} | {sentences:,} | {' '.join(f'{a:.4f}' for a in starts)} | "
                  f"{' '.join(f'{a:.4f}' for a in ends)} |")


if __name__ == "__main__":
    main()
