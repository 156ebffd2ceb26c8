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


# ------------------------------------------------------------------------------------------------ training

TRAIN_WORDS = ["the", "cat", "cats", "sat", "sits", "on", "mat", "mats", "a", "dog", "dogs", "ran", "runs", "über"]


def training_corpus(sentences=40, seed=0):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 12, sentences)
    # Word i is drawn with probability ~ 1 / (i + 1), so counts, Huffman codes and noise draws differ between words.
    weights = 1.0 / np.arange(1, len(TRAIN_WORDS) + 1)
    tokens = rng.choice(len(TRAIN_WORDS), size=int(lengths.sum()), p=weights / weights.sum()).astype(np.int32)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return tokens, offsets


class FastTextSetup:
    """The engine's inputs of a FastText training pass over training_corpus(): vocabulary, n-grams, weights."""

    def __init__(self, hs=False, negative=0, bucket=50, min_n=2, max_n=4, dim=8, seed=0):
        self.tokens, self.offsets = training_corpus()
        counts = np.bincount(self.tokens, minlength=len(TRAIN_WORDS)).astype(np.uint64) + 1
        words = _core.WordCounts(TRAIN_WORDS, counts, int(counts.sum()), len(self.offsets) - 1)
        self.vocabulary = _core.Vocabulary(words, 0.75, 0.0, hs)
        self.subwords = _core.Subwords(self.vocabulary, min_n, max_n, bucket)
        rng = np.random.default_rng(seed)
        # Larger than a model's first rows, so that every step moves them measurably.
        self.vectors = rng.uniform(-0.5, 0.5, (len(TRAIN_WORDS), dim)).astype(np.float32)
        self.ngram_vectors = rng.uniform(-0.5, 0.5, (bucket, dim)).astype(np.float32)
        self.syn1 = rng.uniform(-0.5, 0.5, (len(TRAIN_WORDS) if hs else 0, dim)).astype(np.float32)
        self.syn1neg = rng.uniform(-0.5, 0.5, (len(TRAIN_WORDS) if negative else 0, dim)).astype(np.float32)
        self.hs, self.negative, self.dim = hs, negative, dim

    def train(self, sg, window=1, alpha=0.05, cbow_mean=True, shared_negatives=False, workers=1, seed=1, epochs=1,
              subwords=True):
        config = _core.TrainConfig(
            vector_size=self.dim, window=window, negative=self.negative, sg=sg, hs=self.hs, cbow_mean=cbow_mean,
            shared_negatives=shared_negatives, alpha=alpha, min_alpha=alpha, total_words=10**9, workers=workers,
            seed=seed, compute_loss=True,
        )
        loss = 0.0
        for epoch in range(epochs):
            training = _core.TrainingPass(
                config, self.vocabulary, self.vectors, self.syn1neg, self.syn1,
                _core.CorpusSource.ids(self.tokens, self.offsets, None), 0, epoch,
                subwords=self.subwords if subwords else None, ngram_vectors=self.ngram_vectors if subwords else None,
            )
            training.start()
            loss += training.wait(None).loss
        return loss

    def weights(self):
        return [matrix.copy() for matrix in (self.vectors, self.ngram_vectors, self.syn1, self.syn1neg)]


def gensim_fasttext_hs_pass(setup, sg, alpha, cbow_mean=True):
    """gensim 4.4's fasttext_fast_sentence_sg_hs / _cbow_hs (fasttext_inner.pyx) over setup's corpus with window 1,
    in NumPy with float64 arithmetic and the engine's sigmoid: one pass, in gensim's order of updates."""
    vectors, ngram_vectors, syn1, _ = [matrix.astype(np.float64) for matrix in setup.weights()]
    offsets, ids = setup.subwords.vocabulary_ngrams()
    ngrams = [ids[offsets[w] : offsets[w + 1]] for w in range(len(TRAIN_WORDS))]
    paths = [(setup.vocabulary.huffman_points(w), setup.vocabulary.huffman_code(w)) for w in range(len(TRAIN_WORDS))]

    def output_layer(hidden, word):
        work = np.zeros_like(hidden)
        for point, code in zip(*paths[word]):
            score = hidden @ syn1[point]
            if abs(score) >= 6.0:  # the engine's (word2vec.c's) saturation bound; gensim's is 8
                continue
            g = (1 - code - float(_core.sigmoid(np.float32(score)))) * alpha
            work += g * syn1[point]
            syn1[point] += g * hidden
        return work

    def update_input(word, work):
        vectors[word] += work
        for ngram in ngrams[word]:
            ngram_vectors[ngram] += work

    for s in range(len(setup.offsets) - 1):
        sentence = setup.tokens[setup.offsets[s] : setup.offsets[s + 1]]
        for i, centre in enumerate(sentence):
            context = [sentence[j] for j in (i - 1, i + 1) if 0 <= j < len(sentence)]
            if sg:
                for word in context:
                    # The centre word's rows predict each context word; divided by the n-grams alone, as gensim.
                    hidden = vectors[centre] + ngram_vectors[ngrams[centre]].sum(axis=0)
                    hidden /= max(len(ngrams[centre]), 1)
                    update_input(centre, output_layer(hidden, word))
            elif context:
                hidden = sum(vectors[w] + ngram_vectors[ngrams[w]].sum(axis=0) for w in context)
                rows = sum(1 + len(ngrams[w]) for w in context)
                work = output_layer(hidden / rows if cbow_mean else hidden, centre)
                for word in context:
                    update_input(word, work if cbow_mean else work / rows)
    return vectors, ngram_vectors, syn1


@pytest.mark.parametrize("sg,cbow_mean", [(True, True), (False, True), (False, False)], ids=["sg", "cbow", "cbow-sum"])
def test_training_updates_the_word_and_ngram_rows_as_gensims_fasttext(sg, cbow_mean):
    # Window 1 and hierarchical softmax draw no random numbers: the pass is gensim's sequence of updates, exactly.
    setup = FastTextSetup(hs=True)
    expected = gensim_fasttext_hs_pass(setup, sg, alpha=0.05, cbow_mean=cbow_mean)
    before = setup.weights()
    setup.train(sg=sg, cbow_mean=cbow_mean, alpha=0.05)
    for name, got, want, start in zip(("vectors", "ngram_vectors", "syn1"), setup.weights(), expected, before):
        moved = np.abs(want - start).max()
        assert moved > 0.01, name
        assert np.abs(got - want).max() <= 1e-4 * moved, name


def test_cbow_without_ngrams_trains_as_word2vecs_cbow():
    # The same steps and random draws; FastText's negative sampling scores a prediction's targets before it updates
    # their rows, which only a noise word drawn twice for one prediction notices (often, in 14 words: 0.3% here,
    # where another seed differs by 100%).
    fasttext, word2vec = FastTextSetup(negative=5, bucket=0), FastTextSetup(negative=5, bucket=0)
    start = word2vec.weights()
    fasttext.train(sg=False, window=3, epochs=2)
    word2vec.train(sg=False, window=3, epochs=2, subwords=False)
    for got, want, before in zip(fasttext.weights(), word2vec.weights(), start):
        if want.size:
            assert np.abs(got - want).max() <= 1e-2 * np.abs(want - before).max()


MODES = {
    "sg-ns": dict(sg=True, negative=5),
    "sg-shared": dict(sg=True, negative=5, shared_negatives=True),
    "cbow-ns": dict(sg=False, negative=5),
    "sg-hs": dict(sg=True, hs=True),
    "cbow-hs": dict(sg=False, hs=True),
    "sg-both": dict(sg=True, hs=True, negative=3),
}


def train_mode(mode, seed=1, workers=1):
    settings = dict(MODES[mode])
    setup = FastTextSetup(hs=settings.pop("hs", False), negative=settings.pop("negative", 0), dim=37)
    setup.train(window=3, epochs=2, seed=seed, workers=workers, alpha=0.025, **settings)
    return setup


@pytest.fixture
def active_path():
    chosen = _core.simd_path()
    yield _core._set_simd_path
    _core._set_simd_path(chosen)


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("path", [p for p in _core.simd_paths() if p != "scalar"])
def test_every_simd_path_trains_subwords_as_the_scalar_path(active_path, path, mode):
    active_path("scalar")
    reference = train_mode(mode).weights()
    active_path(path)
    for got, want in zip(train_mode(mode).weights(), reference):
        if want.size:
            # As test_simd.py's TRAINING_TOLERANCE: float rounding, far below what another seed changes (below).
            assert np.abs(got - want).max() <= 1e-3 * np.abs(want).max()


def test_training_tolerance_separates_different_seeds():
    reference, other = train_mode("sg-ns").weights()[0], train_mode("sg-ns", seed=2).weights()[0]
    assert np.abs(other - reference).max() > 0.1 * np.abs(reference).max()


@pytest.mark.parametrize("mode", sorted(MODES))
def test_training_with_subwords_is_reproducible_and_finite(mode):
    first, second = train_mode(mode).weights(), train_mode(mode).weights()
    for got, want in zip(first, second):
        assert np.array_equal(got, want) and np.all(np.isfinite(got))


@pytest.mark.parametrize("mode", sorted(MODES))
def test_several_workers_train_subwords(mode):
    setup = train_mode(mode, workers=3)
    start = FastTextSetup(dim=37)
    assert all(np.all(np.isfinite(w)) for w in setup.weights())
    assert not np.array_equal(setup.ngram_vectors, start.ngram_vectors)


def test_training_pass_refuses_mismatched_subwords_and_ngram_matrices():
    setup = FastTextSetup(negative=5)
    config = _core.TrainConfig(
        vector_size=8, window=2, negative=5, sg=True, hs=False, cbow_mean=True, shared_negatives=False, alpha=0.025,
        min_alpha=0.0001, total_words=100, workers=1, seed=1, compute_loss=False,
    )
    corpus = _core.CorpusSource.ids(setup.tokens, setup.offsets, None)

    def training(subwords, ngram_vectors):
        return _core.TrainingPass(config, setup.vocabulary, setup.vectors, setup.syn1neg, setup.syn1, corpus, 0, 0,
                                  subwords=subwords, ngram_vectors=ngram_vectors)

    other_vocabulary = vocabulary(["a", "b"])
    with pytest.raises(ValueError, match="subwords"):
        training(_core.Subwords(other_vocabulary, 2, 4, 50), setup.ngram_vectors)
    with pytest.raises(ValueError, match="ngram_vectors"):
        training(setup.subwords, None)
    with pytest.raises(ValueError, match="ngram_vectors"):
        training(None, setup.ngram_vectors)
    with pytest.raises(ValueError, match=r"ngram_vectors must be .* \(50, 8\)"):
        training(setup.subwords, np.zeros((49, 8), np.float32))
    with pytest.raises(ValueError, match="ngram_vectors"):
        training(setup.subwords, np.zeros((50, 8), np.float64))
