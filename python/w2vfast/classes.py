"""Word classes: k-means clustering of word vectors, as word2vec.c's ``-classes`` computes it.

word2vec.c clusters the trained vectors into ``K`` classes and writes ``word class`` lines instead of vectors. Its
k-means is spherical: each class's centre is the normalised mean of its members, and a word joins the class whose
centre has the largest dot product with its vector. :func:`word_classes` is that algorithm in NumPy, with the
assignment step as one matrix product a block of words, so 44,000 words of 100 dimensions take a fraction of a
second. It is used by :meth:`w2vfast.KeyedVectors.word_classes` and by ``w2vfast train -classes K``.

Why not scikit-learn's ``KMeans``: it is not a dependency, and it clusters by Euclidean distance with k-means++
initialisation, so its classes would differ from word2vec.c's for the same vectors; this is word2vec.c's rule
(including its starting assignment, ``word i in class i mod K``), deterministic, and as fast.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

__all__ = ["word_classes"]

# The assignment step scores blocks of at most this many word-class pairs at once (64 MiB of float32).
_BLOCK_FLOATS = 1 << 24


def word_classes(vectors: np.ndarray, n_classes: int, iterations: int = 10, seed: Optional[int] = None) -> np.ndarray:
    """The class of each row of ``vectors`` after ``iterations`` rounds of word2vec.c's spherical k-means.

    Parameters
    ----------
    vectors : numpy.ndarray
        One row per word.
    n_classes : int
        The number of classes, ``K``; at most the number of rows.
    iterations : int, default 10
        Rounds of (centres from members, members to the nearest centre); word2vec.c runs 10.
    seed : int, optional
        ``None`` (default) starts as word2vec.c does, row ``i`` in class ``i mod K``, so the classes are exactly
        word2vec.c's; an integer starts from a random assignment drawn with that seed instead, reproducibly.

    Returns
    -------
    numpy.ndarray
        The class of each row, an int64 in ``[0, n_classes)``.

    Raises
    ------
    ValueError
        If ``n_classes`` is not between 1 and the number of rows, or ``iterations`` is negative.

    Examples
    --------
    >>> classes = word_classes(model.wv.vectors, 100)
    >>> model.wv.index_to_key[0], classes[0]
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    rows = len(vectors)
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or not 1 <= n_classes <= rows:
        raise ValueError(f"n_classes must be an integer from 1 to the number of words ({rows}), got {n_classes!r}")
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) or iterations < 0:
        raise ValueError(f"iterations must be a non-negative integer, got {iterations!r}")
    if seed is None:
        classes = np.arange(rows, dtype=np.int64) % n_classes
    else:
        classes = np.random.default_rng(seed).integers(0, n_classes, size=rows)
    for _ in range(iterations):
        centres = _centres(vectors, classes, n_classes)
        classes = _nearest(vectors, centres)
    return classes


def _centres(vectors: np.ndarray, classes: np.ndarray, n_classes: int) -> np.ndarray:
    """Each class's mean, normalised to unit length; NaN for a class without members. As in word2vec.c, every
    class counts one member more than it has (its counts start at 1), which scales the mean before normalisation
    only, and an empty class's centre is 0 / 0: NaN, which no word ever joins."""
    # One weighted bincount a dimension: ten times faster than np.add.at over the rows.
    sums = np.stack([np.bincount(classes, weights=column, minlength=n_classes) for column in vectors.T], axis=1)
    means = sums / (np.bincount(classes, minlength=n_classes) + 1)[:, None]
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    with np.errstate(invalid="ignore"):
        return (means / norms).astype(np.float32)


def _nearest(vectors: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """The class whose centre has the largest dot product with each row (NaN centres never); of equal products, the
    lower class, as word2vec.c's strict comparison keeps the first."""
    empty = np.isnan(centres[:, 0])
    centres = np.where(empty[:, None], 0.0, centres).astype(np.float32)
    classes = np.empty(len(vectors), dtype=np.int64)
    block = max(1, _BLOCK_FLOATS // len(centres))
    for start in range(0, len(vectors), block):
        scores = vectors[start : start + block] @ centres.T
        scores[:, empty] = -np.inf
        classes[start : start + block] = np.argmax(scores, axis=1)
    return classes
