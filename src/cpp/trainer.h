// Hogwild training of word2vec (skip-gram or CBOW; negative sampling, hierarchical softmax or both) over a corpus,
// one pass (epoch) at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "corpus.h"
#include "huffman.h"
#include "sampler.h"
#include "vocab.h"

namespace w2v {

// Hyperparameters of a run, already validated by the Python layer.
struct TrainConfig {
  size_t vector_size = 100;
  int window = 5;
  int negative = 5;          // noise words per prediction; 0 turns negative sampling off (then hs must be on)
  bool sg = true;            // skip-gram; false: CBOW
  bool hs = false;           // hierarchical softmax (needs TrainingTables::hs_vectors and huffman)
  bool cbow_mean = true;     // CBOW averages the context vectors; false: sums them
  float alpha = 0.025f;      // learning rate at the start of the run
  float min_alpha = 0.0001f; // learning rate at the end of the run
  unsigned workers = 1;
  uint64_t seed = 1;
  bool compute_loss = false;
  bool shared_negatives = false;  // skip-gram with noise words shared by each window (sgns_window_step)
};

// The model's state that training reads and writes. Weight matrices are vocab_size x vector_size, row-major, owned
// by the caller (NumPy arrays in Python) and updated in place.
struct TrainingTables {
  float* input_vectors = nullptr;
  float* output_vectors = nullptr;  // syn1neg, for negative sampling
  float* hs_vectors = nullptr;      // syn1, for hierarchical softmax
  const HuffmanTree* huffman = nullptr;
  size_t vocab_size = 0;
  const uint32_t* keep_threshold = nullptr;  // per word, from keep_thresholds(); nullptr disables subsampling
  const NoiseSampler* noise = nullptr;
};

// Where a pass's sentences come from: text files (plain ones read in parallel byte ranges, compressed ones
// decompressed on a reader thread), an id corpus, and/or id batches the caller pushes while the pass runs.
struct CorpusSource {
  std::vector<std::string> paths;
  const WordTable* vocab = nullptr;  // looks up the words of text files
  IdCorpus ids;
  bool streamed = false;             // the caller will push() IdBatches, then close()
};

// A batch of sentences pushed by the caller: vocabulary ids, -1 for a word outside the vocabulary.
struct IdBatch {
  std::vector<int32_t> tokens;
  std::vector<int64_t> offsets;  // sentence s is tokens[offsets[s] .. offsets[s+1]); offsets[0] == 0
};

// The learning rate after `progress` (0 at the start of the run, 1 at its end) decays linearly, as gensim's does.
float learning_rate(float alpha, float min_alpha, double progress);

// Where the run stands before a pass, and what the pass did. A pass is one epoch over its source.
struct EpochProgress {
  uint64_t words_done_before = 0;  // corpus words (before subsampling) trained in earlier passes
  uint64_t total_words = 0;        // corpus words the whole run will train: epochs x words per epoch
  uint64_t rng_stream = 0;         // distinct for every pass of a model's life, so no two passes draw the same numbers
};
struct EpochResult {
  uint64_t words = 0;            // corpus words read, out-of-vocabulary words included
  uint64_t effective_words = 0;  // words left after subsampling, i.e. trained as centre words
  double loss = 0.0;             // summed training loss, when TrainConfig::compute_loss (each thread sums in double)
  float last_alpha = 0.0f;       // the learning rate of the last update
  bool stopped = false;          // interrupted before the end of the pass
};

// One pass over a source on config.workers Hogwild threads (plus a reader thread for compressed files):
// start(), then push() batches and close() for a streamed source, then wait(). Memory stays bounded: blocks of
// decompressed text and pushed batches wait in a queue of kQueuedBlocksPerWorker x workers entries.
class TrainingPass {
 public:
  static constexpr unsigned kQueuedBlocksPerWorker = 2;

  TrainingPass(const TrainConfig& config, const TrainingTables& tables, CorpusSource source,
               const EpochProgress& progress);
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

// A whole pass over a source that needs no pushing (files or an id corpus).
EpochResult train_epoch(const TrainConfig& config, const TrainingTables& tables, const CorpusSource& source,
                        const EpochProgress& progress, const std::function<bool()>& poll);

}  // namespace w2v
