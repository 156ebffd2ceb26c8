#include "hot_rows.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace w2v {

void fold_row(PrivateRows& rows, int32_t word, size_t dim) {
  const size_t offset = static_cast<size_t>(word) * dim;
  float* shared = rows.shared + offset;
  float* view = rows.view + offset;
  float* base = rows.base + offset;
  for (size_t d = 0; d < dim; ++d) shared[d] += view[d] - base[d];
  for (size_t d = 0; d < dim; ++d) view[d] = base[d] = shared[d];
  rows.updates[word] = 0;
  ++rows.folds;
}

uint32_t HotRowCopies::fold_count(unsigned workers) {
  if (workers <= 1) return 16;
  return std::clamp<uint32_t>(kMaxMissedUpdates / (workers - 1), 1, 16);
}

HotRowCopies::HotRowCopies(float* input_vectors, float* output_vectors, size_t vocab_size, size_t dim,
                           unsigned workers)
    : dim_(dim) {
  const size_t words = std::min(vocab_size, kBytesPerMatrix / (dim * sizeof(float)));
  storage_.resize(4 * words * dim);
  updates_.assign(2 * words, 0);
  float* next = storage_.data();
  uint16_t* next_updates = updates_.data();
  for (auto [rows, shared] : {std::pair{&rows_.input, input_vectors}, std::pair{&rows_.output, output_vectors}}) {
    rows->words = static_cast<int32_t>(words);
    rows->fold_after = fold_count(workers);
    rows->shared = shared;
    rows->view = next;
    rows->base = next + words * dim;
    rows->updates = next_updates;
    std::copy(shared, shared + words * dim, rows->view);
    std::copy(shared, shared + words * dim, rows->base);
    next += 2 * words * dim;
    next_updates += words;
  }
}

void HotRowCopies::fold_all() {
  for (PrivateRows* rows : {&rows_.input, &rows_.output})
    for (int32_t word = 0; word < rows->words; ++word)
      if (rows->updates[word]) fold_row(*rows, word, dim_);
}

}  // namespace w2v
