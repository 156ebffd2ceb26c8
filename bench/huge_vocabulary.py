"""Memory of counting a vocabulary of 10 million distinct words, with and without ``max_vocab_size``.

The test suite (tests/test_robustness.py) checks 2 million words to stay fast; this script runs the full case of
issue 8. Each run is a fresh child process that builds the vocabulary of a generated file in which every token is a
different word (``w<hex>``, 100 a line) and reports its peak RSS growth (``ru_maxrss`` after minus before):
bounded memory means the growth with ``max_vocab_size`` stays the same whatever the number of distinct words.

Usage::

    python bench/huge_vocabulary.py                         # 10M words; max_vocab_size 1M and unbounded
    python bench/huge_vocabulary.py --words 10000000 --limits 100000,1000000,0
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import json, resource, sys, time
from w2vfast import Word2Vec
path, limit = sys.argv[1], int(sys.argv[2])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
model = Word2Vec(max_vocab_size=limit or None, min_count=1, vector_size=1, workers=2, progress=False)
try:
    model.build_vocab(corpus_file=path)
    kept = len(model.wv)
except ValueError as error:  # every word pruned away: a vocabulary of words seen once each cannot survive pruning
    kept = 0
seconds = time.perf_counter() - start
growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps(dict(limit=limit, kept=kept, seconds=round(seconds, 1), growth_mib=round(growth))))
"""


def write_corpus(path, words):
    with open(path, "w") as out:
        for start in range(0, words, 100_000):
            end = min(start + 100_000, words)
            out.write("\n".join(" ".join(f"w{i:x}" for i in range(s, min(s + 100, end))) for s in range(start, end, 100)))
            out.write("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000_000)
    parser.add_argument("--limits", default="1000000,0", help="max_vocab_size values; 0 means unbounded")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "distinct.txt")
        start = time.perf_counter()
        write_corpus(path, args.words)
        print(f"{args.words:,} distinct words, {os.path.getsize(path) / 1e6:.0f} MB, written in "
              f"{time.perf_counter() - start:.0f} s")
        print(f"{'max_vocab_size':>15} {'kept':>10} {'seconds':>8} {'RSS growth MiB':>15}")
        for limit in (int(value) for value in args.limits.split(",")):
            out = subprocess.run([sys.executable, "-c", CHILD, path, str(limit)], capture_output=True, text=True)
            if out.returncode:
                print(f"{limit:>15} failed with exit status {out.returncode}: {out.stderr.strip()[-300:]}")
                continue
            row = json.loads(out.stdout)
            print(f"{row['limit'] or 'unbounded':>15} {row['kept']:>10,} {row['seconds']:>8} {row['growth_mib']:>15}")


if __name__ == "__main__":
    main()
