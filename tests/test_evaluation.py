"""Analogy and word-pair evaluation: gensim's rules, vectorised, and the evaluation files that ship with w2vfast."""

import numpy as np
import pytest

from w2vfast import KeyedVectors, datasets
from w2vfast.evaluation import pearsonr, spearmanr


def planted_analogy_vectors(seed=0, vector_size=24, noise=0.35, extra_case_variants=True):
    """Vectors for every word of questions-words.txt where each section's pairs differ by one planted offset.

    Noise makes some answers wrong, so the evaluation has both outcomes to get right; lower-case and
    capitalised variants of some words test the case folding.
    """
    rng = np.random.default_rng(seed)
    vectors, offsets = {}, {}
    section = None
    with open(datasets.path("questions-words.txt")) as file:
        for line in file:
            if line.startswith(": "):
                section = line[2:].strip()
                offsets[section] = rng.standard_normal(vector_size)
                continue
            a, b, c, d = line.split()
            for first, second in ((a, b), (c, d)):
                if first not in vectors:
                    vectors[first] = rng.standard_normal(vector_size)
                if second not in vectors:
                    vectors[second] = vectors[first] + offsets[section] + noise * rng.standard_normal(vector_size)
    keys = list(vectors)
    rng.shuffle(keys)  # no relation between frequency rank and section
    weights = [vectors[key] for key in keys]
    if extra_case_variants:
        for key in keys[:200:3]:
            keys.append(key.lower() if key.lower() != key else key.upper())
            weights.append(rng.standard_normal(vector_size))
    kv = KeyedVectors(vector_size)
    kv.add_vectors(keys, np.array(weights))
    return kv


def reference_analogy_answers(kv, path, restrict_vocab):
    """The rule gensim documents, one most_similar call per question, for comparison with the batched version."""
    ok = {}
    for key in reversed(kv.index_to_key[:restrict_vocab]):
        ok[key.upper()] = key  # the first case variant wins
    results = []
    for line in open(path):
        if line.startswith(": "):
            continue
        words = line.upper().split()
        if not all(word in ok for word in words):
            continue
        a, b, c, expected = words
        neighbours = kv.most_similar(positive=[ok[b], ok[c]], negative=[ok[a]], topn=5, restrict_vocab=restrict_vocab)
        predicted = None
        for key, _ in neighbours:
            predicted = key.upper()
            if predicted not in (a, b, c):
                break
        results.append((a, b, c, expected, predicted == expected))
    return results


def question_sample(tmp_path, every=10):
    """Every ``every``-th question of each section of questions-words.txt, to keep the suite fast."""
    lines, position = [], 0
    for line in open(datasets.path("questions-words.txt")):
        if line.startswith(": "):
            lines.append(line)
        else:
            position += 1
            if position % every == 0:
                lines.append(line)
    return write(tmp_path, "questions-sample.txt", "".join(lines))


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------ analogies


def test_analogy_returns_gensim_structure_with_sections_and_total(tmp_path):
    kv = KeyedVectors(3)
    kv.add_vectors(
        ["man", "woman", "king", "queen", "apple"],
        [[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [-1, 0, 0.2]],
    )
    path = write(tmp_path, "q.txt", ": royalty\nman woman king queen\nman king woman apple\n: fruit\nman woman apple zeta\n")
    score, sections = kv.evaluate_word_analogies(path)
    assert [s["section"] for s in sections] == ["royalty", "fruit", "Total accuracy"]
    assert sections[0]["correct"] == [("MAN", "WOMAN", "KING", "QUEEN")]
    assert sections[0]["incorrect"] == [("MAN", "KING", "WOMAN", "APPLE")]
    assert sections[1] == {"section": "fruit", "correct": [], "incorrect": []}  # "zeta" is unknown: skipped
    assert sections[2]["correct"] == sections[0]["correct"] and score == 0.5


def test_unknown_words_count_as_wrong_with_dummy4unknown(tmp_path):
    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b", "c", "d"], [[1, 0], [0, 1], [1, 0.1], [0.1, 1]])
    path = write(tmp_path, "q.txt", ": s\na b c d\na b c zeta\n")
    assert kv.evaluate_word_analogies(path)[0] == 1.0
    score, sections = kv.evaluate_word_analogies(path, dummy4unknown=True)
    assert score == 0.5 and sections[0]["incorrect"] == [("A", "B", "C", "ZETA")]


def test_batched_analogies_agree_with_one_most_similar_per_question(tmp_path):
    kv = planted_analogy_vectors()
    path = question_sample(tmp_path)
    for restrict_vocab in (300000, 400):
        expected = reference_analogy_answers(kv, path, restrict_vocab)
        score, sections = kv.evaluate_word_analogies(path, restrict_vocab=restrict_vocab)
        total = sections[-1]
        assert total["correct"] == [q[:4] for q in expected if q[4]]
        assert total["incorrect"] == [q[:4] for q in expected if not q[4]]
        assert 0.2 < score < 0.95  # both outcomes occur, so the comparison means something


def test_case_sensitive_evaluation_skips_questions_in_another_case(tmp_path):
    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b", "c", "d"], [[1, 0], [0, 1], [1, 0.1], [0.1, 1]])
    path = write(tmp_path, "q.txt", ": s\nA B C D\na b c d\n")
    score, sections = kv.evaluate_word_analogies(path, case_insensitive=False)
    assert sections[-1]["correct"] == [("a", "b", "c", "d")] and sections[-1]["incorrect"] == []


@pytest.mark.parametrize(
    "text, message",
    [("a b c d\n", "before the first ': section'"), (": s\nonly three words\n", "no analogy questions"),
     (": s\n\xff\xfe\n", None)],
)
def test_malformed_analogy_files_raise_value_error(tmp_path, text, message):
    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b"], [[1, 0], [0, 1]])
    path = tmp_path / "q.txt"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(ValueError, match=message or "not valid UTF-8"):
        kv.evaluate_word_analogies(path)


@pytest.mark.gensim
@pytest.mark.parametrize("restrict_vocab, case_insensitive, dummy", [(300000, True, False), (500, True, True), (300000, False, False)])
def test_analogies_equal_gensim_on_the_same_vectors(tmp_path, restrict_vocab, case_insensitive, dummy):
    gensim_models = pytest.importorskip("gensim.models")
    kv = planted_analogy_vectors()
    theirs = gensim_models.KeyedVectors(kv.vector_size)
    theirs.add_vectors(kv.index_to_key, kv.vectors)
    path = question_sample(tmp_path, every=4)
    arguments = dict(restrict_vocab=restrict_vocab, case_insensitive=case_insensitive, dummy4unknown=dummy)
    assert kv.evaluate_word_analogies(path, **arguments) == theirs.evaluate_word_analogies(path, **arguments)


@pytest.mark.gensim
@pytest.mark.parametrize("case_insensitive", [True, False])
def test_analogies_equal_gensim_where_answers_nearly_tie(tmp_path, case_insensitive):
    # Twins of many expected answers, their vectors equal to a relative 1e-7: each such question has two candidates
    # whose cosines float32 rounding may order either way, which only gensim's own ranking settles.
    gensim_models = pytest.importorskip("gensim.models")
    kv = planted_analogy_vectors(extra_case_variants=case_insensitive)
    rng = np.random.default_rng(5)
    answers = sorted({line.split()[3] for line in open(question_sample(tmp_path, every=4)) if not line.startswith(":")})
    twins = [answer for answer in answers if answer in kv][::2]
    kv.add_vectors([f"twin_{answer}" for answer in twins],
                   [kv[answer] * (1 + 1e-7 * rng.standard_normal()) for answer in twins])
    theirs = gensim_models.KeyedVectors(kv.vector_size)
    theirs.add_vectors(kv.index_to_key, kv.vectors)
    path = question_sample(tmp_path, every=4)
    ours = kv.evaluate_word_analogies(path, case_insensitive=case_insensitive)
    assert ours == theirs.evaluate_word_analogies(path, case_insensitive=case_insensitive)
    assert 0.2 < ours[0] < 0.95


@pytest.mark.gensim
def test_analogies_skip_case_variants_of_question_words_as_gensim_does(tmp_path):
    # A lower-case twin of each question's b, pointing exactly where the question's query points: the nearest
    # neighbour is then a case variant of a question word, which gensim skips (case-insensitively) for the next.
    gensim_models = pytest.importorskip("gensim.models")
    kv = planted_analogy_vectors(extra_case_variants=False)
    path = question_sample(tmp_path, every=4)
    questions = [line.split() for line in open(path) if not line.startswith(":")]
    variants = {}
    for a, b, c, d in questions[::3]:
        if b.lower() != b and b.lower() not in kv and b.lower() not in variants:
            variants[b.lower()] = kv.get_mean_vector([b, c, a], [1, 1, -1], post_normalize=True)
    kv.add_vectors(list(variants), list(variants.values()))
    theirs = gensim_models.KeyedVectors(kv.vector_size)
    theirs.add_vectors(kv.index_to_key, kv.vectors)
    assert len(variants) > 20
    assert kv.evaluate_word_analogies(path) == theirs.evaluate_word_analogies(path)


# ------------------------------------------------------------------ word pairs


def test_word_pairs_skip_comments_and_report_the_unknown_percentage(tmp_path):
    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b", "c", "d"], [[1, 0], [1, 0.5], [0, 1], [-1, 0.2]])
    path = write(tmp_path, "p.tsv", "# comment\na\tb\t9\na\tc\t5\na\td\t1\nA\tzeta\t3\nnot a pair\n")
    pearson, spearman, oov_ratio = kv.evaluate_word_pairs(path)
    assert spearman.statistic == pytest.approx(1.0) and spearman[1] == pytest.approx(0.0, abs=1e-9)
    assert pearson[0] == pytest.approx(pearsonr([9, 5, 1], [kv.similarity("a", x) for x in "bcd"])[0])
    assert oov_ratio == 25.0


def test_word_pairs_with_no_known_pair_raise_value_error(tmp_path):
    kv = KeyedVectors(2)
    kv.add_vectors(["a", "b"], [[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="No valid similarity judgements"):
        kv.evaluate_word_pairs(write(tmp_path, "p.tsv", "x\ty\t1\n"))


def test_correlations_match_scipy():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(3)
    for n in (3, 10, 353, 999):
        x = rng.standard_normal(n)
        y = 0.3 * x + rng.standard_normal(n)
        y[: n // 3] = np.round(y[: n // 3])  # ties for the ranks
        for ours, theirs in ((pearsonr(x, y), stats.pearsonr(x, y)), (spearmanr(x, y), stats.spearmanr(x, y))):
            assert ours[0] == pytest.approx(theirs[0], rel=1e-12)
            assert ours[1] == pytest.approx(theirs[1], rel=1e-9, abs=1e-300)


@pytest.mark.gensim
@pytest.mark.parametrize("name", ["wordsim353.tsv", "simlex999.txt"])
def test_word_pairs_equal_gensim_on_the_same_vectors(name):
    gensim_models = pytest.importorskip("gensim.models")
    kv = planted_analogy_vectors()
    rng = np.random.default_rng(1)
    words = sorted({w for line in open(datasets.path(name)) if not line.startswith("#") for w in line.split("\t")[:2]})
    kv.add_vectors(words[::2], rng.standard_normal((len(words[::2]), kv.vector_size)))  # half the words are known
    theirs = gensim_models.KeyedVectors(kv.vector_size)
    theirs.add_vectors(kv.index_to_key, kv.vectors)
    ours, expected = kv.evaluate_word_pairs(datasets.path(name)), theirs.evaluate_word_pairs(datasets.path(name))
    # gensim's cosines are float32, ours float64: the statistics agree to float32 rounding.
    np.testing.assert_allclose([ours[0][0], ours[1][0]], [expected[0][0], expected[1][0]], rtol=1e-6)
    np.testing.assert_allclose([ours[0][1], ours[1][1]], [expected[0][1], expected[1][1]], rtol=1e-4)
    assert ours[2] == expected[2]


# ------------------------------------------------------------------ shipped files


def test_evaluation_files_ship_with_the_package():
    assert {"questions-words.txt", "wordsim353.tsv", "simlex999.txt"} <= set(datasets.names())
    lines = open(datasets.path("questions-words.txt")).read().splitlines()
    assert sum(line.startswith(": ") for line in lines) == 14 and len(lines) - 14 == 19544
    pairs = [line for line in open(datasets.path("simlex999.txt")) if not line.startswith("#")]
    assert len(pairs) == 999 and all(len(line.split("\t")) == 3 for line in pairs)


def test_unknown_dataset_name_raises_file_not_found_listing_the_names():
    with pytest.raises(FileNotFoundError, match="questions-words.txt"):
        datasets.path("no-such-file.txt")
    with pytest.raises(FileNotFoundError):
        datasets.path("LICENSES.md")  # the credits are not a data set
