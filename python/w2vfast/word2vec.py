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

import logging
import numbers
import os
import time
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from . import _core, persistence
from .corpora import IdCorpus, check_reiterable, corpus_file_paths, count_sentences, id_batches
from .keyedvectors import KeyedVectors
from .progress import TrainingProgress

__all__ = ["Word2Vec"]

logger = logging.getLogger(__name__)



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
        words are trained in chunks of 10,000, not cut. See :mod:`w2vfast.corpora` for the details.
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
        Number of noise words drawn per prediction: per window in CBOW and, by default, in skip-gram (see
        ``shared_negatives``), per (centre, context) pair in skip-gram with ``shared_negatives=False``.
        ``0`` turns negative sampling off, which needs ``hs=1``.
    ns_exponent : float
        Noise words are drawn with probability proportional to ``count ** ns_exponent``.
    alpha, min_alpha : float
        The learning rate decays linearly from ``alpha`` to ``min_alpha`` over all epochs of a :meth:`train` call.
    epochs : int
        Passes over the corpus.
    workers : int, optional
        Training threads; defaults to the number of CPU cores.
    sg : {1, 0}
        Training algorithm: ``1`` skip-gram (each context word predicts the centre word), ``0`` CBOW (the context
        words together predict it). gensim defaults to CBOW; w2vfast defaults to skip-gram, which scored clearly
        better on analogies and word similarity in our benchmark (see the README's table), for about three times the
        training time.
    hs : {0, 1}
        ``1`` trains a hierarchical softmax over a Huffman tree of the vocabulary (weights in ``syn1``); together
        with ``negative > 0`` both objectives are trained, as in gensim.
    cbow_mean : {1, 0}
        CBOW only: ``1`` averages the context vectors, ``0`` sums them (and, as gensim does, divides the gradient
        handed back to each context word by the context size).
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
    shared_negatives : bool, optional
        Skip-gram with negative sampling only: the context words of a window share their ``negative`` noise words
        (after Ji et al. 2016, "Parallelizing Word2Vec in Shared and Distributed Memory") instead of drawing fresh
        ones for every (centre, context) pair, as word2vec.c and gensim do. Far fewer random rows are fetched, so
        training is 1.35-1.5x faster on one thread (gcide), with the same analogy accuracy and WordSim353
        correlation on the benchmarks (see the README). With several workers, each then trains private copies of
        the rows of the most frequent words and folds them into the model every few updates, which took 16 threads
        from 5.7x to about 9x one thread's speed. ``None`` (default): on wherever it applies (``sg=1, hs=0``);
        ``False``: the exact algorithm; ``True`` outside skip-gram with negative sampling raises ValueError.
    progress : bool
        Show progress while training: a bar on a terminal when tqdm is installed, otherwise INFO log lines (percent
        done, words/s, learning rate) through the ``logging`` module. ``False`` is silent.

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
        cbow_mean: int = 1,
        epochs: int = 5,
        max_final_vocab: Optional[int] = None,
        compute_loss: bool = False,
        callbacks: Sequence = (),
        progress: bool = True,
        shared_negatives: Optional[bool] = None,
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
        self.sg = _check_flag("sg", sg, "1 (skip-gram) or 0 (CBOW)")
        self.hs = _check_flag("hs", hs, "0 or 1")
        self.cbow_mean = _check_flag("cbow_mean", cbow_mean, "1 (average) or 0 (sum)")
        self.negative = _check_int(
            "negative", negative, minimum=0 if self.hs else 1,
            hint="" if self.hs else " (with hs=0, negative sampling is the only objective)",
        )
        self.ns_exponent = _check_float("ns_exponent", ns_exponent)
        self.epochs = _check_int("epochs", epochs, minimum=0)
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
        self._noise = None
        self._keep_thresholds = None
        self._word_table = None
        self._huffman = None

        if sentences is not None and corpus_file is not None:
            raise ValueError("give either sentences or corpus_file, not both")
        if sentences is not None or corpus_file is not None:
            self.build_vocab(sentences, corpus_file=corpus_file)
            self.train(sentences, corpus_file=corpus_file, total_words=self.corpus_total_words, epochs=self.epochs)

    # ---------------------------------------------------------------- vocabulary

    def build_vocab(self, corpus_iterable: Optional[Iterable[List[str]]] = None, corpus_file=None, update: bool = False):
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
            paths = corpus_file_paths(corpus_file)
            words, counts, total_words, sentences = _core.count_words(paths, self.workers, self.max_vocab_size or 0)
        elif isinstance(corpus_iterable, IdCorpus):
            words, counts = corpus_iterable.words, corpus_iterable.counts
            total_words, sentences = len(corpus_iterable.tokens), len(corpus_iterable)
        else:
            words, counts, total_words, sentences = count_sentences(corpus_iterable, self.max_vocab_size)
        if total_words == 0:
            raise ValueError("the corpus is empty: it has no words")
        if update:
            self._add_words(words, np.asarray(counts, dtype=np.uint64), total_words, sentences)
            return self
        distinct_words = len(words)
        most_frequent = int(np.max(counts))
        words, counts = _core.finalize_vocab(words, counts, self.min_count, self.max_final_vocab or 0)
        if not len(words):
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
        # gensim 4's initialisation: input vectors uniform in [-1, 1) / vector_size (twice word2vec.c's spread, which
        # measured 0.4-0.6 analogy points worse on gcide in both sg and cbow), output vectors zero. Like gensim, only
        # the output layers in use get rows.
        rng = np.random.default_rng(self.seed)
        self.wv.vectors = _initial_vectors(rng, len(words), self.vector_size)
        self.syn1neg = np.zeros((len(words) if self.negative else 0, self.vector_size), dtype=np.float32)
        self.syn1 = np.zeros((len(words) if self.hs else 0, self.vector_size), dtype=np.float32)
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
            # Fresh rows get the same initialisation, from a stream of their own (the seed and the row count).
            fresh = _initial_vectors(np.random.default_rng([self.seed, len(self.wv)]), len(new_words), self.vector_size)
            self.wv.add_vectors(new_words, fresh)
            self.wv.expandos["count"][-len(new_words) :] = new_counts
            fresh_outputs = np.zeros((len(new_words), self.vector_size), dtype=np.float32)
            if self.negative:
                self.syn1neg = np.vstack([self.syn1neg, fresh_outputs])
            if self.hs:  # as in gensim, the tree is rebuilt from the new counts and syn1 gains rows to match
                self.syn1 = np.vstack([self.syn1, fresh_outputs])
        logger.info("vocabulary update: %d new words, %d words in all", len(new_words), len(self.wv))
        self.corpus_count, self.corpus_total_words = int(sentences), int(total_words)
        self._prepare_sampling()

    def _prepare_sampling(self) -> None:
        counts = self.wv.expandos["count"].astype(np.uint64)
        self._noise = _core.NoiseSampler(counts, self.ns_exponent)
        self._keep_thresholds = _core.keep_thresholds(counts, self.sample) if self.sample > 0 else None
        self._word_table = _core.WordTable(self.wv.index_to_key)
        # The tree is a function of the counts, so it is rebuilt rather than stored.
        self._huffman = _core.HuffmanTree(counts) if self.hs else None

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
        if self._noise is None:
            raise ValueError("the model has no vocabulary: call build_vocab() before train()")
        if (corpus_iterable is None) == (corpus_file is None):
            raise ValueError("train needs exactly one of corpus_iterable and corpus_file")
        epochs = self.epochs if epochs is None else _check_int("epochs", epochs, minimum=0)
        start_alpha = self.alpha if start_alpha is None else _check_float("start_alpha", start_alpha, 0.0, False)
        end_alpha = self.min_alpha if end_alpha is None else _check_float("end_alpha", end_alpha, 0.0)
        compute_loss = self.compute_loss if compute_loss is None else bool(compute_loss)
        callbacks = self.callbacks if callbacks is None else tuple(callbacks)
        show_progress = self.progress if progress is None else bool(progress)
        words_per_epoch = self._words_per_epoch(total_examples, total_words)
        source = self._training_source(corpus_iterable, corpus_file, epochs)

        settings = dict(
            sg=bool(self.sg),
            cbow_mean=bool(self.cbow_mean),
            hs_vectors=self.syn1 if self.hs else None,
            huffman=self._huffman,
            window=self.window,
            negative=self.negative,
            alpha=start_alpha,
            min_alpha=end_alpha,
            workers=self.workers,
            seed=self.seed,
            compute_loss=compute_loss,
            shared_negatives=self.shared_negatives,
            total_words=max(1, words_per_epoch * epochs),
        )
        self.train_count += 1
        self.running_training_loss = 0.0
        self.wv.norms = None
        trained_words = read_words = 0
        progress_report = TrainingProgress(settings["total_words"], epochs, start_alpha, end_alpha, show_progress)
        _call(callbacks, "on_train_begin", self)
        start = time.perf_counter()
        try:
            for epoch in range(epochs):
                _call(callbacks, "on_epoch_begin", self)
                done_before = read_words
                result = self._train_pass(
                    source, settings, read_words, lambda words: progress_report.update(done_before + words)
                )
                read_words += result["words"]
                trained_words += result["effective_words"]
                self.min_alpha_yet_reached = result["last_alpha"]
                self.epochs_trained += 1
                self.running_training_loss = result["loss"]
                progress_report.end_epoch(epoch, read_words)
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
            return _check_int("total_words", total_words, minimum=0)
        if total_examples is not None and self.corpus_count:
            examples = _check_int("total_examples", total_examples, minimum=0)
            return round(self.corpus_total_words * examples / self.corpus_count)
        return self.corpus_total_words

    def _training_source(self, corpus_iterable, corpus_file, epochs: int) -> dict:
        """The engine's view of a corpus: files, an id corpus read in place, or sentences to stream."""
        source = dict(paths=None, vocab=None, tokens=None, offsets=None, id_map=None, streamed=False, sentences=None)
        if corpus_file is not None:
            source.update(paths=corpus_file_paths(corpus_file), vocab=self._word_table)
        elif isinstance(corpus_iterable, IdCorpus):
            source.update(
                tokens=corpus_iterable.tokens,
                offsets=corpus_iterable.offsets,
                id_map=corpus_iterable.id_map(self.wv.key_to_index),
            )
        else:
            check_reiterable(corpus_iterable, epochs)
            source.update(streamed=True, sentences=corpus_iterable)
        return source

    def _train_pass(self, source: dict, settings: dict, words_done_before: int, report) -> dict:
        """One epoch: the engine's threads train while this thread feeds them sentences (if streamed) and reports."""
        engine_source = {key: value for key, value in source.items() if key != "sentences"}
        training = _core.TrainingPass(
            self.wv.vectors, self.syn1neg, self._noise, self._keep_thresholds, words_done_before=words_done_before,
            rng_stream=self._rng_stream, **engine_source, **settings,
        )
        self._rng_stream += 1
        training.start()
        if source["streamed"]:
            try:
                for ids, offsets in id_batches(source["sentences"], self.wv.key_to_index):
                    if not training.push(ids, offsets):
                        break  # a thread failed: wait() below raises its error
                    report(training.words_done)
            except BaseException:
                training.stop()
                try:
                    training.wait()
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
        """The summed loss (of every output layer trained) of the last epoch trained with ``compute_loss=True``."""
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


def _initial_vectors(rng: np.random.Generator, rows: int, vector_size: int) -> np.ndarray:
    vectors = rng.random((rows, vector_size), dtype=np.float32)
    vectors *= 2.0
    vectors -= 1.0
    vectors /= vector_size
    return vectors


def _check_finite(model: Word2Vec, epoch: int, start_alpha: float) -> None:
    """Raises once the weights hold NaN or inf (a learning rate too large makes them overflow), rather than going on
    to train, query and save garbage. Summing in float64 cannot overflow float32 values and needs no large buffer."""
    for name, matrix in (("vectors", model.wv.vectors), ("syn1neg", model.syn1neg), ("syn1", model.syn1)):
        if not np.isfinite(matrix.sum(dtype=np.float64)):
            raise FloatingPointError(
                f"training diverged in epoch {epoch + 1}: {name} holds NaN or infinite values; "
                f"use a smaller learning rate than alpha={start_alpha}"
            )


def _check_int(name: str, value, minimum: Optional[int] = None, hint: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}{hint}")
    return int(value)


def _check_flag(name: str, value, meaning: str) -> int:
    if isinstance(value, bool) or value not in (0, 1):
        raise ValueError(f"{name} must be {meaning}, got {value!r}")
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
