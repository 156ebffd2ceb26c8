"""w2vfast: fast multithreaded word2vec with gensim's API.

>>> from w2vfast import Word2Vec
>>> model = Word2Vec(corpus_file="corpus.txt", workers=4)
>>> model.wv.most_similar("king")
"""

import os

# Read by the engine when _core is imported just below, which is when the path is chosen.
_SIMD_FORCED = os.environ.get("W2VFAST_SIMD") or None

from . import _core, datasets  # noqa: E402
from .corpora import IdCorpus, LineSentence
from .fasttext import FastText, FastTextKeyedVectors, load_facebook_model, load_facebook_vectors, save_facebook_model
from .keyedvectors import KeyedVectors
from .phrases import ENGLISH_CONNECTOR_WORDS, FrozenPhrases, Phrases
from .word2vec import Word2Vec

__version__ = "0.1.0"
__all__ = [
    "Word2Vec", "KeyedVectors", "FastText", "FastTextKeyedVectors", "load_facebook_model", "load_facebook_vectors",
    "save_facebook_model", "IdCorpus", "LineSentence", "Phrases", "FrozenPhrases", "ENGLISH_CONNECTOR_WORDS",
    "datasets", "simd_info", "__version__",
]


def simd_info():
    """Which SIMD kernels training uses, chosen once at import.

    The build carries the training kernels once per instruction set and picks the fastest this CPU runs; the
    environment variable ``W2VFAST_SIMD`` (set before import) forces one, e.g. ``W2VFAST_SIMD=scalar``. A path that
    is not built in, or that this CPU cannot run, makes the import fail with a message listing the choices.

    Returns
    -------
    dict
        ``path``: the path in use ("scalar", "sse2", "avx2", "avx512", "neon" or "generic");
        ``available``: the paths this CPU runs, slowest first; ``compiled``: the paths in this build;
        ``forced``: the value ``W2VFAST_SIMD`` had at import, or None.

    Examples
    --------
    >>> import w2vfast
    >>> w2vfast.simd_info()["path"]  # doctest: +SKIP
    'avx512'
    """
    return {
        "path": _core.simd_path(),
        "available": list(_core.simd_paths()),
        "compiled": list(_core.simd_compiled_paths()),
        "forced": _SIMD_FORCED,
    }
