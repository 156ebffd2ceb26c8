"""Distributed training: the Spark stages behind :meth:`w2vfast.spark.Word2Vec.fit`.

The driver holds one model. Each round it broadcasts the weights; every partition copies them into a
:class:`w2vfast.Word2Vec` of its own (built once per Python worker from the broadcast vocabulary), trains its share
of the round's sentences with the engine, at the round's slice of the global learning-rate schedule, and returns
the rows it changed as deltas; ``treeReduce`` sums the deltas and counts how many partitions changed each row, and
the driver adds them to its model (see ``deltaWeighting``). An epoch is ``roundsPerEpoch`` rounds.
"""

from __future__ import annotations

import logging
import time
import uuid
from functools import partial
from typing import Dict, Iterator, NamedTuple, Optional, Tuple

import numpy as np
from pyspark import StorageLevel
from pyspark.cloudpickle import register_pickle_by_value
from pyspark.sql import DataFrame

from ..word2vec import Word2Vec as LocalWord2Vec
from . import _task
from .data import Vocabulary, check_sentences, count_vocabulary, round_slice, sentences_to_ids, spread_sentences

__all__ = ["fit_local_model", "TrainingSettings"]

logger = logging.getLogger(__name__)

# Tasks enter through _task.run, shipped by value: see that module.
register_pickle_by_value(_task)

# The weight matrices a round updates, by their Word2Vec attribute.
_LAYERS = ("vectors", "syn1neg", "syn1")

# deltaWeighting "updates": a row's k summed deltas count as converged once its expected updates in one partition's
# share of a round, times k squared, approach this scale (4000 updates at 8 partitions, 1000 at 16); measured on
# gcide, see docs/spark.md.
SATURATION_SCALE = 256000.0

# A partition's (or a sum of partitions') changes to one matrix: the rows, their summed deltas, and how many
# partitions changed each row.
RowDeltas = Tuple[np.ndarray, np.ndarray, np.ndarray]

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


def round_alphas(settings: TrainingSettings, epoch: int, round_index: int) -> Tuple[float, float]:
    """The learning rate at the start and end of a round: the linear decay of one process, cut into rounds."""
    steps = settings.epochs * settings.rounds
    done = epoch * settings.rounds + round_index
    decay = settings.alpha - settings.min_alpha
    return settings.alpha - decay * done / steps, settings.alpha - decay * (done + 1) / steps


def fit_local_model(dataset: DataFrame, column: str, num_partitions: int, min_count: int, max_final_vocab: int,
                    settings: TrainingSettings) -> LocalWord2Vec:
    """Trains on ``dataset[column]`` across the cluster and returns the driver's model."""
    spark = dataset.sparkSession
    context = spark.sparkContext
    start = time.perf_counter()
    partition_tokens = check_sentences(dataset, column)
    logger.info("inputCol checked: %d tokens in %d partitions, %.2fs", sum(partition_tokens), len(partition_tokens),
                time.perf_counter() - start)
    start = time.perf_counter()
    vocabulary = count_vocabulary(dataset, column, min_count)
    model = LocalWord2Vec(**settings.model_arguments, min_count=0,
                          max_final_vocab=max_final_vocab or None, progress=False)
    if not vocabulary.words:
        raise ValueError(f"the vocabulary is empty: no word of inputCol {column!r} occurs minCount={min_count} times")
    model.build_vocab_from_freq(vocabulary.word_freq())
    kept = Vocabulary(model.wv.index_to_key, np.asarray(model.wv.expandos["count"]))
    logger.info("vocabulary: %d words of %d with minCount=%d, %.2fs", len(kept.words), len(vocabulary.words), min_count,
                time.perf_counter() - start)

    # The executors' caches are keyed by this fit's own name for the vocabulary (a worker-side Broadcast has no id).
    vocabulary_broadcast = context.broadcast((uuid.uuid4().hex, kept.words, kept.counts))
    sentences = spread_sentences(dataset, column, num_partitions, partition_tokens)
    to_ids = partial(_task.run, "core.partition_ids", vocabulary_broadcast, settings.max_sentence_length)
    corpus = sentences.mapPartitions(to_ids).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        _train_rounds(model, corpus, vocabulary_broadcast, settings)
    finally:
        corpus.unpersist()
        vocabulary_broadcast.destroy()
    return model


def _train_rounds(model: LocalWord2Vec, corpus, vocabulary_broadcast, settings: TrainingSettings) -> None:
    context = corpus.context
    partitions = corpus.getNumPartitions()
    shares = partitions * settings.rounds
    round_updates = {layer: updates / shares for layer, updates in expected_updates(model).items()}
    for epoch in range(settings.epochs):
        for round_index in range(settings.rounds):
            start = time.perf_counter()
            start_alpha, end_alpha = round_alphas(settings, epoch, round_index)
            weights = context.broadcast({layer: _layer(model, layer) for layer in _LAYERS})
            task = partial(_task.run, "core.train_partition", vocabulary_broadcast, weights, tuple(settings), epoch,
                           round_index, start_alpha, end_alpha)
            merge = partial(_task.run, "core.merge_changes")
            try:
                changes = corpus.mapPartitionsWithIndex(task).treeAggregate(None, merge, merge)
            finally:
                weights.destroy()
            if changes is not None:  # None: no partition had sentences in this round (a tiny corpus)
                _apply(model, changes, settings.weighting, partitions, round_updates)
            logger.info(
                "epoch %d round %d: alpha %.5f-%.5f, %d words trained, %.2fs", epoch + 1, round_index + 1,
                start_alpha, end_alpha, changes["words"] if changes else 0, time.perf_counter() - start,
            )
    model.epochs_trained = settings.epochs


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


def partition_ids(vocabulary_broadcast, max_sentence_length: int, rows) -> Iterator[Tuple[np.ndarray, np.ndarray]]:
    """In a task: a partition's sentences as one pair of id arrays."""
    name, words, _ = vocabulary_broadcast.value
    return sentences_to_ids(rows, _key_to_index(name, words), max_sentence_length)


def train_partition(vocabulary_broadcast, weights, settings_values: tuple, epoch: int, round_index: int,
                    start_alpha: float, end_alpha: float, partition: int, arrays) -> Iterator[dict]:
    """In a task: one partition's share of a round, trained from the broadcast weights; yields the rows it changed."""
    from w2vfast import IdCorpus

    settings = TrainingSettings(*settings_values)

    # Read to the end even though a partition holds one pair: a Python worker whose input was not read to the end
    # is not reused, and the next task then pays for a new process, its imports and its model.
    (tokens, offsets), = list(arrays)
    tokens, offsets = round_slice(tokens, offsets, round_index, settings.rounds)
    if not len(tokens):
        return
    model = _executor_model(vocabulary_broadcast, settings)
    initial = weights.value
    for layer in _LAYERS:
        np.copyto(_layer(model, layer), initial[layer])
    # A random stream of its own for every partition and round, so partitions do not draw the same samples.
    model.seed = (settings.seed + 7919 * partition) % 2**31
    model._rng_stream = epoch * settings.rounds + round_index
    corpus = IdCorpus(tokens, offsets, model.wv.index_to_key, counts=model.wv.expandos["count"])
    model.train(corpus, total_words=len(tokens), epochs=1, start_alpha=start_alpha, end_alpha=end_alpha,
                progress=False)
    changes: Dict[str, object] = {"words": len(tokens)}
    for layer in _LAYERS:
        delta = _layer(model, layer) - initial[layer]
        rows = np.flatnonzero(np.any(delta != 0, axis=1)).astype(np.int32)
        changes[layer] = (rows, delta[rows], np.ones(len(rows), dtype=np.int32))
    yield changes


# The executor's model and the vocabulary's word -> id map, built once per Python worker and fit (Spark reuses Python
# workers across tasks), so that a round does not rebuild the Huffman tree and noise tables. Only the latest fit's
# are kept.
_EXECUTOR_CACHE: Dict[Tuple[str, str], object] = {}


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
        model = LocalWord2Vec(**settings.model_arguments, min_count=0, progress=False)
        return model.build_vocab_from_freq(dict(zip(words, counts.tolist())))

    return _cached("model", vocabulary_name, build)


def merge_changes(first: Optional[dict], second: Optional[dict]) -> Optional[dict]:
    """Two partitions' (or partial sums') changes summed, row by row; None stands for no changes."""
    if first is None or second is None:
        return second if first is None else first
    merged: Dict[str, object] = {"words": first["words"] + second["words"]}
    for layer in _LAYERS:
        merged[layer] = _merge_rows(first[layer], second[layer])
    return merged


def _merge_rows(first: RowDeltas, second: RowDeltas) -> RowDeltas:
    rows, position = np.unique(np.concatenate([first[0], second[0]]), return_inverse=True)
    deltas = np.zeros((len(rows), first[1].shape[1]), dtype=np.float32)
    touches = np.zeros(len(rows), dtype=np.int32)
    # Within one side the rows are distinct, so plain fancy-index additions do not lose repeated indices.
    for side, where in ((first, position[: len(first[0])]), (second, position[len(first[0]) :])):
        deltas[where] += side[1]
        touches[where] += side[2]
    return rows, deltas, touches


def _apply(model: LocalWord2Vec, changes: dict, weighting: str, partitions: int,
           round_updates: Dict[str, np.ndarray]) -> None:
    """Adds a round's summed deltas to the driver's model, weighted by ``weighting``; ``round_updates`` are the
    expected updates of each row in one partition's share of a round."""
    for layer in _LAYERS:
        rows, deltas, touches = changes[layer]
        if weighting == "updates":
            # A row updated a few times a round moves along its gradient (the partitions' deltas add up, as in one
            # process); one updated thousands of times converges within the round, so that each partition's delta
            # is the whole way to a common target (adding them would overshoot k-fold: average them). The more
            # partitions' deltas are summed, each computed from the same start without the others' updates, the
            # fewer updates it takes for their sum to overshoot: hence k squared.
            partitions_changed = touches.astype(np.float64)
            converged = -np.expm1(-round_updates[layer][rows] * partitions_changed**2 / SATURATION_SCALE)
            deltas = deltas / (1.0 + (partitions_changed - 1) * converged)[:, None].astype(np.float32)
        if weighting == "touched":
            deltas = deltas / touches[:, None].astype(np.float32)
        elif weighting == "mean":
            deltas = deltas / np.float32(partitions)
        _layer(model, layer)[rows] += deltas
    for layer in _LAYERS:
        if not np.isfinite(_layer(model, layer).sum(dtype=np.float64)):
            raise FloatingPointError(
                f"training diverged: {layer} holds NaN or infinite values; use a smaller stepSize"
            )
