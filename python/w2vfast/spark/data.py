"""From a DataFrame column of tokenised sentences to what training needs: the input checks, the vocabulary counted
by Spark, and each partition's sentences as NumPy arrays of word ids (:class:`w2vfast.IdCorpus`'s layout).

The sentences' strings are read once, in one task per partition of the DataFrame: it checks the rows, numbers the
partition's words in its own small vocabulary and keeps the sentences as arrays of those numbers. Through Apache Arrow
when the cluster has it (:func:`read_arrow_partition`, whose columns PyArrow encodes without a Python object a
token), else from the rows PySpark unpickles (:func:`read_partition`); both give the same :class:`PartitionWords`.
Everything after that moves numbers: the counts are summed by word across the cluster (:func:`count_vocabulary`), each
partition's local numbers are mapped to the vocabulary's ids (:func:`to_vocabulary_ids`), and the sentences are
dealt into the training partitions as runs of consecutive sentences (:func:`cut_into_runs`), and the partitions
among the model copies that train them (:func:`copy_of`, :func:`join_copy_pieces`).
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from functools import partial
from typing import Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np
from pyspark import RDD
from pyspark.sql import DataFrame
from pyspark.sql.types import ArrayType, StringType

from . import _task

__all__ = ["check_column", "PartitionWords", "read_partition", "read_arrow_partition", "join_arrow_pieces",
           "check_partitions", "count_vocabulary", "Vocabulary", "to_vocabulary_ids", "cut_into_runs", "copy_of",
           "copy_partitions", "join_copy_pieces", "join_pieces", "concatenate_sentences", "round_slice"]


def check_column(dataset: DataFrame, column: str) -> None:
    """Checks that ``dataset`` belongs to a classic Spark session and that ``column`` is a column of it of type
    ``array<string>``; runs no Spark job.

    Raises
    ------
    TypeError
        If ``dataset`` is a Spark Connect DataFrame.
    ValueError
        If the column is missing or not ``array<string>``.
    """
    if type(dataset).__module__.startswith("pyspark.sql.connect."):
        raise TypeError(
            "w2vfast.spark needs a classic Spark session: it trains and transforms through the RDD API and "
            "broadcasts, which Spark Connect does not offer (this DataFrame comes from a Spark Connect session, as "
            "SparkSession.builder.remote(...) makes). Use a session made with SparkSession.builder.master(...)"
        )
    if column not in dataset.columns:
        raise ValueError(f"inputCol {column!r} is not a column of the DataFrame (its columns: {dataset.columns})")
    data_type = dataset.schema[column].dataType
    if not (isinstance(data_type, ArrayType) and isinstance(data_type.elementType, StringType)):
        raise ValueError(
            f"inputCol {column!r} must be array<string> (tokenised sentences, e.g. from pyspark.ml.feature.Tokenizer), "
            f"got {data_type.simpleString()}"
        )


class PartitionWords(NamedTuple):
    """One partition of the DataFrame read by :func:`read_partition`: its words numbered locally, in order of first
    occurrence, and its sentences as arrays of those numbers.

    Parameters
    ----------
    partition : int
        The partition's index in the DataFrame.
    rows : int
        Its rows, null rows included.
    null_rows : int
        Its null rows (which hold no sentence).
    null_tokens : int
        Its null tokens (which are not words).
    words : list of str
        Its distinct words; word ``i`` is local number ``i``.
    counts : numpy.ndarray
        int64, each local word's occurrences in the partition.
    tokens : numpy.ndarray
        int32, the partition's sentences one after another, as local numbers.
    offsets : numpy.ndarray
        int64, where each sentence starts in ``tokens``, and the end: ``len(offsets)`` is the sentences plus one.
    """

    partition: int
    rows: int
    null_rows: int
    null_tokens: int
    words: List[str]
    counts: np.ndarray
    tokens: np.ndarray
    offsets: np.ndarray


def read_partition(index: int, rows: Iterable[Tuple[Optional[List[Optional[str]]]]]) -> Iterator[PartitionWords]:
    """In a task: one partition of ``dataset.select(column)`` as a :class:`PartitionWords`; yields one.

    Null rows and null tokens are counted, not kept, for :func:`check_partitions` to report.
    """
    numbers: Dict[Optional[str], int] = {}
    number = numbers.setdefault
    # 4 and 8 bytes an entry, where a list would hold a Python int for every token of the partition.
    tokens = array("i")
    offsets = array("q", [0])
    row_count = null_rows = 0
    for (sentence,) in rows:
        row_count += 1
        if sentence is None:
            null_rows += 1
            continue
        tokens.extend([number(word, len(numbers)) for word in sentence])
        offsets.append(len(tokens))
    local = np.frombuffer(tokens, dtype=np.int32) if tokens else np.zeros(0, dtype=np.int32)
    counts = np.bincount(local, minlength=len(numbers)).astype(np.int64)
    starts = np.frombuffer(offsets, dtype=np.int64)
    null_tokens = 0
    if None in numbers:  # a null token: not a word, dropped from the sentences
        null = numbers.pop(None)
        null_tokens = int(counts[null])
        keep = local != null
        starts = np.concatenate([[0], np.cumsum(keep)])[starts]
        local = local[keep]
        local[local > null] -= 1
        counts = np.delete(counts, null)
    words = [word for word in numbers if word is not None]
    yield PartitionWords(index, row_count, null_rows, null_tokens, words, counts, local, starts)


# A partition read through Arrow travels back to Python as its pickle in pieces of at most this many bytes: one Arrow
# binary array holds at most 2 GiB, and a partition of a large corpus pickles to more.
ARROW_PIECE_BYTES = 1 << 28


def read_arrow_partition(batches: Iterable, partition: Optional[int] = None) -> Iterator:
    """In a task of ``DataFrame.mapInArrow``: one partition of ``dataset.select(column)``, given as PyArrow record
    batches, as the :class:`PartitionWords` that :func:`read_partition` makes of its rows; yields its pickle in record
    batches of one ``piece`` (binary) each, for :func:`join_arrow_pieces`. ``partition`` is the partition's index,
    by default the task's.

    PyArrow flattens each batch's sentences and numbers their distinct words (``dictionary_encode``, in order of
    first occurrence); only those distinct words become Python strings, where reading rows makes one for every token
    (the 63,000 lines of gcide in docs/spark.md: 0.4-0.6 s against 2.2-2.7 s for iterating the rows alone).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyspark import TaskContext

    numbers: Dict[str, int] = {}
    token_batches: List[np.ndarray] = []  # local numbers, -1 for a null token
    length_batches: List[np.ndarray] = []  # the tokens of each sentence (non-null row), null tokens included
    rows = null_rows = 0
    for batch in batches:
        sentences = batch.column(0)
        rows += len(sentences)
        null_rows += sentences.null_count
        valid = sentences.is_valid().to_numpy(zero_copy_only=False)
        length_batches.append(pc.list_value_length(sentences).to_numpy(zero_copy_only=False)[valid].astype(np.int64))
        encoded = pc.dictionary_encode(pc.list_flatten(sentences))
        first_seen = np.array([numbers.setdefault(word, len(numbers)) for word in encoded.dictionary.to_pylist()]
                              + [-1], dtype=np.int32)  # the last entry: where a null token's -1 lands
        token_batches.append(first_seen[pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)])
    tokens = np.concatenate(token_batches) if token_batches else np.zeros(0, dtype=np.int32)
    lengths = np.concatenate(length_batches) if length_batches else np.zeros(0, dtype=np.int64)
    starts = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(lengths, dtype=np.int64)])
    known = tokens >= 0
    null_tokens = int(len(tokens) - known.sum())
    if null_tokens:  # dropped from the sentences, as read_partition drops them
        starts = np.concatenate([[0], np.cumsum(known)])[starts]
        tokens = tokens[known]
    counts = np.bincount(tokens, minlength=len(numbers)).astype(np.int64)
    if partition is None:
        partition = TaskContext.get().partitionId()
    part = PartitionWords(partition, rows, null_rows, null_tokens, list(numbers), counts, tokens, starts)
    blob = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
    for start in range(0, max(len(blob), 1), ARROW_PIECE_BYTES):
        yield pa.RecordBatch.from_arrays([pa.array([blob[start : start + ARROW_PIECE_BYTES]], pa.binary())],
                                         names=["piece"])


def join_arrow_pieces(rows: Iterable[Tuple[bytes]]) -> Iterator[PartitionWords]:
    """In a task: the :class:`PartitionWords` of a partition from the rows of its pieces, as
    :func:`read_arrow_partition` yielded them (a partition's pieces stay together, in order); yields one per
    partition read."""
    pieces = [bytes(row[0]) for row in rows]
    if pieces:
        yield pickle.loads(b"".join(pieces))


def check_partitions(partitions: Sequence[Tuple[int, int, int, int, int]], column: str) -> List[int]:
    """Checks the DataFrame's partitions as :func:`read_partition` read them, given as ``(index, rows, null_rows,
    null_tokens, tokens)`` each, and returns how many tokens each holds, by partition index.

    Raises
    ------
    ValueError
        If a row or a token is null, or there are no words.
    """
    rows, null_rows, null_tokens = (sum(part[i] for part in partitions) for i in (1, 2, 3))
    if null_rows:
        raise ValueError(
            f"inputCol {column!r} has {null_rows} null rows of {rows}: drop them "
            f"(dataset.dropna(subset=[{column!r}])) or replace them with empty arrays"
        )
    if null_tokens:
        raise ValueError(f"inputCol {column!r} holds {null_tokens} null tokens: every token must be a string")
    partition_tokens = [0] * (1 + max((part[0] for part in partitions), default=-1))
    for part in partitions:
        partition_tokens[part[0]] = part[4]
    if not sum(partition_tokens):
        what = "no rows" if not rows else f"{rows} rows, all empty arrays"
        raise ValueError(f"the DataFrame has no words to train on: inputCol {column!r} has {what}")
    return partition_tokens


def partition_sizes(part: PartitionWords) -> Tuple[int, int, int, int, int]:
    """In a task: what :func:`check_partitions` needs of a partition."""
    return part.partition, part.rows, part.null_rows, part.null_tokens, len(part.tokens)


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


# A word's count across partitions, and where it first occurs: (partition index, token index in the partition).
WordCount = Tuple[int, Tuple[int, int]]


def word_buckets(buckets: int, partitions: Iterable[PartitionWords]
                 ) -> Iterator[Tuple[int, Tuple[int, List[str], np.ndarray, np.ndarray]]]:
    """In a task: each partition's words with their counts and first occurrences, dealt into ``buckets`` by a hash
    of the word that every process computes alike (CRC-32 of its UTF-8, not Python's salted ``hash``), for
    :func:`count_vocabulary`: one record ``(bucket, (partition, words, counts, firsts))`` a bucket, so that the
    shuffle moves a few lists and arrays instead of a pickled tuple for every distinct word."""
    for part in partitions:
        firsts = np.full(len(part.words), len(part.tokens), dtype=np.int64)
        np.minimum.at(firsts, part.tokens, np.arange(len(part.tokens), dtype=np.int64))
        bucket_of = np.fromiter((zlib.crc32(word.encode("utf-8", "surrogatepass")) for word in part.words),
                                dtype=np.int64, count=len(part.words)) % buckets
        order = np.argsort(bucket_of, kind="stable")
        bounds = np.searchsorted(bucket_of[order], np.arange(buckets + 1))
        for bucket in np.flatnonzero(np.diff(bounds)).tolist():
            members = order[bounds[bucket] : bounds[bucket + 1]]
            words = [part.words[index] for index in members.tolist()]
            yield bucket, (part.partition, words, part.counts[members], firsts[members])


def frequent_words(min_count: int, records: Iterable[Tuple[int, Tuple[int, List[str], np.ndarray, np.ndarray]]]
                   ) -> Iterator[Tuple[str, WordCount]]:
    """In a task: one bucket's words (:func:`word_buckets`) summed over the partitions that hold them, each with its
    earliest first occurrence; yields those seen ``min_count`` times or more."""
    totals: Dict[str, List] = {}
    for _, (partition, words, counts, firsts) in records:
        for word, count, first in zip(words, counts.tolist(), firsts.tolist()):
            total = totals.get(word)
            if total is None:
                totals[word] = [count, (partition, first)]
            else:
                total[0] += count
                total[1] = min(total[1], (partition, first))
    for word, (count, first_occurrence) in totals.items():
        if count >= min_count:
            yield word, (count, first_occurrence)


def count_vocabulary(partitions: RDD, min_count: int) -> Vocabulary:
    """Sums the words' counts of ``partitions`` (an RDD of :class:`PartitionWords`) across the cluster and returns
    the words seen ``min_count`` times or more.

    Only those words reach the driver. The order is w2vfast's: descending count, and words of equal count in the
    order of their first occurrence (partition, then position), as one process reading the DataFrame in order would
    see them. Each partition's words travel in one record per bucket of words (:func:`word_buckets`), and each
    bucket is summed by one task (:func:`frequent_words`), where ``reduceByKey`` would pickle, hash and merge a
    record for every distinct word of every partition (0.65-0.82 s against 0.88-1.05 s on 63,000 lines of gcide in
    2 partitions, docs/spark.md).
    """
    buckets = partitions.getNumPartitions()
    bucketed = partitions.mapPartitions(partial(_task.run, "data.word_buckets", buckets))
    kept = bucketed.partitionBy(buckets, partitionFunc=int).mapPartitions(
        partial(_task.run, "data.frequent_words", max(min_count, 1))
    ).collect()
    kept.sort(key=lambda item: (-item[1][0], item[1][1]))
    return Vocabulary([word for word, _ in kept], np.array([count for _, (count, _) in kept], dtype=np.int64))


def to_vocabulary_ids(part: PartitionWords, key_to_index: Dict[str, int], max_sentence_length: int
                      ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A partition's sentences in the vocabulary's ids, as ``(tokens, offsets, sentence_starts)``.

    Words outside the vocabulary are dropped first and the rest cut into chunks of ``max_sentence_length``, as
    MLlib does; sentences left empty are skipped. ``sentence_starts`` gives, for each chunk, where the sentence it
    comes from started in the partition's tokens as read (before anything was dropped).
    """
    lookup = np.array([key_to_index.get(word, -1) for word in part.words], dtype=np.int32)
    ids = lookup[part.tokens]
    known = ids >= 0
    kept_before = np.concatenate([[0], np.cumsum(known, dtype=np.int64)])
    starts, ends = kept_before[part.offsets[:-1]], kept_before[part.offsets[1:]]
    chunks = -(-(ends - starts) // max_sentence_length)  # ceil; 0 for a sentence left empty
    first_chunk = np.cumsum(chunks) - chunks
    within = np.arange(int(chunks.sum()), dtype=np.int64) - np.repeat(first_chunk, chunks)
    chunk_starts = np.repeat(starts, chunks) + within * max_sentence_length
    offsets = np.append(chunk_starts, kept_before[-1])
    return ids[known], offsets, np.repeat(part.offsets[:-1], chunks)


def cut_into_runs(tokens: np.ndarray, offsets: np.ndarray, sentence_starts: np.ndarray, before: int, total: int,
                  num_partitions: int) -> Iterator[Tuple[int, Tuple[np.ndarray, np.ndarray]]]:
    """A partition's sentences cut into pieces by run: ``run`` is the share of ``num_partitions`` equal shares of all
    ``total`` tokens (as read) in which a sentence starts, ``before`` being the tokens of the partitions before this
    one; yields ``(run, (tokens, offsets))`` for each run the partition has sentences in, offsets from 0."""
    runs = np.minimum((before + sentence_starts) * num_partitions // max(total, 1), num_partitions - 1)
    present = np.unique(runs)  # ascending, as the sentences' runs are
    for run, first, last in zip(present.tolist(), np.searchsorted(runs, present, side="left").tolist(),
                                np.searchsorted(runs, present, side="right").tolist()):
        piece = offsets[first : last + 1]
        yield run, (tokens[piece[0] : piece[-1]], piece - piece[0])


def copy_of(partition: int, partitions: int, copies: int) -> int:
    """The model copy that trains training partition ``partition`` of ``partitions``: the ``copies`` copies take
    consecutive partitions, as even in number as they divide (:func:`copy_partitions`)."""
    return partition * copies // partitions


def copy_partitions(copy: int, partitions: int, copies: int) -> range:
    """The training partitions model copy ``copy`` of ``copies`` trains, the ``partition`` whose :func:`copy_of` is
    ``copy``."""
    return range(-(-copy * partitions // copies), -(-(copy + 1) * partitions // copies))


def join_copy_pieces(partitions: int, copies: int, copy: int,
                     pieces: Iterable[Tuple[int, Tuple[int, Tuple[np.ndarray, np.ndarray]]]]
                     ) -> Iterator[Tuple[int, np.ndarray, np.ndarray]]:
    """In a task: model copy ``copy``'s pieces, given as ``(training partition, (index of the DataFrame partition,
    (tokens, offsets)))``, joined into a ``(partition, tokens, offsets)`` triple for each of its training partitions
    (:func:`join_pieces`), in their order, one without sentences included."""
    by_partition: Dict[int, list] = {partition: [] for partition in copy_partitions(copy, partitions, copies)}
    for partition, piece in pieces:
        by_partition[partition].append(piece)
    for partition, held in by_partition.items():
        yield from join_pieces(partition, held)


def join_pieces(partition: int, pieces: Iterable[Tuple[int, Tuple[np.ndarray, np.ndarray]]]
                ) -> Iterator[Tuple[int, np.ndarray, np.ndarray]]:
    """In a task: training partition ``partition``'s pieces, given as ``(index of the DataFrame partition, (tokens,
    offsets))``, joined in the DataFrame's order into one ``(partition, tokens, offsets)`` triple; yields one. The
    triple keeps its partition's number wherever a round's task finds it."""
    ordered = sorted(pieces, key=lambda piece: piece[0])
    yield (partition, *concatenate_sentences([piece[1] for piece in ordered]))


def concatenate_sentences(pieces: List[Tuple[np.ndarray, np.ndarray]]) -> Tuple[np.ndarray, np.ndarray]:
    """Sentences given in pieces of ``(tokens, offsets)``, offsets from 0, as one ``(tokens, offsets)`` in their
    order; a single piece as it is, none as no sentence."""
    if len(pieces) == 1:
        return pieces[0]
    tokens = [piece[0] for piece in pieces]
    starts = np.cumsum([0] + [len(part) for part in tokens])
    offsets = [np.zeros(1, dtype=np.int64)] + [piece[1][1:] + start for piece, start in zip(pieces, starts)]
    return (np.concatenate(tokens) if tokens else np.zeros(0, dtype=np.int32)), np.concatenate(offsets)


def round_slice(tokens: np.ndarray, offsets: np.ndarray, round_index: int, rounds: int,
                stripes: int = 1) -> Tuple[np.ndarray, np.ndarray]:
    """The sentences a partition trains in round ``round_index`` of ``rounds``: the partition cut into ``stripes``
    equal stripes of tokens, the round's ``1 / rounds`` of each (consecutive sentences), joined in order, as
    ``(tokens, offsets)`` with offsets starting at 0. Over the rounds the slices tile the partition: each sentence is
    trained once, in the round whose slice holds its first token."""
    total, slices = len(tokens), stripes * rounds
    pieces = []
    for stripe in range(stripes):
        index = stripe * rounds + round_index
        first, last = np.searchsorted(offsets, [total * index / slices, total * (index + 1) / slices])
        last = len(offsets) - 1 if index == slices - 1 else last
        first = min(first, last)
        piece = offsets[first : last + 1]
        if len(piece) > 1:
            pieces.append((tokens[piece[0] : piece[-1]], piece - piece[0]))
    return concatenate_sentences(pieces)
