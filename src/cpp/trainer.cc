#include "trainer.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "cache_line_floats.h"
#include "hot_rows.h"
#include "parallel.h"
#include "simd/dispatch.h"

namespace w2v {
namespace {

// Words a worker trains before it publishes progress and recomputes the learning rate (word2vec.c's 10000).
constexpr uint64_t kProgressBatchWords = 10000;

// Shared by all workers of a pass, on its own cache line: workers add to it every kProgressBatchWords words.
struct alignas(64) SharedCounter {
  std::atomic<uint64_t> value{0};
};

// The learning rate once `words_done` corpus words of the current pass are trained.
float alpha_after(const TrainConfig& config, const EpochProgress& progress, uint64_t words_done) {
  const double done = static_cast<double>(progress.words_done_before + words_done);
  const double total = static_cast<double>(std::max<uint64_t>(config.total_words, 1));
  return learning_rate(config.alpha, config.min_alpha, done / total);
}

// One worker's state, private to its thread.
class Worker {
 public:
  Worker(const TrainConfig& config, const Vocabulary& vocabulary, const ModelWeights& weights,
         const Subwords* subwords, const EpochProgress& progress, SharedCounter& words_done,
         const std::atomic<bool>& stop, uint64_t random_stream)
      : config_(config),
        progress_(progress),
        words_done_(words_done),
        stop_(stop),
        kernels_(active_simd_kernels()),
        keep_threshold_(vocabulary.keep_thresholds()),
        rng_(worker_seed(config.seed, random_stream, progress.rng_stream)),
        rows_{weights.input_vectors,
              weights.output_vectors,
              weights.hs_vectors,
              config.vector_size,
              weights.output_stride ? weights.output_stride : config.vector_size,
              weights.hs_stride ? weights.hs_stride : config.vector_size,
              config.negative,
              &vocabulary.noise(),
              config.hs ? vocabulary.huffman() : nullptr},
        gradient_(config.vector_size),
        hidden_(config.vector_size),
        targets_(2 * (static_cast<size_t>(config.negative) + 1)),
        alpha_(alpha_after(config, progress, 0)) {
    if (subwords) {
      rows_.ngram_vectors = weights.ngram_vectors;
      rows_.subword_offsets = subwords->offsets().data();
      rows_.subword_ids = subwords->ids().data();
      rows_.ngram_repeat_weights = subwords->repeat_weights().data();
      first_hidden_.assign_zeros(config.vector_size);
    } else if (config.shared_negatives) {
      contexts_.resize(2 * static_cast<size_t>(config.window));
    }
    // Private rows pay where threads share rows: the output rows of frequent words with negative sampling (their
    // input rows too with shared negatives), the nodes near the root of the Huffman tree with hierarchical softmax.
    // One worker trains in place, bit for bit as before they existed. With subwords, a word's own row is one of a
    // score of rows its input reads: it stays shared.
    if (config.workers > 1 && (config.negative > 0 || config.hs)) {
      hot_rows_ = std::make_unique<HotRowCopies>(config.shared_negatives && !subwords ? weights.input_vectors : nullptr,
                                                 config.negative > 0 ? weights.output_vectors : nullptr,
                                                 rows_.output_stride, config.hs ? weights.hs_vectors : nullptr,
                                                 rows_.hs_stride,
                                                 vocabulary.size(), config.vector_size, config.workers);
      rows_.hot = hot_rows_->rows();
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
    if (keep_threshold_) length = subsample(sentence_.data(), length, keep_threshold_, rng_);
    result_.effective_words += length;
    if (config_.compute_loss) {
      result_.loss += train_words<true>(length);
    } else {
      train_words<false>(length);
    }
    sentence_.clear();
    if (unreported_words_ >= kProgressBatchWords) publish_progress();
  }

  // Ends the current sentence; false once the pass is stopping (the reader's signal to stop).
  bool end_sentence_and_go_on() {
    end_sentence();
    return !stopped();
  }

  EpochResult finish() {
    end_sentence();
    publish_progress();
    if (hot_rows_) result_.private_row_folds = hot_rows_->folds();
    return result_;
  }

 private:
  void publish_progress() {
    if (hot_rows_) hot_rows_->fold_all();
    const uint64_t done = words_done_.value.fetch_add(unreported_words_, std::memory_order_relaxed) +
                          unreported_words_;
    unreported_words_ = 0;
    alpha_ = alpha_after(config_, progress_, done);
  }

  // Trains the first `length` words of sentence_ in the configured mode; returns the loss when kComputeLoss.
  template <bool kComputeLoss>
  double train_words(size_t length) {
    const StepScratch scratch{gradient_.data(), hidden_.data(), targets_.data(), first_hidden_.data()};
    // One indirect call a sentence: the per-pair work inlines inside the SIMD path's loop.
    if (rows_.subword_offsets) {
      if (config_.sg)
        return kernels_.train_sentence_skipgram_subwords[kComputeLoss](rows_, sentence_.data(), length, config_.window,
                                                                       config_.shared_negatives, alpha_, scratch,
                                                                       rng_);
      return kernels_.train_sentence_cbow_subwords[kComputeLoss](rows_, sentence_.data(), length, config_.window,
                                                                 config_.cbow_mean, alpha_, scratch, rng_);
    }
    if (config_.sg && config_.shared_negatives) {
      return kernels_.train_sentence_skipgram_shared[kComputeLoss](rows_, sentence_.data(), length, config_.window,
                                                                   alpha_, contexts_.data(), scratch, rng_);
    }
    if (config_.sg)
      return kernels_.train_sentence_skipgram[kComputeLoss](rows_, sentence_.data(), length, config_.window, alpha_,
                                                            scratch, rng_);
    return kernels_.train_sentence_cbow[kComputeLoss](rows_, sentence_.data(), length, config_.window,
                                                      config_.cbow_mean, alpha_, scratch, rng_);
  }

  const TrainConfig& config_;
  const EpochProgress& progress_;
  SharedCounter& words_done_;
  const std::atomic<bool>& stop_;
  const SimdKernels& kernels_;     // the SIMD path active when the pass started
  const uint32_t* keep_threshold_;  // subsampling; nullptr keeps every word
  Rng rng_;
  ModelRows rows_;
  CacheLineFloats gradient_;
  CacheLineFloats hidden_;
  std::vector<int32_t> targets_;
  std::vector<int32_t> sentence_;
  std::vector<int32_t> contexts_;         // shared_negatives: the context ids of a window
  CacheLineFloats first_hidden_;          // subwords: the input of a skip-gram window's first prediction
  std::unique_ptr<HotRowCopies> hot_rows_;  // several workers
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

// Feeds a worker the lines of part `part` of `parts` of a plain text file, chunk `chunk` of the pass: replayed from
// `cache` when an earlier pass of the call recorded it, else read, and recorded when the cache has room.
void read_file_part(Worker& worker, const CorpusFile& file, const WordTable& words, unsigned part, unsigned parts,
                    ChunkIdCache* cache, uint64_t chunk) {
  if (const ChunkIdCache::Chunk* ids = cache ? cache->complete_chunk(chunk) : nullptr) {
    replay_chunk(
        *ids, [&](int32_t id) { worker.add_word(id); }, [&] { return worker.end_sentence_and_go_on(); });
    return;
  }
  ChunkIdCache::Recording recording = cache ? cache->record(chunk) : ChunkIdCache::Recording();
  const auto range = byte_range(file.size, part, parts);
  // WordTable::kMissing is -1, the id of a word outside the vocabulary.
  tokenize_file_range(
      file.path, range.first, range.second,
      [&](std::string_view token) {
        const int32_t id = words.find(token);
        recording.add(id);
        worker.add_word(id);
      },
      [&] {
        recording.end_line();
        return worker.end_sentence_and_go_on();
      });
  if (!worker.stopped()) recording.finish();
}

// Feeds a worker a block of whole lines of text.
void read_text_block(Worker& worker, std::string_view text, const WordTable& words) {
  tokenize_lines(
      text, [&](std::string_view token) { worker.add_word(words.find(token)); },
      [&] { return worker.end_sentence_and_go_on(); });
}

// Feeds a worker sentences [first, last) of id arrays.
template <typename Token>
void read_ids(Worker& worker, const Token* tokens, const int64_t* offsets, size_t first, size_t last,
              const int32_t* id_map, size_t id_map_size, size_t vocab_size) {
  read_id_sentences(
      tokens, offsets, first, last, id_map, id_map_size, vocab_size, [&](int32_t id) { worker.add_word(id); },
      [&] { return worker.end_sentence_and_go_on(); });
}

// Feeds a worker the sentences of an id corpus that start in part `part` of `parts` of its tokens.
void read_id_part(Worker& worker, const IdCorpus& ids, size_t vocab_size, unsigned part, unsigned parts) {
  if (ids.empty()) return;
  const auto [first, last] = ids.sentences_of_part(part, parts);
  if (ids.tokens32) {
    read_ids(worker, ids.tokens32, ids.offsets, first, last, ids.id_map, ids.id_map_size, vocab_size);
  } else {
    read_ids(worker, ids.tokens64, ids.offsets, first, last, ids.id_map, ids.id_map_size, vocab_size);
  }
}

// At least one output layer, each with the tables it reads.
void check_output_layers(const TrainConfig& config, const Vocabulary& vocabulary, const ModelWeights& weights) {
  if (config.negative < 0) throw std::invalid_argument("negative must be >= 0");
  if (config.negative == 0 && !config.hs) throw std::invalid_argument("training needs negative > 0 or hs");
  if (config.negative > 0 && !weights.output_vectors)
    throw std::invalid_argument("negative sampling needs the output vectors (syn1neg)");
  if (config.hs && (!weights.hs_vectors || !vocabulary.huffman()))
    throw std::invalid_argument("hierarchical softmax needs syn1 and a vocabulary built with hs");
  if (config.shared_negatives && (!config.sg || config.hs || config.negative == 0))
    throw std::invalid_argument("shared negatives need skip-gram with negative sampling alone (sg, no hs)");
}

// Subwords of this vocabulary, with the matrix of their rows; or neither.
void check_subwords(const Vocabulary& vocabulary, const ModelWeights& weights, const Subwords* subwords) {
  if (!subwords) {
    if (weights.ngram_vectors) throw std::invalid_argument("ngram_vectors need subwords");
    return;
  }
  if (subwords->word_count() != vocabulary.size())
    throw std::invalid_argument("the subwords are those of a vocabulary of " + std::to_string(subwords->word_count()) +
                                " words, not of this one of " + std::to_string(vocabulary.size()));
  if (subwords->bucket() > 0 && !weights.ngram_vectors)
    throw std::invalid_argument("subwords need ngram_vectors, one row per bucket");
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
  State(const TrainConfig& config_in, const Vocabulary& vocabulary_in, const ModelWeights& weights_in,
        CorpusSource source_in, const EpochProgress& progress_in, const Subwords* subwords_in)
      : config(config_in),
        vocabulary(vocabulary_in),
        weights(weights_in),
        subwords(subwords_in),
        source(std::move(source_in)),
        progress(progress_in),
        workers(std::max(1u, config_in.workers)),
        queue(static_cast<size_t>(workers) * kQueuedBlocksPerWorker),
        results(workers) {}

  void train(unsigned part);
  void read_compressed_files();

  const TrainConfig config;
  const Vocabulary& vocabulary;
  const ModelWeights weights;
  const Subwords* subwords;  // nullptr: word2vec
  const CorpusSource source;
  const EpochProgress progress;
  const unsigned workers;
  std::vector<CorpusFile> plain_files, compressed_files;
  // Chunks of plain file i are numbers [chunk_ends[i - 1], chunk_ends[i]) (from 0 for i = 0); the id corpus's come
  // last, up to chunk_ends.back(). Workers take them from chunk_shares.
  std::vector<uint64_t> chunk_ends;
  std::unique_ptr<WorkShares> chunk_shares;
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
  const WordTable& words = vocabulary.table();
  Worker worker(config, vocabulary, weights, subwords, progress, words_done, group.stop_flag(),
                workers > 1 ? chunks + part : 0);
  for (uint64_t chunk; !worker.stopped() && chunk_shares->next(part, &chunk);) {
    const size_t source_index = std::upper_bound(chunk_ends.begin(), chunk_ends.end(), chunk) - chunk_ends.begin();
    const uint64_t first = source_index == 0 ? 0 : chunk_ends[source_index - 1];
    const auto part_of_source = static_cast<unsigned>(chunk - first);
    const auto parts_of_source = static_cast<unsigned>(chunk_ends[source_index] - first);
    if (workers > 1) worker.draw_from_stream(chunk);
    if (source_index < plain_files.size()) {
      read_file_part(worker, plain_files[source_index], words, part_of_source, parts_of_source,
                     source.chunk_ids.get(), chunk);
    } else {
      read_id_part(worker, source.ids, vocabulary.size(), part_of_source, parts_of_source);
    }
  }
  for (QueuedBlock block; !worker.stopped() && queue.pop(&block);) {
    if (!block.text.empty()) {
      read_text_block(worker, block.text, words);
      continue;
    }
    const IdBatch& batch = block.ids;
    if (batch.offsets.empty()) continue;
    read_ids(worker, batch.tokens.data(), batch.offsets.data(), 0, batch.offsets.size() - 1, nullptr, 0,
             vocabulary.size());
  }
  results[part] = worker.finish();
}

void TrainingPass::State::read_compressed_files() {
  bool cancelled = false;  // the pass is stopping, and its stop hook cancelled the queue
  for (const CorpusFile& file : compressed_files) {
    read_line_blocks(file, [&](std::string&& text) {
      QueuedBlock block;
      block.text = std::move(text);
      cancelled = !queue.push(std::move(block));
      return !cancelled;
    });
    if (cancelled) return;
  }
  queue.producer_done();
}

TrainingPass::TrainingPass(const TrainConfig& config, const Vocabulary& vocabulary, const ModelWeights& weights,
                           CorpusSource source, const EpochProgress& progress, const Subwords* subwords)
    : state_(std::make_unique<State>(config, vocabulary, weights, std::move(source), progress, subwords)) {
  if (!weights.input_vectors || vocabulary.size() == 0)
    throw std::invalid_argument("training needs weights and a non-empty vocabulary");
  check_output_layers(config, vocabulary, weights);
  check_subwords(vocabulary, weights, subwords);
  State& s = *state_;
  for (CorpusFile& file : open_corpus_files(s.source.paths))
    (file.compression == Compression::kNone ? s.plain_files : s.compressed_files).push_back(std::move(file));
  uint64_t chunks = 0;
  for (const CorpusFile& file : s.plain_files)
    s.chunk_ends.push_back(chunks += chunk_count(file.size, s.workers, kMinChunkBytes));
  if (s.source.chunk_ids) s.source.chunk_ids->use_layout(s.chunk_ends);  // the plain files' chunks
  if (!s.source.ids.empty()) chunks += chunk_count(s.source.ids.token_count(), s.workers, kMinChunkTokens);
  s.chunk_ends.push_back(chunks);
  s.chunk_shares = std::make_unique<WorkShares>(chunks, s.workers);
}

TrainingPass::~TrainingPass() = default;

void TrainingPass::start() {
  State& s = *state_;
  const bool reader = !s.compressed_files.empty();
  if (reader) s.queue.add_producer();
  if (s.source.streamed) s.queue.add_producer();
  s.group.on_stop([&s] { s.queue.cancel(); });
  s.group.start(s.workers + (reader ? 1 : 0), [&s](unsigned index) {
    if (index < s.workers) {
      s.train(index);
    } else {
      s.read_compressed_files();
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
  total.last_alpha = alpha_after(s.config, s.progress, s.words_done.value.load());
  for (const EpochResult& r : s.results) {
    total.words += r.words;
    total.effective_words += r.effective_words;
    total.loss += r.loss;
    total.private_row_folds += r.private_row_folds;
  }
  total.stopped = s.group.stopping();
  return total;
}

}  // namespace w2v
