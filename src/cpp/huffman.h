// The Huffman tree of hierarchical softmax: each vocabulary word's binary code and the inner nodes on its path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace w2v {

// How a Huffman tree breaks ties between nodes of equal count. Every Huffman tree has the same expected code length,
// which is what training costs, but not the same quality: which words share inner nodes is decided by the ties, and
// most words of a corpus share their count with thousands of others. On gcide, CBOW with hierarchical softmax scored
// a full analogy point higher with gensim's tree than with leaves-first, 0.5 points on the same lines shuffled
// (docs/performance.md).
enum class HuffmanTies : uint8_t {
  // gensim's: a binary heap of the nodes (Python's heapq), compared by count alone, so that ties go to whichever
  // node the heap's layout puts first. Equal counts merge in an order that mixes leaves and inner nodes of
  // different parts of the vocabulary, and words of neighbouring ranks end up in different subtrees.
  kGensim,
  // word2vec.c's (CreateBinaryTree), which fastText and Spark MLlib build too: inner nodes before leaves, and the
  // leaves taken from the end of the vocabulary as it stands (theirs is sorted by count, highest first), so among
  // equal counts the later word first. The tree fastText rebuilds for a .bin file's words.
  kWord2vec,
  // Leaves before inner nodes, lower ids first: w2vfast's tree until 2026-12-02, kept for the models saved with it,
  // whose hierarchical-softmax rows belong to its inner nodes. Words of neighbouring ranks share most of their path.
  kLeavesFirst,
};

// The name of a rule ("gensim", "word2vec", "leaves-first"), and the rule of a name (invalid_argument for any other).
const char* huffman_ties_name(HuffmanTies ties);
HuffmanTies parse_huffman_ties(const std::string& name);

// A Huffman tree over word counts (Mikolov et al. 2013; word2vec.c's CreateBinaryTree). Hierarchical softmax
// predicts a word by a sequence of binary decisions, one per inner node on the path from the root to the word's leaf:
// frequent words get short codes, so the expected cost of a prediction is the code length, about the entropy of the
// unigram distribution in bits, instead of the vocabulary size.
//
// The V - 1 inner nodes are numbered 0..V-2 in the order they are merged, so the root is V - 2; inner node p owns
// row p of the hierarchical-softmax output matrix (syn1, vocab_size x dim, of which the last row is unused, as in
// gensim). The first node merged is a left child (code bit 0), the second a right one (1). Codes and points of all
// words are stored in two flat arrays indexed by per-word offsets: sum(code lengths) bytes and int32s, instead of
// word2vec.c's fixed 40 per word.
class HuffmanTree {
 public:
  HuffmanTree() = default;
  // O(V log V), with ties broken as `ties` says: by a binary heap (kGensim), or by a linear two-queue merge of the
  // leaves, lightest first (sorted for kLeavesFirst, from the vocabulary's end for kWord2vec), with the inner nodes,
  // which are created in non-decreasing count order and so form a second sorted queue.
  HuffmanTree(const std::vector<uint64_t>& counts, HuffmanTies ties);

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
