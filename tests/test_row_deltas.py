"""The engine's fold of a matrix's changed rows into a running sum (``_core.fold_row_changes``) and sum of two sets
of changed rows (``_core.sum_row_deltas``), which w2vfast.spark's tasks and driver use to form and add the partitions'
changes of a round: the rows that differ, with their deltas as NumPy finds them, added and counted, and the matrix set
back; the union of the rows in order, each row's deltas added, its partitions counted."""

import numpy as np
import pytest

from w2vfast import _core


def changes(rows, dim=3, seed=0, touches=1):
    rows = np.asarray(rows, dtype=np.int32)
    deltas = np.random.default_rng(seed).normal(size=(len(rows), dim)).astype(np.float32)
    return rows, deltas, np.full(len(rows), touches, dtype=np.int32)


def changed_as_numpy_finds_them(current, initial):
    delta = current - initial
    rows = np.flatnonzero(np.any(delta != 0, axis=1)).astype(np.int32)
    return rows, delta[rows]


def folded(current, initial, sums=None, touches=None):
    """``current`` folded into ``sums`` and ``touches`` (zeros unless given), which it returns."""
    sums = np.zeros(initial.shape, np.float32) if sums is None else sums
    touches = np.zeros(len(initial), np.int32) if touches is None else touches
    _core.fold_row_changes(current, initial, sums, touches)
    return sums, touches


def test_the_changed_rows_add_numpys_deltas_to_the_bit_and_are_set_back():
    rng = np.random.default_rng(5)
    initial = rng.normal(size=(300, 17)).astype(np.float32)
    current = initial.copy()
    current[rng.choice(300, size=120, replace=False)] += rng.normal(size=(120, 17)).astype(np.float32)
    current[7, 16] += 1.0       # a row changed in its last element only
    current[9, 3] = np.nextafter(current[9, 3], np.float32(np.inf))  # the smallest change
    current[10, :] = 0.0        # a row set to zeros
    expected_rows, expected_deltas = changed_as_numpy_finds_them(current, initial)
    sums, touches = folded(current, initial)
    assert {7, 9, 10} <= set(expected_rows.tolist()) and len(expected_rows) < 300
    np.testing.assert_array_equal(np.flatnonzero(touches), expected_rows)
    assert set(touches.tolist()) == {0, 1}
    assert sums[expected_rows].tobytes() == expected_deltas.tobytes()
    assert not sums[touches == 0].any()
    assert current.tobytes() == initial.tobytes()   # ready for the task's next partition


def test_each_partition_folded_adds_its_deltas_and_counts_once():
    rng = np.random.default_rng(7)
    initial = rng.normal(size=(40, 6)).astype(np.float32)
    first, second = initial.copy(), initial.copy()
    first[[1, 5, 9]] += 1.5
    second[[5, 9, 30]] -= 0.25
    deltas = [changed_as_numpy_finds_them(side, initial) for side in (first, second)]
    sums, touches = folded(first, initial)
    folded(second, initial, sums, touches)
    np.testing.assert_array_equal(np.flatnonzero(touches), [1, 5, 9, 30])
    np.testing.assert_array_equal(touches[[1, 5, 9, 30]], [1, 2, 2, 1])
    expected = np.zeros_like(sums)
    for rows, delta in deltas:
        expected[rows] += delta
    assert sums.tobytes() == expected.tobytes()


def test_a_zero_that_changes_sign_is_set_back_but_not_counted_and_a_row_of_the_same_bits_did_not_change():
    initial = np.array([[0.0, 1.0], [np.inf, 1.0], [np.nan, 1.0], [2.0, 3.0], [np.nan, 1.0]], dtype=np.float32)
    current = np.array([[-0.0, 1.0], [np.inf, 1.0], [np.nan, 1.0], [2.0, 3.0], [4.0, 1.0]], dtype=np.float32)
    _, touches = folded(current, initial)
    # -0.0 - 0.0 is zero; an infinity or NaN that kept its bits did not change (NumPy's difference of NaN would count
    # them; the driver's weights are finite); a NaN that became a number did.
    np.testing.assert_array_equal(np.flatnonzero(touches), [4])
    assert current.tobytes() == initial.tobytes()  # the zero's sign set back too


def test_a_padded_output_layer_is_read_and_set_back_where_it_is():
    # A model's syn1neg and syn1 are the first columns of rows padded to cache lines (w2vfast/_arrays.py): the
    # padding, NaN here, is never compared or written, and the rows are found as in a contiguous copy.
    rng = np.random.default_rng(6)
    initial = rng.normal(size=(50, 100)).astype(np.float32)
    padded = np.full((50, 112), np.nan, dtype=np.float32)
    current = padded[:, :100]
    current[:] = initial
    current[[3, 17, 40], 5] += 1.0
    expected_rows, expected_deltas = changed_as_numpy_finds_them(np.ascontiguousarray(current), initial)
    sums, touches = folded(current, initial)
    np.testing.assert_array_equal(np.flatnonzero(touches), [3, 17, 40])
    np.testing.assert_array_equal(np.flatnonzero(touches), expected_rows)
    assert sums[expected_rows].tobytes() == expected_deltas.tobytes()
    assert np.ascontiguousarray(current).tobytes() == initial.tobytes()
    assert np.isnan(padded[:, 100:]).all()


@pytest.mark.parametrize("current, initial", [
    (np.zeros((3, 4), np.float32), np.zeros((3, 5), np.float32)),
    (np.zeros((3, 4), np.float32), np.zeros((2, 4), np.float32)),
    (np.zeros((3, 4)), np.zeros((3, 4), np.float32)),       # float64: a converted copy would be set back, not it
    (np.zeros((4, 3), np.float32).T, np.zeros((3, 4), np.float32)),  # rows not contiguous
])
def test_a_layer_of_another_shape_or_layout_is_refused(current, initial):
    with pytest.raises(ValueError, match="current must be a writeable float32 array of shape"):
        folded(current, initial)


def test_sums_and_touches_must_be_the_callers_own_arrays_of_the_layers_shape():
    initial = np.zeros((3, 4), np.float32)
    with pytest.raises(ValueError, match="sums must be a writeable C-contiguous float32 array of shape"):
        folded(initial.copy(), initial, sums=np.zeros((3, 4)))
    with pytest.raises(ValueError, match="touches must be a writeable C-contiguous int32 array of shape"):
        folded(initial.copy(), initial, touches=np.zeros(2, np.int32))
    with pytest.raises(ValueError, match="initial must be a 2-d float32 array"):
        folded(initial.copy(), np.zeros(4, np.float32))


def test_an_empty_layer_folds_nothing():
    sums, touches = folded(np.zeros((0, 100), np.float32), np.zeros((0, 100), np.float32))
    assert sums.shape == (0, 100) and touches.shape == (0,)


def scattered_into_the_union(first, second):
    """The sum as NumPy writes it: both sides scattered into a table of the union of their rows."""
    rows = np.union1d(first[0], second[0]).astype(np.int32)
    deltas = np.zeros((len(rows), first[1].shape[1]), dtype=np.float32)
    touches = np.zeros(len(rows), dtype=np.int32)
    for side_rows, side_deltas, side_touches in (first, second):
        position = np.searchsorted(rows, side_rows)
        deltas[position] += side_deltas
        touches[position] += side_touches
    return rows, deltas, touches


@pytest.mark.parametrize("first_rows, second_rows", [
    ([1, 4, 7], [0, 4, 9]),        # overlapping
    ([2, 3], [2, 3]),              # the same rows
    ([0, 1, 2], [5, 6]),           # disjoint
    ([], [5, 8]),                  # one side empty
    ([], []),                      # both empty
    (range(0, 2000, 2), range(0, 3000, 3)),
])
def test_the_sum_is_the_union_of_the_rows_with_their_deltas_added_to_the_bit(first_rows, second_rows):
    first, second = changes(first_rows, seed=1, touches=2), changes(second_rows, seed=2, touches=3)
    rows, deltas, touches = _core.sum_row_deltas(*first, *second)
    expected = scattered_into_the_union(first, second)
    assert rows.dtype == np.int32 and deltas.dtype == np.float32 and touches.dtype == np.int32
    np.testing.assert_array_equal(rows, expected[0])
    assert deltas.tobytes() == expected[1].tobytes()
    np.testing.assert_array_equal(touches, expected[2])


def test_the_sides_are_added_in_either_order_alike():
    first, second = changes(range(0, 500, 2), dim=100, seed=3), changes(range(0, 500, 5), dim=100, seed=4)
    one_way, other_way = _core.sum_row_deltas(*first, *second), _core.sum_row_deltas(*second, *first)
    for a, b in zip(one_way, other_way):
        assert a.tobytes() == b.tobytes()


def test_rows_out_of_order_or_repeated_are_refused():
    good = changes([1, 2, 3])
    for bad_rows in ([3, 2, 1], [1, 1, 2]):
        bad = changes(bad_rows)
        with pytest.raises(ValueError, match="first rows must be ascending and distinct"):
            _core.sum_row_deltas(*bad, *good)
        with pytest.raises(ValueError, match="second rows must be ascending and distinct"):
            _core.sum_row_deltas(*good, *bad)


def test_sides_of_other_shapes_are_refused():
    rows, deltas, touches = changes([1, 2, 3])
    with pytest.raises(ValueError, match="one entry per row"):
        _core.sum_row_deltas(rows, deltas[:2], touches, rows, deltas, touches)
    with pytest.raises(ValueError, match="one entry per row"):
        _core.sum_row_deltas(rows, deltas, touches[:1], rows, deltas, touches)
    with pytest.raises(ValueError, match="same columns"):
        _core.sum_row_deltas(rows, deltas, touches, rows, deltas[:, :2], touches)
