// The training steps, included inside a SIMD path's namespace after its row primitives (dot, dots, axpy,
// update_output_rows), so those inline at the path's width. No include guard on purpose: every simd/<path>.cc
// includes this once, inside its own namespace and target region (see simd/target.h).

// word2vec.c's MAX_EXP: hierarchical softmax leaves decisions scored beyond it untrained.
constexpr float kHsMaxScore = 6.0f;

// -log(sigmoid(x)) computed stably, for the loss only.
inline double log_loss(float x) {
  return x > 0 ? std::log1p(std::exp(-static_cast<double>(x)))
               : -static_cast<double>(x) + std::log1p(std::exp(static_cast<double>(x)));
}

inline void prefetch(const void* address) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(address);
#else
  (void)address;
#endif
}

inline void prefetch_row(const float* row, size_t dim) {
  const char* bytes = reinterpret_cast<const char*>(row);
  for (size_t offset = 0; offset < dim * sizeof(float); offset += 64) prefetch(bytes + offset);
}

// The rows a step trains: the worker's private copy of a frequent word's row, or of an inner node near the root
// of the Huffman tree (ModelRows::hot, see hot_rows.h), else the shared matrix's row.
inline float* input_row(const ModelRows& rows, int32_t word) {
  float* own = rows.hot ? rows.hot->input.row(word, rows.dim) : nullptr;
  return own ? own : rows.input_vectors + static_cast<size_t>(word) * rows.dim;
}
inline float* output_row(const ModelRows& rows, int32_t word) {
  float* own = rows.hot ? rows.hot->output.row(word, rows.dim) : nullptr;
  return own ? own : rows.output_vectors + static_cast<size_t>(word) * rows.output_stride;
}
inline float* node_row(const ModelRows& rows, int32_t node) {
  float* own = rows.hot ? rows.hot->hs.row(node, rows.dim) : nullptr;
  return own ? own : rows.hs_vectors + static_cast<size_t>(node) * rows.hs_stride;
}

// Fills `targets` with `word` followed by `negative` noise draws, skipping draws of `word` itself as word2vec.c
// does, and prefetches their output rows: the rows of random noise words are mostly not in cache, and asking for all
// of them at once overlaps the misses instead of paying them one after another. Returns how many targets there are.
inline size_t draw_targets(const ModelRows& rows, int32_t word, int32_t* targets, Rng& rng) {
  size_t count = 0;
  targets[count++] = word;
  for (int d = 0; d < rows.negative; ++d) {
    const int32_t noise_word = rows.noise->draw(rng);
    if (noise_word != word) targets[count++] = noise_word;
  }
  for (size_t t = 0; t < count; ++t)
    prefetch_row(output_row(rows, targets[t]), rows.dim);
  return count;
}

// The two output layers. Each scores the prediction of `word` from the hidden vector `hidden` (a context word's row
// in skip-gram, the combined context in CBOW), updates its own output rows, and adds the gradient with respect to
// `hidden` to `gradient`; the caller applies that to the input rows. Both return the loss when kComputeLoss.
//
// Both score a batch of rows before updating any of them. The rows of one prediction are distinct (the nodes of a
// Huffman path always; noise words unless one is drawn twice) and `hidden` does not change during it, so a row's
// score does not depend on the updates of the others: scoring them first gives the same results, bit for bit, as
// scoring and updating one row after the other, as word2vec.c and gensim do. What it changes is speed: the dot
// products are independent, so the processor overlaps them instead of waiting on each one's sum and sigmoid before
// the next, and update_output_rows() keeps the gradient in registers across the batch's rows.
constexpr size_t kScoreBatch = 16;

// True when `row` is among rows[0, count).
inline bool among(float* const* rows, size_t count, const float* row) {
  for (size_t i = 0; i < count; ++i)
    if (rows[i] == row) return true;
  return false;
}

// The error of one prediction of negative sampling scored `score`, the word itself (label 1) or a noise word (label
// 0), its loss added to `loss` when kComputeLoss.
template <bool kComputeLoss>
inline float ns_error(float score, bool is_word, float alpha, double& loss) {
  if (kComputeLoss) loss += log_loss(is_word ? score : -score);
  return ((is_word ? 1.0f : 0.0f) - fast_sigmoid(score)) * alpha;
}

// Negative sampling: `word` against `negative` noise words, loss -log sigmoid(h.v) - sum log sigmoid(-h.n).
// `targets[0, count)` are the word (label 1) and its noise words (label 0), as draw_targets() leaves them. A noise
// word drawn a second time starts a new batch, so that its second score sees its first update.
template <bool kComputeLoss>
double negative_sampling_update(const ModelRows& rows, const float* hidden, const int32_t* targets, size_t count,
                                float alpha, float* gradient) {
  float scores[kScoreBatch];
  float* outputs[kScoreBatch];
  double loss = 0.0;
  size_t t = 0;
  while (t < count) {
    const size_t first = t;
    size_t batch = 0;
    for (; t < count && batch < kScoreBatch; ++t, ++batch) {
      float* output = output_row(rows, targets[t]);
      if (among(outputs, batch, output)) break;
      outputs[batch] = output;
    }
    dots(hidden, outputs, batch, scores, rows.dim);
    for (size_t i = 0; i < batch; ++i) scores[i] = ns_error<kComputeLoss>(scores[i], first + i == 0, alpha, loss);
    update_output_rows(scores, outputs, batch, hidden, gradient, rows.dim);
  }
  return loss;
}

// Fetches the rows of `word`'s Huffman path all at once, when the model has hierarchical softmax: the path is known
// in advance, and the deep nodes of rarer words are mostly not in cache. hierarchical_softmax_update() leaves this to
// its callers because skip-gram's predictions of one window all walk the centre's path: it is fetched once a window.
inline void prefetch_path(const ModelRows& rows, int32_t word) {
  if (!rows.huffman) return;
  const size_t length = rows.huffman->code_length(word);
  const int32_t* points = rows.huffman->points(word);
  for (size_t b = 0; b < length; ++b) prefetch_row(node_row(rows, points[b]), rows.dim);
}

// One decision of hierarchical softmax, at a node scored `score` whose code bit is `bit`: its error into *error (and
// its loss added to `loss` when kComputeLoss), or false when the score is already saturated, |score| >= MAX_EXP = 6,
// a decision word2vec.c and gensim skip, as we do.
template <bool kComputeLoss>
inline bool hs_decision(float score, uint8_t bit, float alpha, float* error, double& loss) {
  if (score <= -kHsMaxScore || score >= kHsMaxScore) return false;
  if (kComputeLoss) loss += log_loss(bit ? -score : score);
  // Code bit 0 is the label-1 side (word2vec.c: g = (1 - code - f) * alpha).
  *error = (1.0f - static_cast<float>(bit) - fast_sigmoid(score)) * alpha;
  return true;
}

// Hierarchical softmax: one logistic decision per inner node on the word's Huffman path, loss
// -sum log sigmoid((1 - 2 code_b) h.p_b). Every path starts at the root, so with several workers the nodes nearest
// it are each worker's private rows (ModelRows::hot), counted here and folded into syn1 every few updates.
template <bool kComputeLoss>
double hierarchical_softmax_update(const ModelRows& rows, const float* hidden, int32_t word, float alpha,
                                   float* gradient) {
  const size_t dim = rows.dim;
  const size_t length = rows.huffman->code_length(word);
  const uint8_t* code = rows.huffman->code(word);
  const int32_t* points = rows.huffman->points(word);
  float scores[kScoreBatch];
  float* nodes[kScoreBatch];
  float errors[kScoreBatch];
  float* trained[kScoreBatch];
  int32_t trained_ids[kScoreBatch];
  double loss = 0.0;
  for (size_t first = 0; first < length; first += kScoreBatch) {
    const size_t batch = std::min(kScoreBatch, length - first);
    for (size_t b = 0; b < batch; ++b) nodes[b] = node_row(rows, points[first + b]);
    dots(hidden, nodes, batch, scores, dim);
    size_t count = 0;
    for (size_t b = 0; b < batch; ++b) {
      if (!hs_decision<kComputeLoss>(scores[b], code[first + b], alpha, &errors[count], loss)) continue;
      trained[count] = nodes[b];
      trained_ids[count++] = points[first + b];
    }
    update_output_rows(errors, trained, count, hidden, gradient, dim);
    if (rows.hot)
      for (size_t t = 0; t < count; ++t) count_update(rows.hot->hs, trained_ids[t], dim);
  }
  return loss;
}

// Both output layers the model has, accumulating into `gradient` (which the caller zeroes); the caller has asked
// for `word`'s path (prefetch_path). With several workers, frequent words' output rows are the worker's private
// copies (ModelRows::hot), each target counted once a prediction.
template <bool kComputeLoss>
inline double output_layers(const ModelRows& rows, const float* hidden, int32_t word, float alpha,
                            const StepScratch& scratch, Rng& rng) {
  double loss = 0.0;
  if (rows.huffman) loss += hierarchical_softmax_update<kComputeLoss>(rows, hidden, word, alpha, scratch.gradient);
  if (rows.negative > 0) {
    const size_t count = draw_targets(rows, word, scratch.targets, rng);
    loss += negative_sampling_update<kComputeLoss>(rows, hidden, scratch.targets, count, alpha, scratch.gradient);
    if (rows.hot)
      for (size_t t = 0; t < count; ++t) count_update(rows.hot->output, scratch.targets[t], rows.dim);
  }
  return loss;
}

// One skip-gram prediction: the input row of `context` learns to predict `centre` (word2vec.c's order:
// syn0[context] predicts the output side of centre), whose path the caller has asked for (prefetch_path).
// The rows are updated without locks: Hogwild (Recht et al. 2011) is the algorithm, not an accident; concurrent
// writers touching the same row lose an occasional update, which word2vec's sparse updates tolerate.
template <bool kComputeLoss>
double skipgram_update(const ModelRows& rows, int32_t context, int32_t centre, float alpha,
                       const StepScratch& scratch, Rng& rng) {
  float* input = rows.input_vectors + static_cast<size_t>(context) * rows.dim;
  std::memset(scratch.gradient, 0, rows.dim * sizeof(float));
  const double loss = output_layers<kComputeLoss>(rows, input, centre, alpha, scratch, rng);
  axpy(1.0f, scratch.gradient, input, rows.dim);
  return loss;
}

// Skip-gram's predictions of one window when they all score the same distinct output rows, outputs[0, count): the
// centre's Huffman path with hierarchical softmax alone, the centre and its noise words with shared negatives. Each
// context word in turn (input_id(i) for i in [0, context_count)) scores the rows, decides their errors
// (decide(scores, errors, trained), returning the loss), updates the trained ones and receives its gradient, then
// counted(i, trained) counts its updates of private rows (with several workers, where a row's count folds the
// other workers' changes into it, the next context word's scores were taken before that fold: Hogwild's kind of
// staleness, which one worker never sees). Between two context words, the first one's update of the rows and
// the next one's scores of them share one pass over the rows where the SIMD path holds them in registers
// (update_and_score_rows()): each row is read once a context word instead of twice, and the updates overlap the next
// scores' arithmetic instead of coming before it. The results are the same to the bit as one prediction after the
// other: the next scores see every row as the update left it, and the next context word's own row has not changed
// since its scores were taken (a word repeated back to back, whose row the first gradient changes, is scored after
// that gradient).
constexpr size_t kSharedRows = 64;

template <class InputId, class Decide, class Counted>
double predict_shared_rows(const ModelRows& rows, float* const* outputs, size_t count, size_t context_count,
                           InputId input_id, Decide decide, Counted counted, const StepScratch& scratch) {
  const size_t dim = rows.dim;
  float scores[kSharedRows];
  float errors[kSharedRows];
  bool trained[kSharedRows];
  double loss = 0.0;
  if (context_count == 0) return loss;
  float* input = input_row(rows, input_id(0));
  dots(input, outputs, count, scores, dim);
  for (size_t i = 0; i < context_count; ++i) {
    loss += decide(scores, errors, trained);
    const bool has_next = i + 1 < context_count;
    const bool fused = has_next && input_id(i + 1) != input_id(i);
    float* next_input = has_next ? input_row(rows, input_id(i + 1)) : nullptr;
    std::memset(scratch.gradient, 0, dim * sizeof(float));
    update_and_score_rows(errors, trained, outputs, count, input, scratch.gradient, fused ? next_input : nullptr,
                          scores, dim);
    axpy(1.0f, scratch.gradient, input, dim);
    counted(i, trained);
    if (has_next && !fused) dots(next_input, outputs, count, scores, dim);
    input = next_input;
  }
  return loss;
}

// Skip-gram with hierarchical softmax alone, the window [first, last) around the centre at `centre_pos`, its
// context words one after the other as skipgram_update() trains them, through predict_shared_rows(). Paths longer
// than kSharedRows take skipgram_update().
template <bool kComputeLoss>
double skipgram_hs_window(const ModelRows& rows, const int32_t* ids, size_t first, size_t last, size_t centre_pos,
                          float alpha, const StepScratch& scratch, Rng& rng) {
  const int32_t centre = ids[centre_pos];
  const size_t length = rows.huffman->code_length(centre);
  if (length > kSharedRows) {
    double loss = 0.0;
    for (size_t c = first; c < last; ++c)
      if (c != centre_pos) loss += skipgram_update<kComputeLoss>(rows, ids[c], centre, alpha, scratch, rng);
    return loss;
  }
  const uint8_t* code = rows.huffman->code(centre);
  const int32_t* points = rows.huffman->points(centre);
  float* path[kSharedRows];
  for (size_t b = 0; b < length; ++b) path[b] = node_row(rows, points[b]);
  // Context i is the i-th position of the window, the centre skipped.
  const auto input_id = [&](size_t i) { return ids[first + i + (first + i >= centre_pos ? 1 : 0)]; };
  const auto decide = [&](const float* scores, float* errors, bool* trained) {
    double loss = 0.0;
    for (size_t b = 0; b < length; ++b)
      trained[b] = hs_decision<kComputeLoss>(scores[b], code[b], alpha, &errors[b], loss);
    return loss;
  };
  const auto counted = [&](size_t, const bool* trained) {
    if (rows.hot)
      for (size_t b = 0; b < length; ++b)
        if (trained[b]) count_update(rows.hot->hs, points[b], rows.dim);
  };
  return predict_shared_rows(rows, path, length, last - first - 1, input_id, decide, counted, scratch);
}

// One skip-gram step, a single pair (train_sentence_skipgram() fetches a centre's path once for its whole window).
template <bool kComputeLoss>
double skipgram_step(const ModelRows& rows, int32_t context, int32_t centre, float alpha, const StepScratch& scratch,
                     Rng& rng) {
  prefetch_path(rows, centre);
  return skipgram_update<kComputeLoss>(rows, context, centre, alpha, scratch, rng);
}

// One CBOW step over `window_words[0, window_length)`, whose word at `centre_offset` is the centre (its path asked
// for: prefetch_path) and the others its context: the context rows are summed (and averaged when cbow_mean) into the hidden vector, which predicts the
// centre. As gensim 4.4 does (word2vec_inner.pyx), every context row then receives the whole gradient when
// cbow_mean, and the gradient divided by the context size when not (word2vec.c always averages). Nothing is trained
// when the window has no context word.
template <bool kComputeLoss>
double cbow_step(const ModelRows& rows, const int32_t* window_words, size_t window_length, size_t centre_offset,
                 bool cbow_mean, float alpha, const StepScratch& scratch, Rng& rng) {
  const size_t dim = rows.dim;
  const size_t context_count = window_length - 1;
  if (context_count == 0) return 0.0;
  // The context words: those before the centre, then those after it.
  const int32_t* before = window_words;
  const int32_t* after = window_words + centre_offset + 1;
  const size_t after_count = window_length - centre_offset - 1;
  float* hidden = scratch.hidden;
  const float inverse_count = 1.0f / static_cast<float>(context_count);
  // Multiplying the sum by 1 when it is not averaged leaves it as it is, to the bit.
  scaled_sum_of_rows(hidden, cbow_mean ? inverse_count : 1.0f, rows.input_vectors, before, centre_offset, after,
                     after_count, dim);

  std::memset(scratch.gradient, 0, dim * sizeof(float));
  const double loss = output_layers<kComputeLoss>(rows, hidden, window_words[centre_offset], alpha, scratch, rng);
  const float scale = cbow_mean ? 1.0f : inverse_count;
  axpy_rows(scale, scratch.gradient, rows.input_vectors, before, centre_offset, after, after_count, dim);
  return loss;
}

// Skip-gram with negative samples shared by a whole window (after Ji et al. 2016, "Parallelizing Word2Vec in Shared
// and Distributed Memory"): every context word of the window predicts `centre` against the same `negative` noise
// words, drawn once. Otherwise the steps are the exact algorithm's, one context word after another, each seeing the
// rows as the previous one left them. (Ji et al. also apply a window's updates simultaneously, as one small matrix
// product; that measured 1.9 analogy points worse on the planted test corpus over 24 seeds, and no faster.) What
// pays is memory traffic: the noise rows, random and mostly out of cache, are drawn and fetched once a window
// instead of once a pair, and stay in L1 for the window's other context words.
//
// With `rows.hot`, the rows of the most frequent words are the worker's private copies, counted here and folded into
// the shared matrices every few updates (hot_rows.h): on many cores that keeps the threads from passing the cache
// lines of those rows back and forth at every window.
template <bool kComputeLoss>
double sgns_window_step(const ModelRows& rows, const int32_t* contexts, size_t context_count, int32_t centre,
                        float alpha, const StepScratch& scratch, Rng& rng) {
  const size_t dim = rows.dim;
  const size_t count = draw_targets(rows, centre, scratch.targets, rng);
  double loss = 0.0;
  float* outputs[kSharedRows];
  bool distinct = count <= kSharedRows;
  for (size_t t = 0; distinct && t < count; ++t) {
    outputs[t] = output_row(rows, scratch.targets[t]);
    distinct = !among(outputs, t, outputs[t]);
  }
  if (distinct) {
    // Every target is trained: negative sampling skips no prediction.
    const auto decide = [&](const float* scores, float* errors, bool* trained) {
      double window_loss = 0.0;
      for (size_t t = 0; t < count; ++t) {
        errors[t] = ns_error<kComputeLoss>(scores[t], t == 0, alpha, window_loss);
        trained[t] = true;
      }
      return window_loss;
    };
    const auto counted = [&](size_t i, const bool*) {
      if (rows.hot) count_update(rows.hot->input, contexts[i], dim);
    };
    const auto input_id = [contexts](size_t i) { return contexts[i]; };
    loss = predict_shared_rows(rows, outputs, count, context_count, input_id, decide, counted, scratch);
  } else {
    // A noise word drawn twice: negative_sampling_update() scores its second draw after the first one's update.
    for (size_t i = 0; i < context_count; ++i) {
      float* input = input_row(rows, contexts[i]);
      std::memset(scratch.gradient, 0, dim * sizeof(float));
      loss += negative_sampling_update<kComputeLoss>(rows, input, scratch.targets, count, alpha, scratch.gradient);
      axpy(1.0f, scratch.gradient, input, dim);
      if (rows.hot) count_update(rows.hot->input, contexts[i], dim);
    }
  }
  // An output row counts one update a window, however many of the window's context words trained it.
  if (rows.hot)
    for (size_t t = 0; t < count; ++t) count_update(rows.hot->output, scratch.targets[t], dim);
  return loss;
}
