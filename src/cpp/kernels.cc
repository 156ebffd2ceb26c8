#include "kernels.h"

#include <array>
#include <cmath>
#include <cstring>

#include "sampler.h"

namespace w2v {
namespace {

struct SigmoidTable {
  std::array<float, kSigmoidTableSize + 1> value;
  SigmoidTable() {
    for (int i = 0; i <= kSigmoidTableSize; ++i) {
      const double x = (2.0 * i / kSigmoidTableSize - 1.0) * kSigmoidRange;
      value[i] = static_cast<float>(1.0 / (1.0 + std::exp(-x)));
    }
  }
};
const SigmoidTable kSigmoid;

constexpr float kSigmoidScale = kSigmoidTableSize / (2.0f * kSigmoidRange);

// -log(sigmoid(x)) computed stably, for the loss only.
double log_loss(float x) { return x > 0 ? std::log1p(std::exp(-static_cast<double>(x)))
                                        : -static_cast<double>(x) + std::log1p(std::exp(static_cast<double>(x))); }

inline float sigmoid_lookup(float x) {
  // Written so that NaN (from weights that diverged) takes this branch: casting NaN to an index would read anywhere.
  if (!(x > -kSigmoidRange)) return 0.0f;
  if (x >= kSigmoidRange) return 1.0f;
  return kSigmoid.value[static_cast<int>((x + kSigmoidRange) * kSigmoidScale + 0.5f)];
}

inline void prefetch(const void* address) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(address);
#else
  (void)address;
#endif
}

}  // namespace

float fast_sigmoid(float x) { return sigmoid_lookup(x); }

template <bool kComputeLoss>
double sgns_step(const SgnsRows& rows, int32_t context, int32_t centre, float alpha, const SgnsScratch& scratch,
                 Rng& rng) {
  const size_t dim = rows.dim;
  const size_t row_bytes = dim * sizeof(float);
  // Draw the targets first and prefetch their output rows: the rows of random noise words are mostly not in cache,
  // and asking for all of them at once overlaps the misses instead of paying them one after another.
  int32_t* targets = scratch.targets;
  int count = 0;
  targets[count++] = centre;
  for (int d = 0; d < rows.negative; ++d) {
    const int32_t noise_word = rows.noise->draw(rng);
    if (noise_word != centre) targets[count++] = noise_word;  // as word2vec.c: a draw of the true word is skipped
  }
  for (int t = 0; t < count; ++t) {
    const char* row = reinterpret_cast<const char*>(rows.output_vectors + static_cast<size_t>(targets[t]) * dim);
    for (size_t offset = 0; offset < row_bytes; offset += 64) prefetch(row + offset);
  }

  float* input = rows.input_vectors + static_cast<size_t>(context) * dim;
  float* gradient = scratch.gradient;
  std::memset(gradient, 0, row_bytes);
  double loss = 0.0;
  for (int t = 0; t < count; ++t) {
    const float label = t == 0 ? 1.0f : 0.0f;
    float* output = rows.output_vectors + static_cast<size_t>(targets[t]) * dim;
    const float score = dot(input, output, dim);
    if (kComputeLoss) loss += log_loss(label > 0 ? score : -score);
    const float g = (label - sigmoid_lookup(score)) * alpha;
    axpy(g, output, gradient, dim);
    axpy(g, input, output, dim);
  }
  axpy(1.0f, gradient, input, dim);
  return loss;
}

template double sgns_step<false>(const SgnsRows&, int32_t, int32_t, float, const SgnsScratch&, Rng&);
template double sgns_step<true>(const SgnsRows&, int32_t, int32_t, float, const SgnsScratch&, Rng&);

}  // namespace w2v
