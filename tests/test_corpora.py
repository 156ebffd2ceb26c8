"""Input paths: text files (plain and compressed, single, listed or in a directory), sentence iterables and NumPy id
corpora all reach the engine as the same token stream, so they build the same vocabulary and, with one worker and the
same seed, the same vectors."""

import bz2
import gzip
import lzma

import numpy as np
import pytest

from conftest import planted_sentences, write_lines
from w2vfast import IdCorpus, LineSentence, Word2Vec

COMPRESSORS = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}


def small_model(**overrides):
    settings = dict(vector_size=16, window=3, min_count=2, negative=3, epochs=2, workers=1, seed=3, sample=1e-3)
    settings.update(overrides)
    return Word2Vec(**settings)


def with_out_of_vocabulary_words(sentences):
    """Adds words seen once (below min_count=2), so every path must also skip unknown words identically."""
    return [sentence + [f"rare{i}"] if i % 3 == 0 else sentence for i, sentence in enumerate(sentences)]


@pytest.fixture(scope="module")
def sentences():
    return with_out_of_vocabulary_words(planted_sentences(sentences=600, length=12, seed=4))


@pytest.fixture
def text_file(tmp_path, sentences):
    return write_lines(tmp_path / "corpus.txt", sentences)


def compressed_twin(path, kind, name=None):
    data = open(path, "rb").read()
    twin = f"{path}.{kind}" if name is None else name
    with open(twin, "wb") as out:
        out.write(COMPRESSORS[kind](data))
    return twin


def id_corpus_of(sentences, dtype=np.int64):
    # Words in first-occurrence order, as counting a text finds them: the vocabulary breaks ties in this order.
    words = list(dict.fromkeys(word for sentence in sentences for word in sentence))
    index = {word: i for i, word in enumerate(words)}
    tokens = np.array([index[word] for sentence in sentences for word in sentence], dtype=dtype)
    offsets = np.cumsum([0] + [len(sentence) for sentence in sentences])
    return IdCorpus(tokens, offsets, words)


def assert_same_model(first, second):
    assert first.wv.index_to_key == second.wv.index_to_key
    assert np.array_equal(first.wv.expandos["count"], second.wv.expandos["count"])
    assert np.array_equal(first.wv.vectors, second.wv.vectors)
    assert np.array_equal(first.syn1neg, second.syn1neg)


# ------------------------------------------------------------------ every path, one token stream


@pytest.mark.parametrize("kind", ["gz", "bz2", "xz"])
def test_a_compressed_file_trains_exactly_as_its_plain_twin(text_file, kind):
    assert_same_model(small_model(corpus_file=text_file), small_model(corpus_file=compressed_twin(text_file, kind)))


def test_compression_is_recognised_by_content_not_by_file_name(tmp_path, text_file):
    disguised = compressed_twin(text_file, "gz", name=str(tmp_path / "corpus.data"))
    assert_same_model(small_model(corpus_file=text_file), small_model(corpus_file=disguised))


class Regenerated:
    """A re-iterable whose every pass is a fresh generator, as a database cursor or a graph-walk sampler gives."""

    def __init__(self, sentences):
        self.sentences = sentences

    def __iter__(self):
        return (word for word in self.sentences)


def gensim_line_sentence(path):
    return pytest.importorskip("gensim.models.word2vec").LineSentence(path)


@pytest.mark.parametrize(
    "make_corpus",
    [
        lambda sentences, path: sentences,
        lambda sentences, path: [tuple(sentence) for sentence in sentences],
        lambda sentences, path: [np.array(sentence) for sentence in sentences],
        lambda sentences, path: Regenerated(sentences),
        lambda sentences, path: LineSentence(path),
        lambda sentences, path: LineSentence(compressed_twin(path, "bz2")),
        lambda sentences, path: gensim_line_sentence(path),
        lambda sentences, path: id_corpus_of(sentences, np.int32),
        lambda sentences, path: id_corpus_of(sentences, np.int64),
    ],
    ids=["list", "tuples", "numpy-str", "generator-per-pass", "LineSentence", "LineSentence-bz2",
         "gensim-LineSentence", "IdCorpus-int32", "IdCorpus-int64"],
)
def test_sentences_and_id_corpora_train_exactly_as_the_file(sentences, text_file, make_corpus):
    assert_same_model(small_model(corpus_file=text_file), small_model(sentences=make_corpus(sentences, text_file)))


def test_tokens_outside_ascii_and_invalid_utf8_are_read_as_the_file_reads_them(tmp_path):
    # A file's invalid bytes reach Python as surrogate escapes; the same str tokens must find the same words.
    lines = [b"caf\xc3\xa9 na\xefve \xe2\x82\xac cat", b"dog caf\xc3\xa9 na\xefve \xe2\x82\xac"] * 40
    path = tmp_path / "bytes.txt"
    path.write_bytes(b"\n".join(lines) + b"\n")
    sentences = [[word.decode("utf-8", "surrogateescape") for word in line.split()] for line in lines]
    assert_same_model(small_model(corpus_file=str(path), min_count=1), small_model(sentences=sentences, min_count=1))


@pytest.mark.parametrize("token, shown", [(7, "7, a int"), (b"cat", "b'cat', a bytes"), (None, "None, a NoneType")])
def test_a_token_that_is_not_a_str_raises_type_error_naming_it_and_its_place(sentences, token, shown):
    corpus = [list(sentence) for sentence in sentences]
    corpus[5][2] = token
    with pytest.raises(TypeError, match=f"token 2 of sentence 5 is {shown}"):
        small_model().build_vocab(corpus)
    model = small_model().build_vocab(sentences)
    with pytest.raises(TypeError, match=f"token 2 of sentence 5 is {shown}"):
        model.train(corpus)
    assert np.isfinite(model.wv.vectors).all()


def reference_counts(sentences, max_vocab_size):
    """gensim's counting of an iterable: first-occurrence order, rare words pruned after each sentence while the
    table holds more than max_vocab_size words (count below 1, then below 2, ...)."""
    counts, min_reduce = {}, 1
    for sentence in sentences:
        for word in sentence:
            counts[word] = counts.get(word, 0) + 1
        while len(counts) > max_vocab_size:
            counts = {word: n for word, n in counts.items() if n >= min_reduce}
            min_reduce += 1
    return counts


def test_counting_an_iterable_prunes_after_each_sentence_as_gensim_does():
    rng = np.random.default_rng(3)
    sentences = [[f"w{int(rng.zipf(1.3))}" for _ in range(rng.integers(1, 30))] for _ in range(2000)]
    model = Word2Vec(min_count=1, max_vocab_size=300).build_vocab(sentences)
    expected = reference_counts(sentences, 300)
    ordered = sorted(expected.items(), key=lambda item: -item[1])  # stable: ties keep first-occurrence order
    assert model.wv.index_to_key == [word for word, _ in ordered]
    assert model.wv.expandos["count"].tolist() == [count for _, count in ordered]
    assert model.corpus_total_words == sum(map(len, sentences))


@pytest.mark.parametrize("kind", ["plain", "gz"])
def test_a_list_of_files_and_a_directory_train_as_their_concatenation(tmp_path, sentences, text_file, kind):
    folder = tmp_path / "parts"
    folder.mkdir()
    parts = [write_lines(folder / f"part{i}.txt", sentences[i * 200 : (i + 1) * 200]) for i in range(3)]
    if kind == "gz":
        parts = [compressed_twin(part, "gz", name=part) for part in parts]
    (folder / ".hidden").write_text("never read\n")
    whole = small_model(corpus_file=text_file)
    assert_same_model(whole, small_model(corpus_file=parts))
    assert_same_model(whole, small_model(corpus_file=str(folder)))


def test_plain_and_compressed_files_mix_in_one_corpus(tmp_path, sentences, text_file):
    # Plain files are read first (in parallel byte ranges), then compressed ones: the same words, another order.
    parts = [write_lines(tmp_path / f"part{i}.txt", sentences[i * 300 : (i + 1) * 300]) for i in range(2)]
    parts[1] = compressed_twin(parts[1], "xz")
    whole, mixed = small_model(corpus_file=text_file, epochs=0), small_model(corpus_file=parts, epochs=0)
    assert whole.wv.index_to_key == mixed.wv.index_to_key
    assert whole.train(corpus_file=text_file, epochs=1)[1] == mixed.train(corpus_file=parts[::-1], epochs=1)[1]


def test_id_corpus_counts_can_be_given_and_then_decide_the_vocabulary(sentences):
    corpus = id_corpus_of(sentences)
    counts = np.ones(len(corpus.words), dtype=np.int64)
    counts[corpus.words.index("a3")] = 10
    model = small_model(min_count=2, epochs=0)
    model.build_vocab(IdCorpus(corpus.tokens, corpus.offsets, corpus.words, counts=counts))
    assert model.wv.index_to_key == ["a3"]


def test_iterating_an_id_corpus_gives_its_sentences_as_words(sentences):
    assert list(id_corpus_of(sentences)) == sentences


def test_an_id_corpus_numbered_as_the_model_trains_as_its_words_do(sentences):
    # Numbered with the model's own words, the ids map to themselves (id_map's shortcut); numbered otherwise (the
    # same words in another order, fewer words, others), each id maps to its word's row.
    model = small_model(min_count=1)
    model.build_vocab(sentences)
    words = model.wv.index_to_key
    as_model = IdCorpus(np.array([words.index(w) for s in sentences for w in s], dtype=np.int32),
                        np.cumsum([0] + [len(s) for s in sentences]), words)
    np.testing.assert_array_equal(as_model.id_map(model.wv.key_to_index, words), np.arange(len(words)))
    reordered = IdCorpus(as_model.tokens, as_model.offsets, words[::-1])
    np.testing.assert_array_equal(reordered.id_map(model.wv.key_to_index, words), np.arange(len(words))[::-1])
    shorter = IdCorpus(np.zeros(3, np.int32), np.array([0, 3]), ["a3", "not-a-word"])
    np.testing.assert_array_equal(shorter.id_map(model.wv.key_to_index, words), [words.index("a3"), -1])
    trained = []
    for corpus in (as_model, sentences):
        model = small_model(min_count=1)
        model.build_vocab(sentences)
        model.train(corpus, total_examples=len(sentences), epochs=model.epochs)
        trained.append(model.wv.vectors)
    np.testing.assert_array_equal(trained[0], trained[1])


# ------------------------------------------------------------------ every line once, long lines in chunks


@pytest.mark.parametrize("workers", [1, 2, 3, 7, 8, 16])
@pytest.mark.parametrize("kind", ["plain", "two files", "gz", "xz", "IdCorpus"])
def test_every_line_of_a_corpus_is_trained_once_per_epoch(tmp_path, workers, kind):
    # 180k words: workers take plain files (64 KiB) and id corpora (16k ids) in chunks, a dozen here, whose edges
    # must neither lose nor repeat a line; 16 workers are more than there are chunks. Line lengths vary, so a
    # skipped or repeated line changes the totals.
    lines = [[f"w{(i * 7 + j) % 50}" for j in range(i % 300 + 1)] for i in range(1200)]
    if kind == "IdCorpus":
        corpus = dict(corpus_iterable=id_corpus_of(lines))
    elif kind == "two files":
        corpus = dict(corpus_file=[write_lines(tmp_path / "first.txt", lines[:500]),
                                   write_lines(tmp_path / "second.txt", lines[500:])])
    else:
        path = write_lines(tmp_path / "lines.txt", lines)
        corpus = dict(corpus_file=path if kind == "plain" else compressed_twin(path, kind))
    model = small_model(workers=workers, epochs=3, min_count=1, sample=0)
    model.build_vocab(**corpus)
    words = sum(len(line) for line in lines)
    assert (model.corpus_total_words, model.corpus_count) == (words, 1200)
    assert model.train(**corpus) == (3 * words, 3 * words)


@pytest.mark.parametrize("source", ["corpus_file", "gz", "sentences", "IdCorpus"])
def test_a_25000_word_sentence_trains_in_full_as_its_chunks_of_10000(tmp_path, source):
    long_line = [f"w{(i * 13) % 97}" for i in range(25_000)]
    chunks = [long_line[:10_000], long_line[10_000:20_000], long_line[20_000:]]
    path = write_lines(tmp_path / "long.txt", [long_line])
    corpus = {
        "corpus_file": dict(corpus_file=path),
        "gz": dict(corpus_file=compressed_twin(path, "gz")),
        "sentences": dict(corpus_iterable=[long_line]),
        "IdCorpus": dict(corpus_iterable=id_corpus_of([long_line])),
    }[source]
    # Same vocabulary order for both (build it from the long line), then train on each and compare.
    expected = small_model(epochs=0, min_count=1)
    expected.build_vocab([long_line])
    expected_words = expected.train(chunks, epochs=2, total_words=25_000)
    model = small_model(epochs=0, min_count=1)
    model.build_vocab([long_line])
    words = model.train(epochs=2, total_words=25_000, **corpus)
    assert np.array_equal(model.wv.vectors, expected.wv.vectors)
    # (trained, read): every word is read in both epochs, and trained or subsampled as in the chunks.
    assert words == expected_words and words[1] == 2 * 25_000


def test_concatenated_gzip_members_are_all_read(tmp_path):
    path = tmp_path / "two_members.gz"
    path.write_bytes(gzip.compress(b"alpha beta\n") + gzip.compress(b"gamma delta\n"))
    model = small_model(min_count=1, epochs=1, sample=0)
    model.build_vocab(corpus_file=str(path))
    assert sorted(model.wv.index_to_key) == ["alpha", "beta", "delta", "gamma"]
    assert model.train(corpus_file=str(path)) == (4, 4)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("kind", ["gz", "bz2", "xz"])
def test_a_truncated_compressed_file_raises_os_error_saying_so(tmp_path, text_file, kind):
    twin = compressed_twin(text_file, kind)
    data = open(twin, "rb").read()
    open(twin, "wb").write(data[: len(data) // 2])
    with pytest.raises(OSError, match="truncated|corrupt"):
        small_model(corpus_file=twin)


@pytest.mark.parametrize("kind", ["gz", "bz2", "xz"])
def test_corrupt_compressed_data_raises_os_error_naming_the_file(tmp_path, text_file, kind):
    twin = compressed_twin(text_file, kind)
    data = bytearray(open(twin, "rb").read())
    for i in range(20, len(data) - 20, 7):
        data[i] ^= 0x5A
    open(twin, "wb").write(bytes(data))
    with pytest.raises(OSError, match=f"corpus.txt.{kind}"):
        small_model(corpus_file=twin)


def test_a_file_that_turns_corrupt_after_counting_fails_training_cleanly(tmp_path, text_file):
    twin = compressed_twin(text_file, "gz")
    model = small_model()
    model.build_vocab(corpus_file=twin)
    data = open(twin, "rb").read()
    open(twin, "wb").write(data[: len(data) // 2])
    with pytest.raises(OSError, match="truncated"):
        model.train(corpus_file=twin)
    assert np.isfinite(model.wv.vectors).all()


@pytest.mark.parametrize(
    "tokens, offsets, words, message",
    [
        (np.array([0, 1], np.int16), [0, 2], ["a", "b"], "int32 or int64"),
        (np.array([[0, 1]]), [0, 2], ["a", "b"], "int32 or int64"),
        (np.array([0, 1]), [0, 3], ["a", "b"], "end at len"),
        (np.array([0, 1]), [1, 2], ["a", "b"], "start at 0"),
        (np.array([0, 1, 1]), [0, 2, 1, 3], ["a", "b"], "non-decreasing"),
        (np.array([0, 2]), [0, 2], ["a", "b"], r"\[0, 2\)"),
        (np.array([0, -1]), [0, 2], ["a", "b"], r"\[0, 2\)"),
        (np.array([0, 1]), [0, 2], ["a", "a"], "distinct"),
    ],
)
def test_id_corpus_rejects_malformed_arrays_with_a_value_error(tokens, offsets, words, message):
    with pytest.raises(ValueError, match=message):
        IdCorpus(tokens, offsets, words)


def test_an_error_raised_by_a_sentence_iterable_stops_training_and_propagates(sentences):
    class FailsInSecondEpoch:
        passes = 0

        def __iter__(self):
            self.passes += 1
            for i, sentence in enumerate(sentences):
                if self.passes == 3 and i == 300:
                    raise RuntimeError("disk gone")
                yield sentence

    model = small_model(epochs=3)
    corpus = FailsInSecondEpoch()
    model.build_vocab(corpus)
    with pytest.raises(RuntimeError, match="disk gone"):
        model.train(corpus)
    assert model.epochs_trained == 1
    assert np.isfinite(model.wv.vectors).all()
