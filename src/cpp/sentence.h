// How one sentence becomes training steps: word2vec's dynamic window, then skip-gram pairs or CBOW windows. Each
// function forwards the sentence to the active SIMD path's loop (simd.h; the loops are in sentence_inl.h).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels.h"

namespace w2v {

class Rng;

// Each centre word draws a reduced window in [1, window] (word2vec.c's dynamic window, which weights near words
// more); windows never cross the sentence's ends.
//
// Skip-gram: every word inside the window predicts the centre, one skipgram_step a pair.
template <bool kComputeLoss>
double train_sentence_skipgram(const ModelRows& rows, const int32_t* ids, size_t length, int window, float alpha,
                               const StepScratch& scratch, Rng& rng);

// Skip-gram with shared negatives: the words inside the window predict the centre against the same noise words, in
// one sgns_window_step a centre word. `contexts` has room for 2 x window ids.
template <bool kComputeLoss>
double train_sentence_skipgram_shared(const ModelRows& rows, const int32_t* ids, size_t length, int window,
                                      float alpha, int32_t* contexts, const StepScratch& scratch, Rng& rng);

// CBOW: the words inside the window together predict the centre, one cbow_step a centre word.
template <bool kComputeLoss>
double train_sentence_cbow(const ModelRows& rows, const int32_t* ids, size_t length, int window, bool cbow_mean,
                           float alpha, const StepScratch& scratch, Rng& rng);

}  // namespace w2v
