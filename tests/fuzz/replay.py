"""Runs every input of fuzz corpus folders through a target once, without atheris -- for the sanitizer build, where
atheris's coverage does not work but memory errors that do not crash become reports. With ``--mutate SECONDS`` it
then keeps running random mutations of those inputs (bit flips, byte changes, cuts, splices; seeded) for that long:
blind fuzzing, but under AddressSanitizer and UndefinedBehaviorSanitizer.

Usage: python tests/fuzz/replay.py TARGET FOLDER... [--mutate SECONDS] [--seed N]
"""

import argparse
import os
import random
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harnesses  # noqa: E402


def mutate(data: bytes, others, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(4)
        if choice == 0 and data:
            position = rng.randrange(len(data))
            data[position] ^= 1 << rng.randrange(8)
        elif choice == 1 and data:
            data[rng.randrange(len(data))] = rng.choice(b"\x00\n \t\xff0123456789.-e")
        elif choice == 2 and data:
            del data[rng.randrange(len(data)) :]
        else:
            other = rng.choice(others)
            start = rng.randrange(len(other) + 1)
            data[rng.randrange(len(data) + 1) :] = other[start:]
    return bytes(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=harnesses.TARGETS)
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--mutate", type=float, default=0, help="seconds of random mutations after the replay")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix=f"w2vfast-replay-{args.target}-")
    inputs = []
    for folder in args.folders:
        for name in sorted(os.listdir(folder)):
            if os.path.isfile(os.path.join(folder, name)):
                with open(os.path.join(folder, name), "rb") as file:
                    inputs.append(file.read())
    outcomes = {}

    def run(data):
        try:
            harnesses.run(args.target, data, directory)
            outcome = "ok"
        except harnesses.ALLOWED as error:
            outcome = type(error).__name__
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

    for data in inputs:
        run(data)
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.mutate
    while args.mutate and time.monotonic() < deadline:
        run(mutate(rng.choice(inputs), inputs, rng))
    print(args.target, sum(outcomes.values()), "inputs:", outcomes)


if __name__ == "__main__":
    main()
