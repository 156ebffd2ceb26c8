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

# deltaWeighting "curvature": a row's loss curves, per update along a direction, by the learning rate times its
# layer's factor here times that direction's eigenvalue of the second moment of the rows it is trained against. The
# factors stand for the mean slope of the sigmoid at the scores training meets; measured on gcide (docs/spark.md):
# the output layers' smaller factor holds WordSim353, the input vectors' larger one the analogies.
SIGMOID_SLOPES = {"vectors": 1.6, "syn1neg": 0.2, "syn1": 0.2}

# The "curvature" rule treats a direction as straight for a row when its convergence in a round, z, is below this: the
# factor it would get differs from 1 by (k - 1) z / 2 at most.
NEGLIGIBLE_CONVERGENCE = 1e-3

# Rows combined at a time by the "curvature" rule, to bound the driver's temporary memory on large vocabularies.
CURVATURE_CHUNK_ROWS = 65536

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
    combiner = DeltaCombiner(model, settings.weighting, corpus.getNumPartitions(), settings.rounds)
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
            combining = time.perf_counter()
            if changes is not None:  # None: no partition had sentences in this round (a tiny corpus)
                combiner.apply(model, changes, (start_alpha + end_alpha) / 2)
            logger.info(
                "epoch %d round %d: alpha %.5f-%.5f, %d words trained, %.2fs (combining %s: %.2fs)", epoch + 1,
                round_index + 1, start_alpha, end_alpha, changes["words"] if changes else 0,
                time.perf_counter() - start, combiner.weighting, time.perf_counter() - combining,
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


def resolve_weighting(weighting: str, sg: int, hs: int, negative: int) -> str:
    """The rule ``deltaWeighting="auto"`` stands for: "updates" for MLlib's algorithm (skip-gram, hierarchical
    softmax, no negative sampling), where it held more partitions than "curvature"; "curvature" for every other mode,
    which "updates" does not hold (docs/spark.md)."""
    if weighting != "auto":
        return weighting
    return "updates" if sg and hs and not negative else "curvature"


class DeltaCombiner:
    """Adds a round's summed deltas to the driver's model, weighted by ``deltaWeighting`` (resolved, not "auto").

    Built once per fit: the expected updates of each row in one partition's share of a round, and for "curvature"
    the weights of the rows each layer is trained against, come from the vocabulary's counts.
    """

    def __init__(self, model: LocalWord2Vec, weighting: str, partitions: int, rounds: int):
        self.weighting = resolve_weighting(weighting, model.sg, model.hs, model.negative)
        self.partitions = partitions
        shares = partitions * rounds
        updates = expected_updates(model)
        self.round_updates = {layer: layer_updates / shares for layer, layer_updates in updates.items()}
        self.partners = update_partners(model, updates) if self.weighting == "curvature" else {}

    def apply(self, model: LocalWord2Vec, changes: dict, alpha: float) -> None:
        """Adds ``changes`` (summed deltas and partition counts per layer) to ``model``; ``alpha`` is the round's
        mean learning rate."""
        # "curvature" weighs each layer by where the others' rows ended, so all are computed before any is added.
        combined = {layer: self._combined(model, changes, layer, alpha) for layer in _LAYERS}
        for layer in _LAYERS:
            _layer(model, layer)[changes[layer][0]] += combined[layer]
        for layer in _LAYERS:
            if not np.isfinite(_layer(model, layer).sum(dtype=np.float64)):
                raise FloatingPointError(
                    f"training diverged: {layer} holds NaN or infinite values; use a smaller stepSize"
                )

    def _combined(self, model: LocalWord2Vec, changes: dict, layer: str, alpha: float) -> np.ndarray:
        rows, deltas, touches = changes[layer]
        if not len(rows):
            return deltas
        if self.weighting == "touched":
            return deltas / touches[:, None].astype(np.float32)
        if self.weighting == "mean":
            return deltas / np.float32(self.partitions)
        if self.weighting == "sum":
            return deltas
        if self.weighting == "curvature":
            return self._curvature_weighted(model, changes, layer, alpha)
        # "updates": a row updated a few times a round moves along its gradient (the partitions' deltas add up, as in
        # one process); one updated thousands of times converges within the round, so that each partition's delta is
        # the whole way to a common target (adding them would overshoot k-fold: average them). The more partitions'
        # deltas are summed, each computed from the same start without the others' updates, the fewer updates it
        # takes for their sum to overshoot: hence k squared.
        partitions_changed = touches.astype(np.float64)
        converged = -np.expm1(-self.round_updates[layer][rows] * partitions_changed**2 / SATURATION_SCALE)
        return deltas / (1.0 + (partitions_changed - 1) * converged)[:, None].astype(np.float32)

    def _curvature_weighted(self, model: LocalWord2Vec, changes: dict, layer: str, alpha: float) -> np.ndarray:
        # Near a row's target its loss is a quadratic whose curvature, per update, is alpha * SIGMOID_SLOPES[layer]
        # times the second moment of the rows it is trained against. Along an eigenvector of that moment with
        # eigenvalue lambda, u updates shrink the distance to the target by exp(-z), z = u * alpha * slope * lambda;
        # k partitions from the same start each move it by (1 - exp(-z)), one process through all their updates by
        # (1 - exp(-k z)). Scaling the summed deltas by the ratio sums the directions that move little (the words'
        # meanings) and averages those that converge within a round: for negative sampling the rows' shared
        # component, which every noise draw pulls on and which a per-row rule sums into divergence. The moments are
        # taken where the partitions left the rows on average, so that the first round, in which the rows grow
        # from nothing, is weighed by the curvature they reach.
        moment = sum(_second_moment(model, changes[partner], partner, weights)
                     for partner, weights in self.partners[layer])
        eigenvalues, eigenvectors = np.linalg.eigh(moment)
        curvature = alpha * SIGMOID_SLOPES[layer] * np.maximum(eigenvalues[::-1], 0.0)  # the stiffest direction first
        eigenvectors = np.ascontiguousarray(eigenvectors[:, ::-1], dtype=np.float32)
        rows, deltas, touches = changes[layer]
        updates = self.round_updates[layer][rows]
        # The factor is 1 - (k - 1) z / 2 for small z, so a row is only projected onto the directions where z exceeds
        # NEGLIGIBLE_CONVERGENCE (a prefix of them), and a row that one partition changed not at all.
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
    """The weighted second moment of ``layer``'s rows where the partitions left them on average: the round's start
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
