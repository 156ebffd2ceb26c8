"""Data files that ship inside the package.

``kjv.txt.gz``
    The King James Version of the Bible (public domain), from Debian's ``bible-kjv-text`` package: 31,102 verses,
    one per line, lowercased, with every run of characters other than ``a``-``z`` turned into a space (the
    normalisation of Matt Mahoney's text8). 791,450 words, 12,544 distinct. Small enough to train on in seconds,
    large enough for meaningful neighbours.

``questions-words.txt``
    Google's word-analogy questions (Mikolov et al., 2013; Apache-2.0): 19,544 lines ``a b c d`` ("a is to b as
    c is to d") in 14 sections, each opened by a line ``: section-name``. The input of
    :meth:`w2vfast.KeyedVectors.evaluate_word_analogies`.

``wordsim353.tsv``
    WordSimilarity-353 (Finkelstein et al., 2002): 353 word pairs with mean human relatedness scores, tab-separated,
    ``#`` comment lines first. An input of :meth:`w2vfast.KeyedVectors.evaluate_word_pairs`.

``simlex999.txt``
    SimLex-999 (Hill, Reichart and Korhonen, 2015): 999 word pairs with mean human similarity scores, in the same
    format as ``wordsim353.tsv``.

The files are byte-identical to the copies gensim ships in ``gensim/test/test_data``, so evaluations with either
library read the same questions. ``data/LICENSES.md`` records the source and licence of each file.

Examples
--------
>>> from w2vfast import datasets
>>> score, sections = model.wv.evaluate_word_analogies(datasets.path("questions-words.txt"))
>>> pearson, spearman, oov_percent = model.wv.evaluate_word_pairs(datasets.path("wordsim353.tsv"))
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Iterator, List

__all__ = ["path", "names", "kjv_sentences", "extract"]

_DATA = Path(__file__).resolve().parent / "data"


def names() -> List[str]:
    """The names of the shipped data files (``LICENSES.md``, their credits, is not one of them).

    Returns
    -------
    list of str
        The file names, sorted.

    Examples
    --------
    >>> datasets.names()
    ['kjv.txt.gz', 'questions-words.txt', 'simlex999.txt', 'wordsim353.tsv']
    """
    return sorted(
        entry.name
        for entry in _DATA.iterdir()
        if entry.is_file() and not entry.name.startswith(".") and entry.suffix != ".md"
    )


def path(name: str) -> str:
    """The absolute path of a shipped data file, e.g. ``path('questions-words.txt')``.

    Parameters
    ----------
    name : str
        One of :func:`names`.

    Returns
    -------
    str
        The file's absolute path inside the installed package.

    Raises
    ------
    FileNotFoundError
        If w2vfast ships no file of that name; the message lists those it ships.
    """
    if name not in names():
        raise FileNotFoundError(f"w2vfast ships no data file {name!r}; available: {', '.join(names())}")
    return str(_DATA / name)


def extract(name: str, folder: str) -> str:
    """Decompresses a shipped ``.gz`` file into ``folder`` and returns the path of the plain file.

    ``corpus_file=`` reads compressed files too, but a plain file is read by every thread in parallel.

    Parameters
    ----------
    name : str
        One of :func:`names`; a name not ending in ``.gz`` is copied as it is.
    folder : str or path
        An existing folder; the file is written there under ``name`` without ``.gz``.

    Returns
    -------
    str
        The path of the written file.

    Examples
    --------
    >>> corpus = datasets.extract("kjv.txt.gz", "/tmp")
    >>> model = Word2Vec(corpus_file=corpus)
    """
    target = Path(folder) / name[: -len(".gz")] if name.endswith(".gz") else Path(folder) / name
    with gzip.open(path(name), "rb") as source, open(target, "wb") as out:
        while True:
            block = source.read(1 << 20)
            if not block:
                break
            out.write(block)
    return os.fspath(target)


class kjv_sentences:
    """The King James Bible as a re-iterable of tokenised verses (lists of str), for the ``sentences`` argument.

    Examples
    --------
    >>> model = Word2Vec(datasets.kjv_sentences(), min_count=5)
    """

    def __iter__(self) -> Iterator[List[str]]:
        with gzip.open(path("kjv.txt.gz"), "rt", encoding="ascii") as lines:
            for line in lines:
                yield line.split()
