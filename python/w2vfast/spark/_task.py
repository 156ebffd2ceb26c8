"""The entry point of every Spark task w2vfast.spark runs.

This module imports nothing from w2vfast and is pickled by value (registered with cloudpickle by
:mod:`w2vfast.spark.core`), so an executor whose Python lacks w2vfast can still unpickle the task and say what is
wrong and how to fix it, instead of failing to unpickle with a bare ``ModuleNotFoundError``.
"""

MISSING_W2VFAST = (
    "w2vfast.spark cannot be imported in the Python of this Spark executor ({error}): w2vfast must be installed "
    "on every executor, in the same version as on the driver. It is a compiled extension that spark-submit --py-files cannot carry: pip install w2vfast on every node, "
    "or ship an environment archive (venv-pack or conda-pack) with --archives and point spark.pyspark.python at its "
    "Python. See the w2vfast documentation, 'Training on Spark'."
)


def run(function_name, *args):
    """Calls ``w2vfast.spark.core.<function_name>(*args)`` in the executor, or raises RuntimeError naming the
    missing installation."""
    try:
        from w2vfast.spark import core
    except ImportError as error:
        raise RuntimeError(MISSING_W2VFAST.format(error=error)) from error
    return getattr(core, function_name)(*args)
