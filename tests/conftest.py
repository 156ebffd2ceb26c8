"""Shared corpora for the tests: small, generated with fixed seeds, so the suite needs no downloads."""

import random

import numpy as np
import pytest

from w2vfast import _core

COMMUNITY_SIZE = 20


def community_words(name: str):
    return [f"{name}{i}" for i in range(COMMUNITY_SIZE)]


def planted_sentences(sentences: int = 3000, length: int = 10, seed: int = 0):
    """Sentences that each use the words of one community only, "a*" or "b*": the two never co-occur."""
    rng = random.Random(seed)
    communities = [community_words("a"), community_words("b")]
    return [rng.choices(communities[i % 2], k=length) for i in range(sentences)]


def write_lines(path, sentences):
    with open(path, "w", encoding="utf-8") as out:
        for sentence in sentences:
            out.write(" ".join(sentence) + "\n")
    return str(path)


@pytest.fixture(scope="session")
def planted_corpus():
    return planted_sentences()


@pytest.fixture
def planted_file(tmp_path, planted_corpus):
    return write_lines(tmp_path / "planted.txt", planted_corpus)


ENTITIES = 40


def analogy_corpus(sentences: int = 4_000, seed: int = 0):
    """Words e<i>_<r> for entity i in role r (0 or 1). A sentence about (i, r) holds the word, four of the entity's
    own context words and four of the role's: e<i>_1 - e<i>_0 is the same role direction for every i, which makes
    "e<i>_0 : e<i>_1 :: e<j>_0 : e<j>_1" analogies that a model can only answer by learning both factors."""
    rng = random.Random(seed)
    corpus = []
    for _ in range(sentences):
        entity, role = rng.randrange(ENTITIES), rng.randrange(2)
        words = [f"e{entity}_{role}"] + [f"c{entity}_{rng.randrange(6)}" for _ in range(4)]
        words += [f"r{role}_{rng.randrange(10)}" for _ in range(4)]
        rng.shuffle(words)
        corpus.append(words)
    return corpus


@pytest.fixture(scope="session")
def questions(tmp_path_factory):
    """The analogy questions of analogy_corpus(), in the questions-words.txt format."""
    path = tmp_path_factory.mktemp("analogies") / "questions.txt"
    lines = [": roles"] + [f"e{i}_0 e{i}_1 e{j}_0 e{j}_1" for i in range(ENTITIES) for j in range(ENTITIES) if i != j]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def engine_vocabulary(counts, ns_exponent=0.75, sample=0.0, hs=False, huffman_ties=None):
    """The engine's Vocabulary of the words w0, w1, ... with these counts, for tests of the tables it computes."""
    counts = np.asarray(counts, dtype=np.uint64)
    words = _core.WordCounts([f"w{i}" for i in range(len(counts))], counts, total_words=int(counts.sum()),
                             total_sentences=0)
    return _core.Vocabulary(words, ns_exponent=ns_exponent, sample=sample, hs=hs, huffman_ties=huffman_ties)
