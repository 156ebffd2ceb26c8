"""Distributed training: the Spark stages behind :meth:`w2vfast.spark.Word2Vec.fit`.

The driver holds one model. The sentences are dealt into ``numPartitions`` runs, and the runs among ``modelCopies``
copies of the model (one per task the cluster runs at once by default, :func:`resolve_copies`). Each round the
driver broadcasts the weights; every copy starts from them in a :class:`w2vfast.Word2Vec` of its task (built once per
Python worker from the broadcast vocabulary), trains its partitions' shares of the round's sentences one after
another with the engine, at the round's slice of the global learning-rate schedule, and returns the rows it changed
as deltas; ``treeAggregate`` sums the deltas and counts how many copies changed each row, and the driver adds them to
its model (see ``deltaWeighting``). An epoch is ``roundsPerEpoch`` rounds. With more copies than the cluster has
cores, a round's task trains several copies, each from the round's weights, and returns their deltas summed
(:func:`round_tasks`).
"""

from __future__ import annotations

import ctypes
import logging
import platform
import signal
import sys
import threading
import time
import uuid
import warnings
from contextlib import contextmanager
from functools import partial
from itertools import groupby
from typing import Dict, Iterable, Iterator, List, NamedTuple, Optional, Tuple

import numpy as np
from pyspark import RDD, StorageLevel
from pyspark.broadcast import Broadcast
from pyspark.cloudpickle import register_pickle_by_value
from pyspark.sql import DataFrame

from .. import _core
from .._arrays import all_finite
from ..word2vec import Word2Vec as LocalWord2Vec
from . import _task
from .data import (PartitionWords, Vocabulary, check_partitions, concatenate_sentences, copy_of, count_vocabulary,
                   cut_into_runs, round_slice, to_vocabulary_ids)

__all__ = ["fit_local_model", "TrainingSettings", "TrainingInterrupted", "read_sentences", "id_corpus"]

logger = logging.getLogger(__name__)

# Tasks enter through _task.run, shipped by value: see that module.
register_pickle_by_value(_task)

# The weight matrices a round updates, by their Word2Vec attribute.
_LAYERS = ("vectors", "syn1neg", "syn1")

# deltaWeighting "updates": a row's k summed deltas count as converged once its expected updates in one model copy's
# share of a round, times k squared, approach this scale (4000 updates at 8 copies, 1000 at 16); measured on gcide,
# see docs/spark.md.
SATURATION_SCALE = 256000.0

# The inner nodes of the Huffman tree take their summed deltas with less damping the more rounds an epoch: their
# scale is SATURATION_SCALE times the square root of rounds / 4 (256,000 at 4 rounds, 512,000 at 16). Measured on
# gcide (docs/spark.md): at 16 rounds 512,000 held WordSim353 at 8 and 16 copies where 256,000 lost 0.02-0.05;
# at 4 rounds it cost 1.4 analogy points at 4 partitions.
INNER_NODE_SATURATION_ROUNDS = 4

# deltaWeighting "curvature": a row's loss curves, per update along a direction, by the learning rate times its
# layer's factor here times that direction's eigenvalue of the second moment of the rows it is trained against. The
# factors stand for the mean slope of the sigmoid at the scores training meets; measured on gcide (docs/spark.md):
# the output layers' smaller factor holds WordSim353, the input vectors' larger one the analogies.
SIGMOID_SLOPES = {"vectors": 1.6, "syn1neg": 0.2, "syn1": 0.2}

# The "curvature" rule treats a direction as straight for a row when its convergence in a round, z, is below this: the
# factor it would get differs from 1 by (k - 1) z / 2 at most.
NEGLIGIBLE_CONVERGENCE = 1e-3

# A round trains, of the whole corpus, a slice of at least this many stripes spread over it (round_stripes): gcide is
# a dictionary in alphabetical order, and two model copies each training a quarter of its half in a round (2
# partitions, 4 rounds) scored 0.02 WordSim353 below two copies each training a slice of 8 runs (16 partitions), at
# the same speed (sg-hs, seeds 1-3; docs/spark.md). Swept over 4 to 64 stripes at 2 and 4 partitions: MLlib's
# algorithm scored its best WordSim353 with 8 and 16 and 0.015-0.026 less with 32 and 64; skip-gram with negative
# sampling gained with more, 64 scoring 0.010-0.019 WordSim353 above 16 at 2 to 16 partitions, and CBOW with
# hierarchical softmax 0.6 points at 2, CBOW with negative sampling within the seeds' spread.
ROUND_STRIPES_MLLIB_ALGORITHM = 16
ROUND_STRIPES = 64

# Rows combined at a time by the "curvature" rule, to bound the driver's temporary memory on large vocabularies.
CURVATURE_CHUNK_ROWS = 65536


class RowDeltas(tuple):
    """A model copy's (or a sum of copies') changes to one matrix: ``(rows, deltas, touches)``, the rows, their
    summed deltas (float32) and how many copies changed each row. Pickled, to travel between Spark tasks and to
    the driver, with the deltas as float16.

    Parameters
    ----------
    rows : numpy.ndarray
        int32, the rows changed, ascending.
    deltas : numpy.ndarray
        float32 (or float16, as unpickled), ``len(rows) x vectorSize``: each row's summed change.
    touches : numpy.ndarray
        int32, how many copies changed each row.
    """

    # Every round returns about a model's worth of deltas per partition, and moving those bytes was the largest cost
    # of a round after training (0.17 s of 0.6 s at 2 partitions, sg-hs, 63,000 lines of gcide; as float16: 0.11 s).
    # A delta keeps 11 significant bits, its rounding error is some 1e-4 of a round's change of a row, and sums are
    # formed in float32; quality measured in docs/spark.md. The engine converts (NumPy's rounding, bit for bit, at
    # SIMD speed: NumPy's astype converts one element at a time, 18 ms a model's layer, longer than its broadcast).

    def __new__(cls, rows: np.ndarray, deltas: np.ndarray, touches: np.ndarray) -> "RowDeltas":
        deltas = _core.from_float16(deltas) if deltas.dtype == np.float16 else deltas.astype(np.float32, copy=False)
        return super().__new__(cls, (rows, deltas, touches))

    def __reduce__(self):
        rows, deltas, touches = self
        return RowDeltas, (rows, _core.to_float16(deltas), touches)


class TrainingSettings(NamedTuple):
    """What the executors need besides the data: w2vfast.Word2Vec's keyword arguments and the schedule.

    A tuple of plain values, so that a task unpickles without importing w2vfast (see :mod:`w2vfast.spark._task`).
    """

    model_arguments: dict
    epochs: int
    rounds: int
    alpha: float
    min_alpha: float
    max_sentence_length: int
    seed: int
    weighting: str
    partitions: int
    copies: int
    stripes: int


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C during the training rounds of :class:`w2vfast.spark.Word2Vec`'s ``fit``: a ``KeyboardInterrupt``, so
    a script stops as it would anyway, that holds the model of the rounds completed before it.

    The fit cancels its Spark jobs. Every round before the interrupted one is in the model whole: a Ctrl-C that arrives
    while the driver combines a round waits until the round is in every layer. A Ctrl-C before the rounds (while the
    column is read and the vocabulary counted) raises a plain ``KeyboardInterrupt``.

    Parameters
    ----------
    model : w2vfast.spark.Word2VecModel
        The fitted model of the rounds completed, as ``fit`` raises it (inside w2vfast, first the driver's
        :class:`w2vfast.Word2Vec`).
    rounds_trained : int
        The rounds completed: ``epochs * roundsPerEpoch`` would have completed the fit, 0 leaves the initial vectors.
    rounds_per_epoch : int
        The fit's ``roundsPerEpoch``.

    Examples
    --------
    >>> try:
    ...     model = Word2Vec(inputCol="words", maxIter=20).fit(df)
    ... except TrainingInterrupted as stop:
    ...     model = stop.model  # the vectors as far as training got
    """

    def __init__(self, model, rounds_trained: int, rounds_per_epoch: int):
        epochs, rounds = divmod(rounds_trained, rounds_per_epoch)
        super().__init__(
            f"training interrupted after {epochs} epochs and {rounds} of {rounds_per_epoch} rounds: the exception's "
            f"model holds the vectors trained so far"
        )
        self.model = model
        self.rounds_trained = rounds_trained
        self.rounds_per_epoch = rounds_per_epoch


@contextmanager
def _interrupts_held():
    """Holds Ctrl-C (SIGINT) until the block has run, then hands it to the handler it was held from (PySpark's, which
    cancels the jobs and raises KeyboardInterrupt). Signal handlers belong to the main thread: elsewhere nothing is
    held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = []
    handler = signal.signal(signal.SIGINT, lambda signum, frame: held.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
        if held:
            if callable(handler):
                handler(signal.SIGINT, held[0])
            elif handler != signal.SIG_IGN:
                raise KeyboardInterrupt


def round_alphas(settings: TrainingSettings, epoch: int, round_index: int) -> Tuple[float, float]:
    """The learning rate at the start and end of a round: the linear decay of one process, cut into rounds."""
    steps = settings.epochs * settings.rounds
    done = epoch * settings.rounds + round_index
    decay = settings.alpha - settings.min_alpha
    return settings.alpha - decay * done / steps, settings.alpha - decay * (done + 1) / steps


def fit_local_model(dataset: DataFrame, column: str, min_count: int, max_final_vocab: int,
                    settings: TrainingSettings) -> LocalWord2Vec:
    """Trains on ``dataset[column]`` across the cluster and returns the driver's model."""
    with _jobs_cancelled_on_interrupt(dataset.sparkSession.sparkContext):
        model, vocabulary_broadcast, corpus = _prepare(dataset, column, min_count, max_final_vocab, settings)
        try:
            _train_rounds(model, corpus, vocabulary_broadcast, settings)
        finally:
            corpus.unpersist()
            vocabulary_broadcast.destroy()
    return model


@contextmanager
def _jobs_cancelled_on_interrupt(context):
    """Tags the Spark jobs the block starts, and cancels them on Ctrl-C. PySpark's own SIGINT handler cancels every
    job, but fails when the signal arrives during one of its py4j calls (the handler's call re-enters py4j's socket),
    which is where a fit spends its time: its jobs would run on."""
    tag = f"w2vfast-fit-{uuid.uuid4().hex}"
    context.addJobTag(tag)
    try:
        yield
    except KeyboardInterrupt:
        context.cancelJobsWithTag(tag)
        raise
    finally:
        context.removeJobTag(tag)


def _prepare(dataset: DataFrame, column: str, min_count: int, max_final_vocab: int,
             settings: TrainingSettings) -> Tuple[LocalWord2Vec, Broadcast, RDD]:
    """The driver's model with its vocabulary, the vocabulary's broadcast and the cached training partitions."""
    start = time.perf_counter()
    # The strings are read once, here; every later stage moves numbers (see data.py).
    read, sizes = _read_partitions(dataset, column)
    try:
        partition_tokens = check_partitions(sizes, column)
        logger.info("inputCol read and checked: %d tokens in %d partitions, %.2fs", sum(partition_tokens),
                    len(partition_tokens), time.perf_counter() - start)
        start = time.perf_counter()
        vocabulary = count_vocabulary(read, min_count)
        if not vocabulary.words:
            raise ValueError(
                f"the vocabulary is empty: no word of inputCol {column!r} occurs minCount={min_count} times"
            )
        model = LocalWord2Vec(**settings.model_arguments, min_count=0,
                              max_final_vocab=max_final_vocab or None, progress=False)
        model.build_vocab_from_freq(vocabulary.word_freq())
        kept = Vocabulary(model.wv.index_to_key, np.asarray(model.wv.expandos["count"]))
        logger.info("vocabulary: %d words of %d with minCount=%d, %.2fs", len(kept.words), len(vocabulary.words),
                    min_count, time.perf_counter() - start)

        start = time.perf_counter()
        # The executors' caches are keyed by this fit's own name for the vocabulary (a worker-side Broadcast has no
        # id).
        vocabulary_broadcast = read.context.broadcast((uuid.uuid4().hex, kept.words, kept.counts))
        corpus = id_corpus(read, vocabulary_broadcast, partition_tokens, settings.partitions, settings.copies,
                           settings.max_sentence_length)
        corpus = corpus.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            corpus.count()  # the id arrays are cached before the strings they come from are dropped
        except BaseException:
            corpus.unpersist()
            vocabulary_broadcast.destroy()
            raise
    finally:
        read.unpersist()
    logger.info("id arrays: %d partitions in %d model copies, %.2fs", settings.partitions, settings.copies,
                time.perf_counter() - start)
    return model, vocabulary_broadcast, corpus


def _train_rounds(model: LocalWord2Vec, corpus, vocabulary_broadcast, settings: TrainingSettings) -> None:
    combiner = DeltaCombiner(model, settings.weighting, settings.copies, settings.rounds)
    rounds_trained = 0
    try:
        for epoch in range(settings.epochs):
            for round_index in range(settings.rounds):
                start = time.perf_counter()
                changes, start_alpha, end_alpha = _train_round(model, corpus, vocabulary_broadcast, settings, epoch,
                                                               round_index)
                combining = time.perf_counter()
                with _interrupts_held():  # a round's deltas reach every layer or none
                    if changes is not None:  # None: no partition had sentences in this round (a tiny corpus)
                        combiner.apply(model, changes, (start_alpha + end_alpha) / 2)
                    rounds_trained += 1
                    model.epochs_trained = rounds_trained // settings.rounds
                logger.info(
                    "epoch %d round %d: alpha %.5f-%.5f, %d words trained, %.2fs (combining %s: %.2fs)", epoch + 1,
                    round_index + 1, start_alpha, end_alpha, changes["words"] if changes else 0,
                    time.perf_counter() - start, combiner.weighting, time.perf_counter() - combining,
                )
    except KeyboardInterrupt:
        raise TrainingInterrupted(model, rounds_trained, settings.rounds) from None


def _train_round(model: LocalWord2Vec, corpus, vocabulary_broadcast, settings: TrainingSettings, epoch: int,
                 round_index: int) -> Tuple[Optional[dict], float, float]:
    """One round's Spark job: the model copies trained from the driver's weights; returns their summed changes (None
    when no partition had sentences in the round) and the round's learning rates."""
    start_alpha, end_alpha = round_alphas(settings, epoch, round_index)
    weights = corpus.context.broadcast({layer: _layer(model, layer) for layer in _LAYERS})
    task = partial(_task.run, "core.train_partitions", vocabulary_broadcast, weights, tuple(settings), epoch,
                   round_index, start_alpha, end_alpha)
    merge = partial(_task.run, "core.merge_changes")
    try:
        return round_tasks(corpus).mapPartitions(task).treeAggregate(None, merge, merge), start_alpha, end_alpha
    finally:
        weights.destroy()


def tasks_at_once(context) -> Optional[int]:
    """How many tasks the cluster runs at once: its cores (``defaultParallelism``) over ``spark.task.cpus``; None with
    dynamic allocation, which adds executors while tasks wait and removes them when idle."""
    conf = context.getConf()
    if conf.get("spark.dynamicAllocation.enabled", "false").lower() == "true":
        return None
    return max(1, context.defaultParallelism // max(1, int(conf.get("spark.task.cpus", "1"))))


def resolve_copies(model_copies: int, partitions: int, running_tasks: Optional[int]) -> int:
    """The model copies ``modelCopies=model_copies`` stands for with ``numPartitions=partitions`` on a cluster that
    runs ``running_tasks`` tasks at once (:func:`tasks_at_once`; None with dynamic allocation): itself when positive;
    at 0, one per task the cluster runs at once and at most ``partitions``, or ``partitions`` with dynamic allocation.

    A copy beyond the tasks the cluster runs at once would train after another copy on the same core anyway, from the
    round's weights instead of from where that copy left them: the same work, each copy's changes a round staler to
    the others, more of them to combine and, to hold quality, more rounds. Measured on gcide (docs/spark.md): 16
    partitions on 2 cores scored as 2 partitions do in two copies, near one process, and took as long; in 16 copies
    they needed 16 rounds an epoch to stay near one process, and a fit took more than twice as long.
    """
    if model_copies > partitions:
        raise ValueError(f"modelCopies={model_copies} exceeds numPartitions={partitions}: each copy trains at least "
                         f"one partition")
    if model_copies:
        return model_copies
    return partitions if running_tasks is None else min(partitions, running_tasks)


def round_tasks(corpus: RDD) -> RDD:
    """The model copies of ``corpus`` (its partitions, one per copy) grouped into as many tasks as the cluster runs at
    once (:func:`tasks_at_once`, read every round) when there are more copies than that, else ``corpus`` itself.

    The copies train the same either way, each from the round's weights with its own random stream; what the grouping
    saves is a task's fixed costs and the copies' deltas travelling one by one: a task sums its copies' deltas before
    they leave it. Tasks beyond the cores would run in waves anyway, every one of them returning up to a model's worth
    of deltas for ``treeAggregate`` to shuffle and sum (sg-hs at 16 partitions each a copy on ``local[2]``: fits of
    15.1-17.0 s grouped against 32.2-38.0 s ungrouped, docs/spark.md). Not with dynamic allocation, which asks for
    executors while tasks wait: grouped, none would.
    """
    tasks = tasks_at_once(corpus.context)
    return corpus.coalesce(tasks) if tasks is not None and tasks < corpus.getNumPartitions() else corpus


def expected_updates(model: LocalWord2Vec) -> Dict[str, np.ndarray]:
    """How often an epoch updates each row of each layer, from the vocabulary's counts: an input vector once per
    centre word within its window (about ``window + 1`` per occurrence of its word, subsampling ignored), an inner node
    of the Huffman tree once per prediction of a word below it, an output vector of negative sampling once per
    prediction of its word and once per draw as a noise word."""
    counts = np.asarray(model.wv.expandos["count"], dtype=np.float64)
    context = model.window + 1.0
    updates = {"vectors": counts * context, "syn1": np.zeros(len(model.syn1)), "syn1neg": np.zeros(len(model.syn1neg))}
    vocabulary = model._vocabulary
    assert vocabulary is not None
    if len(model.syn1):
        for word, count in enumerate(counts):
            updates["syn1"][vocabulary.huffman_points(word)] += count * context
    if len(model.syn1neg):
        noise = vocabulary.noise_probabilities()
        updates["syn1neg"] = counts * context + noise * counts.sum() * model.negative
    return updates


def _layer(model: LocalWord2Vec, layer: str) -> np.ndarray:
    return model.wv.vectors if layer == "vectors" else getattr(model, layer)


def read_sentences(dataset: DataFrame, column: str, arrow: Optional[bool] = None) -> RDD:
    """The partitions of ``dataset[column]`` read once, as an RDD of
    :class:`~w2vfast.spark.data.PartitionWords` (not persisted): through Apache Arrow
    (:func:`~w2vfast.spark.data.read_arrow_partition`) when ``arrow`` is true, from PySpark's rows
    (:func:`~w2vfast.spark.data.read_partition`) when it is false, and when it is None through Arrow if the driver has
    what PySpark's ``mapInArrow`` needs (PyArrow and pandas, as ``pip install "w2vfast[spark]"`` installs them)."""
    selected = dataset.select(column)
    if arrow is None:
        arrow = arrow_available()
    if arrow:
        with _pandas_version_unwarned():
            pieces = selected.mapInArrow(partial(_task.run, "data.read_arrow_partition"), "piece binary")
        return pieces.rdd.mapPartitions(partial(_task.run, "data.join_arrow_pieces"))
    return selected.rdd.mapPartitionsWithIndex(partial(_task.run, "data.read_partition"))


def arrow_available() -> bool:
    """Whether this Python has the PyArrow and pandas that PySpark's Arrow functions require."""
    try:
        from pyspark.sql.pandas.utils import require_minimum_pandas_version, require_minimum_pyarrow_version

        with _pandas_version_unwarned():
            require_minimum_pandas_version()
            require_minimum_pyarrow_version()
    except ImportError:
        return False
    return True


@contextmanager
def _pandas_version_unwarned():
    """Silences PySpark's warning that it does not yet fully support the installed pandas (3.0 and later): the Arrow
    read checks for pandas because PySpark requires it, and uses none of it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
        yield


# What a task that could not import a module says, through PySpark's error: PyArrow or pandas missing on an executor
# (ModuleNotFoundError, or PySpark's own check of their versions), or w2vfast itself (w2vfast.spark._task).
_MISSING_MODULE = ("No module named", "PACKAGE_NOT_INSTALLED", "must be installed")


def _read_partitions(dataset: DataFrame, column: str) -> Tuple[RDD, List[Tuple[int, int, int, int, int]]]:
    """The column read (:func:`read_sentences`) and persisted, with each partition's sizes for
    :func:`~w2vfast.spark.data.check_partitions`. When the driver has Arrow but an executor cannot import what the
    Arrow read needs, the column is read again from rows, once: a cluster whose executors lack PyArrow trains as
    without it, and one whose executors lack w2vfast gets the error that says so."""
    arrow = arrow_available()
    while True:
        read = read_sentences(dataset, column, arrow).persist(StorageLevel.MEMORY_AND_DISK)
        try:
            return read, read.map(partial(_task.run, "data.partition_sizes")).collect()
        except BaseException as error:
            read.unpersist()
            if not (arrow and isinstance(error, Exception) and any(sign in str(error) for sign in _MISSING_MODULE)):
                raise
            logger.warning("reading inputCol through Arrow failed on an executor, reading its rows instead: %s",
                           str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__)
            arrow = False


def id_corpus(read: RDD, vocabulary_broadcast, partition_tokens: List[int], num_partitions: int, copies: int,
              max_sentence_length: int) -> RDD:
    """The training partitions: the sentences of ``read`` (:func:`read_sentences`) in the broadcast vocabulary's
    ids, dealt into ``num_partitions`` runs of consecutive sentences with equal numbers of tokens, each run a
    ``(partition, tokens, offsets)`` triple, in the DataFrame's order; an RDD partition for each of the ``copies``
    model copies, holding the triples of its partitions (:func:`~w2vfast.spark.data.copy_of`).
    ``partition_tokens`` are the tokens of each partition of ``read``, as
    :func:`~w2vfast.spark.data.check_partitions` returns them.

    Always dealt anew, even when the DataFrame already has ``num_partitions`` partitions: those are whatever its
    source made them (file splits of unequal size, a filter that emptied some), and every round waits for the
    copy with the most words. On 63,000 lines of gcide read by ``spark.read.text`` on ``local[2]``, the two
    partitions held 66% and 34% of the tokens. Runs of consecutive sentences rather than MLlib's round-robin
    (``repartition``): each partition's share of a round is then text of its own, and its changes overlap the other
    partitions' less when they are summed (sg-hs at 8 partitions, seeds 1-3, docs/spark.md: 8.8% analogy accuracy
    dealt round-robin, 12.2% in runs).
    """
    starts = np.cumsum([0] + partition_tokens[:-1]).tolist()
    to_pieces = partial(_task.run, "core.partition_pieces", vocabulary_broadcast, max_sentence_length, starts,
                        sum(partition_tokens), num_partitions, copies)
    pieces = read.mapPartitions(to_pieces).partitionBy(copies, partitionFunc=int)
    return pieces.values().mapPartitionsWithIndex(partial(_task.run, "data.join_copy_pieces", num_partitions, copies))


def round_stripes(partitions: int, sg: int, hs: int, negative: int) -> int:
    """The stripes of each of ``partitions`` partitions a round trains a slice of
    (:func:`~w2vfast.spark.data.round_slice`): enough for ``ROUND_STRIPES_MLLIB_ALGORITHM`` stripes in all with
    MLlib's algorithm, ``ROUND_STRIPES`` with the other modes."""
    stripes = ROUND_STRIPES_MLLIB_ALGORITHM if is_mllib_algorithm(sg, hs, negative) else ROUND_STRIPES
    return max(1, -(-stripes // partitions))


def partition_pieces(vocabulary_broadcast, max_sentence_length: int, starts: List[int], total: int,
                     num_partitions: int, copies: int, partitions: Iterable[PartitionWords]
                     ) -> Iterator[Tuple[int, Tuple[int, Tuple[int, Tuple[np.ndarray, np.ndarray]]]]]:
    """In a task: a DataFrame partition's sentences in the vocabulary's ids, cut into runs of the training
    partitions (:func:`~w2vfast.spark.data.cut_into_runs`); yields ``(copy, (run, (partition index, (tokens,
    offsets))))``, ``copy`` the model copy that trains the run."""
    name, words, _ = vocabulary_broadcast.value
    key_to_index = _key_to_index(name, words)
    for part in partitions:
        tokens, offsets, sentence_starts = to_vocabulary_ids(part, key_to_index, max_sentence_length)
        before = starts[part.partition]
        for run, piece in cut_into_runs(tokens, offsets, sentence_starts, before, total, num_partitions):
            yield copy_of(run, num_partitions, copies), (run, (part.partition, piece))


def train_partitions(vocabulary_broadcast, weights, settings_values: tuple, epoch: int, round_index: int,
                     start_alpha: float, end_alpha: float, partitions: Iterable[Tuple[int, np.ndarray, np.ndarray]]
                     ) -> Iterator[dict]:
    """In a task: the round of each model copy the task holds (one, or several grouped by :func:`round_tasks`), each
    from the broadcast weights, training the round's shares of its partitions one after another as one corpus;
    yields the rows they changed, summed, once (nothing when no partition had sentences in the round)."""
    settings = TrainingSettings(*settings_values)
    changes: Optional[_TaskChanges] = None
    # Every partition is read, even one without sentences this round: a Python worker whose input was not read to the
    # end is not reused, and the next task then pays for a new process, its imports and its model.
    for copy, held in groupby(partitions, key=lambda triple: copy_of(triple[0], settings.partitions, settings.copies)):
        shares = [round_slice(tokens, offsets, round_index, settings.rounds, settings.stripes)
                  for _, tokens, offsets in held]
        shares = [share for share in shares if len(share[0])]
        if not shares:
            continue
        # One corpus, one train() call: the learning rate falls once over the copy's round, not once a partition.
        share_tokens, share_offsets = concatenate_sentences(shares)
        if changes is None:
            changes = _TaskChanges(_executor_model(vocabulary_broadcast, settings), weights.value)
        _train_share(changes.model, settings, epoch, round_index, start_alpha, end_alpha, copy, share_tokens,
                     share_offsets)
        changes.fold(len(share_tokens))
    if changes is not None:
        yield changes.summed()


class _TaskChanges:
    """The changes of a round's model copies that one task trains, each from the round's weights (``initial``): the
    executor's model starts from them, and after each copy its changed rows are added to float32 sums and the model
    set back (``_core.fold_row_changes``), so the next copy starts from them too."""

    def __init__(self, model: LocalWord2Vec, initial: Dict[str, np.ndarray]):
        self.model, self.initial, self.words = model, initial, 0
        for layer in _LAYERS:
            np.copyto(_layer(model, layer), initial[layer])
        self.sums = {layer: np.zeros(initial[layer].shape, dtype=np.float32) for layer in _LAYERS}
        self.touches = {layer: np.zeros(len(initial[layer]), dtype=np.int32) for layer in _LAYERS}

    def fold(self, words: int) -> None:
        """Adds the copy just trained, of ``words`` words, to the sums and sets the model back."""
        self.words += words
        for layer in _LAYERS:
            _core.fold_row_changes(_layer(self.model, layer), self.initial[layer], self.sums[layer],
                                   self.touches[layer])

    def summed(self) -> dict:
        """The rows some copy changed, with their summed deltas and how many copies changed each."""
        changes: Dict[str, object] = {"words": self.words}
        for layer in _LAYERS:
            rows = np.flatnonzero(self.touches[layer]).astype(np.int32)
            changes[layer] = RowDeltas(rows, self.sums[layer][rows], self.touches[layer][rows])
        return changes


def _train_share(model: LocalWord2Vec, settings: TrainingSettings, epoch: int, round_index: int, start_alpha: float,
                 end_alpha: float, copy: int, tokens: np.ndarray, offsets: np.ndarray) -> None:
    """Trains ``model`` on one model copy's share of a round, ``(tokens, offsets)``, at least one sentence."""
    from w2vfast import IdCorpus

    # A random stream of its own for every copy and round, so copies do not draw the same samples.
    model.seed = (settings.seed + 7919 * copy) % 2**31
    model._rng_stream = epoch * settings.rounds + round_index
    corpus = IdCorpus(tokens, offsets, model.wv.index_to_key, counts=model.wv.expandos["count"])
    model.train(corpus, total_words=len(tokens), epochs=1, start_alpha=start_alpha, end_alpha=end_alpha,
                progress=False)


# The executor's model and the vocabulary's word -> id map, built once per Python worker and fit (Spark reuses Python
# workers across tasks), so that a round does not rebuild the Huffman tree and noise tables. Only the latest fit's
# are kept.
_EXECUTOR_CACHE: Dict[Tuple[str, str], object] = {}

# mallopt's parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def _cached(kind: str, vocabulary_name: str, build):
    key = (kind, vocabulary_name)
    if key not in _EXECUTOR_CACHE:
        for stale in [key for key in _EXECUTOR_CACHE if key[1] != vocabulary_name]:
            del _EXECUTOR_CACHE[stale]
        _EXECUTOR_CACHE[key] = build()
    return _EXECUTOR_CACHE[key]


def _key_to_index(vocabulary_name: str, words) -> Dict[str, int]:
    return _cached("key_to_index", vocabulary_name, lambda: {word: index for index, word in enumerate(words)})


def _executor_model(vocabulary_broadcast, settings: TrainingSettings) -> LocalWord2Vec:
    vocabulary_name, words, counts = vocabulary_broadcast.value

    def build() -> LocalWord2Vec:
        _keep_freed_memory()
        model = LocalWord2Vec(**settings.model_arguments, min_count=0, progress=False)
        return model.build_vocab_from_freq(dict(zip(words, counts.tolist())))

    return _cached("model", vocabulary_name, build)


def _keep_freed_memory() -> None:
    """Makes glibc's malloc keep the memory this process frees (an executor's Python worker; nothing elsewhere).

    Every round a task unpickles the broadcast weights and forms, converts and pickles its deltas: a model's worth of
    fresh memory, which glibc returns to the system when freed and the next round takes back a page fault at a time.
    Forming the deltas, 3-5 ms of arithmetic, took a median 0.04 s and up to 0.33 s in those faults (sg-hs, all of
    gcide, 2 partitions; docs/spark.md); with the memory kept, 0.01 s. The worker holds the memory until it exits, as
    it holds the model's cached copy (Spark ends a Python worker idle for a minute).
    """
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return
    libc = ctypes.CDLL(None)
    libc.mallopt(_M_TRIM_THRESHOLD, 2**31 - 1)  # never give the top of the heap back
    libc.mallopt(_M_MMAP_THRESHOLD, 2**30)      # arrays up to a GiB from the heap, not from mmap and back


def merge_changes(first: Optional[dict], second: Optional[dict]) -> Optional[dict]:
    """Two model copies' (or partial sums') changes summed, row by row; None stands for no changes."""
    if first is None or second is None:
        return second if first is None else first
    merged: Dict[str, object] = {"words": first["words"] + second["words"]}
    for layer in _LAYERS:
        merged[layer] = _merge_rows(first[layer], second[layer])
    return merged


def _merge_rows(first: RowDeltas, second: RowDeltas) -> RowDeltas:
    # Each side's rows are sorted and distinct (_TaskChanges.summed, and the sum's own output), which the engine's sum
    # walks in one pass.
    return RowDeltas(*_core.sum_row_deltas(*first, *second))


# roundsPerEpoch=0 ("auto"), by mode: (most model copies, rounds an epoch) in turn, the first whose most copies the
# fit's copies do not exceed (None: any number). Each the fewest of 4, 8 and 16 rounds that kept one process's quality
# (analogies within a point, WordSim353 within 0.02) on gcide, seeds 1-3 (docs/spark.md "How the defaults were
# chosen"). MLlib's algorithm: 4 up to 4 copies, where 2 scored as 4 at 2 copies and 4 held one process's quality at
# 4, and 16 beyond: at 8, 12 and 16 copies 4 rounds scored below MLlib's WordSim353 (at 8 on all of gcide, not on its
# first 63,000 lines), 16 above MLlib in both measures. Skip-gram's other modes: 8 at 2 to 16 copies (with negative
# sampling 4 lost 0.2-0.6 points at 4 to 16 partitions in 2 copies). CBOW with negative sampling: 8 up to 4 copies
# (within 0.2 points of one process and above its WordSim353 in 2 and 4 copies, each round a slice of 16 stripes, in
# about half the time of 16), 16 beyond (8 left it 0.026 below at 16 copies). CBOW with hierarchical softmax: 16 (8
# left it 0.6-1.0 points below in 2 copies, 1.0-1.1 in 4).
AUTO_ROUNDS: Dict[str, Tuple[Tuple[Optional[int], int], ...]] = {
    "MLlib's algorithm": ((4, 4), (None, 16)),
    "skip-gram": ((None, 8),),
    "CBOW, negative sampling": ((4, 8), (None, 16)),
    "CBOW, hierarchical softmax": ((None, 16),),
}


def is_mllib_algorithm(sg: int, hs: int, negative: int) -> bool:
    """Whether the mode is MLlib's algorithm: skip-gram, hierarchical softmax, no negative sampling."""
    return bool(sg and hs and not negative)


def resolve_rounds(rounds: int, sg: int, hs: int, negative: int, copies: int) -> int:
    """The rounds per epoch ``roundsPerEpoch`` stands for with ``copies`` model copies: 1 with one copy; otherwise
    itself when positive, and when 0 ("auto") the mode's number for that many copies in ``AUTO_ROUNDS``."""
    if copies == 1:
        # Rounds combine copies; one copy's rounds would only cost a Spark job each (sg-hs on gcide's first 63,000
        # lines, seeds 1-3: an epoch a round scored 0.541 WordSim353 as one process with one thread does, 4 rounds
        # 0.531, in 12.5-14.2 s against 14.6-16.5 s; docs/spark.md).
        return 1
    if rounds:
        return rounds
    if is_mllib_algorithm(sg, hs, negative):
        mode = "MLlib's algorithm"
    else:
        mode = "skip-gram" if sg else "CBOW, hierarchical softmax" if hs else "CBOW, negative sampling"
    return next(auto for most_copies, auto in AUTO_ROUNDS[mode] if most_copies is None or copies <= most_copies)


def resolve_weighting(weighting: str, sg: int, hs: int, negative: int) -> str:
    """The rule ``deltaWeighting="auto"`` stands for: "updates" for MLlib's algorithm (skip-gram, hierarchical
    softmax, no negative sampling), where it held more copies than "curvature"; "curvature" for every other mode,
    which "updates" does not hold (docs/spark.md)."""
    if weighting != "auto":
        return weighting
    return "updates" if is_mllib_algorithm(sg, hs, negative) else "curvature"


class DeltaCombiner:
    """Adds a round's summed deltas to the driver's model, weighted by ``deltaWeighting`` (the estimator passes it
    resolved; "auto" is resolved here for the model's mode).

    Built once per fit: the expected updates of each row in one model copy's share of a round, and for "curvature"
    the weights of the rows each layer is trained against, come from the vocabulary's counts.
    """

    def __init__(self, model: LocalWord2Vec, weighting: str, copies: int, rounds: int):
        self.weighting = resolve_weighting(weighting, model.sg, model.hs, model.negative)
        self.copies = copies
        shares = copies * rounds
        updates = expected_updates(model)
        self.round_updates = {layer: layer_updates / shares for layer, layer_updates in updates.items()}
        self.saturation = dict.fromkeys(_LAYERS, SATURATION_SCALE)
        self.saturation["syn1"] *= max(1.0, rounds / INNER_NODE_SATURATION_ROUNDS) ** 0.5
        self.partners = update_partners(model, updates) if self.weighting == "curvature" else {}

    def apply(self, model: LocalWord2Vec, changes: dict, alpha: float) -> None:
        """Adds ``changes`` (summed deltas and copy counts per layer) to ``model``; ``alpha`` is the round's
        mean learning rate."""
        # "curvature" weighs each layer by where the others' rows ended, so all are computed before any is added.
        moments = _PartnerMoments(model, changes)
        combined = {layer: self._combined(model, changes, layer, alpha, moments) for layer in _LAYERS}
        for layer in _LAYERS:
            _layer(model, layer)[changes[layer][0]] += combined[layer]
        for layer in _LAYERS:
            if not all_finite(_layer(model, layer)):
                raise FloatingPointError(
                    f"training diverged: {layer} holds NaN or infinite values; use a smaller stepSize"
                )

    def _combined(self, model: LocalWord2Vec, changes: dict, layer: str, alpha: float,
                  moments: "_PartnerMoments") -> np.ndarray:
        rows, deltas, touches = changes[layer]
        if not len(rows):
            return deltas
        if self.weighting == "touched":
            return deltas / touches[:, None].astype(np.float32)
        if self.weighting == "mean":
            return deltas / np.float32(self.copies)
        if self.weighting == "sum":
            return deltas
        if self.weighting == "curvature":
            return self._curvature_weighted(changes, layer, alpha, moments)
        # "updates": a row updated a few times a round moves along its gradient (the copies' deltas add up, as in
        # one process); one updated thousands of times converges within the round, so that each copy's delta is
        # the whole way to a common target (adding them would overshoot k-fold: average them). The more copies'
        # deltas are summed, each computed from the same start without the others' updates, the fewer updates it
        # takes for their sum to overshoot: hence k squared.
        copies_changed = touches.astype(np.float64)
        converged = -np.expm1(-self.round_updates[layer][rows] * copies_changed**2 / self.saturation[layer])
        return deltas / (1.0 + (copies_changed - 1) * converged)[:, None].astype(np.float32)

    def _curvature_weighted(self, changes: dict, layer: str, alpha: float, moments: "_PartnerMoments") -> np.ndarray:
        # Near a row's target its loss is a quadratic whose curvature, per update, is alpha * SIGMOID_SLOPES[layer]
        # times the second moment of the rows it is trained against. Along an eigenvector of that moment with
        # eigenvalue lambda, u updates shrink the distance to the target by exp(-z), z = u * alpha * slope * lambda;
        # k copies from the same start each move it by (1 - exp(-z)), one process through all their updates by
        # (1 - exp(-k z)). Scaling the summed deltas by the ratio sums the directions that move little (the words'
        # meanings) and averages those that converge within a round: for negative sampling the rows' shared
        # component, which every noise draw pulls on and which a per-row rule sums into divergence. The moments are
        # taken where the copies left the rows on average, so that the first round, in which the rows grow
        # from nothing, is weighed by the curvature they reach.
        moment = sum(moments.of(partner, weights) for partner, weights in self.partners[layer])
        eigenvalues, eigenvectors = np.linalg.eigh(moment)
        curvature = alpha * SIGMOID_SLOPES[layer] * np.maximum(eigenvalues[::-1], 0.0)  # the stiffest direction first
        eigenvectors = np.ascontiguousarray(eigenvectors[:, ::-1], dtype=np.float32)
        rows, deltas, touches = changes[layer]
        updates = self.round_updates[layer][rows]
        # The factor is 1 - (k - 1) z / 2 for small z, so a row is only projected onto the directions where z exceeds
        # NEGLIGIBLE_CONVERGENCE (a prefix of them), and a row that one copy changed not at all.
        stiff = np.searchsorted(-curvature, -NEGLIGIBLE_CONVERGENCE / np.maximum(updates, 1e-300))
        stiff[touches <= 1] = 0
        combined = deltas.copy()
        # Rows in groups projected onto a power of two of directions, enough for every row of the group.
        group = np.where(stiff > 0, np.minimum(2 ** np.ceil(np.log2(np.maximum(stiff, 1))), len(curvature)), 0)
        for directions in np.unique(group[group > 0]).astype(int):
            members = np.flatnonzero(group == directions)
            basis = eigenvectors[:, :directions]
            for start in range(0, len(members), CURVATURE_CHUNK_ROWS):
                chunk = members[start : start + CURVATURE_CHUNK_ROWS]
                k = touches[chunk].astype(np.float32)[:, None]
                z = np.maximum(updates[chunk, None] * curvature[None, :directions], 1e-12).astype(np.float32)
                factor = np.expm1(-k * z) / (k * np.expm1(-z))
                combined[chunk] += ((deltas[chunk] @ basis) * (factor - 1.0)) @ basis.T
        return combined


class _PartnerMoments:
    """The second moments of a round's partner layers (:func:`_second_moment`), each formed once a round: with
    ``hs=1`` and ``negative > 0``, syn1neg and syn1 are both trained against the input vectors, weighted alike."""

    def __init__(self, model: LocalWord2Vec, changes: dict):
        self._model = model
        self._changes = changes
        self._formed: List[Tuple[str, np.ndarray, np.ndarray]] = []

    def of(self, partner: str, weights: np.ndarray) -> np.ndarray:
        """The d x d second moment of ``partner``'s rows weighted by ``weights``."""
        for formed_partner, formed_weights, moment in self._formed:
            if formed_partner == partner and formed_weights is weights:
                return moment
        moment = _second_moment(self._model, self._changes[partner], partner, weights)
        self._formed.append((partner, weights, moment))
        return moment


def update_partners(model: LocalWord2Vec, updates: Dict[str, np.ndarray]) -> Dict[str, list]:
    """For each layer, the layers its rows are trained against and how often each of their rows is, per update (per
    prediction for an input vector, per change for an output row): an input vector against the predicted word's
    output vector and ``negative`` noise words' with negative sampling, and the inner nodes on the predicted word's
    path with ``hs=1``; an output vector or inner node against input vectors in proportion to their counts.
    ``updates`` are the layers' :func:`expected_updates`."""
    counts = np.asarray(model.wv.expandos["count"], dtype=np.float64)
    unigram = counts / counts.sum()
    vocabulary = model._vocabulary
    assert vocabulary is not None
    partners: Dict[str, list] = {"vectors": []}
    if model.negative:
        partners["vectors"].append(("syn1neg", unigram + model.negative * vocabulary.noise_probabilities()))
        partners["syn1neg"] = [("vectors", unigram)]
    if model.hs:
        partners["vectors"].append(("syn1", updates["syn1"] / updates["vectors"].sum()))
        partners["syn1"] = [("vectors", unigram)]
    return partners


def _second_moment(model: LocalWord2Vec, changes: RowDeltas, layer: str, weights: np.ndarray) -> np.ndarray:
    """The weighted second moment of ``layer``'s rows where the copies left them on average: the round's start
    plus each changed row's mean delta."""
    matrix = _layer(model, layer)
    rows, deltas, touches = changes
    moment = np.zeros((matrix.shape[1], matrix.shape[1]))
    scale = np.sqrt(weights).astype(np.float32)[:, None]
    for start in range(0, len(matrix), CURVATURE_CHUNK_ROWS):
        stop = min(start + CURVATURE_CHUNK_ROWS, len(matrix))
        ends = matrix[start:stop].copy()
        first, last = np.searchsorted(rows, [start, stop])
        ends[rows[first:last] - start] += deltas[first:last] / touches[first:last, None].astype(np.float32)
        ends *= scale[start:stop]
        moment += ends.T @ ends
    return moment
