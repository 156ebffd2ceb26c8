"""Phrase detection: w2vfast.Phrases counts, scores and joins phrases as gensim 4.4's Phrases does (same counts,
same scores, same phrased sentences), from token lists and from text files on several threads, and phrases whole
files in parallel; word2phrase's scorer and its command line."""

import functools
import gzip
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import write_lines
from w2vfast import ENGLISH_CONNECTOR_WORDS, FrozenPhrases, Phrases, Word2Vec
from w2vfast.cli import main
from w2vfast.phrases import original_scorer, word2phrase_scorer

COLLOCATIONS = [["new", "york"], ["new", "york", "times"], ["machine", "learning"], ["bank", "of", "america"],
                ["eye", "of", "the", "beholder"], ["statue", "of", "liberty"]]
CONNECTORS = ["the", "of", "a", "and", "in"]
FILLER = [f"w{i}" for i in range(150)]


def planted_phrase_sentences(count=3000, longest=14, seed=0):
    """Sentences of Zipf-distributed filler words, connector words and planted collocations (some with connector
    words inside); some sentences are empty."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(FILLER))]
    sentences = []
    for _ in range(count):
        sentence = []
        for _ in range(rng.randint(0, longest)):
            roll = rng.random()
            if roll < 0.12:
                sentence += rng.choice(COLLOCATIONS)
            elif roll < 0.25:
                sentence.append(rng.choice(CONNECTORS))
            else:
                sentence += rng.choices(FILLER, weights)
        sentences.append(sentence)
    return sentences


SENTENCES = planted_phrase_sentences()


def dice(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count):
    """A scorer of the caller's: the Dice coefficient."""
    return 2 * bigram_count / (worda_count + wordb_count)


SCORINGS = {"default": ("default", 5.0), "npmi": ("npmi", 0.3), "callable": (dice, 0.15)}
CONNECTOR_SETS = {"no connectors": frozenset(), "English connectors": ENGLISH_CONNECTOR_WORDS}


@functools.lru_cache(maxsize=None)
def both_models(scoring_name, connectors_name):
    """w2vfast's and gensim's Phrases learnt from SENTENCES with the same parameters."""
    from gensim.models.phrases import Phrases as GensimPhrases

    scoring, threshold = SCORINGS[scoring_name]
    parameters = dict(min_count=3, threshold=threshold, scoring=scoring, connector_words=CONNECTOR_SETS[connectors_name])
    return Phrases(SENTENCES, **parameters), GensimPhrases(SENTENCES, **parameters)


gensim_cases = pytest.mark.parametrize("scoring_name, connectors_name", [
    (scoring, connectors) for scoring in SCORINGS for connectors in CONNECTOR_SETS
])


def phrased_lines(phrases, sentences):
    return [" ".join(phrases[sentence]) for sentence in sentences]


def read_lines(path):
    return Path(path).read_text(encoding="utf-8").split("\n")[:-1]


# ------------------------------------------------------------------------------------------------ same as gensim


@pytest.mark.gensim
@gensim_cases
def test_counts_are_gensims(scoring_name, connectors_name):
    pytest.importorskip("gensim")
    ours, theirs = both_models(scoring_name, connectors_name)
    assert list(ours.vocab.items()) == list(theirs.vocab.items())
    assert (ours.corpus_word_count, ours.min_reduce) == (theirs.corpus_word_count, theirs.min_reduce)


@pytest.mark.gensim
@gensim_cases
def test_exported_phrases_are_gensims(scoring_name, connectors_name):
    pytest.importorskip("gensim")
    ours, theirs = both_models(scoring_name, connectors_name)
    exported = ours.export_phrases()
    assert 0 < len(exported) < len(ours.vocab) / 10  # some candidates are phrases, most are not
    assert list(exported.items()) == list(theirs.export_phrases().items())


@pytest.mark.gensim
@gensim_cases
def test_found_phrases_are_gensims(scoring_name, connectors_name):
    pytest.importorskip("gensim")
    ours, theirs = both_models(scoring_name, connectors_name)
    assert list(ours.find_phrases(SENTENCES).items()) == list(theirs.find_phrases(SENTENCES).items())


@pytest.mark.gensim
@gensim_cases
def test_every_phrased_sentence_is_gensims(scoring_name, connectors_name):
    pytest.importorskip("gensim")
    ours, theirs = both_models(scoring_name, connectors_name)
    assert [ours[sentence] for sentence in SENTENCES] == [theirs[sentence] for sentence in SENTENCES]
    assert list(ours.analyze_sentence(SENTENCES[1])) == list(theirs.analyze_sentence(SENTENCES[1]))


@pytest.mark.gensim
@pytest.mark.parametrize("scoring_name", SCORINGS)
def test_a_second_pass_gives_gensims_trigrams(scoring_name):
    pytest.importorskip("gensim")
    from gensim.models.phrases import Phrases as GensimPhrases

    ours, theirs = both_models(scoring_name, "English connectors")
    scoring, threshold = SCORINGS[scoring_name]
    settings = dict(min_count=3, threshold=threshold, scoring=scoring)
    our_trigrams, their_trigrams = Phrases(ours[SENTENCES], **settings), GensimPhrases(theirs[SENTENCES], **settings)
    assert list(our_trigrams.export_phrases().items()) == list(their_trigrams.export_phrases().items())
    phrased = list(theirs[SENTENCES])
    assert [our_trigrams[sentence] for sentence in phrased] == [their_trigrams[sentence] for sentence in phrased]


@pytest.mark.gensim
@pytest.mark.parametrize("scoring_name", SCORINGS)
def test_frozen_phrases_are_gensims(scoring_name):
    pytest.importorskip("gensim")
    ours, theirs = both_models(scoring_name, "English connectors")
    our_frozen, their_frozen = ours.freeze(), theirs.freeze()
    assert our_frozen.phrasegrams == their_frozen.phrasegrams
    assert [our_frozen[sentence] for sentence in SENTENCES] == [their_frozen[sentence] for sentence in SENTENCES]


@pytest.mark.gensim
@pytest.mark.parametrize("max_vocab_size", [40, 300, 2000])
def test_pruning_under_max_vocab_size_is_gensims(max_vocab_size):
    pytest.importorskip("gensim")
    from gensim.models.phrases import Phrases as GensimPhrases

    settings = dict(min_count=3, max_vocab_size=max_vocab_size, connector_words=ENGLISH_CONNECTOR_WORDS)
    ours, theirs = Phrases(SENTENCES, **settings), GensimPhrases(SENTENCES, **settings)
    assert len(theirs.vocab) < 4000  # pruned: unpruned, the corpus has more entries
    assert list(ours.vocab.items()) == list(theirs.vocab.items()) and ours.min_reduce == theirs.min_reduce
    assert ours.vocab_size == len(theirs.vocab)
    ours.add_vocab(SENTENCES[:1000])
    theirs.add_vocab(SENTENCES[:1000])
    assert list(ours.vocab.items()) == list(theirs.vocab.items()) and ours.min_reduce == theirs.min_reduce


@pytest.mark.gensim
def test_empty_sentences_empty_tokens_and_delimiters_in_tokens_are_as_in_gensim():
    gensim_phrases = pytest.importorskip("gensim.models.phrases")
    sentences = [[], ["new", "york"], ["", "new", "york", ""], ["new", "", "york"], ["new_york", "city"],
                 ["a_b", "c"], ["a", "b_c"]] * 6
    settings = dict(min_count=1, threshold=0.1)
    ours, theirs = Phrases(sentences, **settings), gensim_phrases.Phrases(sentences, **settings)
    assert list(ours.vocab.items()) == list(theirs.vocab.items())
    assert ours.export_phrases() == theirs.export_phrases()
    assert [ours[sentence] for sentence in sentences] == [theirs[sentence] for sentence in sentences]


@pytest.mark.gensim
def test_a_delimiter_of_several_characters_splits_candidates_as_gensim():
    # "x" + "::" + ":y" and "x:" + "::" + "y" are both "x:::y", which gensim's export splits into "x" and ":y":
    # the first candidate scores 1.4, a phrase, the second 1.0, none.
    gensim_phrases = pytest.importorskip("gensim.models.phrases")
    sentences = [["x", ":y"]] * 5 + [["x:", "y"]] * 3 + [["y"]] * 4 + [["x:"]] * 2
    settings = dict(min_count=1, threshold=1.2, delimiter="::")
    ours, theirs = Phrases(sentences, **settings), gensim_phrases.Phrases(sentences, **settings)
    assert ours.export_phrases() == theirs.export_phrases() == {"x:::y": pytest.approx(1.4)}
    assert [ours[sentence] for sentence in sentences] == [theirs[sentence] for sentence in sentences]


# ------------------------------------------------------------------------------------------------ the engine's scorers


def test_a_scoring_function_gives_what_the_engine_computes_for_its_built_in_twin():
    def python_scorer(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count):
        return original_scorer(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count)

    built_in = Phrases(SENTENCES, min_count=3, threshold=5.0, connector_words=ENGLISH_CONNECTOR_WORDS)
    called = Phrases(SENTENCES, min_count=3, threshold=5.0, connector_words=ENGLISH_CONNECTOR_WORDS,
                     scoring=python_scorer)
    assert list(built_in.export_phrases().items()) == list(called.export_phrases().items())
    assert [built_in[sentence] for sentence in SENTENCES] == [called[sentence] for sentence in SENTENCES]


def test_word2phrase_scores_in_single_precision_as_word2phrase_c():
    # (7 - 5) / 7 / 7 * 15 is 0.61224490 in double precision, 0.61224496 in float32: above this float32 threshold.
    threshold = 0.6122449040412903
    phrases = Phrases([["a", "b"]] * 7 + [["c"]], min_count=5, threshold=threshold, scoring="word2phrase")
    assert word2phrase_scorer(7, 7, 7, 4, 5, 15) > threshold
    assert phrases[["a", "b"]] == ["a_b"]


def word2phrase_c(lines, vocab, corpus_words, min_count, threshold):
    """word2phrase.c's TrainModel loop, transcribed statement by statement (float32 arithmetic), over the given
    counts; its vocabulary holds only entries counted min_count times or more (SortVocab)."""
    single = np.float32
    kept = {key: count for key, count in vocab.items() if count >= min_count}
    out, pa, pb, pab, li = [], 0, 0, 0, -1
    word = ""
    for line in lines:
        tokens = []
        for word_next in line.split() + ["</s>"]:
            last_word, word = word, word_next
            if word == "</s>":
                continue
            oov = False
            if word in kept:
                pb, i = kept[word], 0
            else:
                oov, i = True, -1
            if li == -1:
                oov = True
            li = i
            bigram = f"{last_word}_{word}"
            if bigram in kept:
                pab = kept[bigram]
            else:
                oov = True
            if pa < min_count or pb < min_count:
                oov = True
            score = single(0) if oov else single(pab - min_count) / single(pa) / single(pb) * single(corpus_words)
            if score > single(threshold):
                tokens[-1] += "_" + word
                pb = 0
            else:
                tokens.append(word)
            pa = pb
        out.append(" ".join(tokens))
    return out


def test_word2phrase_scoring_phrases_a_file_as_word2phrase_c_does(tmp_path):
    lines = [" ".join(sentence) for sentence in SENTENCES]
    path = write_lines(tmp_path / "corpus.txt", SENTENCES)
    phrases = Phrases(corpus_file=path, min_count=3, threshold=30, scoring="word2phrase")
    phrases.phrase_file(path, tmp_path / "phrased.txt")
    expected = word2phrase_c(lines, phrases.vocab, phrases.corpus_word_count, 3, 30)
    assert "machine_learning" in " ".join(expected)
    assert read_lines(tmp_path / "phrased.txt") == expected


# ------------------------------------------------------------------------------------------------ text files


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    return write_lines(tmp_path_factory.mktemp("phrases") / "corpus.txt", SENTENCES)


@pytest.fixture(scope="module")
def large_corpus(tmp_path_factory):
    """Sentences in a plain and a gzip file of 1.4 MB: several pieces of a plain file, and several decompressed blocks,
    phrased by different threads."""
    sentences = planted_phrase_sentences(count=20_000, longest=28, seed=1)
    folder = tmp_path_factory.mktemp("large")
    plain = write_lines(folder / "corpus.txt", sentences)
    with open(plain, "rb") as source, gzip.open(folder / "corpus.txt.gz", "wb", compresslevel=1) as out:
        out.write(source.read())
    assert os.path.getsize(plain) > 2**20  # more than one of the engine's pieces (plain) and blocks (gzip) of 1 MiB
    return sentences, {"plain": plain, "gzip": str(folder / "corpus.txt.gz")}


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize("compressed", [False, True])
def test_counting_a_file_equals_counting_its_sentences(corpus_file, tmp_path, workers, compressed):
    path = corpus_file
    if compressed:
        path = str(tmp_path / "corpus.txt.gz")
        with open(corpus_file, "rb") as source, gzip.open(path, "wb") as out:
            out.write(source.read())
    from_file = Phrases(corpus_file=path, min_count=3, connector_words=ENGLISH_CONNECTOR_WORDS, workers=workers)
    from_list = Phrases(SENTENCES, min_count=3, connector_words=ENGLISH_CONNECTOR_WORDS)
    assert list(from_file.vocab.items()) == list(from_list.vocab.items())
    assert from_file.corpus_word_count == from_list.corpus_word_count


def test_counting_a_file_on_one_thread_prunes_as_counting_its_sentences(corpus_file):
    settings = dict(min_count=3, max_vocab_size=300, connector_words=ENGLISH_CONNECTOR_WORDS)
    from_file, from_list = Phrases(corpus_file=corpus_file, workers=1, **settings), Phrases(SENTENCES, **settings)
    assert len(from_list.vocab) < len(Phrases(SENTENCES, min_count=3).vocab) / 2  # pruned
    assert list(from_file.vocab.items()) == list(from_list.vocab.items())


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize("kind", ["plain", "gzip"])
def test_phrase_file_writes_each_line_as_phrases_of_the_sentence(large_corpus, tmp_path, workers, kind):
    sentences, paths = large_corpus
    phrases = Phrases(sentences, min_count=3, threshold=5.0, connector_words=ENGLISH_CONNECTOR_WORDS)
    output = tmp_path / "phrased.txt"
    phrases.phrase_file(paths[kind], output, workers=workers)
    assert read_lines(output) == phrased_lines(phrases, sentences)


def test_frozen_phrases_phrase_a_file_as_the_model(large_corpus, tmp_path):
    sentences, paths = large_corpus
    phrases = Phrases(sentences, min_count=3, threshold=5.0, connector_words=ENGLISH_CONNECTOR_WORDS)
    phrases.freeze().phrase_file(paths["plain"], tmp_path / "frozen.txt", workers=2)
    assert read_lines(tmp_path / "frozen.txt") == phrased_lines(phrases, sentences)


def test_a_phrased_file_trains_word2vec_with_the_phrases_as_words(corpus_file, tmp_path):
    phrases = Phrases(corpus_file=corpus_file, min_count=3, connector_words=ENGLISH_CONNECTOR_WORDS)
    phrases.phrase_file(corpus_file, tmp_path / "phrased.txt", workers=2)
    model = Word2Vec(corpus_file=str(tmp_path / "phrased.txt"), vector_size=8, epochs=1, min_count=3, workers=2,
                     progress=False)
    assert {"machine_learning", "bank_of_america", "eye_of_the_beholder"} <= set(model.wv.index_to_key)
    assert "learning" not in model.wv


def test_phrase_file_of_a_missing_input_creates_nothing(corpus_file, tmp_path):
    phrases = Phrases(corpus_file=corpus_file, min_count=3)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        phrases.phrase_file(tmp_path / "missing.txt", tmp_path / "phrased.txt")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["plain", "gzip"])
def test_a_scoring_function_phrases_a_file_as_it_phrases_each_sentence(large_corpus, tmp_path, kind):
    sentences, paths = large_corpus
    phrases = Phrases(sentences[:5000], min_count=3, threshold=0.15, scoring=dice)
    phrases.phrase_file(paths[kind], tmp_path / "phrased.txt", workers=3)
    assert read_lines(tmp_path / "phrased.txt") == phrased_lines(phrases, sentences)


@pytest.mark.parametrize("kind", ["plain", "gzip"])
def test_an_error_of_the_scoring_function_reaches_the_caller_and_writes_nothing(large_corpus, tmp_path, kind):
    def failing(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count):
        raise ZeroDivisionError("the scorer failed")

    sentences, paths = large_corpus
    phrases = Phrases(sentences[:100], min_count=3, scoring=failing)
    with pytest.raises(ZeroDivisionError, match="the scorer failed"):
        phrases[["new", "york"]]
    with pytest.raises(ZeroDivisionError, match="the scorer failed"):
        phrases.phrase_file(paths[kind], tmp_path / "phrased.txt", workers=3)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------------------ freezing, saving


def test_frozen_phrases_phrase_as_the_model_and_hold_its_exported_phrases():
    phrases = Phrases(SENTENCES, min_count=3, threshold=5.0, connector_words=ENGLISH_CONNECTOR_WORDS)
    frozen = phrases.freeze()
    assert isinstance(frozen, FrozenPhrases) and frozen.phrasegrams == phrases.export_phrases()
    assert [frozen[sentence] for sentence in SENTENCES] == [phrases[sentence] for sentence in SENTENCES]


@pytest.mark.parametrize("scoring", ["default", "npmi", "word2phrase"])
def test_saved_phrases_load_with_their_counts_settings_and_results(tmp_path, scoring):
    threshold = {"default": 5.0, "npmi": 0.3, "word2phrase": 30.0}[scoring]
    phrases = Phrases(SENTENCES, min_count=3, threshold=threshold, scoring=scoring, max_vocab_size=2000,
                      delimiter="+", connector_words=ENGLISH_CONNECTOR_WORDS)
    phrases.save(tmp_path / "phrases.w2vf")
    loaded = Phrases.load(tmp_path / "phrases.w2vf")
    assert list(loaded.vocab.items()) == list(phrases.vocab.items())
    assert (loaded.corpus_word_count, loaded.min_reduce) == (phrases.corpus_word_count, phrases.min_reduce)
    assert (loaded.scoring, loaded.threshold, loaded.delimiter, loaded.connector_words, loaded.max_vocab_size) == (
        phrases.scoring, phrases.threshold, "+", ENGLISH_CONNECTOR_WORDS, 2000)
    assert [loaded[sentence] for sentence in SENTENCES] == [phrases[sentence] for sentence in SENTENCES]


def test_saved_frozen_phrases_load_as_frozen_phrases(tmp_path):
    frozen = Phrases(SENTENCES, min_count=3, threshold=5.0, scoring=dice, connector_words=ENGLISH_CONNECTOR_WORDS)
    frozen = frozen.freeze()
    frozen.save(tmp_path / "frozen.w2vf")
    loaded = Phrases.load(tmp_path / "frozen.w2vf")
    assert isinstance(loaded, FrozenPhrases) and loaded.phrasegrams == frozen.phrasegrams
    assert [loaded[sentence] for sentence in SENTENCES] == [frozen[sentence] for sentence in SENTENCES]


def test_saving_a_scoring_function_raises_value_error_and_writes_nothing(tmp_path):
    phrases = Phrases(SENTENCES, min_count=3, threshold=0.15, scoring=dice)
    with pytest.raises(ValueError, match="a function of your own, which a file cannot hold"):
        phrases.save(tmp_path / "phrases.w2vf")
    assert list(tmp_path.iterdir()) == []


def test_a_corrupt_phrases_file_raises_value_error(tmp_path):
    Phrases(SENTENCES, min_count=3).save(tmp_path / "phrases.w2vf")
    data = bytearray((tmp_path / "phrases.w2vf").read_bytes())
    data[-3] ^= 0xFF  # a count
    (tmp_path / "phrases.w2vf").write_bytes(bytes(data))
    with pytest.raises(ValueError, match="checksum mismatch"):
        Phrases.load(tmp_path / "phrases.w2vf")


def test_loading_vectors_as_phrases_raises_value_error(tmp_path):
    Word2Vec(SENTENCES, vector_size=4, epochs=1, min_count=1, progress=False).wv.save(tmp_path / "vectors.w2vf")
    with pytest.raises(ValueError, match="holds 'keyedvectors', not phrases"):
        Phrases.load(tmp_path / "vectors.w2vf")


# ------------------------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize("settings, message", [
    (dict(min_count=0), "min_count must be > 0"),
    (dict(threshold=0), "threshold must be > 0 for scoring='default'"),
    (dict(scoring="npmi", threshold=2), "threshold must be between -1 and 1"),
    (dict(scoring="pmi"), "scoring must be 'default', 'npmi', 'word2phrase' or a function"),
    (dict(scoring=lambda a, b: 0), "lacks the parameters"),
    (dict(max_vocab_size=0), "max_vocab_size must be >= 1"),
    (dict(delimiter=""), "delimiter must be a non-empty str"),
    (dict(connector_words="of the"), "connector_words must be a set of words"),
    (dict(connector_words={"of", 1}), "connector_words must hold str words"),
    (dict(workers=0), "workers must be >= 1"),
])
def test_invalid_parameters_raise_value_error_naming_them(settings, message):
    with pytest.raises(ValueError, match=message):
        Phrases(**settings)


def test_a_token_that_is_not_a_str_raises_type_error_naming_it():
    with pytest.raises(TypeError, match="token 1 of sentence 2 is 7, a int"):
        Phrases([["a"], [], ["b", 7]])
    phrases = Phrases(SENTENCES)
    with pytest.raises(TypeError, match="token 1 of sentence 0 is None"):
        phrases[["new", None]]


def test_a_sentence_that_is_a_str_raises_type_error():
    with pytest.raises(TypeError, match="each sentence must be a list of str tokens, got a str"):
        Phrases(SENTENCES)["new york"]


def test_added_counts_count_as_if_counted_with_the_first():
    settings = dict(min_count=3, threshold=10.0, connector_words=ENGLISH_CONNECTOR_WORDS)
    phrases = Phrases(SENTENCES[:300], **settings)  # new_york scores 14.9 here, 7.2 in the whole corpus
    before = [phrases[sentence] for sentence in SENTENCES]
    phrases.add_vocab(SENTENCES[300:])
    whole = Phrases(SENTENCES, **settings)
    assert list(phrases.vocab.items()) == list(whole.vocab.items())
    after = [phrases[sentence] for sentence in SENTENCES]
    assert after == [whole[sentence] for sentence in SENTENCES] and after != before


def test_a_corpus_is_phrased_lazily_and_can_be_read_again():
    phrases = Phrases(SENTENCES, min_count=3, threshold=5.0, connector_words=ENGLISH_CONNECTOR_WORDS)
    phrased = phrases[SENTENCES]
    assert len(phrased) == len(SENTENCES)
    assert list(phrased) == list(phrased) == [phrases[sentence] for sentence in SENTENCES]


# ------------------------------------------------------------------------------------------------ command line


def test_phrases_command_writes_word2phrase_s_phrased_text(corpus_file, tmp_path):
    output = tmp_path / "phrased.txt"
    process = subprocess.run([sys.executable, "-m", "w2vfast", "phrases", "-train", corpus_file, "-output", output,
                              "-min-count", "3", "-threshold", "30"], capture_output=True, text=True, timeout=120)
    assert process.returncode == 0, process.stderr
    phrases = Phrases(corpus_file=corpus_file, min_count=3, threshold=30, scoring="word2phrase")
    assert read_lines(output) == phrased_lines(phrases, SENTENCES)
    assert "phrases scoring above 30" in process.stderr and process.stdout == ""


@pytest.mark.parametrize("args, message", [
    (["-min-count", "0"], "-min-count 0: min_count must be > 0"),
    (["-threshold", "-1"], "-threshold -1.0: threshold must be > 0"),
    (["--scoring", "npmi", "-threshold", "100"], "-threshold 100.0: threshold must be between -1 and 1"),
    (["-threads", "0"], "-threads 0: workers must be >= 1"),
    (["--scoring", "pmi"], "invalid choice: 'pmi'"),
])
def test_phrases_command_bad_usage_exits_2(corpus_file, tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit:
        main(["phrases", "-train", corpus_file, "-output", str(tmp_path / "out.txt"), *args])
    assert exit.value.code == 2 and message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_phrases_command_without_output_exits_2(corpus_file, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["phrases", "-train", corpus_file])
    assert exit.value.code == 2 and "-output" in capsys.readouterr().err


def test_phrases_command_on_a_missing_file_exits_1(tmp_path, capsys):
    status = main(["phrases", "-train", str(tmp_path / "missing.txt"), "-output", str(tmp_path / "out.txt")])
    assert status == 1 and "does not exist" in capsys.readouterr().err
