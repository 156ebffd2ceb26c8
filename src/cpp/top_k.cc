#include "top_k.h"

#include <algorithm>
#include <vector>

#include "parallel.h"
#include "simd/dispatch.h"

namespace w2v {
namespace {

// Whether a ranks before b in the order of top_k_rows: larger first, any number before NaN.
inline bool ranks_above(float a, float b) { return a > b || (b != b && a == a); }

// The k best of one row, kept sorted: the caller's buffers of k values and columns.
class RowSelection {
 public:
  RowSelection(size_t k, float* values, int64_t* columns) : k_(k), values_(values), columns_(columns) {}

  void offer(float value, int64_t column) {
    if (size_ == k_ && !ranks_above(value, values_[k_ - 1])) return;
    size_t position = size_ < k_ ? size_++ : k_ - 1;
    // Move worse entries down; an equal value stays behind the earlier (lower) column.
    while (position > 0 && ranks_above(value, values_[position - 1])) {
      values_[position] = values_[position - 1];
      columns_[position] = columns_[position - 1];
      --position;
    }
    values_[position] = value;
    columns_[position] = column;
  }

  bool full() const { return size_ == k_; }
  // The value a candidate must beat; only meaningful when full() and it is a number.
  float threshold() const { return values_[k_ - 1]; }

 private:
  size_t k_;
  float* values_;
  int64_t* columns_;
  size_t size_ = 0;
};

void select_row(const float* row, size_t cols, size_t k, float* values, int64_t* columns,
                size_t (*first_greater)(const float*, size_t, float)) {
  RowSelection selection(k, values, columns);
  size_t j = 0;
  for (; j < cols && !selection.full(); ++j) selection.offer(row[j], static_cast<int64_t>(j));
  while (j < cols) {
    const float threshold = selection.threshold();
    if (threshold == threshold) {  // a number: jump to the next value above it (NaN never is)
      j += first_greater(row + j, cols - j, threshold);
      if (j == cols) break;
    }
    selection.offer(row[j], static_cast<int64_t>(j));
    ++j;
  }
}

}  // namespace

void top_k_rows(const float* scores, size_t rows, size_t cols, size_t k, int64_t* out, unsigned workers) {
  if (k == 0 || rows == 0) return;
  workers = static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(std::max(1u, workers), rows)));
  const auto first_greater = active_simd_kernels().first_greater;
  auto select_part = [&](unsigned part) {
    std::vector<float> values(k);
    for (size_t r = rows * part / workers; r < rows * (part + 1) / workers; ++r)
      select_row(scores + r * cols, cols, k, values.data(), out + r * k, first_greater);
  };
  if (workers == 1) {
    select_part(0);  // a single query: no thread to start
    return;
  }
  run_parallel(workers, select_part);
}

}  // namespace w2v
