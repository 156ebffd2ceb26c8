#include "subwords.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "vocab.h"

namespace w2v {
namespace {

bool is_continuation_byte(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

constexpr uint32_t kFnvOffsetBasis = 2166136261u;
constexpr uint32_t kFnvPrime = 16777619u;

uint32_t hash_byte(uint32_t hash, char byte) {
  return (hash ^ static_cast<uint32_t>(static_cast<int8_t>(byte))) * kFnvPrime;
}

}  // namespace

void compose_word_vectors(const float* word_rows, const float* ngram_rows, const int64_t* offsets, const int32_t* ids,
                          size_t words, size_t dim, float* out) {
  for (size_t w = 0; w < words; ++w) {
#if defined(__GNUC__) || defined(__clang__)
    // The n-gram rows are scattered over the bucket matrix (800 MB at 2M buckets): ask for the next word's while
    // this one's are added.
    if (w + 1 < words)
      for (int64_t i = offsets[w + 1]; i < offsets[w + 2]; ++i)
        for (size_t byte = 0; byte < dim * sizeof(float); byte += 64)
          __builtin_prefetch(reinterpret_cast<const char*>(ngram_rows + static_cast<size_t>(ids[i]) * dim) + byte);
#endif
    float* composed = out + w * dim;
    std::copy(word_rows + w * dim, word_rows + (w + 1) * dim, composed);
    for (int64_t i = offsets[w]; i < offsets[w + 1]; ++i) {
      const float* row = ngram_rows + static_cast<size_t>(ids[i]) * dim;
      for (size_t d = 0; d < dim; ++d) composed[d] += row[d];
    }
    const auto rows = static_cast<float>(offsets[w + 1] - offsets[w] + 1);
    for (size_t d = 0; d < dim; ++d) composed[d] /= rows;
  }
}

uint32_t fasttext_hash(std::string_view bytes) {
  uint32_t hash = kFnvOffsetBasis;
  for (char byte : bytes) hash = hash_byte(hash, byte);
  return hash;
}

void append_ngram_ids(std::string_view word, int min_n, int max_n, uint32_t bucket, std::vector<int32_t>& ids) {
  if (max_n < min_n || max_n <= 0 || bucket == 0) return;
  std::string wrapped;
  wrapped.reserve(word.size() + 2);
  wrapped += '<';
  wrapped += word;
  wrapped += '>';
  const size_t size = wrapped.size();
  // fastText's Dictionary::computeSubwords, loop for loop: i is the n-gram's first byte, j one past its last, n its
  // length in characters. The n-grams of one start extend each other, so FNV-1a's hash of each continues the last's.
  for (size_t i = 0; i < size; ++i) {
    if (is_continuation_byte(wrapped[i])) continue;
    uint32_t hash = kFnvOffsetBasis;
    size_t j = i;
    for (int n = 1; j < size && n <= max_n; ++n) {
      hash = hash_byte(hash, wrapped[j++]);
      while (j < size && is_continuation_byte(wrapped[j])) hash = hash_byte(hash, wrapped[j++]);
      if (n >= min_n && !(n == 1 && (i == 0 || j == size))) ids.push_back(static_cast<int32_t>(hash % bucket));
    }
  }
}

Subwords::Subwords(const Vocabulary& vocabulary, int min_n, int max_n, int64_t bucket) : min_n_(min_n), max_n_(max_n) {
  if (min_n < 0 || max_n < 0) throw std::invalid_argument("min_n and max_n must be >= 0");
  if (bucket < 0 || bucket > INT32_MAX)
    throw std::invalid_argument("bucket must be between 0 and " + std::to_string(INT32_MAX));
  bucket_ = static_cast<uint32_t>(bucket);
  const WordTable& words = vocabulary.table();
  offsets_.reserve(vocabulary.size() + 1);
  offsets_.push_back(0);
  repeat_weights_.reserve(vocabulary.size());
  std::vector<int32_t> sorted;
  for (size_t w = 0; w < vocabulary.size(); ++w) {
    const size_t first = ids_.size();
    append_ngram_ids(words.word(static_cast<int32_t>(w)), min_n_, max_n_, bucket_, ids_);
    offsets_.push_back(static_cast<int64_t>(ids_.size()));
    sorted.assign(ids_.begin() + static_cast<std::ptrdiff_t>(first), ids_.end());
    std::sort(sorted.begin(), sorted.end());
    uint64_t weight = 0;
    for (size_t i = 0, j; i < sorted.size(); i = j) {
      for (j = i + 1; j < sorted.size() && sorted[j] == sorted[i];) ++j;
      weight += static_cast<uint64_t>(j - i) * (j - i);
    }
    repeat_weights_.push_back(static_cast<uint32_t>(std::min<uint64_t>(weight, UINT32_MAX)));
  }
  ids_.shrink_to_fit();
}

std::vector<int32_t> Subwords::ngram_ids(std::string_view word) const {
  std::vector<int32_t> ids;
  append_ngram_ids(word, min_n_, max_n_, bucket_, ids);
  return ids;
}

}  // namespace w2v
