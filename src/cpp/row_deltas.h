// The rows of a matrix that Spark partitions changed in a round (w2vfast.spark): found by comparing a partition's
// weights after training with the round's, and summed two at a time, by the tasks that train several partitions and
// by the driver's aggregation of the tasks' sums.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace w2v {

// One partition's (or a partial sum's) changes to a matrix of `dim` columns: its changed rows, ascending and
// distinct, each row's summed delta, and how many partitions changed the row.
struct RowDeltas {
  const int32_t* rows;
  const float* deltas;     // count x dim, row-major
  const int32_t* touches;  // count
  size_t count;
};

// The rows of `current` that differ from `initial` (both `rows` x `dim`, row-major, current's rows `current_stride`
// floats apart: a padded output layer), ascending: those where some element's difference current - initial is
// nonzero, as NumPy's np.any(current - initial != 0, axis=1) finds them.
std::vector<int32_t> changed_rows(const float* current, size_t current_stride, const float* initial, size_t rows,
                                  size_t dim);

// The deltas current - initial of the `count` rows in `changed`, into `deltas` (count x dim).
//
// With changed_rows, one read of both matrices and one write of the deltas, where NumPy's subtraction, comparison and
// gather allocate and walk a temporary matrix of the layer's size and a boolean one: 2.4-5.7 ms against 4.0-8.7 ms a
// layer of 44,057 x 100 with two rows in three changed (an ad-hoc script, twenty calls in one process after the
// first, memory reused; the Zen 5 AMD EPYC, 2026-12-03), and no temporary memory beyond the result.
void gather_row_deltas(const float* current, size_t current_stride, const float* initial, size_t dim,
                       const int32_t* changed, size_t count, float* deltas);

// Throws std::invalid_argument, naming `name`, unless rows[0, count) ascend strictly: the sum walks both sides in
// order.
void check_ascending(const int32_t* rows, size_t count, const char* name);

// The number of rows in `a` or `b` or both.
size_t union_count(const RowDeltas& a, const RowDeltas& b);

// a + b, into arrays of union_count(a, b) rows: the rows of either in ascending order, the deltas of a row both
// changed added (a's plus b's, in float32) and the others copied, and the touches added.
//
// One pass over both sides and the result, where NumPy's scatter of each side into the union (a fancy-indexed +=)
// reads and writes the result three times a side: 10 ms a sum of two sg-hs partitions' changes of 29,039 x 100.
void sum_row_deltas(const RowDeltas& a, const RowDeltas& b, size_t dim, int32_t* rows, float* deltas,
                    int32_t* touches);

}  // namespace w2v
