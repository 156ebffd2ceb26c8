// How one sentence becomes training steps, included inside a SIMD path's namespace after steps_inl.h (no include
// guard on purpose): the trainer dispatches once per sentence, so the steps inline into these loops.

struct Window {
  size_t first;  // the window is [first, last), the centre included
  size_t last;
};

// The same draw as gensim's reduced_windows: an offset uniform in [0, window) shrinks the span to window - offset.
inline Window draw_window(size_t pos, size_t length, int window, Rng& rng) {
  const size_t span = static_cast<size_t>(window) - rng.below(static_cast<uint32_t>(window));
  return Window{pos > span ? pos - span : 0, std::min(length, pos + span + 1)};
}

// Asks for the rows the window after the one at `pos` may find out of cache: the next centre's Huffman path, and
// the input row of the word that enters the window then (the window's other rows were used by the windows before).
inline void prefetch_next_window(const ModelRows& rows, const int32_t* ids, size_t length, size_t pos, int window) {
  if (pos + 1 < length) prefetch_path(rows, ids[pos + 1]);
  const size_t entering = pos + static_cast<size_t>(window) + 1;
  if (entering < length) prefetch_row(input_row(rows, ids[entering]), rows.dim);
}

// Each centre word draws a reduced window in [1, window] (word2vec.c's dynamic window, which weights near words
// more); windows never cross the sentence's ends.
//
// Skip-gram: every word inside the window predicts the centre, one skipgram_update a pair, or with hierarchical
// softmax alone one skipgram_hs_window a window; the centre's Huffman path is fetched once for all of them, a window
// ahead (prefetch_next_window), so that the deep nodes of rarer words have arrived when it starts.
template <bool kComputeLoss>
double train_sentence_skipgram(const ModelRows& rows, const int32_t* ids, size_t length, int window, float alpha,
                               const StepScratch& scratch, Rng& rng) {
  double loss = 0.0;
  const bool hierarchical_softmax_only = rows.huffman && rows.negative == 0;
  if (length > 0) prefetch_path(rows, ids[0]);
  for (size_t pos = 0; pos < length; ++pos) {
    prefetch_next_window(rows, ids, length, pos, window);
    const Window w = draw_window(pos, length, window, rng);
    if (hierarchical_softmax_only) {
      const double window_loss = skipgram_hs_window<kComputeLoss>(rows, ids, w.first, w.last, pos, alpha, scratch, rng);
      if (kComputeLoss) loss += window_loss;
      continue;
    }
    for (size_t c = w.first; c < w.last; ++c) {
      if (c == pos) continue;
      const double step_loss = skipgram_update<kComputeLoss>(rows, ids[c], ids[pos], alpha, scratch, rng);
      if (kComputeLoss) loss += step_loss;
    }
  }
  return loss;
}

// Skip-gram with shared negatives: the words inside the window predict the centre against the same noise words, in
// one sgns_window_step a centre word. `contexts` has room for 2 x window ids.
template <bool kComputeLoss>
double train_sentence_skipgram_shared(const ModelRows& rows, const int32_t* ids, size_t length, int window,
                                      float alpha, int32_t* contexts, const StepScratch& scratch, Rng& rng) {
  double loss = 0.0;
  for (size_t pos = 0; pos < length; ++pos) {
    const Window w = draw_window(pos, length, window, rng);
    size_t count = 0;
    for (size_t c = w.first; c < w.last; ++c)
      if (c != pos) contexts[count++] = ids[c];
    if (count == 0) continue;
    const double step_loss = sgns_window_step<kComputeLoss>(rows, contexts, count, ids[pos], alpha, scratch, rng);
    if (kComputeLoss) loss += step_loss;
  }
  return loss;
}

// CBOW: the words inside the window together predict the centre, one cbow_step a centre word, whose rows are
// fetched a window ahead (prefetch_next_window).
template <bool kComputeLoss>
double train_sentence_cbow(const ModelRows& rows, const int32_t* ids, size_t length, int window, bool cbow_mean,
                           float alpha, const StepScratch& scratch, Rng& rng) {
  double loss = 0.0;
  if (length > 0) prefetch_path(rows, ids[0]);
  for (size_t pos = 0; pos < length; ++pos) {
    prefetch_next_window(rows, ids, length, pos, window);
    const Window w = draw_window(pos, length, window, rng);
    const double step_loss =
        cbow_step<kComputeLoss>(rows, ids + w.first, w.last - w.first, pos - w.first, cbow_mean, alpha, scratch, rng);
    if (kComputeLoss) loss += step_loss;
  }
  return loss;
}
