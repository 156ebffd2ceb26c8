"""Training throughput (words/s) of each SIMD path, one worker, dims 100 and 300.

Each path runs in its own process with W2VFAST_SIMD set, on the same corpus and seed; the time covers train() only
(the vocabulary is built first). Wall-clock figures on a shared machine are noisy: compare paths within one run, and
prefer bench/kernel_bench_callgrind.py for stable per-step figures.

    python bench/kernel_bench_training.py [--corpus ../shared/corpora/gcide.txt.gz] [--max-sentences 20000]
"""

import argparse
import json
import os
import subprocess
import sys

import w2vfast

CHILD = r"""
import itertools, json, sys, time
import w2vfast
from w2vfast import LineSentence, Word2Vec
corpus, dim, max_sentences, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
sentences = list(itertools.islice(LineSentence(corpus), max_sentences))
model = Word2Vec(vector_size=dim, window=5, negative=5, sample=1e-3, min_count=5, workers=1, seed=1, progress=False)
model.build_vocab(sentences)
start = time.perf_counter()
trained, read = model.train(sentences, total_examples=len(sentences), epochs=epochs)
seconds = time.perf_counter() - start
print(json.dumps({"path": w2vfast.simd_info()["path"], "words_per_s": read / seconds, "seconds": seconds}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=w2vfast.datasets.path("kjv.txt.gz"))
    parser.add_argument("--max-sentences", type=int, default=20000)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--dims", default="100,300")
    args = parser.parse_args()
    dims = [int(dim) for dim in args.dims.split(",")]
    paths = w2vfast.simd_info()["available"]
    results = {}
    for dim in dims:
        for path in paths:
            environment = dict(os.environ, W2VFAST_SIMD=path)
            output = subprocess.run([sys.executable, "-c", CHILD, args.corpus, str(dim), str(args.max_sentences),
                                     str(args.epochs)], env=environment, capture_output=True, text=True, check=True)
            result = json.loads(output.stdout.strip().splitlines()[-1])
            assert result["path"] == path, result
            results[path, dim] = result["words_per_s"]
    print("| path | " + " | ".join(f"words/s, dim {dim} | path / scalar" for dim in dims) + " |")
    print("|" + "---|" * (1 + 2 * len(dims)))
    for path in paths:
        cells = []
        for dim in dims:
            cells += [f"{results[path, dim]:,.0f}", f"{results[path, dim] / results['scalar', dim]:.2f}x"]
        print(f"| {path} | " + " | ".join(cells) + " |")
    print(f"\nskip-gram, negative 5, window 5, sample 1e-3, min_count 5, workers=1, {args.epochs} epoch(s), first "
          f"{args.max_sentences} lines of {os.path.basename(args.corpus)}; wall clock, noisy on a shared machine.")


if __name__ == "__main__":
    main()
