"""The engine's sum of two sets of changed rows (``_core.sum_row_deltas``), which w2vfast.spark's tasks and driver use
to add the partitions' changes of a round: the union of the rows in order, each row's deltas added, its partitions
counted."""

import numpy as np
import pytest

from w2vfast import _core


def changes(rows, dim=3, seed=0, touches=1):
    rows = np.asarray(rows, dtype=np.int32)
    deltas = np.random.default_rng(seed).normal(size=(len(rows), dim)).astype(np.float32)
    return rows, deltas, np.full(len(rows), touches, dtype=np.int32)


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
