"""Runs a test's hostile case in a child process, so that a crash (segfault, abort) or a hang fails that one test
instead of taking the test runner down, and reports how the child ended.

On Linux the child is forked from the test runner, with w2vfast already imported, which keeps a case's cost in
milliseconds; elsewhere it is a fresh interpreter (``spawn``). ``fresh=True`` asks for a fresh interpreter anywhere,
for cases that measure the child's memory.
"""

import multiprocessing
import sys
import traceback
from dataclasses import dataclass
from typing import Any, Optional


@dataclass
class Outcome:
    exitcode: Optional[int]  # negative: killed by that signal; None: still running after the timeout (killed)
    value: Any = None  # what the case returned
    error: Optional[str] = None  # the exception's type name, when the case raised
    message: str = ""

    def describe(self) -> str:
        return f"exit status {self.exitcode}, error {self.error}: {self.message}"


def _child(connection, case, args):
    try:
        value = case(*args)
    except BaseException as error:  # noqa: B036 - the parent asserts on exactly what the case raised
        connection.send(("error", type(error).__name__, str(error) + "\n" + traceback.format_exc(limit=-3)))
        connection.close()
        sys.exit(1)
    connection.send(("ok", value, ""))
    connection.close()


def run_isolated(case, *args, timeout: float = 60, fresh: bool = False) -> Outcome:
    """Calls ``case(*args)`` in a child process and returns how it ended; ``case`` must be a module-level function."""
    method = "fork" if sys.platform.startswith("linux") and not fresh else "spawn"
    context = multiprocessing.get_context(method)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, case, args))
    child.start()
    sender.close()
    report = None
    if receiver.poll(timeout):
        try:
            report = receiver.recv()
        except EOFError:  # the child died before reporting
            pass
    child.join(timeout=10 if report is not None else 0.1)
    if child.is_alive():
        child.kill()
        child.join()
        return Outcome(None, message=f"still running after {timeout} s: killed")
    if report is None:
        return Outcome(child.exitcode, message="the child ended without reporting")
    kind, value, message = report
    if kind == "error":
        return Outcome(child.exitcode, error=value, message=message)
    return Outcome(child.exitcode, value=value)


def expect_value(outcome: Outcome):
    """The case's return value, asserting that it returned normally."""
    assert outcome.exitcode == 0 and outcome.error is None, outcome.describe()
    return outcome.value


def expect_error(outcome: Outcome, error: str, message: str) -> None:
    """Asserts that the case raised `error` (a type name) with `message` in its text, and the child exited with 1."""
    assert outcome.exitcode == 1 and outcome.error == error, outcome.describe()
    assert message in outcome.message, outcome.describe()
