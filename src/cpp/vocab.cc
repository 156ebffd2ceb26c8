#include "vocab.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>


namespace w2v {
namespace {

// FNV-1a over 8-byte chunks with a final avalanche: fast on short words and well spread for a power-of-two table.
uint64_t hash_word(std::string_view word) {
  uint64_t h = 0xCBF29CE484222325ULL ^ word.size();
  size_t i = 0;
  for (; i + 8 <= word.size(); i += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, word.data() + i, 8);
    h = (h ^ chunk) * 0x100000001B3ULL;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, word.data() + i, word.size() - i);
  h = (h ^ tail) * 0x100000001B3ULL;
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ULL;
  return h ^ (h >> 32);
}

constexpr size_t kArenaBlockBytes = 1 << 20;

}  // namespace

WordTable::WordTable() : slots_(1024, Slot{0, kMissing}) {}

WordTable::WordTable(const std::vector<std::string>& words) : WordTable() {
  for (const std::string& word : words) {
    if (static_cast<size_t>(insert(word)) != words_.size() - 1)
      throw std::invalid_argument("duplicate word in vocabulary: '" + word + "'");
  }
}

size_t WordTable::probe(std::string_view word, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.id == kMissing || (slot.hash == hash && words_[slot.id] == word)) return i;
  }
}

int32_t WordTable::find(std::string_view word) const { return slots_[probe(word, hash_word(word))].id; }

int32_t WordTable::insert(std::string_view word) {
  const uint64_t hash = hash_word(word);
  size_t i = probe(word, hash);
  if (slots_[i].id != kMissing) return slots_[i].id;
  if (words_.size() >= 0x7FFFFFFE) throw std::length_error("vocabulary exceeds 2^31 words");

  if (word.size() > arena_left_) {
    const size_t block = std::max(kArenaBlockBytes, word.size());
    arena_blocks_.emplace_back(new char[block]);
    arena_next_ = arena_blocks_.back().get();
    arena_left_ = block;
  }
  std::memcpy(arena_next_, word.data(), word.size());
  words_.emplace_back(arena_next_, word.size());
  arena_next_ += word.size();
  arena_left_ -= word.size();

  const int32_t id = static_cast<int32_t>(words_.size() - 1);
  slots_[i] = Slot{hash, id};
  if (words_.size() * 2 > slots_.size()) grow();  // keep the load factor under 1/2 so probes stay short
  return id;
}

void WordTable::grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(old.size() * 2, Slot{0, kMissing});
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id == kMissing) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].id != kMissing) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void VocabCounter::merge(const VocabCounter& other) {
  for (size_t id = 0; id < other.counts_.size(); ++id) {
    const int32_t mine = table_.insert(other.table_.word(static_cast<int32_t>(id)));
    if (static_cast<size_t>(mine) == counts_.size()) counts_.push_back(0);
    counts_[mine] += other.counts_[id];
  }
  total_words_ += other.total_words_;
  total_sentences_ += other.total_sentences_;
  min_reduce_ = std::max(min_reduce_, other.min_reduce_);
  if (max_vocab_size_ && counts_.size() > max_vocab_size_) prune();
}

void VocabCounter::prune() {
  // Rebuild the table without the rare words; survivors keep their relative (first-occurrence) order.
  while (counts_.size() > max_vocab_size_) {
    WordTable kept_table;
    std::vector<uint64_t> kept_counts;
    for (size_t id = 0; id < counts_.size(); ++id) {
      if (counts_[id] >= min_reduce_) {
        kept_table.insert(table_.word(static_cast<int32_t>(id)));
        kept_counts.push_back(counts_[id]);
      }
    }
    table_ = std::move(kept_table);
    counts_ = std::move(kept_counts);
    ++min_reduce_;
  }
}

WordCounts VocabCounter::result() const {
  WordCounts out;
  out.words.reserve(counts_.size());
  for (size_t id = 0; id < counts_.size(); ++id) out.words.emplace_back(table_.word(static_cast<int32_t>(id)));
  out.counts = counts_;
  out.total_words = total_words_;
  out.total_sentences = total_sentences_;
  return out;
}

WordCounts select_words(const WordCounts& counted, uint64_t min_count, uint64_t max_final_vocab) {
  if (counted.words.size() != counted.counts.size())
    throw std::invalid_argument("words and counts differ in length");
  std::vector<size_t> order(counted.counts.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return counted.counts[a] > counted.counts[b]; });

  uint64_t threshold = std::max<uint64_t>(min_count, 1);
  if (max_final_vocab > 0 && order.size() > max_final_vocab) {
    threshold = std::max(threshold, counted.counts[order[max_final_vocab]] + 1);
  }
  WordCounts out;
  out.total_words = counted.total_words;
  out.total_sentences = counted.total_sentences;
  for (size_t index : order) {
    if (counted.counts[index] < threshold) break;  // sorted: everything after is rarer
    out.words.push_back(counted.words[index]);
    out.counts.push_back(counted.counts[index]);
  }
  return out;
}

std::vector<uint32_t> keep_thresholds(const std::vector<uint64_t>& counts, double sample) {
  std::vector<uint32_t> thresholds(counts.size(), 0xFFFFFFFFu);
  if (sample <= 0.0) return thresholds;
  const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  const double scale = sample * total;  // word2vec.c compares counts with sample * train_words
  for (size_t i = 0; i < counts.size(); ++i) {
    const double count = static_cast<double>(counts[i]);
    if (count <= 0.0) continue;
    const double keep = (std::sqrt(count / scale) + 1.0) * scale / count;
    if (keep < 1.0) thresholds[i] = static_cast<uint32_t>(std::ldexp(keep, 32));
  }
  return thresholds;
}

size_t subsample(int32_t* ids, size_t length, const uint32_t* keep_threshold, Rng& rng) {
  size_t kept = 0;
  for (size_t i = 0; i < length; ++i) {
    const int32_t id = ids[i];
    if (static_cast<uint32_t>(rng.next()) < keep_threshold[id]) ids[kept++] = id;
  }
  return kept;
}

Vocabulary::Vocabulary(const WordCounts& words, const SamplingOptions& options)
    : Vocabulary(WordTable(words.words), words.counts, options) {}

Vocabulary::Vocabulary(WordTable table, std::vector<uint64_t> counts, const SamplingOptions& options)
    : options_(options),
      table_(std::move(table)),
      counts_(std::move(counts)),
      noise_(counts_, options.ns_exponent) {
  if (table_.size() != counts_.size()) throw std::invalid_argument("words and counts differ in length");
  if (options.sample > 0) keep_thresholds_ = w2v::keep_thresholds(counts_, options.sample);
  // The tree is a function of the counts, so it is rebuilt with them rather than stored.
  if (options.hs) huffman_.emplace(counts_);
}

Vocabulary Vocabulary::updated(const WordCounts& counted, uint64_t min_count) const {
  std::vector<uint64_t> counts = counts_;
  WordCounts new_words;
  for (size_t i = 0; i < counted.words.size(); ++i) {
    const int32_t id = table_.find(counted.words[i]);
    if (id == WordTable::kMissing) {
      new_words.words.push_back(counted.words[i]);
      new_words.counts.push_back(counted.counts[i]);
    } else {
      counts[id] += counted.counts[i];
    }
  }
  new_words = select_words(new_words, min_count, 0);
  WordTable table;
  for (size_t id = 0; id < table_.size(); ++id) table.insert(table_.word(static_cast<int32_t>(id)));
  for (const std::string& word : new_words.words) table.insert(word);
  counts.insert(counts.end(), new_words.counts.begin(), new_words.counts.end());
  return Vocabulary(std::move(table), std::move(counts), options_);
}

}  // namespace w2v
