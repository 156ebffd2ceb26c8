// The arithmetic of one training step on raw float rows: dot products, axpy, the sigmoid, the two output layers
// (negative sampling, hierarchical softmax) and the skip-gram and CBOW steps built from them. Plain functions over
// pointers, so each can be tested against a scalar reference.
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

// The loops are written so compilers vectorise them at the target's native width. The dot product keeps 16
// independent partial sums (four SSE registers, two AVX, one AVX-512): a single vector accumulator would make every
// add wait for the previous one, and at 100 dimensions the product is then bound by add latency, not throughput.
// Inline: they run millions of times a second.
inline float dot(const float* a, const float* b, size_t n) {
  constexpr size_t kLanes = 16;
  float partial[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (size_t j = 0; j < kLanes; ++j) partial[j] += a[i + j] * b[i + j];
  // Pairwise reduction: a few dependent adds instead of sixteen, since the caller waits for the result.
  for (size_t j = 0; j < kLanes / 2; ++j) partial[j] += partial[j + kLanes / 2];
  for (size_t j = 0; j < kLanes / 4; ++j) partial[j] += partial[j + kLanes / 4];
  float tail = 0;
  for (; i < n; ++i) tail += a[i] * b[i];
  return ((partial[0] + partial[1]) + (partial[2] + partial[3])) + tail;
}

// y += alpha * x
inline void axpy(float alpha, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
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
};

// Caller-owned scratch of a worker: `gradient` and `hidden` hold dim floats each, `targets` negative + 1 ids.
struct StepScratch {
  float* gradient;
  float* hidden;
  int32_t* targets;
};

// The two output layers. Each scores the prediction of `word` from the hidden vector `hidden` (a context word's row
// in skip-gram, the combined context in CBOW), updates its own output rows, and adds the gradient with respect to
// `hidden` to `gradient`; the caller applies that to the input rows. Both return the loss when kComputeLoss.
//
// Negative sampling: `word` against `negative` noise words, loss -log sigmoid(h.v) - sum log sigmoid(-h.n).
template <bool kComputeLoss>
double negative_sampling_update(const ModelRows& rows, const float* hidden, int32_t word, float alpha,
                                float* gradient, int32_t* targets, Rng& rng);
// Hierarchical softmax: one logistic decision per inner node on the word's Huffman path, loss
// -sum log sigmoid((1 - 2 code_b) h.p_b).
template <bool kComputeLoss>
double hierarchical_softmax_update(const ModelRows& rows, const float* hidden, int32_t word, float alpha,
                                   float* gradient);

// One skip-gram step: the input row of `context` learns to predict `centre` (word2vec.c's order: syn0[context]
// predicts the output side of centre).
// The rows are updated without locks: Hogwild (Recht et al. 2011) is the algorithm, not an accident; concurrent
// writers touching the same row lose an occasional update, which word2vec's sparse updates tolerate.
template <bool kComputeLoss>
double skipgram_step(const ModelRows& rows, int32_t context, int32_t centre, float alpha, const StepScratch& scratch,
                     Rng& rng);

// One CBOW step over `window_words[0, window_length)`, whose word at `centre_offset` is the centre and the others its
// context: the context rows are summed (and averaged when cbow_mean) into the hidden vector, which predicts the
// centre. As gensim 4.4 does (word2vec_inner.pyx), every context row then receives the whole gradient when
// cbow_mean, and the gradient divided by the context size when not (word2vec.c always averages). Nothing is trained
// when the window has no context word.
template <bool kComputeLoss>
double cbow_step(const ModelRows& rows, const int32_t* window_words, size_t window_length, size_t centre_offset,
                 bool cbow_mean, float alpha, const StepScratch& scratch, Rng& rng);

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
double sgns_window_step(const ModelRows& rows, const int32_t* contexts, size_t context_count, int32_t centre,
                        float alpha, const WindowScratch& scratch, Rng& rng);

}  // namespace w2v
