#include "trainer.h"

#include <algorithm>
#include <stdexcept>

#include "kernels.h"
#include "parallel.h"
#include "sentence.h"

namespace w2v {
namespace {

// Words a worker trains before it publishes progress and recomputes the learning rate (word2vec.c's 10000).
constexpr uint64_t kProgressBatchWords = 10000;

// Shared by all workers of an epoch. Each on its own cache line: workers bump `words_done` and poll `stop`.
struct alignas(64) SharedCounter {
  std::atomic<uint64_t> value{0};
};
struct alignas(64) SharedFlag {
  std::atomic<bool> value{false};
};

// One worker's state, private to its thread.
class Worker {
 public:
  Worker(const TrainConfig& config, const TrainingTables& tables, const EpochProgress& progress,
         SharedCounter& words_done, SharedFlag& stop, unsigned thread_id)
      : config_(config),
        tables_(tables),
        progress_(progress),
        words_done_(words_done),
        stop_(stop),
        rng_(worker_seed(config.seed, thread_id, progress.rng_stream)),
        rows_{tables.input_vectors, tables.output_vectors, tables.hs_vectors, config.vector_size, config.negative,
              tables.noise, config.hs ? tables.huffman : nullptr},
        gradient_(config.vector_size),
        hidden_(config.vector_size),
        targets_(static_cast<size_t>(config.negative) + 1),
        alpha_(current_alpha(0)) {
    sentence_.reserve(kMaxSentenceWords);
  }

  bool stopped() const { return stop_.value.load(std::memory_order_relaxed); }
  std::vector<int32_t>& sentence() { return sentence_; }

  // A corpus word outside the vocabulary: not trained, but it counts towards progress, as in gensim and word2vec.c,
  // so that the learning rate reaches min_alpha at the end of a run measured in corpus_total_words.
  void skip_unknown_word() {
    ++result_.words;
    ++unreported_words_;
  }

  // Trains on the words in sentence(), then empties it.
  void train_sentence() {
    size_t length = sentence_.size();
    result_.words += length;
    unreported_words_ += length;
    if (tables_.keep_threshold) length = subsample(sentence_.data(), length, tables_.keep_threshold, rng_);
    result_.effective_words += length;
    if (config_.compute_loss) {
      result_.loss += train_words<true>(length);
    } else {
      train_words<false>(length);
    }
    sentence_.clear();
    if (unreported_words_ >= kProgressBatchWords) publish_progress();
  }

  EpochResult finish() {
    publish_progress();
    return result_;
  }

 private:
  float current_alpha(uint64_t words_done_this_epoch) const {
    const double done = static_cast<double>(progress_.words_done_before + words_done_this_epoch);
    const double total = static_cast<double>(std::max<uint64_t>(progress_.total_words, 1));
    return learning_rate(config_.alpha, config_.min_alpha, done / total);
  }

  void publish_progress() {
    const uint64_t done = words_done_.value.fetch_add(unreported_words_, std::memory_order_relaxed) +
                          unreported_words_;
    unreported_words_ = 0;
    alpha_ = current_alpha(done);
  }

  // Trains the first `length` words of sentence_ in the configured mode; returns the loss when kComputeLoss.
  template <bool kComputeLoss>
  double train_words(size_t length) {
    const StepScratch scratch{gradient_.data(), hidden_.data(), targets_.data()};
    if (config_.sg)
      return train_sentence_skipgram<kComputeLoss>(rows_, sentence_.data(), length, config_.window, alpha_, scratch,
                                                   rng_);
    return train_sentence_cbow<kComputeLoss>(rows_, sentence_.data(), length, config_.window, config_.cbow_mean,
                                             alpha_, scratch, rng_);
  }

  const TrainConfig& config_;
  const TrainingTables& tables_;
  const EpochProgress& progress_;
  SharedCounter& words_done_;
  SharedFlag& stop_;
  Rng rng_;
  ModelRows rows_;
  std::vector<float> gradient_;
  std::vector<float> hidden_;
  std::vector<int32_t> targets_;
  std::vector<int32_t> sentence_;
  float alpha_;
  uint64_t unreported_words_ = 0;
  EpochResult result_;
};

// Feeds a worker the lines of its byte range of every file, as in-vocabulary ids in chunks of kMaxSentenceWords.
void read_files(Worker& worker, const CorpusSource& source, unsigned part, unsigned parts) {
  std::vector<int32_t>& sentence = worker.sentence();
  for (const std::string& path : source.paths) {
    const auto range = byte_range(file_size(path), part, parts);
    TokenReader reader(path, range.first, range.second);
    std::string_view token;
    for (;;) {
      const TokenReader::Event event = reader.next(&token);
      if (event == TokenReader::kToken) {
        const int32_t id = source.vocab->find(token);
        if (id == WordTable::kMissing) {
          worker.skip_unknown_word();
          continue;
        }
        sentence.push_back(id);
        if (sentence.size() < kMaxSentenceWords) continue;
      }
      if (!sentence.empty()) worker.train_sentence();
      if (event == TokenReader::kEndOfRange || worker.stopped()) break;
    }
    if (worker.stopped()) return;
  }
}

// Feeds a worker the sentences of an id corpus that start in its share of the tokens.
void read_ids(Worker& worker, const IdCorpus& ids, size_t vocab_size, unsigned part, unsigned parts) {
  if (ids.sentence_count == 0) return;
  const uint64_t total = static_cast<uint64_t>(ids.offsets[ids.sentence_count]);
  const auto range = byte_range(total, part, parts);
  const int64_t* begin = ids.offsets;
  const int64_t* end = ids.offsets + ids.sentence_count;
  // Sentences whose first token lies in [range.first, range.second) are ours.
  size_t first = std::lower_bound(begin, end, static_cast<int64_t>(range.first)) - begin;
  const size_t last = std::lower_bound(begin, end, static_cast<int64_t>(range.second)) - begin;
  std::vector<int32_t>& sentence = worker.sentence();
  for (size_t s = first; s < last && !worker.stopped(); ++s) {
    for (int64_t t = ids.offsets[s]; t < ids.offsets[s + 1]; ++t) {
      const int32_t id = ids.tokens[t];
      if (id < 0 || static_cast<size_t>(id) >= vocab_size)
        throw std::invalid_argument("word id " + std::to_string(id) + " at position " + std::to_string(t) +
                                    " is outside the vocabulary of " + std::to_string(vocab_size) + " words");
      sentence.push_back(id);
      if (sentence.size() == kMaxSentenceWords) worker.train_sentence();
    }
    if (!sentence.empty()) worker.train_sentence();
  }
}

// At least one output layer, each with the tables it reads.
void check_output_layers(const TrainConfig& config, const TrainingTables& tables) {
  if (config.negative < 0) throw std::invalid_argument("negative must be >= 0");
  if (config.negative == 0 && !config.hs) throw std::invalid_argument("training needs negative > 0 or hs");
  if (config.negative > 0 && !tables.output_vectors)
    throw std::invalid_argument("negative sampling needs the output vectors (syn1neg)");
  if (config.hs && (!tables.hs_vectors || !tables.huffman || tables.huffman->size() != tables.vocab_size))
    throw std::invalid_argument("hierarchical softmax needs syn1 and a Huffman tree of the vocabulary");
}

}  // namespace

float learning_rate(float alpha, float min_alpha, double progress) {
  progress = std::min(std::max(progress, 0.0), 1.0);
  return static_cast<float>(alpha - (static_cast<double>(alpha) - min_alpha) * progress);
}

EpochResult train_epoch(const TrainConfig& config, const TrainingTables& tables, const CorpusSource& source,
                        const EpochProgress& progress, const std::function<bool()>& poll) {
  if (!tables.input_vectors || !tables.noise || tables.vocab_size == 0)
    throw std::invalid_argument("training needs weights, a noise sampler and a non-empty vocabulary");
  check_output_layers(config, tables);
  if (!source.paths.empty() && !source.vocab) throw std::invalid_argument("reading files needs a vocabulary");
  const unsigned workers = std::max(1u, config.workers);

  SharedCounter words_done;
  SharedFlag stop;
  std::vector<EpochResult> results(workers);
  run_parallel(
      workers,
      [&](unsigned part) {
        Worker worker(config, tables, progress, words_done, stop, part);
        if (!source.paths.empty()) {
          read_files(worker, source, part, workers);
        } else {
          read_ids(worker, source.ids, tables.vocab_size, part, workers);
        }
        results[part] = worker.finish();
      },
      &stop.value, poll);

  EpochResult total;
  total.last_alpha = learning_rate(config.alpha, config.min_alpha,
                                   static_cast<double>(progress.words_done_before + words_done.value.load()) /
                                       static_cast<double>(std::max<uint64_t>(progress.total_words, 1)));
  for (const EpochResult& r : results) {
    total.words += r.words;
    total.effective_words += r.effective_words;
    total.loss += r.loss;
  }
  total.stopped = stop.value.load();
  return total;
}

}  // namespace w2v
