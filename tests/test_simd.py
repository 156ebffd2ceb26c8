"""The SIMD dispatch: every path this CPU runs computes what the scalar reference computes, within float tolerance;
W2VFAST_SIMD forces a path; and the AVX instructions stay inside the AVX paths' functions.

Paths this CPU cannot run are skipped, not faked.
"""

import bisect
import os
import pickle
import platform
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pytest

import w2vfast
from conftest import engine_vocabulary
from w2vfast import Word2Vec, _core

COMPILED = list(_core.simd_compiled_paths())
AVAILABLE = list(_core.simd_paths())
FAST_PATHS = [path for path in COMPILED if path != "scalar"]
# Sizes around every path's width (4, 8, 16 lanes, 4 accumulators) and the common dimensions, tails included.
SIZES = [1, 3, 4, 5, 8, 15, 16, 17, 31, 32, 63, 64, 65, 100, 128, 300, 301]


def require(path):
    if path not in AVAILABLE:
        pytest.skip(f"this CPU does not run the {path} path")


@pytest.fixture
def active_path():
    """Lets a test switch the training path; restores the one chosen at import."""
    chosen = _core.simd_path()
    yield _core._set_simd_path
    _core._set_simd_path(chosen)


def test_scalar_and_the_platform_baseline_are_always_available():
    assert AVAILABLE[0] == "scalar"
    assert set(AVAILABLE) <= set(COMPILED)
    assert len(AVAILABLE) >= 2  # the baseline path (sse2, neon or generic) runs on every CPU of the platform


def test_simd_info_reports_the_path_in_use():
    info = w2vfast.simd_info()
    assert info["path"] == _core.simd_path()
    assert info["path"] in info["available"]
    assert info["available"] == AVAILABLE and info["compiled"] == COMPILED


@pytest.mark.parametrize("path", FAST_PATHS)
def test_dot_matches_the_scalar_path(path):
    require(path)
    rng = np.random.default_rng(0)
    for n in SIZES:
        a, b = rng.standard_normal((2, n)).astype(np.float32)
        reference = _core._simd_dot("scalar", a, b)
        # Summation order differs between paths; float32 sums of n products agree to n * eps * sum |a_i b_i|.
        bound = n * np.finfo(np.float32).eps * float(np.abs(a.astype(np.float64) * b).sum())
        assert abs(_core._simd_dot(path, a, b) - reference) <= bound, n
        assert abs(reference - float(a.astype(np.float64) @ b)) <= bound, n


@pytest.mark.parametrize("path", FAST_PATHS)
def test_axpy_matches_the_scalar_path_and_leaves_no_element_out(path):
    require(path)
    rng = np.random.default_rng(1)
    for n in SIZES:
        x, y = rng.standard_normal((2, n)).astype(np.float32)
        reference = _core._simd_axpy("scalar", np.float32(0.3), x, y)
        # A fused multiply-add rounds once where the scalar loop rounds twice: one ulp of |y| + |0.3 x| at most.
        bound = 2 * np.finfo(np.float32).eps * (np.abs(y) + 0.3 * np.abs(x))
        assert np.all(np.abs(_core._simd_axpy(path, np.float32(0.3), x, y) - reference) <= bound), n


@pytest.mark.parametrize("path", COMPILED)
def test_first_greater_finds_the_first_value_above_the_threshold_wherever_it_lies(path):
    require(path)
    for n in SIZES:
        for position in sorted({0, n // 2, n - 1}):
            x = np.zeros(n, dtype=np.float32)
            x[position] = 1.0
            assert _core._simd_first_greater(path, x, 0.5) == position, (n, position)
            assert _core._simd_first_greater(path, x, 1.0) == n, n  # above, not equal
        x = np.full(n, np.nan, dtype=np.float32)
        assert _core._simd_first_greater(path, x, -np.inf) == n  # NaN is never above anything


def float16_cases():
    """Floats that exercise every rounding case of a conversion to float16: random bit patterns (every exponent,
    NaNs and infinities among them), each finite half and its neighbours one float ulp away, the midpoints between
    adjacent halves (ties, rounded to even) and the floats just either side of them, and model-sized deltas."""
    rng = np.random.default_rng(0)
    halves = np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16).astype(np.float32)
    bits = halves[np.isfinite(halves)].view(np.uint32).astype(np.int64)
    # A half's mantissa is the float's top 10 bits: 0x1000 is half a half's ulp (a tie), 0xfff and 0x1001 beside it.
    near = np.concatenate([bits + step for step in (0, 1, -1, 0x1000, -0x1000, 0xfff, 0x1001)]) % 2**32
    near = near.astype(np.uint32)
    random_bits = rng.integers(0, 2**32, size=1_000_000, dtype=np.uint64).astype(np.uint32)
    deltas = (rng.standard_normal(100_003) * 1e-3).astype(np.float32)
    return np.concatenate([near.view(np.float32), random_bits.view(np.float32), deltas])


@pytest.mark.parametrize("path", COMPILED)
def test_float16_conversions_round_as_numpy_bit_for_bit_on_every_path(path):
    require(path)
    values = float16_cases()
    with np.errstate(all="ignore"):
        expected = values.astype(np.float16)
    halves = _core._simd_to_float16(path, values)
    assert halves.dtype == np.float16 and halves.shape == values.shape
    nan = np.isnan(expected)
    np.testing.assert_array_equal(halves.view(np.uint16)[~nan], expected.view(np.uint16)[~nan])
    assert np.isnan(halves[nan]).all() and np.array_equal(np.signbit(halves[nan]), np.signbit(expected[nan]))

    every_half = np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16).reshape(256, 256)
    floats = _core._simd_from_float16(path, every_half)
    assert floats.dtype == np.float32 and floats.shape == (256, 256)
    np.testing.assert_array_equal(floats.view(np.uint32), every_half.astype(np.float32).view(np.uint32))


def test_float16_conversions_use_the_active_path_and_take_only_float16_back():
    values = float16_cases()[:1000].reshape(10, 100)
    np.testing.assert_array_equal(_core.to_float16(values), _core._simd_to_float16(_core.simd_path(), values))
    np.testing.assert_array_equal(_core.from_float16(values.astype(np.float16)[:, ::2]),
                                  values.astype(np.float16)[:, ::2].astype(np.float32))  # strided: copied first
    unpickled = pickle.loads(pickle.dumps(values.astype(np.float16)))  # a dtype object of its own, as Spark's tasks
    np.testing.assert_array_equal(_core.from_float16(unpickled), values.astype(np.float16).astype(np.float32))
    with pytest.raises(TypeError, match="float16 array, got float32"):
        _core.from_float16(values)
    with pytest.raises(TypeError, match="float16 array, got >f2"):  # the other byte order: not the kernels' halves
        _core.from_float16(values.astype(">f2"))


STEP_ALPHA = 0.5
# The sigmoid is a table (sigmoid.h: 4096 steps over [-8, 8]). A score that rounds to the neighbouring entry on one
# path changes that update's error g by at most one step times the slope 1/4, i.e. alpha * 2^-10 of a row. Rounding
# of the dot products flips such an entry now and then; the steps below allow four flips.
STEP_TOLERANCE = 4 * STEP_ALPHA * 0.25 * (2 * _core.SIGMOID_RANGE / 4096)


def skipgram_steps(path, dim, seed=5):
    rng = np.random.default_rng(2)
    vocab = 50
    input_vectors = ((rng.random((vocab, dim)) - 0.5) / dim).astype(np.float32)
    output_vectors = ((rng.random((vocab, dim)) - 0.5) / dim).astype(np.float32)
    contexts, centres = rng.integers(0, vocab, size=(2, 400)).astype(np.int32)
    vocabulary = engine_vocabulary(np.arange(vocab, 0, -1, dtype=np.uint64) * 10)
    loss = _core._simd_skipgram_steps(path, input_vectors, output_vectors, contexts, centres, STEP_ALPHA, vocabulary, 5,
                                      seed)
    return input_vectors, output_vectors, loss


@pytest.mark.parametrize("dim", [7, 100, 128, 300])
@pytest.mark.parametrize("path", FAST_PATHS)
def test_skipgram_steps_match_the_scalar_path(path, dim):
    require(path)
    reference_input, reference_output, reference_loss = skipgram_steps("scalar", dim)
    input_vectors, output_vectors, loss = skipgram_steps(path, dim)
    # 400 steps at a large learning rate move the rows by about their own size. Measured on AVX2/AVX-512: 2e-7 of
    # the largest coordinate at dim 300, 2e-4 at dims 7 and 100 where one sigmoid-table entry flipped.
    assert np.abs(input_vectors - reference_input).max() <= STEP_TOLERANCE * np.abs(reference_input).max()
    assert np.abs(output_vectors - reference_output).max() <= STEP_TOLERANCE * np.abs(reference_output).max()
    assert loss == pytest.approx(reference_loss, rel=1e-5)


def test_skipgram_steps_tolerance_separates_paths_from_different_noise():
    """The tolerance above is meaningful: other noise draws (another seed) move the rows far outside it."""
    reference_input, _, _ = skipgram_steps("scalar", 100)
    other_input, _, _ = skipgram_steps("scalar", 100, seed=6)
    assert np.abs(other_input - reference_input).max() > 20 * STEP_TOLERANCE * np.abs(reference_input).max()


# Skip-gram with hierarchical softmax walks the centre's Huffman path once per context word of a window; between two
# context words the engine updates the path's rows for the first and scores them for the next in one pass
# (update_and_score_rows). These tests hold it to the exact algorithm on the same path, bit for bit.
# Every number of AVX-512 registers a row takes up to the 8 it holds, whole and with a partial last one; and beyond.
FUSED_SIZES = [7, 16, 37, 50, 64, 97, 100, 112, 120, 128, 300]


def update_then_score(path, errors, trained, rows, hidden, gradient, next_hidden):
    """update_and_score_rows as two passes of the path's own operations: each trained row's update as
    update_output_rows() makes it (gradient += g * row, then row += g * hidden: one multiply-add an element, the
    path's axpy), then the rows' scores by the path's dot."""
    for b in np.flatnonzero(trained):
        gradient = _core._simd_axpy(path, errors[b], rows[b], gradient)
        rows[b] = _core._simd_axpy(path, errors[b], hidden, rows[b])
    scores = np.array([_core._simd_dot(path, next_hidden, row) for row in rows], dtype=np.float32)
    return scores, gradient


@pytest.mark.parametrize("dim", FUSED_SIZES)
@pytest.mark.parametrize("path", COMPILED)
def test_update_and_score_rows_equals_an_update_pass_then_a_scoring_pass(path, dim):
    require(path)
    rng = np.random.default_rng(dim)
    count = 21  # more than the 16 rows of one update batch
    rows = rng.standard_normal((count, dim), dtype=np.float32)
    hidden, gradient, next_hidden = rng.standard_normal((3, dim), dtype=np.float32)
    errors = rng.standard_normal(count, dtype=np.float32) * np.float32(0.1)
    trained = rng.random(count) < 0.7
    trained[[0, -1]] = True, False
    expected_rows = rows.copy()
    expected_scores, expected_gradient = update_then_score(path, errors, trained, expected_rows, hidden, gradient,
                                                           next_hidden)
    scores, new_gradient = _core._simd_update_and_score_rows(path, errors, trained, rows, hidden, gradient,
                                                             next_hidden)
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(new_gradient, expected_gradient)
    np.testing.assert_array_equal(scores, expected_scores)


def test_update_and_score_rows_without_a_next_hidden_vector_only_updates():
    rng = np.random.default_rng(0)
    rows = rng.standard_normal((5, 100), dtype=np.float32)
    hidden, gradient = rng.standard_normal((2, 100), dtype=np.float32)
    errors = np.full(5, 0.1, dtype=np.float32)
    trained = np.array([True, False, True, True, False])
    expected_rows = rows.copy()
    _, expected_gradient = update_then_score("scalar", errors, trained, expected_rows, hidden, gradient, hidden)
    scores, new_gradient = _core._simd_update_and_score_rows("scalar", errors, trained, rows, hidden, gradient)
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(new_gradient, expected_gradient)
    assert not scores.any()


def splitmix64(seed):
    """The engine's Rng (sampler.h): SplitMix64."""
    mask = (1 << 64) - 1
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        yield z ^ (z >> 31)


def skipgram_pairs(length, window, seed):
    """The (context, centre) positions train_sentence_skipgram visits, in its order: each centre draws its span as
    window - Rng::below(window) (sentence_inl.h: draw_window) and nothing else, with hierarchical softmax alone."""
    draws = splitmix64(seed)
    pairs = []
    for pos in range(length):
        span = window - (((next(draws) >> 32) * window) >> 32)
        pairs += [(c, pos) for c in range(max(0, pos - span), min(length, pos + span + 1)) if c != pos]
    return pairs


@pytest.mark.parametrize("dim", [37, 64, 100, 112, 128, 300])
@pytest.mark.parametrize("path", COMPILED)
def test_hierarchical_softmax_sentence_equals_its_skipgram_steps(path, dim):
    """A sentence of skip-gram with hierarchical softmax alone trains as its (context, centre) pairs do one step at a
    time, to the bit: with words repeated back to back (a context word whose next one is itself), a word twice in
    one window, and the sentence's ends, whose windows have one side."""
    require(path)
    vocab, window, seed = 30, 4, 11
    rng = np.random.default_rng(dim)
    vocabulary = engine_vocabulary(np.arange(vocab, 0, -1, dtype=np.uint64) ** 2, hs=True)
    ids = rng.integers(0, vocab, size=300).astype(np.int32)
    ids[10:14] = 3  # back to back
    ids[40:47:2] = 5  # twice in a window, other words between
    matrices = [rng.standard_normal((vocab, dim), dtype=np.float32) * np.float32(0.3) for _ in range(3)]
    expected = [matrix.copy() for matrix in matrices]

    loss = _core._simd_train_sentence_skipgram(path, matrices[0], matrices[1], ids, window, STEP_ALPHA, vocabulary, 0,
                                               seed, hs_vectors=matrices[2])
    contexts, centres = np.array(skipgram_pairs(len(ids), window, seed), dtype=np.int64).T
    expected_loss = _core._simd_skipgram_steps(path, expected[0], expected[1], ids[contexts], ids[centres], STEP_ALPHA,
                                               vocabulary, 0, seed, hs_vectors=expected[2])
    np.testing.assert_array_equal(matrices[0], expected[0])
    np.testing.assert_array_equal(matrices[2], expected[2])
    assert loss == pytest.approx(expected_loss, rel=1e-12)


def shared_negatives_reference(path, input_vectors, output_vectors, ids, window, alpha, vocabulary, negative, seed):
    """Skip-gram with shared negatives, one sentence, as the exact algorithm states it, one prediction after another
    with the path's own dot and axpy: each centre draws its window and then its noise words from the one Rng
    (sentence_inl.h, sgns_window_step), a draw equal to the centre skipped; each context word of the window scores
    the centre and each noise word, the row updated at once (so a noise word drawn twice is scored the second time
    after its first update), and then receives its gradient."""
    draws = splitmix64(seed)
    noise = vocabulary.draw_noise(len(ids) * (negative + 1) + 1, seed)  # the noise word of each of Rng(seed)'s draws
    drawn = 0
    for pos, centre in enumerate(ids):
        span = window - (((next(draws) >> 32) * window) >> 32)
        drawn += 1
        contexts = [ids[c] for c in range(max(0, pos - span), min(len(ids), pos + span + 1)) if c != pos]
        if not contexts:
            continue
        targets = [centre] + [word for word in noise[drawn:drawn + negative] if word != centre]
        for _ in range(negative):
            next(draws)
        drawn += negative
        for context in contexts:
            gradient = np.zeros(input_vectors.shape[1], dtype=np.float32)
            for t, target in enumerate(targets):
                score = np.float32(_core._simd_dot(path, input_vectors[context], output_vectors[target]))
                error = (np.float32(t == 0) - np.float32(_core.sigmoid(score))) * np.float32(alpha)
                gradient = _core._simd_axpy(path, error, output_vectors[target], gradient)
                output_vectors[target] = _core._simd_axpy(path, error, input_vectors[context], output_vectors[target])
            input_vectors[context] = _core._simd_axpy(path, 1.0, gradient, input_vectors[context])


@pytest.mark.parametrize("dim", [37, 100, 128])
@pytest.mark.parametrize("path", COMPILED)
def test_shared_negatives_sentence_equals_the_exact_algorithm(path, dim):
    """A sentence of skip-gram with shared negatives, bit for bit: the engine scores a window's rows for one context
    word while it updates them for the one before, except where a noise word is drawn twice (a small vocabulary
    makes that frequent) or a context word repeats back to back."""
    require(path)
    vocab, window, negative, seed = 12, 3, 5, 7
    rng = np.random.default_rng(dim)
    vocabulary = engine_vocabulary(np.arange(vocab, 0, -1, dtype=np.uint64) * 10)
    ids = rng.integers(0, vocab, size=120).astype(np.int32)
    ids[10:14] = 3
    matrices = [rng.standard_normal((vocab, dim), dtype=np.float32) * np.float32(0.3) for _ in range(2)]
    expected = [matrix.copy() for matrix in matrices]
    _core._simd_train_sentence_skipgram(path, matrices[0], matrices[1], ids, window, STEP_ALPHA, vocabulary, negative,
                                        seed, shared_negatives=True)
    shared_negatives_reference(path, *expected, ids, window, STEP_ALPHA, vocabulary, negative, seed)
    np.testing.assert_array_equal(matrices[0], expected[0])
    np.testing.assert_array_equal(matrices[1], expected[1])


MODES = {
    "sg-ns": dict(sg=1, negative=5, shared_negatives=False),
    "cbow-ns": dict(sg=0, negative=5),
    "sg-hs": dict(sg=1, hs=1, negative=0),
    "sg-shared": dict(sg=1, negative=5, shared_negatives=True),
    # Several workers make shared negatives train private rows of the frequent words; a file of one line still
    # trains deterministically, as one chunk on one worker (see test_private_rows.py).
    "sg-shared-private-rows": dict(sg=1, negative=5, shared_negatives=True, workers=4),
}


def train(planted_corpus, mode, seed=3):
    settings = dict(vector_size=37, min_count=1, window=3, epochs=2, workers=1, seed=seed, progress=False)
    settings.update(MODES[mode])
    if settings["workers"] == 1:
        return Word2Vec(planted_corpus[:1500], **settings).wv.vectors
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "one-line.txt")
        with open(path, "w") as file:
            file.write(" ".join(word for sentence in planted_corpus[:1500] for word in sentence) + "\n")
        return Word2Vec(corpus_file=path, **settings).wv.vectors


# Relative to the largest coordinate: room for a few sigmoid-table flips (see STEP_TOLERANCE; alpha is 0.025 here).
# Measured after two epochs: 4e-7 (sg-ns, cbow, shared negatives) to 4e-6 (sg-hs) on AVX2/AVX-512, exactly 0 on sse2
# (the same loops); a different seed differs by ~1.7 (tested below).
TRAINING_TOLERANCE = 1e-3


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("path", FAST_PATHS)
def test_training_on_each_path_matches_the_scalar_path(planted_corpus, active_path, path, mode):
    require(path)
    active_path("scalar")
    reference = train(planted_corpus, mode)
    active_path(path)
    vectors = train(planted_corpus, mode)
    assert np.abs(vectors - reference).max() <= TRAINING_TOLERANCE * np.abs(reference).max()


def test_training_tolerance_separates_paths_from_different_seeds(planted_corpus):
    reference = train(planted_corpus, "sg-ns")
    other = train(planted_corpus, "sg-ns", seed=4)
    assert np.abs(other - reference).max() > 100 * TRAINING_TOLERANCE * np.abs(reference).max()


def test_each_path_trains_bit_identically_twice(planted_corpus, active_path):
    for path in AVAILABLE:
        active_path(path)
        assert np.array_equal(train(planted_corpus, "sg-ns"), train(planted_corpus, "sg-ns")), path


def run_python(code, simd):
    environment = {key: value for key, value in os.environ.items() if key != "W2VFAST_SIMD"}
    if simd is not None:
        environment["W2VFAST_SIMD"] = simd
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=300)


def test_environment_variable_forces_the_scalar_path():
    result = run_python(
        "import w2vfast\n"
        "model = w2vfast.Word2Vec([['a', 'b', 'c']] * 50, vector_size=8, min_count=1, workers=1, progress=False)\n"
        "info = w2vfast.simd_info()\n"
        "print(info['path'], info['forced'], model.wv.vectors.shape[0])", "scalar")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["scalar", "scalar", "3"]


def test_without_the_environment_variable_the_fastest_path_is_chosen():
    result = run_python("import w2vfast; print(w2vfast.simd_info()['path'])", None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == AVAILABLE[-1]


def test_unknown_path_in_the_environment_fails_the_import_naming_the_choices():
    result = run_python("import w2vfast", "avx9000")
    assert result.returncode != 0
    assert "W2VFAST_SIMD" in result.stderr and "avx9000" in result.stderr
    assert all(path in result.stderr for path in COMPILED)


def test_path_this_cpu_cannot_run_fails_the_import():
    unavailable = [path for path in COMPILED if path not in AVAILABLE]
    if not unavailable:
        pytest.skip("this CPU runs every path of the build")
    result = run_python("import w2vfast", unavailable[0])
    assert result.returncode != 0 and "lacks" in result.stderr


def disassembly():
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("the disassembly check reads x86-64 ELF")
    if shutil.which("objdump") is None:
        pytest.skip("objdump is not installed")
    # A wheel's module is stripped: only exported symbols name code, and objdump would file the unexported code that
    # follows one under its name. Each symbol's size bounds what belongs to it.
    symbols = subprocess.run(["nm", "-D", "-C", "-S", "--defined-only", _core.__file__], capture_output=True,
                             text=True, check=True).stdout
    extents = []
    for line in symbols.splitlines():
        fields = line.split(" ", 3)
        if len(fields) == 4 and fields[2] in "TtWw":
            start = int(fields[0], 16)
            extents.append((start, start + int(fields[1], 16), fields[3]))
    extents.sort()
    starts = [start for start, _, _ in extents]
    listing = subprocess.run(["objdump", "-d", "--no-show-raw-insn", _core.__file__], capture_output=True, text=True,
                             check=True).stdout
    functions = {name: [] for _, _, name in extents}
    for line in listing.splitlines():
        instruction = re.match(r"^\s*([0-9a-f]+):\t(.*)$", line)
        if not instruction:
            continue
        address = int(instruction.group(1), 16)
        index = bisect.bisect_right(starts, address) - 1
        if index >= 0 and address < extents[index][1]:
            functions[extents[index][2]].append(instruction.group(2).strip())
    return functions


def uses_avx(instruction):
    # VEX/EVEX-encoded instructions are the ones whose mnemonic starts with v; ymm/zmm/mask registers are AVX only.
    return instruction.startswith("v") or re.search(r"%[yz]mm|%k[0-7]", instruction) is not None


def test_avx_instructions_appear_only_in_the_avx_paths_functions():
    """The ODR trap: an AVX copy of a shared inline function (std::, Rng, NoiseSampler) used by baseline code would
    crash older CPUs. Only functions of the namespaces w2v::avx2 and w2v::avx512 may hold AVX instructions."""
    functions = disassembly()
    isa_function = re.compile(r"(^|[\s(<,*&])w2v::(avx2|avx512)::")
    with_avx = {name for name, code in functions.items() if any(uses_avx(instruction) for instruction in code)}
    outside = sorted(name for name in with_avx if not isa_function.search(name))
    assert not outside, outside[:10]
    assert any("w2v::avx512::" in name for name in with_avx) and any("w2v::avx2::" in name for name in with_avx)


def test_scalar_path_is_not_vectorised():
    functions = disassembly()
    packed = re.compile(r"^(add|sub|mul|div)ps\b")
    scalar = {name: code for name, code in functions.items() if "w2v::scalar::" in name}
    assert scalar
    vectorised = sorted(name for name, code in scalar.items() if any(packed.match(op) for op in code))
    assert not vectorised, vectorised[:5]
