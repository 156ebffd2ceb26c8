"""Runs every input of a fuzz corpus folder through its target once, without atheris: for replaying the inputs a
fuzzing run grew under the sanitizer build, where memory errors that do not crash become reports.

Usage: python tests/fuzz/replay.py TARGET FOLDER...
"""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harnesses  # noqa: E402


def main():
    target, folders = sys.argv[1], sys.argv[2:]
    directory = tempfile.mkdtemp(prefix=f"w2vfast-replay-{target}-")
    outcomes = {}
    for folder in folders:
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), "rb") as file:
                data = file.read()
            try:
                harnesses.run(target, data, directory)
                outcome = "ok"
            except harnesses.ALLOWED as error:
                outcome = type(error).__name__
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    print(target, outcomes)


if __name__ == "__main__":
    main()
