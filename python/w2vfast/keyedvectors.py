"""Word vectors and the queries people run on them.

:class:`KeyedVectors` maps words (keys) to rows of a float32 matrix. It has the names of gensim's
``gensim.models.KeyedVectors`` so that code written for gensim runs unchanged::

    >>> from w2vfast import KeyedVectors
    >>> wv = KeyedVectors.load_word2vec_format("vectors.bin", binary=True)
    >>> wv.most_similar("king", topn=3)
    >>> wv.similarity("king", "queen")
    >>> wv.save("vectors.w2vf"); wv = KeyedVectors.load("vectors.w2vf", mmap="r")

It reads and writes the word2vec C formats (text and binary), so vectors move freely between w2vfast, gensim,
word2vec.c and fastText, and has a native format (:mod:`w2vfast.persistence`) that loads memory-mapped.
"""

from __future__ import annotations

import logging
import os
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _core, evaluation, persistence
from . import classes as classes_module
from ._arrays import aligned_vstack

__all__ = ["KeyedVectors"]

logger = logging.getLogger(__name__)

Key = str
VectorOrKey = Union[str, np.ndarray]
# Batched queries compute score blocks of at most this many float32 numbers (64 MiB) at a time.
_BLOCK_FLOATS = 1 << 24


class KeyedVectors:
    """Vectors of ``vector_size`` float32 numbers, one per key.

    Parameters
    ----------
    vector_size : int
        Dimensionality of the vectors.
    count : int, optional
        Number of rows to allocate up front (filled with zeros).

    Attributes
    ----------
    vectors : numpy.ndarray
        The ``(len(self), vector_size)`` float32 matrix. During :meth:`Word2Vec.train` this is the very array the
        engine updates, so it always shows the current state of training. Assigning a new matrix clears the cached
        norms; after changing rows in place yourself, call ``fill_norms(force=True)``.
    index_to_key : list of str
        The key of each row, most frequent first for trained models.
    key_to_index : dict
        The row of each key.
    norms : numpy.ndarray or None
        The cached L2 norm of each row (see :meth:`fill_norms`).
    """

    def __init__(self, vector_size: int, count: int = 0):
        self.vector_size = int(vector_size)
        self.vectors = np.zeros((count, self.vector_size), dtype=np.float32)
        self.index_to_key: List[Key] = []
        self.key_to_index: Dict[Key, int] = {}
        self.expandos: Dict[str, np.ndarray] = {}

    @property
    def vectors(self) -> np.ndarray:
        """The ``(len(self), vector_size)`` float32 matrix of the vectors, row ``i`` for key ``index_to_key[i]``.

        During :meth:`Word2Vec.train` it is the very array the engine updates, so it always shows the current state
        of training. Assigning a new matrix clears the cached norms (see :meth:`fill_norms`).
        """
        return self._vectors

    @vectors.setter
    def vectors(self, matrix: np.ndarray) -> None:
        self._vectors = matrix
        self.norms = None  # a new matrix: the cached norms describe the old one

    # ---------------------------------------------------------------- lookup

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, key: Key) -> bool:
        return key in self.key_to_index

    def __getitem__(self, key_or_keys):
        """The vector of a key, or a matrix of vectors for a list of keys: ``wv["king"]``, ``wv[["king", "queen"]]``."""
        if isinstance(key_or_keys, str):
            return self.get_vector(key_or_keys)
        return self.vectors[[self.get_index(key) for key in key_or_keys]]

    def __setitem__(self, key_or_keys, weights) -> None:
        """Sets the vector of a key (or the vectors of a list of keys), adding keys that are new."""
        keys = [key_or_keys] if isinstance(key_or_keys, str) else list(key_or_keys)
        self.add_vectors(keys, weights)

    def has_index_for(self, key: Key) -> bool:
        """Whether ``key`` has a vector, as ``key in wv`` says.

        Parameters
        ----------
        key : str
            The key to look up.

        Returns
        -------
        bool
            True if the key is in the vocabulary.
        """
        return key in self.key_to_index

    def get_index(self, key: Key, default: Optional[int] = None) -> int:
        """The row of ``key`` in :attr:`vectors`.

        Parameters
        ----------
        key : str
            The key to look up.
        default : int, optional
            Returned when the key is not in the vocabulary. Without it, such a key raises ``KeyError``.

        Returns
        -------
        int
            The key's row.

        Raises
        ------
        KeyError
            If the key is not in the vocabulary and no ``default`` is given; the message names the key.
        """
        index = self.key_to_index.get(key)
        if index is not None:
            return index
        if default is not None:
            return default
        raise KeyError(f"Key {key!r} not present in vocabulary")

    def get_vector(self, key: Key, norm: bool = False) -> np.ndarray:
        """The vector of ``key``, also available as ``wv[key]``; ``word_vec`` is another name for it (gensim's).

        Parameters
        ----------
        key : str
            The key.
        norm : bool, default False
            Return the vector scaled to unit length (a copy) instead of the row itself.

        Returns
        -------
        numpy.ndarray
            A view into :attr:`vectors` (changing it changes the model), or its unit-length copy with ``norm=True``.

        Raises
        ------
        KeyError
            If the key is not in the vocabulary.

        Examples
        --------
        >>> wv.get_vector("king").shape
        (100,)
        """
        index = self.get_index(key)
        if norm:
            return self.vectors[index] / self.fill_norms()[index]
        return self.vectors[index]

    word_vec = get_vector

    def get_vecattr(self, key: Key, attr: str):
        """A per-key attribute, such as ``'count'`` (the word's corpus frequency) for trained models.

        Parameters
        ----------
        key : str
            The key.
        attr : str
            The attribute's name. Trained models and vectors loaded with their counts have ``'count'``.

        Returns
        -------
        int or float
            The attribute's value for that key, as a Python number.

        Examples
        --------
        >>> model.wv.get_vecattr("king", "count")
        """
        return self.expandos[attr][self.get_index(key)].item()

    def set_vecattr(self, key: Key, attr: str, value) -> None:
        """Sets a per-key attribute, creating it (zero for every other key) if it is new.

        Parameters
        ----------
        key : str
            The key, which must be in the vocabulary.
        attr : str
            The attribute's name, such as ``'count'``.
        value : number
            Its value for this key; a new attribute takes this value's dtype.
        """
        if attr not in self.expandos:
            self.expandos[attr] = np.zeros(len(self), dtype=np.asarray(value).dtype)
        self.expandos[attr][self.get_index(key)] = value

    def add_vector(self, key: Key, vector) -> int:
        """Adds one key with its vector, or replaces the vector of a key already present.

        Parameters
        ----------
        key : str
            The key.
        vector : array_like
            ``vector_size`` numbers.

        Returns
        -------
        int
            The key's row.
        """
        self.add_vectors([key], np.reshape(vector, (1, -1)))
        return self.get_index(key)

    def add_vectors(self, keys: Sequence[Key], weights) -> None:
        """Appends keys with their vectors; keys already present get their vector replaced.

        New keys get zero in every per-key attribute (see :meth:`get_vecattr`). ``wv[keys] = weights`` does the
        same.

        Parameters
        ----------
        keys : sequence of str
            The keys.
        weights : array_like
            Their vectors, ``len(keys) x vector_size`` numbers (stored as float32).
        """
        weights = np.asarray(weights, dtype=np.float32).reshape(len(keys), self.vector_size)
        new_rows = []
        for key, vector in zip(keys, weights):
            if key in self.key_to_index:
                self.vectors[self.key_to_index[key]] = vector
            else:
                self.key_to_index[key] = len(self.index_to_key)
                self.index_to_key.append(key)
                new_rows.append(vector)
        if new_rows:
            self.vectors = aligned_vstack([self.vectors, np.asarray(new_rows, dtype=np.float32)])
            for attr, values in self.expandos.items():
                self.expandos[attr] = np.concatenate([values, np.zeros(len(new_rows), dtype=values.dtype)])
        self.norms = None

    def get_mean_vector(
        self,
        keys: Iterable[VectorOrKey],
        weights=None,
        pre_normalize: bool = True,
        post_normalize: bool = False,
        ignore_missing: bool = True,
    ) -> np.ndarray:
        """The weighted mean of the vectors of ``keys`` (keys or raw vectors), divided by the sum of ``|weights|``.

        Parameters
        ----------
        keys : iterable of str or numpy.ndarray
            Keys, whose vectors are averaged, or raw vectors of ``vector_size`` numbers, used as they are.
        weights : list of float, optional
            One per key; default all 1.
        pre_normalize : bool, default True
            Make the keys' vectors unit length before averaging (raw vectors are used as given).
        post_normalize : bool, default False
            Make the mean unit length.
        ignore_missing : bool, default True
            Skip keys that are not in the vocabulary; if ``False``, they raise ``KeyError``.

        Returns
        -------
        numpy.ndarray
            The mean, ``vector_size`` numbers.

        Raises
        ------
        ValueError
            If ``keys`` is empty or ``weights`` does not hold one weight per key.
        """
        keys = list(keys)
        if not keys:
            raise ValueError("cannot compute the mean of no keys")
        weights = np.ones(len(keys), dtype=self.vectors.dtype) if weights is None else np.asarray(weights)
        if weights.shape != (len(keys),):
            raise ValueError(f"got {len(weights)} weights for {len(keys)} keys")
        mean = np.zeros(self.vector_size, dtype=self.vectors.dtype)
        total_weight = 0.0
        for key, weight in zip(keys, weights):
            if isinstance(key, np.ndarray):
                mean += weight * key
            elif key in self:  # as gensim: FastText's vectors answer for words outside the vocabulary too
                mean += weight * self.get_vector(key, norm=pre_normalize)
            elif ignore_missing:
                continue
            else:
                raise KeyError(f"Key {key!r} not present in vocabulary")
            total_weight += abs(weight)
        if total_weight > 0:
            mean = mean / total_weight
        return _unit(mean).astype(self.vectors.dtype) if post_normalize else mean

    # ---------------------------------------------------------------- similarity

    def fill_norms(self, force: bool = False) -> np.ndarray:
        """Computes (and caches) the L2 norm of every vector, and returns them. Training and assigning
        :attr:`vectors` clear the cache.

        Queries use the returned array rather than the cache (the attribute ``norms``), which a model training in
        another thread may clear at any moment.

        Parameters
        ----------
        force : bool, default False
            Recompute the norms even if they are cached: needed after changing rows of :attr:`vectors` in place.

        Returns
        -------
        numpy.ndarray
            The norm of each row of :attr:`vectors`.
        """
        norms = self.norms
        if norms is None or force or len(norms) != len(self.vectors):
            norms = self.norms = np.linalg.norm(self.vectors, axis=1)
        return norms

    def _divisors(self) -> np.ndarray:
        """The norms with zeros replaced by ones, to divide scores by: computed once per :meth:`fill_norms`, not once
        per query."""
        norms = self.fill_norms()
        cached = getattr(self, "_divisors_of", None)
        if cached is None or cached[0] is not norms:
            cached = self._divisors_of = (norms, _nonzero(norms))
        return cached[1]

    def get_normed_vectors(self) -> np.ndarray:
        """A unit-length copy of :attr:`vectors` (rows of zeros stay zero).

        Returns
        -------
        numpy.ndarray
            A ``(len(self), vector_size)`` matrix whose rows have length 1.
        """
        return self.vectors / self._divisors()[:, None]

    def most_similar(
        self,
        positive=None,
        negative=None,
        topn: Optional[int] = 10,
        clip_start: int = 0,
        clip_end: Optional[int] = None,
        restrict_vocab: Optional[int] = None,
        indexer=None,
    ):
        """The ``topn`` keys nearest by cosine similarity to the mean of ``positive`` minus ``negative``.

        Parameters
        ----------
        positive, negative : str, vector, ``(key, weight)``, or list of them; or a 2-D array of query vectors
            Keys (or raw vectors) that add to, respectively subtract from, the query. Each is normalised to unit
            length first, as in gensim, so ``most_similar(positive=['king', 'woman'], negative=['man'])`` is the
            3CosAdd analogy query. A 2-D array as ``positive`` is a batch of independent queries, answered with
            one matrix product per block of queries (see :meth:`most_similar_batch`).
        topn : int or None, default 10
            Number of neighbours to return; ``None`` (or 0) returns the similarity to every key as an array.
        clip_start : int, default 0
            Only search rows from ``clip_start`` on.
        clip_end : int, optional
            Only search rows before ``clip_end`` (default: to the end).
        restrict_vocab : int, optional
            Only search the first ``restrict_vocab`` keys (the most frequent ones for trained models).
        indexer : object, optional
            An approximate-nearest-neighbour index with gensim's ``most_similar(vector, topn)`` interface.

        Returns
        -------
        list of (str, float)
            Keys and cosine similarities, most similar first. Keys of the query are excluded.

        Examples
        --------
        >>> wv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)
        >>> wv.most_similar(wv[["paris", "rome"]], topn=5)   # two independent queries -> two lists
        """
        if isinstance(positive, np.ndarray) and positive.ndim == 2:
            if negative is not None and len(_as_list(negative)) > 0:
                raise ValueError("a 2-D array of queries takes no negative terms")
            if not topn:
                raise ValueError("a 2-D array of queries needs topn >= 1 (all similarities: wv.vectors @ queries.T)")
            return self.most_similar_batch(positive, topn, restrict_vocab=restrict_vocab)
        terms = [(item, 1.0) for item in _as_list(positive)] + [(item, -1.0) for item in _as_list(negative)]
        if not terms:
            raise ValueError("most_similar needs at least one positive or negative key or vector")
        keys, weights = [], []
        for item, sign in terms:
            if isinstance(item, tuple) and len(item) == 2 and not isinstance(item[0], tuple):
                item, sign = item  # gensim's (key, weight) form
            keys.append(item)
            weights.append(sign)
        query = self.get_mean_vector(keys, weights, pre_normalize=True, post_normalize=True, ignore_missing=False)
        excluded = [self.key_to_index[key] for key in keys if isinstance(key, str) and key in self.key_to_index]
        if indexer is not None and topn:
            return indexer.most_similar(query, topn)
        start, end = _clip(len(self), clip_start, clip_end, restrict_vocab)
        similarities = self.vectors[start:end] @ query
        similarities /= self._divisors()[start:end]
        if topn is None:
            return similarities
        return self._top(similarities, topn, exclude={index - start for index in excluded}, offset=start)

    def most_similar_batch(
        self, queries, topn: int = 10, restrict_vocab: Optional[int] = None, exclude_self: bool = False
    ) -> List[List[Tuple[Key, float]]]:
        """Nearest keys of many queries at once: one matrix product per block of queries, top-k by argpartition.

        Parameters
        ----------
        queries : 2-D array of vectors, or list of str
            Query vectors (each compared by cosine similarity), or keys whose vectors are the queries.
        topn : int, default 10
            Neighbours per query.
        restrict_vocab : int, optional
            Only search the first ``restrict_vocab`` keys.
        exclude_self : bool, default False
            Leave each query key out of its own result, as ``most_similar(key)`` does. Only with keys.

        Returns
        -------
        list of list of (str, float)
            For each query, what ``similar_by_vector`` (vectors) or ``most_similar`` (keys, with
            ``exclude_self=True``) would return, up to float32 rounding of near-equal similarities.

        Examples
        --------
        >>> words = wv.index_to_key[:10000]
        >>> neighbours = wv.most_similar_batch(words, topn=10, exclude_self=True)
        """
        if isinstance(queries, np.ndarray) and queries.dtype.kind in "fiu":
            if exclude_self:
                raise ValueError("exclude_self needs keys, not vectors, as queries")
            matrix, own_rows = np.atleast_2d(queries), None
        else:
            own_rows = np.array([self.get_index(key) for key in queries], dtype=np.int64)
            matrix = self.vectors[own_rows]
            own_rows = own_rows if exclude_self else None
        if matrix.shape[-1] != self.vector_size:
            raise ValueError(f"queries have {matrix.shape[-1]} dimensions, the vectors {self.vector_size}")
        topn = int(topn)
        start, end = _clip(len(self), 0, None, restrict_vocab)
        if topn <= 0 or end == 0:
            return [[] for _ in matrix]
        # Unit rows on both sides: the product is the cosine similarity, with no pass over the scores to scale them.
        unit_vectors = self.vectors[:end] / self._divisors()[:end, None]
        matrix = matrix.astype(self.vectors.dtype, copy=False)
        matrix = matrix / _nonzero(np.linalg.norm(matrix, axis=1))[:, None]
        wanted = min(topn, end - (own_rows is not None))
        results: List[List[Tuple[Key, float]]] = []
        block = max(1, _BLOCK_FLOATS // end)
        for first in range(0, len(matrix), block):
            scores = matrix[first : first + block] @ unit_vectors.T
            if own_rows is not None:
                rows = own_rows[first : first + block]
                inside = rows < end
                scores[np.flatnonzero(inside), rows[inside]] = -np.inf
            top = evaluation._top_sorted(scores, wanted)
            top_scores = np.take_along_axis(scores, top, axis=1)
            keys = self.index_to_key
            results.extend(
                [(keys[i], float(s)) for i, s in zip(row, row_scores)] for row, row_scores in zip(top, top_scores)
            )
        return results

    def similar_by_vector(self, vector, topn: Optional[int] = 10, restrict_vocab: Optional[int] = None):
        """The ``topn`` keys nearest to a raw vector (the vector's own key, if any, is not excluded).

        Parameters
        ----------
        vector : array_like
            The query, ``vector_size`` numbers.
        topn : int or None, default 10
            Number of neighbours to return; ``None`` returns the similarity to every key as an array.
        restrict_vocab : int, optional
            Only search the first ``restrict_vocab`` keys (the most frequent ones for trained models).

        Returns
        -------
        list of (str, float)
            Keys and cosine similarities, most similar first.
        """
        return self.most_similar(positive=[np.asarray(vector)], topn=topn, restrict_vocab=restrict_vocab)

    def similar_by_key(self, key: Key, topn: Optional[int] = 10, restrict_vocab: Optional[int] = None):
        """The ``topn`` keys nearest to ``key``, the key itself excluded; ``similar_by_word`` is another name for it.

        Parameters
        ----------
        key : str
            The query key.
        topn : int or None, default 10
            Number of neighbours to return; ``None`` returns the similarity to every key as an array.
        restrict_vocab : int, optional
            Only search the first ``restrict_vocab`` keys (the most frequent ones for trained models).

        Returns
        -------
        list of (str, float)
            Keys and cosine similarities, most similar first.
        """
        return self.most_similar(positive=[key], topn=topn, restrict_vocab=restrict_vocab)

    similar_by_word = similar_by_key

    def most_similar_cosmul(
        self, positive=None, negative=None, topn: Optional[int] = 10, restrict_vocab: Optional[int] = None
    ):
        """Analogy by 3CosMul (Levy and Goldberg, 2014): the keys maximising the product of the similarities to
        ``positive`` divided by the product of those to ``negative``, similarities shifted to ``[0, 1]``.

        Takes the arguments of :meth:`most_similar` (raw vectors are used as given, not normalised, as in gensim),
        except that at least one term must be positive.

        Parameters
        ----------
        positive : str, vector, or list of them
            Terms whose similarity multiplies the score.
        negative : str, vector, or list of them, optional
            Terms whose similarity divides it.
        topn : int or None, default 10
            Number of keys to return; ``None`` returns the score of every key as an array.
        restrict_vocab : int, optional
            Only search the first ``restrict_vocab`` keys (the most frequent ones for trained models).

        Returns
        -------
        list of (str, float)
            Keys and their scores, best first. Keys of the query are excluded.

        Examples
        --------
        >>> wv.most_similar_cosmul(positive=["king", "woman"], negative=["man"], topn=1)
        """
        positive, negative = _as_list(positive), _as_list(negative)
        if not positive:
            raise ValueError("most_similar_cosmul needs at least one positive key or vector")
        excluded = {self.key_to_index[item] for item in positive + negative
                    if isinstance(item, str) and item in self.key_to_index}
        start, end = _clip(len(self), 0, None, restrict_vocab)
        vectors, norms = self.vectors[:end], self._divisors()[:end]

        def shifted_similarities(items):
            terms = [self.get_vector(item, norm=True) if isinstance(item, str) else np.asarray(item) for item in items]
            return [(1 + vectors @ term / norms) / 2 for term in terms]

        scores = np.prod(shifted_similarities(positive), axis=0)
        if negative:
            scores = scores / (np.prod(shifted_similarities(negative), axis=0) + 0.000001)
        if topn is None:
            return scores
        return self._top(scores, topn, exclude=excluded)

    def _top(self, similarities: np.ndarray, topn: int, exclude, offset: int = 0) -> List[Tuple[Key, float]]:
        # The best topn + len(exclude), in one pass over the scores; excluded keys are dropped afterwards.
        if int(topn) < 1:
            return []
        wanted = min(int(topn) + len(exclude), len(similarities))
        if wanted <= 0:
            return []
        best = _core.top_k(similarities[None, :], wanted, 1)[0]
        return [(self.index_to_key[i + offset], float(similarities[i])) for i in best if i not in exclude][: int(topn)]

    def similarity(self, key1: Key, key2: Key) -> float:
        """Cosine similarity of two keys.

        Parameters
        ----------
        key1, key2 : str
            The keys.

        Returns
        -------
        float
            Their cosine similarity, between -1 and 1.

        Examples
        --------
        >>> wv.similarity("king", "queen")
        """
        return float(np.dot(self.get_vector(key1, norm=True), self.get_vector(key2, norm=True)))

    def n_similarity(self, keys1: Sequence[Key], keys2: Sequence[Key]) -> float:
        """Cosine similarity of the means of two lists of keys (the means of the raw vectors, as in gensim).

        Parameters
        ----------
        keys1, keys2 : sequence of str
            Two non-empty lists of keys.

        Returns
        -------
        float
            The cosine similarity of the two means.
        """
        if not len(keys1) or not len(keys2):
            raise ValueError("n_similarity needs at least one key in each list")
        mean1 = self.get_mean_vector(keys1, pre_normalize=False, ignore_missing=False)
        mean2 = self.get_mean_vector(keys2, pre_normalize=False, ignore_missing=False)
        return float(np.dot(_unit(mean1), _unit(mean2)))

    def distance(self, key1: Key, key2: Key) -> float:
        """Cosine distance of two keys, ``1 - similarity(key1, key2)``.

        Parameters
        ----------
        key1, key2 : str
            The keys.

        Returns
        -------
        float
            Their cosine distance, between 0 and 2.
        """
        return 1.0 - self.similarity(key1, key2)

    @staticmethod
    def cosine_similarities(vector_1, vectors_all) -> np.ndarray:
        """Cosine similarity of one vector with each row of a matrix.

        Parameters
        ----------
        vector_1 : numpy.ndarray
            One vector.
        vectors_all : array_like
            A matrix with one vector of the same size per row.

        Returns
        -------
        numpy.ndarray
            One similarity per row of ``vectors_all``.
        """
        vectors_all = np.asarray(vectors_all)
        norms = np.linalg.norm(vector_1) * np.linalg.norm(vectors_all, axis=1)
        return vectors_all @ vector_1 / norms

    def distances(self, word_or_vector: VectorOrKey, other_words: Sequence[Key] = ()) -> np.ndarray:
        """Cosine distances from a key or vector to other keys.

        Parameters
        ----------
        word_or_vector : str or numpy.ndarray
            A key, or a raw vector.
        other_words : sequence of str, default ()
            The keys to measure to; empty means every key.

        Returns
        -------
        numpy.ndarray
            One distance per key of ``other_words`` (or per row of :attr:`vectors`).
        """
        vector = self.get_vector(word_or_vector) if isinstance(word_or_vector, str) else np.asarray(word_or_vector)
        others = self.vectors if not len(other_words) else self[list(other_words)]
        return 1 - self.cosine_similarities(vector, others)

    def doesnt_match(self, words: Sequence[Key]) -> Key:
        """The word that does not belong: the one furthest from the mean of ``words``.

        Parameters
        ----------
        words : sequence of str
            The words; those not in the vocabulary are ignored, with a logged warning.

        Returns
        -------
        str
            The word whose unit vector is least similar to the mean of all their unit vectors.

        Examples
        --------
        >>> wv.doesnt_match(["breakfast", "cereal", "dinner", "lunch"])
        """
        used = [word for word in words if word in self.key_to_index]
        if len(used) != len(words):
            logger.warning("ignoring words not in the vocabulary: %s", sorted(set(words) - set(used)))
        if not used:
            raise ValueError("doesnt_match needs at least one word in the vocabulary")
        vectors = np.vstack([self.get_vector(word, norm=True) for word in used])
        mean = _unit(vectors.mean(axis=0))
        return min(zip(vectors @ mean, used))[1]

    def rank(self, key1: Key, key2: Key) -> int:
        """The rank of ``key2`` among the neighbours of ``key1`` (1 for the nearest).

        Parameters
        ----------
        key1, key2 : str
            The keys.

        Returns
        -------
        int
            One more than the number of keys closer to ``key1`` than ``key2`` is.
        """
        return len(self.closer_than(key1, key2)) + 1

    def closer_than(self, key1: Key, key2: Key) -> List[Key]:
        """The keys closer to ``key1`` than ``key2`` is; ``words_closer_than`` is another name for it.

        Parameters
        ----------
        key1, key2 : str
            The keys.

        Returns
        -------
        list of str
            The keys, ``key1`` left out, in vocabulary order.
        """
        all_distances = self.distances(key1)
        index1, index2 = self.get_index(key1), self.get_index(key2)
        closer = np.flatnonzero(all_distances < all_distances[index2])
        return [self.index_to_key[index] for index in closer if index != index1]

    words_closer_than = closer_than

    def most_similar_to_given(self, key1: Key, keys_list: Sequence[Key]) -> Key:
        """The key of ``keys_list`` most similar to ``key1``.

        Parameters
        ----------
        key1 : str
            The query key.
        keys_list : sequence of str
            The candidates.

        Returns
        -------
        str
            The candidate with the highest cosine similarity to ``key1``.
        """
        return keys_list[int(np.argmin(self.distances(key1, keys_list)))]

    # ---------------------------------------------------------------- evaluation

    def evaluate_word_analogies(
        self,
        analogies,
        restrict_vocab: Optional[int] = 300000,
        case_insensitive: bool = True,
        dummy4unknown: bool = False,
        similarity_function: str = "most_similar",
    ):
        """Accuracy on analogy questions, computed as gensim computes it (word2vec.c's ``compute-accuracy``).

        Each line ``a b c d`` of ``analogies`` asks for the key nearest to ``b - a + c`` (3CosAdd, as in
        ``most_similar(positive=[b, c], negative=[a])``); the answer is right if it is ``d``. All questions of a
        section are answered with one matrix product, many times faster than gensim's loop, with the same results.

        Parameters
        ----------
        analogies : str or path
            A file of questions, one ``a b c d`` per line, in sections opened by ``: section-name`` lines, such as
            ``w2vfast.datasets.path('questions-words.txt')``.
        restrict_vocab : int or None, default 300000
            Only the first ``restrict_vocab`` keys (the most frequent, for trained models) count: questions using
            other words are skipped, and answers are searched among these keys only.
        case_insensitive : bool, default True
            Compare words in upper case; a word with several case variants uses the first (most frequent) one.
        dummy4unknown : bool, default False
            Count questions with words outside the vocabulary as wrong instead of skipping them.
        similarity_function : {'most_similar'}
            Only 3CosAdd is implemented (gensim also implements nothing else).

        Returns
        -------
        score : float
            Accuracy over all answered questions.
        sections : list of dict
            One dict per section, with keys ``'section'`` (its name), ``'correct'`` and ``'incorrect'`` (lists of
            ``(a, b, c, d)`` tuples, upper-cased when ``case_insensitive``), then a last one named
            ``'Total accuracy'`` that gathers all of them.

        Examples
        --------
        >>> from w2vfast import datasets
        >>> score, sections = model.wv.evaluate_word_analogies(datasets.path("questions-words.txt"))
        """
        return evaluation.evaluate_word_analogies(
            self, analogies, restrict_vocab, case_insensitive, dummy4unknown, similarity_function
        )

    def evaluate_word_pairs(
        self,
        pairs,
        delimiter: str = "\t",
        encoding: str = "utf8",
        restrict_vocab: Optional[int] = 300000,
        case_insensitive: bool = True,
        dummy4unknown: bool = False,
    ):
        """Correlation of the keys' cosine similarities with human similarity judgements, as gensim computes it.

        Parameters
        ----------
        pairs : str or path
            A file of ``word1<delimiter>word2<delimiter>score`` lines; lines starting with ``#`` are comments.
            ``w2vfast.datasets.path('wordsim353.tsv')`` and ``'simlex999.txt'`` are such files.
        delimiter : str, default "\\t"
            What separates the fields of a line.
        encoding : str, default "utf8"
            The file's encoding.
        restrict_vocab : int or None, default 300000
            Pairs using a word outside the first ``restrict_vocab`` keys are skipped (counted as unknown).
        case_insensitive : bool, default True
            Compare words in upper case; a word with several case variants uses the first (most frequent) one.
        dummy4unknown : bool, default False
            Give pairs with unknown words similarity 0 instead of skipping them.

        Returns
        -------
        pearson : (float, float)
            Pearson's correlation coefficient and its two-sided p-value (a named tuple ``statistic, pvalue``).
        spearman : (float, float)
            Spearman's rank correlation and its two-sided p-value.
        oov_ratio : float
            The percentage of pairs with an unknown word.

        Examples
        --------
        >>> from w2vfast import datasets
        >>> (pearson, _), (spearman, _), oov = model.wv.evaluate_word_pairs(datasets.path("simlex999.txt"))
        """
        return evaluation.evaluate_word_pairs(
            self, pairs, delimiter, encoding, restrict_vocab, case_insensitive, dummy4unknown
        )

    # ---------------------------------------------------------------- word classes

    def word_classes(self, n_classes: int, iterations: int = 10, seed: Optional[int] = None) -> np.ndarray:
        """Clusters the keys into ``n_classes`` classes by k-means on their vectors, as word2vec.c's ``-classes``.

        The algorithm is word2vec.c's spherical k-means (see :mod:`w2vfast.classes`): class centres are the
        normalised means of their members, and each key joins the centre with the largest dot product.

        Parameters
        ----------
        n_classes : int
            The number of classes.
        iterations : int, default 10
            Rounds of k-means (word2vec.c's 10).
        seed : int, optional
            ``None`` starts from word2vec.c's assignment (key ``i`` in class ``i mod n_classes``), giving its
            classes; an integer starts from a random assignment drawn with that seed. Either way the result is
            reproducible.

        Returns
        -------
        numpy.ndarray
            The class of each key, in the order of ``index_to_key``.

        Examples
        --------
        >>> classes = model.wv.word_classes(500)
        >>> [key for key, c in zip(model.wv.index_to_key, classes) if c == classes[model.wv.get_index("king")]]
        """
        return classes_module.word_classes(self.vectors, n_classes, iterations, seed)

    # ---------------------------------------------------------------- native format

    def save(self, fname: Union[str, os.PathLike]) -> None:
        """Saves keys, vectors and per-key attributes in w2vfast's native format (one file, written atomically).

        The format (documented in :mod:`w2vfast.persistence`) stores the matrix raw, so :meth:`load` can map it
        into memory instead of reading it. Use :meth:`save_word2vec_format` to share vectors with other tools.

        Parameters
        ----------
        fname : str or path
            The file to write. A temporary file in the same folder is renamed to it at the end, so a crash never
            leaves a half-written file under this name.

        Raises
        ------
        ValueError
            If a vector holds NaN or inf, or a key contains a newline.

        Examples
        --------
        >>> wv.save("vectors.w2vf")
        >>> wv = KeyedVectors.load("vectors.w2vf", mmap="r")
        """
        arrays = {"vectors": self.vectors, **{f"expando:{name}": values for name, values in self.expandos.items()}}
        persistence.save_native(fname, "keyedvectors", self.index_to_key, arrays, {"vector_size": self.vector_size})

    @classmethod
    def load(cls, fname: Union[str, os.PathLike], mmap: Optional[str] = None) -> "KeyedVectors":
        """Loads vectors saved by :meth:`save` (or the vectors of a model saved by :meth:`Word2Vec.save`).

        Parameters
        ----------
        fname : str or path
            The file.
        mmap : {None, 'r', 'r+', 'c'}
            Memory-map the matrix instead of reading it (``'r'``: read-only, shared between processes; ``'c'``:
            copy on write). Loading then takes milliseconds plus the time to decode the keys. Default ``None``:
            read the file, and verify its checksum.

        Returns
        -------
        KeyedVectors
            The vectors, with their per-key attributes (such as ``'count'``).

        Raises
        ------
        ValueError
            If the file is not a w2vfast file, or is truncated or corrupt; the message says what and where.
        """
        kind, keys, arrays, attributes = persistence.load_native(fname, mmap)
        if kind in persistence.SUBWORD_KINDS:
            # The vectors of a FastText model answer for unseen words too: load them as what they are, as gensim does.
            from .fasttext import FastTextKeyedVectors

            return FastTextKeyedVectors._from_native(os.fspath(fname), keys, arrays, attributes)
        return cls._from_arrays(os.fspath(fname), keys, arrays)

    @classmethod
    def _from_arrays(cls, fname: str, keys: List[Key], arrays: Dict[str, np.ndarray]) -> "KeyedVectors":
        vectors = arrays.get("vectors")
        if vectors is None or vectors.ndim != 2:
            raise ValueError(f"{fname}: the file has no 2-D array 'vectors'")
        kv = cls(vectors.shape[1])
        kv.index_to_key = keys
        kv.key_to_index = {key: index for index, key in enumerate(keys)}
        if len(kv.key_to_index) != len(keys):
            raise ValueError(f"{fname}: a key appears more than once")
        kv.vectors = vectors
        kv.expandos = {name[len("expando:") :]: values for name, values in arrays.items() if name.startswith("expando:")}
        return kv

    # ---------------------------------------------------------------- word2vec C formats

    def save_word2vec_format(
        self,
        fname: Union[str, os.PathLike],
        fvocab: Union[str, os.PathLike, None] = None,
        binary: bool = False,
        write_header: bool = True,
    ) -> None:
        """Writes the vectors in word2vec.c's format.

        The text format is a header line ``"<count> <vector_size>"`` then one line per key: the key and its numbers
        separated by spaces. The binary format has the same header, then per key the key, a space, and
        ``vector_size`` little-endian float32s followed by a newline, as word2vec.c writes it. Keys are written as
        UTF-8; keys read from invalid UTF-8 in a corpus are written back as the original bytes.

        Parameters
        ----------
        fname : str or path
            Output file. It is written to a temporary file in the same folder and renamed at the end, so a crash
            never leaves a half-written file under ``fname``.
        fvocab : str or path, optional
            Also write ``"<key> <count>"`` lines (word2vec.c's ``-save-vocab``) to this file, if counts are known.
        binary : bool, default False
            Binary (``True``) or text (``False``) format.
        write_header : bool, default True
            Write the ``"<count> <vector_size>"`` line. Files without it are what GloVe writes; word2vec.c, gensim
            and fastText readers expect it.

        Raises
        ------
        ValueError
            If a key is empty or contains whitespace (the formats cannot store it), a vector holds NaN or inf, or
            ``fvocab`` is given for vectors without counts.

        Examples
        --------
        >>> wv.save_word2vec_format("vectors.bin", binary=True)
        >>> from gensim.models import KeyedVectors as GensimKeyedVectors
        >>> GensimKeyedVectors.load_word2vec_format("vectors.bin", binary=True)
        """
        persistence.save_word2vec(self, fname, fvocab, binary, write_header)

    @classmethod
    def load_word2vec_format(
        cls,
        fname: Union[str, os.PathLike],
        fvocab: Union[str, os.PathLike, None] = None,
        binary: bool = False,
        encoding: str = "utf8",
        unicode_errors: str = "strict",
        limit: Optional[int] = None,
        datatype=np.float32,
    ) -> "KeyedVectors":
        """Reads vectors in word2vec.c's text or binary format (as written by word2vec.c, gensim or fastText).

        Parameters
        ----------
        fname : str or path
            The file to read.
        fvocab : str or path, optional
            A ``"<key> <count>"`` file (word2vec.c's ``-save-vocab``); the counts become ``get_vecattr(key, 'count')``.
        binary : bool, default False
            Whether the file is in the binary format.
        encoding : str, default "utf8"
            How keys are decoded.
        unicode_errors : str, default "strict"
            What to do with keys that are not valid in ``encoding``: ``'strict'`` raises; ``'replace'`` or
            ``'ignore'`` accept them, as in gensim; ``'surrogateescape'`` keeps them exactly (w2vfast's own policy
            for words it reads from a corpus, so that vectors of such words survive a round trip).
        limit : int, optional
            Read only the first ``limit`` vectors.
        datatype : numpy dtype, default numpy.float32
            The dtype of the loaded matrix.

        Returns
        -------
        KeyedVectors
            The vectors, in the file's order.

        Raises
        ------
        ValueError
            If the file is truncated or malformed; the message says what was expected and where.
        """
        name = os.fspath(fname)
        counts = persistence.read_vocab_counts(fvocab, encoding, unicode_errors) if fvocab is not None else None
        with open(name, "rb") as file:
            data = file.read()
        keys, vectors = persistence.parse_word2vec(data, name, binary, encoding, unicode_errors, limit)
        kv = cls._from_arrays(name, keys, {"vectors": vectors.astype(datatype, copy=False)})
        if counts is not None:
            kv.expandos["count"] = np.array([counts.get(key, 0) for key in keys], dtype=np.int64)
        return kv

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)} keys x {self.vector_size} dimensions>"


def _as_list(items) -> list:
    if items is None:
        return []
    if isinstance(items, str) or (isinstance(items, np.ndarray) and items.ndim == 1):
        return [items]
    return list(items)


def _clip(length: int, clip_start: int, clip_end: Optional[int], restrict_vocab: Optional[int]) -> Tuple[int, int]:
    """The rows a query searches: ``clip_start:clip_end``, or the first ``restrict_vocab``."""
    if restrict_vocab is not None:
        if isinstance(restrict_vocab, bool) or int(restrict_vocab) != restrict_vocab or restrict_vocab < 0:
            raise ValueError(f"restrict_vocab must be a non-negative integer or None, got {restrict_vocab!r}")
        return 0, min(int(restrict_vocab), length)
    end = length if clip_end is None else min(int(clip_end), length)
    return max(0, int(clip_start)), end


def _nonzero(norms: np.ndarray) -> np.ndarray:
    """Norms with zeros replaced by ones, so that zero vectors have similarity 0 instead of NaN."""
    return np.where(norms > 0, norms, 1).astype(norms.dtype, copy=False)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(vector)
    return vector / norm if norm > 0 else vector
