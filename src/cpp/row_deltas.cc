#include "row_deltas.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace w2v {

std::vector<int32_t> changed_rows(const float* current, size_t current_stride, const float* initial, size_t rows,
                                  size_t dim) {
  std::vector<int32_t> changed;
  for (size_t row = 0; row < rows; ++row) {
    const float* now = current + row * current_stride;
    const float* before = initial + row * dim;
    // The difference, not now != before: an infinity that stays infinite changes by NaN, as in NumPy's test.
    bool differs = false;
    for (size_t d = 0; d < dim && !differs; ++d) differs = now[d] - before[d] != 0.0f;
    if (differs) changed.push_back(static_cast<int32_t>(row));
  }
  return changed;
}

void gather_row_deltas(const float* current, size_t current_stride, const float* initial, size_t dim,
                       const int32_t* changed, size_t count, float* deltas) {
  for (size_t i = 0; i < count; ++i) {
    const size_t row = static_cast<size_t>(changed[i]);
    const float* now = current + row * current_stride;
    const float* before = initial + row * dim;
    float* delta = deltas + i * dim;
    for (size_t d = 0; d < dim; ++d) delta[d] = now[d] - before[d];
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
