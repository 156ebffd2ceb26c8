"""Trains word vectors on the King James Bible that ships with w2vfast and prints some nearest neighbours.

Run it with ``python -m w2vfast.demo`` (or the ``w2vfast-demo`` command).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from . import datasets
from .word2vec import Word2Vec

QUERY_WORDS = ["god", "king", "jerusalem", "water", "sin", "david"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="w2vfast-demo", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="training threads (default: all cores)")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--words", nargs="+", default=QUERY_WORDS, help="words to show neighbours of")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        corpus = datasets.extract("kjv.txt.gz", folder)
        model = Word2Vec(vector_size=100, window=5, min_count=5, epochs=args.epochs, workers=args.workers)
        model.build_vocab(corpus_file=corpus)
        start = time.perf_counter()
        model.train(corpus_file=corpus)
        seconds = time.perf_counter() - start

    words_per_second = model.corpus_total_words * args.epochs / seconds
    print(
        f"Trained on the King James Bible ({model.corpus_total_words:,} words, {len(model.wv):,} in the vocabulary) "
        f"for {args.epochs} epochs with {args.workers} threads in {seconds:.1f} s ({words_per_second:,.0f} words/s).\n"
    )
    for word in args.words:
        if word not in model.wv:
            print(f"{word}: not in the vocabulary")
            continue
        neighbours = ", ".join(f"{other} {similarity:.2f}" for other, similarity in model.wv.most_similar(word, topn=8))
        print(f"{word}: {neighbours}")


if __name__ == "__main__":
    main()
