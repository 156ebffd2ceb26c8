"""What N threads gain over one on this machine: Hogwild against N processes that share nothing.

Usage::

    python bench/cores.py --corpus gcide.txt --rounds 4                 # two cores
    python bench/cores.py --corpus gcide.txt --threads 16 --rounds 3 --modes shared --epochs 1

Each round trains skip-gram (negative 5, window 5, sample 1e-3, min_count 5, vector_size 100) three ways, each in
fresh processes, timing only ``train()``: one thread alone; N independent one-thread processes; one process with N
threads (Hogwild: the threads write the same rows). The N processes share no memory, so their rate is what the
cores, caches and memory allow for N trainings at once: each builds its vocabulary, then all wait for a common
start time, so that their training overlaps (started one after another, the first ones would train on an idle
machine, and the sum of their rates would overstate: on 16 cores it read 10.8M words/s where the span from the
first start to the last end gave 9.2M). The table gives the N processes' words over that span. *shared* is the
default algorithm (``shared_negatives``), *exact* word2vec.c's. Rounds interleave the three ways so that a noisy
host hits them alike. Pass a plain text file for clean timings.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Seconds the N processes have to build their vocabularies before the common start.
START_DELAY = 10.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2, help="N")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--modes", default="shared,exact", help="comma-separated: shared (the default), exact")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--train", nargs=3, metavar=("THREADS", "MODE", "START"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def train_once(corpus: Path, threads: int, mode: str, epochs: int, start_at: float) -> None:
    """The child process: builds the vocabulary, waits until `start_at` (time.time(); 0: no wait), trains once and
    prints when training started and ended, and the words it trained."""
    import w2vfast

    model = w2vfast.Word2Vec(vector_size=100, min_count=5, epochs=epochs, workers=threads, progress=False,
                             shared_negatives=mode == "shared")
    model.build_vocab(corpus_file=str(corpus))
    time.sleep(max(0.0, start_at - time.time()))
    start = time.time()
    model.train(corpus_file=str(corpus), total_words=model.corpus_total_words, epochs=epochs)
    print(start, time.time(), model.corpus_total_words * epochs)


def run(args, processes: int, threads: int, mode: str) -> float:
    """Words per second of `processes` processes of `threads` threads each, over the span of their training."""
    start_at = time.time() + START_DELAY if processes > 1 else 0.0
    command = [sys.executable, __file__, "--corpus", str(args.corpus), "--epochs", str(args.epochs),
               "--train", str(threads), mode, repr(start_at)]
    children = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(processes)]
    spans = []
    for child in children:
        out, _ = child.communicate()
        if child.returncode != 0:
            raise SystemExit(f"a training run failed ({child.args})")
        spans.append(tuple(float(x) for x in out.split()[-3:]))
    if processes > 1 and min(end for _, end, _ in spans) < max(start for start, _, _ in spans):
        print("warning: the processes' training did not overlap; raise START_DELAY", file=sys.stderr)
    elapsed = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    return sum(words for _, _, words in spans) / elapsed


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.train:
        train_once(args.corpus, int(args.train[0]), args.train[1], args.epochs, float(args.train[2]))
        return
    n = args.threads
    ways = ("alone", f"{n} processes", f"{n} threads")
    modes = args.modes.split(",")
    rows = {(mode, way): [] for mode in modes for way in ways}
    for round_number in range(1, args.rounds + 1):
        for mode in modes:
            values = (run(args, 1, 1, mode), run(args, n, 1, mode), run(args, 1, n, mode))
            for way, value in zip(ways, values):
                rows[mode, way].append(value)
            print(f"round {round_number} {mode}: " + ", ".join(f"{way} {v / 1e3:,.0f}k" for way, v in zip(ways, values))
                  + " words/s", file=sys.stderr, flush=True)

    header = " | ".join(f"round {r}" for r in range(1, args.rounds + 1))
    print(f"\n| mode | run | {header} | median ratio to one thread |")
    print("| --- | --- |" + " ---: |" * (args.rounds + 1))
    for mode in modes:
        alone = rows[mode, "alone"]
        for way in ways:
            values = rows[mode, way]
            ratio = statistics.median(v / a for v, a in zip(values, alone))
            cells = " | ".join(f"{v / 1e3:,.0f}k" for v in values)
            print(f"| {mode} | {way} | {cells} | {ratio:.2f}× |")
    print(f"\nCommand: `python bench/cores.py --corpus {args.corpus} --threads {n} --rounds {args.rounds} "
          f"--modes {args.modes} --epochs {args.epochs}`")


if __name__ == "__main__":
    main()
