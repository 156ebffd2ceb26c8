#include "sentence.h"

#include "simd.h"

namespace w2v {

// One indirect call a sentence: the per-pair work inlines inside the path's loop.

template <bool kComputeLoss>
double train_sentence_skipgram(const ModelRows& rows, const int32_t* ids, size_t length, int window, float alpha,
                               const StepScratch& scratch, Rng& rng) {
  return active_simd_kernels().train_sentence_skipgram[kComputeLoss](rows, ids, length, window, alpha, scratch, rng);
}

template <bool kComputeLoss>
double train_sentence_skipgram_shared(const ModelRows& rows, const int32_t* ids, size_t length, int window,
                                      float alpha, int32_t* contexts, const StepScratch& scratch, Rng& rng) {
  return active_simd_kernels().train_sentence_skipgram_shared[kComputeLoss](rows, ids, length, window, alpha,
                                                                            contexts, scratch, rng);
}

template <bool kComputeLoss>
double train_sentence_cbow(const ModelRows& rows, const int32_t* ids, size_t length, int window, bool cbow_mean,
                           float alpha, const StepScratch& scratch, Rng& rng) {
  return active_simd_kernels().train_sentence_cbow[kComputeLoss](rows, ids, length, window, cbow_mean, alpha,
                                                                 scratch, rng);
}

template double train_sentence_skipgram<false>(const ModelRows&, const int32_t*, size_t, int, float,
                                               const StepScratch&, Rng&);
template double train_sentence_skipgram<true>(const ModelRows&, const int32_t*, size_t, int, float,
                                              const StepScratch&, Rng&);
template double train_sentence_skipgram_shared<false>(const ModelRows&, const int32_t*, size_t, int, float, int32_t*,
                                                      const StepScratch&, Rng&);
template double train_sentence_skipgram_shared<true>(const ModelRows&, const int32_t*, size_t, int, float, int32_t*,
                                                     const StepScratch&, Rng&);
template double train_sentence_cbow<false>(const ModelRows&, const int32_t*, size_t, int, bool, float,
                                           const StepScratch&, Rng&);
template double train_sentence_cbow<true>(const ModelRows&, const int32_t*, size_t, int, bool, float,
                                          const StepScratch&, Rng&);

}  // namespace w2v
