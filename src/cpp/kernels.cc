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

}  // namespace

float fast_sigmoid(float x) {
  if (x <= -kSigmoidRange) return 0.0f;
  if (x >= kSigmoidRange) return 1.0f;
  return kSigmoid.value[static_cast<int>((x + kSigmoidRange) * kSigmoidScale + 0.5f)];
}

// The loops are written so compilers vectorise them at the target's native width; four independent accumulators
// break the add-latency chain that a single running sum would impose.
float dot(const float* a, const float* b, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

void axpy(float alpha, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

template <bool kComputeLoss>
double sgns_step(const SgnsRows& rows, int32_t context, int32_t centre, float alpha, float* gradient, Rng& rng) {
  const size_t dim = rows.dim;
  float* input = rows.input_vectors + static_cast<size_t>(context) * dim;
  std::memset(gradient, 0, dim * sizeof(float));
  double loss = 0.0;
  for (int d = 0; d <= rows.negative; ++d) {
    int32_t target;
    float label;
    if (d == 0) {
      target = centre;
      label = 1.0f;
    } else {
      target = rows.noise->draw(rng);
      if (target == centre) continue;  // as word2vec.c: a draw of the true word is skipped, not redrawn
      label = 0.0f;
    }
    float* output = rows.output_vectors + static_cast<size_t>(target) * dim;
    const float score = dot(input, output, dim);
    if (kComputeLoss) loss += log_loss(label > 0 ? score : -score);
    const float g = (label - fast_sigmoid(score)) * alpha;
    axpy(g, output, gradient, dim);
    axpy(g, input, output, dim);
  }
  axpy(1.0f, gradient, input, dim);
  return loss;
}

template double sgns_step<false>(const SgnsRows&, int32_t, int32_t, float, float*, Rng&);
template double sgns_step<true>(const SgnsRows&, int32_t, int32_t, float, float*, Rng&);

}  // namespace w2v
