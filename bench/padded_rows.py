"""Padded against C-contiguous output layers, in one process.

w2vfast pads the rows of ``syn1neg`` and ``syn1`` to a multiple of 16 floats so that every row starts on a cache line
(``w2vfast/_arrays.py``; docs/design.md, Memory). This script builds one vocabulary, then trains from the same initial
weights with the output layers as ``build_vocab`` makes them (padded) and as C-contiguous copies, in turn, and prints
the seconds of each ``train()`` call and the median of the pairs' ratios. One process and one vocabulary: the two
layouts see the same machine state, which separate processes of two builds on a noisy host do not.

    python bench/padded_rows.py --corpus bench/.cache/gcide.txt --modes sg-ns,sg-hs,cbow-ns,cbow-hs --pairs 6
    python bench/padded_rows.py --corpus bench/.cache/gcide.txt --modes sg-ns,cbow-hs --pairs 6 --workers 2

Each call trains ``--epochs`` epochs (1 by default) with 100 dimensions, window 5, min_count 5, sample 1e-3; the
pairs alternate which layout goes first.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np

import w2vfast
from w2vfast._arrays import aligned_zeros, row_aligned_zeros

MODES = {"sg-ns": (1, 0, 5), "sg-hs": (1, 1, 0), "cbow-ns": (0, 0, 5), "cbow-hs": (0, 1, 0)}  # sg, hs, negative
OUTPUT_LAYERS = ("syn1neg", "syn1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, help="a plain text file, one sentence a line")
    parser.add_argument("--modes", default="sg-ns,cbow-hs", help="comma-separated: " + ", ".join(MODES))
    parser.add_argument("--pairs", type=int, default=6, help="train() calls of each layout")
    parser.add_argument("--epochs", type=int, default=1, help="epochs of each train() call")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--vector-size", type=int, default=100)
    args = parser.parse_args()

    print(f"`{args.corpus}`, {args.vector_size} dimensions, {args.epochs} epoch(s) a call, {args.workers} worker(s), "
          f"{args.pairs} pairs; {platform.processor() or platform.machine()}, w2vfast {w2vfast.__version__}")
    print()
    print("| mode | padded s (median) | contiguous s (median) | padded ÷ contiguous, pair by pair | median |")
    print("| --- | ---: | ---: | --- | ---: |")
    for mode in args.modes.split(","):
        padded, contiguous = time_layouts(args, *MODES[mode])
        ratios = [p / c for p, c in zip(padded, contiguous)]
        print(f"| {mode} | {statistics.median(padded):.3f} | {statistics.median(contiguous):.3f} | "
              f"{', '.join(f'{r:.3f}' for r in ratios)} | **{statistics.median(ratios):.3f}** |", flush=True)


def time_layouts(args, sg: int, hs: int, negative: int):
    """The seconds of args.pairs train() calls with padded output layers and as many with C-contiguous ones."""
    model = w2vfast.Word2Vec(sg=sg, hs=hs, negative=negative, vector_size=args.vector_size, window=5, min_count=5,
                             sample=1e-3, workers=args.workers, seed=1)
    model.build_vocab(corpus_file=args.corpus)
    vectors = np.array(model.wv.vectors)
    initial = {name: np.array(getattr(model, name)) for name in OUTPUT_LAYERS}
    seconds: dict = {"padded": [], "contiguous": []}
    for pair in range(args.pairs):
        for layout in ("padded", "contiguous") if pair % 2 == 0 else ("contiguous", "padded"):
            model.wv.vectors[:] = vectors
            for name, matrix in initial.items():
                layer = (row_aligned_zeros if layout == "padded" else aligned_zeros)(matrix.shape)
                layer[:] = matrix
                setattr(model, name, layer)
            start = time.perf_counter()
            model.train(corpus_file=args.corpus, total_words=model.corpus_total_words, epochs=args.epochs)
            seconds[layout].append(time.perf_counter() - start)
    return seconds["padded"], seconds["contiguous"]


if __name__ == "__main__":
    main()
