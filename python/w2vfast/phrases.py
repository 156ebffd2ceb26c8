"""Phrase detection: multi-word expressions such as "new york" joined into one token, ``new_york``, before training.

:class:`Phrases` has gensim 4.4's API and finds the same phrases (Mikolov et al. 2013, "Distributed Representations
of Words and Phrases and their Compositionality"): it counts every word and every pair of consecutive words of a
corpus, scores each pair from those counts, and joins the pairs that score above ``threshold``. Counting and joining
run in the engine: text files on all cores, Python token lists in C++; only a scoring function of your own is called
in Python. Run it twice, on the phrased corpus the second time, to get trigrams such as ``new_york_times``::

    >>> from w2vfast import Phrases, Word2Vec, ENGLISH_CONNECTOR_WORDS
    >>> bigrams = Phrases(corpus_file="corpus.txt", connector_words=ENGLISH_CONNECTOR_WORDS)
    >>> bigrams.phrase_file("corpus.txt", "phrased.txt")      # every line, phrased, on all cores
    >>> model = Word2Vec(corpus_file="phrased.txt")
    >>> model.wv.most_similar("new_york")

or, with token lists, as with gensim::

    >>> phrases = Phrases(sentences, min_count=1, threshold=1)
    >>> phrases[["trees", "graph", "minors"]]
    ['trees_graph', 'minors']

Connector words (:data:`ENGLISH_CONNECTOR_WORDS` for English) may stand inside a phrase but never start or end one,
so that ``bank_of_america`` is found as a candidate from "bank" to "america".
"""

from __future__ import annotations

import inspect
import itertools
import logging
import math
import os
import time
from typing import Any, Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _core, persistence
from ._checks import check_float, check_int
from .corpora import corpus_file_paths

__all__ = [
    "Phrases", "FrozenPhrases", "ENGLISH_CONNECTOR_WORDS", "original_scorer", "npmi_scorer", "word2phrase_scorer",
]

logger = logging.getLogger(__name__)

#: gensim's English connector words: articles, and some prepositions and conjunctions, which may stand inside a
#: phrase (``bank_of_america``, ``eye_of_the_beholder``) but never start or end one.
ENGLISH_CONNECTOR_WORDS = frozenset(
    " a an the "  # articles
    " for of with without at from to in on by "  # prepositions, incomplete on purpose, as in gensim
    " and or "  # conjunctions, incomplete on purpose
    .split()
)

# The names a scoring function must take, in gensim's words.
_SCORING_PARAMETERS = ("worda_count", "wordb_count", "bigram_count", "len_vocab", "min_count", "corpus_word_count")


def original_scorer(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count):
    r"""The default score of a bigram, after Mikolov et al. 2013: gensim's ``original_scorer``.

    :math:`\frac{(bigram\_count - min\_count) \cdot len\_vocab}{worda\_count \cdot wordb\_count}`; the engine
    computes the same, step for step, so the scores are equal to the last bit.

    Parameters
    ----------
    worda_count : int
        Occurrences of the first word.
    wordb_count : int
        Occurrences of the second word.
    bigram_count : int
        Occurrences of the candidate (the two words, with any connector words between them).
    len_vocab : int
        Distinct words and bigrams counted.
    min_count : int or float
        The model's ``min_count``, subtracted from the bigram's count.
    corpus_word_count : int
        Not used.

    Returns
    -------
    float
        The score; negative for bigrams seen fewer than ``min_count`` times.
    """
    denominator = worda_count * wordb_count
    if denominator == 0:
        return float("-inf")
    return (bigram_count - min_count) / float(denominator) * len_vocab


def npmi_scorer(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count):
    r"""Normalised pointwise mutual information (Bouma 2009): gensim's ``npmi_scorer``.

    :math:`\frac{\ln(p(a, b) / (p(a) p(b)))}{-\ln p(a, b)}` with :math:`p(x) = count(x) / corpus\_word\_count`, from
    -1 to 1; bigrams seen fewer than ``min_count`` times score ``-inf``.

    Parameters
    ----------
    worda_count : int
        Occurrences of the first word.
    wordb_count : int
        Occurrences of the second word.
    bigram_count : int
        Occurrences of the candidate.
    len_vocab : int
        Not used.
    min_count : int or float
        Bigrams seen fewer times score ``-inf``.
    corpus_word_count : int
        Tokens of the corpus, connector words included.

    Returns
    -------
    float
        The score.
    """
    if bigram_count < min_count:
        return float("-inf")
    words = float(corpus_word_count)
    pa, pb, pab = worda_count / words, wordb_count / words, bigram_count / words
    try:
        return math.log(pab / (pa * pb)) / -math.log(pab)
    except ValueError:  # a count of zero: never a phrase
        return float("-inf")


def word2phrase_scorer(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count):
    r"""word2phrase.c's score, in its single precision (float32).

    0 when either word occurs fewer than ``min_count`` times, else
    :math:`\frac{bigram\_count - min\_count}{worda\_count \cdot wordb\_count} \cdot corpus\_word\_count`: gensim's
    default formula with the corpus's words in place of the number of distinct entries, which makes the threshold
    independent of the vocabulary's size (word2phrase's default threshold is 100).

    Parameters
    ----------
    worda_count : int
        Occurrences of the first word.
    wordb_count : int
        Occurrences of the second word.
    bigram_count : int
        Occurrences of the bigram.
    len_vocab : int
        Not used.
    min_count : int
        Words and bigrams seen fewer times make no phrase.
    corpus_word_count : int
        Tokens of the corpus (word2phrase's ``train_words``).

    Returns
    -------
    float
        The score.
    """
    if worda_count < min_count or wordb_count < min_count:
        return 0.0
    single = np.float32
    score = single(bigram_count - min_count) / single(worda_count) / single(wordb_count) * single(corpus_word_count)
    return float(score)


# The scorers the engine computes itself, by the name it knows them by; gensim's two functions are recognised too.
_ENGINE_SCORERS: Dict[Callable, str] = {
    original_scorer: "default", npmi_scorer: "npmi", word2phrase_scorer: "word2phrase",
}
_SCORERS_BY_NAME = {name: scorer for scorer, name in _ENGINE_SCORERS.items()}


def _engine_name(scoring: Optional[Callable]) -> Optional[str]:
    """The engine's name for one of the built-in scorers (ours or gensim's), None for any other function."""
    if scoring in _ENGINE_SCORERS:
        return _ENGINE_SCORERS[scoring]
    if getattr(scoring, "__module__", None) == "gensim.models.phrases":
        return {"original_scorer": "default", "npmi_scorer": "npmi"}.get(getattr(scoring, "__name__", ""))
    return None


def _engine_scorer(scoring: Callable, min_count) -> Union[str, Callable]:
    """What the engine is given: a built-in scorer's name, or the function called with gensim's keywords."""
    name = _engine_name(scoring)
    if name is not None:
        return name

    def score(worda_count, wordb_count, bigram_count, len_vocab, corpus_word_count):
        return scoring(worda_count=worda_count, wordb_count=wordb_count, bigram_count=bigram_count,
                       len_vocab=len_vocab, min_count=min_count, corpus_word_count=corpus_word_count)

    return score


def _check_scoring(scoring) -> Callable:
    """The scoring function of a ``scoring`` argument: a built-in by name, or a function taking gensim's names."""
    if isinstance(scoring, str):
        if scoring not in _SCORERS_BY_NAME:
            raise ValueError(f"scoring must be 'default', 'npmi', 'word2phrase' or a function, got {scoring!r}")
        return _SCORERS_BY_NAME[scoring]
    if not callable(scoring):
        raise ValueError(f"scoring must be 'default', 'npmi', 'word2phrase' or a function, got {scoring!r}")
    missing = [name for name in _SCORING_PARAMETERS if name not in inspect.getfullargspec(scoring).args]
    if missing:
        raise ValueError(f"scoring function {scoring!r} lacks the parameters {missing}")
    return scoring


def _check_threshold(threshold, scoring) -> float:
    """gensim's checks: the default scorer needs a positive threshold, npmi one from -1 to 1."""
    check_float("threshold", threshold)
    if scoring in ("default", "word2phrase") and threshold <= 0:
        raise ValueError(f"threshold must be > 0 for scoring={scoring!r}, got {threshold}")
    if scoring == "npmi" and not -1 <= threshold <= 1:
        raise ValueError(f"threshold must be between -1 and 1 for scoring='npmi', got {threshold}")
    return threshold


def _check_delimiter(delimiter) -> str:
    if not isinstance(delimiter, str) or not delimiter:
        raise ValueError(f"delimiter must be a non-empty str, got {delimiter!r}")
    return delimiter


def _check_connector_words(connector_words) -> FrozenSet[str]:
    if isinstance(connector_words, (str, bytes)):
        raise ValueError(f"connector_words must be a set of words, got the string {connector_words!r}")
    words = frozenset(connector_words)
    for word in words:
        if not isinstance(word, str):
            raise ValueError(f"connector_words must hold str words, got {word!r}, a {type(word).__name__}")
    return words


def _is_single(obj) -> Tuple[bool, Any]:
    """Whether ``obj`` is one sentence (an iterable of str) or a corpus, as gensim decides it from the first item,
    and an object that yields what ``obj`` yielded (an iterator's first item is put back). An empty ``obj`` is a
    sentence. A first item that is neither a str nor iterable makes a sentence too, whose token the engine refuses
    with a TypeError naming it (gensim would take it for a corpus and fail on iterating the item), and so does a
    str, which the engine refuses as a sentence (gensim would phrase its characters)."""
    if isinstance(obj, (str, bytes)):
        return True, obj
    if isinstance(obj, (list, tuple)):
        return not obj or isinstance(obj[0], str) or not isinstance(obj[0], Iterable), obj
    items = iter(obj)
    try:
        first = next(items)
    except StopIteration:
        return True, obj
    rest = itertools.chain([first], items)
    if isinstance(first, str) or not isinstance(first, Iterable):
        return True, rest
    return False, rest if items is obj else obj


class _PhrasedCorpus:
    """A corpus whose sentences are phrased as they are read: what ``phrases[corpus]`` returns. Re-iterable when the
    corpus is, so it can feed :class:`~w2vfast.Word2Vec` directly."""

    def __init__(self, phrases: "_PhrasesTransformation", corpus):
        self.phrases, self.corpus = phrases, corpus

    def __len__(self) -> int:
        return len(self.corpus)

    def __iter__(self) -> Iterator[List[str]]:
        detector = self.phrases._detector()
        for sentence in self.corpus:
            yield detector.apply(sentence)


class _PhrasesTransformation:
    """What :class:`Phrases` and :class:`FrozenPhrases` share: applying phrases to sentences, corpora and files."""

    min_count: Union[int, float]
    threshold: float
    delimiter: str
    scoring: Optional[Callable]  # None in frozen phrases loaded from a model that scored with a function of its own
    connector_words: FrozenSet[str]

    def _detector(self) -> _core.PhraseDetector:
        raise NotImplementedError

    def _scores_in_python(self) -> bool:
        """Whether the detector calls a Python function to score candidates."""
        return False

    def __getitem__(self, sentence):
        """``phrases[sentence]``: the sentence with its phrases joined; ``phrases[corpus]``: a corpus that phrases
        each sentence as it is read.

        A sentence is an iterable of str; a corpus an iterable of sentences (told apart by the first item, as gensim
        does). Tokens that stay single are the sentence's own str objects.
        """
        is_single, sentence = _is_single(sentence)
        if not is_single:
            return _PhrasedCorpus(self, sentence)
        return self._detector().apply(sentence)

    def score_candidate(self, word_a: str, word_b: str, in_between: Sequence[str]):
        """The phrase a candidate makes, and its score.

        Parameters
        ----------
        word_a : str
            The candidate's first word.
        word_b : str
            Its last word.
        in_between : list of str
            The connector words between them.

        Returns
        -------
        (str, float) or (None, None)
            The tokens joined by the delimiter and the score if the candidate is a phrase, else ``(None, None)``.
        """
        phrase = self.delimiter.join([word_a, *in_between, word_b])
        score = self._detector().score(word_a, word_b, phrase)
        return (None, None) if score is None else (phrase, score)

    def analyze_sentence(self, sentence: Iterable[str]) -> Iterator[Tuple[str, Optional[float]]]:
        """Reads a sentence left to right, joining its phrases (gensim's greedy rule).

        A word that is not a connector opens a candidate, connector words extend it, and the next word closes it:
        if the candidate scores above ``threshold`` it becomes one token and its last word starts nothing; otherwise
        its first word and connectors stay single and its last word opens the next candidate.

        Parameters
        ----------
        sentence : iterable of str
            The tokens.

        Returns
        -------
        iterator of (str, float or None)
            Each output token: a phrase with its score, or a single token with None.
        """
        return iter(self._detector().analyze(sentence))

    def find_phrases(self, sentences: Iterable[Iterable[str]]) -> Dict[str, float]:
        """The phrases that ``sentences`` contain, with their scores.

        Parameters
        ----------
        sentences : iterable of list of str
            The corpus.

        Returns
        -------
        dict of (str, float)
            Each distinct phrase found, joined by the delimiter, in the order first found.
        """
        found = self._detector().find(sentences)
        return dict(zip(found.phrases(), found.scores.tolist()))

    def phrase_file(self, corpus_file, output, workers: Optional[int] = None) -> None:
        """Writes the phrased text of ``corpus_file`` to ``output``, on ``workers`` threads: the fast way to phrase
        a large corpus.

        Each input line becomes one output line, its tokens (phrases joined by the delimiter) separated by single
        spaces; it equals ``" ".join(phrases[line.split()])`` line by line, and feeds ``Word2Vec(corpus_file=...)``
        directly. Plain files are cut into pieces that the threads phrase in parallel; compressed ones are
        decompressed on one more thread. The output is written to a temporary file that replaces ``output`` only
        when complete. With a scoring function of your own, called in Python, this thread phrases the whole text
        (threads would take turns at the GIL for every candidate): at about the speed of ``phrases[sentence]``.

        Parameters
        ----------
        corpus_file : str, path or list of paths
            Text with one sentence per line, words separated by ASCII whitespace: a file, a list of files (phrased
            one after another into the same output) or a directory, as for :class:`~w2vfast.Word2Vec`; plain or
            compressed with gzip, bzip2 or xz.
        output : str or path
            The plain text file to write.
        workers : int, optional
            Threads; defaults to the number of CPU cores.

        Examples
        --------
        >>> phrases.phrase_file("corpus.txt.gz", "phrased.txt")
        >>> model = Word2Vec(corpus_file="phrased.txt")
        """
        paths = corpus_file_paths(corpus_file)
        workers = check_int("workers", (os.cpu_count() or 1) if workers is None else workers, minimum=1)
        if self._scores_in_python():
            workers = 0  # the calling thread phrases: threads would take turns at the GIL for every candidate
        destination = persistence.atomic_output(output)
        with destination:
            self._detector().phrase_files(paths, destination.temporary, workers)

    @classmethod
    def load(cls, fname) -> "_PhrasesTransformation":
        """Loads phrases saved by :meth:`Phrases.save` or :meth:`FrozenPhrases.save`.

        Parameters
        ----------
        fname : str or path
            The file.

        Returns
        -------
        Phrases or FrozenPhrases
            Whichever the file holds, as gensim's ``load`` returns whatever was saved.

        Raises
        ------
        ValueError
            If the file holds no phrases, or is truncated or corrupt.
        """
        name = os.fspath(fname)
        kind, keys, arrays, attributes = persistence.load_native(name)
        try:
            if kind == "phrases":
                return Phrases._restored(keys, arrays["count"], attributes)
            if kind == "frozenphrases":
                return FrozenPhrases._restored(keys, arrays["score"], attributes)
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{name}: the saved phrases are incomplete or corrupt ({error})") from None
        raise ValueError(f"{name}: holds {kind!r}, not phrases")

    def _saved_parameters(self) -> dict:
        """The settings a file keeps: the constructor's parameters, the scorer by name (None for a function)."""
        return {
            "min_count": self.min_count, "threshold": self.threshold, "delimiter": self.delimiter,
            "connector_words": sorted(self.connector_words), "scoring": _engine_name(self.scoring),
        }


class Phrases(_PhrasesTransformation):
    """Detects phrases from the counts of words and bigrams: gensim 4.4's ``Phrases``, counted in C++.

    Every word that is not a connector is counted, and every candidate: two consecutive such words of a sentence,
    with the connector words between them, joined by ``delimiter`` (``"bank_of_america"``), in one table, the
    ``vocab``. A candidate is a phrase when its score (see ``scoring``) is above ``threshold``. The same parameters
    give the same counts, scores and phrases as gensim.

    Parameters
    ----------
    sentences : iterable of list of str, optional
        Token lists to count, read once (a generator will do). Give this or ``corpus_file``, or neither and call
        :meth:`add_vocab` later.
    min_count : int or float, default 5
        The default scorer subtracts it from a bigram's count, so that rare bigrams score low; the npmi scorer gives
        bigrams seen fewer times ``-inf``. Must be > 0.
    threshold : float, default 10.0
        A candidate scoring above it is a phrase: higher, fewer phrases. It depends on the scorer: > 0 for the
        default one, between -1 and 1 for npmi.
    max_vocab_size : int, default 40000000
        Bounds memory while counting, with gensim's rule: after each sentence that leaves more entries (words and
        bigrams) than this, the entries seen fewer than ``min_reduce`` times are dropped (one round), and
        ``min_reduce`` grows by one. gensim estimates the default's memory at 3.6 GB; the engine takes a little less
        than gensim (gcide's 2.3 million entries: 183 MiB against 213).
    delimiter : str, default "_"
        Joins the tokens of a phrase. A token may contain it (a second pass over phrased text does): the table then
        counts "new_york" the word and "new york" the bigram as one entry, as gensim does.
    progress_per : int, default 10000
        Accepted for gensim's sake; counting logs one line when done instead.
    scoring : {'default', 'npmi', 'word2phrase'} or callable, default 'default'
        ``'default'``: :func:`original_scorer`; ``'npmi'``: :func:`npmi_scorer`; ``'word2phrase'``:
        :func:`word2phrase_scorer`; or a function taking the keyword arguments ``worda_count, wordb_count,
        bigram_count, len_vocab, min_count, corpus_word_count`` and returning a float. The engine computes the named
        scorers (and gensim's two functions, when given them); any other function is called from Python for each
        candidate, on the calling thread (phrasing gcide took 1.7 s against 0.23 s on two threads), and cannot be
        saved.
    connector_words : set of str, default frozenset()
        Words that may stand inside a phrase but never start or end one; use :data:`ENGLISH_CONNECTOR_WORDS` for
        English text.
    corpus_file : str, path or list of paths, optional
        Text to count instead of ``sentences``: one sentence per line, as for :class:`~w2vfast.Word2Vec`. Plain files
        are counted on ``workers`` threads, each its byte range, merged in file order: the counts equal those of a
        single pass unless ``max_vocab_size`` pruned them (each range is then pruned on its own). Every line is one
        sentence, however long.
    workers : int, optional
        Threads counting ``corpus_file`` and phrasing files; defaults to the number of CPU cores.

    Attributes
    ----------
    vocab : dict of (str, int)
        The count of each word and bigram.
    corpus_word_count : int
        Tokens counted, connector words included.
    min_reduce : int
        Entries seen fewer times are dropped by the next pruning.

    Examples
    --------
    >>> phrases = Phrases(sentences, min_count=1, threshold=1, connector_words=ENGLISH_CONNECTOR_WORDS)
    >>> phrases[["the", "bank", "of", "america"]]       # a sentence
    ['the', 'bank_of_america']
    >>> phrased = phrases[sentences]                    # a corpus, phrased as it is read
    >>> trigrams = Phrases(phrased, min_count=1, threshold=1)
    >>> model = Word2Vec(trigrams[phrased])

    Notes
    -----
    A sentence that is a str (rather than a list of str), and a token that is not a str, raise ``TypeError``;
    gensim would phrase the characters of the string.
    """

    scoring: Callable

    def __init__(
        self,
        sentences: Optional[Iterable[Iterable[str]]] = None,
        min_count: Union[int, float] = 5,
        threshold: float = 10.0,
        max_vocab_size: int = 40000000,
        delimiter: str = "_",
        progress_per: int = 10000,
        scoring: Union[str, Callable] = "default",
        connector_words: Iterable[str] = frozenset(),
        *,
        corpus_file=None,
        workers: Optional[int] = None,
    ):
        check_float("min_count", min_count, minimum=0, inclusive=False)
        self.min_count = min_count
        self.threshold = _check_threshold(threshold, scoring)
        self.max_vocab_size = check_int("max_vocab_size", max_vocab_size, minimum=1)
        self.delimiter = _check_delimiter(delimiter)
        self.progress_per = check_int("progress_per", progress_per, minimum=1)
        self.scoring = _check_scoring(scoring)
        self.connector_words = _check_connector_words(connector_words)
        self.workers = check_int("workers", (os.cpu_count() or 1) if workers is None else workers, minimum=1)
        self._counts = _core.PhraseCounts(self.max_vocab_size)
        self._vocab: Optional[Dict[str, int]] = None
        self._cached_detector: Optional[Tuple[tuple, _core.CountsPhraseDetector]] = None
        if sentences is not None and corpus_file is not None:
            raise ValueError("give either sentences or corpus_file, not both")
        if sentences is not None or corpus_file is not None:
            self.add_vocab(sentences, corpus_file=corpus_file)

    def __str__(self) -> str:
        return (f"{type(self).__name__}<{self.vocab_size} vocab, min_count={self.min_count}, "
                f"threshold={self.threshold}, max_vocab_size={self.max_vocab_size}>")

    @property
    def vocab(self) -> Dict[str, int]:
        """The count of each word and bigram (bigrams joined by the delimiter), in first-occurrence order.

        Built from the engine's table on first use and kept until the counts change; changing it changes nothing.
        """
        if self._vocab is None:
            self._vocab = dict(zip(self._counts.keys(), self._counts.counts.tolist()))
        return self._vocab

    @property
    def vocab_size(self) -> int:
        """The number of words and bigrams counted: ``len(vocab)`` without building the dictionary."""
        return len(self._counts)

    @property
    def corpus_word_count(self) -> int:
        """The tokens counted, connector words included."""
        return self._counts.total_words

    @property
    def min_reduce(self) -> int:
        """The next pruning drops the entries seen fewer times than this."""
        return self._counts.min_reduce

    def add_vocab(self, sentences: Optional[Iterable[Iterable[str]]] = None, corpus_file=None) -> None:
        """Counts more text and adds its counts, as gensim's ``add_vocab`` does.

        The new text is counted on its own (pruned under ``max_vocab_size`` as it is read), then added to the
        counts, which are pruned once more if the sum holds more than ``max_vocab_size`` entries.

        Parameters
        ----------
        sentences : iterable of list of str, optional
            Token lists, read once.
        corpus_file : str, path or list of paths, optional
            Text files instead, counted on ``workers`` threads. Give exactly one of the two.

        Examples
        --------
        >>> phrases.add_vocab([["new", "york", "city"], ["new", "york", "times"]])
        """
        if (sentences is None) == (corpus_file is None):
            raise ValueError("add_vocab needs exactly one of sentences and corpus_file")
        start = time.perf_counter()
        if corpus_file is not None:
            self._counts.add_files(corpus_file_paths(corpus_file), self.workers, self.delimiter, self.connector_words)
        elif sentences is not None:
            self._counts.add_sentences(sentences, self.delimiter, self.connector_words)
        self._vocab = None
        self._cached_detector = None  # it holds what it computed from the old counts
        logger.info("counted %s in %.2fs: %d words and bigrams from a corpus of %d words",
                    self, time.perf_counter() - start, len(self._counts), self.corpus_word_count)

    def _detector(self) -> _core.CountsPhraseDetector:
        """The engine's detector for the current settings and counts (made again when one of them changed)."""
        settings = (self._counts, self.delimiter, self.connector_words, self.scoring, self.min_count, self.threshold)
        if self._cached_detector is None or self._cached_detector[0] != settings:
            detector = _core.CountsPhraseDetector(
                self._counts, self.delimiter, self.connector_words, _engine_scorer(self.scoring, self.min_count),
                float(self.min_count), float(self.threshold),
            )
            self._cached_detector = (settings, detector)
        return self._cached_detector[1]

    def _scores_in_python(self) -> bool:
        return _engine_name(self.scoring) is None

    def export_phrases(self) -> Dict[str, float]:
        """Every bigram counted that scores as a phrase.

        Each entry of ``vocab`` made of two or more pieces separated by the delimiter is scored as the candidate from
        its first to its last piece, as gensim's ``export_phrases`` does.

        Returns
        -------
        dict of (str, float)
            The phrases, joined by the delimiter, with their scores, in ``vocab`` order.
        """
        exported = self._detector().export_phrases()
        return dict(zip(exported.phrases(), exported.scores.tolist()))

    def freeze(self) -> "FrozenPhrases":
        """The phrases and their scores alone, without the counts: smaller, faster, and no longer updatable.

        Returns
        -------
        FrozenPhrases
            Phrases that give the same results as this model.
        """
        return FrozenPhrases(self)

    def save(self, fname) -> None:
        """Saves the counts and settings in w2vfast's native format, written atomically.

        Parameters
        ----------
        fname : str or path
            The file to write; load it with :meth:`load`.

        Raises
        ------
        ValueError
            If ``scoring`` is a function of your own: a file holds no code. Set ``scoring`` to a built-in before
            saving, or save :meth:`freeze`'s phrases, whose scores are numbers.
        """
        parameters = self._saved_parameters()
        if parameters["scoring"] is None:
            raise ValueError(
                f"scoring {self.scoring!r} is a function of your own, which a file cannot hold: save "
                "phrases.freeze() instead (its scores are numbers), or set scoring to 'default', 'npmi' or "
                "'word2phrase' before saving"
            )
        parameters.update(max_vocab_size=self.max_vocab_size, progress_per=self.progress_per)
        attributes = {"parameters": parameters, "corpus_word_count": self.corpus_word_count,
                      "min_reduce": self.min_reduce}
        persistence.save_native(fname, "phrases", self._counts.keys(), {"count": self._counts.counts}, attributes)

    @classmethod
    def _restored(cls, keys: List[str], counts: np.ndarray, attributes: dict) -> "Phrases":
        phrases = cls(**attributes["parameters"])
        saved = _core.WordCounts(keys, counts, int(attributes["corpus_word_count"]), 0)
        phrases._counts = _core.PhraseCounts.restored(phrases.max_vocab_size, saved, int(attributes["min_reduce"]))
        return phrases


class FrozenPhrases(_PhrasesTransformation):
    """The phrases of a :class:`Phrases` model and their scores, without the counts: gensim's ``FrozenPhrases``.

    Applies phrases as the model did, from a table of phrases instead of the counts (far smaller); it cannot learn
    more. A candidate is a phrase if the table holds it with a score above ``threshold``.

    Parameters
    ----------
    phrases_model : Phrases
        The model to freeze: a w2vfast :class:`Phrases`, or any object with gensim's ``export_phrases()`` and
        settings (a gensim ``Phrases`` will do).

    Attributes
    ----------
    phrasegrams : dict of (str, float)
        The phrases and their scores.

    Examples
    --------
    >>> frozen = phrases.freeze()
    >>> frozen[["new", "york"]]
    ['new_york']
    >>> frozen.save("phrases.w2vf")
    """

    def __init__(self, phrases_model: Any):
        self.threshold = phrases_model.threshold
        self.min_count = phrases_model.min_count
        self.delimiter = phrases_model.delimiter
        self.scoring = phrases_model.scoring
        self.connector_words = frozenset(phrases_model.connector_words)
        if isinstance(phrases_model, Phrases):
            self._table = phrases_model._detector().export_phrases()
        else:
            exported = phrases_model.export_phrases()
            self._table = _core.PhraseScores(list(exported), np.array(list(exported.values()), dtype=np.float64))
        self._phrasegrams: Optional[Dict[str, float]] = None
        self._cached_detector: Optional[Tuple[tuple, _core.FrozenPhraseDetector]] = None

    def __str__(self) -> str:
        return f"{type(self).__name__}<{len(self._table)} phrases, min_count={self.min_count}, threshold={self.threshold}>"

    @property
    def phrasegrams(self) -> Dict[str, float]:
        """The phrases, joined by the delimiter, and their scores; built on first use, and changing it changes
        nothing."""
        if self._phrasegrams is None:
            self._phrasegrams = dict(zip(self._table.phrases(), self._table.scores.tolist()))
        return self._phrasegrams

    def _detector(self) -> _core.FrozenPhraseDetector:
        settings = (self._table, self.delimiter, self.connector_words, self.threshold)
        if self._cached_detector is None or self._cached_detector[0] != settings:
            detector = _core.FrozenPhraseDetector(self._table, self.delimiter, self.connector_words,
                                                  float(self.threshold))
            self._cached_detector = (settings, detector)
        return self._cached_detector[1]

    def save(self, fname) -> None:
        """Saves the phrases, their scores and the settings in w2vfast's native format, written atomically.

        Parameters
        ----------
        fname : str or path
            The file to write; load it with :meth:`load`.
        """
        persistence.save_native(fname, "frozenphrases", self._table.phrases(), {"score": self._table.scores},
                                {"parameters": self._saved_parameters()})

    @classmethod
    def _restored(cls, keys: List[str], scores: np.ndarray, attributes: dict) -> "FrozenPhrases":
        parameters = attributes["parameters"]
        frozen = cls.__new__(cls)
        check_float("min_count", parameters["min_count"], minimum=0, inclusive=False)
        frozen.min_count = parameters["min_count"]
        frozen.threshold = check_float("threshold", parameters["threshold"])
        frozen.delimiter = _check_delimiter(parameters["delimiter"])
        frozen.connector_words = _check_connector_words(parameters["connector_words"])
        scoring = parameters["scoring"]
        frozen.scoring = _check_scoring(scoring) if scoring is not None else None
        frozen._table = _core.PhraseScores(keys, np.asarray(scores, dtype=np.float64))
        frozen._phrasegrams = None
        frozen._cached_detector = None
        return frozen


Phraser = FrozenPhrases  # gensim's old name
