"""What two threads can gain over one on this machine: Hogwild against two processes that share nothing.

Usage::

    python bench/two_cores.py --corpus gcide.txt --rounds 6
    python bench/two_cores.py --corpus gcide.txt --rounds 3 --modes shared,exact --epochs 2

Each round trains skip-gram (negative 5, window 5, sample 1e-3, min_count 5, vector_size 100) three ways, each in
a fresh process, timing only ``train()``: one thread alone; two independent one-thread processes started together
(they share no memory, so their summed rate is what the cores, caches and memory allow); one process with two
threads (Hogwild: both threads write the same rows). *shared* is the default algorithm (``shared_negatives``),
*exact* word2vec.c's. Rounds interleave the three so that a noisy host hits them alike. Pass a plain text file
for clean timings.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--modes", default="shared,exact", help="comma-separated: shared (the default), exact")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--train", nargs=2, metavar=("THREADS", "MODE"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def train_once(corpus: Path, threads: int, mode: str, epochs: int) -> None:
    """The child process: trains once and prints its words per second."""
    import w2vfast

    model = w2vfast.Word2Vec(vector_size=100, min_count=5, epochs=epochs, workers=threads, progress=False,
                             shared_negatives=mode == "shared")
    model.build_vocab(corpus_file=str(corpus))
    start = time.perf_counter()
    model.train(corpus_file=str(corpus), total_words=model.corpus_total_words, epochs=epochs)
    print(model.corpus_total_words * epochs / (time.perf_counter() - start))


def start(args, threads: int, mode: str) -> subprocess.Popen:
    command = [sys.executable, __file__, "--corpus", str(args.corpus), "--epochs", str(args.epochs),
               "--train", str(threads), mode]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def rate(process: subprocess.Popen) -> float:
    out, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"a training run failed ({process.args})")
    return float(out.strip().splitlines()[-1])


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.train:
        train_once(args.corpus, int(args.train[0]), args.train[1], args.epochs)
        return
    modes = args.modes.split(",")
    rows = {(mode, way): [] for mode in modes for way in ("alone", "two processes", "two threads")}
    for round_number in range(1, args.rounds + 1):
        for mode in modes:
            alone = rate(start(args, 1, mode))
            pair = [start(args, 1, mode), start(args, 1, mode)]
            together = sum(rate(p) for p in pair)
            threads = rate(start(args, 2, mode))
            for way, value in (("alone", alone), ("two processes", together), ("two threads", threads)):
                rows[mode, way].append(value)
            print(f"round {round_number} {mode}: alone {alone / 1e3:,.0f}k, two processes {together / 1e3:,.0f}k, "
                  f"one process with two threads {threads / 1e3:,.0f}k words/s", file=sys.stderr, flush=True)

    header = " | ".join(f"round {r}" for r in range(1, args.rounds + 1))
    print(f"\n| mode | run | {header} | median ratio to one thread |")
    print("| --- | --- |" + " ---: |" * (args.rounds + 1))
    for mode in modes:
        alone = rows[mode, "alone"]
        for way in ("alone", "two processes", "two threads"):
            values = rows[mode, way]
            ratio = statistics.median(v / a for v, a in zip(values, alone))
            cells = " | ".join(f"{v / 1e3:,.0f}k" for v in values)
            print(f"| {mode} | {way} | {cells} | {ratio:.2f}× |")
    print(f"\nCommand: `python bench/two_cores.py --corpus {args.corpus} --rounds {args.rounds} --modes {args.modes} "
          f"--epochs {args.epochs}`")


if __name__ == "__main__":
    main()
