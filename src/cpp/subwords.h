// Character n-grams of words, as fastText computes them (Bojanowski et al. 2017): the subword rows a FastText model
// adds to a word's own row. The hashing must equal fastText's to the bit, or a .bin model trained here would read
// different rows in fastText's tools (and gensim's), so it copies Dictionary::computeSubwords and Dictionary::hash.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace w2v {

class Vocabulary;

// fastText's Dictionary::hash: 32-bit FNV-1a over the bytes, each sign-extended from int8 before the xor (so bytes
// above 0x7f hash as fastText's `char` does on x86; gensim's ft_hash_bytes copies that too).
uint32_t fasttext_hash(std::string_view bytes);

// Appends to `ids` the bucket rows (hash modulo `bucket`) of the n-grams of `word`, in fastText's order: the word is
// wrapped in '<' and '>', and for each start position that is not a UTF-8 continuation byte, the n-grams of n = 1 ..
// max_n characters (a character is a lead byte and its continuation bytes) that have at least min_n characters,
// except the lone '<' and '>'. The whole "<word>" is one of them when it is at most max_n characters long, as in
// fastText. Nothing when max_n < min_n, max_n == 0 or bucket == 0.
void append_ngram_ids(std::string_view word, int min_n, int max_n, uint32_t bucket, std::vector<int32_t>& ids);

// Each word's vector as gensim composes it (adjust_vectors), the mean of its own row and its n-gram rows: row w of
// `out` (words x dim) is ((word_rows[w] + ngram_rows[ids[o]]) + ngram_rows[ids[o + 1]] + ...) / (n + 1), o =
// offsets[w], n = offsets[w + 1] - o, in float32 and in that order, so the numbers are gensim's to the bit.
void compose_word_vectors(const float* word_rows, const float* ngram_rows, const int64_t* offsets, const int32_t* ids,
                          size_t words, size_t dim, float* out);

// The n-gram rows of every word of a vocabulary, computed once, in CSR form: word w's rows are
// ids()[offsets()[w] .. offsets()[w + 1]). A vocabulary that grows needs new Subwords.
class Subwords {
 public:
  // invalid_argument for a negative min_n or max_n, or a bucket beyond the int32 rows a matrix can have.
  Subwords(const Vocabulary& vocabulary, int min_n, int max_n, int64_t bucket);

  int min_n() const { return min_n_; }
  int max_n() const { return max_n_; }
  uint32_t bucket() const { return bucket_; }
  size_t word_count() const { return offsets_.size() - 1; }
  const std::vector<int64_t>& offsets() const { return offsets_; }
  const std::vector<int32_t>& ids() const { return ids_; }
  // Per word, the sum over its distinct n-gram rows of the square of how often each occurs in its list: the number
  // of its n-grams when none repeats. A training step that adds a gradient to each listed row moves the sum of the
  // listed rows by this many gradients (a row listed twice receives it twice and counts twice).
  const std::vector<uint32_t>& repeat_weights() const { return repeat_weights_; }
  // The n-gram rows of any word, in or out of the vocabulary.
  std::vector<int32_t> ngram_ids(std::string_view word) const;

 private:
  int min_n_;
  int max_n_;
  uint32_t bucket_;
  std::vector<int64_t> offsets_;
  std::vector<int32_t> ids_;
  std::vector<uint32_t> repeat_weights_;
};

}  // namespace w2v
