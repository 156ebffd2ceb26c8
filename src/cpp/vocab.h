// The vocabulary: counting words, choosing which to keep, word<->id lookup, and the tables training draws from the
// counts (noise words, subsampling, the Huffman tree).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huffman.h"
#include "sampler.h"

namespace w2v {

// Words with their corpus counts, in the order a stage produced them, and the size of the corpus they were counted
// in: every token (words pruned or dropped later included) and every sentence (line).
struct WordCounts {
  std::vector<std::string> words;
  std::vector<uint64_t> counts;
  uint64_t total_words = 0;
  uint64_t total_sentences = 0;
};

// An open-addressing hash table from a word's bytes to a dense id (the order of first insertion). Words are stored
// once in an arena; lookups hash a string_view, so tokenising a file allocates nothing per token.
class WordTable {
 public:
  static constexpr int32_t kMissing = -1;

  WordTable();
  explicit WordTable(const std::vector<std::string>& words);  // ids follow the list; duplicates are an error
  WordTable(WordTable&&) = default;
  WordTable& operator=(WordTable&&) = default;
  WordTable(const WordTable&) = delete;  // its words live in an arena of its own
  WordTable& operator=(const WordTable&) = delete;

  int32_t find(std::string_view word) const { return find(word, hash(word)); }
  // Returns the word's id, inserting it with the next id if it is new.
  int32_t insert(std::string_view word) { return insert(word, hash(word)); }

  // The same, for a word whose hash(word) is known. A lookup in a table of millions of words waits on memory: a
  // caller that knows the words to come prefetch()es their slots a few words ahead, so that the loads of many words
  // overlap (gcide's phrase counts: 2.3M entries, 64 MiB of slots).
  static uint64_t hash(std::string_view word);
  int32_t find(std::string_view word, uint64_t hash) const { return slots_[probe(word, hash)].id; }
  int32_t insert(std::string_view word, uint64_t hash);
  void prefetch(uint64_t hash) const {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
#else
    (void)hash;
#endif
  }
  // Makes room for `words` words in all, so that inserting them grows the table once.
  void reserve(size_t words);

  size_t size() const { return words_.size(); }
  std::string_view word(int32_t id) const { return words_[id]; }

 private:
  // A slot holds all a lookup compares: the hash, and where the word's length and bytes are, so that a lookup reads
  // the slot and the word's bytes, not an array of the words in between (a tenth of the time of counting phrases).
  struct Slot {
    uint32_t hash_low;  // the hash's low 32 bits: all that places a word in a table of up to 2^32 slots
    int32_t id;         // kMissing when the slot is empty
    const char* entry;  // in the arena: the word's length (4 bytes), then its bytes
  };
  // Slots are filled up to 3/4: a probe still ends within the first slot's cache line (4 slots) for most words, and
  // the table takes a third less memory than filled up to 1/2 (counting gcide's phrases: 183 MiB at the peak
  // against 279, and 5% faster).
  static bool overfull(size_t words, size_t slots) { return words * 4 > slots * 3; }
  size_t probe(std::string_view word, uint64_t hash) const;  // the slot holding the word, or the empty slot for it
  void rehash(size_t slot_count);

  std::vector<Slot> slots_;
  std::vector<std::string_view> words_;
  std::vector<std::unique_ptr<char[]>> arena_blocks_;
  size_t arena_left_ = 0;
  char* arena_next_ = nullptr;
};

// Counts words as a corpus is read, in first-occurrence order. With `max_vocab_size` > 0 it prunes as word2vec.c and
// gensim do: whenever more than max_vocab_size distinct words are held, words seen fewer than `min_reduce` times are
// dropped and min_reduce grows by one, which bounds memory at the cost of undercounting words near the threshold.
// How many rounds a check runs is the Pruning rule: word2vec.c's prunes until the table fits; gensim's Phrases runs
// one round per check (after each sentence, and after a merge), so its table may stay above the limit for a while.
class VocabCounter {
 public:
  enum class Pruning { kUntilWithinLimit, kOneRoundPerCheck };

  explicit VocabCounter(uint64_t max_vocab_size = 0, Pruning pruning = Pruning::kUntilWithinLimit)
      : max_vocab_size_(max_vocab_size), pruning_(pruning) {}
  VocabCounter(VocabCounter&&) = default;
  VocabCounter& operator=(VocabCounter&&) = default;

  // Counts a word, pruning as soon as the table outgrows max_vocab_size (word2vec.c's rule, for files).
  void add(std::string_view word) {
    if (count(word) && max_vocab_size_ && counts_.size() > max_vocab_size_) prune();
  }
  // Counts a word `times` times without pruning; returns whether it was new. Sentences of a Python iterable call
  // this, then end_sentence(), where gensim prunes: after each sentence.
  bool count(std::string_view word, uint64_t times = 1) { return count(word, WordTable::hash(word), times); }
  // The same for a word of known hash; prefetch(hash) a few words ahead makes it faster (see WordTable).
  bool count(std::string_view word, uint64_t hash, uint64_t times) {
    const int32_t id = table_.insert(word, hash);
    if (static_cast<size_t>(id) < counts_.size()) {
      counts_[id] += times;
      return false;
    }
    counts_.push_back(times);
    return true;
  }
  void end_sentence() {
    if (max_vocab_size_ && counts_.size() > max_vocab_size_) prune();
  }
  void prefetch(uint64_t hash) const { table_.prefetch(hash); }
  // Adds another counter's words (after this one's, keeping first-occurrence order across consecutive ranges), then
  // prunes if the table outgrew the limit. An empty counter takes the other's words as they are, without pruning
  // (gensim's add_vocab; under word2vec.c's rule the other's table already fits).
  void merge(VocabCounter&& other);
  // An empty counter with this one's limit and pruning rule.
  VocabCounter empty_like() const { return VocabCounter(max_vocab_size_, pruning_); }

  WordCounts result() const;
  size_t size() const { return counts_.size(); }
  const WordTable& table() const { return table_; }
  const std::vector<uint64_t>& counts() const { return counts_; }
  // The count of a word (0 for one not held).
  uint64_t count_of(std::string_view word) const {
    const int32_t id = table_.find(word);
    return id == WordTable::kMissing ? 0 : counts_[id];
  }
  uint64_t max_vocab_size() const { return max_vocab_size_; }
  uint64_t min_reduce() const { return min_reduce_; }
  void set_min_reduce(uint64_t min_reduce) { min_reduce_ = min_reduce; }
  uint64_t total_words() const { return total_words_; }
  void add_total_words(uint64_t n) { total_words_ += n; }
  uint64_t total_sentences() const { return total_sentences_; }
  void add_total_sentences(uint64_t n) { total_sentences_ += n; }

 private:
  void prune();

  WordTable table_;
  std::vector<uint64_t> counts_;
  uint64_t max_vocab_size_;
  Pruning pruning_;
  uint64_t min_reduce_ = 1;
  uint64_t total_words_ = 0;  // every token seen, pruned words included
  uint64_t total_sentences_ = 0;
};

// Keeps the words counted at least `min_count` times; if more than `max_final_vocab` (> 0) remain, raises the
// threshold to one above the count of the first word past the limit, as gensim does, so equal counts are never split.
// Sorts by descending count; ties keep first-occurrence order (a stable sort, as gensim). Totals are kept.
WordCounts select_words(const WordCounts& counted, uint64_t min_count, uint64_t max_final_vocab);

// word2vec.c's subsampling of frequent words: a word making up fraction f of the corpus is kept with probability
// (sqrt(f / sample) + 1) * sample / f, capped at 1. Returned as thresholds on a uniform 32-bit draw (keep when
// draw < threshold; 2^32 - 1 with the cap means "always", to within 2^-32). sample = 0 keeps every word.
std::vector<uint32_t> keep_thresholds(const std::vector<uint64_t>& counts, double sample);

// Drops the words of a sentence that subsampling rejects, in place; returns the new length.
size_t subsample(int32_t* ids, size_t length, const uint32_t* keep_threshold, Rng& rng);

// How a Vocabulary draws from its counts: noise words with probability proportional to count ** ns_exponent,
// word2vec.c's subsampling with threshold `sample` (0: none), and a Huffman tree for hierarchical softmax (hs), its
// ties broken as `huffman_ties` says.
struct SamplingOptions {
  double ns_exponent;
  double sample;
  bool hs;
  HuffmanTies huffman_ties = HuffmanTies::kGensim;
};

// The vocabulary a model trains with, kept by the engine from build_vocab() on: word ids in training order (most
// frequent first), their counts, and every table computed from the counts, so that each is computed once, here.
class Vocabulary {
 public:
  // `words` in id order; throws invalid_argument for a duplicate word or an empty vocabulary.
  Vocabulary(const WordCounts& words, const SamplingOptions& options);
  Vocabulary(Vocabulary&&) = default;
  Vocabulary& operator=(Vocabulary&&) = default;

  size_t size() const { return counts_.size(); }
  const WordTable& table() const { return table_; }
  const std::vector<uint64_t>& counts() const { return counts_; }
  const SamplingOptions& options() const { return options_; }
  const NoiseSampler& noise() const { return noise_; }
  const uint32_t* keep_thresholds() const { return keep_thresholds_.empty() ? nullptr : keep_thresholds_.data(); }
  const HuffmanTree* huffman() const { return huffman_ ? &*huffman_ : nullptr; }

  // This vocabulary grown by another corpus's counts (gensim's build_vocab(update=True)): known words keep their
  // ids and add the new counts; new words counted at least `min_count` times are appended, most frequent first.
  Vocabulary updated(const WordCounts& counted, uint64_t min_count) const;

 private:
  Vocabulary(WordTable table, std::vector<uint64_t> counts, const SamplingOptions& options);

  SamplingOptions options_;
  WordTable table_;
  std::vector<uint64_t> counts_;
  NoiseSampler noise_;
  std::vector<uint32_t> keep_thresholds_;  // empty when options_.sample == 0
  std::optional<HuffmanTree> huffman_;
};

}  // namespace w2v
