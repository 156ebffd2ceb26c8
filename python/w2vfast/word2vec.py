"""Training word2vec models: skip-gram with negative sampling on a multithreaded C++ engine.

:class:`Word2Vec` takes gensim's parameter names and defaults (except ``sg=1``: skip-gram is the mode w2vfast
implements), so switching from gensim is a change of import::

    >>> from w2vfast import Word2Vec
    >>> model = Word2Vec(corpus_file="corpus.txt", vector_size=100, window=5, min_count=5, workers=4)
    >>> model.wv.most_similar("king")

or, with a Python iterable of tokenised sentences::

    >>> sentences = [["the", "cat", "sat"], ["the", "dog", "barked"]]
    >>> model = Word2Vec(sentences, min_count=1)

The weights are NumPy float32 arrays that the engine updates in place with the GIL released; ``model.wv.vectors``
is the live input-vector matrix, ``model.syn1neg`` the output (context) vectors.
"""

from __future__ import annotations

import collections
import logging
import numbers
import os
import time
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np

from . import _core, persistence
from .keyedvectors import KeyedVectors

__all__ = ["Word2Vec"]

logger = logging.getLogger(__name__)

# Sentences from a Python iterable are converted to ids and handed to the engine in batches of about this many words.
_BATCH_WORDS = 1 << 20


class Word2Vec:
    """Skip-gram word2vec with negative sampling.

    Parameters
    ----------
    sentences : iterable of list of str, optional
        Tokenised sentences, iterated once to build the vocabulary and once per epoch, so it must be re-iterable (a
        list, or an object whose ``__iter__`` starts over, like gensim's ``LineSentence``), not a generator.
    corpus_file : str or path, optional
        A text file with one sentence per line and words separated by whitespace, read by the engine's threads in
        parallel (each its own byte range). Faster than ``sentences``. Lines longer than 10,000 words are trained
        in chunks of 10,000, not cut.
    vector_size : int
        Dimensionality of the word vectors.
    window : int
        Maximum distance between the centre word and a context word. Each centre word draws its actual window
        uniformly from ``1..window``, as word2vec.c does.
    min_count : int
        Words that occur fewer times are dropped from the vocabulary.
    sample : float
        Subsampling threshold: a word making up a fraction ``f`` of the corpus is kept with probability
        ``(sqrt(f / sample) + 1) * sample / f`` (word2vec.c's formula). ``0`` disables subsampling.
    negative : int
        Number of noise words drawn per (centre, context) pair.
    ns_exponent : float
        Noise words are drawn with probability proportional to ``count ** ns_exponent``.
    alpha, min_alpha : float
        The learning rate decays linearly from ``alpha`` to ``min_alpha`` over all epochs of a :meth:`train` call.
    epochs : int
        Passes over the corpus.
    workers : int, optional
        Training threads; defaults to the number of CPU cores.
    sg : {1}
        Training algorithm; only skip-gram (``1``) is implemented so far.
    hs : {0}
        Hierarchical softmax; not implemented yet, so it must be ``0``.
    seed : int
        Seed of the weight initialisation and of every random draw of training. With ``workers=1`` two runs with the
        same seed give bit-identical vectors; with more workers, thread scheduling makes runs differ slightly.
    max_vocab_size : int, optional
        Bounds memory while counting: whenever more distinct words are held, the rarest are pruned (word2vec.c's
        and gensim's rule). ``None`` means no limit.
    max_final_vocab : int, optional
        Keep at most this many words, raising ``min_count`` as needed (gensim's rule, which never splits words of
        equal count).
    compute_loss : bool
        Record the training loss, see :meth:`get_latest_training_loss`.
    callbacks : sequence, optional
        Objects with any of ``on_train_begin``, ``on_epoch_begin``, ``on_epoch_end``, ``on_train_end`` methods,
        each called with the model.

    Examples
    --------
    >>> model = Word2Vec(corpus_file="text8", workers=4)
    >>> model.wv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)
    """

    def __init__(
        self,
        sentences: Optional[Iterable[List[str]]] = None,
        corpus_file: Optional[str] = None,
        vector_size: int = 100,
        alpha: float = 0.025,
        window: int = 5,
        min_count: int = 5,
        max_vocab_size: Optional[int] = None,
        sample: float = 1e-3,
        seed: int = 1,
        workers: Optional[int] = None,
        min_alpha: float = 0.0001,
        sg: int = 1,
        hs: int = 0,
        negative: int = 5,
        ns_exponent: float = 0.75,
        epochs: int = 5,
        max_final_vocab: Optional[int] = None,
        compute_loss: bool = False,
        callbacks: Sequence = (),
    ):
        self.vector_size = _check_int("vector_size", vector_size, minimum=1)
        self.window = _check_int("window", window, minimum=1)
        self.min_count = _check_int("min_count", min_count, minimum=0)
        self.max_vocab_size = _check_optional_int("max_vocab_size", max_vocab_size, minimum=1)
        self.max_final_vocab = _check_optional_int("max_final_vocab", max_final_vocab, minimum=1)
        self.sample = _check_float("sample", sample, minimum=0.0)
        self.seed = _check_int("seed", seed, minimum=0)
        self.workers = _check_int("workers", (os.cpu_count() or 1) if workers is None else workers, minimum=1)
        self.alpha = _check_float("alpha", alpha, minimum=0.0, inclusive=False)
        self.min_alpha = _check_float("min_alpha", min_alpha, minimum=0.0)
        if sg not in (0, 1) or isinstance(sg, bool):
            raise ValueError(f"sg must be 1 (skip-gram) or 0 (CBOW), got {sg!r}")
        if sg == 0:
            raise ValueError("sg=0 (CBOW) is not implemented yet; use sg=1 (skip-gram)")
        self.sg = 1
        if hs not in (0, 1) or isinstance(hs, bool):
            raise ValueError(f"hs must be 0 or 1, got {hs!r}")
        if hs == 1:
            raise ValueError("hs=1 (hierarchical softmax) is not implemented yet; use hs=0 with negative sampling")
        self.hs = 0
        self.negative = _check_int("negative", negative, minimum=1, hint=" (negative sampling is the only objective)")
        self.ns_exponent = _check_float("ns_exponent", ns_exponent)
        self.epochs = _check_int("epochs", epochs, minimum=0)
        self.compute_loss = bool(compute_loss)
        self.callbacks = tuple(callbacks)

        self.wv = KeyedVectors(self.vector_size)
        self.syn1neg = np.zeros((0, self.vector_size), dtype=np.float32)
        self.corpus_count = 0
        self.corpus_total_words = 0
        self.epochs_trained = 0
        self.train_count = 0
        self.min_alpha_yet_reached = self.alpha
        self.running_training_loss = 0.0
        self._rng_stream = 0  # the engine draws a fresh random stream for every call
        self._noise = None
        self._keep_thresholds = None
        self._word_table = None

        if sentences is not None and corpus_file is not None:
            raise ValueError("give either sentences or corpus_file, not both")
        if sentences is not None or corpus_file is not None:
            self.build_vocab(sentences, corpus_file=corpus_file)
            self.train(sentences, corpus_file=corpus_file, total_words=self.corpus_total_words, epochs=self.epochs)

    # ---------------------------------------------------------------- vocabulary

    def build_vocab(
        self,
        corpus_iterable: Optional[Iterable[List[str]]] = None,
        corpus_file: Optional[str] = None,
        update: bool = False,
    ):
        """Counts the corpus's words, keeps those seen ``min_count`` times or more, and initialises the weights.

        Words are ordered by descending count; words of equal count keep the order of their first occurrence.
        Sets ``corpus_count`` (sentences, i.e. lines) and ``corpus_total_words`` (all tokens, kept or not).
        With ``update=True``, the vocabulary grows instead, as in gensim: known words keep their rows and vectors
        and add the new counts; new words seen ``min_count`` times in this corpus are appended (most frequent
        first) with fresh random vectors, so that :meth:`train` on the new corpus can continue.

        Raises
        ------
        ValueError
            If the corpus is empty, or no word reaches ``min_count``.
        """
        if (corpus_iterable is None) == (corpus_file is None):
            raise ValueError("build_vocab needs exactly one of corpus_iterable and corpus_file")
        if corpus_file is not None:
            path = _check_corpus_file(corpus_file)
            words, counts, total_words, sentences = _core.count_words([path], self.workers, self.max_vocab_size or 0)
        else:
            words, counts, total_words, sentences = _count_sentences(corpus_iterable, self.max_vocab_size)
        if total_words == 0:
            raise ValueError("the corpus is empty: it has no words")
        if update:
            self._add_words(words, np.asarray(counts, dtype=np.uint64), total_words, sentences)
            return self
        distinct_words = len(words)
        most_frequent = int(np.max(counts))
        words, counts = _core.finalize_vocab(words, counts, self.min_count, self.max_final_vocab or 0)
        if not words:
            raise ValueError(
                f"the vocabulary is empty after min_count={self.min_count}: "
                f"the most frequent of the corpus's {distinct_words} words occurs only {most_frequent} times"
            )
        self.corpus_count = int(sentences)
        self.corpus_total_words = int(total_words)
        logger.info(
            "vocabulary: kept %d of %d distinct words; corpus of %d words in %d sentences",
            len(words), distinct_words, total_words, sentences,
        )
        self._set_vocab(words, np.asarray(counts, dtype=np.uint64))
        return self

    def build_vocab_from_freq(self, word_freq: Dict[str, int], corpus_count: Optional[int] = None):
        """Builds the vocabulary from known word counts instead of a pass over the corpus (gensim's method).

        ``min_count`` and ``max_final_vocab`` apply as in :meth:`build_vocab`; words of equal count keep the order
        of ``word_freq``. ``corpus_total_words``, which sets the learning-rate schedule, becomes the sum of all the
        counts, so they should be the counts of the corpus that will be trained on (word2vec.c's ``-read-vocab``).

        Parameters
        ----------
        word_freq : dict of (str, int)
            Each word's number of occurrences in the corpus.
        corpus_count : int, optional
            The corpus's number of sentences, if known (only informational for ``corpus_file`` training).

        Raises
        ------
        ValueError
            If ``word_freq`` is empty, a count is not a non-negative integer, or no word reaches ``min_count``.
        """
        words = list(word_freq)
        if not words:
            raise ValueError("word_freq is empty: the vocabulary needs at least one word")
        counts = [_check_int(f"the count of {word!r}", word_freq[word], minimum=0) for word in words]
        total_words = sum(counts)
        kept_words, kept_counts = _core.finalize_vocab(words, counts, self.min_count, self.max_final_vocab or 0)
        if not kept_words:
            raise ValueError(
                f"the vocabulary is empty after min_count={self.min_count}: "
                f"the most frequent of the {len(words)} words occurs only {max(counts)} times"
            )
        self.corpus_count = 0 if corpus_count is None else _check_int("corpus_count", corpus_count, minimum=0)
        self.corpus_total_words = total_words
        self._set_vocab(kept_words, np.asarray(kept_counts, dtype=np.uint64))
        return self

    def _set_vocab(self, words: List[str], counts: np.ndarray) -> None:
        self.wv = KeyedVectors(self.vector_size)
        self.wv.index_to_key = list(words)
        self.wv.key_to_index = {word: index for index, word in enumerate(words)}
        self.wv.expandos["count"] = counts.astype(np.int64)
        # word2vec.c's initialisation: input vectors uniform in [-0.5, 0.5) / vector_size, output vectors zero.
        rng = np.random.default_rng(self.seed)
        self.wv.vectors = (rng.random((len(words), self.vector_size), dtype=np.float32) - 0.5) / self.vector_size
        self.syn1neg = np.zeros((len(words), self.vector_size), dtype=np.float32)
        self._prepare_sampling()

    def _add_words(self, words: List[str], counts: np.ndarray, total_words: int, sentences: int) -> None:
        """The vocabulary update of ``build_vocab(update=True)``."""
        if self._noise is None:
            raise ValueError("build_vocab(update=True) needs a vocabulary to update: call build_vocab() first")
        rows = np.array([self.wv.key_to_index.get(word, -1) for word in words], dtype=np.int64)
        known = rows >= 0
        word_counts = self.wv.expandos["count"] = np.array(self.wv.expandos["count"], dtype=np.int64)
        np.add.at(word_counts, rows[known], counts[known].astype(np.int64))
        new_words = [word for word, is_known in zip(words, known) if not is_known]
        if new_words:
            new_words, new_counts = _core.finalize_vocab(new_words, counts[~known], self.min_count, 0)
        if new_words:
            # Fresh rows get word2vec.c's initialisation, from a stream of their own (the seed and the row count).
            rng = np.random.default_rng([self.seed, len(self.wv)])
            fresh = (rng.random((len(new_words), self.vector_size), dtype=np.float32) - 0.5) / self.vector_size
            self.wv.add_vectors(new_words, fresh)
            self.wv.expandos["count"][-len(new_words) :] = new_counts
            self.syn1neg = np.vstack([self.syn1neg, np.zeros((len(new_words), self.vector_size), dtype=np.float32)])
        logger.info("vocabulary update: %d new words, %d words in all", len(new_words), len(self.wv))
        self.corpus_count, self.corpus_total_words = int(sentences), int(total_words)
        self._prepare_sampling()

    def _prepare_sampling(self) -> None:
        counts = self.wv.expandos["count"].astype(np.uint64)
        self._noise = _core.NoiseSampler(counts, self.ns_exponent)
        self._keep_thresholds = _core.keep_thresholds(counts, self.sample) if self.sample > 0 else None
        self._word_table = _core.WordTable(self.wv.index_to_key)

    # ---------------------------------------------------------------- training

    def train(
        self,
        corpus_iterable: Optional[Iterable[List[str]]] = None,
        corpus_file: Optional[str] = None,
        total_examples: Optional[int] = None,
        total_words: Optional[int] = None,
        epochs: Optional[int] = None,
        start_alpha: Optional[float] = None,
        end_alpha: Optional[float] = None,
        compute_loss: Optional[bool] = None,
        callbacks: Optional[Sequence] = None,
    ) -> Tuple[int, int]:
        """Trains the model on a corpus, updating ``wv.vectors`` and ``syn1neg`` in place.

        Parameters
        ----------
        corpus_iterable, corpus_file
            The corpus, as for the constructor; usually the one given to :meth:`build_vocab`.
        total_examples, total_words : int, optional
            The corpus's sentences and words per epoch, for the learning-rate schedule. Default to the counts
            :meth:`build_vocab` found (``corpus_count``, ``corpus_total_words``).
        epochs : int, optional
            Defaults to the model's ``epochs``.
        start_alpha, end_alpha : float, optional
            The learning rate decays linearly from ``start_alpha`` to ``end_alpha`` over this call; default
            ``alpha`` and ``min_alpha``.
        compute_loss : bool, optional
            Overrides the constructor's ``compute_loss`` for this call.
        callbacks : sequence, optional
            Overrides the constructor's callbacks for this call.

        Returns
        -------
        (int, int)
            Words trained after subsampling, and corpus words read, summed over epochs (gensim's return value).

        Notes
        -----
        Ctrl-C stops the threads within a fraction of a second and raises ``KeyboardInterrupt``; the model stays
        usable, with the vectors as far as training got.
        """
        if self._noise is None:
            raise ValueError("the model has no vocabulary: call build_vocab() before train()")
        if (corpus_iterable is None) == (corpus_file is None):
            raise ValueError("train needs exactly one of corpus_iterable and corpus_file")
        epochs = self.epochs if epochs is None else _check_int("epochs", epochs, minimum=0)
        start_alpha = self.alpha if start_alpha is None else _check_float("start_alpha", start_alpha, 0.0, False)
        end_alpha = self.min_alpha if end_alpha is None else _check_float("end_alpha", end_alpha, 0.0)
        compute_loss = self.compute_loss if compute_loss is None else bool(compute_loss)
        callbacks = self.callbacks if callbacks is None else tuple(callbacks)
        words_per_epoch = self._words_per_epoch(total_examples, total_words)
        if corpus_file is not None:
            path = _check_corpus_file(corpus_file)
            passes = lambda: self._file_pass(path)  # noqa: E731
        else:
            _check_reiterable(corpus_iterable, epochs)
            passes = lambda: self._id_batches(corpus_iterable)  # noqa: E731

        settings = dict(
            window=self.window,
            negative=self.negative,
            alpha=start_alpha,
            min_alpha=end_alpha,
            workers=self.workers,
            seed=self.seed,
            compute_loss=compute_loss,
            total_words=max(1, words_per_epoch * epochs),
        )
        self.train_count += 1
        self.running_training_loss = 0.0
        self.wv.norms = None
        trained_words = read_words = 0
        _call(callbacks, "on_train_begin", self)
        start = time.perf_counter()
        try:
            for epoch in range(epochs):
                _call(callbacks, "on_epoch_begin", self)
                epoch_loss = 0.0
                for source in passes():
                    # Batches of Python sentences count their words before out-of-vocabulary ones were dropped.
                    raw_words = source.pop("raw_words", None)
                    result = _core.train_epoch(
                        self.wv.vectors, self.syn1neg, self._noise, self._keep_thresholds,
                        words_done_before=read_words, rng_stream=self._rng_stream, **source, **settings,
                    )
                    self._rng_stream += 1
                    read_words += result["words"] if raw_words is None else raw_words
                    trained_words += result["effective_words"]
                    epoch_loss += result["loss"]
                    self.min_alpha_yet_reached = result["last_alpha"]
                self.epochs_trained += 1
                self.running_training_loss = epoch_loss
                _call(callbacks, "on_epoch_end", self)
        finally:
            self.wv.norms = None
        elapsed = time.perf_counter() - start
        logger.info(
            "trained %d epochs: %d effective words of %d in %.1fs, %.0f words/s",
            epochs, trained_words, read_words, elapsed, read_words / max(elapsed, 1e-9),
        )
        _call(callbacks, "on_train_end", self)
        return trained_words, read_words

    def _words_per_epoch(self, total_examples: Optional[int], total_words: Optional[int]) -> int:
        if total_words is not None:
            return _check_int("total_words", total_words, minimum=0)
        if total_examples is not None and self.corpus_count:
            examples = _check_int("total_examples", total_examples, minimum=0)
            return round(self.corpus_total_words * examples / self.corpus_count)
        return self.corpus_total_words

    def _file_pass(self, path: str) -> Iterator[dict]:
        yield dict(paths=[path], vocab=self._word_table, tokens=None, offsets=None)

    def _id_batches(self, sentences: Iterable[List[str]]) -> Iterator[dict]:
        """Converts sentences to in-vocabulary ids, yielding CSR batches of about _BATCH_WORDS words."""
        lookup = self.wv.key_to_index.get
        tokens: List[int] = []
        offsets = [0]
        raw_words = 0
        for sentence in sentences:
            _check_sentence(sentence)
            raw_words += len(sentence)
            tokens.extend(index for index in map(lookup, sentence) if index is not None)
            offsets.append(len(tokens))
            if len(tokens) >= _BATCH_WORDS:
                yield _batch(tokens, offsets, raw_words)
                tokens, offsets, raw_words = [], [0], 0
        if len(offsets) > 1:
            yield _batch(tokens, offsets, raw_words)

    # ---------------------------------------------------------------- persistence

    def save(self, fname) -> None:
        """Saves the whole model in one file, written atomically, so that :meth:`load` can continue training.

        The file holds both weight matrices, the vocabulary with counts, the parameters, and the training state
        (epochs done, the position in the random stream, the last loss); callbacks are not saved. Its format is
        documented in :mod:`w2vfast.persistence`; ``KeyedVectors.load`` reads just the word vectors from it.

        Examples
        --------
        >>> model.save("model.w2vf")
        >>> model = Word2Vec.load("model.w2vf")
        >>> model.train(corpus_file="more.txt", total_words=model.corpus_total_words, epochs=1)
        """
        persistence.save_model(self, fname)

    @classmethod
    def load(cls, fname, mmap: Optional[str] = None) -> "Word2Vec":
        """Loads a model saved by :meth:`save`; ``mmap='r'`` maps the matrices read-only (queries, no training).

        Raises
        ------
        ValueError
            If the file is not a saved w2vfast model, or is truncated or corrupt.
        """
        return persistence.load_model(cls, fname, mmap)

    def get_latest_training_loss(self) -> float:
        """The summed skip-gram loss of the last epoch trained with ``compute_loss=True``."""
        return self.running_training_loss

    def __repr__(self) -> str:
        return (
            f"Word2Vec<vocab={len(self.wv)}, vector_size={self.vector_size}, window={self.window}, "
            f"negative={self.negative}, alpha={self.alpha}>"
        )


# -------------------------------------------------------------------- helpers


def _batch(tokens: List[int], offsets: List[int], raw_words: int) -> dict:
    return dict(
        paths=None,
        vocab=None,
        tokens=np.asarray(tokens, dtype=np.int32),
        offsets=np.asarray(offsets, dtype=np.int64),
        raw_words=raw_words,
    )


def _count_sentences(sentences, max_vocab_size: Optional[int]):
    """Counts words of a sentence iterable -> (words, counts, total words, sentences), first-occurrence order."""
    _check_reiterable(sentences, epochs=2)
    counts: collections.Counter = collections.Counter()
    total_words = 0
    total_sentences = 0
    min_reduce = 1
    for sentence in sentences:
        _check_sentence(sentence)
        counts.update(sentence)
        total_words += len(sentence)
        total_sentences += 1
        # word2vec.c's pruning bounds memory: drop ever rarer words until the table fits.
        while max_vocab_size and len(counts) > max_vocab_size:
            counts = collections.Counter({word: n for word, n in counts.items() if n >= min_reduce})
            min_reduce += 1
    words = list(counts)
    return words, np.fromiter(counts.values(), dtype=np.uint64, count=len(words)), total_words, total_sentences


def _check_sentence(sentence) -> None:
    if isinstance(sentence, (str, bytes)):
        raise TypeError(
            f"each sentence must be a list of str tokens, got a {type(sentence).__name__} ({sentence[:40]!r}); "
            "split your text into words first"
        )


def _check_reiterable(corpus, epochs: int) -> None:
    if epochs > 1 and iter(corpus) is corpus:
        raise TypeError(
            "sentences is an iterator (such as a generator), which can be iterated only once, but training needs a "
            "pass for the vocabulary and one per epoch: pass a list or a re-iterable object such as LineSentence"
        )


def _check_corpus_file(corpus_file) -> str:
    path = os.fspath(corpus_file)
    if not os.path.exists(path):
        raise FileNotFoundError(f"corpus_file {path!r} does not exist")
    if not os.path.isfile(path):
        raise ValueError(f"corpus_file {path!r} is not a regular file")
    return path


def _call(callbacks, event: str, model: Word2Vec) -> None:
    for callback in callbacks:
        method = getattr(callback, event, None)
        if method is not None:
            method(model)


def _check_int(name: str, value, minimum: Optional[int] = None, hint: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}{hint}")
    return int(value)


def _check_optional_int(name: str, value, minimum: int) -> Optional[int]:
    return None if value is None else _check_int(name, value, minimum)


def _check_float(name: str, value, minimum: Optional[float] = None, inclusive: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if minimum is not None and (value < minimum or (not inclusive and value == minimum)):
        relation = ">=" if inclusive else ">"
        raise ValueError(f"{name} must be {relation} {minimum}, got {value}")
    return float(value)
