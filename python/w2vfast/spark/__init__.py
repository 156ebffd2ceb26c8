"""w2vfast on Spark: :class:`Word2Vec`, a ``pyspark.ml`` Estimator that trains with w2vfast's engine inside the
executors, and the fitted :class:`Word2VecModel`.

Drop-in for MLlib's ``pyspark.ml.feature.Word2Vec`` (the same Params, methods and persistence), with w2vfast's
algorithms (negative sampling, subsampling, CBOW) besides MLlib's skip-gram with hierarchical softmax::

    >>> from w2vfast.spark import Word2Vec
    >>> model = Word2Vec(inputCol="words", outputCol="features", maxIter=5, numPartitions=8).fit(df)
    >>> model.findSynonymsArray("king", 5)
    >>> model.wv.evaluate_word_analogies("questions-words.txt")

Needs PySpark (``pip install "w2vfast[spark]"``, which brings the PyArrow and pandas that read the input column
fast) on the driver, and w2vfast on every executor (with PyArrow and pandas, else the column is read from rows).
"""

from importlib import import_module
from typing import TYPE_CHECKING

try:
    import pyspark  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on the installation
    raise ImportError(
        'w2vfast.spark needs PySpark: pip install "w2vfast[spark]" (or pip install pyspark)'
    ) from error

if TYPE_CHECKING:
    from .core import TrainingInterrupted
    from .estimator import Word2Vec
    from .model import Word2VecModel

__all__ = ["Word2Vec", "Word2VecModel", "TrainingInterrupted"]

# The estimator and the model import pyspark.ml (and with it pandas and SciPy), which the executors' tasks never use:
# they import this package to reach w2vfast.spark.core, and a Python worker that starts for them would pay 0.4 s
# for pyspark.ml. So the public classes are imported when first asked for.
_HOMES = {"Word2Vec": ".estimator", "Word2VecModel": ".model", "TrainingInterrupted": ".core"}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name], __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))  # a class asked for once is in both
