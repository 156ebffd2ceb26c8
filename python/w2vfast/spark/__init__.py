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

try:
    import pyspark  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on the installation
    raise ImportError(
        'w2vfast.spark needs PySpark: pip install "w2vfast[spark]" (or pip install pyspark)'
    ) from error

from .core import TrainingInterrupted
from .estimator import Word2Vec
from .model import Word2VecModel

__all__ = ["Word2Vec", "Word2VecModel", "TrainingInterrupted"]
