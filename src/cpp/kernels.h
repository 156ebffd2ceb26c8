// The arithmetic of one training step on raw float rows: dot products, axpy, the sigmoid, and the skip-gram
// negative-sampling update. Plain functions over pointers, so each can be tested against a scalar reference.
#pragma once

#include <cstddef>
#include <cstdint>

namespace w2v {

// sigmoid(x) by table lookup. The table samples [-kSigmoidRange, kSigmoidRange] at kSigmoidTableSize + 1 points and
// each lookup rounds to the nearest point, so the error inside the range is at most half a step times the maximum
// slope (1/4): 8 / 4096 * 0.25 = 4.9e-4. Outside the range it returns 0 or 1; the true value differs by at most
// sigmoid(-8) = 3.4e-4. (word2vec.c's table has 1000 entries over [-6, 6] and truncates: error up to 3.0e-3.)
constexpr float kSigmoidRange = 8.0f;
constexpr int kSigmoidTableSize = 4096;
float fast_sigmoid(float x);

// The loops are written so compilers vectorise them at the target's native width; four independent accumulators
// break the add-latency chain that a single running sum would impose. Inline: they run millions of times a second.
inline float dot(const float* a, const float* b, size_t n) {
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

// y += alpha * x
inline void axpy(float alpha, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

class NoiseSampler;
class Rng;

// Everything one SGNS step touches, bundled so the call sites stay readable.
struct SgnsRows {
  float* input_vectors;    // syn0, vocab x dim: the word vectors users get
  float* output_vectors;   // syn1neg, vocab x dim
  size_t dim;
  int negative;
  const NoiseSampler* noise;
};

// Caller-owned scratch of a worker: `gradient` holds dim floats, `targets` negative + 1 ids.
struct SgnsScratch {
  float* gradient;
  int32_t* targets;
};

// One skip-gram negative-sampling step: the input row of `context` learns to predict `centre` against `negative`
// noise words (word2vec.c's order: syn0[context] predicts syn1neg[centre]). Returns the step's loss, -log sigmoid(u.v) - sum log sigmoid(-u.n), if `loss` is requested.
// The rows are updated without locks: Hogwild (Recht et al. 2011) is the algorithm, not an accident; concurrent
// writers touching the same row lose an occasional update, which word2vec's sparse updates tolerate.
template <bool kComputeLoss>
double sgns_step(const SgnsRows& rows, int32_t context, int32_t centre, float alpha, const SgnsScratch& scratch,
                 Rng& rng);

// Caller-owned scratch of a window step: `input_gradients` holds max_contexts x dim floats, `gradients`
// max_contexts x (negative + 1), `targets` negative + 1 ids.
struct WindowScratch {
  float* input_gradients;
  float* gradients;
  int32_t* targets;
};

// Skip-gram with negative samples shared by a whole window (Ji et al. 2016, "Parallelizing Word2Vec in Shared and
// Distributed Memory"): the input rows of all `context_count` context words predict `centre` against the same
// `negative` noise words, and every update of the window is computed from the rows as they were before it, like one
// small matrix product, S = contexts x targets^T. The arithmetic equals the exact steps' except for the sharing of
// noise words and the simultaneity of the updates, but the memory traffic falls from a row per (pair, target) to a
// row per (window, target): the noise rows, random and mostly out of cache, are fetched once per window.
template <bool kComputeLoss>
double sgns_window_step(const SgnsRows& rows, const int32_t* contexts, size_t context_count, int32_t centre,
                        float alpha, const WindowScratch& scratch, Rng& rng);

}  // namespace w2v
