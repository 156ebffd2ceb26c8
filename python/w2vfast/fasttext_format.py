"""fastText's binary model format (``.bin``), read and written without fastText.

A ``.bin`` file, as fastText 0.9's ``FastText::saveModel`` writes it (little-endian, no padding)::

    int32 magic 793712314, int32 version 12
    args     int32 dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn, lrUpdateRate;
             float64 t
    dict     int32 size, nwords, nlabels; int64 ntokens, pruneidx_size;
             size entries: the word's bytes, a NUL, int64 count, int8 type (0 word, 1 label);
             pruneidx_size pairs of int32
    bool quant_input; int64 rows, cols; rows x cols float32  -- the input matrix: nwords word rows, then bucket
                                                                n-gram rows
    bool quant_output; int64 rows, cols; rows x cols float32 -- the output matrix: one row per word

``loss`` is 1 hierarchical softmax, 2 negative sampling, 3 softmax, 4 one-vs-all; ``model`` is 1 CBOW, 2 skip-gram,
3 supervised. Only unsupervised, unquantised models hold word vectors in this layout; the reader says so for the
others (supervised models, ``.ftz`` quantised ones) instead of misreading them.

Every count and size is checked against the file's length before anything is allocated, so a truncated, corrupt or
hostile file raises ``ValueError`` naming what was found where, never a crash or a huge allocation; the matrices are
read with ``numpy.fromfile`` at their offsets.
"""

from __future__ import annotations

import mmap
import os
import struct
from dataclasses import dataclass
from typing import List, Optional

import numpy as np

from ._arrays import all_finite
from .persistence import FASTTEXT_MAGIC_NUMBER as MAGIC
from .persistence import atomic_output, check_finite, encode_key, read_aligned

__all__ = ["FacebookModel", "read_facebook_model", "write_facebook_model", "check_finite_ngrams", "loss_name"]

VERSION = 12
# The args block: 12 int32 fields then the sampling threshold t.
_ARG_NAMES = ("dim", "ws", "epoch", "min_count", "neg", "word_ngrams", "loss", "model", "bucket", "minn", "maxn",
              "lr_update_rate")
_ARGS = struct.Struct("<12id")
_SIGNATURE = struct.Struct("<2i")
_DICT_HEADER = struct.Struct("<3i2q")
_MATRIX_HEADER = struct.Struct("<?2q")
_ENTRY_TAIL = struct.Struct("<qb")
LOSS_HS, LOSS_NS, LOSS_SOFTMAX, LOSS_OVA = 1, 2, 3, 4
MODEL_CBOW, MODEL_SKIPGRAM, MODEL_SUPERVISED = 1, 2, 3
_LOSS_NAMES = {LOSS_HS: "hierarchical softmax", LOSS_NS: "negative sampling", LOSS_SOFTMAX: "softmax",
               LOSS_OVA: "one-vs-all"}


@dataclass
class FacebookModel:
    """The content of an unsupervised fastText ``.bin`` file.

    Parameters
    ----------
    dim, ws, epoch, min_count, neg, word_ngrams, loss, model, bucket, minn, maxn, lr_update_rate : int
        fastText's arguments under their names in ``args.cc`` (``ws`` the window, ``neg`` the negatives, ``loss``
        and ``model`` the codes listed at the top of this page).
    t : float
        The subsampling threshold.
    words : list of str
        The vocabulary, in the file's order (most frequent first, as fastText sorts it).
    counts : numpy.ndarray
        Each word's corpus count (int64).
    ntokens : int
        The corpus's number of tokens, as fastText counted them.
    vectors_vocab : numpy.ndarray
        The words' own input rows, ``(len(words), dim)`` float32.
    vectors_ngrams : numpy.ndarray
        The n-gram buckets' input rows, ``(bucket, dim)`` float32.
    output : numpy.ndarray or None
        The output matrix, ``(len(words), dim)`` float32; ``None`` when not read.
    """

    dim: int
    ws: int
    epoch: int
    min_count: int
    neg: int
    word_ngrams: int
    loss: int
    model: int
    bucket: int
    minn: int
    maxn: int
    lr_update_rate: int
    t: float
    words: List[str]
    counts: np.ndarray
    ntokens: int
    vectors_vocab: np.ndarray
    vectors_ngrams: np.ndarray
    output: Optional[np.ndarray]


class _Reader:
    """Reads little-endian fields from a memory-mapped file, naming the field and the byte when the file ends."""

    def __init__(self, name: str, data):
        self.name, self.data, self.position = name, data, 0

    def remaining(self) -> int:
        return len(self.data) - self.position

    def unpack(self, layout: struct.Struct, what: str) -> tuple:
        if self.remaining() < layout.size:
            raise ValueError(f"{self.name}: truncated: expected {what} ({layout.size} bytes) at byte "
                             f"{self.position}, the file ends at byte {len(self.data)}")
        fields = layout.unpack_from(self.data, self.position)
        self.position += layout.size
        return fields


def read_facebook_model(path, encoding: str = "utf-8", full_model: bool = True) -> FacebookModel:
    """Reads an unsupervised fastText ``.bin`` file.

    Parameters
    ----------
    path : str or path
        The file.
    encoding : str, default "utf-8"
        How the words are decoded; bytes that do not decode are kept as surrogate escapes, so that they are written
        back unchanged.
    full_model : bool, default True
        Also read the output matrix (needed to continue training); ``False`` skips it.

    Returns
    -------
    FacebookModel
        The arguments, vocabulary and matrices.

    Raises
    ------
    ValueError
        If the file is not a fastText model, is a supervised or quantised one, or is truncated or corrupt; the
        message names what was found and at which byte.
    """
    name = os.fspath(path)
    with open(name, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size == 0:
            raise ValueError(f"{name}: empty file, not a fastText model")
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            reader = _Reader(name, data)
            layout = _read_layout(reader, encoding, full_model)
    args, words, counts, ntokens, input_offset, output_offset = layout
    dim, bucket = args["dim"], args["bucket"]
    row_bytes = 4 * dim
    vectors_vocab = read_aligned(name, "<f4", (len(words), dim), input_offset).astype(np.float32, copy=False)
    vectors_ngrams = read_aligned(name, "<f4", (bucket, dim), input_offset + len(words) * row_bytes)
    vectors_ngrams = vectors_ngrams.astype(np.float32, copy=False)
    check_finite(vectors_vocab, words, name)
    check_finite_ngrams(vectors_ngrams, name)
    output = None
    if output_offset is not None:
        output = read_aligned(name, "<f4", (len(words), dim), output_offset).astype(np.float32, copy=False)
    return FacebookModel(**args, words=words, counts=counts, ntokens=ntokens, vectors_vocab=vectors_vocab,
                         vectors_ngrams=vectors_ngrams, output=output)


def _read_layout(reader: _Reader, encoding: str, full_model: bool):
    """Parses and checks everything but the matrices' numbers; returns where the matrices start."""
    name = reader.name
    magic, version = reader.unpack(_SIGNATURE, "fastText's magic number and version")
    if magic != MAGIC:
        raise ValueError(f"{name}: not a fastText .bin model: it starts with {magic} (bytes "
                         f"{bytes(reader.data[:4])!r}), not fastText's magic number {MAGIC}")
    if version not in (11, VERSION):
        raise ValueError(f"{name}: fastText format version {version}; this reader knows versions 11 and {VERSION}")
    values = reader.unpack(_ARGS, "the model's arguments")
    args = dict(zip(_ARG_NAMES, values[:12]), t=values[12])
    if args["model"] == MODEL_SUPERVISED:
        raise ValueError(f"{name}: a supervised fastText model (a text classifier, model code 3): it has no "
                         "unsupervised word vectors to load")
    if args["model"] not in (MODEL_CBOW, MODEL_SKIPGRAM):
        raise ValueError(f"{name}: unknown model code {args['model']} (1 CBOW, 2 skip-gram, 3 supervised)")
    if args["loss"] not in _LOSS_NAMES:
        raise ValueError(f"{name}: unknown loss code {args['loss']} (1 hs, 2 ns, 3 softmax, 4 one-vs-all)")
    for field in ("dim", "ws", "epoch"):
        if args[field] < 1:
            raise ValueError(f"{name}: the model's {field} is {args[field]}, not a positive number")
    for field in ("bucket", "minn", "maxn", "neg", "min_count"):
        if args[field] < 0:
            raise ValueError(f"{name}: the model's {field} is {args[field]}, a negative number")

    entries, nwords, nlabels, ntokens, pruneidx_size = reader.unpack(_DICT_HEADER, "the dictionary's header")
    if nlabels > 0:
        raise ValueError(f"{name}: a supervised fastText model: its dictionary holds {nlabels} labels")
    if entries < 0 or nwords != entries or nlabels < 0:
        raise ValueError(f"{name}: the dictionary's header says {entries} entries, {nwords} words and {nlabels} "
                         "labels, which do not add up")
    # An entry takes at least 10 bytes (a NUL, the count, the type): a count the rest of the file cannot hold is
    # refused before the words are read.
    if entries > reader.remaining() // 10:
        raise ValueError(f"{name}: truncated or corrupt: the dictionary claims {entries} words, more than the "
                         f"{reader.remaining()} bytes after byte {reader.position} can hold")
    words: List[str] = []
    counts = np.empty(entries, dtype=np.int64)
    data = reader.data
    for index in range(entries):
        end = data.find(b"\0", reader.position)
        if end < 0:
            raise ValueError(f"{name}: truncated: word {index} of {entries} at byte {reader.position} has no end")
        raw = data[reader.position:end]
        reader.position = end + 1
        count, kind = reader.unpack(_ENTRY_TAIL, f"the count and type of word {index}")
        if count < 0:
            raise ValueError(f"{name}: word {index} has a negative count, {count}")
        if kind != 0:
            raise ValueError(f"{name}: dictionary entry {index} has type {kind}, not 0 (a word): a supervised "
                             "model's label, or a corrupt file")
        words.append(raw.decode(encoding, "surrogateescape"))
        counts[index] = count
    if len(set(words)) != len(words):
        raise ValueError(f"{name}: a word appears more than once in the dictionary")
    if pruneidx_size > 0:
        raise ValueError(f"{name}: a pruned, quantised fastText model (.ftz, {pruneidx_size} n-grams kept): its "
                         "vectors are compressed; load the .bin it was made from")
    quantised, rows, columns = reader.unpack(_MATRIX_HEADER, "the input matrix's header")
    if quantised:
        raise ValueError(f"{name}: a quantised fastText model (.ftz): its vectors are compressed; load the .bin "
                         "it was made from")
    if (rows, columns) != (nwords + args["bucket"], args["dim"]):
        raise ValueError(f"{name}: the input matrix is {rows} x {columns}, not the {nwords} words + "
                         f"{args['bucket']} buckets x {args['dim']} dimensions the header gives")
    input_offset = reader.position
    _skip_matrix(reader, rows, columns, "input")
    # The output matrix is checked even when it is not read: a file that does not end where it should is corrupt.
    quantised, rows, columns = reader.unpack(_MATRIX_HEADER, "the output matrix's header")
    if quantised:
        raise ValueError(f"{name}: a quantised fastText model (.ftz): its output matrix is compressed")
    if (rows, columns) != (nwords, args["dim"]):
        raise ValueError(f"{name}: the output matrix is {rows} x {columns}, not {nwords} words x {args['dim']}")
    output_offset = reader.position if full_model else None
    _skip_matrix(reader, rows, columns, "output")
    if reader.remaining():
        raise ValueError(f"{name}: {reader.remaining()} bytes after the output matrix, which ends at byte "
                         f"{reader.position}: not a fastText model, or a corrupt one")
    return args, words, counts, ntokens, input_offset, output_offset


def loss_name(code: int) -> str:
    """fastText's name of a loss code (``1`` -> ``'hierarchical softmax'``).

    Parameters
    ----------
    code : int
        The ``loss`` field of a ``.bin`` file.

    Returns
    -------
    str
        The loss's name.
    """
    return _LOSS_NAMES.get(code, f"unknown ({code})")


def check_finite_ngrams(vectors_ngrams: np.ndarray, name: str) -> None:
    """Raises ValueError naming the first n-gram bucket whose vector holds NaN or inf.

    A float64 sum cannot overflow on finite float32 numbers, so one pass without a temporary the size of the matrix
    finds whether there is one.

    Parameters
    ----------
    vectors_ngrams : numpy.ndarray
        The n-gram rows.
    name : str
        The file, for the message.

    Raises
    ------
    ValueError
        If a row holds NaN or inf.
    """
    if all_finite(vectors_ngrams):
        return
    row = int(np.argmin(np.isfinite(vectors_ngrams.sum(axis=1, dtype=np.float64))))
    raise ValueError(f"{name}: the vector of n-gram bucket {row} holds NaN or infinite values")


def _skip_matrix(reader: _Reader, rows: int, columns: int, what: str) -> None:
    nbytes = 4 * rows * columns
    if nbytes > reader.remaining():
        raise ValueError(f"{reader.name}: truncated: the {what} matrix needs {nbytes} bytes ({rows} x {columns} "
                         f"floats) from byte {reader.position}, the file ends at byte {len(reader.data)}")
    reader.position += nbytes


def write_facebook_model(path, model: FacebookModel, encoding: str = "utf-8") -> None:
    """Writes ``model`` as a fastText ``.bin`` file, atomically (a temporary file renamed at the end).

    Parameters
    ----------
    path : str or path
        The file to write.
    model : FacebookModel
        What to write; ``output`` must be set (fastText's loader reads both matrices).
    encoding : str, default "utf-8"
        How the words are encoded (words read from invalid UTF-8 are written back as their original bytes).

    Raises
    ------
    ValueError
        If a word is empty or contains a NUL byte or whitespace (fastText's dictionary cannot hold it), the
        matrices' shapes disagree with the vocabulary and ``bucket``, or the vectors hold NaN or inf.
    """
    name = os.fspath(path)
    dim, nwords = model.dim, len(model.words)
    if model.output is None:
        raise ValueError(f"{name}: a fastText .bin needs the output matrix, which this model does not have")
    for matrix_name, matrix, rows in (("vectors_vocab", model.vectors_vocab, nwords),
                                      ("vectors_ngrams", model.vectors_ngrams, model.bucket),
                                      ("output", model.output, nwords)):
        if matrix.shape != (rows, dim):
            raise ValueError(f"{name}: {matrix_name} is {matrix.shape}, expected {(rows, dim)}")
    encoded = []
    for word in model.words:
        raw = word.encode(encoding, "surrogateescape") if encoding.lower() != "utf-8" else encode_key(word)
        if not raw or b"\0" in raw or any(chr(byte).isspace() for byte in raw if byte < 128):
            raise ValueError(f"word {word!r} is empty or contains a NUL or whitespace; fastText cannot store it")
        encoded.append(raw)
    check_finite(model.vectors_vocab, model.words, name)
    check_finite_ngrams(model.vectors_ngrams, name)
    with atomic_output(name) as out:
        out.write(_SIGNATURE.pack(MAGIC, VERSION))
        out.write(_ARGS.pack(*(getattr(model, field) for field in _ARG_NAMES), model.t))
        out.write(_DICT_HEADER.pack(nwords, nwords, 0, model.ntokens, -1))  # -1: not pruned
        out.write(b"".join(raw + b"\0" + _ENTRY_TAIL.pack(int(count), 0)
                           for raw, count in zip(encoded, model.counts)))
        out.write(_MATRIX_HEADER.pack(False, nwords + model.bucket, dim))
        _write_rows(out, model.vectors_vocab)
        _write_rows(out, model.vectors_ngrams)
        out.write(_MATRIX_HEADER.pack(False, nwords, dim))
        _write_rows(out, model.output)


def _write_rows(out, matrix: np.ndarray) -> None:
    """Writes a float32 matrix's rows, a block at a time (the matrix may be a memory map larger than RAM)."""
    block = max(1, (1 << 24) // max(1, matrix.shape[1]))
    for start in range(0, len(matrix), block):
        rows = np.ascontiguousarray(matrix[start:start + block], dtype="<f4")
        out.write(rows.data)
