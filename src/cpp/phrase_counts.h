// Counting phrase candidates as gensim's Phrases counts them: the words and the joined bigrams of a corpus in one
// table, from Python token lists or from text files on all cores, pruned and added up by gensim's rules.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vocab.h"

namespace w2v {

// How tokens make candidates: the glue of joined tokens, and the connector words, which may stand inside a phrase
// ("bank_of_america") but never start or end one (gensim's connector_words).
class PhraseSyntax {
 public:
  PhraseSyntax(std::string delimiter, const std::vector<std::string>& connector_words);

  const std::string& delimiter() const { return delimiter_; }
  bool is_connector(std::string_view word) const {
    return connectors_.size() > 0 && connectors_.find(word) != WordTable::kMissing;
  }

 private:
  std::string delimiter_;
  WordTable connectors_;
};

// Tokens copied into one buffer, as a file reader's last only until its next one: a sentence being phrased, or
// entries waiting to be counted.
class SentenceTokens {
 public:
  void add(std::string_view token) {
    bytes_.append(token);
    ends_.push_back(bytes_.size());
  }
  void clear() {
    bytes_.clear();
    ends_.clear();
  }
  size_t size() const { return ends_.size(); }
  std::string_view operator[](size_t i) const {
    const size_t begin = i ? ends_[i - 1] : 0;
    return std::string_view(bytes_).substr(begin, ends_[i] - begin);
  }

 private:
  std::string bytes_;
  std::vector<size_t> ends_;
};

// Counts what gensim's Phrases._learn_vocab counts in a sentence, in one table: each word that is not a connector,
// and each candidate "a connector* b", a and b consecutive non-connector words, joined by the delimiter; and every
// token, connectors included, as a corpus word. A sink of count_text_files (counting.h). Entries are counted in
// batches whose slots were prefetched as they were read (see WordTable::prefetch): a table of millions of entries
// makes each count wait on memory (half of gcide, 1.3M entries: 0.30 s, against 0.33 s counted one by one).
class PhraseCountingSink {
 public:
  PhraseCountingSink(const PhraseSyntax& syntax, VocabCounter& counter) : syntax_(syntax), counter_(counter) {}

  void token(std::string_view word);
  bool line_end();  // prunes as gensim does, after each sentence
  void finish();

 private:
  static constexpr size_t kBatch = 16;
  void add(std::string_view key);
  void count_batch();

  const PhraseSyntax& syntax_;
  VocabCounter& counter_;
  std::string run_;       // "a connector*" so far, joined: the open candidate's beginning
  bool open_ = false;     // not !run_.empty(): an empty token may open a candidate, as in gensim
  SentenceTokens batch_;  // entries read but not counted yet, in order
  std::vector<uint64_t> batch_hashes_;
  uint64_t tokens_ = 0, lines_ = 0;
};

// gensim's Phrases state: the counts of words and joined bigrams in one table (its `vocab`, in first-occurrence
// order), the corpus's words (corpus_word_count, connectors included) and the pruning threshold (min_reduce).
class PhraseCounts {
 public:
  explicit PhraseCounts(uint64_t max_vocab_size);
  // Counts saved earlier, with their corpus total and min_reduce; invalid_argument for a key given twice.
  PhraseCounts(uint64_t max_vocab_size, const WordCounts& saved, uint64_t min_reduce);

  // A counter for one more corpus, pruned as gensim prunes one: a round after each sentence that leaves more than
  // max_vocab_size entries.
  VocabCounter new_counter() const { return counter_.empty_like(); }
  // Adds a corpus's counts as gensim's add_vocab merges them: added up, then one round of pruning if the table
  // outgrew the limit; into empty counts they are taken as they are, and min_reduce stays (gensim's quirk).
  void add(VocabCounter&& counted);

  uint64_t count(std::string_view key) const { return counter_.count_of(key); }
  size_t size() const { return counter_.size(); }
  uint64_t total_words() const { return counter_.total_words(); }
  const VocabCounter& counter() const { return counter_; }

 private:
  VocabCounter counter_;
};

// The counts of text files (count_text_files: plain files in byte ranges on `workers` threads, merged in file order).
VocabCounter count_phrase_files(const PhraseCounts& counts, const PhraseSyntax& syntax,
                                const std::vector<std::string>& paths, unsigned workers);

}  // namespace w2v
