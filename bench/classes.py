"""Word classes (word2vec.c's -classes k-means) on real vectors: time, and how tight the classes are.

Usage::

    python bench/classes.py --corpus ../shared/corpora/gcide.txt.gz --classes 100,500,1000

Trains w2vfast's default model on the corpus (5 epochs, the default), then for each
number of classes times ``KeyedVectors.word_classes`` (10 rounds, word2vec.c's start) and measures the classes'
tightness: the mean cosine similarity of each word to its class's normalised mean, against the same measure for a
random assignment with the same class sizes (the classes shuffled among the words). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent


def mean_cosine_to_centre(unit: np.ndarray, classes: np.ndarray, n_classes: int) -> float:
    sums = np.zeros((n_classes, unit.shape[1]))
    np.add.at(sums, classes, unit)
    centres = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    return float(np.mean(np.sum(unit * centres[classes], axis=1)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(BENCH.parent.parent / "shared" / "corpora" / "gcide.txt.gz"))
    parser.add_argument("--classes", default="100,500,1000", help="comma-separated numbers of classes")
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args(argv)
    from w2vfast import Word2Vec

    model = Word2Vec(corpus_file=args.corpus, epochs=args.epochs, workers=os.cpu_count() or 1, progress=False)
    wv = model.wv
    unit = wv.get_normed_vectors().astype(np.float64)
    rng = np.random.default_rng(0)
    lines = [f"Vectors: w2vfast defaults on `{Path(args.corpus).name}`, {args.epochs} epoch(s): {len(wv):,} words x "
             f"{wv.vector_size} dimensions.", "",
             "| classes | seconds (10 rounds) | mean cosine to own class | same, random assignment |",
             "| ---: | ---: | ---: | ---: |"]
    for n_classes in [int(n) for n in args.classes.split(",")]:
        start = time.perf_counter()
        classes = wv.word_classes(n_classes)
        seconds = time.perf_counter() - start
        tight = mean_cosine_to_centre(unit, classes, n_classes)
        shuffled = mean_cosine_to_centre(unit, rng.permutation(classes), n_classes)
        lines.append(f"| {n_classes:,} | {seconds:.2f} | {tight:.3f} | {shuffled:.3f} |")
    lines += ["", f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical cores, "
                  f"NumPy {np.__version__}.",
              f"Command: `python bench/classes.py {' '.join(sys.argv[1:] if argv is None else argv)}`".rstrip()]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
