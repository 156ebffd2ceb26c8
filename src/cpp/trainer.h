// Hogwild training of word2vec (skip-gram or CBOW; negative sampling, hierarchical softmax or both) over a corpus,
// one epoch per call.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
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

// Where an epoch's sentences come from: text files looked up in `vocab`, or an id corpus.
struct CorpusSource {
  std::vector<std::string> paths;
  const WordTable* vocab = nullptr;
  IdCorpus ids;
};

// The learning rate after `progress` (0 at the start of the run, 1 at its end) decays linearly, as gensim's does.
float learning_rate(float alpha, float min_alpha, double progress);

// Where the run stands before a call, and what the call did. A call trains one pass over the source: a whole epoch
// of a file, or one batch of an id corpus.
struct EpochProgress {
  uint64_t words_done_before = 0;  // corpus words (before subsampling) trained in earlier epochs
  uint64_t total_words = 0;        // corpus words the whole run will train: epochs x words per epoch
  uint64_t rng_stream = 0;         // distinct for every call of a model's life, so no two calls draw the same numbers
};
struct EpochResult {
  uint64_t words = 0;            // corpus words read, out-of-vocabulary words included
  uint64_t effective_words = 0;  // words left after subsampling, i.e. trained as centre words
  double loss = 0.0;             // summed training loss, when TrainConfig::compute_loss
  float last_alpha = 0.0f;       // the learning rate of the last update
  bool stopped = false;          // interrupted before the end of the epoch
};

// Trains one epoch on config.workers threads. `poll` is called on the calling thread about every 100 ms while the
// workers run; returning true stops them promptly (Ctrl-C). Weights stay consistent and usable after a stop.
EpochResult train_epoch(const TrainConfig& config, const TrainingTables& tables, const CorpusSource& source,
                        const EpochProgress& progress, const std::function<bool()>& poll);

}  // namespace w2v
