#include "trainer.h"

#include <algorithm>
#include <stdexcept>

#include "hot_rows.h"
#include "kernels.h"
#include "parallel.h"
#include "sentence.h"

namespace w2v {
namespace {

// Words a worker trains before it publishes progress and recomputes the learning rate (word2vec.c's 10000).
constexpr uint64_t kProgressBatchWords = 10000;

// Shared by all workers of a pass, on its own cache line: workers add to it every kProgressBatchWords words.
struct alignas(64) SharedCounter {
  std::atomic<uint64_t> value{0};
};

// One worker's state, private to its thread.
class Worker {
 public:
  Worker(const TrainConfig& config, const TrainingTables& tables, const EpochProgress& progress,
         SharedCounter& words_done, const std::atomic<bool>& stop, uint64_t random_stream)
      : config_(config),
        tables_(tables),
        progress_(progress),
        words_done_(words_done),
        stop_(stop),
        rng_(worker_seed(config.seed, random_stream, progress.rng_stream)),
        rows_{tables.input_vectors, tables.output_vectors, tables.hs_vectors, config.vector_size, config.negative,
              tables.noise, config.hs ? tables.huffman : nullptr},
        gradient_(config.vector_size),
        hidden_(config.vector_size),
        targets_(static_cast<size_t>(config.negative) + 1),
        alpha_(current_alpha(0)) {
    if (config.shared_negatives) {
      contexts_.resize(2 * static_cast<size_t>(config.window));
      // Private rows of frequent words pay where threads share rows; one worker trains in place, bit for bit as
      // before they existed.
      if (config.workers > 1) {
        hot_rows_ = std::make_unique<HotRowCopies>(tables.input_vectors, tables.output_vectors, tables.vocab_size,
                                                   config.vector_size, config.workers);
        rows_.hot = hot_rows_->rows();
      }
    }
    sentence_.reserve(kMaxSentenceWords);
  }

  bool stopped() const { return stop_.load(std::memory_order_relaxed); }

  // Restarts the random draws from stream `index` of this pass. Each chunk of a corpus draws from its own stream,
  // whichever worker takes it, so that the windows and noise words of a run do not depend on thread scheduling.
  void draw_from_stream(uint64_t index) { rng_ = Rng(worker_seed(config_.seed, index, progress_.rng_stream)); }

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
    if (hot_rows_) hot_rows_->fold_all();
    const uint64_t done = words_done_.value.fetch_add(unreported_words_, std::memory_order_relaxed) +
                          unreported_words_;
    unreported_words_ = 0;
    alpha_ = current_alpha(done);
  }

  // Trains the first `length` words of sentence_ in the configured mode; returns the loss when kComputeLoss.
  template <bool kComputeLoss>
  double train_words(size_t length) {
    const StepScratch scratch{gradient_.data(), hidden_.data(), targets_.data()};
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
  std::unique_ptr<HotRowCopies> hot_rows_;  // shared_negatives with several workers
  float alpha_;
  uint64_t unreported_words_ = 0;
  EpochResult result_;
};

// Workers take the plain files and the id corpus of a pass in chunks (WorkShares), so that threads of unequal speed
// finish together: with a fixed share each, a pass lasts as long as its slowest thread takes for its share, and
// threads are unequal (16 one-thread trainings at once on one 16-core machine ran at 576k to 740k words/s). A chunk
// is at least kMinChunkBytes of text or kMinChunkTokens ids, so that taking one costs nothing next to training it;
// on 16 cores chunks of 256 KiB were slower than 64 KiB, and 16 KiB no faster.
constexpr unsigned kChunksPerWorker = 32;
constexpr uint64_t kMinChunkBytes = 64 << 10;
constexpr uint64_t kMinChunkTokens = 16 << 10;

// How many chunks to cut `units` (bytes or tokens) into: one for a single worker.
uint64_t chunk_count(uint64_t units, unsigned workers, uint64_t min_units) {
  if (workers <= 1) return 1;
  return std::max<uint64_t>(1, std::min<uint64_t>(uint64_t{workers} * kChunksPerWorker, units / min_units));
}

// Feeds a worker the lines of part `part` of `parts` of a plain text file of `size` bytes.
void read_file_range(Worker& worker, const std::string& path, uint64_t size, const WordTable& vocab, unsigned part,
                     unsigned parts) {
  const auto range = byte_range(size, part, parts);
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

// Feeds a worker the sentences of an id corpus that start in part `part` of `parts` of its tokens.
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
  if (config.shared_negatives && (!config.sg || config.hs || config.negative == 0))
    throw std::invalid_argument("shared negatives need skip-gram with negative sampling alone (sg, no hs)");
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
  std::vector<uint64_t> plain_sizes;
  // Chunks of plain file i are numbers [chunk_ends[i - 1], chunk_ends[i]) (from 0 for i = 0); the id corpus's come
  // last, up to chunk_ends.back(). Workers take them from chunk_shares.
  std::vector<uint64_t> chunk_ends;
  std::unique_ptr<WorkShares> chunk_shares;
  std::vector<std::pair<std::string, Compression>> compressed_paths;
  SharedCounter words_done;
  BoundedQueue<QueuedBlock> queue;  // declared before `group`, whose stop hook cancels it
  std::vector<EpochResult> results;
  WorkerGroup group;
  bool closed = false;
};

void TrainingPass::State::train(unsigned part) {
  // Chunk k draws from random stream k, and a worker's own stream, for queued blocks, comes after the chunks'. One
  // worker draws from stream 0 all pass long, so that a list of files trains exactly as their concatenation.
  const uint64_t chunks = chunk_ends.back();
  Worker worker(config, tables, progress, words_done, group.stop_flag(), workers > 1 ? chunks + part : 0);
  for (uint64_t chunk; !worker.stopped() && chunk_shares->next(part, &chunk);) {
    const size_t source_index = std::upper_bound(chunk_ends.begin(), chunk_ends.end(), chunk) - chunk_ends.begin();
    const uint64_t first = source_index == 0 ? 0 : chunk_ends[source_index - 1];
    const auto part_of_source = static_cast<unsigned>(chunk - first);
    const auto parts_of_source = static_cast<unsigned>(chunk_ends[source_index] - first);
    if (workers > 1) worker.draw_from_stream(chunk);
    if (source_index < plain_paths.size()) {
      read_file_range(worker, plain_paths[source_index], plain_sizes[source_index], *source.vocab, part_of_source,
                      parts_of_source);
    } else {
      read_id_share(worker, source.ids, tables.vocab_size, part_of_source, parts_of_source);
    }
  }
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
      s.plain_sizes.push_back(file_size(path));
    } else {
      if (!can_decompress(compression)) open_decompressed(path, compression);  // throws the explanation
      s.compressed_paths.emplace_back(path, compression);
    }
  }
  uint64_t chunks = 0;
  for (uint64_t size : s.plain_sizes) s.chunk_ends.push_back(chunks += chunk_count(size, s.workers, kMinChunkBytes));
  if (!s.source.ids.empty()) chunks += chunk_count(s.source.ids.token_count(), s.workers, kMinChunkTokens);
  s.chunk_ends.push_back(chunks);
  s.chunk_shares = std::make_unique<WorkShares>(chunks, s.workers);
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
