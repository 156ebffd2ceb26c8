"""Word vectors and the queries people run on them.

:class:`KeyedVectors` maps words (keys) to rows of a float32 matrix. It has the names of gensim's
``gensim.models.KeyedVectors`` so that code written for gensim runs unchanged::

    >>> from w2vfast import KeyedVectors
    >>> wv = KeyedVectors.load_word2vec_format("vectors.bin", binary=True)
    >>> wv.most_similar("king", topn=3)
    >>> wv.similarity("king", "queen")

It reads and writes the word2vec C formats (text and binary), so vectors move freely between w2vfast, gensim,
word2vec.c and fastText.
"""

from __future__ import annotations

import os
import tempfile
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import evaluation

__all__ = ["KeyedVectors"]

Key = str
VectorOrKey = Union[str, np.ndarray]


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
        engine updates, so it always shows the current state of training.
    index_to_key : list of str
        The key of each row, most frequent first for trained models.
    key_to_index : dict
        The row of each key.
    """

    def __init__(self, vector_size: int, count: int = 0):
        self.vector_size = int(vector_size)
        self.vectors = np.zeros((count, self.vector_size), dtype=np.float32)
        self.index_to_key: List[Key] = []
        self.key_to_index: Dict[Key, int] = {}
        self.expandos: Dict[str, np.ndarray] = {}
        self.norms: Optional[np.ndarray] = None

    # ---------------------------------------------------------------- lookup

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, key: Key) -> bool:
        return key in self.key_to_index

    def __getitem__(self, key_or_keys):
        """The vector of a key, or a matrix of vectors for a list of keys."""
        if isinstance(key_or_keys, str):
            return self.get_vector(key_or_keys)
        return np.vstack([self.get_vector(key) for key in key_or_keys])

    def has_index_for(self, key: Key) -> bool:
        return key in self.key_to_index

    def get_index(self, key: Key) -> int:
        """The row of ``key``; raises ``KeyError`` naming the key if it is not in the vocabulary."""
        try:
            return self.key_to_index[key]
        except KeyError:
            raise KeyError(f"Key {key!r} not present in vocabulary") from None

    def get_vector(self, key: Key, norm: bool = False) -> np.ndarray:
        """The vector of ``key`` (a view into :attr:`vectors`), or its unit-length copy when ``norm=True``."""
        index = self.get_index(key)
        if norm:
            self.fill_norms()
            return self.vectors[index] / self.norms[index]
        return self.vectors[index]

    word_vec = get_vector

    def get_vecattr(self, key: Key, attr: str):
        """A per-key attribute, such as ``'count'`` (the word's corpus frequency) for trained models."""
        return self.expandos[attr][self.get_index(key)].item()

    def set_vecattr(self, key: Key, attr: str, value) -> None:
        if attr not in self.expandos:
            self.expandos[attr] = np.zeros(len(self), dtype=np.asarray(value).dtype)
        self.expandos[attr][self.get_index(key)] = value

    def add_vectors(self, keys: Sequence[Key], weights) -> None:
        """Appends keys with their vectors (keys already present get their vector replaced)."""
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
            self.vectors = np.vstack([self.vectors, np.asarray(new_rows, dtype=np.float32)])
            for attr, values in self.expandos.items():
                self.expandos[attr] = np.concatenate([values, np.zeros(len(new_rows), dtype=values.dtype)])
        self.norms = None

    # ---------------------------------------------------------------- similarity

    def fill_norms(self, force: bool = False) -> None:
        """Computes (and caches) the L2 norm of every vector. Training invalidates the cache."""
        if self.norms is None or force or len(self.norms) != len(self.vectors):
            self.norms = np.linalg.norm(self.vectors, axis=1)

    def get_normed_vectors(self) -> np.ndarray:
        """A unit-length copy of :attr:`vectors` (rows of zeros stay zero)."""
        self.fill_norms()
        return self.vectors / np.where(self.norms > 0, self.norms, 1.0)[:, None]

    def _unit_vector(self, vector: np.ndarray) -> np.ndarray:
        norm = np.linalg.norm(vector)
        return vector / norm if norm > 0 else vector

    def most_similar(
        self,
        positive: Union[VectorOrKey, Iterable[VectorOrKey], None] = None,
        negative: Union[VectorOrKey, Iterable[VectorOrKey], None] = None,
        topn: Optional[int] = 10,
        restrict_vocab: Optional[int] = None,
    ) -> Union[List[Tuple[Key, float]], np.ndarray]:
        """The ``topn`` keys nearest by cosine similarity to the mean of ``positive`` minus ``negative``.

        Parameters
        ----------
        positive, negative : str, vector, or list of them
            Keys (or raw vectors) that add to, respectively subtract from, the query. Each is normalised to unit
            length first, as in gensim, so ``most_similar(positive=['king', 'woman'], negative=['man'])`` is the
            3CosAdd analogy query.
        topn : int or None
            Number of neighbours to return; ``None`` returns the similarity to every key as an array.
        restrict_vocab : int, optional
            Only search the first ``restrict_vocab`` keys (the most frequent ones for trained models).

        Returns
        -------
        list of (str, float)
            Keys and cosine similarities, most similar first. Query keys themselves are excluded.
        """
        positive = _as_list(positive)
        negative = _as_list(negative)
        if not positive and not negative:
            raise ValueError("most_similar needs at least one positive or negative key or vector")
        query_keys = set()
        terms = []
        for weight, items in ((1.0, positive), (-1.0, negative)):
            for item in items:
                if isinstance(item, str):
                    terms.append(weight * self.get_vector(item, norm=True))
                    query_keys.add(self.key_to_index[item])
                else:
                    terms.append(weight * self._unit_vector(np.asarray(item, dtype=np.float32)))
        query = self._unit_vector(np.mean(terms, axis=0))

        limit = len(self) if restrict_vocab is None else min(int(restrict_vocab), len(self))
        similarities = self.get_normed_vectors()[:limit] @ query
        if topn is None:
            return similarities
        return self._top(similarities, topn, exclude=query_keys)

    def similar_by_vector(self, vector, topn: Optional[int] = 10, restrict_vocab: Optional[int] = None):
        """The ``topn`` keys nearest to a raw vector (the vector's own key, if any, is not excluded)."""
        limit = len(self) if restrict_vocab is None else min(int(restrict_vocab), len(self))
        query = self._unit_vector(np.asarray(vector, dtype=np.float32))
        similarities = self.get_normed_vectors()[:limit] @ query
        return similarities if topn is None else self._top(similarities, topn, exclude=())

    def similar_by_key(self, key: Key, topn: Optional[int] = 10, restrict_vocab: Optional[int] = None):
        return self.most_similar(positive=[key], topn=topn, restrict_vocab=restrict_vocab)

    similar_by_word = similar_by_key

    def _top(self, similarities: np.ndarray, topn: int, exclude) -> List[Tuple[Key, float]]:
        # argpartition finds the best topn + len(exclude) in linear time; only those are sorted.
        wanted = min(int(topn) + len(exclude), len(similarities))
        if wanted <= 0:
            return []
        best = np.argpartition(-similarities, wanted - 1)[:wanted]
        best = best[np.argsort(-similarities[best], kind="stable")]
        return [(self.index_to_key[i], float(similarities[i])) for i in best if i not in exclude][: int(topn)]

    def similarity(self, key1: Key, key2: Key) -> float:
        """Cosine similarity of two keys."""
        return float(np.dot(self.get_vector(key1, norm=True), self.get_vector(key2, norm=True)))

    def distance(self, key1: Key, key2: Key) -> float:
        """Cosine distance, ``1 - similarity``."""
        return 1.0 - self.similarity(key1, key2)

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
        restrict_vocab : int or None
            Only the first ``restrict_vocab`` keys (the most frequent, for trained models) count: questions using
            other words are skipped, and answers are searched among these keys only.
        case_insensitive : bool
            Compare words in upper case; a word with several case variants uses the first (most frequent) one.
        dummy4unknown : bool
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
        delimiter, encoding : str
            How the file is split and decoded.
        restrict_vocab : int or None
            Pairs using a word outside the first ``restrict_vocab`` keys are skipped (counted as unknown).
        case_insensitive : bool
            Compare words in upper case; a word with several case variants uses the first (most frequent) one.
        dummy4unknown : bool
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
            Also write ``"<key> <count>"`` lines (word2vec.c's ``-save-vocab``), if counts are known.
        binary : bool
            Binary (``True``) or text (``False``) format.
        """
        for key in self.index_to_key:
            if not key or any(c.isspace() for c in key):
                raise ValueError(f"key {key!r} is empty or contains whitespace; word2vec formats cannot store it")
        vectors = np.ascontiguousarray(self.vectors, dtype="<f4")
        with _atomic_output(fname) as out:
            if write_header:
                out.write(f"{len(self)} {self.vector_size}\n".encode("ascii"))
            for index, key in enumerate(self.index_to_key):
                name = _encode_key(key)
                if binary:
                    out.write(name + b" " + vectors[index].tobytes() + b"\n")
                else:
                    numbers = " ".join(repr(float(x)) for x in vectors[index])
                    out.write(name + b" " + numbers.encode("ascii") + b"\n")
        if fvocab is not None:
            if "count" not in self.expandos:
                raise ValueError("fvocab needs word counts, which these vectors do not have")
            with _atomic_output(fvocab) as out:
                for key, count in zip(self.index_to_key, self.expandos["count"]):
                    out.write(_encode_key(key) + f" {int(count)}\n".encode("ascii"))

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
        binary : bool
            Whether the file is in the binary format.
        encoding, unicode_errors : str
            How keys are decoded. ``unicode_errors='strict'`` raises on invalid bytes; ``'replace'`` or ``'ignore'``
            accept them, as in gensim; ``'surrogateescape'`` keeps them exactly (w2vfast's own policy for words it
            reads from a corpus, so that vectors of such words survive a round trip).
        limit : int, optional
            Read only the first ``limit`` vectors.
        datatype : numpy dtype
            The dtype of the loaded matrix.

        Raises
        ------
        ValueError
            If the file is truncated or malformed; the message says what was expected and where.
        """
        with open(fname, "rb") as file:
            data = file.read()
        return _parse_word2vec(cls, data, os.fspath(fname), fvocab, binary, encoding, unicode_errors, limit, datatype)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)} keys x {self.vector_size} dimensions>"


def _as_list(items) -> list:
    if items is None:
        return []
    if isinstance(items, str) or (isinstance(items, np.ndarray) and items.ndim == 1):
        return [items]
    return list(items)


def _encode_key(key: Key) -> bytes:
    return key.encode("utf-8", "surrogateescape")


class _atomic_output:
    """A binary file that appears under its final name only once it is complete."""

    def __init__(self, path):
        self.path = os.fspath(path)

    def __enter__(self):
        folder = os.path.dirname(os.path.abspath(self.path))
        descriptor, self.temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix="-" + os.path.basename(self.path))
        self.file = os.fdopen(descriptor, "wb")
        return self.file

    def __exit__(self, error_type, error, traceback):
        self.file.close()
        if error_type is None:
            os.replace(self.temporary, self.path)
        else:
            os.unlink(self.temporary)
        return False


def _parse_word2vec(cls, data: bytes, fname, fvocab, binary, encoding, unicode_errors, limit, datatype):
    header_end = data.find(b"\n")
    if header_end < 0:
        raise ValueError(f"{fname}: no header line '<count> <vector_size>'")
    try:
        count, vector_size = (int(field) for field in data[:header_end].split())
    except ValueError:
        raise ValueError(f"{fname}: header {data[:header_end][:80]!r} is not '<count> <vector_size>'") from None
    if count < 0 or vector_size < 1:
        raise ValueError(f"{fname}: header gives {count} vectors of size {vector_size}")
    if limit is not None:
        count = min(count, int(limit))

    counts = _read_vocab_counts(fvocab, encoding, unicode_errors) if fvocab is not None else None
    keys: List[str] = []
    vectors = np.empty((count, vector_size), dtype=np.float32)
    position = header_end + 1
    row_bytes = 4 * vector_size
    for row in range(count):
        name_start = position
        if binary:
            while position < len(data) and data[position : position + 1].isspace():
                position += 1  # word2vec.c ends each vector with a newline; gensim's binary writer does not
            name_start = position
            space = data.find(b" ", position)
            if space < 0:
                raise ValueError(f"{fname}: expected {count} vectors, file ends after {row} (at byte {position})")
            name = data[position:space]
            start = space + 1
            if start + row_bytes > len(data):
                raise ValueError(
                    f"{fname}: expected {vector_size} floats for word {name.decode('utf-8', 'replace')!r} "
                    f"at byte {start}, file ends"
                )
            vectors[row] = np.frombuffer(data, dtype="<f4", count=vector_size, offset=start)
            position = start + row_bytes
        else:
            if position >= len(data):
                raise ValueError(f"{fname}: expected {count} vectors, file ends after {row} (at byte {position})")
            line_end = data.find(b"\n", position)
            fields = data[position : len(data) if line_end < 0 else line_end].rstrip().split(b" ")
            name = fields[0]
            if line_end < 0:
                # Without its newline the last number may have lost digits: a truncated file, not a short one.
                raise ValueError(
                    f"{fname}: expected {vector_size} floats for word {name.decode('utf-8', 'replace')!r} "
                    f"at byte {position}, file ends without the line's newline (truncated?)"
                )
            if len(fields) != vector_size + 1:
                raise ValueError(
                    f"{fname}: expected {vector_size} floats for word {name.decode('utf-8', 'replace')!r} "
                    f"at byte {position}, found {len(fields) - 1}"
                )
            try:
                vectors[row] = np.array(fields[1:], dtype=np.float32)
            except ValueError:
                raise ValueError(
                    f"{fname}: vector of word {name.decode('utf-8', 'replace')!r} at byte {position} "
                    "has a field that is not a number"
                ) from None
            position = line_end + 1
        try:
            keys.append(name.decode(encoding, unicode_errors))
        except UnicodeDecodeError as error:
            raise ValueError(
                f"{fname}: word at byte {name_start} is not valid {encoding} ({error.reason}); pass "
                "unicode_errors='surrogateescape' to keep its bytes, or 'replace' or 'ignore', to load it anyway"
            ) from None

    if len(set(keys)) != len(keys):
        raise ValueError(f"{fname}: a word appears more than once")
    kv = cls(vector_size)
    kv.index_to_key = keys
    kv.key_to_index = {key: index for index, key in enumerate(keys)}
    kv.vectors = vectors.astype(datatype, copy=False)
    if counts is not None:
        kv.expandos["count"] = np.array([counts.get(key, 0) for key in keys], dtype=np.int64)
    return kv


def _read_vocab_counts(fvocab, encoding, unicode_errors) -> Dict[str, int]:
    counts = {}
    with open(fvocab, "rb") as file:
        for number, line in enumerate(file, start=1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 2 or not fields[1].isdigit():
                raise ValueError(f"{fvocab}: line {number} is not '<word> <count>'")
            counts[fields[0].decode(encoding, unicode_errors)] = int(fields[1])
    return counts
