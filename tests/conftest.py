"""Shared corpora for the tests: small, generated with fixed seeds, so the suite needs no downloads."""

import random

import pytest

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
