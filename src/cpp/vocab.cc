#include "vocab.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>


namespace w2v {
namespace {

constexpr size_t kArenaBlockBytes = 1 << 20;

}  // namespace

// FNV-1a over 8-byte chunks with a final avalanche: fast on short words and well spread for a power-of-two table.
uint64_t WordTable::hash(std::string_view word) {
  uint64_t h = 0xCBF29CE484222325ULL ^ word.size();
  size_t i = 0;
  for (; i + 8 <= word.size(); i += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, word.data() + i, 8);
    h = (h ^ chunk) * 0x100000001B3ULL;
  }
  // The bytes after the last whole chunk, read with fixed-size loads (a memcpy of variable length is a call, whose
  // bytes, stored one by one and read back as one word, stall the load): the last 8 bytes of a word of 8 or more,
  // two overlapping 4-byte loads of 4 to 7, three of the bytes of 1 to 3 (with the length, which h holds, that is
  // each of them).
  const char* data = word.data();
  const size_t size = word.size();
  uint64_t tail = 0;
  if (size >= 8) {
    std::memcpy(&tail, data + size - 8, 8);
  } else if (size >= 4) {
    uint32_t low, high;
    std::memcpy(&low, data, 4);
    std::memcpy(&high, data + size - 4, 4);
    tail = low | static_cast<uint64_t>(high) << 32;
  } else if (size > 0) {
    tail = static_cast<uint64_t>(static_cast<unsigned char>(data[0])) |
           static_cast<uint64_t>(static_cast<unsigned char>(data[size / 2])) << 8 |
           static_cast<uint64_t>(static_cast<unsigned char>(data[size - 1])) << 16;
  }
  h = (h ^ tail) * 0x100000001B3ULL;
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ULL;
  return h ^ (h >> 32);
}

WordTable::WordTable() : slots_(1024, Slot{0, kMissing, nullptr}) {}

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
    if (slot.id == kMissing) return i;
    if (slot.hash_low != static_cast<uint32_t>(hash)) continue;
    uint32_t length;
    std::memcpy(&length, slot.entry, sizeof length);
    if (length == word.size() && std::memcmp(slot.entry + sizeof length, word.data(), length) == 0) return i;
  }
}

int32_t WordTable::insert(std::string_view word, uint64_t hash) {
  size_t i = probe(word, hash);
  if (slots_[i].id != kMissing) return slots_[i].id;
  if (words_.size() >= 0x7FFFFFFE) throw std::length_error("vocabulary exceeds 2^31 words");
  if (word.size() > UINT32_MAX) throw std::length_error("word of 4 GiB or more");

  const auto length = static_cast<uint32_t>(word.size());
  const size_t entry_bytes = sizeof length + word.size();
  if (entry_bytes > arena_left_) {
    const size_t block = std::max(kArenaBlockBytes, entry_bytes);
    arena_blocks_.emplace_back(new char[block]);
    arena_next_ = arena_blocks_.back().get();
    arena_left_ = block;
  }
  char* entry = arena_next_;
  std::memcpy(entry, &length, sizeof length);
  std::memcpy(entry + sizeof length, word.data(), word.size());
  words_.emplace_back(entry + sizeof length, word.size());
  arena_next_ += entry_bytes;
  arena_left_ -= entry_bytes;

  const int32_t id = static_cast<int32_t>(words_.size() - 1);
  slots_[i] = Slot{static_cast<uint32_t>(hash), id, entry};
  if (overfull(words_.size(), slots_.size())) rehash(slots_.size() * 2);
  return id;
}

void WordTable::reserve(size_t words) {
  size_t slot_count = slots_.size();
  while (overfull(words, slot_count)) slot_count *= 2;
  if (slot_count > slots_.size()) rehash(slot_count);
  words_.reserve(words);
}

void WordTable::rehash(size_t slot_count) {
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(slot_count, Slot{0, kMissing, nullptr});
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id == kMissing) continue;
    size_t i = slot.hash_low & mask;
    while (slots_[i].id != kMissing) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void VocabCounter::merge(VocabCounter&& other) {
  total_words_ += other.total_words_;
  total_sentences_ += other.total_sentences_;
  min_reduce_ = std::max(min_reduce_, other.min_reduce_);
  if (counts_.empty()) {
    table_ = std::move(other.table_);
    counts_ = std::move(other.counts_);
    return;
  }
  // Room for both at once, so that the table grows at most once; each slot prefetched kAhead words before its
  // insert, so that the loads of a large table overlap (merging the halves of gcide's phrase counts, 1.3M entries
  // each: 0.14 s, against 0.17 s without prefetching).
  constexpr size_t kAhead = 16;
  const size_t other_size = other.counts_.size();
  std::vector<uint64_t> hashes(other_size);
  for (size_t id = 0; id < other_size; ++id) hashes[id] = WordTable::hash(other.table_.word(static_cast<int32_t>(id)));
  table_.reserve(counts_.size() + other_size);
  for (size_t id = 0; id < other_size; ++id) {
    if (id + kAhead < other_size) table_.prefetch(hashes[id + kAhead]);
    const int32_t mine = table_.insert(other.table_.word(static_cast<int32_t>(id)), hashes[id]);
    if (static_cast<size_t>(mine) == counts_.size()) counts_.push_back(0);
    counts_[mine] += other.counts_[id];
  }
  if (max_vocab_size_ && counts_.size() > max_vocab_size_) prune();
}

void VocabCounter::prune() {
  // Rebuild the table without the rare words; survivors keep their relative (first-occurrence) order. Callers call
  // this only once the table holds more than max_vocab_size words.
  do {
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
  } while (pruning_ == Pruning::kUntilWithinLimit && counts_.size() > max_vocab_size_);
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
  if (options.hs) huffman_.emplace(counts_, options.huffman_ties);
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
