// The Huffman tree of hierarchical softmax: each vocabulary word's binary code and the inner nodes on its path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace w2v {

// A Huffman tree over word counts (Mikolov et al. 2013; word2vec.c's CreateBinaryTree). Hierarchical softmax
// predicts a word by a sequence of binary decisions, one per inner node on the path from the root to the word's leaf:
// frequent words get short codes, so the expected cost of a prediction is the code length, about the entropy of the
// unigram distribution in bits, instead of the vocabulary size.
//
// The V - 1 inner nodes are numbered 0..V-2 in the order they are merged, so the root is V - 2; inner node p owns
// row p of the hierarchical-softmax output matrix (syn1, vocab_size x dim, of which the last row is unused, as in
// gensim). Ties in the merge order go to leaves before inner nodes and to lower indices first (word2vec.c's rule);
// gensim's heap breaks them by heap position, so codes can differ where counts tie, but every Huffman tree has the
// same expected code length, which is what training costs. Codes and points of all words are stored in two flat
// arrays indexed by per-word offsets: sum(code lengths) bytes and int32s, instead of word2vec.c's fixed 40 per word.
class HuffmanTree {
 public:
  HuffmanTree() = default;
  // O(V log V): a sort of the leaves by count, then a linear two-queue merge (inner nodes are created in
  // non-decreasing count order, so they form a second sorted queue).
  explicit HuffmanTree(const std::vector<uint64_t>& counts);

  size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  size_t code_length(int32_t word) const { return static_cast<size_t>(offsets_[word + 1] - offsets_[word]); }
  // The word's code, root first: bit b says which child of points(word)[b] the path takes (0 left, 1 right).
  const uint8_t* code(int32_t word) const { return codes_.data() + offsets_[word]; }
  const int32_t* points(int32_t word) const { return points_.data() + offsets_[word]; }

 private:
  std::vector<uint8_t> codes_;
  std::vector<int32_t> points_;
  std::vector<uint64_t> offsets_;  // vocab_size + 1 entries; word w's code is [offsets_[w], offsets_[w + 1])
};

}  // namespace w2v
