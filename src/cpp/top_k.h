// The k largest scores of each row of a matrix: the selection step of nearest-neighbour queries and of analogy
// evaluation, after a matrix product has scored every key.
#pragma once

#include <cstddef>
#include <cstdint>

namespace w2v {

// Writes to out[r * k .. r * k + k) the columns of the k largest values of row r of `scores` (rows x cols,
// row-major), largest first; of equal values the lower column comes first, and NaN ranks below every number
// (-inf included). Needs k <= cols. Rows are shared out among `workers` threads.
//
// One pass over each row with a running threshold, the k-th best so far: past the first few hundred columns almost
// no value beats it, so the scan is the SIMD path's search for the next value above the threshold
// (SimdKernels::first_greater), a register of values a comparison, where a partition (NumPy's argpartition) moves
// every value.
void top_k_rows(const float* scores, size_t rows, size_t cols, size_t k, int64_t* out, unsigned workers);

}  // namespace w2v
