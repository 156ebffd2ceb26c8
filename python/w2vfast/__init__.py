"""w2vfast: fast multithreaded word2vec with gensim's API.

>>> from w2vfast import Word2Vec
>>> model = Word2Vec(corpus_file="corpus.txt", workers=4)
>>> model.wv.most_similar("king")
"""

from . import datasets
from .corpora import IdCorpus, LineSentence
from .keyedvectors import KeyedVectors
from .word2vec import Word2Vec

__version__ = "0.1.0"
__all__ = ["Word2Vec", "KeyedVectors", "IdCorpus", "LineSentence", "datasets", "__version__"]
