"""From a DataFrame column of tokenised sentences to what training needs: the input checks, the vocabulary counted
by Spark, and each partition's sentences as NumPy arrays of word ids (:class:`w2vfast.IdCorpus`'s layout)."""

from __future__ import annotations

from typing import Dict, Iterable, Iterator, List, Optional, Tuple

import numpy as np
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, StringType

__all__ = ["check_sentences", "count_vocabulary", "Vocabulary", "sentences_to_ids", "round_slice"]


def check_sentences(dataset: DataFrame, column: str) -> int:
    """Checks that ``column`` holds sentences (``array<string>``, no null rows or tokens) and has words.

    One Spark job, before any training. Returns the corpus's number of tokens.

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
    summary = dataset.agg(
        F.count(F.lit(1)).alias("rows"),
        F.sum(F.when(sentences.isNull(), 1).otherwise(0)).alias("null_rows"),
        F.sum(F.size(F.filter(sentences, lambda token: token.isNull()))).alias("null_tokens"),
        F.sum(F.when(sentences.isNull(), 0).otherwise(F.size(sentences))).alias("tokens"),
    ).first()
    assert summary is not None
    if summary["null_rows"]:
        raise ValueError(
            f"inputCol {column!r} has {summary['null_rows']} null rows of {summary['rows']}: drop them "
            f"(dataset.dropna(subset=[{column!r}])) or replace them with empty arrays"
        )
    if summary["null_tokens"]:
        raise ValueError(f"inputCol {column!r} holds {summary['null_tokens']} null tokens: every token must be a string")
    if not summary["tokens"]:
        what = "no rows" if not summary["rows"] else f"{summary['rows']} rows, all empty arrays"
        raise ValueError(f"the DataFrame has no words to train on: inputCol {column!r} has {what}")
    return int(summary["tokens"])


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
