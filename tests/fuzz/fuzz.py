"""atheris fuzzing of one target of harnesses.py, coverage-guided by w2vfast's Python code. The C++ engine is not
instrumented for coverage (GCC has no libFuzzer coverage), so its inputs come from mutation alone; replay the corpus
a run grew under the sanitizer build (replay.py) to catch memory errors that do not crash.

Usage: python tests/fuzz/fuzz.py TARGET CORPUS_DIR [libFuzzer options, e.g. -max_total_time=600]
Writes the starting seeds into CORPUS_DIR if it is empty. tests/fuzz/run drives every target.
"""

import os
import sys
import tempfile

import gc
import types

import atheris

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harnesses  # noqa: E402
import w2vfast.word2vec  # noqa: E402, F401 - and, through it, every module of the package


def instrument_w2vfast() -> int:
    """Adds atheris's coverage instrumentation to every function of w2vfast and of the harnesses, in place (nested
    functions with them). atheris.instrument_imports is not enough: an editable install's import hook loads the
    modules past it, which leaves them uninstrumented (coverage stuck at about 10 edges); instrument_all would
    instrument NumPy too, which doubles the edges to watch and halves the runs per second."""
    functions = [
        obj for obj in gc.get_objects()
        if isinstance(obj, types.FunctionType) and (obj.__module__ or "").split(".")[0] in ("w2vfast", "harnesses")
    ]
    for function in functions:
        atheris.instrument_func(function)
    return len(functions)


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
    print(f"instrumented {instrument_w2vfast()} functions of w2vfast and the harnesses", file=sys.stderr)

    def test_one_input(data: bytes) -> None:
        try:
            harnesses.run(target, data, directory)
        except harnesses.ALLOWED:
            pass

    atheris.Setup([sys.argv[0], *sys.argv[3:], corpus_dir], test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
