#include "hot_rows.h"

#include <algorithm>
#include <initializer_list>
#include <tuple>

namespace w2v {

void fold_row(PrivateRows& rows, size_t index, size_t dim) {
  float* shared = rows.shared + (static_cast<size_t>(rows.first) + index) * rows.shared_stride;
  float* view = rows.view + index * dim;
  float* base = rows.base + index * dim;
  for (size_t d = 0; d < dim; ++d) shared[d] += view[d] - base[d];
  for (size_t d = 0; d < dim; ++d) view[d] = base[d] = shared[d];
  rows.updates[index] = 0;
  ++rows.folds;
}

uint32_t HotRowCopies::fold_count(unsigned workers) {
  return std::max<uint32_t>(1, kMaxMissedUpdates / std::max(1u, workers - 1));
}

HotRowCopies::HotRowCopies(float* input_vectors, float* output_vectors, size_t output_stride, float* hs_vectors,
                           size_t hs_stride, size_t vocab_size, size_t dim, unsigned workers)
    : dim_(dim) {
  const size_t budget = kBytesPerMatrix / (dim * sizeof(float));
  const size_t words = std::min(vocab_size, budget);
  // Inner node p of the Huffman tree is row p of syn1, 0 <= p <= vocab_size - 2 (the root), numbered in merge order:
  // the heaviest, nearest the root, come last.
  const size_t inner_nodes = vocab_size > 1 ? vocab_size - 1 : 0;
  const size_t nodes = std::min(inner_nodes, budget);
  const std::tuple<PrivateRows*, float*, size_t, size_t, size_t> plan[] = {
      {&rows_.input, input_vectors, dim, 0, input_vectors ? words : 0},
      {&rows_.output, output_vectors, output_stride, 0, output_vectors ? words : 0},
      {&rows_.hs, hs_vectors, hs_stride, inner_nodes - nodes, hs_vectors ? nodes : 0},
  };
  size_t total = 0;
  for (const auto& [rows, shared, stride, first, count] : plan) total += count;
  storage_.assign_zeros(2 * total * dim);
  updates_.assign(total, 0);
  float* next = storage_.data();
  uint16_t* next_updates = updates_.data();
  for (const auto& [rows, shared, stride, first, count] : plan) {
    if (count == 0) continue;
    rows->first = static_cast<int32_t>(first);
    rows->count = static_cast<int32_t>(count);
    rows->fold_after = fold_count(workers);
    rows->shared = shared;
    rows->shared_stride = stride;
    rows->view = next;
    rows->base = next + count * dim;
    rows->updates = next_updates;
    for (size_t r = 0; r < count; ++r) {
      const float* source = shared + (first + r) * stride;
      std::copy(source, source + dim, rows->view + r * dim);
      std::copy(source, source + dim, rows->base + r * dim);
    }
    next += 2 * count * dim;
    next_updates += count;
  }
}

void HotRowCopies::fold_all() {
  for (PrivateRows* rows : {&rows_.input, &rows_.output, &rows_.hs})
    for (size_t index = 0; index < static_cast<size_t>(rows->count); ++index)
      if (rows->updates[index]) fold_row(*rows, index, dim_);
}

}  // namespace w2v
