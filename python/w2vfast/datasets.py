"""Data files that ship inside the package.

``kjv.txt.gz``
    The King James Version of the Bible (public domain), from Debian's ``bible-kjv-text`` package: 31,102 verses,
    one per line, lowercased, with every run of characters other than ``a``-``z`` turned into a space (the
    normalisation of Matt Mahoney's text8). 791,450 words, 12,544 distinct. Small enough to train on in seconds,
    large enough for meaningful neighbours.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Iterator, List

__all__ = ["path", "names", "kjv_sentences", "extract"]

_DATA = Path(__file__).resolve().parent / "data"


def names() -> List[str]:
    """The names of the shipped data files."""
    return sorted(entry.name for entry in _DATA.iterdir() if entry.is_file() and not entry.name.startswith("."))


def path(name: str) -> str:
    """The absolute path of a shipped data file, e.g. ``path('kjv.txt.gz')``."""
    candidate = _DATA / name
    if not candidate.is_file():
        raise FileNotFoundError(f"w2vfast ships no data file {name!r}; available: {', '.join(names())}")
    return str(candidate)


def extract(name: str, folder: str) -> str:
    """Decompresses a shipped ``.gz`` file into ``folder`` and returns the path of the plain file."""
    target = Path(folder) / name[: -len(".gz")] if name.endswith(".gz") else Path(folder) / name
    with gzip.open(path(name), "rb") as source, open(target, "wb") as out:
        while True:
            block = source.read(1 << 20)
            if not block:
                break
            out.write(block)
    return os.fspath(target)


class kjv_sentences:
    """The King James Bible as a re-iterable of tokenised verses (lists of str), for the ``sentences`` argument."""

    def __iter__(self) -> Iterator[List[str]]:
        with gzip.open(path("kjv.txt.gz"), "rt", encoding="ascii") as lines:
            for line in lines:
                yield line.split()
