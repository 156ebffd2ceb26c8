#include "row_deltas.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace w2v {

void fold_row_changes(float* current, size_t current_stride, const float* initial, size_t rows, size_t dim,
                      float* sums, int32_t* touches) {
  const size_t row_bytes = dim * sizeof(float);
  for (size_t row = 0; row < rows; ++row) {
    float* now = current + row * current_stride;
    const float* before = initial + row * dim;
    if (std::memcmp(now, before, row_bytes) == 0) continue;  // most rows: one copy's share touches few
    // The difference, as NumPy's test, not now != before: a NaN that became another NaN changes.
    bool differs = false;
    for (size_t d = 0; d < dim && !differs; ++d) differs = now[d] - before[d] != 0.0f;
    if (differs) {
      float* sum = sums + row * dim;
      for (size_t d = 0; d < dim; ++d) sum[d] += now[d] - before[d];
      ++touches[row];
    }
    std::memcpy(now, before, row_bytes);
  }
}

void check_ascending(const int32_t* rows, size_t count, const char* name) {
  for (size_t i = 1; i < count; ++i)
    if (rows[i] <= rows[i - 1])
      throw std::invalid_argument(std::string(name) + " must be ascending and distinct: row " +
                                  std::to_string(rows[i]) + " at position " + std::to_string(i) + " follows " +
                                  std::to_string(rows[i - 1]));
}

size_t union_count(const RowDeltas& a, const RowDeltas& b) {
  size_t i = 0, j = 0, count = 0;
  while (i < a.count && j < b.count) {
    const int32_t row_a = a.rows[i], row_b = b.rows[j];
    i += row_a <= row_b;
    j += row_b <= row_a;
    ++count;
  }
  return count + (a.count - i) + (b.count - j);
}

void sum_row_deltas(const RowDeltas& a, const RowDeltas& b, size_t dim, int32_t* rows, float* deltas,
                    int32_t* touches) {
  size_t i = 0, j = 0, out = 0;
  const auto copy = [&](const RowDeltas& side, size_t index) {
    rows[out] = side.rows[index];
    touches[out] = side.touches[index];
    std::copy(side.deltas + index * dim, side.deltas + (index + 1) * dim, deltas + out * dim);
    ++out;
  };
  while (i < a.count && j < b.count) {
    if (a.rows[i] < b.rows[j]) {
      copy(a, i++);
    } else if (b.rows[j] < a.rows[i]) {
      copy(b, j++);
    } else {
      rows[out] = a.rows[i];
      touches[out] = a.touches[i] + b.touches[j];
      const float* from_a = a.deltas + i * dim;
      const float* from_b = b.deltas + j * dim;
      float* sum = deltas + out * dim;
      for (size_t d = 0; d < dim; ++d) sum[d] = from_a[d] + from_b[d];
      ++i, ++j, ++out;
    }
  }
  while (i < a.count) copy(a, i++);
  while (j < b.count) copy(b, j++);
}

}  // namespace w2v
