// FastText's training (Bojanowski et al. 2017) as gensim 4.4 computes it (fasttext_inner.pyx): a word's input vector
// is built from its own row and the rows of its character n-grams (ModelRows::subword_ids), and the input gradient
// goes, whole, to each of those rows. The output layers are word2vec's (steps_inl.h). Included inside a SIMD path's
// namespace after sentence_inl.h (no include guard on purpose).

// The rows of a word's n-grams: ngram_ids[0, count).
struct NgramSpan {
  const int32_t* ids;
  size_t count;
};
inline NgramSpan ngram_span(const ModelRows& rows, int32_t word) {
  const int64_t first = rows.subword_offsets[word];
  return NgramSpan{rows.subword_ids + first, static_cast<size_t>(rows.subword_offsets[word + 1] - first)};
}
inline float* ngram_row(const ModelRows& rows, int32_t ngram) {
  return rows.ngram_vectors + static_cast<size_t>(ngram) * rows.dim;
}
inline float* word_row(const ModelRows& rows, int32_t word) {
  return rows.input_vectors + static_cast<size_t>(word) * rows.dim;
}

// A word's input rows are scattered over a matrix of millions of n-gram rows (800 MB at 2M buckets and 100
// dimensions), so a loop asks for the rows of the word it trains next. On the 2-core Xeon, whose 480 MB of L3 hold
// most rows that gcide uses, this measured neither faster nor slower (see docs/design.md); it is kept for caches
// smaller than the rows a corpus uses.
inline void prefetch_input_rows(const ModelRows& rows, int32_t word) {
  prefetch_row(word_row(rows, word), rows.dim);
  const NgramSpan ngrams = ngram_span(rows, word);
  for (size_t g = 0; g < ngrams.count; ++g) prefetch_row(ngram_row(rows, ngrams.ids[g]), rows.dim);
}

// sum += the word's row and each of its n-gram rows; returns the number of n-gram rows.
inline size_t add_input_rows(const ModelRows& rows, int32_t word, float* sum) {
  const NgramSpan ngrams = ngram_span(rows, word);
  axpy(1.0f, word_row(rows, word), sum, rows.dim);  // a fused 1 * x + y is x + y, rounded once
  add_rows(sum, rows.ngram_vectors, ngrams.ids, ngrams.count, rows.dim);
  return ngrams.count;
}

// The word's row and each of its n-gram rows += scale * gradient. An n-gram that occurs twice in a word is a row
// listed twice, and is updated twice, as in gensim and fastText.
inline void update_input_rows(const ModelRows& rows, int32_t word, float scale, const float* gradient) {
  const NgramSpan ngrams = ngram_span(rows, word);
  add_to_rows(scale, gradient, word_row(rows, word), rows.ngram_vectors, ngrams.ids, ngrams.count, rows.dim);
}

// Skip-gram with subwords, one centre word: as in gensim and fastText, the centre word's input (its row and its
// n-gram rows) predicts each context word of its window in turn. gensim's input is the sum of those rows divided by
// the number of n-grams (fasttext_inner.pyx; 1 for a word without n-grams: fastText divides by the rows, n + 1),
// and after each prediction every one of the rows receives the whole input gradient.
//
// The rows are read once and written once a window, not once a prediction: after a prediction with gradient e,
// each of the n + 1 rows has grown by e, so the next prediction's input is the last one's plus (n + 1) / n x e (an
// n-gram row listed twice grows by 2e and counts twice: Subwords::repeat_weights). The predictions add their
// gradients into the window's, each input is the window's first plus (n + 1) / n x the window's gradient so far,
// and the rows receive the window's gradient at its end. That is gensim's sequence of updates (up to float
// rounding), with a sixth of the traffic to the input rows at the six predictions of an average window.
//
// With `shared_negatives`, the noise words are drawn once a window and every context word is predicted against
// them (skipping a draw equal to the context word itself), as word2vec's sgns_window_step shares them.
template <bool kComputeLoss>
double subword_skipgram_window_step(const ModelRows& rows, int32_t centre, const int32_t* window_words,
                                    size_t window_length, size_t centre_offset, bool shared_negatives, float alpha,
                                    const StepScratch& scratch, Rng& rng) {
  const size_t dim = rows.dim;
  float* first_hidden = scratch.first_hidden;
  float* hidden = scratch.hidden;
  float* window_gradient = scratch.gradient;  // every prediction of the window adds its gradient here
  std::memset(first_hidden, 0, dim * sizeof(float));
  std::memset(window_gradient, 0, dim * sizeof(float));
  const size_t ngrams = add_input_rows(rows, centre, first_hidden);
  const float mean_scale = ngrams ? 1.0f / static_cast<float>(ngrams) : 1.0f;
  const float follow_scale =
      ngrams ? static_cast<float>(1 + rows.ngram_repeat_weights[centre]) / static_cast<float>(ngrams) : 1.0f;
  for (size_t d = 0; d < dim; ++d) first_hidden[d] *= mean_scale;

  // Shared noise words wait behind the targets of one prediction, which are built from them.
  int32_t* targets = scratch.targets;
  int32_t* noise = scratch.targets + rows.negative + 1;
  size_t noise_count = 0;
  if (shared_negatives) {
    for (int d = 0; d < rows.negative; ++d) noise[noise_count++] = rows.noise->draw(rng);
    for (size_t t = 0; t < noise_count; ++t) prefetch_row(output_row(rows, noise[t]), dim);
  }
  double loss = 0.0;
  for (size_t c = 0; c < window_length; ++c) {
    if (c == centre_offset) continue;
    const int32_t context = window_words[c];
    scaled_sum(hidden, follow_scale, window_gradient, first_hidden, dim);
    if (!shared_negatives) {
      prefetch_path(rows, context);
      loss += output_layers<kComputeLoss>(rows, hidden, context, alpha, scratch, rng);
    } else {
      size_t count = 0;
      targets[count++] = context;
      for (size_t t = 0; t < noise_count; ++t)
        if (noise[t] != context) targets[count++] = noise[t];
      loss += negative_sampling_update<kComputeLoss>(rows, hidden, targets, count, alpha, window_gradient);
      if (rows.hot) count_update(rows.hot->output, context, dim);
    }
  }
  // A noise row counts one update a window, however many predictions trained it (as in sgns_window_step).
  if (rows.hot)
    for (size_t t = 0; t < noise_count; ++t) count_update(rows.hot->output, noise[t], dim);
  update_input_rows(rows, centre, 1.0f, window_gradient);
  return loss;
}

// CBOW with subwords: the rows of every context word and of its n-grams are summed (and averaged over all those rows
// when cbow_mean) into the hidden vector, which predicts the centre; each of those rows then receives the whole
// gradient when cbow_mean, and the gradient divided by the number of rows when not (gensim's
// fasttext_fast_sentence_cbow_neg and _hs). Nothing is trained when the window has no context word.
template <bool kComputeLoss>
double subword_cbow_step(const ModelRows& rows, const int32_t* window_words, size_t window_length,
                         size_t centre_offset, bool cbow_mean, float alpha, const StepScratch& scratch, Rng& rng) {
  const size_t dim = rows.dim;
  if (window_length < 2) return 0.0;
  float* hidden = scratch.hidden;
  std::memset(hidden, 0, dim * sizeof(float));
  size_t input_rows = 0;
  for (size_t c = 0; c < window_length; ++c)
    if (c != centre_offset) input_rows += 1 + add_input_rows(rows, window_words[c], hidden);
  const float inverse_count = 1.0f / static_cast<float>(input_rows);
  if (cbow_mean)
    for (size_t d = 0; d < dim; ++d) hidden[d] *= inverse_count;

  std::memset(scratch.gradient, 0, dim * sizeof(float));
  prefetch_path(rows, window_words[centre_offset]);
  const double loss =
      output_layers<kComputeLoss>(rows, hidden, window_words[centre_offset], alpha, scratch, rng);
  const float scale = cbow_mean ? 1.0f : inverse_count;
  for (size_t c = 0; c < window_length; ++c)
    if (c != centre_offset) update_input_rows(rows, window_words[c], scale, scratch.gradient);
  return loss;
}

// The sentence loops, with the windows drawn as word2vec's (sentence_inl.h). Skip-gram fetches the next centre
// word's rows while it trains this one's window.
template <bool kComputeLoss>
double train_sentence_skipgram_subwords(const ModelRows& rows, const int32_t* ids, size_t length, int window,
                                        bool shared_negatives, float alpha, const StepScratch& scratch, Rng& rng) {
  double loss = 0.0;
  if (length > 0) prefetch_input_rows(rows, ids[0]);
  for (size_t pos = 0; pos < length; ++pos) {
    if (pos + 1 < length) prefetch_input_rows(rows, ids[pos + 1]);
    const Window w = draw_window(pos, length, window, rng);
    if (w.last - w.first < 2) continue;
    const double step_loss = subword_skipgram_window_step<kComputeLoss>(
        rows, ids[pos], ids + w.first, w.last - w.first, pos - w.first, shared_negatives, alpha, scratch, rng);
    if (kComputeLoss) loss += step_loss;
  }
  return loss;
}

// CBOW's windows overlap: of a window's words, only the one `window` + 1 ahead can be new to the caches.
template <bool kComputeLoss>
double train_sentence_cbow_subwords(const ModelRows& rows, const int32_t* ids, size_t length, int window,
                                    bool cbow_mean, float alpha, const StepScratch& scratch, Rng& rng) {
  double loss = 0.0;
  const auto reach = static_cast<size_t>(window);
  for (size_t pos = 0; pos < length && pos <= reach; ++pos) prefetch_input_rows(rows, ids[pos]);
  for (size_t pos = 0; pos < length; ++pos) {
    if (pos + reach + 1 < length) prefetch_input_rows(rows, ids[pos + reach + 1]);
    const Window w = draw_window(pos, length, window, rng);
    const double step_loss = subword_cbow_step<kComputeLoss>(rows, ids + w.first, w.last - w.first, pos - w.first,
                                                             cbow_mean, alpha, scratch, rng);
    if (kComputeLoss) loss += step_loss;
  }
  return loss;
}
