"""The entry point of every Spark task w2vfast.spark runs.

This module imports nothing from w2vfast and is pickled by value (registered with cloudpickle by
:mod:`w2vfast.spark.core`), so an executor whose Python lacks w2vfast can still unpickle the task and say what is
wrong and how to fix it, instead of failing to unpickle with a bare ``ModuleNotFoundError``.
"""

import importlib

MISSING_W2VFAST = (
    "w2vfast.spark cannot be imported in the Python of this Spark executor ({error}): w2vfast must be installed "
    "on every executor, in the same version as on the driver. It is a compiled extension that spark-submit --py-files cannot carry: pip install w2vfast on every node, "
    "or ship an environment archive (venv-pack or conda-pack) with --archives and point spark.pyspark.python at its "
    "Python. See the w2vfast documentation, 'Training on Spark'."
)


def run(function_name, *args):
    """Calls ``w2vfast.spark.<function_name>(*args)`` in the executor (``function_name`` is ``module.function``,
    e.g. ``core.train_partitions``), or raises RuntimeError naming the missing installation."""
    module_name, _, name = function_name.rpartition(".")
    try:
        module = importlib.import_module(f"w2vfast.spark.{module_name}")
    except ImportError as error:
        raise RuntimeError(MISSING_W2VFAST.format(error=error)) from error
    return getattr(module, name)(*args)
