"""The training modes beyond skip-gram with negative sampling: CBOW, hierarchical softmax, and both objectives at once.

The Huffman tree is checked against information theory (prefix-free codes whose expected length is within one bit
of the entropy) and against gensim's tree; each mode's update against a NumPy transcription of gensim's formulas;
and every mode against the planted-community corpus and for reproducibility.
"""

import numpy as np
import pytest

from conftest import engine_vocabulary
from test_training import assert_communities_separate
from w2vfast import Word2Vec, _core

# (sg, hs, negative, cbow_mean) of every mode gensim offers.
MODES = {
    "sg-ns": (1, 0, 5, 1),
    "sg-hs": (1, 1, 0, 1),
    "sg-hs+ns": (1, 1, 5, 1),
    "cbow-ns-mean": (0, 0, 5, 1),
    "cbow-ns-sum": (0, 0, 5, 0),
    "cbow-hs-mean": (0, 1, 0, 1),
    "cbow-hs-sum": (0, 1, 0, 0),
    "cbow-hs+ns": (0, 1, 5, 1),
}


def mode_model(mode, **overrides):
    sg, hs, negative, cbow_mean = MODES[mode]
    settings = dict(vector_size=24, window=3, min_count=1, epochs=5, workers=1, seed=5, sample=0,
                    sg=sg, hs=hs, negative=negative, cbow_mean=cbow_mean)
    settings.update(overrides)
    return Word2Vec(**settings)


def zipf_counts(words=300, seed=0):
    rng = np.random.default_rng(seed)
    counts = (1e6 / np.arange(1, words + 1) ** 1.1).astype(np.uint64)
    counts[rng.integers(0, words, 30)] = 7  # ties, which the merge order must break consistently
    return np.sort(counts)[::-1].copy()


def codes_of(tree, words):
    return ["".join(map(str, tree.huffman_code(w))) for w in range(words)]


def codes_and_points(tree):
    """Each word's Huffman code and inner nodes, as gensims_codes() and word2vec_c_codes() give them."""
    return [(list(tree.huffman_code(w)), list(tree.huffman_points(w))) for w in range(len(tree))]


# ------------------------------------------------------------------ the Huffman tree


# Every way of breaking ties between equal counts builds a Huffman tree: gensim's, word2vec.c's (which fastText and
# Spark MLlib copy), and leaves-first, which models saved before 2026-12-02 keep.
TIES = ["gensim", "word2vec", "leaves-first"]


@pytest.mark.parametrize("ties", TIES)
def test_huffman_codes_are_prefix_free_and_fill_the_tree(ties):
    counts = zipf_counts()
    codes = codes_of(engine_vocabulary(counts, hs=True, huffman_ties=ties), len(counts))
    ordered = sorted(codes)
    # In lexicographic order a code that is the prefix of another is immediately followed by one it prefixes.
    assert all(not later.startswith(earlier) for earlier, later in zip(ordered, ordered[1:]))
    assert len(set(codes)) == len(codes) and all(codes)
    # A full binary tree meets Kraft's inequality with equality: no code could be shortened.
    assert sum(2.0 ** -len(code) for code in codes) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("ties", TIES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_huffman_expected_code_length_is_within_one_bit_of_the_entropy(seed, ties):
    counts = zipf_counts(words=500, seed=seed)
    tree = engine_vocabulary(counts, hs=True, huffman_ties=ties)
    p = counts / counts.sum()
    expected_length = float(sum(p[w] * len(tree.huffman_code(w)) for w in range(len(counts))))
    entropy = float(-(p * np.log2(p)).sum())
    assert entropy <= expected_length < entropy + 1


@pytest.mark.parametrize("ties", TIES)
def test_more_frequent_words_get_codes_no_longer_than_rarer_ones(ties):
    counts = zipf_counts()
    tree = engine_vocabulary(counts, hs=True, huffman_ties=ties)
    lengths = [len(tree.huffman_code(w)) for w in range(len(counts))]
    for a in range(len(counts)):
        for b in range(a + 1, len(counts)):
            if counts[a] > counts[b]:
                assert lengths[a] <= lengths[b], (a, b)


@pytest.mark.parametrize("ties", TIES)
def test_huffman_paths_start_at_the_root_and_visit_each_inner_node_once(ties):
    counts = zipf_counts(words=50)
    tree = engine_vocabulary(counts, hs=True, huffman_ties=ties)
    words = len(counts)
    paths = [tree.huffman_points(w) for w in range(words)]
    assert all(path[0] == words - 2 for path in paths)  # the root, as in word2vec.c and gensim
    assert all(len(set(path)) == len(path) and path.min() >= 0 and path.max() <= words - 2 for path in paths)
    # A word's path is determined by its code: words whose codes share a prefix share the nodes along it.
    codes = codes_of(tree, words)
    for a in range(words):
        for b in range(words):
            shared = next((i for i, (x, y) in enumerate(zip(codes[a], codes[b])) if x != y), None)
            if shared is not None:
                assert list(paths[a][: shared + 1]) == list(paths[b][: shared + 1])


def test_a_single_word_vocabulary_has_an_empty_code_and_trains_without_error():
    assert len(engine_vocabulary([9], hs=True).huffman_code(0)) == 0
    model = Word2Vec([["only"] * 10], min_count=1, hs=1, negative=0, epochs=2, workers=1)
    assert np.isfinite(model.wv.vectors).all()


def gensims_codes(counts):
    """gensim 4.4's Huffman codes and points of the words w0, w1, ... with these counts (in this order)."""
    gensim_word2vec = pytest.importorskip("gensim.models.word2vec")
    gensim_models = pytest.importorskip("gensim.models")
    wv = gensim_models.KeyedVectors(4)
    wv.index_to_key = [f"w{i}" for i in range(len(counts))]
    wv.key_to_index = {word: i for i, word in enumerate(wv.index_to_key)}
    wv.expandos["count"] = np.asarray(counts).astype(np.int64)
    gensim_word2vec._assign_binary_codes(wv)
    return [(list(wv.get_vecattr(w, "code")), list(wv.get_vecattr(w, "point"))) for w in range(len(counts))]


def many_ties(words, seed):
    """Counts as a corpus's rare words have them: most words share their count with many others."""
    rng = np.random.default_rng(seed)
    counts = np.concatenate([(1e5 / np.arange(1, 21)).astype(np.uint64), rng.integers(5, 12, words - 20)])
    return np.sort(counts)[::-1].copy()


@pytest.mark.gensim
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_huffman_tree_is_gensims_node_for_node(seed):
    # Which words share inner nodes is decided by the ties, and it moves quality: gensim's tree scored a full analogy
    # point more than leaves-first in CBOW with hierarchical softmax on gcide. A new vocabulary builds gensim's tree,
    # the same codes and inner nodes from the same counts in the same order.
    counts = many_ties(words=2000, seed=seed)
    tree = engine_vocabulary(counts, hs=True)
    assert tree.huffman_ties == "gensim"
    assert codes_and_points(tree) == gensims_codes(counts)


def word2vec_c_codes(counts):
    """The codes and points of word2vec.c's CreateBinaryTree for words with these counts (in this order), transcribed
    from its C: leaves taken from the end of the vocabulary, an inner node before a leaf of the same count."""
    words = len(counts)
    count = list(map(int, counts)) + [10**15] * words
    parent, binary = [0] * (2 * words), [0] * (2 * words)
    pos1, pos2 = words - 1, words
    for a in range(words - 1):
        chosen = []
        for _ in range(2):
            if pos1 >= 0 and count[pos1] < count[pos2]:
                chosen.append(pos1)
                pos1 -= 1
            else:
                chosen.append(pos2)
                pos2 += 1
        count[words + a] = count[chosen[0]] + count[chosen[1]]
        parent[chosen[0]] = parent[chosen[1]] = words + a
        binary[chosen[1]] = 1
    trees = []
    for word in range(words):
        code, point, node = [], [], word
        while node != 2 * words - 2:
            code.insert(0, binary[node])
            node = parent[node]
            point.insert(0, node - words)
        trees.append((code, point))
    return trees


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("order", ["by count", "as updated"])
def test_the_word2vec_rule_builds_word2vec_cs_tree_node_for_node(seed, order):
    # word2vec.c, fastText and Spark MLlib build this tree; fastText rebuilds it from a .bin file's words in the
    # file's order, which a vocabulary updated with new words leaves unsorted.
    counts = many_ties(words=2000, seed=seed)
    if order == "as updated":
        counts = np.concatenate([counts[::2], counts[1::2]])
    tree = engine_vocabulary(counts, hs=True, huffman_ties="word2vec")
    assert codes_and_points(tree) == word2vec_c_codes(counts)


@pytest.mark.gensim
def test_each_rule_is_another_tree_where_counts_tie():
    # What the tests above tell apart: with ties, each rule builds a tree of the same cost but other paths.
    counts = many_ties(words=2000, seed=0)
    trees = [codes_and_points(engine_vocabulary(counts, hs=True, huffman_ties=ties)) for ties in TIES]
    assert trees[0] == gensims_codes(counts)
    assert trees[0] != trees[1] != trees[2] != trees[0]


def test_an_unknown_way_of_breaking_ties_is_refused():
    with pytest.raises(ValueError, match="huffman_ties must be 'gensim', 'word2vec' or 'leaves-first'"):
        engine_vocabulary([5, 3, 3], hs=True, huffman_ties="fasttext")


@pytest.mark.gensim
@pytest.mark.parametrize("ties", ["word2vec", "leaves-first"])
def test_every_rules_codes_are_as_short_as_gensims(ties):
    # All the trees are optimal, so their count-weighted code lengths agree exactly, whatever ties they break otherwise.
    counts = zipf_counts()
    tree = engine_vocabulary(counts, hs=True, huffman_ties=ties)
    ours = sum(int(counts[w]) * len(tree.huffman_code(w)) for w in range(len(counts)))
    theirs = sum(int(counts[w]) * len(code) for w, (code, _) in enumerate(gensims_codes(counts)))
    assert ours == theirs


# ------------------------------------------------------------------ the updates, against gensim's formulas


def reference_epoch(ids, syn0, output_layer, sg, cbow_mean):
    """gensim's word2vec_inner.pyx for window=1 (which has no random window draw), transcribed to NumPy: the input
    rows in float64 (returned), `output_layer(hidden, word, gradient)` the objective's update of its own rows."""
    syn0 = syn0.astype(np.float64)
    for pos in range(len(ids)):
        context = [ids[c] for c in (pos - 1, pos + 1) if 0 <= c < len(ids)]
        if sg:
            for word in context:
                gradient = np.zeros(syn0.shape[1])
                output_layer(syn0[word].copy(), ids[pos], gradient)
                syn0[word] += gradient
        else:
            hidden = syn0[context].sum(axis=0)
            if cbow_mean:
                hidden /= len(context)
            gradient = np.zeros(syn0.shape[1])
            output_layer(hidden, ids[pos], gradient)
            for word in context:  # as gensim: the whole gradient when averaging, a share of it when summing
                syn0[word] += gradient if cbow_mean else gradient / len(context)
    return syn0


def hierarchical_softmax_layer(syn1, tree, alpha):
    """gensim's hierarchical softmax, updating `syn1` (float64) in place."""

    def update(hidden, word, gradient):
        for bit, node in zip(tree.huffman_code(word), tree.huffman_points(word)):
            score = hidden @ syn1[node]
            if abs(score) >= 6:  # MAX_EXP: a saturated decision is skipped
                continue
            g = (1 - bit - _core.sigmoid(score)) * alpha  # the engine's sigmoid table
            gradient += g * syn1[node]
            syn1[node] += g * hidden

    return update


@pytest.mark.parametrize("sg, cbow_mean", [(1, 1), (0, 1), (0, 0)])
def test_hierarchical_softmax_updates_match_gensims_formulas(sg, cbow_mean):
    sentence = ["a", "b", "c", "a", "d", "a", "b", "e"]
    # A large constant rate, so that one epoch moves the weights far from where they started.
    model = Word2Vec(vector_size=8, window=1, min_count=1, sample=0, sg=sg, hs=1, negative=0, cbow_mean=cbow_mean,
                     alpha=0.5, min_alpha=0.5, epochs=1, workers=1)
    model.build_vocab([sentence])
    model.syn1[:] = np.random.default_rng(0).normal(0, 0.5, model.syn1.shape)
    ids = [model.wv.key_to_index[word] for word in sentence]
    expected_syn1 = model.syn1.astype(np.float64)
    layer = hierarchical_softmax_layer(expected_syn1, model._vocabulary, alpha=0.5)
    expected_syn0 = reference_epoch(ids, model.wv.vectors, layer, sg, cbow_mean)
    model.train([sentence])
    assert not np.allclose(model.wv.vectors, model.wv.vectors[0])  # sanity: training happened
    np.testing.assert_allclose(model.wv.vectors, expected_syn0, atol=1e-5)
    np.testing.assert_allclose(model.syn1, expected_syn1, atol=1e-5)


class SplitMix64:
    """The engine's random generator (sampler.h), to replay its window draws."""

    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def below(self, bound):
        return ((self.next() >> 32) * bound) >> 32


def first_pass_generator(seed):
    """The generator of a one-worker model's first training pass (sampler.cc's worker_seed for thread 0, stream 0)."""
    state = SplitMix64(seed ^ 0x5DEECE66D).next()
    state ^= SplitMix64(1).next()
    state ^= SplitMix64(2).next()
    return SplitMix64(state)


def test_skipgram_hierarchical_softmax_over_random_windows_follows_word2vecs_pairs():
    # The engine's window draws replayed: each pair of a window, one after another, sees the nodes as the pair before
    # left them (the engine fetches a centre's path once a window and scores its nodes before updating them).
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(60)]
    sentence = [words[i] for i in rng.integers(0, len(words), 300)]
    window, alpha, seed = 5, 0.1, 7
    model = Word2Vec(vector_size=16, window=window, min_count=1, sample=0, sg=1, hs=1, negative=0, alpha=alpha,
                     min_alpha=alpha, epochs=1, workers=1, seed=seed)
    model.build_vocab([sentence])
    model.syn1[:] = rng.normal(0, 0.5, model.syn1.shape)
    ids = [model.wv.key_to_index[word] for word in sentence]
    syn0, syn1 = model.wv.vectors.astype(np.float64), model.syn1.astype(np.float64)
    hierarchical_softmax = hierarchical_softmax_layer(syn1, model._vocabulary, alpha)
    draws = first_pass_generator(seed)
    for pos in range(len(ids)):
        span = window - draws.below(window)
        for c in range(max(pos - span, 0), min(len(ids), pos + span + 1)):
            if c != pos:
                gradient = np.zeros(syn0.shape[1])
                hierarchical_softmax(syn0[ids[c]].copy(), ids[pos], gradient)
                syn0[ids[c]] += gradient
    model.train([sentence], total_examples=1)
    assert not np.allclose(model.syn1, 0)
    np.testing.assert_allclose(model.wv.vectors, syn0, atol=2e-5)
    np.testing.assert_allclose(model.syn1, syn1, atol=2e-5)


def negative_sampling_layer(syn1neg, noise_word, negative, alpha):
    """gensim's negative sampling when every noise draw is `noise_word`, updating `syn1neg` (float64) in place: a
    word other than it is predicted against it `negative` times, each update seeing the previous one; the noise
    word's own draws of itself are skipped, as word2vec.c skips them."""

    def update(hidden, word, gradient):
        targets = [(word, 1.0)] + [(noise_word, 0.0)] * (negative if word != noise_word else 0)
        for target, label in targets:
            g = (label - _core.sigmoid(hidden @ syn1neg[target])) * alpha
            gradient += g * syn1neg[target]
            syn1neg[target] += g * hidden

    return update


@pytest.mark.parametrize("sg", [1, 0])
def test_a_noise_word_drawn_several_times_is_updated_one_draw_after_another(sg):
    # The engine scores a prediction's rows before updating them; a row drawn twice must still see its first update.
    # With ns_exponent 8, "the" (1,000 times as frequent as any other word) is every noise draw.
    sentence = ["the"] * 6 + ["a", "the", "b", "the", "a", "c", "the", "b"]
    model = Word2Vec(vector_size=8, window=1, min_count=1, sample=0, sg=sg, hs=0, negative=5, ns_exponent=8.0,
                     shared_negatives=False, alpha=0.5, min_alpha=0.5, epochs=1, workers=1)
    model.build_vocab([sentence] + [["the"] * 1000])
    model.syn1neg[:] = np.random.default_rng(0).normal(0, 0.5, model.syn1neg.shape)
    ids = [model.wv.key_to_index[word] for word in sentence]
    expected_syn1neg = model.syn1neg.astype(np.float64)
    layer = negative_sampling_layer(expected_syn1neg, model.wv.key_to_index["the"], 5, alpha=0.5)
    expected_syn0 = reference_epoch(ids, model.wv.vectors, layer, sg, cbow_mean=1)
    model.train([sentence], total_examples=1)
    np.testing.assert_allclose(model.wv.vectors, expected_syn0, atol=1e-5)
    np.testing.assert_allclose(model.syn1neg, expected_syn1neg, atol=1e-5)


def test_cbow_mean_and_sum_train_different_vectors(planted_corpus):
    assert not np.allclose(mode_model("cbow-ns-mean", sentences=planted_corpus).wv.vectors,
                           mode_model("cbow-ns-sum", sentences=planted_corpus).wv.vectors)


# ------------------------------------------------------------------ every mode


@pytest.mark.parametrize("mode", sorted(MODES))
def test_every_mode_learns_the_planted_communities(planted_file, mode):
    assert_communities_separate(mode_model(mode, corpus_file=planted_file, workers=2).wv)


@pytest.mark.parametrize("source", ["corpus_file", "sentences"])
@pytest.mark.parametrize("mode", sorted(MODES))
def test_every_mode_is_bit_identical_with_one_worker_and_the_same_seed(planted_file, planted_corpus, mode, source):
    corpus = {"corpus_file": planted_file} if source == "corpus_file" else {"sentences": planted_corpus}
    first = mode_model(mode, sample=1e-3, epochs=2, **corpus)
    second = mode_model(mode, sample=1e-3, epochs=2, **corpus)
    for name in ("syn1neg", "syn1"):
        assert np.array_equal(getattr(first, name), getattr(second, name))
    assert np.array_equal(first.wv.vectors, second.wv.vectors)
    assert not np.array_equal(first.wv.vectors, mode_model(mode, sample=1e-3, epochs=2, seed=6, **corpus).wv.vectors)


@pytest.mark.parametrize("mode", sorted(MODES))
def test_only_the_output_layers_in_use_have_weights_and_they_train(planted_corpus, mode):
    _, hs, negative, _ = MODES[mode]
    model = mode_model(mode, sentences=planted_corpus, epochs=1)
    assert model.syn1.shape == ((40 if hs else 0), 24) and model.syn1neg.shape == ((40 if negative else 0), 24)
    assert model.syn1.any() == bool(hs) and model.syn1neg.any() == bool(negative)


@pytest.mark.parametrize("mode", ["sg-hs", "cbow-ns-mean", "cbow-hs-sum", "cbow-hs+ns"])
def test_loss_falls_in_every_mode(planted_file, mode):
    losses = []

    class RecordLoss:
        def on_epoch_end(self, model):
            losses.append(model.get_latest_training_loss())

    mode_model(mode, corpus_file=planted_file, epochs=4, alpha=0.002, compute_loss=True, callbacks=[RecordLoss()])
    assert all(loss > 0 for loss in losses)
    assert all(later < earlier for earlier, later in zip(losses, losses[1:]))


@pytest.mark.parametrize("mode", ["sg-hs", "cbow-hs+ns", "cbow-ns-sum"])
def test_a_saved_model_resumes_training_in_its_mode_exactly_as_without_saving(tmp_path, planted_corpus, mode):
    sentences = planted_corpus[:400]
    uninterrupted = mode_model(mode, sentences=sentences, epochs=1)
    uninterrupted.train(sentences, epochs=1)
    saved = mode_model(mode, sentences=sentences, epochs=1)
    saved.save(tmp_path / "m.w2vf")
    resumed = Word2Vec.load(tmp_path / "m.w2vf")
    assert (resumed.sg, resumed.hs, resumed.negative, resumed.cbow_mean) == MODES[mode]
    resumed.train(sentences, epochs=1)
    for name in ("syn1neg", "syn1"):
        assert np.array_equal(getattr(resumed, name), getattr(uninterrupted, name))
    assert np.array_equal(resumed.wv.vectors, uninterrupted.wv.vectors)
