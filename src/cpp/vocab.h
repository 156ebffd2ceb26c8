// The vocabulary: counting words, choosing which to keep, word<->id lookup, and frequent-word subsampling.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace w2v {

// Words with their corpus counts, in the order a stage produced them.
struct WordCounts {
  std::vector<std::string> words;
  std::vector<uint64_t> counts;
};

// An open-addressing hash table from a word's bytes to a dense id (the order of first insertion). Words are stored
// once in an arena; lookups hash a string_view, so tokenising a file allocates nothing per token.
class WordTable {
 public:
  static constexpr int32_t kMissing = -1;

  WordTable();
  explicit WordTable(const std::vector<std::string>& words);  // ids follow the list; duplicates are an error

  int32_t find(std::string_view word) const;
  // Returns the word's id, inserting it with the next id if it is new.
  int32_t insert(std::string_view word);

  size_t size() const { return words_.size(); }
  std::string_view word(int32_t id) const { return words_[id]; }

 private:
  struct Slot {
    uint64_t hash;
    int32_t id;  // kMissing when the slot is empty
  };
  size_t probe(std::string_view word, uint64_t hash) const;  // the slot holding the word, or the empty slot for it
  void grow();

  std::vector<Slot> slots_;
  std::vector<std::string_view> words_;
  std::vector<std::unique_ptr<char[]>> arena_blocks_;
  size_t arena_left_ = 0;
  char* arena_next_ = nullptr;
};

// Counts words as a corpus is read, in first-occurrence order. With `max_vocab_size` > 0 it prunes as word2vec.c and
// gensim do: whenever more than max_vocab_size distinct words are held, words seen fewer than `min_reduce` times are
// dropped and min_reduce grows by one, which bounds memory at the cost of undercounting words near the threshold.
class VocabCounter {
 public:
  explicit VocabCounter(uint64_t max_vocab_size = 0) : max_vocab_size_(max_vocab_size) {}

  void add(std::string_view word) {
    const int32_t id = table_.insert(word);
    if (static_cast<size_t>(id) == counts_.size()) {
      counts_.push_back(1);
      if (max_vocab_size_ && counts_.size() > max_vocab_size_) prune();
    } else {
      ++counts_[id];
    }
  }
  // Adds another counter's words (after this one's, keeping first-occurrence order across consecutive ranges).
  void merge(const VocabCounter& other);

  WordCounts result() const;
  uint64_t max_vocab_size() const { return max_vocab_size_; }
  uint64_t total_words() const { return total_words_; }
  void add_total_words(uint64_t n) { total_words_ += n; }
  uint64_t total_sentences() const { return total_sentences_; }
  void add_total_sentences(uint64_t n) { total_sentences_ += n; }

 private:
  void prune();

  WordTable table_;
  std::vector<uint64_t> counts_;
  uint64_t max_vocab_size_;
  uint64_t min_reduce_ = 1;
  uint64_t total_words_ = 0;  // every token seen, pruned words included
  uint64_t total_sentences_ = 0;
};

// Keeps the words counted at least `min_count` times; if more than `max_final_vocab` (> 0) remain, raises the
// threshold to one above the count of the first word past the limit, as gensim does, so equal counts are never split.
// Sorts by descending count; ties keep first-occurrence order (a stable sort, as gensim).
WordCounts finalize_vocab(const WordCounts& counted, uint64_t min_count, uint64_t max_final_vocab);

// word2vec.c's subsampling of frequent words: a word making up fraction f of the corpus is kept with probability
// (sqrt(f / sample) + 1) * sample / f, capped at 1. Returned as thresholds on a uniform 32-bit draw (keep when
// draw < threshold; 2^32 - 1 with the cap means "always", to within 2^-32). sample = 0 keeps every word.
std::vector<uint32_t> keep_thresholds(const std::vector<uint64_t>& counts, double sample);

// Drops the words of a sentence that subsampling rejects, in place; returns the new length.
size_t subsample(int32_t* ids, size_t length, const uint32_t* keep_threshold, class Rng& rng);

}  // namespace w2v
