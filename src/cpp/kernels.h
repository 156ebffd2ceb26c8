// The data of one training step on raw float rows and the sigmoid. The steps themselves (the two output layers,
// negative sampling and hierarchical softmax, and the skip-gram and CBOW steps built from them) are in
// kernels_inl.h, compiled once per SIMD path (simd.h) and reached through that path's SimdKernels.
#pragma once

#include <cstddef>
#include <cstdint>

#include "hot_rows.h"

namespace w2v {

// sigmoid(x) by table lookup. The table samples [-kSigmoidRange, kSigmoidRange] at kSigmoidTableSize + 1 points and
// each lookup rounds to the nearest point, so the error inside the range is at most half a step times the maximum
// slope (1/4): 8 / 4096 * 0.25 = 4.9e-4. Outside the range it returns 0 or 1; the true value differs by at most
// sigmoid(-8) = 3.4e-4. (word2vec.c's table has 1000 entries over [-6, 6] and truncates: error up to 3.0e-3.)
constexpr float kSigmoidRange = 8.0f;
constexpr int kSigmoidTableSize = 4096;

struct SigmoidTable {
  float value[kSigmoidTableSize + 1];
  SigmoidTable();
};
extern const SigmoidTable kSigmoidTable;

inline float fast_sigmoid(float x) {
  constexpr float kScale = kSigmoidTableSize / (2.0f * kSigmoidRange);
  // Written so that NaN (from weights that diverged) takes this branch: casting NaN to an index would read anywhere.
  if (!(x > -kSigmoidRange)) return 0.0f;
  if (x >= kSigmoidRange) return 1.0f;
  return kSigmoidTable.value[static_cast<int>((x + kSigmoidRange) * kScale + 0.5f)];
}

class HuffmanTree;
class NoiseSampler;
class Rng;

// Everything a training step touches, bundled so the call sites stay readable. A step uses the output layers the
// model has: negative sampling when `negative` > 0, hierarchical softmax when `huffman` is set; with both, the input
// side receives the sum of the two gradients (word2vec.c's shared neu1e).
struct ModelRows {
  float* input_vectors;       // syn0, vocab x dim: the word vectors users get
  float* output_vectors;      // syn1neg, vocab x dim; unused when negative == 0
  float* hs_vectors;          // syn1, vocab x dim, row p for inner node p of the Huffman tree; unused without hs
  size_t dim;
  int negative;
  const NoiseSampler* noise;
  const HuffmanTree* huffman;  // nullptr: no hierarchical softmax
  HotRows* hot = nullptr;      // a worker's private rows of the most frequent words; nullptr: every row is shared
};

// Caller-owned scratch of a worker: `gradient` and `hidden` hold dim floats each, `targets` 2 x (negative + 1) ids
// (negative + 1 are enough outside shared negatives).
struct StepScratch {
  float* gradient;
  float* hidden;
  int32_t* targets;
};

}  // namespace w2v
