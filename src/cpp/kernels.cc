#include "kernels.h"

#include <array>
#include <cmath>
#include <cstring>

#include "huffman.h"
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

// word2vec.c's MAX_EXP: hierarchical softmax leaves decisions scored beyond it untrained.
constexpr float kHsMaxScore = 6.0f;

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

// The update of one output row and of the input-side gradient by the same error g, in one pass over the row:
// gradient += g * output (the row's old value), output += g * hidden.
inline void update_output_row(float g, const float* __restrict hidden, float* __restrict output,
                              float* __restrict gradient, size_t dim) {
  for (size_t d = 0; d < dim; ++d) {
    gradient[d] += g * output[d];
    output[d] += g * hidden[d];
  }
}

inline void prefetch_row(const float* row, size_t dim) {
  const char* bytes = reinterpret_cast<const char*>(row);
  for (size_t offset = 0; offset < dim * sizeof(float); offset += 64) prefetch(bytes + offset);
}

}  // namespace

float fast_sigmoid(float x) { return sigmoid_lookup(x); }

template <bool kComputeLoss>
double negative_sampling_update(const ModelRows& rows, const float* hidden, int32_t word, float alpha,
                                float* gradient, int32_t* targets, Rng& rng) {
  const size_t dim = rows.dim;
  // Draw the targets first and prefetch their output rows: the rows of random noise words are mostly not in cache,
  // and asking for all of them at once overlaps the misses instead of paying them one after another.
  int count = 0;
  targets[count++] = word;
  for (int d = 0; d < rows.negative; ++d) {
    const int32_t noise_word = rows.noise->draw(rng);
    if (noise_word != word) targets[count++] = noise_word;  // as word2vec.c: a draw of the true word is skipped
  }
  for (int t = 0; t < count; ++t) prefetch_row(rows.output_vectors + static_cast<size_t>(targets[t]) * dim, dim);

  double loss = 0.0;
  for (int t = 0; t < count; ++t) {
    const float label = t == 0 ? 1.0f : 0.0f;
    float* output = rows.output_vectors + static_cast<size_t>(targets[t]) * dim;
    const float score = dot(hidden, output, dim);
    if (kComputeLoss) loss += log_loss(label > 0 ? score : -score);
    const float g = (label - sigmoid_lookup(score)) * alpha;
    update_output_row(g, hidden, output, gradient, dim);
  }
  return loss;
}

template <bool kComputeLoss>
double hierarchical_softmax_update(const ModelRows& rows, const float* hidden, int32_t word, float alpha,
                                   float* gradient) {
  const size_t dim = rows.dim;
  const size_t length = rows.huffman->code_length(word);
  const uint8_t* code = rows.huffman->code(word);
  const int32_t* points = rows.huffman->points(word);
  // The path is known in advance, so fetch all its rows at once, as for noise words: the deep nodes of rarer words
  // are mostly not in cache.
  for (size_t b = 0; b < length; ++b) prefetch_row(rows.hs_vectors + static_cast<size_t>(points[b]) * dim, dim);
  double loss = 0.0;
  for (size_t b = 0; b < length; ++b) {
    float* node = rows.hs_vectors + static_cast<size_t>(points[b]) * dim;
    const float score = dot(hidden, node, dim);
    // word2vec.c and gensim skip a decision whose score is already saturated, |score| >= MAX_EXP = 6; so do we.
    if (score <= -kHsMaxScore || score >= kHsMaxScore) continue;
    // Code bit 0 is the label-1 side (word2vec.c: g = (1 - code - f) * alpha).
    if (kComputeLoss) loss += log_loss(code[b] ? -score : score);
    const float g = (1.0f - static_cast<float>(code[b]) - sigmoid_lookup(score)) * alpha;
    update_output_row(g, hidden, node, gradient, dim);
  }
  return loss;
}

namespace {

// Both output layers the model has, accumulating into `gradient` (which the caller zeroes).
template <bool kComputeLoss>
inline double output_layers(const ModelRows& rows, const float* hidden, int32_t word, float alpha,
                            const StepScratch& scratch, Rng& rng) {
  double loss = 0.0;
  if (rows.huffman) loss += hierarchical_softmax_update<kComputeLoss>(rows, hidden, word, alpha, scratch.gradient);
  if (rows.negative > 0)
    loss += negative_sampling_update<kComputeLoss>(rows, hidden, word, alpha, scratch.gradient, scratch.targets, rng);
  return loss;
}

}  // namespace

template <bool kComputeLoss>
double skipgram_step(const ModelRows& rows, int32_t context, int32_t centre, float alpha, const StepScratch& scratch,
                     Rng& rng) {
  float* input = rows.input_vectors + static_cast<size_t>(context) * rows.dim;
  std::memset(scratch.gradient, 0, rows.dim * sizeof(float));
  const double loss = output_layers<kComputeLoss>(rows, input, centre, alpha, scratch, rng);
  axpy(1.0f, scratch.gradient, input, rows.dim);
  return loss;
}

template <bool kComputeLoss>
double cbow_step(const ModelRows& rows, const int32_t* window_words, size_t window_length, size_t centre_offset,
                 bool cbow_mean, float alpha, const StepScratch& scratch, Rng& rng) {
  const size_t dim = rows.dim;
  const size_t context_count = window_length - 1;
  if (context_count == 0) return 0.0;
  float* hidden = scratch.hidden;
  std::memset(hidden, 0, dim * sizeof(float));
  for (size_t c = 0; c < window_length; ++c)
    if (c != centre_offset) axpy(1.0f, rows.input_vectors + static_cast<size_t>(window_words[c]) * dim, hidden, dim);
  const float inverse_count = 1.0f / static_cast<float>(context_count);
  if (cbow_mean)
    for (size_t d = 0; d < dim; ++d) hidden[d] *= inverse_count;

  std::memset(scratch.gradient, 0, dim * sizeof(float));
  const double loss = output_layers<kComputeLoss>(rows, hidden, window_words[centre_offset], alpha, scratch, rng);
  const float scale = cbow_mean ? 1.0f : inverse_count;
  for (size_t c = 0; c < window_length; ++c)
    if (c != centre_offset)
      axpy(scale, scratch.gradient, rows.input_vectors + static_cast<size_t>(window_words[c]) * dim, dim);
  return loss;
}

template <bool kComputeLoss>
double sgns_window_step(const ModelRows& rows, const int32_t* contexts, size_t context_count, int32_t centre,
                        float alpha, const WindowScratch& scratch, Rng& rng) {
  const size_t dim = rows.dim;
  int32_t* targets = scratch.targets;
  size_t count = 0;
  targets[count++] = centre;
  for (int d = 0; d < rows.negative; ++d) {
    const int32_t noise_word = rows.noise->draw(rng);
    if (noise_word != centre) targets[count++] = noise_word;  // as word2vec.c: a draw of the true word is skipped
  }
  for (size_t t = 0; t < count; ++t) prefetch_row(rows.output_vectors + static_cast<size_t>(targets[t]) * dim, dim);

  // Gradients g[i][t] = (label - sigmoid(in_i . out_t)) * alpha, all from the rows before this window's updates.
  double loss = 0.0;
  float* gradients = scratch.gradients;
  for (size_t i = 0; i < context_count; ++i) {
    const float* input = rows.input_vectors + static_cast<size_t>(contexts[i]) * dim;
    for (size_t t = 0; t < count; ++t) {
      const float label = t == 0 ? 1.0f : 0.0f;
      const float score = dot(input, rows.output_vectors + static_cast<size_t>(targets[t]) * dim, dim);
      if (kComputeLoss) loss += log_loss(label > 0 ? score : -score);
      gradients[i * count + t] = (label - sigmoid_lookup(score)) * alpha;
    }
  }
  // The input side's gradients from the old output rows; then the output rows from the old input rows; then the
  // input rows. A context word twice in the window gets both of its updates, as in the exact algorithm.
  for (size_t i = 0; i < context_count; ++i) {
    float* input_gradient = scratch.input_gradients + i * dim;
    std::memset(input_gradient, 0, dim * sizeof(float));
    for (size_t t = 0; t < count; ++t)
      axpy(gradients[i * count + t], rows.output_vectors + static_cast<size_t>(targets[t]) * dim, input_gradient, dim);
  }
  for (size_t t = 0; t < count; ++t) {
    float* output = rows.output_vectors + static_cast<size_t>(targets[t]) * dim;
    for (size_t i = 0; i < context_count; ++i)
      axpy(gradients[i * count + t], rows.input_vectors + static_cast<size_t>(contexts[i]) * dim, output, dim);
  }
  for (size_t i = 0; i < context_count; ++i)
    axpy(1.0f, scratch.input_gradients + i * dim, rows.input_vectors + static_cast<size_t>(contexts[i]) * dim, dim);
  return loss;
}

template double negative_sampling_update<false>(const ModelRows&, const float*, int32_t, float, float*, int32_t*,
                                                Rng&);
template double negative_sampling_update<true>(const ModelRows&, const float*, int32_t, float, float*, int32_t*,
                                               Rng&);
template double hierarchical_softmax_update<false>(const ModelRows&, const float*, int32_t, float, float*);
template double hierarchical_softmax_update<true>(const ModelRows&, const float*, int32_t, float, float*);
template double skipgram_step<false>(const ModelRows&, int32_t, int32_t, float, const StepScratch&, Rng&);
template double skipgram_step<true>(const ModelRows&, int32_t, int32_t, float, const StepScratch&, Rng&);
template double cbow_step<false>(const ModelRows&, const int32_t*, size_t, size_t, bool, float, const StepScratch&,
                                 Rng&);
template double cbow_step<true>(const ModelRows&, const int32_t*, size_t, size_t, bool, float, const StepScratch&,
                                Rng&);
template double sgns_window_step<false>(const ModelRows&, const int32_t*, size_t, int32_t, float,
                                        const WindowScratch&, Rng&);
template double sgns_window_step<true>(const ModelRows&, const int32_t*, size_t, int32_t, float,
                                       const WindowScratch&, Rng&);

}  // namespace w2v
