"""The Params of :class:`~w2vfast.spark.Word2Vec` and :class:`~w2vfast.spark.Word2VecModel`.

The Params MLlib's ``pyspark.ml.feature.Word2Vec`` has keep its names, meanings and defaults, so that the estimator
replaces MLlib's in a Pipeline unchanged; w2vfast's own parameters (``sg``, ``hs``, ``negative``, ``sample``...) take
their defaults from :class:`w2vfast.Word2Vec`, where they are defined.
"""

from __future__ import annotations

import inspect

from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import HasInputCol, HasMaxIter, HasOutputCol, HasSeed, HasStepSize

from ..word2vec import Word2Vec as _LocalWord2Vec

__all__ = ["Word2VecParams", "DELTA_WEIGHTINGS"]

# w2vfast's defaults, defined once in w2vfast.Word2Vec.
_LOCAL_DEFAULTS = {
    name: parameter.default for name, parameter in inspect.signature(_LocalWord2Vec.__init__).parameters.items()
}

# How the rows that several model copies changed in a round are combined (see docs/spark.md for the measurements).
DELTA_WEIGHTINGS = ("auto", "curvature", "updates", "touched", "sum", "mean")


def _param(name: str, doc: str, converter) -> Param:
    return Param(Params._dummy(), name, doc, typeConverter=converter)


class Word2VecParams(HasStepSize, HasMaxIter, HasSeed, HasInputCol, HasOutputCol):
    """Params shared by the estimator and its model: MLlib's, then w2vfast's.

    MLlib's, with MLlib's defaults: ``inputCol`` (``array<string>``), ``outputCol``, ``vectorSize`` (100),
    ``windowSize`` (5), ``minCount`` (5), ``maxIter`` (1; the number of epochs), ``stepSize`` (0.025, the initial
    learning rate), ``numPartitions`` (1), ``seed`` and ``maxSentenceLength`` (1000).

    w2vfast's, with :class:`w2vfast.Word2Vec`'s defaults: ``sg``, ``hs``, ``negative``, ``sample``,
    ``maxFinalVocab``; and the distributed training's ``threadsPerTask`` (1), ``modelCopies`` (0, one per task the
    cluster runs at once), ``roundsPerEpoch`` (0, "auto") and ``deltaWeighting`` ("auto").

    Parameters
    ----------
    *args
        Passed on to ``pyspark.ml.param.Params``.
    """

    vectorSize: Param[int] = _param("vectorSize", "the dimension of codes after transforming from words (> 0)",
                                    TypeConverters.toInt)
    numPartitions: Param[int] = _param(
        "numPartitions", "number of partitions for sentences of words, runs of consecutive sentences dealt among the "
        "model copies (modelCopies), each copy training its partitions in turn every round (> 0)",
        TypeConverters.toInt,
    )
    minCount: Param[int] = _param(
        "minCount", "the minimum number of times a token must appear to be included in the word2vec model's "
        "vocabulary (>= 0)", TypeConverters.toInt,
    )
    windowSize: Param[int] = _param("windowSize", "the window size (context words from [-window, window]) (> 0)",
                                    TypeConverters.toInt)
    maxSentenceLength: Param[int] = _param(
        "maxSentenceLength", "maximum length (in words) of each sentence in the input data; longer sentences are "
        "divided into chunks of up to this size (> 0)", TypeConverters.toInt,
    )
    sg: Param[int] = _param("sg", "training algorithm: 1 skip-gram, 0 CBOW", TypeConverters.toInt)
    hs: Param[int] = _param("hs", "1 trains a hierarchical softmax (MLlib's objective), 0 does not",
                            TypeConverters.toInt)
    negative: Param[int] = _param("negative", "noise words drawn per prediction of negative sampling; 0 turns it off "
                                  "(needs hs=1)", TypeConverters.toInt)
    sample: Param[float] = _param("sample", "subsampling threshold of frequent words; 0 disables subsampling (>= 0)",
                                  TypeConverters.toFloat)
    maxFinalVocab: Param[int] = _param(
        "maxFinalVocab", "keep at most this many words, raising minCount as needed without splitting words of equal "
        "count; 0 means no cap (>= 0)", TypeConverters.toInt,
    )
    threadsPerTask: Param[int] = _param(
        "threadsPerTask", "training threads in each task; set spark.task.cpus to match (> 0)", TypeConverters.toInt
    )
    modelCopies: Param[int] = _param(
        "modelCopies", "copies of the model a round trains from the driver's weights and combines, each training its "
        "share of the partitions one after another; 0: one per task the cluster runs at once, at most numPartitions "
        "(>= 0, <= numPartitions)", TypeConverters.toInt,
    )
    roundsPerEpoch: Param[int] = _param(
        "roundsPerEpoch", "times per epoch the model copies are combined into one and sent out again; 0 chooses by "
        "mode: 4 for skip-gram with hierarchical softmax only (MLlib's algorithm; 16 with more than 4 copies), 8 for "
        "skip-gram's other modes, 8 for CBOW with negative sampling (16 with more than 4 copies), 16 for CBOW with "
        "hierarchical softmax (>= 0; an epoch is one round with one copy)",
        TypeConverters.toInt,
    )
    deltaWeighting: Param[str] = _param(
        "deltaWeighting", "how rows changed by several model copies in a round are combined: 'auto' ('updates' for "
        "skip-gram with hierarchical softmax only, 'curvature' otherwise), 'curvature' (summed along the directions "
        "a row moves little in a round, averaged along those it converges in), 'updates' (summed for rows updated a "
        "few times a round, averaged for rows updated thousands of times), 'touched' (the mean over the copies that "
        "changed the row, as MLlib), 'sum', or 'mean' (the sum over the number of copies)",
        TypeConverters.toString,
    )

    def __init__(self, *args):
        super().__init__(*args)
        self._setDefault(
            vectorSize=100, minCount=5, numPartitions=1, stepSize=0.025, maxIter=1, windowSize=5,
            maxSentenceLength=1000,
            sg=_LOCAL_DEFAULTS["sg"], hs=_LOCAL_DEFAULTS["hs"], negative=_LOCAL_DEFAULTS["negative"],
            sample=_LOCAL_DEFAULTS["sample"], maxFinalVocab=0, threadsPerTask=1, modelCopies=0,
            roundsPerEpoch=0,
            deltaWeighting="auto",
        )

    def getVectorSize(self) -> int:
        """Gets the value of vectorSize or its default value.

        Returns
        -------
        int
            The dimension of the word vectors.
        """
        return self.getOrDefault(self.vectorSize)

    def getNumPartitions(self) -> int:
        """Gets the value of numPartitions or its default value.

        Returns
        -------
        int
            The number of partitions the sentences are dealt into.
        """
        return self.getOrDefault(self.numPartitions)

    def getMinCount(self) -> int:
        """Gets the value of minCount or its default value.

        Returns
        -------
        int
            The fewest occurrences a word needs to enter the vocabulary.
        """
        return self.getOrDefault(self.minCount)

    def getWindowSize(self) -> int:
        """Gets the value of windowSize or its default value.

        Returns
        -------
        int
            The largest distance between a centre word and a context word.
        """
        return self.getOrDefault(self.windowSize)

    def getMaxSentenceLength(self) -> int:
        """Gets the value of maxSentenceLength or its default value.

        Returns
        -------
        int
            The longest sentence trained; longer ones are trained in chunks of this length.
        """
        return self.getOrDefault(self.maxSentenceLength)

    def getSg(self) -> int:
        """Gets the value of sg or its default value.

        Returns
        -------
        int
            1 for skip-gram, 0 for CBOW.
        """
        return self.getOrDefault(self.sg)

    def getHs(self) -> int:
        """Gets the value of hs or its default value.

        Returns
        -------
        int
            1 when a hierarchical softmax is trained.
        """
        return self.getOrDefault(self.hs)

    def getNegative(self) -> int:
        """Gets the value of negative or its default value.

        Returns
        -------
        int
            Noise words per prediction; 0 when negative sampling is off.
        """
        return self.getOrDefault(self.negative)

    def getSample(self) -> float:
        """Gets the value of sample or its default value.

        Returns
        -------
        float
            The subsampling threshold.
        """
        return self.getOrDefault(self.sample)

    def getMaxFinalVocab(self) -> int:
        """Gets the value of maxFinalVocab or its default value.

        Returns
        -------
        int
            The cap on the vocabulary's size, 0 for none.
        """
        return self.getOrDefault(self.maxFinalVocab)

    def getThreadsPerTask(self) -> int:
        """Gets the value of threadsPerTask or its default value.

        Returns
        -------
        int
            Training threads in each task.
        """
        return self.getOrDefault(self.threadsPerTask)

    def getModelCopies(self) -> int:
        """Gets the value of modelCopies or its default value.

        Returns
        -------
        int
            Copies of the model a round trains and combines; 0: one per task the cluster runs at once, at most
            ``numPartitions``.
        """
        return self.getOrDefault(self.modelCopies)

    def getRoundsPerEpoch(self) -> int:
        """Gets the value of roundsPerEpoch or its default value.

        Returns
        -------
        int
            Times per epoch the model copies are combined; 0 chooses by mode, as the ``roundsPerEpoch`` Param
            describes.
        """
        return self.getOrDefault(self.roundsPerEpoch)

    def getDeltaWeighting(self) -> str:
        """Gets the value of deltaWeighting or its default value.

        Returns
        -------
        str
            ``'updates'``, ``'touched'``, ``'sum'`` or ``'mean'``.
        """
        return self.getOrDefault(self.deltaWeighting)
