"""Corpora: where sentences come from and how they reach the engine.

w2vfast trains on three kinds of input, each read without loading the corpus into memory:

* ``corpus_file``: text files, one sentence per line, words separated by ASCII whitespace (space, tab, newline,
  carriage return, vertical tab, form feed). A single path, a list of paths, or a directory (every regular file
  in it whose name does not start with a dot, in name order). Files compressed with gzip, bzip2 or xz are
  recognised by their first bytes and decompressed on the fly. Words are byte strings: any encoding passes
  through, and bytes that are not valid UTF-8 reach Python as lone surrogates (``errors="surrogateescape"``), so
  every distinct byte string stays a distinct word and is written back unchanged.
* ``sentences``: any re-iterable of token lists (lists, tuples or any iterable of str), such as a list,
  :class:`LineSentence` or gensim's ``LineSentence``. The engine reads the tokens (their UTF-8 bytes) and counts
  them, and converts batches of sentences into word ids while its threads train on earlier batches; a token that
  is not a str raises ``TypeError`` naming it and its position.
* :class:`IdCorpus`: token ids in NumPy arrays (CSR style) for users who tokenise themselves; the engine reads the
  arrays in place.

Sentences longer than 10,000 words are trained as consecutive chunks of 10,000 words, never cut short.
"""

from __future__ import annotations

import bz2
import gzip
import itertools
import lzma
import os
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Union

import numpy as np

from . import _core

__all__ = ["IdCorpus", "LineSentence"]

PathLike = Union[str, os.PathLike]

class IdCorpus:
    """A corpus already turned into word ids, held in NumPy arrays (compressed sparse rows).

    Sentence ``s`` is ``tokens[offsets[s]:offsets[s + 1]]``; each token is an index into ``words``. Training reads
    ``tokens`` in place, with no per-sentence Python objects, so a corpus of billions of tokens costs only its array.

    Parameters
    ----------
    tokens : numpy.ndarray
        1-D int32 or int64 array of word ids, ``0 <= id < len(words)``.
    offsets : numpy.ndarray
        1-D integer array of ``len(sentences) + 1`` sentence boundaries: starts at 0, never decreases, ends at
        ``len(tokens)``.
    words : sequence of str
        The word of each id.
    counts : numpy.ndarray, optional
        The corpus count of each word, used to build the vocabulary. Counted from ``tokens`` when not given.

    Examples
    --------
    >>> words = ["the", "cat", "sat", "dog", "barked"]
    >>> corpus = IdCorpus(np.array([0, 1, 2, 0, 3, 4]), np.array([0, 3, 6]), words)
    >>> model = Word2Vec(corpus, min_count=1)

    Iterating an ``IdCorpus`` yields its sentences as lists of words, so it can be given to gensim as well.
    """

    def __init__(self, tokens, offsets, words: Sequence[str], counts=None):
        tokens = np.asarray(tokens)
        if tokens.ndim != 1 or tokens.dtype not in (np.int32, np.int64):
            raise ValueError(f"tokens must be a 1-d int32 or int64 array, got {tokens.dtype} of shape {tokens.shape}")
        self.tokens = np.ascontiguousarray(tokens)
        offsets = np.asarray(offsets)
        if offsets.ndim != 1 or len(offsets) < 1 or not np.issubdtype(offsets.dtype, np.integer):
            raise ValueError("offsets must be a 1-d integer array of len(sentences) + 1 boundaries")
        self.offsets = np.ascontiguousarray(offsets, dtype=np.int64)
        if self.offsets[0] != 0 or self.offsets[-1] != len(self.tokens):
            raise ValueError(
                f"offsets must start at 0 and end at len(tokens) = {len(self.tokens)}, "
                f"got {self.offsets[0]} ... {self.offsets[-1]}"
            )
        if np.any(self.offsets[1:] < self.offsets[:-1]):
            raise ValueError("offsets must be non-decreasing")
        self.words = list(words)
        if len(set(self.words)) != len(self.words):
            raise ValueError("words must be distinct")
        if len(self.tokens) and (self.tokens.min() < 0 or self.tokens.max() >= len(self.words)):
            raise ValueError(
                f"token ids must lie in [0, {len(self.words)}), got ids from {self.tokens.min()} to {self.tokens.max()}"
            )
        if counts is None:
            counts = np.bincount(self.tokens, minlength=len(self.words))
        counts = np.asarray(counts)
        if counts.shape != (len(self.words),) or (len(counts) and counts.min() < 0):
            raise ValueError(f"counts must hold one non-negative count per word ({len(self.words)})")
        self.counts = counts.astype(np.uint64)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __iter__(self) -> Iterator[List[str]]:
        words = self.words
        for start, end in zip(self.offsets[:-1], self.offsets[1:]):
            yield [words[i] for i in self.tokens[start:end]]

    def id_map(self, key_to_index: Dict[str, int], index_to_key: Optional[Sequence[str]] = None) -> np.ndarray:
        """This corpus's ids mapped to a model's vocabulary: its index of each word, -1 for words it lacks.

        Training calls it; the arrays of the corpus are not changed.

        Parameters
        ----------
        key_to_index : dict of (str, int)
            A vocabulary's row of each word, such as ``model.wv.key_to_index``.
        index_to_key : sequence of str, optional
            The same vocabulary's words in the order of their rows (``model.wv.index_to_key``). A corpus whose
            ``words`` are these, numbered as the model is (as w2vfast.spark numbers each round's sentences), then maps
            to itself without a lookup of every word.

        Returns
        -------
        numpy.ndarray
            ``len(words)`` int32 ids: entry ``i`` is the vocabulary's id of ``words[i]``, or -1.
        """
        if index_to_key is not None and len(index_to_key) == len(self.words) and self.words == list(index_to_key):
            return np.arange(len(self.words), dtype=np.int32)
        lookups = map(key_to_index.get, self.words, itertools.repeat(-1))
        return np.fromiter(lookups, dtype=np.int32, count=len(self.words))


class LineSentence:
    """Sentences of a text file, one per line, words separated by ASCII whitespace: as ``corpus_file`` reads it.

    Files compressed with gzip, bzip2 or xz (by file name ending ``.gz``, ``.bz2``, ``.xz``) are decompressed.
    Lines longer than ``max_sentence_length`` words are yielded in pieces of that length.

    Parameters
    ----------
    source : str or path
        The file.
    max_sentence_length : int, default 10000
        The longest sentence yielded; longer lines are yielded in pieces (the engine trains them the same way).
    limit : int, optional
        Read only the first ``limit`` lines.

    Examples
    --------
    >>> from w2vfast import LineSentence, Word2Vec
    >>> model = Word2Vec(LineSentence("corpus.txt.gz"))
    """

    def __init__(self, source: PathLike, max_sentence_length: int = _core.MAX_SENTENCE_WORDS,
                 limit: Optional[int] = None):
        self.source = os.fspath(source)
        self.max_sentence_length = int(max_sentence_length)
        self.limit = limit

    def __iter__(self) -> Iterator[List[str]]:
        openers: Dict[str, Callable[..., Any]] = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
        opener = openers.get(os.path.splitext(self.source)[1], open)
        with opener(self.source, "rb") as lines:
            for line in itertools.islice(lines, self.limit):
                # bytes.split() splits on exactly the engine's six ASCII whitespace bytes (str.split() on more).
                words = [word.decode("utf-8", "surrogateescape") for word in line.split()]
                for start in range(0, len(words), self.max_sentence_length):
                    yield words[start : start + self.max_sentence_length]


def corpus_file_paths(corpus_file) -> List[str]:
    """The files of a ``corpus_file`` argument: a path, a directory, or a list of paths."""
    if isinstance(corpus_file, (list, tuple)):
        if not corpus_file:
            raise ValueError("corpus_file is an empty list")
        paths = [os.fspath(path) for path in corpus_file]
    else:
        path = os.fspath(corpus_file)
        if os.path.isdir(path):
            paths = sorted(
                os.path.join(path, name)
                for name in os.listdir(path)
                if not name.startswith(".") and os.path.isfile(os.path.join(path, name))
            )
            if not paths:
                raise ValueError(f"corpus_file directory {path!r} holds no files")
        else:
            paths = [path]
    for path in paths:
        if not os.path.exists(path):
            raise FileNotFoundError(f"corpus_file {path!r} does not exist")
        if not os.path.isfile(path):
            raise ValueError(f"corpus_file {path!r} is not a regular file")
    return paths


def check_reiterable(corpus, epochs: int) -> None:
    if epochs > 1 and iter(corpus) is corpus:
        raise TypeError(
            "sentences is an iterator (such as a generator), which can be iterated only once, but training needs a "
            "pass for the vocabulary and one per epoch: pass a list or a re-iterable object such as LineSentence"
        )
