// The rows of a matrix that the model copies of a Spark fit changed in a round (w2vfast.spark): found by comparing a
// copy's weights after training with the round's and folded into the sum of the task that trains it, then summed two at a
// time by the driver's aggregation of the tasks' sums.
#pragma once

#include <cstddef>
#include <cstdint>

namespace w2v {

// One model copy's (or a partial sum's) changes to a matrix of `dim` columns: its changed rows, ascending and
// distinct, each row's summed delta, and how many copies changed the row.
struct RowDeltas {
  const int32_t* rows;
  const float* deltas;     // count x dim, row-major
  const int32_t* touches;  // count
  size_t count;
};

// One model copy's changes of a round folded into the running sum of the task that trains it, and its weights set
// back to the round's for the task's next copy. `current` (`rows` x `dim`, rows `current_stride` floats apart:
// a padded output layer) was trained from `initial` (`rows` x `dim`, row-major). A row changed where it differs from
// `initial` in some bit and some element's difference current - initial is nonzero (a zero that changes sign does
// not change; the driver's weights are finite): it adds its difference to its row of `sums` (`rows` x `dim`,
// row-major, float32) and one to `touches`, as NumPy's np.any(current - initial != 0, axis=1) would find it. Every
// row of `current` that differs from `initial` in any bit is then copied back from it.
//
// One read of both matrices and a write of the rows that changed, where finding each copy's changed rows and
// deltas, summing them with the task's others (sum_row_deltas) and copying the round's weights back in whole walked
// the model three times a copy: a task of a fit of 16 copies on two cores spends 0.04-0.06 s a round on its eight
// copies' changes against 0.11-0.20 s (sg-hs, 29,039 x 100; docs/spark.md).
void fold_row_changes(float* current, size_t current_stride, const float* initial, size_t rows, size_t dim,
                      float* sums, int32_t* touches);

// Throws std::invalid_argument, naming `name`, unless rows[0, count) ascend strictly: the sum walks both sides in
// order.
void check_ascending(const int32_t* rows, size_t count, const char* name);

// The number of rows in `a` or `b` or both.
size_t union_count(const RowDeltas& a, const RowDeltas& b);

// a + b, into arrays of union_count(a, b) rows: the rows of either in ascending order, the deltas of a row both
// changed added (a's plus b's, in float32) and the others copied, and the touches added.
//
// One pass over both sides and the result, where NumPy's scatter of each side into the union (a fancy-indexed +=)
// reads and writes the result three times a side: 10 ms a sum of two sg-hs copies' changes of 29,039 x 100.
void sum_row_deltas(const RowDeltas& a, const RowDeltas& b, size_t dim, int32_t* rows, float* deltas,
                    int32_t* touches);

}  // namespace w2v
