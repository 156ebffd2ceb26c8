"""Reading and writing vectors and models: w2vfast's native format and word2vec.c's formats.

Native format
-------------
:meth:`w2vfast.KeyedVectors.save` and :meth:`w2vfast.Word2Vec.save` write one file, so that a save is a single atomic rename::

    bytes 0-7     magic  b"W2VFAST\\x01"
    bytes 8-15    little-endian uint64 H, the length of the header
    H bytes       header, UTF-8 JSON: {"kind": "keyedvectors" | "word2vec" | ..., "count": n, "vector_size": d,
                  "keys": [offset, length], "arrays": {name: {"dtype", "shape", "offset"}},
                  "attributes": {...}}
    ...           the keys, UTF-8 (invalid bytes of corpus words kept, as surrogate escapes), one per line
    ...           each array, C order, in the dtype the header names, starting at a multiple of 64 bytes

Offsets count from the start of the file. The header's ``"checksum"`` is the CRC-32 of the whole file with the
checksum's own eight hex digits read as ``"00000000"``; files written before it existed have none and load as before.
A FastText file (kinds ``"fasttextkeyedvectors"``, ``"fasttext"``) adds ``vectors_vocab`` (n x d, the words' own rows)
and ``vectors_ngrams`` (bucket x d, the n-gram rows, the one array not keyed by row); its ``vectors`` are the composed
ones queries use, so that a memory-mapped load answers at once. A KeyedVectors file holds the array ``vectors`` (n x d float32) and, for trained vectors, ``count`` (n int64, the
words' corpus counts). A Word2Vec file adds ``syn1neg`` and/or ``syn1`` (the output vectors of negative sampling and
of hierarchical softmax, whichever the model trains) and the model's parameters and training state as attributes,
with ``"huffman_ties"``, how its Huffman tree broke ties between equal counts (``"gensim"`` for Word2Vec,
``"word2vec"``, fastText's rule, for FastText; files without it were saved with ``"leaves-first"`` trees, which
loading rebuilds for their ``syn1``), and can be loaded by
:meth:`w2vfast.KeyedVectors.load` too. The arrays are stored raw, so ``load(path, mmap='r')`` maps them
into memory without reading them: loading takes the time of decoding the keys, whatever the size of the matrix.

Saving writes a temporary file in the target's folder and renames it at the end: a crash mid-save never leaves a
half-written file under the final name. Loading checks every size and offset against the file's length and, unless
the arrays are memory-mapped (whose point is not to read them), the checksum, so a truncated or bit-flipped file
raises ``ValueError`` saying what is wrong instead of loading silently changed numbers. Vectors holding NaN or inf
are refused both when saving and when loading (in every format), since every similarity computed with them is NaN.
"""

from __future__ import annotations

import json
import os
import re
import stat
import struct
import tempfile
import zlib
from typing import Collection, Dict, List, Literal, Optional, Tuple, cast

import numpy as np

from ._arrays import aligned_empty, all_finite, row_aligned_zeros

__all__ = ["save_native", "load_native", "atomic_output", "detect_format", "SUBWORD_KINDS", "UNKEYED_ARRAYS"]

_MAGIC = b"W2VFAST\x01"
_ALIGN = 64
_CHECKSUM_PLACEHOLDER = "00000000"
FASTTEXT_MAGIC_NUMBER = 793712314  # a fastText .bin starts with it, a little-endian int32 (w2vfast.fasttext_format)
# The kinds of file that hold subword (FastText) vectors, and the one array that has a row per n-gram bucket instead
# of one per key.
SUBWORD_KINDS = ("fasttextkeyedvectors", "fasttext")
UNKEYED_ARRAYS = ("vectors_ngrams",)


class atomic_output:
    """A binary file that appears under its final name only once it is complete (temporary file, then rename).

    A context manager: entering it creates a temporary file in the target's folder and returns it open for binary
    writing; leaving it without an exception flushes the file to disk and renames it to ``path``, leaving it with an
    exception deletes it, so that ``path`` holds either its old content or the complete new one.

    Parameters
    ----------
    path : str or path
        The file's final name.

    Examples
    --------
    >>> with atomic_output("vectors.txt") as out:
    ...     out.write(b"1 2\\nking 0.5 0.25\\n")
    """

    def __init__(self, path):
        self.path = os.fspath(path)

    def __enter__(self):
        folder = os.path.dirname(os.path.abspath(self.path))
        descriptor, self.temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix="-" + os.path.basename(self.path))
        self.file = os.fdopen(descriptor, "wb")
        # mkstemp creates the file readable by its owner only; the saved file gets the mode open() would give it.
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, _new_file_mode(self.path))
        return self.file

    def __exit__(self, error_type, error, traceback):
        try:
            if error_type is None:
                self.file.flush()
                os.fsync(self.file.fileno())  # the data reaches the disk before the new name does
            self.file.close()
            if error_type is None:
                os.replace(self.temporary, self.path)
        finally:
            if os.path.exists(self.temporary):
                os.unlink(self.temporary)
        return False


def _new_file_mode(path: str) -> int:
    """The permission bits of a file written at ``path``: those of the file it replaces, else 0o666 less the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        pass
    try:  # Linux: the umask without changing it (os.umask can only set it, which races with other threads)
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def encode_key(key: str) -> bytes:
    return key.encode("utf-8", "surrogateescape")


# -------------------------------------------------------------------- native format


def save_native(path, kind: str, keys: List[str], arrays: Dict[str, np.ndarray], attributes: dict) -> None:
    """Writes keys, named arrays and JSON-serialisable attributes to ``path`` in the native format, atomically.

    :meth:`w2vfast.KeyedVectors.save` and :meth:`w2vfast.Word2Vec.save` call it; the layout is described at the top
    of this page.

    Parameters
    ----------
    path : str or path
        The file to write (through :class:`atomic_output`).
    kind : str
        What the file holds, ``'keyedvectors'``, ``'word2vec'``, ``'fasttextkeyedvectors'`` or ``'fasttext'``;
        :func:`load_native` returns it.
    keys : list of str
        The keys, one per row of every array. A key may not contain a newline.
    arrays : dict of (str, numpy.ndarray)
        Numeric arrays by name, each with one row per key; ``'vectors'`` is checked for NaN and inf.
    attributes : dict
        Anything JSON can hold, stored in the header.

    Raises
    ------
    ValueError
        If a key contains a newline, an array holds Python objects, or the vectors hold NaN or inf.
    """
    for key in keys:
        if "\n" in key:
            raise ValueError(f"key {key!r} contains a newline, which the native format cannot store")
    key_blob = b"\n".join(encode_key(key) for key in keys)
    arrays = {name: np.ascontiguousarray(array) for name, array in arrays.items()}
    for name, array in arrays.items():
        if array.dtype.hasobject:
            raise ValueError(f"array {name!r} holds Python objects; only numeric arrays can be saved")
    # Offsets depend on the header's length, which depends on the offsets: grow the reserved room until it fits.
    reserved = 256
    while True:
        position = 16 + reserved
        key_span = [position, len(key_blob)]
        position += len(key_blob)
        table = {}
        for name, array in arrays.items():
            position = -(-position // _ALIGN) * _ALIGN
            table[name] = {"dtype": array.dtype.newbyteorder("<").str, "shape": list(array.shape), "offset": position}
            position += array.nbytes
        header = {
            "kind": kind, "count": len(keys), "keys": key_span, "arrays": table, "attributes": attributes,
            "checksum": _CHECKSUM_PLACEHOLDER,
        }
        encoded = json.dumps(header, sort_keys=True).encode("utf-8")
        if len(encoded) <= reserved:
            break
        reserved = 2 * len(encoded)
    if "vectors" in arrays:
        check_finite(arrays["vectors"], keys, os.fspath(path))
    with atomic_output(path) as out:
        checksum = 0
        for chunk in _native_chunks(encoded, reserved, key_blob, arrays, table):
            checksum = zlib.crc32(chunk, checksum)
            out.write(chunk)
        # The placeholder's bytes took part in the checksum; now they hold it.
        # rfind: the top-level key sorts after "arrays" and "attributes", which might hold one of their own.
        out.seek(16 + encoded.rfind(b'"checksum": "') + len(b'"checksum": "'))
        out.write(b"%08x" % checksum)


def _native_chunks(encoded: bytes, reserved: int, key_blob: bytes, arrays, table):
    yield _MAGIC + struct.pack("<Q", reserved) + encoded.ljust(reserved, b" ")
    yield key_blob
    position = 16 + reserved + len(key_blob)
    for name, array in arrays.items():
        yield b"\0" * (table[name]["offset"] - position)
        data = array.astype(array.dtype.newbyteorder("<"), copy=False)
        yield memoryview(data).cast("B") if data.nbytes else b""
        position = table[name]["offset"] + data.nbytes


def _size(value) -> int:
    """A size or offset read from a header: a non-negative int (JSON may hold anything there in a corrupt file)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{value!r} is not a size")
    return value


def _file_checksum(name: str, checksum_position: int) -> int:
    """CRC-32 of a native file as it was written, the checksum's digits read as the placeholder."""
    checksum = 0
    with open(name, "rb") as file:
        checksum = zlib.crc32(file.read(checksum_position), checksum)
        file.seek(len(_CHECKSUM_PLACEHOLDER), os.SEEK_CUR)
        checksum = zlib.crc32(_CHECKSUM_PLACEHOLDER.encode("ascii"), checksum)
        while True:
            chunk = file.read(1 << 24)
            if not chunk:
                return checksum
            checksum = zlib.crc32(chunk, checksum)


def check_finite(vectors: np.ndarray, keys: List[str], fname: str) -> None:
    """Raises ValueError naming the first key whose vector holds NaN or inf."""
    if all_finite(vectors):  # without the boolean matrix below, which only the error needs
        return
    finite_rows = np.isfinite(vectors).all(axis=1) if vectors.ndim == 2 else np.isfinite(vectors)
    if not finite_rows.all():
        row = int(np.argmin(finite_rows))
        key = keys[row] if row < len(keys) else row
        raise ValueError(f"{fname}: the vector of key {key!r} (row {row}) holds NaN or infinite values")


def load_native(path, mmap: Optional[str] = None, row_aligned: Collection[str] = ()
                ) -> Tuple[str, List[str], Dict[str, np.ndarray], dict]:
    """Reads a file written by :func:`save_native`, checking every size and offset against the file's length.

    Parameters
    ----------
    path : str or path
        The file.
    mmap : {None, 'r', 'r+', 'c'}
        ``None`` (default) reads the arrays and verifies the checksum; otherwise the arrays are memory-mapped in
        that mode (``numpy.memmap``) and the checksum is not computed, since that would read them.
    row_aligned : collection of str
        Names of float32 matrices to read with every row on a cache line (``read_aligned``'s ``row_aligned``) when
        they are read rather than mapped.

    Returns
    -------
    kind : str
        What the file holds, as given to :func:`save_native`.
    keys : list of str
        The keys.
    arrays : dict of (str, numpy.ndarray)
        The arrays by name.
    attributes : dict
        The attributes stored in the header.

    Raises
    ------
    ValueError
        If the file is not a w2vfast file, is truncated or corrupt (the message says what and at which byte), or
        its vectors hold NaN or inf.
    """
    if mmap not in (None, "r", "r+", "c"):
        raise ValueError(f"mmap must be None, 'r', 'r+' or 'c', got {mmap!r}")
    name = os.fspath(path)
    size = os.path.getsize(name)
    with open(name, "rb") as file:
        start = file.read(16)
        if len(start) < 16 or start[:8] != _MAGIC:
            raise ValueError(f"{name}: not a w2vfast file (it does not start with {_MAGIC!r})")
        (header_length,) = struct.unpack("<Q", start[8:])
        if 16 + header_length > size:
            raise ValueError(f"{name}: header of {header_length} bytes at byte 16, file ends at byte {size}")
        try:
            raw_header = file.read(header_length)
            header = json.loads(raw_header.decode("utf-8"))
            kind, count, (key_offset, key_length) = header["kind"], header["count"], header["keys"]
            table, attributes = header["arrays"], header["attributes"]
            count, key_offset, key_length = (_size(value) for value in (count, key_offset, key_length))
            if not isinstance(table, dict) or not isinstance(attributes, dict):
                raise TypeError("arrays and attributes must be objects")
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{name}: the header at byte 16 is corrupt ({error})") from None
        if key_offset + key_length > size:
            raise ValueError(f"{name}: expected {key_length} bytes of keys at byte {key_offset}, file ends at byte {size}")
        file.seek(key_offset)
        key_blob = file.read(key_length)
    keys = key_blob.decode("utf-8", "surrogateescape").split("\n") if count else []
    if len(keys) != count:
        raise ValueError(f"{name}: expected {count} keys at byte {key_offset}, found {len(keys)}")
    layout = []
    for array_name, entry in table.items():
        try:
            # Only numeric dtype strings such as "<f4" reach np.dtype, whose parser of other strings raises anything.
            if not isinstance(entry["dtype"], str) or not re.fullmatch(r"[<>|=]?[biuf][1248]", entry["dtype"]):
                raise ValueError(f"dtype {entry['dtype']!r} is not a numeric dtype")
            dtype, shape, offset = np.dtype(entry["dtype"]), tuple(map(_size, entry["shape"])), _size(entry["offset"])
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{name}: the header's entry for array {array_name!r} is corrupt ({error})") from None
        nbytes = dtype.itemsize * int(np.prod(shape, dtype=np.int64))
        if offset + nbytes > size:
            raise ValueError(
                f"{name}: expected {nbytes} bytes of array {array_name!r} {shape} at byte {offset}, "
                f"file ends at byte {size} (truncated?)"
            )
        if shape[:1] != (count,) and array_name not in UNKEYED_ARRAYS:
            raise ValueError(f"{name}: array {array_name!r} has {shape[:1]} rows for {count} keys")
        layout.append((array_name, dtype, shape, offset, nbytes))
    if mmap is None and "checksum" in header:
        marker = b'"checksum": "'
        found = raw_header.rfind(marker)
        if found < 0 or str(header["checksum"]) != f"{_file_checksum(name, 16 + found + len(marker)):08x}":
            raise ValueError(f"{name}: checksum mismatch: the file is corrupt (changed after it was written)")
    arrays: Dict[str, np.ndarray] = {}
    for array_name, dtype, shape, offset, nbytes in layout:
        if mmap is not None and nbytes > 0:
            mode = cast(Literal["r", "r+", "c"], mmap)  # checked on entry
            arrays[array_name] = np.memmap(name, dtype=dtype, mode=mode, offset=offset, shape=shape)
        else:
            arrays[array_name] = read_aligned(name, dtype, tuple(shape), offset, array_name in row_aligned)
    if mmap is None and "vectors" in arrays:
        check_finite(arrays["vectors"], keys, name)
    return kind, keys, arrays, attributes


def read_aligned(name: str, dtype, shape: Tuple[int, ...], offset: int, row_aligned: bool = False) -> np.ndarray:
    """The array of ``shape`` stored at byte ``offset`` of file ``name``, read into memory that starts on a cache
    line (:mod:`w2vfast._arrays`), as the engine trains fastest; the caller has checked that the file holds it.
    Native files and fastText's ``.bin`` read their matrices with it. With ``row_aligned``, a float32 matrix is read
    into :func:`w2vfast._arrays.row_aligned_zeros`, every row on a cache line, a few megabytes at a time."""
    if row_aligned and np.dtype(dtype) == np.float32 and len(shape) == 2:
        rows = row_aligned_zeros((shape[0], shape[1]))
        chunk = aligned_empty((max(1, min(shape[0], _ROW_CHUNK_BYTES // max(1, 4 * shape[1]))), shape[1]))
        with open(name, "rb") as stored:
            stored.seek(offset)
            for start in range(0, shape[0] if shape[1] else 0, len(chunk)):
                part = chunk[:min(len(chunk), shape[0] - start)]
                _read_into(stored, part, name, offset)
                rows[start:start + len(part)] = part
        return rows
    array = aligned_empty(shape, dtype)
    if not array.nbytes:
        return array  # nothing to read (and a memoryview cannot cast an empty shape)
    with open(name, "rb") as stored:
        stored.seek(offset)
        _read_into(stored, array, name, offset)
    return array


# How much of a row-aligned matrix read_aligned() reads at a time.
_ROW_CHUNK_BYTES = 4 << 20


def _read_into(stored, array: np.ndarray, name: str, offset: int) -> None:
    if stored.readinto(array.data.cast("B")) != array.nbytes:
        raise ValueError(f"{name}: array at byte {offset} ends early (the file changed while it was read?)")


# -------------------------------------------------------------------- word2vec.c formats


def save_word2vec(kv, fname, fvocab, binary: bool, write_header: bool) -> None:
    """Writes ``kv`` in word2vec.c's text or binary format; see :meth:`KeyedVectors.save_word2vec_format`."""
    for key in kv.index_to_key:
        if not key or any(c.isspace() for c in key):
            raise ValueError(f"key {key!r} is empty or contains whitespace; word2vec formats cannot store it")
    if fvocab is not None and "count" not in kv.expandos:
        raise ValueError("fvocab needs word counts, which these vectors do not have")
    vectors = np.ascontiguousarray(kv.vectors, dtype="<f4")
    check_finite(vectors, kv.index_to_key, os.fspath(fname))
    with atomic_output(fname) as out:
        if write_header:
            out.write(f"{len(kv)} {kv.vector_size}\n".encode("ascii"))
        for index, key in enumerate(kv.index_to_key):
            name = encode_key(key)
            if binary:
                out.write(name + b" " + vectors[index].tobytes() + b"\n")
            else:
                numbers = " ".join(repr(float(x)) for x in vectors[index])
                out.write(name + b" " + numbers.encode("ascii") + b"\n")
    if fvocab is not None:
        save_word_numbers(fvocab, kv.index_to_key, kv.expandos["count"])


def save_word_numbers(path, keys: List[str], numbers) -> None:
    """Writes ``<word> <integer>`` lines, atomically: word2vec.c's vocabulary files (``-save-vocab``, counts) and
    class files (``-classes``)."""
    with atomic_output(path) as out:
        for key, number in zip(keys, numbers):
            out.write(encode_key(key) + f" {int(number)}\n".encode("ascii"))


def parse_word2vec(data: bytes, fname: str, binary: bool, encoding: str, unicode_errors: str,
                   limit: Optional[int]) -> Tuple[List[str], np.ndarray]:
    """The keys and float32 vectors of a word2vec text or binary file's content; see
    :meth:`KeyedVectors.load_word2vec_format`. Raises ValueError saying what was expected where, for a truncated or
    malformed file."""
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
    # The fewest bytes a vector takes: binary, a word of one byte or more, a space and 4 bytes a float; text, a word
    # of zero bytes or more, a space and a digit a float, and a newline. A corrupt header may promise more than the
    # file holds: allocate only what it can hold; the loop below stops where the data ends, before writing past it.
    smallest_row = 2 + 4 * vector_size if binary else 1 + 2 * vector_size
    capacity = min(count, max(0, len(data) - header_end - 1) // smallest_row)

    keys: List[str] = []
    vectors = np.empty((capacity, vector_size), dtype=np.float32)
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
    check_finite(vectors, keys, fname)
    return keys, vectors


def read_vocab_counts(fvocab, encoding: str, unicode_errors: str) -> Dict[str, int]:
    """The counts of a ``<word> <count>`` file (word2vec.c's ``-save-vocab``), by word."""
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


# -------------------------------------------------------------------- telling the formats apart


def detect_format(path) -> str:
    """Names the format of a vectors file: ``'w2vfast native'``, ``'fastText binary'``, ``'word2vec text'`` or
    ``'word2vec binary'``.

    Native files (:meth:`w2vfast.KeyedVectors.save`, :meth:`w2vfast.Word2Vec.save`) and fastText ``.bin`` models start
    with their magic numbers. The word2vec
    formats share the header ``<count> <dimension>``; the first record tells them apart: in the text format it is a
    word followed by ``dimension`` decimal numbers on one line.

    Parameters
    ----------
    path : str or path
        The file.

    Returns
    -------
    str
        The format's name.

    Raises
    ------
    ValueError
        If the file is none of them.
    """
    with open(path, "rb") as file:
        head = file.read(1 << 20)
    if head.startswith(_MAGIC):
        return "w2vfast native"
    if head.startswith(struct.pack("<i", FASTTEXT_MAGIC_NUMBER)):
        return "fastText binary"
    header, _, rest = head.partition(b"\n")
    fields = header.split()
    if len(fields) != 2 or not all(field.isdigit() for field in fields):
        raise ValueError(f"{os.fspath(path)}: not a word vectors file: it is not in w2vfast's format, and the first "
                         f"line {header[:60]!r} is not '<count> <dimension>' (word2vec text or binary format)")
    dimension = int(fields[1])
    first_record = rest.partition(b"\n")[0].split()
    if not rest or len(first_record) == dimension + 1 and all(is_number(field) for field in first_record[1:]):
        return "word2vec text"
    return "word2vec binary"


def is_number(field: bytes) -> bool:
    """Whether ``field`` reads as a decimal number."""
    try:
        float(field)
    except ValueError:
        return False
    return True
