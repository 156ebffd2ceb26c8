"""Training FastText: unseen inflections land near their stems' topic, every mode and input trains, training resumes,
and models survive saving in both formats."""

import random

import numpy as np
import pytest

from w2vfast import FastText, IdCorpus, load_facebook_model, save_facebook_model

from conftest import write_lines
from test_modes import codes_and_points, word2vec_c_codes

SUFFIXES = ["", "s", "ed", "ing", "er", "ly"]
TOPICS, STEMS_PER_TOPIC = 3, 4


def planted_morphology(sentences: int = 1500, seed: int = 0):
    """Random 7-letter stems in topics. A sentence is about one stem: two of its inflections, two of its own context
    words (numbered, so they share no n-gram with stems), and four inflected stems of its topic. One inflection of
    every stem never occurs: those are the unseen words, which only n-grams can place."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    stems = ["".join(rng.choice(letters) for _ in range(7)) for _ in range(TOPICS * STEMS_PER_TOPIC)]
    topic_of = {stem: index // STEMS_PER_TOPIC for index, stem in enumerate(stems)}
    unseen = {stem: stem + SUFFIXES[index % len(SUFFIXES)] for index, stem in enumerate(stems)}

    def inflected(stem):
        return stem + rng.choice([suffix for suffix in SUFFIXES if stem + suffix != unseen[stem]])

    corpus = []
    for _ in range(sentences):
        stem = rng.choice(stems)
        topic_stems = [other for other in stems if topic_of[other] == topic_of[stem]]
        sentence = [inflected(stem), inflected(stem)] + [f"{stems.index(stem)}{rng.randrange(4)}" for _ in range(2)]
        sentence += [inflected(rng.choice(topic_stems)) for _ in range(4)]
        rng.shuffle(sentence)
        corpus.append(sentence)
    return corpus, topic_of, unseen


CORPUS, TOPIC_OF, UNSEEN = planted_morphology()
# sample=0: in a vocabulary this small every word is frequent, and subsampling would drop most of the corpus.
SETTINGS = dict(vector_size=24, window=3, min_count=1, sample=0, bucket=20000, epochs=5, workers=1, seed=1,
                progress=False)


def stem_of(word: str) -> str:
    return word[:7]


def is_inflection(word: str) -> bool:
    return not word[0].isdigit()


def topic_separation(wv) -> float:
    """The fraction of unseen words closer, on average, to the other stems of their topic than to other topics'."""
    separated = 0
    for stem, word in UNSEEN.items():
        same, other = [], []
        for key in filter(is_inflection, wv.index_to_key):
            if stem_of(key) != stem:
                (same if TOPIC_OF[stem_of(key)] == TOPIC_OF[stem] else other).append(wv.similarity(word, key))
        separated += np.mean(same) > np.mean(other)
    return separated / len(UNSEEN)


@pytest.fixture(scope="module")
def trained():
    return FastText(CORPUS, **SETTINGS)


def test_unseen_inflections_land_next_to_their_stem_and_its_topic(trained):
    wv = trained.wv
    assert not any(word in wv.key_to_index for word in UNSEEN.values())
    inflections = sum(map(is_inflection, wv.index_to_key))
    nearest = {word: next(filter(is_inflection, (key for key, _ in wv.most_similar(word, topn=inflections))))
               for word in UNSEEN.values()}
    nearest_same_stem = [stem_of(nearest[word]) == stem for stem, word in UNSEEN.items()]
    assert np.mean(nearest_same_stem) >= 0.9
    # Only trained n-gram rows know topics: random ones (what build_vocab leaves) place unseen words anywhere.
    assert topic_separation(wv) >= 0.9
    assert topic_separation(FastText(**SETTINGS).build_vocab(CORPUS).wv) < 0.9


def test_without_ngrams_unseen_words_have_no_vector():
    plain = FastText(CORPUS, **dict(SETTINGS, max_n=0))
    assert plain.wv.bucket == 0
    for word in UNSEEN.values():
        assert word not in plain.wv
        with pytest.raises(KeyError):
            plain.wv[word]


def test_gensim_learns_the_same_structure():
    gensim_fasttext = pytest.importorskip("gensim.models.fasttext")
    parameters = {key: value for key, value in SETTINGS.items() if key != "progress"}
    theirs = gensim_fasttext.FastText(CORPUS, sg=1, **parameters).wv
    ours = FastText(CORPUS, shared_negatives=False, **SETTINGS).wv
    assert topic_separation(theirs) >= 0.9 and topic_separation(ours) >= 0.9
    # The unseen words' similarities to the vocabulary, ranked alike by both libraries.
    words = sorted(UNSEEN.values())
    ours_scores = np.array([[ours.similarity(word, key) for key in ours.index_to_key] for word in words])
    theirs_scores = np.array([[theirs.similarity(word, key) for key in ours.index_to_key] for word in words])
    assert np.corrcoef(ours_scores.ravel(), theirs_scores.ravel())[0, 1] > 0.8


@pytest.mark.parametrize("mode", [dict(sg=1), dict(sg=1, shared_negatives=True), dict(sg=0),
                                  dict(sg=1, hs=1, negative=0), dict(sg=0, hs=1, negative=0)])
def test_every_mode_trains_the_ngram_rows(mode):
    untrained = FastText(**SETTINGS, **mode).build_vocab(CORPUS)
    before = untrained.wv.vectors_ngrams.copy()
    model = FastText(CORPUS, compute_loss=True, **SETTINGS, **mode)
    assert not np.array_equal(model.wv.vectors_ngrams, before)
    assert np.array_equal(model.wv.vectors_ngrams[-1], before[-1])  # an n-gram row no word uses stays as it was
    assert model.get_latest_training_loss() > 0
    assert topic_separation(model.wv) >= 0.8, mode


@pytest.mark.parametrize("source", ["iterable", "corpus_file", "ids"])
def test_every_input_trains(source, tmp_path):
    if source == "iterable":
        model = FastText(CORPUS, **SETTINGS)
    elif source == "corpus_file":
        model = FastText(corpus_file=write_lines(tmp_path / "c.txt", CORPUS), **SETTINGS)
    else:
        words = sorted({word for sentence in CORPUS for word in sentence})
        ids = {word: index for index, word in enumerate(words)}
        tokens = np.array([ids[word] for sentence in CORPUS for word in sentence])
        offsets = np.cumsum([0] + [len(sentence) for sentence in CORPUS])
        model = FastText(IdCorpus(tokens, offsets, words), **SETTINGS)
    assert topic_separation(model.wv) >= 0.9


def test_callbacks_see_the_composed_vectors_of_each_epoch():
    seen = []

    class Check:
        def on_epoch_end(self, model):
            expected = model.wv.vectors.copy()
            model.wv.adjust_vectors()
            seen.append(np.allclose(expected, model.wv.vectors, atol=1e-6))

    FastText(CORPUS, callbacks=[Check()], **SETTINGS)
    assert seen == [True] * SETTINGS["epochs"]


def test_training_resumes_and_the_vocabulary_grows():
    model = FastText(CORPUS, **SETTINGS)
    new_words = [[word, word + "s", stem_of(word)] for word in list(UNSEEN.values())[:3]] * 5
    model.build_vocab(new_words, update=True)
    assert all(word in model.wv.key_to_index for word in list(UNSEEN.values())[:3])
    assert len(model.wv.vectors_vocab) == len(model.wv) and model.wv.vectors_ngrams.shape == (20000, 24)
    before = model.wv.vectors.copy()
    model.train(new_words, total_examples=len(new_words), epochs=1)
    assert model.epochs_trained == SETTINGS["epochs"] + 1 and not np.array_equal(before, model.wv.vectors)


@pytest.mark.parametrize("mmap", [None, "r"])
def test_saved_models_load_and_train_on(trained, tmp_path, mmap):
    trained.save(tmp_path / "m.w2vf")
    loaded = FastText.load(tmp_path / "m.w2vf", mmap=mmap)
    assert (loaded.min_n, loaded.max_n, loaded.bucket) == (3, 6, 20000)
    word = UNSEEN[next(iter(UNSEEN))]
    assert np.array_equal(loaded.wv[word], trained.wv[word]) and np.array_equal(loaded.syn1neg, trained.syn1neg)
    if mmap is None:
        loaded.train(CORPUS, total_examples=len(CORPUS), epochs=1)
        assert not np.array_equal(loaded.wv[word], trained.wv[word])


def test_hierarchical_softmax_trains_on_fasttexts_tree_and_keeps_it_through_a_bin(tmp_path):
    # fastText rebuilds its Huffman tree from a .bin file's words and counts (buildTree: word2vec.c's rule), so a
    # FastText model trains on that tree: the rows of syn1 it saves stay on the inner nodes they trained, in fastText
    # and after load_facebook_model alike (gensim's tree, Word2Vec's, puts them on other words' paths).
    model = FastText(CORPUS, hs=1, negative=0, **SETTINGS)
    assert codes_and_points(model._vocabulary) == word2vec_c_codes(model._vocabulary.counts)
    save_facebook_model(model, tmp_path / "m.bin")
    loaded = load_facebook_model(tmp_path / "m.bin")
    assert loaded._vocabulary.huffman_ties == "word2vec"
    assert codes_and_points(loaded._vocabulary) == codes_and_points(model._vocabulary)
    assert np.array_equal(loaded.syn1, model.syn1)


def test_fasttext_bin_round_trip_of_a_trained_model(trained, tmp_path):
    save_facebook_model(trained, tmp_path / "m.bin")
    loaded = load_facebook_model(tmp_path / "m.bin")
    assert loaded.wv.index_to_key == trained.wv.index_to_key
    assert np.allclose(loaded.wv.vectors, trained.wv.vectors, atol=1e-6)
    word = UNSEEN[next(iter(UNSEEN))]
    assert np.allclose(loaded.wv[word], trained.wv[word], atol=1e-6)
    loaded.train(CORPUS, total_examples=len(CORPUS), epochs=1)  # a .bin continues training
    gensim_fasttext = pytest.importorskip("gensim.models.fasttext")
    theirs = gensim_fasttext.load_facebook_model(str(tmp_path / "m.bin"))
    assert np.allclose(theirs.wv.vectors, trained.wv.vectors, atol=1e-6)
    assert np.allclose(theirs.wv[word], trained.wv[word], atol=1e-6)
