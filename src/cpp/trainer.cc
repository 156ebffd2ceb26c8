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

// From this many threads on, a shared-negatives window trains copies of its output rows (see sgns_window_step):
// the break-even measured on 16 cores.
constexpr unsigned kWindowCopyWorkers = 4;

// Shared by all workers of a pass, on its own cache line: workers add to it every kProgressBatchWords words.
struct alignas(64) SharedCounter {
  std::atomic<uint64_t> value{0};
};

// One worker's state, private to its thread.
class Worker {
 public:
  Worker(const TrainConfig& config, const TrainingTables& tables, const EpochProgress& progress,
         SharedCounter& words_done, const std::atomic<bool>& stop, unsigned thread_id)
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
        targets_(2 * (static_cast<size_t>(config.negative) + 1)),
        alpha_(current_alpha(0)) {
    if (config.shared_negatives) {
      contexts_.resize(2 * static_cast<size_t>(config.window));
      if (config.workers >= kWindowCopyWorkers) window_rows_.resize(targets_.size() * config.vector_size);
    }
    sentence_.reserve(kMaxSentenceWords);
  }

  bool stopped() const { return stop_.load(std::memory_order_relaxed); }

  // Appends a word to the current sentence; a full sentence is trained as a chunk of kMaxSentenceWords words.
  // Id -1 is a corpus word outside the vocabulary: not trained, but it counts towards progress, as in gensim and
  // word2vec.c, so that the learning rate reaches min_alpha at the end of a run measured in corpus_total_words.
  void add_word(int32_t id) {
    if (id < 0) {
      ++result_.words;
      ++unreported_words_;
      return;
    }
    sentence_.push_back(id);
    if (sentence_.size() == kMaxSentenceWords) end_sentence();
  }

  // Trains the current sentence, if it has words, and starts a new one.
  void end_sentence() {
    size_t length = sentence_.size();
    if (length == 0) return;
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
    end_sentence();
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
    const StepScratch scratch{gradient_.data(), hidden_.data(), targets_.data(),
                              window_rows_.empty() ? nullptr : window_rows_.data()};
    if (config_.sg && config_.shared_negatives) {
      return train_sentence_skipgram_shared<kComputeLoss>(rows_, sentence_.data(), length, config_.window, alpha_,
                                                          contexts_.data(), scratch, rng_);
    }
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
  const std::atomic<bool>& stop_;
  Rng rng_;
  ModelRows rows_;
  std::vector<float> gradient_;
  std::vector<float> hidden_;
  std::vector<int32_t> targets_;
  std::vector<int32_t> sentence_;
  std::vector<int32_t> contexts_;         // shared_negatives: the context ids of a window
  std::vector<float> window_rows_;        // shared_negatives: copies of a window's target rows, and their originals
  float alpha_;
  uint64_t unreported_words_ = 0;
  EpochResult result_;
};

// Feeds a worker the lines of its byte range of a plain text file.
void read_file_range(Worker& worker, const std::string& path, const WordTable& vocab, unsigned part, unsigned parts) {
  const auto range = byte_range(file_size(path), part, parts);
  TokenReader reader(path, range.first, range.second);
  std::string_view token;
  for (;;) {
    const TokenReader::Event event = reader.next(&token);
    if (event == TokenReader::kToken) {
      worker.add_word(vocab.find(token));  // WordTable::kMissing is -1, an unknown word
      continue;
    }
    worker.end_sentence();
    if (event == TokenReader::kEndOfRange || worker.stopped()) return;
  }
}

// Feeds a worker a block of whole lines of text.
void read_text_block(Worker& worker, std::string_view text, const WordTable& vocab) {
  tokenize_lines(
      text, [&](std::string_view token) { worker.add_word(vocab.find(token)); }, [&] { worker.end_sentence(); });
}

// Feeds a worker sentences [first, last) of an id corpus.
template <typename Token>
void read_id_sentences(Worker& worker, const Token* tokens, const int64_t* offsets, size_t first, size_t last,
                       const int32_t* id_map, size_t id_map_size, size_t vocab_size) {
  const size_t limit = id_map ? id_map_size : vocab_size;
  for (size_t s = first; s < last && !worker.stopped(); ++s) {
    for (int64_t t = offsets[s]; t < offsets[s + 1]; ++t) {
      const Token value = tokens[t];
      if (value < 0 ? value != -1 || id_map : static_cast<uint64_t>(value) >= limit)
        throw std::invalid_argument("word id " + std::to_string(value) + " at position " + std::to_string(t) +
                                    " is outside the vocabulary of " + std::to_string(limit) + " words");
      worker.add_word(id_map ? id_map[value] : static_cast<int32_t>(value));
    }
    worker.end_sentence();
  }
}

// Feeds a worker the sentences of an id corpus that start in its share of the tokens.
void read_id_share(Worker& worker, const IdCorpus& ids, size_t vocab_size, unsigned part, unsigned parts) {
  if (ids.empty()) return;
  const auto range = byte_range(ids.token_count(), part, parts);
  const int64_t* begin = ids.offsets;
  const int64_t* end = ids.offsets + ids.sentence_count;
  // Sentences whose first token lies in [range.first, range.second) are ours.
  const size_t first = std::lower_bound(begin, end, static_cast<int64_t>(range.first)) - begin;
  const size_t last = std::lower_bound(begin, end, static_cast<int64_t>(range.second)) - begin;
  if (ids.tokens32) {
    read_id_sentences(worker, ids.tokens32, ids.offsets, first, last, ids.id_map, ids.id_map_size, vocab_size);
  } else {
    read_id_sentences(worker, ids.tokens64, ids.offsets, first, last, ids.id_map, ids.id_map_size, vocab_size);
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

// What waits in a pass's queue: a block of decompressed lines, or a batch the caller pushed.
struct QueuedBlock {
  std::string text;
  IdBatch ids;
};

}  // namespace

float learning_rate(float alpha, float min_alpha, double progress) {
  progress = std::min(std::max(progress, 0.0), 1.0);
  return static_cast<float>(alpha - (static_cast<double>(alpha) - min_alpha) * progress);
}

struct TrainingPass::State {
  State(const TrainConfig& config_in, const TrainingTables& tables_in, CorpusSource source_in,
        const EpochProgress& progress_in)
      : config(config_in),
        tables(tables_in),
        source(std::move(source_in)),
        progress(progress_in),
        workers(std::max(1u, config_in.workers)),
        queue(static_cast<size_t>(workers) * kQueuedBlocksPerWorker),
        results(workers) {}

  void train(unsigned part);
  void decompress();

  const TrainConfig config;
  const TrainingTables tables;
  const CorpusSource source;
  const EpochProgress progress;
  const unsigned workers;
  std::vector<std::string> plain_paths;
  std::vector<std::pair<std::string, Compression>> compressed_paths;
  SharedCounter words_done;
  BoundedQueue<QueuedBlock> queue;  // declared before `group`, whose stop hook cancels it
  std::vector<EpochResult> results;
  WorkerGroup group;
  bool closed = false;
};

void TrainingPass::State::train(unsigned part) {
  Worker worker(config, tables, progress, words_done, group.stop_flag(), part);
  for (const std::string& path : plain_paths) {
    if (worker.stopped()) break;
    read_file_range(worker, path, *source.vocab, part, workers);
  }
  read_id_share(worker, source.ids, tables.vocab_size, part, workers);
  for (QueuedBlock block; !worker.stopped() && queue.pop(&block);) {
    if (!block.text.empty()) {
      read_text_block(worker, block.text, *source.vocab);
      continue;
    }
    const IdBatch& batch = block.ids;
    if (batch.offsets.empty()) continue;
    read_id_sentences(worker, batch.tokens.data(), batch.offsets.data(), 0, batch.offsets.size() - 1, nullptr, 0,
                      tables.vocab_size);
  }
  results[part] = worker.finish();
}

void TrainingPass::State::decompress() {
  for (const auto& [path, compression] : compressed_paths) {
    LineBlockReader reader(open_decompressed(path, compression));
    QueuedBlock block;
    while (!group.stopping() && reader.next(&block.text)) {
      while (!queue.push(std::move(block), std::chrono::milliseconds(50)))
        if (group.stopping()) return;
      block = QueuedBlock();
    }
  }
  queue.producer_done();
}

TrainingPass::TrainingPass(const TrainConfig& config, const TrainingTables& tables, CorpusSource source,
                           const EpochProgress& progress)
    : state_(std::make_unique<State>(config, tables, std::move(source), progress)) {
  if (!tables.input_vectors || !tables.noise || tables.vocab_size == 0)
    throw std::invalid_argument("training needs weights, a noise sampler and a non-empty vocabulary");
  check_output_layers(config, tables);
  State& s = *state_;
  if (!s.source.paths.empty() && !s.source.vocab) throw std::invalid_argument("reading files needs a vocabulary");
  for (const std::string& path : s.source.paths) {
    const Compression compression = detect_compression(path);
    if (compression == Compression::kNone) {
      s.plain_paths.push_back(path);
    } else {
      if (!can_decompress(compression)) open_decompressed(path, compression);  // throws the explanation
      s.compressed_paths.emplace_back(path, compression);
    }
  }
}

TrainingPass::~TrainingPass() = default;

void TrainingPass::start() {
  State& s = *state_;
  const bool reader = !s.compressed_paths.empty();
  if (reader) s.queue.add_producer();
  if (s.source.streamed) s.queue.add_producer();
  s.group.on_stop([&s] { s.queue.cancel(); });
  s.group.start(s.workers + (reader ? 1 : 0), [&s](unsigned index) {
    if (index < s.workers) {
      s.train(index);
    } else {
      s.decompress();
    }
  });
}

bool TrainingPass::push(IdBatch&& batch, std::chrono::milliseconds timeout) {
  State& s = *state_;
  if (!s.source.streamed || s.closed) throw std::logic_error("push() needs an open streamed pass");
  QueuedBlock block;
  block.ids = std::move(batch);
  const bool pushed = s.queue.push(std::move(block), timeout);
  if (!pushed && !s.group.stopping()) batch = std::move(block.ids);  // timed out: hand the batch back for a retry
  return pushed;
}

void TrainingPass::close() {
  State& s = *state_;
  if (s.source.streamed && !s.closed) s.queue.producer_done();
  s.closed = true;
}

void TrainingPass::stop() { state_->group.stop(); }
bool TrainingPass::stopping() const { return state_->group.stopping(); }
uint64_t TrainingPass::words_done() const { return state_->words_done.value.load(std::memory_order_relaxed); }

EpochResult TrainingPass::wait(const std::function<bool()>& poll) {
  State& s = *state_;
  close();
  s.group.wait(poll);
  EpochResult total;
  const double done = static_cast<double>(s.progress.words_done_before + s.words_done.value.load());
  total.last_alpha = learning_rate(s.config.alpha, s.config.min_alpha,
                                   done / static_cast<double>(std::max<uint64_t>(s.progress.total_words, 1)));
  for (const EpochResult& r : s.results) {
    total.words += r.words;
    total.effective_words += r.effective_words;
    total.loss += r.loss;
  }
  total.stopped = s.group.stopping();
  return total;
}

EpochResult train_epoch(const TrainConfig& config, const TrainingTables& tables, const CorpusSource& source,
                        const EpochProgress& progress, const std::function<bool()>& poll) {
  if (source.streamed) throw std::invalid_argument("train_epoch cannot read a streamed source");
  TrainingPass pass(config, tables, source, progress);
  pass.start();
  return pass.wait(poll);
}

}  // namespace w2v
