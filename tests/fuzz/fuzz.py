"""atheris fuzzing of one target of harnesses.py (coverage-guided on the Python side; the C++ engine is not
instrumented for coverage with GCC, so its inputs come from mutation alone -- run it under the sanitizer build to
catch memory errors that do not crash).

Usage: python tests/fuzz/fuzz.py TARGET CORPUS_DIR [libFuzzer options, e.g. -max_total_time=600]
Writes the starting seeds into CORPUS_DIR if it is empty. tests/fuzz/run drives every target.
"""

import os
import sys
import tempfile

import numpy  # noqa: F401 - imported before instrumentation, which would slow it down for nothing

import atheris

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
with atheris.instrument_imports(include=["w2vfast", "harnesses"]):
    import harnesses
    import w2vfast.word2vec  # noqa: F401 - and, through it, every module of the package


def main():
    target, corpus_dir = sys.argv[1], sys.argv[2]
    if target not in harnesses.TARGETS:
        raise SystemExit(f"target must be one of {harnesses.TARGETS}")
    os.makedirs(corpus_dir, exist_ok=True)
    if not os.listdir(corpus_dir):
        for number, seed in enumerate(harnesses.seeds(target)):
            with open(os.path.join(corpus_dir, f"seed-{number}"), "wb") as out:
                out.write(seed)
    directory = tempfile.mkdtemp(prefix=f"w2vfast-fuzz-{target}-")

    def test_one_input(data: bytes) -> None:
        try:
            harnesses.run(target, data, directory)
        except harnesses.ALLOWED:
            pass

    atheris.Setup([sys.argv[0], *sys.argv[3:], corpus_dir], test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
