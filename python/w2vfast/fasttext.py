"""FastText: word vectors built from the word and its character n-grams, so that unseen words get vectors too.

:class:`FastText` trains the model of Bojanowski et al. (2017), "Enriching Word Vectors with Subword Information", on
the engine that trains :class:`~w2vfast.Word2Vec`, with gensim's parameter names::

    >>> from w2vfast import FastText
    >>> model = FastText(corpus_file="corpus.txt", vector_size=100, min_n=3, max_n=6)
    >>> model.wv.most_similar("walking")
    >>> model.wv["walkinggg"]          # a word never seen: the mean of its n-grams' vectors

A word's input vector is the mean of its own row (``wv.vectors_vocab``) and the rows of its character n-grams: the
word wrapped in ``<`` and ``>``, every substring of ``min_n`` to ``max_n`` characters, each hashed (fastText's
FNV-1a) into one of ``bucket`` rows of ``wv.vectors_ngrams``. Training updates both matrices; ``wv.vectors``, which
queries use, holds each vocabulary word's composed vector, recomputed after every epoch.

:func:`~w2vfast.load_facebook_model`, :func:`~w2vfast.load_facebook_vectors` and
:func:`~w2vfast.save_facebook_model` read and write fastText's
own ``.bin`` format (:mod:`w2vfast.fasttext_format`), so models move between w2vfast, fastText and gensim.
"""

from __future__ import annotations

import logging
import os
from typing import Dict, List, Optional, Sequence

import numpy as np

from . import _core, fasttext_format, persistence
from ._arrays import aligned_vstack, aligned_zeros, row_aligned_vstack
from ._checks import check_int
from .keyedvectors import Key, KeyedVectors
from .word2vec import Word2Vec, _initial_vectors, _NOT_SAVED

__all__ = ["FastText", "FastTextKeyedVectors", "load_facebook_model", "load_facebook_vectors", "save_facebook_model"]

logger = logging.getLogger(__name__)


class FastTextKeyedVectors(KeyedVectors):
    """Word vectors with character n-gram vectors: a vector for any word that has an n-gram, seen in training or not.

    Parameters
    ----------
    vector_size : int
        Dimensionality of the vectors.
    min_n, max_n : int
        The lengths, in characters, of the n-grams (of the word wrapped in ``<`` and ``>``).
    bucket : int
        The number of n-gram rows; n-grams are hashed into them. ``0`` means no n-grams: plain word vectors.
    count : int, optional
        Number of word rows to allocate up front (zeros).

    Attributes
    ----------
    vectors : numpy.ndarray
        Each vocabulary word's vector, as queries use it: the mean of its own row and its n-grams' rows (fastText's
        and gensim's composition). With ``bucket=0`` it is ``vectors_vocab`` itself.
    vectors_vocab : numpy.ndarray
        The words' own rows, ``(len(self), vector_size)``, the ones training updates.
    vectors_ngrams : numpy.ndarray
        The n-gram rows, ``(bucket, vector_size)``.
    min_n, max_n, bucket : int
        As given.

    Notes
    -----
    ``word in wv`` is true for a vocabulary word and for any word with at least one n-gram (nearly every word when
    ``bucket > 0``), and ``wv[word]`` then returns a vector; ``wv.has_index_for(word)`` and ``word in
    wv.key_to_index`` say whether the word is in the vocabulary. Unlike gensim, which returns a vector of zeros for
    a word without n-grams, such a word raises ``KeyError``.

    Examples
    --------
    >>> wv = model.wv
    >>> wv.most_similar("cheeses")
    >>> "chesses" in wv.key_to_index, "chesses" in wv   # (False, True): unseen, but it has n-grams
    >>> wv.similarity("cheese", "chesses")
    """

    def __init__(self, vector_size: int, min_n: int, max_n: int, bucket: int, count: int = 0):
        super().__init__(vector_size, count)
        self.min_n, self.max_n, self.bucket = int(min_n), int(max_n), int(bucket)
        self.vectors_vocab = self.vectors
        # np.zeros is lazily allocated: untouched pages of a large bucket cost no memory.
        self.vectors_ngrams = aligned_zeros((self.bucket, self.vector_size))
        self._subwords: Optional[_core.Subwords] = None

    # ---------------------------------------------------------------- n-grams

    @property
    def subwords(self) -> _core.Subwords:
        """The engine's n-gram table of the vocabulary (hashing lives in C++ only), built on first use.

        Returns
        -------
        w2vfast._core.Subwords
            Its ``ngram_ids(word)`` gives the n-gram rows of any word, ``vocabulary_ngrams()`` those of every
            vocabulary word.
        """
        if self._subwords is None:
            counts = self.expandos.get("count", np.ones(len(self), dtype=np.int64))
            counts = np.maximum(np.asarray(counts, dtype=np.int64), 1).astype(np.uint64)
            words = _core.WordCounts(self.index_to_key, counts, total_words=int(counts.sum()), total_sentences=0)
            vocabulary = _core.Vocabulary(words, ns_exponent=0.75, sample=0.0, hs=False)
            self._subwords = _core.Subwords(vocabulary, self.min_n, self.max_n, self.bucket)
        return self._subwords

    def _use_subwords(self, subwords: _core.Subwords) -> None:
        """Takes the training vocabulary's n-gram table (the same words in the same order)."""
        self._subwords = subwords

    def ngram_rows(self, word: str) -> np.ndarray:
        """The rows of ``vectors_ngrams`` that ``word``'s character n-grams hash to, in fastText's order.

        Parameters
        ----------
        word : str
            Any word, in the vocabulary or not.

        Returns
        -------
        numpy.ndarray
            int32 row numbers, one per n-gram (repeated where n-grams share a bucket); empty without n-grams.
        """
        if self.bucket == 0 or self.max_n == 0:
            return np.zeros(0, dtype=np.int32)
        return self.subwords.ngram_ids(word)

    def adjust_vectors(self) -> None:
        """Recomputes ``vectors`` from ``vectors_vocab`` and ``vectors_ngrams`` (gensim's name).

        Training calls it after every epoch; call it after changing either matrix yourself.
        """
        if self.bucket == 0:
            self.vectors = self.vectors_vocab
            return
        offsets, ids = self.subwords.vocabulary_ngrams()
        self.vectors = compose_vectors(self.vectors_vocab, self.vectors_ngrams, offsets, ids)

    # ---------------------------------------------------------------- lookup

    def __contains__(self, key: Key) -> bool:
        """Whether :meth:`get_vector` answers for ``key``: it is in the vocabulary or has at least one n-gram."""
        return key in self.key_to_index or (isinstance(key, str) and len(self.ngram_rows(key)) > 0)

    def __getitem__(self, key_or_keys):
        """The vector of a word, seen or not, or a matrix of vectors for a list of words."""
        if isinstance(key_or_keys, str):
            return self.get_vector(key_or_keys)
        return np.vstack([self.get_vector(key) for key in key_or_keys]).reshape(-1, self.vector_size)

    def get_vector(self, key: Key, norm: bool = False) -> np.ndarray:
        """The vector of a word: its row of ``vectors`` if it is in the vocabulary, else the mean of the vectors of
        its character n-grams, as fastText and gensim compute it.

        Parameters
        ----------
        key : str
            The word.
        norm : bool, default False
            Return the vector scaled to unit length.

        Returns
        -------
        numpy.ndarray
            ``vector_size`` numbers: for a vocabulary word a view into ``vectors`` (unless ``norm``), for
            another word a new array.

        Raises
        ------
        KeyError
            If the word is not in the vocabulary and has no n-gram (it is shorter than ``min_n`` characters with
            its ``<`` ``>`` markers, or the model has no n-grams).
        """
        if key in self.key_to_index:
            return super().get_vector(key, norm=norm)
        rows = self.ngram_rows(key) if isinstance(key, str) else np.zeros(0, dtype=np.int32)
        if not len(rows):
            reason = "the model has no n-grams" if self.bucket == 0 else (
                f"it has no character n-gram of {self.min_n} to {self.max_n} characters")
            raise KeyError(f"Key {key!r} not present in vocabulary, and {reason} to compose a vector from")
        vector = self.vectors_ngrams[rows].mean(axis=0, dtype=np.float32)
        if norm:
            length = np.linalg.norm(vector)
            return vector / length if length > 0 else vector
        return vector

    word_vec = get_vector

    def get_sentence_vector(self, sentence: Sequence[Key]) -> np.ndarray:
        """The mean of the unit vectors of a sentence's words, seen or not (gensim's method).

        Parameters
        ----------
        sentence : sequence of str
            The words; those without any vector are skipped.

        Returns
        -------
        numpy.ndarray
            ``vector_size`` numbers.
        """
        return self.get_mean_vector(sentence)

    def add_vectors(self, keys: Sequence[Key], weights) -> None:
        """Adds words with their vectors, or replaces the vectors of words present. The vectors become the words' own
        rows (``vectors_vocab``) as well as their vectors for queries, until :meth:`adjust_vectors` (or training)
        composes them with the n-gram rows again.

        Parameters
        ----------
        keys : sequence of str
            The words.
        weights : array_like
            Their vectors, ``len(keys) x vector_size`` numbers.
        """
        weights = np.asarray(weights, dtype=np.float32).reshape(len(keys), self.vector_size)
        known = len(self)
        shared = self.vectors is self.vectors_vocab  # no n-grams: one matrix serves both
        super().add_vectors(keys, weights)
        if shared:
            self.vectors_vocab = self.vectors
            return
        for key, vector in zip(keys, weights):
            if self.key_to_index[key] < known:
                self.vectors_vocab[self.key_to_index[key]] = vector
        if len(self) > known:
            self.vectors_vocab = aligned_vstack([self.vectors_vocab, self.vectors[known:]])
        self._subwords = None  # the vocabulary changed: its n-gram table is rebuilt on next use

    # ---------------------------------------------------------------- persistence

    def save(self, fname) -> None:
        """Saves the vectors, the words' own rows and the n-gram rows in w2vfast's native format, atomically.

        :meth:`load` (or ``KeyedVectors.load``) reads them back, with ``mmap`` if wanted; the composed
        ``vectors`` are stored too, so a memory-mapped load answers queries at once. For fastText's ``.vec``
        text format use :meth:`~w2vfast.KeyedVectors.save_word2vec_format` (it writes the composed vectors, as fastText does).

        Parameters
        ----------
        fname : str or path
            The file to write.

        Raises
        ------
        ValueError
            If a vector holds NaN or inf, or a word contains a newline.
        """
        fasttext_format.check_finite_ngrams(self.vectors_ngrams, os.fspath(fname))
        persistence.save_native(fname, "fasttextkeyedvectors", self.index_to_key, self._native_arrays(),
                                self._native_attributes())

    def _native_arrays(self) -> Dict[str, np.ndarray]:
        arrays = {"vectors": self.vectors, "vectors_vocab": self.vectors_vocab, "vectors_ngrams": self.vectors_ngrams}
        if self.vectors is self.vectors_vocab:
            del arrays["vectors_vocab"]  # no n-grams: one matrix
        arrays.update({f"expando:{name}": values for name, values in self.expandos.items()})
        return arrays

    def _native_attributes(self) -> dict:
        return {"vector_size": self.vector_size, "min_n": self.min_n, "max_n": self.max_n, "bucket": self.bucket}

    @classmethod
    def load(cls, fname, mmap: Optional[str] = None) -> "FastTextKeyedVectors":
        """Loads vectors saved by :meth:`save`, or the vectors of a :class:`FastText` model saved by its ``save``.

        Parameters
        ----------
        fname : str or path
            The file.
        mmap : {None, 'r', 'r+', 'c'}
            Memory-map the matrices instead of reading them (see :meth:`KeyedVectors.load`).

        Returns
        -------
        FastTextKeyedVectors
            The vectors, answering for unseen words as before saving.

        Raises
        ------
        ValueError
            If the file does not hold FastText vectors, or is truncated or corrupt.
        """
        name = os.fspath(fname)
        kind, keys, arrays, attributes = persistence.load_native(name, mmap)
        if kind not in persistence.SUBWORD_KINDS:
            raise ValueError(f"{name}: holds {kind!r}, not FastText vectors (use KeyedVectors.load)")
        return cls._from_native(name, keys, arrays, attributes)

    @classmethod
    def _from_native(cls, fname: str, keys: List[Key], arrays: Dict[str, np.ndarray],
                     attributes: dict) -> "FastTextKeyedVectors":
        plain = KeyedVectors._from_arrays(fname, keys, arrays)
        # A model file keeps them among its parameters, a vectors file at the top.
        settings = attributes.get("parameters", attributes)
        try:
            min_n, max_n, bucket = (check_int(field, settings[field], minimum=0)
                                    for field in ("min_n", "max_n", "bucket"))
        except (KeyError, ValueError, TypeError) as error:
            raise ValueError(f"{fname}: the n-gram settings are missing or corrupt ({error})") from None
        wv = cls(plain.vector_size, min_n, max_n, 0)
        wv.bucket = bucket
        wv.index_to_key, wv.key_to_index, wv.expandos = plain.index_to_key, plain.key_to_index, plain.expandos
        wv.vectors = plain.vectors
        wv.vectors_vocab = arrays.get("vectors_vocab", plain.vectors)
        wv.vectors_ngrams = arrays.get("vectors_ngrams", np.zeros((0, wv.vector_size), dtype=np.float32))
        for array_name, rows in (("vectors_vocab", len(keys)), ("vectors_ngrams", bucket)):
            if getattr(wv, array_name).shape != (rows, wv.vector_size):
                raise ValueError(f"{fname}: {array_name} has shape {getattr(wv, array_name).shape}, "
                                 f"not {(rows, wv.vector_size)}")
        return wv

    def __repr__(self) -> str:
        return (f"<{type(self).__name__} of {len(self)} keys x {self.vector_size} dimensions, "
                f"{self.bucket} n-gram buckets, n = {self.min_n}..{self.max_n}>")


def compose_vectors(vectors_vocab: np.ndarray, vectors_ngrams: np.ndarray, offsets: np.ndarray,
                    ids: np.ndarray) -> np.ndarray:
    """Each word's composed vector: the mean of its own row and its n-gram rows (gensim's ``adjust_vectors``).

    Parameters
    ----------
    vectors_vocab : numpy.ndarray
        The words' own rows.
    vectors_ngrams : numpy.ndarray
        The n-gram rows.
    offsets, ids : numpy.ndarray
        Word ``i``'s n-gram rows are ``ids[offsets[i]:offsets[i + 1]]`` (``Subwords.vocabulary_ngrams()``).

    Returns
    -------
    numpy.ndarray
        A new float32 matrix shaped like ``vectors_vocab``: word ``i``'s own row, to which its n-gram rows are added
        one after the other, divided by their number; the same float32 numbers as gensim's ``adjust_vectors``.

    Raises
    ------
    ValueError
        If the shapes or ``offsets`` do not fit together.
    IndexError
        If an id is not a row of ``vectors_ngrams``.
    """
    # In the engine, without the GIL: training composes the vectors after every epoch while its threads wait, so
    # this must cost little next to an epoch (docs/design.md, "Subword vectors").
    return _core.compose_vectors(vectors_vocab, vectors_ngrams, offsets, ids)


class FastText(Word2Vec):
    """FastText (Bojanowski et al. 2017): skip-gram or CBOW whose input vectors are built from character n-grams.

    Takes gensim 4.4's ``FastText`` parameters. Training runs on the :class:`~w2vfast.Word2Vec` engine: a word's
    input vector is the mean of its own row and its n-grams' rows, and each update goes to all of them.

    Parameters
    ----------
    sentences : iterable of list of str, or IdCorpus, optional
        The corpus, as for :class:`~w2vfast.Word2Vec`.
    corpus_file : str, path, list of paths, optional
        The corpus as text files, as for :class:`~w2vfast.Word2Vec` (the fastest input).
    min_n : int, default 3
        The shortest n-grams, in characters (of the word wrapped in ``<`` and ``>``).
    max_n : int, default 6
        The longest n-grams. ``max_n < min_n`` or ``max_n=0`` turns n-grams off (plain word2vec, with
        ``bucket=0``), as in gensim and fastText.
    bucket : int, default 2000000
        The n-gram rows: n-grams are hashed into this many vectors (``bucket x vector_size`` floats of memory).
    word_ngrams : int, default 1
        Only 1: word n-grams belong to fastText's supervised classifier, which unsupervised training ignores.
    shared_negatives : bool, default False
        Unlike :class:`~w2vfast.Word2Vec`, off by default: gensim's algorithm, each (centre, context) pair drawing
        its own noise words. ``True`` (skip-gram with negative sampling only) shares each window's noise words,
        which trains about a quarter faster but measured 1.4 analogy points below gensim's FastText on the
        benchmark (the table in the documentation's FastText page), where word2vec loses nothing. ``None``:
        Word2Vec's rule (on wherever it applies).
    **parameters
        Every other parameter of :class:`~w2vfast.Word2Vec` (``vector_size``, ``window``, ``min_count``, ``sg``,
        ``hs``, ``negative``, ``sample``, ``alpha``, ``epochs``, ``workers``, ``seed``, ``callbacks``,
        ``compute_loss``, ``progress``, ...), with its meaning and default; like :class:`~w2vfast.Word2Vec`,
        w2vfast defaults to skip-gram (``sg=1``) where gensim defaults to CBOW.

    Attributes
    ----------
    wv : FastTextKeyedVectors
        The vectors: ``wv.vectors`` (composed, for queries), ``wv.vectors_vocab`` and ``wv.vectors_ngrams`` (the
        rows training updates), and vectors for unseen words from their n-grams.
    syn1neg, syn1 : numpy.ndarray
        The output weights, as in :class:`~w2vfast.Word2Vec`.

    Examples
    --------
    >>> model = FastText(corpus_file="corpus.txt", vector_size=100, window=5, min_count=5, epochs=5)
    >>> model.wv.most_similar("unbelievably")
    >>> model.wv.similarity("colour", "colourfull")    # an unseen misspelling
    >>> model.save("model.w2vf"); model = FastText.load("model.w2vf")
    >>> save_facebook_model(model, "model.bin")       # for fastText and gensim
    """

    _kind = "fasttext"
    wv: FastTextKeyedVectors
    # fastText's own Huffman tree (its buildTree is word2vec.c's), which fastText rebuilds from the words of a .bin
    # file: the rows of syn1 that save_facebook_model() writes stay on the inner nodes they trained, in fastText and
    # in load_facebook_model() alike.
    _huffman_ties = "word2vec"

    # Keyword-only after the corpus: gensim's third positional parameter is sg, which must not land in min_n.
    def __init__(self, sentences: Optional[Sequence[List[str]]] = None, corpus_file=None, *, min_n: int = 3,
                 max_n: int = 6, bucket: int = 2000000, word_ngrams: int = 1, shared_negatives: Optional[bool] = False,
                 **parameters):
        self.min_n = check_int("min_n", min_n, minimum=0)
        self.max_n = check_int("max_n", max_n, minimum=0)
        # fastText stores the bucket count as an int32.
        self.bucket = check_int("bucket", bucket, minimum=0)
        if self.bucket > 2**31 - 1:
            raise ValueError(f"bucket must be < 2**31 (fastText stores it as an int32), got {bucket}")
        if check_int("word_ngrams", word_ngrams, minimum=1) != 1:
            raise ValueError(f"word_ngrams must be 1, got {word_ngrams}: word n-grams are a feature of fastText's "
                             "supervised classifier, which unsupervised training ignores")
        self.word_ngrams = 1
        self.bucket = _buckets_used(self.min_n, self.max_n, self.bucket)
        unknown = set(parameters) - set(Word2Vec._parameter_names()) - {"callbacks"}
        if unknown:
            raise TypeError(f"FastText got unexpected parameters: {', '.join(sorted(unknown))}")
        super().__init__(sentences, corpus_file, shared_negatives=shared_negatives, **parameters)
        if self._vocabulary is None:
            self.wv = FastTextKeyedVectors(self.vector_size, self.min_n, self.max_n, self.bucket)

    @classmethod
    def _parameter_names(cls) -> List[str]:
        return Word2Vec._parameter_names() + ["min_n", "max_n", "bucket", "word_ngrams"]

    # ---------------------------------------------------------------- vocabulary and weights

    def _set_vocab(self, kept: _core.WordCounts) -> None:
        super()._set_vocab(kept)
        wv = FastTextKeyedVectors(self.vector_size, self.min_n, self.max_n, self.bucket)
        wv.index_to_key, wv.key_to_index, wv.expandos = self.wv.index_to_key, self.wv.key_to_index, self.wv.expandos
        wv.vectors_vocab = self.wv.vectors
        if self.bucket:
            # gensim's initialisation: uniform in [-1, 1) / vector_size, like the words' rows, from the next seed.
            rng = np.random.default_rng(self.seed + 1)
            wv.vectors_ngrams = _initial_vectors(rng, self.bucket, self.vector_size)
            wv._use_subwords(self._new_subwords())
        wv.adjust_vectors()
        self.wv = wv

    def _update_vocab(self, counted: _core.WordCounts) -> None:
        super()._update_vocab(counted)  # new words get their own rows; the n-gram rows stay
        if self.bucket:
            self.wv._use_subwords(self._new_subwords())
        self.wv.adjust_vectors()

    def _new_subwords(self) -> _core.Subwords:
        assert self._vocabulary is not None
        return _core.Subwords(self._vocabulary, self.min_n, self.max_n, self.bucket)

    # ---------------------------------------------------------------- training

    def _training_pass(self, config, vocabulary, corpus, words_done_before: int) -> _core.TrainingPass:
        if not self.bucket:
            return super()._training_pass(config, vocabulary, corpus, words_done_before)
        return _core.TrainingPass(
            config, vocabulary, self.wv.vectors_vocab, self.syn1neg, self.syn1, corpus,
            words_done_before=words_done_before, rng_stream=self._rng_stream,
            subwords=self.wv.subwords, ngram_vectors=self.wv.vectors_ngrams,
        )

    def _train_pass(self, config, vocabulary, corpus, sentences, words_done_before: int, report) -> _core.EpochResult:
        try:
            return super()._train_pass(config, vocabulary, corpus, sentences, words_done_before, report)
        finally:
            # Queries, callbacks and an interrupted training see the composed vectors of the rows as they stand.
            self.wv.adjust_vectors()

    # ---------------------------------------------------------------- persistence

    def _saved_arrays(self) -> Dict[str, np.ndarray]:
        fasttext_format.check_finite_ngrams(self.wv.vectors_ngrams, "the model")
        arrays = super()._saved_arrays()
        arrays.update(self.wv._native_arrays())
        return arrays

    def _restore_vectors(self, fname: str, keys: List[str], arrays: Dict[str, np.ndarray], attributes: dict) -> None:
        self.wv = FastTextKeyedVectors._from_native(fname, keys, arrays, attributes)

    @classmethod
    def load(cls, fname, mmap: Optional[str] = None) -> "FastText":
        """Loads a model saved by ``save`` (:meth:`w2vfast.Word2Vec.save`), ready to answer queries and, unless
        mapped read-only, to train.

        Parameters
        ----------
        fname : str or path
            The file.
        mmap : {None, 'r', 'r+', 'c'}
            Memory-map the matrices instead of reading them.

        Returns
        -------
        FastText
            The model.

        Raises
        ------
        ValueError
            If the file is not a saved FastText model, or is truncated or corrupt.
        """
        model = super().load(fname, mmap)
        assert isinstance(model, FastText)
        if model._vocabulary is not None and model.bucket:
            model.wv._use_subwords(model._new_subwords())
        return model

    def __repr__(self) -> str:
        return (f"FastText<vocab={len(self.wv)}, vector_size={self.vector_size}, window={self.window}, sg={self.sg}, "
                f"hs={self.hs}, negative={self.negative}, min_n={self.min_n}, max_n={self.max_n}, "
                f"bucket={self.bucket}>")


# -------------------------------------------------------------------- fastText's .bin format


def load_facebook_model(path, encoding: str = "utf-8") -> FastText:
    """Loads a model from fastText's ``.bin`` format (written by fastText, gensim or :func:`save_facebook_model`),
    ready to answer queries and to continue training.

    Parameters
    ----------
    path : str or path
        The ``.bin`` file.
    encoding : str, default "utf-8"
        The words' encoding.

    Returns
    -------
    FastText
        The model, with fastText's settings where w2vfast has them (dimension, window, epochs, ``min_count``,
        negatives, loss, skip-gram or CBOW, ``sample``, ``min_n``, ``max_n``, ``bucket``); the learning rate, which
        the file does not hold, is the default.

    Raises
    ------
    ValueError
        If the file is not an unsupervised fastText model (a supervised or quantised one, another file), is
        truncated or corrupt, or was trained with a loss w2vfast does not train (softmax, one-vs-all: use
        :func:`load_facebook_vectors` for its vectors).

    Examples
    --------
    >>> model = load_facebook_model("cc.en.300.bin")
    >>> model.build_vocab(corpus_file="more.txt", update=True)
    >>> model.train(corpus_file="more.txt", total_words=model.corpus_total_words, epochs=1)
    """
    name = os.fspath(path)
    stored = fasttext_format.read_facebook_model(name, encoding, full_model=True)
    if stored.loss not in (fasttext_format.LOSS_HS, fasttext_format.LOSS_NS):
        raise ValueError(f"{name}: trained with fastText's {fasttext_format.loss_name(stored.loss)} loss, which "
                         "w2vfast does not train; load_facebook_vectors reads its vectors")
    hs = stored.loss == fasttext_format.LOSS_HS
    model = FastText(
        vector_size=stored.dim, window=stored.ws, epochs=stored.epoch, min_count=stored.min_count,
        negative=0 if hs else stored.neg, hs=int(hs), sg=int(stored.model == fasttext_format.MODEL_SKIPGRAM),
        sample=stored.t, min_n=stored.minn, max_n=stored.maxn, bucket=stored.bucket,
    )
    words = _core.WordCounts(stored.words, stored.counts.astype(np.uint64), total_words=stored.ntokens,
                             total_sentences=0)
    model._vocabulary = model._new_vocabulary(words)
    model.corpus_total_words = stored.ntokens
    model.wv = _vectors_of(stored, model.bucket, model._new_subwords() if model.bucket else None)
    assert stored.output is not None
    if hs:
        model.syn1 = row_aligned_vstack([stored.output])  # with its rows on cache lines, as build_vocab makes them
    else:
        model.syn1neg = row_aligned_vstack([stored.output])
    return model


def load_facebook_vectors(path, encoding: str = "utf-8") -> FastTextKeyedVectors:
    """Loads the word and n-gram vectors of a fastText ``.bin`` file (not its output layer: no further training).

    Parameters
    ----------
    path : str or path
        The ``.bin`` file.
    encoding : str, default "utf-8"
        The words' encoding.

    Returns
    -------
    FastTextKeyedVectors
        The vectors, answering for unseen words from their n-grams as fastText does.

    Raises
    ------
    ValueError
        If the file is not an unsupervised fastText model, or is truncated or corrupt.

    Examples
    --------
    >>> wv = load_facebook_vectors("cc.en.300.bin")
    >>> wv.most_similar("unbelievabley")
    """
    stored = fasttext_format.read_facebook_model(os.fspath(path), encoding, full_model=False)
    return _vectors_of(stored, _buckets_used(stored.minn, stored.maxn, stored.bucket), None)


def _buckets_used(min_n: int, max_n: int, bucket: int) -> int:
    """``bucket``, or 0 when no n-gram length lies in ``min_n..max_n`` (gensim's rule: no n-grams, no rows)."""
    return bucket if max_n >= max(min_n, 1) else 0


def _vectors_of(stored: fasttext_format.FacebookModel, bucket: int,
                subwords: Optional[_core.Subwords]) -> FastTextKeyedVectors:
    wv = FastTextKeyedVectors(stored.dim, stored.minn, stored.maxn, 0)
    wv.bucket = bucket
    wv.index_to_key = list(stored.words)
    wv.key_to_index = {word: index for index, word in enumerate(stored.words)}
    wv.expandos["count"] = stored.counts
    wv.vectors_vocab = stored.vectors_vocab
    if bucket:
        wv.vectors_ngrams = stored.vectors_ngrams
    if subwords is not None:
        wv._use_subwords(subwords)
    wv.adjust_vectors()
    return wv


def save_facebook_model(model: FastText, path, encoding: str = "utf-8", lr_update_rate: int = 100,
                        word_ngrams: int = 1) -> None:
    """Saves a :class:`FastText` model in fastText's ``.bin`` format, atomically, for fastText and gensim.

    Parameters
    ----------
    model : FastText
        The model; it must train one loss (``hs=1, negative=0``, or ``hs=0``), as fastText does.
    path : str or path
        The file to write (conventionally ``*.bin``).
    encoding : str, default "utf-8"
        The words' encoding.
    lr_update_rate : int, default 100
        Stored for fastText, which reads it (w2vfast does not use it).
    word_ngrams : int, default 1
        Stored for fastText, which reads it (unsupervised models ignore it).

    Raises
    ------
    ValueError
        If the model trains both losses, has no vocabulary, holds NaN or inf, or a word cannot be stored (empty, or
        with whitespace or a NUL).

    Examples
    --------
    >>> save_facebook_model(model, "model.bin")
    >>> import fasttext; fasttext.load_model("model.bin").get_word_vector("king")
    """
    name = os.fspath(path)
    if model.hs and model.negative:
        raise ValueError(f"{name}: fastText trains one loss; this model trains both hierarchical softmax and "
                         f"negative sampling (hs=1, negative={model.negative})")
    if not len(model.wv):
        raise ValueError(f"{name}: the model has no vocabulary to save: call build_vocab() first")
    wv = model.wv
    stored = fasttext_format.FacebookModel(
        dim=model.vector_size, ws=model.window, epoch=model.epochs, min_count=model.min_count, neg=model.negative,
        word_ngrams=word_ngrams, loss=fasttext_format.LOSS_HS if model.hs else fasttext_format.LOSS_NS,
        model=fasttext_format.MODEL_SKIPGRAM if model.sg else fasttext_format.MODEL_CBOW,
        # Without buckets fastText must see maxn 0, or it would hash n-grams modulo 0.
        bucket=wv.bucket, minn=wv.min_n, maxn=wv.max_n if wv.bucket else 0, lr_update_rate=lr_update_rate,
        t=model.sample, words=wv.index_to_key, counts=wv.expandos.get("count", np.zeros(len(wv), dtype=np.int64)),
        ntokens=model.corpus_total_words, vectors_vocab=wv.vectors_vocab, vectors_ngrams=wv.vectors_ngrams,
        output=model.syn1 if model.hs else model.syn1neg,
    )
    fasttext_format.write_facebook_model(name, stored, encoding)
