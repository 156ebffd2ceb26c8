// A worker's private rows of the most frequent words, folded into the shared matrices now and then.
//
// Hogwild threads write the rows of frequent words all the time: every window of skip-gram with negative sampling
// updates the output rows of five noise words, often the most frequent words (on gcide the 1,310 most frequent of
// 44,057 make 41% of noise draws), and the input rows of its context words, frequent words too. On many cores each
// such write takes the row's cache lines away from the cores that wrote it last, and the threads spend their time
// waiting for cache lines, not computing (16 threads updating in place trained 3.2 to 3.6 times as fast as one). So
// each worker trains private copies of those rows, and folds a row's change into the shared matrix after a few
// updates of its own:
// shared += view - base, then view = base = shared, which also brings in what the other workers folded meanwhile.
//
// Folding seldom is fast and wrong: a row's view then misses the other workers' recent updates, and with many
// workers each adding several steps computed from the same old row, the steps add up and training diverges
// (16 threads folding every 64 updates: NaN in the second epoch; every 16: analogy accuracy 0.03 instead of 0.17).
// What matters is how many of the other workers' updates a view can miss, about (workers - 1) x fold_after, so the
// fold count shrinks as workers grow (fold_count()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "cache_line_floats.h"

namespace w2v {

// One matrix's private rows: those of the ids in [first, first + count).
struct PrivateRows {
  int32_t first = 0;
  int32_t count = 0;
  uint32_t fold_after = 1;      // the worker's updates of a row after which the row is folded
  float* shared = nullptr;      // the model's matrix
  size_t shared_stride = 0;     // floats from one of its rows to the next
  float* view = nullptr;        // count x dim: the shared row at the last fold plus the worker's updates since
  float* base = nullptr;        // count x dim: the shared row at the last fold
  uint16_t* updates = nullptr;  // per row, the worker's updates since its last fold
  uint64_t folds = 0;           // rows folded so far: a statistic, which tests use to see the rows at work

  // The private copy of row `id`, or nullptr when the row is shared.
  float* row(int32_t id, size_t dim) const {
    const auto index = static_cast<uint32_t>(id - first);
    return index < static_cast<uint32_t>(count) ? view + index * dim : nullptr;
  }
};

// What the training steps see (ModelRows::hot): the private input (syn0) and output (syn1neg) rows of the most
// frequent words, and the private rows (syn1) of the inner nodes nearest the root of the Huffman tree, which every
// prediction of hierarchical softmax passes through.
struct HotRows {
  PrivateRows input;
  PrivateRows output;
  PrivateRows hs;
};

// shared += view - base for row `index` of the private rows (id first + index); then view = base = shared, and the
// row's update count restarts.
void fold_row(PrivateRows& rows, size_t index, size_t dim);

// Counts an update of row `id`; a private row that has had its fold_after updates is folded into the shared matrix.
inline void count_update(PrivateRows& rows, int32_t id, size_t dim) {
  const auto index = static_cast<uint32_t>(id - rows.first);
  if (index < static_cast<uint32_t>(rows.count) && ++rows.updates[index] >= rows.fold_after)
    fold_row(rows, index, dim);
}

// Owns a worker's HotRows for a pass: takes the shared rows at construction, folds every row with updates in
// fold_all(), which the worker calls at each progress report, every 10,000 words (so that no row's change waits
// long, however rarely the row is trained), and at the end of the pass.
class HotRowCopies {
 public:
  // Private rows of at most kBytesPerMatrix of each matrix (1,310 words at 100 dimensions, 436 at 300: on 16 cores
  // an eighth and eight times as many trained at the same speed).
  static constexpr size_t kBytesPerMatrix = 512 << 10;
  // The largest number of the other workers' updates a row's view should miss; see fold_count().
  static constexpr uint32_t kMaxMissedUpdates = 64;

  // Updates of a row between its folds with `workers` threads: kMaxMissedUpdates / (workers - 1), at least 1
  // (64 at two workers, 4 at sixteen). On 16 cores, 16 threads trained as well with 4 or 8 as without private rows
  // (analogy 0.165 to 0.171 against 0.166 to 0.170) and equally fast. Fewer workers fold less often, because folds
  // are not free where a row is trained at nearly every step: the upper Huffman nodes, at two workers folded every
  // 16 updates, took 18% of skip-gram's hierarchical-softmax time; every 64, it trained 1.22x as fast.
  static uint32_t fold_count(unsigned workers);

  // Private rows of the matrices given (null: none of that matrix): the input and output rows of the most frequent
  // words (ids from 0), and the hierarchical-softmax rows of the inner nodes merged last, those nearest the root
  // (the highest ids, up to vocab_size - 2, the root). The rows of output_vectors are output_stride floats apart,
  // those of hs_vectors hs_stride, the input vectors' dim.
  HotRowCopies(float* input_vectors, float* output_vectors, size_t output_stride, float* hs_vectors, size_t hs_stride,
               size_t vocab_size, size_t dim, unsigned workers);
  HotRowCopies(const HotRowCopies&) = delete;
  HotRowCopies& operator=(const HotRowCopies&) = delete;

  HotRows* rows() { return &rows_; }
  void fold_all();
  uint64_t folds() const { return rows_.input.folds + rows_.output.folds + rows_.hs.folds; }

 private:
  size_t dim_;
  HotRows rows_;
  CacheLineFloats storage_;       // view and base of each matrix's private rows
  std::vector<uint16_t> updates_;  // update counts of each matrix's private rows
};

}  // namespace w2v
