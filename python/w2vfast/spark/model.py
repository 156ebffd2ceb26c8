"""The fitted :class:`Word2VecModel`: MLlib's methods over a w2vfast :class:`~w2vfast.KeyedVectors`, and its
persistence (Spark's metadata plus the vectors in w2vfast's native format, which ``KeyedVectors.load`` reads)."""

from __future__ import annotations

import os
import tempfile
import uuid
from typing import List, Optional, Tuple, Union

import numpy as np
from pyspark.ml import Model
from pyspark.ml.linalg import DenseVector, SparseVector, Vector, VectorUDT
from pyspark.ml.util import DefaultParamsReader, DefaultParamsWriter, MLReadable, MLReader, MLWritable, MLWriter
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, StringType, StructField, StructType

from ..keyedvectors import KeyedVectors
from .data import check_column
from .params import Word2VecParams

__all__ = ["Word2VecModel"]

# Where a saved model keeps its vectors, under the path given to save().
VECTORS_FILE = "data/vectors.w2vf"


class Word2VecModel(Model, Word2VecParams, MLReadable["Word2VecModel"], MLWritable):
    """Word vectors trained by :class:`w2vfast.spark.Word2Vec`, with the methods of MLlib's ``Word2VecModel``.

    Parameters
    ----------
    wv : KeyedVectors, optional
        The vectors; ``w2vfast.spark.Word2Vec.fit`` and ``load`` give them.

    Attributes
    ----------
    wv : KeyedVectors
        The vectors as a w2vfast :class:`~w2vfast.KeyedVectors`, most frequent word first, for every query w2vfast
        answers (``model.wv.most_similar``, ``evaluate_word_analogies``...).

    Examples
    --------
    >>> model = Word2Vec(inputCol="words", outputCol="features").fit(df)
    >>> model.findSynonymsArray("king", 3)
    >>> model.transform(df).select("features").first()
    >>> model.write().overwrite().save("/models/w2v")
    >>> Word2VecModel.load("/models/w2v").wv.most_similar("king")
    """

    def __init__(self, wv: Optional[KeyedVectors] = None):
        super().__init__()
        self.wv = wv if wv is not None else KeyedVectors(0)
        self._lookup_broadcast = None

    def setInputCol(self, value: str) -> "Word2VecModel":
        """Sets the value of ``inputCol``.

        Parameters
        ----------
        value : str
            The column of tokenised documents (``array<string>``) that ``transform`` reads.

        Returns
        -------
        Word2VecModel
            The model itself.
        """
        return self._set(inputCol=value)

    def setOutputCol(self, value: str) -> "Word2VecModel":
        """Sets the value of ``outputCol``.

        Parameters
        ----------
        value : str
            The column ``transform`` writes the document vectors to.

        Returns
        -------
        Word2VecModel
            The model itself.
        """
        return self._set(outputCol=value)

    # ---------------------------------------------------------------- MLlib's queries

    def getVectors(self) -> DataFrame:
        """The vector of every word, as MLlib's ``getVectors``.

        Returns
        -------
        pyspark.sql.DataFrame
            Columns ``word`` (string) and ``vector`` (``pyspark.ml.linalg`` vector), most frequent word first.
        """
        schema = StructType([StructField("word", StringType(), False), StructField("vector", VectorUDT(), False)])
        rows = [(word, DenseVector(vector)) for word, vector in zip(self.wv.index_to_key, self.wv.vectors)]
        return _session().createDataFrame(rows, schema)

    def findSynonyms(self, word: Union[str, Vector, np.ndarray, List[float]], num: int) -> DataFrame:
        """The ``num`` words closest to ``word`` by cosine similarity, as MLlib's ``findSynonyms``.

        Parameters
        ----------
        word : str or vector
            A word of the vocabulary (excluded from its own answer, as in MLlib), or a vector (nothing excluded).
        num : int
            How many words to return.

        Returns
        -------
        pyspark.sql.DataFrame
            Columns ``word`` and ``similarity`` (the cosine similarity), most similar first.

        Raises
        ------
        ValueError
            If the word is not in the vocabulary, the vector's size is not ``vectorSize``, or ``num`` < 1.
        """
        schema = StructType([StructField("word", StringType(), False), StructField("similarity", DoubleType(), False)])
        return _session().createDataFrame(self.findSynonymsArray(word, num), schema)

    def findSynonymsArray(self, word: Union[str, Vector, np.ndarray, List[float]], num: int) -> List[Tuple[str, float]]:
        """As :meth:`findSynonyms`, as a list of ``(word, similarity)`` pairs computed on the driver.

        Parameters
        ----------
        word : str or vector
            A word of the vocabulary, or a vector.
        num : int
            How many words to return.

        Returns
        -------
        list of (str, float)
            The closest words and their cosine similarities, most similar first.
        """
        if isinstance(num, bool) or not isinstance(num, int) or num < 1:
            raise ValueError(f"num must be a positive integer, got {num!r}")
        if isinstance(word, str):
            if word not in self.wv:
                raise ValueError(f"{word!r} is not in the vocabulary")
            similar = self.wv.most_similar(word, topn=num)
        else:
            vector = np.asarray(word.toArray() if isinstance(word, Vector) else word, dtype=np.float32)
            if vector.shape != (self.wv.vector_size,):
                raise ValueError(f"the vector has shape {vector.shape}, not ({self.wv.vector_size},)")
            similar = self.wv.similar_by_vector(vector, topn=num)
        return [(str(key), float(similarity)) for key, similarity in similar]

    # ---------------------------------------------------------------- transform

    def _transform(self, dataset: DataFrame) -> DataFrame:
        """Each document's vector, as MLlib: the sum of its known words' vectors divided by its number of tokens
        (unknown words included), a zero vector for an empty document, and null for a null row."""
        column = self.getInputCol()
        check_column(dataset, column)
        if self._lookup_broadcast is None:
            self._lookup_broadcast = dataset.sparkSession.sparkContext.broadcast(
                (self.wv.key_to_index, self.wv.vectors.astype(np.float64))
            )
        lookup = self._lookup_broadcast
        size = self.wv.vector_size

        def document_vector(words):
            if words is None:
                return None
            if not words:
                return SparseVector(size, [], [])
            key_to_index, vectors = lookup.value
            rows = [row for row in map(key_to_index.get, words) if row is not None]
            return DenseVector(vectors[rows].sum(axis=0) / len(words))

        return dataset.withColumn(self.getOutputCol(), F.udf(document_vector, VectorUDT())(F.col(column)))

    # ---------------------------------------------------------------- persistence

    def write(self) -> MLWriter:
        """A writer that saves the model's Params and vectors under a path (``model.write().save(path)``).

        Returns
        -------
        MLWriter
            The writer; ``.overwrite()`` replaces an existing path.

        Notes
        -----
        The path holds ``metadata/`` (Spark's Params, as every MLlib stage) and ``data/vectors.w2vf``, the vectors
        in w2vfast's native format, which :meth:`w2vfast.KeyedVectors.load` reads. Everything is written into a
        hidden folder beside the path, renamed to it at the end, so an interrupted save leaves nothing at the path.
        Any Hadoop file system works (local, HDFS, S3...).
        """
        return _ModelWriter(self)

    @classmethod
    def read(cls) -> MLReader["Word2VecModel"]:
        """A reader of models saved by :meth:`write` (``Word2VecModel.load(path)``).

        Returns
        -------
        MLReader
            The reader.
        """
        return _ModelReader(cls)


def _session() -> SparkSession:
    session = SparkSession.getActiveSession()
    if session is None:
        raise RuntimeError("this needs an active SparkSession")
    return session


def _file_system(session: SparkSession, path: str):
    """The Hadoop FileSystem holding ``path``, and ``path`` as a Hadoop Path."""
    jvm = session.sparkContext._jvm
    assert jvm is not None
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    return hadoop_path.getFileSystem(session.sparkContext._jsc.hadoopConfiguration()), hadoop_path


class _ModelWriter(MLWriter):
    def __init__(self, instance: Word2VecModel):
        super().__init__()
        self.instance = instance

    def saveImpl(self, path: str) -> None:
        session = self.sparkSession
        file_system, target = _file_system(session, path)
        if file_system.exists(target):
            raise OSError(f"path {path} already exists: use model.write().overwrite().save(path) to replace it")
        staging_name = f".tmp-{uuid.uuid4().hex}-{target.getName()}"
        staging = session.sparkContext._jvm.org.apache.hadoop.fs.Path(target.getParent(), staging_name)
        try:
            DefaultParamsWriter.saveMetadata(self.instance, staging.toString(), session)
            with tempfile.TemporaryDirectory() as local_folder:
                local_file = os.path.join(local_folder, "vectors.w2vf")
                self.instance.wv.save(local_file)
                file_system.copyFromLocalFile(
                    False, True, _local_path(session, local_file), _child(session, staging, VECTORS_FILE)
                )
            if not file_system.rename(staging, target):
                raise OSError(f"could not rename the finished model {staging.toString()} to {path}")
        finally:
            if file_system.exists(staging):
                file_system.delete(staging, True)


class _ModelReader(MLReader[Word2VecModel]):
    def __init__(self, cls):
        super().__init__()
        self.cls = cls

    def load(self, path: str) -> Word2VecModel:
        session = self.sparkSession
        file_system, folder = _file_system(session, path)
        vectors_path = _child(session, folder, VECTORS_FILE)
        if not file_system.exists(vectors_path):
            raise ValueError(f"{path} is not a saved w2vfast.spark.Word2VecModel: it has no {VECTORS_FILE}")
        metadata = DefaultParamsReader.loadMetadata(path, session)
        model = self.cls()
        model._resetUid(metadata["uid"])
        DefaultParamsReader.getAndSetParams(model, metadata)
        with tempfile.TemporaryDirectory() as local_folder:
            local_file = os.path.join(local_folder, "vectors.w2vf")
            file_system.copyToLocalFile(False, vectors_path, _local_path(session, local_file), True)
            model.wv = KeyedVectors.load(local_file)
        return model


def _local_path(session: SparkSession, path: str):
    return session.sparkContext._jvm.org.apache.hadoop.fs.Path("file://" + os.path.abspath(path))


def _child(session: SparkSession, parent, relative: str):
    return session.sparkContext._jvm.org.apache.hadoop.fs.Path(parent, relative)
