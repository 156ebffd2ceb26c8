// Hogwild training of word2vec (skip-gram or CBOW; negative sampling, hierarchical softmax or both) over a corpus,
// one pass (epoch) at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "corpus.h"
#include "subwords.h"
#include "vocab.h"

namespace w2v {

// The hyperparameters of one train() call. Python defines every default and validates every value (word2vec.py);
// this struct has none of its own, and the binding fills every field.
struct TrainConfig {
  size_t vector_size;
  int window;
  int negative;            // noise words per prediction; 0 turns negative sampling off (then hs must be on)
  bool sg;                 // skip-gram; false: CBOW
  bool hs;                 // hierarchical softmax (needs ModelWeights::hs_vectors and the vocabulary's Huffman tree)
  bool cbow_mean;          // CBOW averages the context vectors; false: sums them
  bool shared_negatives;   // skip-gram with noise words shared by each window (sgns_window_step)
  float alpha;             // learning rate at the start of the call
  float min_alpha;         // learning rate at its end
  uint64_t total_words;    // corpus words the call trains, epochs x words per epoch: the schedule's length
  unsigned workers;
  uint64_t seed;
  bool compute_loss;
};

// The weight matrices training updates in place: vocab_size x vector_size, row-major, owned by the caller (NumPy
// arrays in Python). A layer the configuration does not train may be null.
struct ModelWeights {
  float* input_vectors;   // syn0: the word vectors (with subwords, the words' own rows: gensim's vectors_vocab)
  float* output_vectors;  // syn1neg, for negative sampling
  float* hs_vectors;      // syn1, for hierarchical softmax
  // Floats from one row of syn1neg (syn1) to the next; 0: vector_size. word2vec.py pads the output layers' rows to
  // whole cache lines, which the rows a prediction scores and updates a register at a time are faster on
  // (docs/design.md, Memory).
  size_t output_stride = 0;
  size_t hs_stride = 0;
  float* ngram_vectors = nullptr;  // with subwords: bucket x vector_size, the n-gram rows (gensim's vectors_ngrams)
};

// Where a pass's sentences come from: text files (plain ones read in parallel byte ranges, compressed ones
// decompressed on a reader thread), an id corpus, and/or id batches the caller pushes while the pass runs.
struct CorpusSource {
  std::vector<std::string> paths;
  IdCorpus ids;
  bool streamed = false;  // the caller will push() IdBatches, then close()
  // The plain files' ids, kept by the first pass for the next ones (shared by the passes of a train() call); null:
  // every pass reads the text.
  std::shared_ptr<ChunkIdCache> chunk_ids;
};

// A batch of sentences pushed by the caller: vocabulary ids, -1 for a word outside the vocabulary.
struct IdBatch {
  std::vector<int32_t> tokens;
  std::vector<int64_t> offsets;  // sentence s is tokens[offsets[s] .. offsets[s+1]); offsets[0] == 0
};

// The learning rate after `progress` (0 at the start of a train() call, 1 at its end; clamped) decays linearly, as
// gensim's and word2vec.c's do. The one formula of the schedule: Python's progress reports call it too.
float learning_rate(float alpha, float min_alpha, double progress);

// Where the call stands before a pass, and what the pass did. A pass is one epoch over its source.
struct EpochProgress {
  uint64_t words_done_before = 0;  // corpus words (before subsampling) trained in earlier passes of the call
  uint64_t rng_stream = 0;         // distinct for every pass of a model's life, so no two passes draw the same numbers
};
struct EpochResult {
  uint64_t words = 0;              // corpus words read, out-of-vocabulary words included
  uint64_t effective_words = 0;    // words left after subsampling, i.e. trained as centre words
  double loss = 0.0;               // summed training loss, when TrainConfig::compute_loss (each thread sums in double)
  float last_alpha = 0.0f;         // the learning rate of the last update
  uint64_t private_row_folds = 0;  // rows of frequent words folded into the model (hot_rows.h); 0 with one worker
  bool stopped = false;            // interrupted before the end of the pass
};

// One pass over a source on config.workers Hogwild threads (plus a reader thread for compressed files):
// start(), then push() batches and close() for a streamed source, then wait(). Memory stays bounded: blocks of
// decompressed text and pushed batches wait in a queue of kQueuedBlocksPerWorker x workers entries. The vocabulary
// and the weights must outlive the pass.
class TrainingPass {
 public:
  static constexpr unsigned kQueuedBlocksPerWorker = 2;
  // A streamed source's batches hold about this many words: large enough that the cost of a batch vanishes, small
  // enough that the queue of kQueuedBlocksPerWorker x workers batches holds little memory.
  static constexpr size_t kBatchWords = 1 << 16;

  // With `subwords` (computed for this vocabulary), the pass trains FastText: each word's input is its own row with
  // its n-gram rows of weights.ngram_vectors (simd/subword_steps_inl.h). The subwords must outlive the pass too.
  TrainingPass(const TrainConfig& config, const Vocabulary& vocabulary, const ModelWeights& weights,
               CorpusSource source, const EpochProgress& progress, const Subwords* subwords = nullptr);
  ~TrainingPass();
  TrainingPass(const TrainingPass&) = delete;
  TrainingPass& operator=(const TrainingPass&) = delete;

  void start();
  // Queues a batch of a streamed source, waiting up to `timeout` for room. False if it timed out or the pass is
  // stopping (a worker failed, or stop() was called): the caller should then stop pushing and wait().
  bool push(IdBatch&& batch, std::chrono::milliseconds timeout);
  void close();  // a streamed source has pushed its last batch
  void stop();   // asks every thread to finish promptly; the weights stay consistent
  bool stopping() const;
  uint64_t words_done() const;  // corpus words of this pass trained so far, for progress reports

  // Waits for the pass to end, calling `poll` about every 100 ms on this thread (returning true stops the pass).
  // Rethrows the first error of any thread.
  EpochResult wait(const std::function<bool()>& poll);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace w2v
