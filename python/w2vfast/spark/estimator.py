"""The public estimator :class:`Word2Vec`: MLlib's Word2Vec, trained by w2vfast's engine in the executors."""

from __future__ import annotations

from typing import Optional

from pyspark import keyword_only
from pyspark.ml import Estimator
from pyspark.ml.util import DefaultParamsReadable, DefaultParamsWritable
from pyspark.sql import DataFrame

from .._checks import check_float, check_int
from ..word2vec import Word2Vec as LocalWord2Vec
from .core import (TrainingInterrupted, TrainingSettings, fit_local_model, resolve_copies, resolve_rounds,
                   resolve_weighting, round_stripes, tasks_at_once)
from .data import check_column
from .model import Word2VecModel
from .params import DELTA_WEIGHTINGS, Word2VecParams

# The most partitions over which negative sampling keeps one process's quality with a per-row deltaWeighting;
# beyond them only "curvature" holds it (docs/spark.md).
MAX_PER_ROW_NEGATIVE_SAMPLING_COPIES = 2

__all__ = ["Word2Vec"]


class Word2Vec(Estimator, Word2VecParams, DefaultParamsReadable["Word2Vec"], DefaultParamsWritable):
    """word2vec on Spark: a drop-in for ``pyspark.ml.feature.Word2Vec`` that trains with w2vfast's engine.

    The vocabulary is counted by Spark; the sentences are dealt into ``numPartitions`` partitions, and each of
    ``modelCopies`` copies of the model (one per task the cluster runs at once) trains its partitions' sentences with
    the C++ engine; the driver combines the copies' changes ``roundsPerEpoch`` times an epoch (see the documentation's
    page "Training on Spark" for the algorithm and its measured quality and speed). The executors need w2vfast
    installed.

    Parameters
    ----------
    vectorSize : int, default 100
        The dimension of the word vectors.
    minCount : int, default 5
        Words that occur fewer times are left out of the vocabulary.
    numPartitions : int, default 1
        The number of partitions the sentences are repartitioned to, as runs of consecutive sentences with equal
        numbers of tokens, dealt among the model copies (``modelCopies``). With 1 (MLlib's default) the partition
        trains as one process with ``threadsPerTask`` threads, an epoch a round.
    stepSize : float, default 0.025
        The initial learning rate; it decays linearly to ``stepSize * 1e-4`` over all epochs (word2vec.c's and
        MLlib's floor).
    maxIter : int, default 1
        Epochs: passes over the data (MLlib's name and default; w2vfast alone defaults to 5).
    seed : int, optional
        Seed of the initialisation and of every random draw (MLlib's default: a hash of the class name).
    inputCol : str, optional
        The column of tokenised sentences, ``array<string>``.
    outputCol : str, optional
        The column ``Word2VecModel.transform`` writes document vectors to.
    windowSize : int, default 5
        The largest distance between a centre word and a context word.
    maxSentenceLength : int, default 1000
        Longer sentences are trained in chunks of this many words (counted after dropping words outside the
        vocabulary, as MLlib).
    sg : {1, 0}, default 1
        1 skip-gram (MLlib's only algorithm), 0 CBOW.
    hs : {0, 1}, default 0
        1 trains a hierarchical softmax, MLlib's only objective; use ``hs=1, negative=0`` for MLlib's algorithm.
    negative : int, default 5
        Noise words per prediction of negative sampling; 0 turns it off.
    sample : float, default 1e-3
        Subsampling threshold of frequent words (MLlib has none: 0).
    maxFinalVocab : int, default 0
        At most this many words, raising ``minCount`` without splitting words of equal count; 0: no cap.
    threadsPerTask : int, default 1
        Training threads in each task; set ``spark.task.cpus`` to the same number so that Spark schedules them.
    modelCopies : int, default 0
        How many copies of the model a round trains, each from the driver's weights, and combines: each copy trains
        the round's shares of its consecutive run of partitions one after another, as one corpus. 0 makes one copy
        per task the cluster runs at once (its cores over ``spark.task.cpus``, when the fit starts), at most
        ``numPartitions``; with dynamic allocation, ``numPartitions``. Copies beyond the cores would train one after
        another anyway, each from the round's weights rather than from where the one before left them: more changes
        to combine, which lose quality or need more rounds (documentation, "Training on Spark"). So at 0 the vectors
        depend on the cluster's cores; a number from 1 to ``numPartitions`` fixes them. MLlib trains a copy per
        partition: ``modelCopies=numPartitions``.
    roundsPerEpoch : int, default 0
        How often per epoch the model copies' changes are combined and the model sent out again: more rounds hold
        quality at more copies, at the cost of a broadcast and an aggregation of the model each. 0 ("auto") chooses by
        mode and copies: 4 for MLlib's algorithm (``sg=1, hs=1, negative=0``) up to 4 copies and 16 beyond, 8 for
        skip-gram's other modes, 8 for CBOW with negative sampling up to 4 copies and 16 beyond, 16 for CBOW with
        hierarchical softmax. With one copy an epoch is one round whatever this says: there is nothing to combine, and
        the copy trains as one process with ``threadsPerTask`` threads. Measured on gcide (documentation, "Training on
        Spark"): with these defaults every mode keeps one process's analogy accuracy within a point and its
        WordSim353 within 0.02 at 2 to 16 partitions (with 4 rounds CBOW with hierarchical softmax scored 1.3 to 2.0
        points below at 2 to 16 copies, with 8 up to a point below), each doubling of the rounds taking 1.5 to 2 times
        the time on 2 cores. MLlib's algorithm keeps its analogy accuracy with 4 rounds at 2 to 8 copies; at 8 to 16
        copies 4 rounds scored below MLlib's own WordSim353 and 16 above MLlib in both measures; at 2 copies 2 rounds
        scored as 4, at 4.7 to 5.2 times MLlib's speed. Fewer rounds lose quality at more copies and with negative
        sampling.
    deltaWeighting : {'auto', 'curvature', 'updates', 'touched', 'sum', 'mean'}, default 'auto'
        How a row several model copies changed in a round is combined. ``'auto'``: ``'updates'`` for MLlib's
        algorithm (``sg=1, hs=1, negative=0``), ``'curvature'`` for every other mode (measured on gcide:
        documentation, "Training on Spark"). ``'curvature'``: the summed deltas are split along the eigenvectors of
        the second moment of the rows each layer is trained against, weighted by how often each is; along a direction
        the row's loss curves little in a round (a word's meaning) the copies' deltas are summed, as one process
        would apply them, and along one it converges in (for negative sampling the component all rows share, which
        every noise draw pulls on) they are averaged. ``'updates'``: summed, as one process would apply the copies'
        updates, for rows updated a few times a round, and averaged over the copies that changed it for rows updated
        thousands of times (frequent words, the upper nodes of the Huffman tree), whose copies each converge to a
        common target within the round; the expected number of updates comes from the vocabulary's counts, and the
        more copies changed a row, the fewer updates it takes. With negative sampling over more than 2 copies every
        rule but ``'curvature'`` diverges or stalls, and ``fit`` refuses them. ``'touched'``: averaged over the copies
        that changed it (MLlib's rule); ``'sum'``; ``'mean'``: summed and divided by the number of copies.

    Notes
    -----
    Ctrl-C cancels the fit's Spark jobs. Once the training rounds have begun, ``fit`` raises
    :class:`~w2vfast.spark.TrainingInterrupted`, a ``KeyboardInterrupt`` whose ``model`` holds the vectors of the
    rounds completed; before them, a plain ``KeyboardInterrupt``.

    Examples
    --------
    >>> from pyspark.ml import Pipeline
    >>> from pyspark.ml.feature import Tokenizer
    >>> from w2vfast.spark import Word2Vec
    >>> tokenizer = Tokenizer(inputCol="text", outputCol="words")
    >>> word2vec = Word2Vec(inputCol="words", outputCol="features", maxIter=5, numPartitions=8)
    >>> model = Pipeline(stages=[tokenizer, word2vec]).fit(df)
    >>> model.stages[-1].findSynonymsArray("king", 5)

    MLlib's algorithm, skip-gram with hierarchical softmax:

    >>> Word2Vec(inputCol="words", hs=1, negative=0, sample=0.0)

    Every Param left out (or given as None) takes its default, defined once in ``Word2VecParams``.
    """

    @keyword_only
    def __init__(
        self,
        *,
        vectorSize: Optional[int] = None,
        minCount: Optional[int] = None,
        numPartitions: Optional[int] = None,
        stepSize: Optional[float] = None,
        maxIter: Optional[int] = None,
        seed: Optional[int] = None,
        inputCol: Optional[str] = None,
        outputCol: Optional[str] = None,
        windowSize: Optional[int] = None,
        maxSentenceLength: Optional[int] = None,
        sg: Optional[int] = None,
        hs: Optional[int] = None,
        negative: Optional[int] = None,
        sample: Optional[float] = None,
        maxFinalVocab: Optional[int] = None,
        threadsPerTask: Optional[int] = None,
        modelCopies: Optional[int] = None,
        roundsPerEpoch: Optional[int] = None,
        deltaWeighting: Optional[str] = None,
    ):
        super().__init__()
        self.setParams(**self._input_kwargs)

    @keyword_only
    def setParams(
        self,
        *,
        vectorSize: Optional[int] = None,
        minCount: Optional[int] = None,
        numPartitions: Optional[int] = None,
        stepSize: Optional[float] = None,
        maxIter: Optional[int] = None,
        seed: Optional[int] = None,
        inputCol: Optional[str] = None,
        outputCol: Optional[str] = None,
        windowSize: Optional[int] = None,
        maxSentenceLength: Optional[int] = None,
        sg: Optional[int] = None,
        hs: Optional[int] = None,
        negative: Optional[int] = None,
        sample: Optional[float] = None,
        maxFinalVocab: Optional[int] = None,
        threadsPerTask: Optional[int] = None,
        modelCopies: Optional[int] = None,
        roundsPerEpoch: Optional[int] = None,
        deltaWeighting: Optional[str] = None,
    ) -> "Word2Vec":
        """Sets the Params given by keyword (those left out keep their values), as MLlib's ``setParams``.

        Parameters
        ----------
        vectorSize, minCount, numPartitions, stepSize, maxIter, seed, inputCol, outputCol, windowSize, \
maxSentenceLength, sg, hs, negative, sample, maxFinalVocab, threadsPerTask, modelCopies, roundsPerEpoch, \
deltaWeighting
            As for the constructor.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        given = {name: value for name, value in self._input_kwargs.items() if value is not None}
        return self._set(**given)

    def setVectorSize(self, value: int) -> "Word2Vec":
        """Sets the value of ``vectorSize``.

        Parameters
        ----------
        value : int
            The dimension of the word vectors.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(vectorSize=value)

    def setNumPartitions(self, value: int) -> "Word2Vec":
        """Sets the value of ``numPartitions``.

        Parameters
        ----------
        value : int
            The number of tasks that train in parallel.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(numPartitions=value)

    def setMinCount(self, value: int) -> "Word2Vec":
        """Sets the value of ``minCount``.

        Parameters
        ----------
        value : int
            The fewest occurrences a word needs to enter the vocabulary.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(minCount=value)

    def setWindowSize(self, value: int) -> "Word2Vec":
        """Sets the value of ``windowSize``.

        Parameters
        ----------
        value : int
            The largest distance between a centre word and a context word.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(windowSize=value)

    def setMaxSentenceLength(self, value: int) -> "Word2Vec":
        """Sets the value of ``maxSentenceLength``.

        Parameters
        ----------
        value : int
            The longest sentence trained in one piece.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(maxSentenceLength=value)

    def setMaxIter(self, value: int) -> "Word2Vec":
        """Sets the value of ``maxIter``.

        Parameters
        ----------
        value : int
            The number of epochs.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(maxIter=value)

    def setStepSize(self, value: float) -> "Word2Vec":
        """Sets the value of ``stepSize``.

        Parameters
        ----------
        value : float
            The initial learning rate.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(stepSize=value)

    def setSeed(self, value: int) -> "Word2Vec":
        """Sets the value of ``seed``.

        Parameters
        ----------
        value : int
            The random seed.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(seed=value)

    def setInputCol(self, value: str) -> "Word2Vec":
        """Sets the value of ``inputCol``.

        Parameters
        ----------
        value : str
            The column of tokenised sentences.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(inputCol=value)

    def setOutputCol(self, value: str) -> "Word2Vec":
        """Sets the value of ``outputCol``.

        Parameters
        ----------
        value : str
            The column the model's transform writes.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(outputCol=value)

    def setSg(self, value: int) -> "Word2Vec":
        """Sets the value of ``sg``.

        Parameters
        ----------
        value : {1, 0}
            1 skip-gram, 0 CBOW.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(sg=value)

    def setHs(self, value: int) -> "Word2Vec":
        """Sets the value of ``hs``.

        Parameters
        ----------
        value : {0, 1}
            1 trains a hierarchical softmax.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(hs=value)

    def setNegative(self, value: int) -> "Word2Vec":
        """Sets the value of ``negative``.

        Parameters
        ----------
        value : int
            Noise words per prediction; 0 turns negative sampling off.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(negative=value)

    def setSample(self, value: float) -> "Word2Vec":
        """Sets the value of ``sample``.

        Parameters
        ----------
        value : float
            The subsampling threshold; 0 turns subsampling off.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(sample=value)

    def setMaxFinalVocab(self, value: int) -> "Word2Vec":
        """Sets the value of ``maxFinalVocab``.

        Parameters
        ----------
        value : int
            The cap on the vocabulary's size; 0 for none.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(maxFinalVocab=value)

    def setThreadsPerTask(self, value: int) -> "Word2Vec":
        """Sets the value of ``threadsPerTask``.

        Parameters
        ----------
        value : int
            Training threads in each task.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(threadsPerTask=value)

    def setModelCopies(self, value: int) -> "Word2Vec":
        """Sets the value of ``modelCopies``.

        Parameters
        ----------
        value : int
            Copies of the model a round trains and combines; 0 makes one per task the cluster runs at once, as the
            ``modelCopies`` Param describes.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(modelCopies=value)

    def setRoundsPerEpoch(self, value: int) -> "Word2Vec":
        """Sets the value of ``roundsPerEpoch``.

        Parameters
        ----------
        value : int
            Times per epoch the partitions' work is combined; 0 chooses by mode, as the ``roundsPerEpoch`` Param
            describes.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(roundsPerEpoch=value)

    def setDeltaWeighting(self, value: str) -> "Word2Vec":
        """Sets the value of ``deltaWeighting``.

        Parameters
        ----------
        value : {'auto', 'curvature', 'updates', 'touched', 'sum', 'mean'}
            How rows changed by several partitions in a round are combined.

        Returns
        -------
        Word2Vec
            The estimator itself.
        """
        return self._set(deltaWeighting=value)

    # ---------------------------------------------------------------- fit

    def _settings(self, running_tasks: Optional[int]) -> TrainingSettings:
        """The Params checked (in their own names, before any Spark job) and turned into the training settings, on a
        cluster that runs ``running_tasks`` tasks at once (None: with dynamic allocation; see ``modelCopies``)."""
        step_size = check_float("stepSize", self.getStepSize(), minimum=0.0, inclusive=False)
        weighting = self.getDeltaWeighting()
        if weighting not in DELTA_WEIGHTINGS:
            raise ValueError(f"deltaWeighting must be one of {DELTA_WEIGHTINGS}, got {weighting!r}")
        model_arguments = dict(
            vector_size=check_int("vectorSize", self.getVectorSize(), minimum=1),
            window=check_int("windowSize", self.getWindowSize(), minimum=1),
            sg=self.getSg(), hs=self.getHs(), negative=self.getNegative(), sample=self.getSample(),
            seed=self.getSeed() % 2**31, workers=check_int("threadsPerTask", self.getThreadsPerTask(), minimum=1),
            alpha=step_size,
        )
        LocalWord2Vec(**model_arguments)  # w2vfast's own checks of sg, hs, negative and sample
        partitions = check_int("numPartitions", self.getNumPartitions(), minimum=1)
        copies = resolve_copies(check_int("modelCopies", self.getModelCopies(), minimum=0), partitions, running_tasks)
        # Resolved here, once: the refusal below and the driver's DeltaCombiner both read the rule itself, and the
        # rounds' learning rates and shares of the sentences read the number of rounds.
        mode = model_arguments["sg"], model_arguments["hs"], model_arguments["negative"]
        weighting = resolve_weighting(weighting, *mode)
        negative = model_arguments["negative"]
        if negative > 0 and copies > MAX_PER_ROW_NEGATIVE_SAMPLING_COPIES and weighting != "curvature":
            # Measured on gcide (docs/spark.md): 0-1.0% analogies at 8 copies under "updates", "sum", "mean" and
            # "touched", against 10.6% in one process. Refused rather than returned as a model that looks trained.
            raise ValueError(
                f"negative sampling (negative={negative}) does not converge across {copies} model copies "
                f"(numPartitions={partitions}, modelCopies={self.getModelCopies()}) with deltaWeighting={weighting!r}: "
                f"its rows share a component that every noise draw pulls on, which per-row rules sum into divergence "
                f"or average into stalling. Use deltaWeighting='curvature' (the default, 'auto'), or at most "
                f"{MAX_PER_ROW_NEGATIVE_SAMPLING_COPIES} copies")
        rounds = resolve_rounds(check_int("roundsPerEpoch", self.getRoundsPerEpoch(), minimum=0), *mode, copies)
        return TrainingSettings(
            model_arguments, epochs=check_int("maxIter", self.getMaxIter(), minimum=0), rounds=rounds,
            alpha=step_size, min_alpha=step_size * 1e-4,
            max_sentence_length=check_int("maxSentenceLength", self.getMaxSentenceLength(), minimum=1),
            seed=self.getSeed() % 2**31, weighting=weighting, partitions=partitions, copies=copies,
            stripes=round_stripes(partitions, *mode),
        )

    def _fit(self, dataset: DataFrame) -> Word2VecModel:
        if not self.isDefined(self.inputCol):
            raise ValueError("inputCol is not set: Word2Vec(inputCol=...) names the column of tokenised sentences")
        check_column(dataset, self.getInputCol())
        settings = self._settings(tasks_at_once(dataset.sparkSession.sparkContext))
        min_count = check_int("minCount", self.getMinCount(), minimum=0)
        max_final_vocab = check_int("maxFinalVocab", self.getMaxFinalVocab(), minimum=0)
        try:
            local_model = fit_local_model(dataset, self.getInputCol(), min_count, max_final_vocab, settings)
        except TrainingInterrupted as stop:
            stop.model = self._fitted(stop.model)
            raise
        return self._fitted(local_model)

    def _fitted(self, local_model: LocalWord2Vec) -> Word2VecModel:
        """The Spark model of the driver's trained model, with this estimator's uid and Params."""
        model = Word2VecModel(local_model.wv)
        model._resetUid(self.uid)
        return self._copyValues(model)
