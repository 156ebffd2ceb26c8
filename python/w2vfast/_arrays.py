"""Weight matrices whose first row starts on a cache line.

The engine reads and writes a row of 16 floats (64 bytes) as one AVX-512 register. A row that starts on a 64-byte
boundary is one cache line a register; one that starts 16 bytes past it, where NumPy's allocator leaves a large
array, straddles two lines at every register, and every load and store of it is split in two. With rows of a
multiple of 16 floats (64, 96, 128, 256 dimensions) every row then starts where the first one does, so aligning the
matrix aligns all of them: one thread at 128 dimensions trains skip-gram (either output layer) and CBOW with
hierarchical softmax in 0.87 of the time (docs/performance.md). Rows of other widths (100, 300) start on a line one
time in four (100) or two (300). The output layers (``syn1neg``, ``syn1``), whose rows every prediction scores
and updates by the half dozen or dozen, are therefore padded: their rows lie a multiple of 16 floats apart, and
each is a view of its first ``vector_size`` columns (:func:`row_aligned_zeros`); at 100 dimensions on an Intel Xeon
skip-gram trains in 0.87-0.90 of the time and CBOW with hierarchical softmax in 0.94 (docs/design.md, Memory). The
word vectors stay C-contiguous, as users and libraries expect of ``wv.vectors``, and gain less from it.

Every matrix the engine trains is allocated here: by ``build_vocab`` (and its updates) and by loading a saved model
(the native format, and fastText's ``.bin``: ``persistence.read_aligned``).
A matrix a user assigns is trained where it is, aligned or not. :func:`all_finite` is the check, after every epoch and
every Spark round, that training left no NaN or infinity in them.
"""

from __future__ import annotations

from typing import Sequence, Tuple

import numpy as np

from . import _core

CACHE_LINE_BYTES = 64
_LINE_FLOATS = CACHE_LINE_BYTES // 4


def _aligned(shape: Tuple[int, ...], dtype, fill_zeros: bool) -> np.ndarray:
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    allocate = np.zeros if fill_zeros else np.empty  # np.zeros maps fresh pages lazily: untouched rows cost nothing
    buffer = allocate(nbytes + CACHE_LINE_BYTES, dtype=np.uint8)
    start = -buffer.ctypes.data % CACHE_LINE_BYTES
    return buffer[start:start + nbytes].view(dtype).reshape(shape)


def aligned_empty(shape: Tuple[int, ...], dtype=np.float32) -> np.ndarray:
    """An uninitialised C-contiguous array whose first element starts on a 64-byte boundary."""
    return _aligned(shape, dtype, fill_zeros=False)


def aligned_zeros(shape: Tuple[int, ...], dtype=np.float32) -> np.ndarray:
    """:func:`numpy.zeros`, starting on a 64-byte boundary."""
    return _aligned(shape, dtype, fill_zeros=True)


def all_finite(matrix: np.ndarray) -> bool:
    """True when no element of ``matrix`` is NaN or infinite.

    A float32 matrix whose rows are contiguous, as every weight matrix is (a padded output layer included), is read
    once by the engine, which tests each value's exponent bits (``_core.all_finite``: 0.78 ms against NumPy's 1.03 ms
    for 29,039 x 100, 0.91 ms against 1.80 ms padded). Anything else by its smallest and largest elements (NumPy's
    ``min`` and ``max`` return NaN when there is one): two passes, without a buffer and without the overflow of a
    sum."""
    if matrix.dtype == np.float32 and matrix.ndim == 2 and (matrix.shape[1] <= 1 or matrix.strides[1] == 4):
        return _core.all_finite(matrix)
    return matrix.size == 0 or bool(np.isfinite(matrix.min()) and np.isfinite(matrix.max()))


def aligned_vstack(matrices: Sequence[np.ndarray]) -> np.ndarray:
    """:func:`numpy.vstack` of float32 matrices with equal columns, into a matrix on a 64-byte boundary."""
    rows = sum(len(matrix) for matrix in matrices)
    out = aligned_empty((rows, matrices[0].shape[1]), np.float32)
    return np.concatenate(matrices, axis=0, out=out)


def row_aligned_zeros(shape: Tuple[int, int]) -> np.ndarray:
    """A ``(rows, columns)`` float32 matrix of zeros whose every row starts on a cache line: the first ``columns``
    columns of an aligned matrix whose rows are padded to a multiple of 16 floats (C-contiguous when ``columns`` is
    one already). The padding is never read or written."""
    rows, columns = shape
    padded_columns = -(-columns // _LINE_FLOATS) * _LINE_FLOATS
    return aligned_zeros((rows, padded_columns))[:, :columns]


def row_aligned_vstack(matrices: Sequence[np.ndarray]) -> np.ndarray:
    """:func:`aligned_vstack` into a :func:`row_aligned_zeros` matrix."""
    out = row_aligned_zeros((sum(len(matrix) for matrix in matrices), matrices[0].shape[1]))
    return np.concatenate(matrices, axis=0, out=out)
