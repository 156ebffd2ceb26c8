"""Character n-grams as fastText computes them (the engine's Subwords): which n-grams a word has, in which order, and
their bucket rows, which must equal fastText's and gensim's to the bit for .bin models to mean the same thing."""

import numpy as np
import pytest

from w2vfast import _core

WORDS = ["a", "ab", "word", "hello", "naïve", "日本語", "e\u0301t\u00e9", "😀x", "antidisestablishmentarianism"]
SETTINGS = [(3, 6), (1, 1), (0, 2), (2, 3), (5, 5), (1, 10), (4, 6)]
BUCKETS = [2_000_000, 1, 7, 2**31 - 1]


def vocabulary(words):
    counts = _core.WordCounts(words, np.arange(len(words), 0, -1, dtype=np.uint64), len(words), 1)
    return _core.Vocabulary(counts, 0.75, 0.0, False)


def fasttext_hash(data: bytes) -> int:
    """fastText's Dictionary::hash: FNV-1a over the bytes, each sign-extended from int8 first."""
    h = 2166136261
    for byte in data:
        signed = byte - 256 if byte > 127 else byte
        h = ((h ^ (signed & 0xFFFFFFFF)) * 16777619) & 0xFFFFFFFF
    return h


def fasttext_ngrams(word: bytes, min_n: int, max_n: int):
    """fastText's Dictionary::computeSubwords over '<word>': n counts characters, not bytes."""
    wrapped = b"<" + word + b">"
    ngrams = []
    for i in range(len(wrapped)):
        if wrapped[i] & 0xC0 == 0x80:
            continue
        j, n = i, 1
        while j < len(wrapped) and n <= max_n:
            j += 1
            while j < len(wrapped) and wrapped[j] & 0xC0 == 0x80:
                j += 1
            if n >= min_n and not (n == 1 and (i == 0 or j == len(wrapped))):
                ngrams.append(wrapped[i:j])
            n += 1
    return ngrams


def subwords(min_n=3, max_n=6, bucket=2_000_000, words=WORDS):
    return _core.Subwords(vocabulary(words), min_n, max_n, bucket)


def test_fasttext_hash_is_fnv1a_of_sign_extended_bytes():
    # The one ASCII n-gram's bucket row is its plain FNV-1a hash; a byte above 0x7f hashes sign-extended.
    assert subwords(1, 1, 2**31 - 1).ngram_ids("a")[0] == 0xE40C292C % (2**31 - 1)  # FNV-1a("a")
    unsigned_fnv = 2166136261
    for byte in "é".encode():
        unsigned_fnv = ((unsigned_fnv ^ byte) * 16777619) & 0xFFFFFFFF
    assert subwords(1, 1, 2**31 - 1).ngram_ids("é")[0] == fasttext_hash("é".encode()) % (2**31 - 1)
    assert fasttext_hash("é".encode()) != unsigned_fnv


def test_a_word_has_the_wrapped_words_ngrams_whole_word_included_when_short():
    expected = [fasttext_hash(ngram) % 2_000_000 for ngram in (b"<ab", b"<ab>", b"ab>")]
    assert list(subwords(3, 6).ngram_ids("ab")) == expected


def test_ngrams_count_characters_and_never_start_inside_one():
    ngrams = fasttext_ngrams("héllo".encode(), 1, 2)
    assert b"\xc3\xa9" in ngrams and b"h\xc3\xa9" in ngrams and not any(g[0] & 0xC0 == 0x80 for g in ngrams)
    assert list(subwords(1, 2).ngram_ids("héllo")) == [fasttext_hash(g) % 2_000_000 for g in ngrams]


@pytest.mark.parametrize("min_n,max_n", SETTINGS)
@pytest.mark.parametrize("bucket", BUCKETS)
def test_ngram_ids_follow_fasttexts_dictionary(min_n, max_n, bucket):
    model = subwords(min_n, max_n, bucket)
    for word in WORDS + ["", "unseen", "\udcff\udcfe"]:
        raw = word.encode("utf-8", "surrogateescape")
        expected = [fasttext_hash(g) % bucket for g in fasttext_ngrams(raw, min_n, max_n)]
        ids = model.ngram_ids(word)
        assert ids.dtype == np.int32
        assert list(ids) == expected, word


@pytest.mark.parametrize("min_n,max_n", SETTINGS)
def test_ngram_ids_equal_gensims_ft_ngram_hashes(min_n, max_n):
    fasttext = pytest.importorskip("gensim.models.fasttext")
    for bucket in BUCKETS:
        model = subwords(min_n, max_n, bucket)
        for word in WORDS + ["unseen"]:
            assert list(model.ngram_ids(word)) == fasttext.ft_ngram_hashes(word, min_n, max_n, bucket), word


@pytest.mark.parametrize("min_n,max_n,bucket", [(4, 3, 100), (0, 0, 100), (3, 6, 0)])
def test_no_ngrams_when_max_n_below_min_n_or_zero_or_no_buckets(min_n, max_n, bucket):
    model = subwords(min_n, max_n, bucket)
    assert len(model.ngram_ids("hello")) == 0
    offsets, ids = model.vocabulary_ngrams()
    assert len(ids) == 0 and list(offsets) == [0] * (len(WORDS) + 1)


def test_words_shorter_than_min_n_have_no_ngrams():
    # "<a>" is 3 characters: no n-gram of 4 or more.
    assert len(subwords(4, 6).ngram_ids("a")) == 0
    assert len(subwords(3, 6).ngram_ids("a")) == 1


def test_vocabulary_ngrams_are_each_words_ngram_ids_in_csr_form():
    model = subwords()
    offsets, ids = model.vocabulary_ngrams()
    assert offsets.dtype == np.int64 and ids.dtype == np.int32 and len(offsets) == len(WORDS) + 1
    assert offsets[0] == 0 and offsets[-1] == len(ids)
    # Vocabulary ids follow the counts (most frequent first): WORDS is already in that order.
    for w, word in enumerate(WORDS):
        assert list(ids[offsets[w] : offsets[w + 1]]) == list(model.ngram_ids(word))


def test_settings_are_readable_not_writable():
    model = subwords(2, 5, 1000)
    assert (model.min_n, model.max_n, model.bucket) == (2, 5, 1000)
    with pytest.raises(AttributeError):
        model.bucket = 5


@pytest.mark.parametrize("min_n,max_n,bucket", [(-1, 6, 100), (3, -2, 100), (3, 6, -1), (3, 6, 2**31)])
def test_impossible_settings_raise_value_error(min_n, max_n, bucket):
    with pytest.raises(ValueError):
        subwords(min_n, max_n, bucket)
