"""Replays the fuzz targets' seeds and every input kept in tests/fuzz/regressions/TARGET/ (inputs that once made a
harness fail), each in a child process: they must end normally or with the target's allowed exceptions."""

import os
import sys

import pytest

from isolation import expect_value, run_isolated

FUZZ = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz")
sys.path.insert(0, FUZZ)
import harnesses  # noqa: E402


def kept_inputs():
    cases = []
    for target in harnesses.TARGETS:
        folder = os.path.join(FUZZ, "regressions", target)
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            cases.append(pytest.param(target, os.path.join(folder, name), id=f"{target}/{name}"))
    return cases


def case_replay(target, data, directory):
    try:
        harnesses.run(target, data, directory)
    except harnesses.ALLOWED as error:
        return type(error).__name__
    return "ok"


@pytest.mark.parametrize("target", harnesses.TARGETS)
def test_fuzz_seeds_pass_their_harness(tmp_path, target):
    # The corpus target compares the engine's counts with its Python reference on valid input, and must refuse
    # its corrupt streams (compression magic, then raw bytes) with OSError; the loaders' seeds are valid files.
    for data in harnesses.seeds(target):
        expected = "OSError" if target == "corpus" and data[0] % 7 >= 4 else "ok"
        assert expect_value(run_isolated(case_replay, target, data, str(tmp_path))) == expected


@pytest.mark.parametrize("target, path", kept_inputs())
def test_kept_fuzz_input_ends_cleanly(tmp_path, target, path):
    with open(path, "rb") as file:
        data = file.read()
    assert expect_value(run_isolated(case_replay, target, data, str(tmp_path))) in ("ok", "ValueError", "OSError")
