"""The selection step of queries (the engine's top_k): the k largest scores of each row in the order a stable sort
gives them, whatever the row's length, its ties and its NaN, on one thread or several."""

import numpy as np
import pytest

from w2vfast import _core


def expected_top(scores, k):
    """Largest first, equal scores by lower column (a stable sort of the negated scores); NaN after every number."""
    keyed = np.where(np.isnan(scores), np.inf, -scores)
    return np.argsort(keyed, axis=1, kind="stable")[:, :k]


@pytest.mark.parametrize("workers", [1, 2, 5])
@pytest.mark.parametrize("cols", [1, 7, 64, 1000, 44057])
def test_top_k_equals_a_stable_sort(cols, workers):
    rng = np.random.default_rng(cols)
    scores = rng.standard_normal((13, cols)).astype(np.float32)
    for k in sorted({1, min(10, cols), cols}):
        assert np.array_equal(_core.top_k(scores, k, workers), expected_top(scores, k)), k


def test_top_k_ranks_ties_by_column_and_nan_last():
    scores = np.array([[1, 5, 3, 5, np.nan, -np.inf, 2, 5, np.nan]], dtype=np.float32)
    assert _core.top_k(scores, 9, 1).tolist() == [[1, 3, 7, 2, 6, 0, 5, 4, 8]]


def test_top_k_finds_values_that_rise_along_the_row():
    # The worst case of a running threshold: every value beats the k best so far.
    scores = np.tile(np.arange(5000, dtype=np.float32), (3, 1))
    assert np.array_equal(_core.top_k(scores, 10, 2), np.tile(np.arange(4999, 4989, -1), (3, 1)))


def test_top_k_refuses_more_columns_than_the_row_has():
    with pytest.raises(ValueError, match="at most the number of columns"):
        _core.top_k(np.zeros((2, 3), dtype=np.float32), 4, 1)
