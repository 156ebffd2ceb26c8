"""The random parts of training: noise distribution, subsampling, and the schedule and sigmoid they feed."""

import numpy as np
import pytest

from conftest import engine_vocabulary
from w2vfast import _core

ZIPF_COUNTS = np.array([int(100000 / rank) for rank in range(1, 51)], dtype=np.uint64)


def unigram_power(counts, exponent):
    weights = counts.astype(np.float64) ** exponent
    return weights / weights.sum()


@pytest.mark.parametrize("exponent", [0.75, 1.0, 0.0, -0.5])
def test_noise_sampler_probabilities_are_unigram_to_the_exponent(exponent):
    probabilities = engine_vocabulary(ZIPF_COUNTS, ns_exponent=exponent).noise_probabilities()
    np.testing.assert_allclose(probabilities, unigram_power(ZIPF_COUNTS, exponent), rtol=1e-6, atol=1e-12)


def test_noise_sampler_draws_match_unigram_to_the_075():
    draws = 2_000_000
    expected = unigram_power(ZIPF_COUNTS, 0.75) * draws
    observed = np.bincount(engine_vocabulary(ZIPF_COUNTS).draw_noise(draws, seed=7), minlength=len(ZIPF_COUNTS))
    chi_square = float(((observed - expected) ** 2 / expected).sum())
    # 49 degrees of freedom: P(chi2 > 120) < 1e-7 for a correct sampler. Drawing from unigram^1 instead gives ~1e5.
    assert chi_square < 120
    total_variation = 0.5 * np.abs(observed / draws - expected / draws).sum()
    assert total_variation < 0.003


def test_noise_sampler_never_draws_a_word_of_zero_count():
    counts = np.array([10, 0, 5, 0, 1], dtype=np.uint64)
    draws = engine_vocabulary(counts).draw_noise(200_000, seed=3)
    assert set(np.unique(draws).tolist()) == {0, 2, 4}


def word2vec_keep_probability(count, total, sample):
    frequency = count / total
    return min(1.0, (np.sqrt(frequency / sample) + 1) * sample / frequency)


def test_keep_thresholds_follow_word2vec_formula():
    sample = 1e-3
    counts = np.array([int(100000 / rank) for rank in range(1, 5001)], dtype=np.uint64)
    total = float(counts.sum())
    thresholds = engine_vocabulary(counts, sample=sample).keep_thresholds().astype(np.float64)
    expected = [word2vec_keep_probability(float(c), total, sample) for c in counts]
    np.testing.assert_allclose(thresholds / 2**32, expected, atol=1e-9)
    assert expected[0] < 0.2 and expected[-1] == 1.0  # the test covers both sides of the cap


def test_subsampling_keeps_each_word_at_its_rate():
    counts = np.array([900000, 90000, 9000, 1000], dtype=np.uint64)
    sample = 1e-3
    vocabulary = engine_vocabulary(counts, sample=sample)
    repeats = 200_000
    ids = np.repeat(np.arange(len(counts), dtype=np.int32), repeats)
    kept = np.bincount(vocabulary.subsample(ids, seed=11), minlength=len(counts))
    for word, count in enumerate(counts):
        rate = word2vec_keep_probability(float(count), float(counts.sum()), sample)
        tolerance = 5 * np.sqrt(rate * (1 - rate) / repeats) + 1e-9  # five standard deviations
        assert abs(kept[word] / repeats - rate) <= tolerance, (word, kept[word] / repeats, rate)


def test_sample_zero_keeps_every_word():
    vocabulary = engine_vocabulary(ZIPF_COUNTS, sample=0.0)
    ids = np.arange(len(ZIPF_COUNTS), dtype=np.int32)
    assert vocabulary.keep_thresholds() is None
    assert np.array_equal(vocabulary.subsample(ids, seed=1), ids)


def test_learning_rate_decays_linearly_from_alpha_to_min_alpha():
    for progress in np.linspace(0, 1, 11):
        assert _core.learning_rate(0.025, 0.0001, progress) == pytest.approx(0.025 - (0.025 - 0.0001) * progress)
    assert _core.learning_rate(0.025, 0.0001, 1.7) == pytest.approx(0.0001)  # clamped past the end
    assert _core.learning_rate(0.025, 0.0001, -0.2) == pytest.approx(0.025)


def test_sigmoid_table_error_is_below_its_documented_bound():
    x = np.linspace(-_core.SIGMOID_RANGE, _core.SIGMOID_RANGE, 100_001)
    exact = 1 / (1 + np.exp(-x))
    assert np.max(np.abs(_core.sigmoid(x.astype(np.float32)) - exact)) <= 5e-4


def test_sigmoid_saturates_outside_its_table():
    assert _core.sigmoid(np.float32(50.0)) == pytest.approx(1.0, abs=5e-4)
    assert _core.sigmoid(np.float32(-50.0)) == pytest.approx(0.0, abs=5e-4)


def test_sigmoid_of_nan_is_a_table_value_not_a_wild_read():
    # Diverged weights give NaN scores; the lookup must stay inside its table (it used to index with NaN).
    assert _core.sigmoid(np.float32(np.nan)) == 0.0
