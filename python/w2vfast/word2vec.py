"""Training word2vec models: skip-gram or CBOW, with negative sampling, hierarchical softmax or both, on a
multithreaded C++ engine.

:class:`Word2Vec` takes gensim's parameter names and defaults (except ``sg=1``: w2vfast defaults to skip-gram, see
the class docstring), so switching from gensim is a change of import::

    >>> from w2vfast import Word2Vec
    >>> model = Word2Vec(corpus_file="corpus.txt", vector_size=100, window=5, min_count=5, workers=4)
    >>> model.wv.most_similar("king")

or, with a Python iterable of tokenised sentences::

    >>> sentences = [["the", "cat", "sat"], ["the", "dog", "barked"]]
    >>> model = Word2Vec(sentences, min_count=1)

The weights are NumPy float32 arrays that the engine updates in place with the GIL released; ``model.wv.vectors``
is the live input-vector matrix, ``model.syn1neg`` the output vectors of negative sampling and ``model.syn1`` those
of hierarchical softmax (one row per inner node of the Huffman tree).
"""

from __future__ import annotations

import inspect
import logging
import os
import time
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from . import _core, persistence
from ._arrays import aligned_empty, all_finite, row_aligned_vstack, row_aligned_zeros
from ._checks import check_flag, check_float, check_int, check_optional_int
from .corpora import IdCorpus, check_reiterable, corpus_file_paths
from .keyedvectors import KeyedVectors
from .progress import TrainingProgress

__all__ = ["Word2Vec"]

logger = logging.getLogger(__name__)

# What save() keeps besides the constructor's parameters: where training stands.
_TRAINING_STATE = (
    "corpus_count", "corpus_total_words", "epochs_trained", "train_count", "min_alpha_yet_reached",
    "running_training_loss", "_rng_stream",
)
# The word ids of plain corpus files that train() keeps from its first epoch for the next ones, which replay them
# instead of reading the text and looking up every word again: at most this many bytes, 4 a word (134 million words,
# about 750 MB of English text); the words beyond are read as text every epoch. See docs/design.md, "Memory".
_CACHED_ID_BYTES = 512 << 20

# Constructor parameters that are not the model's settings: the corpus, and callbacks (code, which a file cannot hold).
_NOT_SAVED = ("self", "sentences", "corpus_file", "callbacks")


class Word2Vec:
    """word2vec: skip-gram or CBOW, trained with negative sampling, hierarchical softmax or both.

    Parameters
    ----------
    sentences : iterable of list of str, or IdCorpus, optional
        Tokenised sentences, iterated once to build the vocabulary and once per epoch, so it must be re-iterable (a
        list, or an object whose ``__iter__`` starts over, like :class:`~w2vfast.LineSentence` or gensim's), not a
        generator. Python converts batches of sentences to word ids while the engine trains on earlier ones.
        An :class:`~w2vfast.IdCorpus` (NumPy arrays of word ids) is read by the engine in place.
    corpus_file : str, path, list of paths, optional
        Text with one sentence per line and words separated by ASCII whitespace: a file, a list of files, or a
        directory of files. Plain files are read by the engine's threads in parallel (each its own byte range);
        gzip, bzip2 and xz files are decompressed on a reader thread. The fastest input. Lines longer than 10,000
        words are trained in chunks of 10,000, not cut. Epochs after the first train from the word ids the first
        read from plain files (up to 512 MiB of them, 4 bytes a word) instead of reading the text again. See
        :mod:`w2vfast.corpora` for the details.
    vector_size : int, default 100
        Dimensionality of the word vectors.
    window : int, default 5
        Maximum distance between the centre word and a context word. Each centre word draws its actual window
        uniformly from ``1..window``, as word2vec.c does.
    min_count : int, default 5
        Words that occur fewer times are dropped from the vocabulary.
    sample : float, default 1e-3
        Subsampling threshold: a word making up a fraction ``f`` of the corpus is kept with probability
        ``(sqrt(f / sample) + 1) * sample / f`` (word2vec.c's formula). ``0`` disables subsampling.
    negative : int, default 5
        Number of noise words drawn per prediction: per window in CBOW and, by default, in skip-gram (see
        ``shared_negatives``), per (centre, context) pair in skip-gram with ``shared_negatives=False``.
        ``0`` turns negative sampling off, which needs ``hs=1``.
    ns_exponent : float, default 0.75
        Noise words are drawn with probability proportional to ``count ** ns_exponent``.
    alpha : float, default 0.025
        The learning rate at the start of training, in every mode (as gensim; word2vec.c starts CBOW at 0.05).
    min_alpha : float, default 0.0001
        The learning rate decays linearly from ``alpha`` to ``min_alpha`` over all epochs of a :meth:`train` call.
    epochs : int, default 5
        Passes over the corpus.
    workers : int, optional
        Training threads; defaults to the number of CPU cores.
    sg : {1, 0}, default 1
        Training algorithm: ``1`` skip-gram (each context word predicts the centre word), ``0`` CBOW (the context
        words together predict it). gensim defaults to CBOW; w2vfast defaults to skip-gram, which scored clearly
        better on analogies and word similarity in our benchmark (see the documentation's performance page), for
        about three times the training time.
    hs : {0, 1}, default 0
        ``1`` trains a hierarchical softmax over a Huffman tree of the vocabulary (weights in ``syn1``); together
        with ``negative > 0`` both objectives are trained, as in gensim.
    cbow_mean : {1, 0}, default 1
        CBOW only: ``1`` averages the context vectors, ``0`` sums them (and, as gensim does, divides the gradient
        handed back to each context word by the context size).
    seed : int, default 1
        Seed of the weight initialisation and of every random draw of training. With ``workers=1`` two runs with the
        same seed give bit-identical vectors; with more workers, thread scheduling makes runs differ slightly.
    max_vocab_size : int, optional
        Bounds memory while counting: whenever more distinct words are held, the rarest are pruned (word2vec.c's
        and gensim's rule). ``None`` means no limit.
    max_final_vocab : int, optional
        Keep at most this many words, raising ``min_count`` as needed (gensim's rule, which never splits words of
        equal count).
    compute_loss : bool, default False
        Record the training loss, see :meth:`get_latest_training_loss`.
    callbacks : sequence, default ()
        Objects with any of ``on_train_begin``, ``on_epoch_begin``, ``on_epoch_end``, ``on_train_end`` methods,
        each called with the model.
    shared_negatives : bool, optional
        Skip-gram with negative sampling only: the context words of a window share their ``negative`` noise words
        (after Ji et al. 2016, "Parallelizing Word2Vec in Shared and Distributed Memory") instead of drawing fresh
        ones for every (centre, context) pair, as word2vec.c and gensim do. Far fewer random rows are fetched, so
        training is 1.7x faster on one thread (gcide), with the same analogy accuracy and WordSim353
        correlation on the benchmarks (see the documentation's design page). With several workers, each then trains
        private copies of the input rows of the most frequent words as well as their output rows (which every mode
        with negative sampling keeps private) and folds them into the model every few updates, which took 16
        threads from 5.7x to about 9x one thread's speed. ``None`` (default): on wherever it applies
        (``sg=1, hs=0``); ``False``: the exact algorithm; ``True`` outside skip-gram with negative sampling raises
        ValueError.
    progress : bool, default True
        Show progress while training: a bar on a terminal when tqdm is installed, otherwise INFO log lines (percent
        done, words/s, learning rate) through the ``logging`` module. ``False`` is silent.

    Attributes
    ----------
    wv : KeyedVectors
        The word vectors (the input weights), most frequent word first; the engine updates ``wv.vectors`` in place.
    syn1neg : numpy.ndarray
        The output weights of negative sampling, one row per word (no rows when ``negative=0``).
    syn1 : numpy.ndarray
        The output weights of hierarchical softmax, row ``p`` for inner node ``p`` of the Huffman tree (no rows
        when ``hs=0``). Both output layers are the first ``vector_size`` columns of rows padded to whole cache lines
        (not C-contiguous unless ``vector_size`` is a multiple of 16), which the engine trains faster; a
        C-contiguous matrix assigned to either is trained where it is.
    corpus_count, corpus_total_words : int
        The sentences (lines) and words of the corpus :meth:`build_vocab` counted; they set the learning-rate
        schedule of :meth:`train`.
    epochs_trained : int
        Epochs trained so far, over every :meth:`train` call.

    Examples
    --------
    >>> model = Word2Vec(corpus_file="text8", workers=4)
    >>> model.wv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)

    gensim's default mode, CBOW with negative sampling, and CBOW with hierarchical softmax only:

    >>> cbow = Word2Vec(corpus_file="text8", sg=0)
    >>> cbow_hs = Word2Vec(corpus_file="text8", sg=0, hs=1, negative=0)
    """

    def __init__(
        self,
        sentences: Optional[Iterable[List[str]]] = None,
        corpus_file=None,
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
        cbow_mean: int = 1,
        epochs: int = 5,
        max_final_vocab: Optional[int] = None,
        compute_loss: bool = False,
        callbacks: Sequence = (),
        progress: bool = True,
        shared_negatives: Optional[bool] = None,
    ):
        self.vector_size = check_int("vector_size", vector_size, minimum=1)
        self.window = check_int("window", window, minimum=1)
        self.min_count = check_int("min_count", min_count, minimum=0)
        self.max_vocab_size = check_optional_int("max_vocab_size", max_vocab_size, minimum=1)
        self.max_final_vocab = check_optional_int("max_final_vocab", max_final_vocab, minimum=1)
        self.sample = check_float("sample", sample, minimum=0.0)
        self.seed = check_int("seed", seed, minimum=0)
        self.workers = check_int("workers", (os.cpu_count() or 1) if workers is None else workers, minimum=1)
        self.alpha = check_float("alpha", alpha, minimum=0.0, inclusive=False)
        self.min_alpha = check_float("min_alpha", min_alpha, minimum=0.0)
        self.sg = check_flag("sg", sg, "1 (skip-gram) or 0 (CBOW)")
        self.hs = check_flag("hs", hs, "0 or 1")
        self.cbow_mean = check_flag("cbow_mean", cbow_mean, "1 (average) or 0 (sum)")
        self.negative = check_int(
            "negative", negative, minimum=0 if self.hs else 1,
            hint="" if self.hs else " (with hs=0, negative sampling is the only objective)",
        )
        self.ns_exponent = check_float("ns_exponent", ns_exponent)
        self.epochs = check_int("epochs", epochs, minimum=0)
        self.compute_loss = bool(compute_loss)
        self.callbacks = tuple(callbacks)
        self.progress = bool(progress)
        shares_negatives = self.sg == 1 and not self.hs  # with hs=0, negative >= 1 is checked above
        self.shared_negatives = shares_negatives if shared_negatives is None else bool(shared_negatives)
        if self.shared_negatives and not shares_negatives:
            raise ValueError(
                "shared_negatives=True is a variant of skip-gram with negative sampling: it needs sg=1, hs=0"
            )

        self.wv = KeyedVectors(self.vector_size)
        self.syn1neg = np.zeros((0, self.vector_size), dtype=np.float32)
        self.syn1 = np.zeros((0, self.vector_size), dtype=np.float32)
        self.corpus_count = 0
        self.corpus_total_words = 0
        self.epochs_trained = 0
        self.train_count = 0
        self.min_alpha_yet_reached = self.alpha
        self.running_training_loss = 0.0
        self._rng_stream = 0  # the engine draws a fresh random stream for every pass
        # The engine's vocabulary: words, counts, and the noise, subsampling and Huffman tables drawn from them.
        self._vocabulary: Optional[_core.Vocabulary] = None

        if sentences is not None and corpus_file is not None:
            raise ValueError("give either sentences or corpus_file, not both")
        if sentences is not None or corpus_file is not None:
            self.build_vocab(sentences, corpus_file=corpus_file)
            self.train(sentences, corpus_file=corpus_file, total_words=self.corpus_total_words, epochs=self.epochs)

    # ---------------------------------------------------------------- vocabulary

    def build_vocab(
        self, corpus_iterable: Optional[Iterable[List[str]]] = None, corpus_file=None, update: bool = False
    ):
        """Counts the corpus's words, keeps those seen ``min_count`` times or more, and initialises the weights.

        Words are ordered by descending count; words of equal count keep the order of their first occurrence.
        Sets ``corpus_count`` (sentences, i.e. lines) and ``corpus_total_words`` (all tokens, kept or not).

        Parameters
        ----------
        corpus_iterable : iterable of list of str, or IdCorpus, optional
            The corpus as for the constructor's ``sentences``.
        corpus_file : str, path or list of paths, optional
            The corpus as for the constructor's ``corpus_file``. Give exactly one of the two.
        update : bool, default False
            Grow the vocabulary instead, as gensim does: known words keep their rows and vectors and add the new
            counts; new words seen ``min_count`` times in this corpus are appended (most frequent first) with fresh
            random vectors, so that :meth:`train` on the new corpus can continue.

        Returns
        -------
        Word2Vec
            The model itself.

        Raises
        ------
        ValueError
            If the corpus is empty, or no word reaches ``min_count``.
        """
        if (corpus_iterable is None) == (corpus_file is None):
            raise ValueError("build_vocab needs exactly one of corpus_iterable and corpus_file")
        counted = self._count_words(corpus_iterable, corpus_file)
        if counted.total_words == 0:
            raise ValueError("the corpus is empty: it has no words")
        if update:
            self._update_vocab(counted)
            return self
        kept = counted.select(self.min_count, self.max_final_vocab or 0)
        if not len(kept):
            raise ValueError(
                f"the vocabulary is empty after min_count={self.min_count}: "
                f"the most frequent of the corpus's {len(counted)} words occurs only {counted.counts.max()} times"
            )
        logger.info(
            "vocabulary: kept %d of %d distinct words; corpus of %d words in %d sentences",
            len(kept), len(counted), counted.total_words, counted.total_sentences,
        )
        self._set_vocab(kept)
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

        Returns
        -------
        Word2Vec
            The model itself.

        Raises
        ------
        ValueError
            If ``word_freq`` is empty, a count is not a non-negative integer, or no word reaches ``min_count``.
        """
        words = list(word_freq)
        if not words:
            raise ValueError("word_freq is empty: the vocabulary needs at least one word")
        values = list(word_freq.values())
        if set(map(type, values)) == {int} and min(values) >= 0:
            # Checked in C: word by word, check_int's isinstance against numbers.Integral took most of the 0.3 s
            # of a 44,000-word vocabulary, which w2vfast.spark builds on the driver and on every executor per fit.
            counts = np.array(values, dtype=np.uint64)
        else:  # the first count that is not a non-negative integer, named
            counts = np.array([check_int(f"the count of {word!r}", word_freq[word], minimum=0) for word in words],
                              dtype=np.uint64)
        sentences = 0 if corpus_count is None else check_int("corpus_count", corpus_count, minimum=0)
        counted = _core.WordCounts(words, counts, total_words=int(counts.sum()), total_sentences=sentences)
        kept = counted.select(self.min_count, self.max_final_vocab or 0)
        if not len(kept):
            raise ValueError(
                f"the vocabulary is empty after min_count={self.min_count}: "
                f"the most frequent of the {len(words)} words occurs only {counts.max()} times"
            )
        self._set_vocab(kept)
        return self

    def _count_words(self, corpus_iterable, corpus_file) -> _core.WordCounts:
        """The corpus's distinct words with their counts, counted by the engine (files on all cores)."""
        if corpus_file is not None:
            return _core.count_words(corpus_file_paths(corpus_file), self.workers, self.max_vocab_size or 0)
        if isinstance(corpus_iterable, IdCorpus):
            words, counts = corpus_iterable.words, corpus_iterable.counts
            total_words, sentences = len(corpus_iterable.tokens), len(corpus_iterable)
            return _core.WordCounts(words, counts, total_words=total_words, total_sentences=sentences)
        check_reiterable(corpus_iterable, epochs=2)  # one pass to count, one an epoch to train
        return _core.count_sentences(corpus_iterable, self.max_vocab_size or 0)

    # How a new vocabulary's Huffman tree breaks ties between equal counts (None: the engine's default, gensim's).
    _huffman_ties: Optional[str] = None

    def _new_vocabulary(self, words: _core.WordCounts, huffman_ties: Optional[str] = None) -> _core.Vocabulary:
        """The engine's vocabulary of ``words``; its Huffman tree breaks ties as ``huffman_ties`` says (None: as the
        class does for a new model; a loaded model's file says how its tree was built)."""
        return _core.Vocabulary(words, ns_exponent=self.ns_exponent, sample=self.sample, hs=bool(self.hs),
                                huffman_ties=huffman_ties or self._huffman_ties)

    def _set_vocab(self, kept: _core.WordCounts) -> None:
        """Makes ``kept`` (words in training order) the vocabulary, with freshly initialised weights."""
        self._vocabulary = self._new_vocabulary(kept)
        # The vocabulary crosses from the engine once, here.
        words = self._vocabulary.words(0)
        self.corpus_count, self.corpus_total_words = int(kept.total_sentences), int(kept.total_words)
        self.wv = KeyedVectors(self.vector_size)
        self.wv.index_to_key = words
        self.wv.key_to_index = {word: index for index, word in enumerate(words)}
        self.wv.expandos["count"] = self._vocabulary.counts.astype(np.int64)
        # gensim 4's initialisation: input vectors uniform in [-1, 1) / vector_size (twice word2vec.c's spread, which
        # measured 0.4-0.6 analogy points worse on gcide in both sg and cbow), output vectors zero. Like gensim, only
        # the output layers in use get rows.
        rng = np.random.default_rng(self.seed)
        self.wv.vectors = _initial_vectors(rng, len(words), self.vector_size)
        self.syn1neg = row_aligned_zeros((len(words) if self.negative else 0, self.vector_size))
        self.syn1 = row_aligned_zeros((len(words) if self.hs else 0, self.vector_size))

    def _update_vocab(self, counted: _core.WordCounts) -> None:
        """The vocabulary update of ``build_vocab(update=True)``."""
        if self._vocabulary is None:
            raise ValueError("build_vocab(update=True) needs a vocabulary to update: call build_vocab() first")
        known = len(self._vocabulary)
        self._vocabulary = self._vocabulary.updated(counted, self.min_count)
        new_words = self._vocabulary.words(known)
        if new_words:
            # Fresh rows get the same initialisation, from a stream of their own (the seed and the row count).
            fresh = _initial_vectors(np.random.default_rng([self.seed, known]), len(new_words), self.vector_size)
            self.wv.add_vectors(new_words, fresh)
            fresh_outputs = np.zeros((len(new_words), self.vector_size), dtype=np.float32)
            if self.negative:
                self.syn1neg = row_aligned_vstack([self.syn1neg, fresh_outputs])
            if self.hs:  # as in gensim, the tree is rebuilt from the new counts and syn1 gains rows to match
                self.syn1 = row_aligned_vstack([self.syn1, fresh_outputs])
        self.wv.expandos["count"] = self._vocabulary.counts.astype(np.int64)
        logger.info("vocabulary update: %d new words, %d words in all", len(new_words), len(self.wv))
        self.corpus_count, self.corpus_total_words = int(counted.total_sentences), int(counted.total_words)

    # ---------------------------------------------------------------- training

    def train(
        self,
        corpus_iterable: Optional[Iterable[List[str]]] = None,
        corpus_file=None,
        total_examples: Optional[int] = None,
        total_words: Optional[int] = None,
        epochs: Optional[int] = None,
        start_alpha: Optional[float] = None,
        end_alpha: Optional[float] = None,
        compute_loss: Optional[bool] = None,
        callbacks: Optional[Sequence] = None,
        progress: Optional[bool] = None,
    ) -> Tuple[int, int]:
        """Trains the model on a corpus, updating ``wv.vectors``, ``syn1neg`` and ``syn1`` in place.

        Parameters
        ----------
        corpus_iterable : iterable of list of str, or IdCorpus, optional
            The corpus, as for the constructor's ``sentences``; usually the one given to :meth:`build_vocab`.
        corpus_file : str, path or list of paths, optional
            The corpus as text files, as for the constructor. Give exactly one of the two.
        total_examples : int, optional
            The corpus's sentences per epoch, for the learning-rate schedule (scaled to words with the counts
            :meth:`build_vocab` found).
        total_words : int, optional
            The corpus's words per epoch, for the learning-rate schedule. Both default to the counts
            :meth:`build_vocab` found (``corpus_count``, ``corpus_total_words``).
        epochs : int, optional
            Defaults to the model's ``epochs``.
        start_alpha : float, optional
            The learning rate at the start of this call; default ``alpha``.
        end_alpha : float, optional
            The learning rate at its end, reached linearly; default ``min_alpha``.
        compute_loss : bool, optional
            Overrides the constructor's ``compute_loss`` for this call.
        callbacks : sequence, optional
            Overrides the constructor's callbacks for this call.
        progress : bool, optional
            Overrides the constructor's ``progress`` for this call.

        Returns
        -------
        (int, int)
            Words trained after subsampling, and corpus words read, summed over epochs (gensim's return value).

        Notes
        -----
        Ctrl-C stops the threads within a fraction of a second and raises ``KeyboardInterrupt``; the model stays
        usable, with the vectors as far as training got.
        """
        vocabulary = self._vocabulary
        if vocabulary is None:
            raise ValueError("the model has no vocabulary: call build_vocab() before train()")
        if (corpus_iterable is None) == (corpus_file is None):
            raise ValueError("train needs exactly one of corpus_iterable and corpus_file")
        epochs = self.epochs if epochs is None else check_int("epochs", epochs, minimum=0)
        start_alpha = self.alpha if start_alpha is None else check_float("start_alpha", start_alpha, 0.0, False)
        end_alpha = self.min_alpha if end_alpha is None else check_float("end_alpha", end_alpha, 0.0)
        compute_loss = self.compute_loss if compute_loss is None else bool(compute_loss)
        callbacks = self.callbacks if callbacks is None else tuple(callbacks)
        show_progress = self.progress if progress is None else bool(progress)
        words_per_epoch = self._words_per_epoch(total_examples, total_words)
        corpus, sentences = self._corpus_source(corpus_iterable, corpus_file, epochs)
        config = _core.TrainConfig(
            vector_size=self.vector_size, window=self.window, negative=self.negative, sg=bool(self.sg),
            hs=bool(self.hs), cbow_mean=bool(self.cbow_mean), shared_negatives=self.shared_negatives,
            alpha=start_alpha, min_alpha=end_alpha, total_words=max(1, words_per_epoch * epochs),
            workers=self.workers, seed=self.seed, compute_loss=compute_loss,
        )

        self.train_count += 1
        self.running_training_loss = 0.0
        self.wv.norms = None
        trained_words = read_words = 0
        progress_report = TrainingProgress(config.total_words, epochs, start_alpha, end_alpha, show_progress)
        _call(callbacks, "on_train_begin", self)
        start = time.perf_counter()
        try:
            for epoch in range(epochs):
                _call(callbacks, "on_epoch_begin", self)
                done_before = read_words
                result = self._train_pass(
                    config, vocabulary, corpus, sentences, read_words,
                    lambda words: progress_report.update(done_before + words),
                )
                read_words += result.words
                trained_words += result.effective_words
                self.min_alpha_yet_reached = result.last_alpha
                self.epochs_trained += 1
                self.running_training_loss = result.loss
                progress_report.end_epoch(epoch, read_words)
                logger.debug(
                    "epoch %d: %d words read, %d trained, %d private-row folds, %d bytes of word ids kept",
                    epoch + 1, result.words, result.effective_words, result.private_row_folds, corpus.cached_id_bytes,
                )
                _check_finite(self, epoch, start_alpha)
                self.wv.norms = None  # the vectors moved: a callback's queries must see the new ones
                _call(callbacks, "on_epoch_end", self)
        finally:
            self.wv.norms = None
            progress_report.close()
        elapsed = time.perf_counter() - start
        logger.info(
            "trained %d epochs: %d effective words of %d in %.1fs, %.0f words/s",
            epochs, trained_words, read_words, elapsed, read_words / max(elapsed, 1e-9),
        )
        _call(callbacks, "on_train_end", self)
        return trained_words, read_words

    def _words_per_epoch(self, total_examples: Optional[int], total_words: Optional[int]) -> int:
        if total_words is not None:
            return check_int("total_words", total_words, minimum=0)
        if total_examples is not None and self.corpus_count:
            examples = check_int("total_examples", total_examples, minimum=0)
            return round(self.corpus_total_words * examples / self.corpus_count)
        return self.corpus_total_words

    def _corpus_source(self, corpus_iterable, corpus_file, epochs: int):
        """The engine's view of a corpus (files, an id corpus read in place, or batches to push), and the sentences
        to push, if any."""
        if corpus_file is not None:
            cached_id_bytes = _CACHED_ID_BYTES if epochs > 1 else 0
            return _core.CorpusSource.files(corpus_file_paths(corpus_file), cached_id_bytes=cached_id_bytes), None
        if isinstance(corpus_iterable, IdCorpus):
            id_map = corpus_iterable.id_map(self.wv.key_to_index, self.wv.index_to_key)
            return _core.CorpusSource.ids(corpus_iterable.tokens, corpus_iterable.offsets, id_map), None
        check_reiterable(corpus_iterable, epochs)
        return _core.CorpusSource.streamed(), corpus_iterable

    def _training_pass(self, config, vocabulary, corpus, words_done_before: int) -> _core.TrainingPass:
        """The engine's pass over the corpus, on this model's weights (FastText adds its n-gram rows)."""
        return _core.TrainingPass(
            config, vocabulary, self.wv.vectors, self.syn1neg, self.syn1, corpus,
            words_done_before=words_done_before, rng_stream=self._rng_stream,
        )

    def _train_pass(self, config, vocabulary, corpus, sentences, words_done_before: int, report) -> _core.EpochResult:
        """One epoch: the engine's threads train while this thread feeds them sentences (if any) and reports."""
        training = self._training_pass(config, vocabulary, corpus, words_done_before)
        self._rng_stream += 1
        training.start()
        if sentences is not None:
            remaining = iter(sentences)
            try:
                # The engine reads the sentences: a batch is converted to ids while the threads train on earlier ones.
                while training.push_sentences(remaining):
                    report(training.words_done)
            except BaseException:
                training.stop()
                try:
                    training.wait(None)
                except BaseException:
                    pass  # the error that stopped the producer is the one to report
                raise
        return training.wait(report)

    # ---------------------------------------------------------------- persistence

    def save(self, fname) -> None:
        """Saves the whole model in one file, written atomically, so that :meth:`load` can continue training.

        The file holds both weight matrices, the vocabulary with counts, the parameters, and the training state
        (epochs done, the position in the random stream, the last loss); callbacks are not saved. Its format is
        documented in :mod:`w2vfast.persistence`; ``KeyedVectors.load`` reads just the word vectors from it.

        Parameters
        ----------
        fname : str or path
            The file to write. A temporary file in the same folder is renamed to it at the end, so a crash never
            leaves a half-written file under this name.

        Examples
        --------
        >>> model.save("model.w2vf")
        >>> model = Word2Vec.load("model.w2vf")
        >>> model.train(corpus_file="more.txt", total_words=model.corpus_total_words, epochs=1)
        """
        attributes = {
            "vector_size": self.vector_size,
            "parameters": {name: _plain(getattr(self, name)) for name in self._parameter_names()},
            "state": {name: _plain(getattr(self, name)) for name in _TRAINING_STATE},
        }
        if self._vocabulary is not None:
            # syn1's rows belong to the inner nodes of this tree: load() must rebuild the same one.
            attributes["huffman_ties"] = self._vocabulary.huffman_ties
        persistence.save_native(fname, self._kind, self.wv.index_to_key, self._saved_arrays(), attributes)

    # What save() writes as the file's kind, and load() expects.
    _kind = "word2vec"

    @classmethod
    def _parameter_names(cls) -> List[str]:
        """The constructor parameters that save() keeps and load() passes back."""
        return [name for name in inspect.signature(Word2Vec.__init__).parameters if name not in _NOT_SAVED]

    def _saved_arrays(self) -> Dict[str, np.ndarray]:
        arrays = {"vectors": self.wv.vectors}
        # Only the output layers the model trains: the others have no rows (syn1neg with negative=0, syn1 with hs=0).
        arrays.update({name: getattr(self, name) for name in ("syn1neg", "syn1") if len(getattr(self, name))})
        arrays.update({f"expando:{name}": values for name, values in self.wv.expandos.items()})
        return arrays

    def _restore_vectors(self, fname: str, keys: List[str], arrays: Dict[str, np.ndarray], attributes: dict) -> None:
        """Sets ``wv`` from the arrays of a saved model (FastText adds its n-gram rows)."""
        self.wv = KeyedVectors._from_arrays(fname, keys, arrays)

    @classmethod
    def load(cls, fname, mmap: Optional[str] = None) -> "Word2Vec":
        """Loads a model saved by :meth:`save`.

        Parameters
        ----------
        fname : str or path
            The file.
        mmap : {None, 'r', 'r+', 'c'}
            Memory-map the matrices instead of reading them; ``'r'`` maps them read-only (queries, no training).

        Returns
        -------
        Word2Vec
            The model, ready to answer queries and, unless mapped read-only, to continue training. Its parameters
            go through the constructor's validation.

        Raises
        ------
        ValueError
            If the file is not a saved w2vfast model, or is truncated or corrupt.
        """
        name = os.fspath(fname)
        kind, keys, arrays, attributes = persistence.load_native(name, mmap, row_aligned=("syn1neg", "syn1"))
        if kind != cls._kind:
            raise ValueError(f"{name}: holds {kind!r}, not a {cls.__name__} model (use KeyedVectors.load)")
        try:
            parameters, state = dict(attributes["parameters"]), dict(attributes["state"])
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{name}: the model's parameters or training state are missing") from None
        accepted = cls._parameter_names()
        model = cls(**{key: value for key, value in parameters.items() if key in accepted})
        for key, value in state.items():
            if key in _TRAINING_STATE:
                setattr(model, key, value)
        model._restore_vectors(name, keys, arrays, attributes)
        # What training needs to continue: the counts, and output layers of the input vectors' shape.
        expected_shape = (len(keys), model.vector_size)
        if (keys and "expando:count" not in arrays) or model.wv.vectors.shape != expected_shape:
            raise ValueError(f"{name}: the model's word counts are missing or its vectors are not {expected_shape}")
        for layer in ("syn1neg", "syn1"):
            if layer in arrays and arrays[layer].shape != expected_shape:
                raise ValueError(f"{name}: {layer} has shape {arrays[layer].shape}, not {expected_shape}")
            setattr(model, layer, arrays.get(layer, np.zeros((0, model.vector_size), dtype=np.float32)))
        if keys:
            counts = model.wv.expandos["count"]
            words = _core.WordCounts(keys, counts, model.corpus_total_words, model.corpus_count)
            model._vocabulary = model._new_vocabulary(words, saved_huffman_ties(attributes))
        return model

    def get_latest_training_loss(self) -> float:
        """The summed loss of the last epoch trained with ``compute_loss=True``.

        Returns
        -------
        float
            The loss of every output layer the model trains, summed over the epoch's predictions.
        """
        return self.running_training_loss

    def __repr__(self) -> str:
        return (
            f"Word2Vec<vocab={len(self.wv)}, vector_size={self.vector_size}, window={self.window}, "
            f"sg={self.sg}, hs={self.hs}, negative={self.negative}, alpha={self.alpha}>"
        )


# -------------------------------------------------------------------- helpers


def _call(callbacks, event: str, model: Word2Vec) -> None:
    for callback in callbacks:
        method = getattr(callback, event, None)
        if method is not None:
            method(model)


def saved_huffman_ties(attributes: dict) -> str:
    """How the Huffman tree of a saved model broke ties: as its file says, or, in files saved before the tree
    followed gensim's (which do not say), leaves first."""
    return str(attributes.get("huffman_ties", "leaves-first"))


def _initial_vectors(rng: np.random.Generator, rows: int, vector_size: int) -> np.ndarray:
    vectors = rng.random(dtype=np.float32, out=aligned_empty((rows, vector_size)))
    vectors *= 2.0
    vectors -= 1.0
    vectors /= vector_size
    return vectors


def _check_finite(model: Word2Vec, epoch: int, start_alpha: float) -> None:
    """Raises once the weights hold NaN or inf (a learning rate too large makes them overflow), rather than going on
    to train, query and save garbage."""
    for name, matrix in (("vectors", model.wv.vectors), ("syn1neg", model.syn1neg), ("syn1", model.syn1)):
        if not all_finite(matrix):
            raise FloatingPointError(
                f"training diverged in epoch {epoch + 1}: {name} holds NaN or infinite values; "
                f"use a smaller learning rate than alpha={start_alpha}"
            )


def _plain(value):
    """A JSON-serialisable copy of a parameter value (NumPy scalars become Python numbers)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
