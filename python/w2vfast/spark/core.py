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
from typing import Dict, Iterator, Optional, Tuple

import numpy as np
from pyspark import StorageLevel
from pyspark.sql import DataFrame

from ..word2vec import Word2Vec as LocalWord2Vec
from .data import Vocabulary, check_sentences, count_vocabulary, round_slice, sentences_to_ids

__all__ = ["fit_local_model", "TrainingSettings"]

logger = logging.getLogger(__name__)

# The weight matrices a round updates, by their Word2Vec attribute.
_LAYERS = ("vectors", "syn1neg", "syn1")

# A partition's (or a sum of partitions') changes to one matrix: the rows, their summed deltas, and how many
# partitions changed each row.
RowDeltas = Tuple[np.ndarray, np.ndarray, np.ndarray]

MISSING_W2VFAST = (
    "w2vfast is not installed in the Python of this Spark executor ({error}). Each executor must be able to import "
    "w2vfast, a compiled extension that spark-submit --py-files cannot carry: pip install w2vfast on every node, "
    "or ship an environment archive (venv-pack or conda-pack) with --archives and point "
    "spark.pyspark.python at its Python. See the w2vfast documentation, 'Training on Spark'."
)


class TrainingSettings:
    """What the executors need to build their local model: w2vfast.Word2Vec's keyword arguments and the schedule."""

    def __init__(self, model_arguments: dict, epochs: int, rounds: int, alpha: float, min_alpha: float,
                 max_sentence_length: int, seed: int, weighting: str):
        self.model_arguments = model_arguments
        self.epochs = epochs
        self.rounds = rounds
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.max_sentence_length = max_sentence_length
        self.seed = seed
        self.weighting = weighting

    def round_alphas(self, epoch: int, round_index: int) -> Tuple[float, float]:
        """The learning rate at the start and end of a round: the linear decay of one process, cut into rounds."""
        steps = self.epochs * self.rounds
        done = epoch * self.rounds + round_index
        decay = self.alpha - self.min_alpha
        return self.alpha - decay * done / steps, self.alpha - decay * (done + 1) / steps


def fit_local_model(dataset: DataFrame, column: str, num_partitions: int, min_count: int, max_final_vocab: int,
                    settings: TrainingSettings) -> LocalWord2Vec:
    """Trains on ``dataset[column]`` across the cluster and returns the driver's model."""
    spark = dataset.sparkSession
    context = spark.sparkContext
    check_sentences(dataset, column)
    vocabulary = count_vocabulary(dataset, column, min_count)
    model = LocalWord2Vec(**settings.model_arguments, min_count=0,
                          max_final_vocab=max_final_vocab or None, progress=False)
    if not vocabulary.words:
        raise ValueError(f"the vocabulary is empty: no word of inputCol {column!r} occurs minCount={min_count} times")
    model.build_vocab_from_freq(vocabulary.word_freq())
    kept = Vocabulary(model.wv.index_to_key, np.asarray(model.wv.expandos["count"]))
    logger.info("vocabulary: %d words of %d with minCount=%d", len(kept.words), len(vocabulary.words), min_count)

    # The executors' caches are keyed by this fit's own name for the vocabulary (a worker-side Broadcast has no id).
    vocabulary_broadcast = context.broadcast((uuid.uuid4().hex, kept.words, kept.counts))
    max_sentence_length = settings.max_sentence_length
    sentences = dataset.select(column).rdd.map(lambda row: row[0])
    if sentences.getNumPartitions() != num_partitions:
        sentences = sentences.repartition(num_partitions)

    def to_ids(rows):
        name, words, _ = vocabulary_broadcast.value
        key_to_index = _key_to_index(name, words)
        return sentences_to_ids(rows, key_to_index, max_sentence_length)

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
    for epoch in range(settings.epochs):
        for round_index in range(settings.rounds):
            start = time.perf_counter()
            start_alpha, end_alpha = settings.round_alphas(epoch, round_index)
            weights = context.broadcast({layer: _layer(model, layer) for layer in _LAYERS})
            task = _RoundTask(vocabulary_broadcast, weights, settings, epoch, round_index, start_alpha, end_alpha)
            try:
                changes = corpus.mapPartitionsWithIndex(task).treeAggregate(None, _merge, _merge)
            finally:
                weights.destroy()
            if changes is not None:  # None: no partition had sentences in this round (a tiny corpus)
                _apply(model, changes, settings.weighting, partitions)
            logger.info(
                "epoch %d round %d: alpha %.5f-%.5f, %d words trained, %.2fs", epoch + 1, round_index + 1,
                start_alpha, end_alpha, changes["words"] if changes else 0, time.perf_counter() - start,
            )
    model.epochs_trained = settings.epochs


def _layer(model: LocalWord2Vec, layer: str) -> np.ndarray:
    return model.wv.vectors if layer == "vectors" else getattr(model, layer)


class _RoundTask:
    """One partition's work in a round (a picklable callable for ``mapPartitionsWithIndex``)."""

    def __init__(self, vocabulary_broadcast, weights, settings: TrainingSettings, epoch: int, round_index: int,
                 start_alpha: float, end_alpha: float):
        self.vocabulary_broadcast = vocabulary_broadcast
        self.weights = weights
        self.settings = settings
        self.epoch = epoch
        self.round_index = round_index
        self.start_alpha = start_alpha
        self.end_alpha = end_alpha

    def __call__(self, partition: int, arrays: Iterator[Tuple[np.ndarray, np.ndarray]]) -> Iterator[dict]:
        try:
            from w2vfast import IdCorpus
        except ImportError as error:
            raise RuntimeError(MISSING_W2VFAST.format(error=error)) from error
        settings = self.settings
        # Read to the end even though a partition holds one pair: a Python worker whose input was not read to the
        # end is not reused, and the next task then pays for a new process, its imports and its model.
        (tokens, offsets), = list(arrays)
        tokens, offsets = round_slice(tokens, offsets, self.round_index, settings.rounds)
        if not len(tokens):
            return
        model = _executor_model(self.vocabulary_broadcast, settings)
        initial = self.weights.value
        for layer in _LAYERS:
            np.copyto(_layer(model, layer), initial[layer])
        # A random stream of its own for every partition and round, so partitions do not draw the same samples.
        model.seed = (settings.seed + 7919 * partition) % 2**31
        model._rng_stream = self.epoch * settings.rounds + self.round_index
        corpus = IdCorpus(tokens, offsets, model.wv.index_to_key, counts=model.wv.expandos["count"])
        model.train(corpus, total_words=len(tokens), epochs=1, start_alpha=self.start_alpha,
                    end_alpha=self.end_alpha, progress=False)
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


def _merge(first: Optional[dict], second: Optional[dict]) -> Optional[dict]:
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


def _apply(model: LocalWord2Vec, changes: dict, weighting: str, partitions: int) -> None:
    """Adds a round's summed deltas to the driver's model, weighted by ``weighting``."""
    for layer in _LAYERS:
        rows, deltas, touches = changes[layer]
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
