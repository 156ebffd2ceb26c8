"""From a DataFrame column of tokenised sentences to what training needs: the input checks, the vocabulary counted
by Spark, and each partition's sentences as NumPy arrays of word ids (:class:`w2vfast.IdCorpus`'s layout)."""

from __future__ import annotations

from functools import partial
from operator import itemgetter
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

import numpy as np
from pyspark import RDD
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, StringType

from . import _task

__all__ = ["check_sentences", "count_vocabulary", "Vocabulary", "spread_sentences", "number_sentences",
           "sentences_to_ids", "round_slice"]


def check_sentences(dataset: DataFrame, column: str) -> List[int]:
    """Checks that ``column`` holds sentences (``array<string>``, no null rows or tokens) and has words.

    One Spark job, before any training. Returns how many tokens each partition of ``dataset`` holds, by partition
    index (for :func:`spread_sentences`).

    Raises
    ------
    ValueError
        If the column is missing or not ``array<string>``, a row or a token is null, or there are no words.
    """
    if column not in dataset.columns:
        raise ValueError(f"inputCol {column!r} is not a column of the DataFrame (its columns: {dataset.columns})")
    data_type = dataset.schema[column].dataType
    if not (isinstance(data_type, ArrayType) and isinstance(data_type.elementType, StringType)):
        raise ValueError(
            f"inputCol {column!r} must be array<string> (tokenised sentences, e.g. from pyspark.ml.feature.Tokenizer), "
            f"got {data_type.simpleString()}"
        )
    sentences = F.col(column)
    by_partition = dataset.groupBy(F.spark_partition_id().alias("partition")).agg(
        F.count(F.lit(1)).alias("rows"),
        F.sum(F.when(sentences.isNull(), 1).otherwise(0)).alias("null_rows"),
        F.sum(F.size(F.filter(sentences, lambda token: token.isNull()))).alias("null_tokens"),
        F.sum(F.when(sentences.isNull(), 0).otherwise(F.size(sentences))).alias("tokens"),
    ).collect()
    # A partition's sums are null where all its rows are null.
    rows, null_rows, null_tokens = (
        sum(part[name] or 0 for part in by_partition) for name in ("rows", "null_rows", "null_tokens")
    )
    if null_rows:
        raise ValueError(
            f"inputCol {column!r} has {null_rows} null rows of {rows}: drop them "
            f"(dataset.dropna(subset=[{column!r}])) or replace them with empty arrays"
        )
    if null_tokens:
        raise ValueError(f"inputCol {column!r} holds {null_tokens} null tokens: every token must be a string")
    partition_tokens = [0] * (1 + max((part["partition"] for part in by_partition), default=-1))
    for part in by_partition:
        partition_tokens[part["partition"]] = int(part["tokens"] or 0)
    if not sum(partition_tokens):
        what = "no rows" if not rows else f"{rows} rows, all empty arrays"
        raise ValueError(f"the DataFrame has no words to train on: inputCol {column!r} has {what}")
    return partition_tokens


class Vocabulary:
    """The words kept for training, most frequent first, with their counts.

    Parameters
    ----------
    words : list of str
        The words in training order.
    counts : numpy.ndarray
        Each word's number of occurrences.
    """

    def __init__(self, words: List[str], counts: np.ndarray):
        self.words = words
        self.counts = counts

    def word_freq(self) -> Dict[str, int]:
        """The words and counts as :meth:`w2vfast.Word2Vec.build_vocab_from_freq` takes them, in training order."""
        return dict(zip(self.words, self.counts.tolist()))


def count_vocabulary(dataset: DataFrame, column: str, min_count: int) -> Vocabulary:
    """Counts the words of ``column`` on the cluster and returns those seen ``min_count`` times or more.

    Only the vocabulary reaches the driver. The order is w2vfast's: descending count, and words of equal count in
    the order of their first occurrence (row, then position), as one process reading the DataFrame in order would
    see them.
    """
    numbered = dataset.select(F.monotonically_increasing_id().alias("row"), F.posexplode(column).alias("at", "word"))
    counted = numbered.groupBy("word").agg(
        F.count(F.lit(1)).alias("count"), F.min(F.struct("row", "at")).alias("first")
    )
    kept = counted.where(F.col("count") >= max(min_count, 1)).orderBy(F.desc("count"), F.asc("first"))
    rows = kept.select("word", "count").collect()
    return Vocabulary([row["word"] for row in rows], np.array([row["count"] for row in rows], dtype=np.int64))


def spread_sentences(dataset: DataFrame, column: str, num_partitions: int, partition_tokens: List[int]) -> RDD:
    """The sentences of ``column`` cut into ``num_partitions`` runs of consecutive sentences with equal numbers of
    tokens, each run a partition in the DataFrame's order; ``partition_tokens`` are the tokens of each of
    ``dataset``'s partitions, as :func:`check_sentences` returns them.

    Always repartitioned, even when the DataFrame already has ``num_partitions`` partitions: those are whatever its
    source made them (file splits of unequal size, a filter that emptied some), and every round waits for the
    partition with the most words. On 63,000 lines of gcide read by ``spark.read.text`` on ``local[2]``, the two
    partitions held 66% and 34% of the tokens. Runs of consecutive sentences rather than MLlib's round-robin
    (``repartition``): each partition's share of a round is then text of its own, and its changes overlap the other
    partitions' less when they are summed (sg-hs at 8 partitions, seeds 1-3, docs/spark.md: 8.8% analogy accuracy
    dealt round-robin, 12.2% in runs).
    """
    ends = np.cumsum(partition_tokens).tolist()
    starts = [0] + ends[:-1]
    numbered = dataset.select(column).rdd.map(itemgetter(0)).mapPartitionsWithIndex(
        partial(_task.run, "data.number_sentences", starts, ends[-1], num_partitions)
    )
    return numbered.repartitionAndSortWithinPartitions(num_partitions, partitionFunc=itemgetter(0)).values()


def number_sentences(starts: List[int], total: int, num_partitions: int, partition: int,
                     sentences: Iterable[List[str]]) -> Iterator[Tuple[Tuple[int, int, int], List[str]]]:
    """In a task: each sentence of a partition keyed by ``(run, partition, position)``, where ``run`` is the share of
    ``num_partitions`` equal shares of all ``total`` tokens in which the sentence starts, ``starts[partition]`` being
    the tokens before this partition."""
    before = starts[partition] if partition < len(starts) else total
    for position, sentence in enumerate(sentences):
        run = min(before * num_partitions // max(total, 1), num_partitions - 1)
        yield (run, partition, position), sentence
        before += len(sentence)


def sentences_to_ids(
    sentences: Iterable[Optional[List[str]]], key_to_index: Dict[str, int], max_sentence_length: int
) -> Iterator[Tuple[np.ndarray, np.ndarray]]:
    """One partition's sentences as ``(tokens, offsets)`` id arrays; yields one pair.

    Words outside the vocabulary are dropped first and the rest cut into chunks of ``max_sentence_length``, as
    MLlib does; sentences left empty are skipped.
    """
    tokens: List[int] = []
    offsets = [0]
    lookup = key_to_index.get
    for sentence in sentences:
        ids = [index for index in map(lookup, sentence or ()) if index is not None]
        for start in range(0, len(ids), max_sentence_length):
            tokens.extend(ids[start : start + max_sentence_length])
            offsets.append(len(tokens))
    yield np.array(tokens, dtype=np.int32), np.array(offsets, dtype=np.int64)


def round_slice(tokens: np.ndarray, offsets: np.ndarray, round_index: int, rounds: int) -> Tuple[np.ndarray, np.ndarray]:
    """The sentences a partition trains in round ``round_index`` of ``rounds``: consecutive sentences holding about
    ``1 / rounds`` of its tokens, as ``(tokens, offsets)`` with offsets starting at 0."""
    total = len(tokens)
    first, last = np.searchsorted(offsets, [total * round_index / rounds, total * (round_index + 1) / rounds])
    last = len(offsets) - 1 if round_index == rounds - 1 else last
    first = min(first, last)
    piece = offsets[first : last + 1]
    return tokens[piece[0] : piece[-1]], piece - piece[0]
