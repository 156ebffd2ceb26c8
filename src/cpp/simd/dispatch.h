// Runtime SIMD dispatch. One binary carries the training kernels several times, each compiled for one instruction
// set (simd/<path>.cc), and picks the fastest the CPU runs once, at startup, as NumPy and faiss do: a wheel must
// run on every CPU of its platform, so nothing outside those files may assume more than the baseline ISA.
//
// The environment variable W2VFAST_SIMD forces a path (scalar, sse2, avx2, avx512, neon, generic; empty or "auto":
// the fastest available). A name this build does not have, or one this CPU cannot run, is an error, not a silent
// fallback: whoever sets the variable wants that path measured or tested.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "simd/cpu.h"
#include "model_rows.h"

namespace w2v {

enum class SimdPath {
  kScalar,   // the reference: the portable loops with vectorisation turned off; every platform
  kSse2,     // x86-64 baseline: the portable loops vectorised by the compiler for SSE2
  kGeneric,  // other platforms' baseline: the portable loops vectorised for whatever the target has
  kAvx2,     // x86-64: AVX2 + FMA intrinsics, 8 lanes
  kAvx512,   // x86-64: AVX-512F intrinsics, 16 lanes, masked tails
  kNeon,     // arm64 baseline: NEON intrinsics, 4 lanes with fused multiply-add
};

class Rng;

// The entry points of one path. The trainer dispatches once per sentence, so the dot products and row updates
// inline into the steps and the steps into the sentence loops. Arrays of two are indexed by kComputeLoss.
struct SimdKernels {
  SimdPath path;
  float (*dot)(const float* a, const float* b, size_t n);
  void (*axpy)(float alpha, const float* x, float* y, size_t n);
  size_t (*first_greater)(const float* x, size_t n, float threshold);  // the selection of top_k.h
  // Two consecutive predictions of the same rows in one pass (simd/lanes_inl.h); reached here by tests.
  void (*update_and_score_rows)(const float* errors, const bool* trained, float* const* path_rows, size_t count,
                                const float* hidden, float* gradient, const float* next_hidden, float* scores,
                                size_t dim);
  double (*skipgram_step[2])(const ModelRows&, int32_t context, int32_t centre, float alpha, const StepScratch&,
                             Rng&);
  double (*train_sentence_skipgram[2])(const ModelRows&, const int32_t* ids, size_t length, int window, float alpha,
                                       const StepScratch&, Rng&);
  double (*train_sentence_skipgram_shared[2])(const ModelRows&, const int32_t* ids, size_t length, int window,
                                              float alpha, int32_t* contexts, const StepScratch&, Rng&);
  double (*train_sentence_cbow[2])(const ModelRows&, const int32_t* ids, size_t length, int window, bool cbow_mean,
                                   float alpha, const StepScratch&, Rng&);
  // FastText: the same with each word's input built from its row and its n-gram rows (simd/subword_steps_inl.h).
  double (*train_sentence_skipgram_subwords[2])(const ModelRows&, const int32_t* ids, size_t length, int window,
                                                bool shared_negatives, float alpha, const StepScratch&, Rng&);
  double (*train_sentence_cbow_subwords[2])(const ModelRows&, const int32_t* ids, size_t length, int window,
                                            bool cbow_mean, float alpha, const StepScratch&, Rng&);
  // IEEE half precision (simd/half_floats_inl.h), the bits of each half as a uint16_t: w2vfast.spark's deltas.
  void (*floats_to_halves)(const float* values, uint16_t* halves, size_t n);
  void (*halves_to_floats)(const uint16_t* halves, float* values, size_t n);
};

const char* simd_path_name(SimdPath path);
// invalid_argument naming the paths of this build when `name` is none of them.
SimdPath parse_simd_path(const std::string& name);

std::vector<SimdPath> compiled_simd_paths();   // built into this binary, slowest first
std::vector<SimdPath> available_simd_paths();  // of those, the ones this CPU and OS run, slowest first

// The kernels of `path`; invalid_argument when the path is not built or this CPU cannot run it.
const SimdKernels& simd_kernels(SimdPath path);

// The kernels training uses: chosen on first use from W2VFAST_SIMD, else the last of available_simd_paths().
// Throws invalid_argument (naming the variable and the choices) when the variable asks for a path not available.
const SimdKernels& active_simd_kernels();
// Switches the kernels of passes that start afterwards; for tests and benchmarks.
void set_active_simd_path(SimdPath path);

}  // namespace w2v
