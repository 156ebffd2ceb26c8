#include "huffman.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace w2v {

namespace {

// One merge of two nodes into a new inner node: the first becomes its left child, the second its right.
struct Merges {
  std::vector<int32_t> parent;
  std::vector<uint8_t> is_right;
  void merge(size_t left, size_t right, size_t created) {
    parent[left] = parent[right] = static_cast<int32_t>(created);
    is_right[right] = 1;
  }
};

// The two-queue merges: a queue of leaves by count, lightest first, merged linearly with the queue of inner nodes,
// which are created in non-decreasing count order when the leaves come in that order. `weight` holds the leaves'
// counts, and receives each inner node's as it is created.
//
// Leaves first (kLeavesFirst): the leaves sorted by count, lower ids first among equals, and a leaf goes before an
// inner node of the same count. word2vec.c's (kWord2vec: CreateBinaryTree, which fastText's buildTree and Spark
// MLlib's createBinaryTree copy): the leaves taken from the end of the vocabulary as they stand, which assumes it is
// sorted by count (as theirs are) and so keeps higher ids first among equals, and an inner node goes before a leaf
// (word2vec.c takes the leaf only when its count is strictly lower). Not sorting makes it their tree for any order.
void merge_two_queues(size_t vocab_size, HuffmanTies ties, std::vector<uint64_t>& weight, Merges& merges) {
  const bool leaves_first = ties == HuffmanTies::kLeavesFirst;
  std::vector<int32_t> leaves(vocab_size);
  std::iota(leaves.begin(), leaves.end(), 0);
  if (leaves_first) {
    std::stable_sort(leaves.begin(), leaves.end(), [&](int32_t a, int32_t b) { return weight[a] < weight[b]; });
  } else {
    std::reverse(leaves.begin(), leaves.end());
  }
  size_t next_leaf = 0;
  size_t next_inner = vocab_size;  // the inner-node queue is [next_inner, created)
  auto pop_lightest = [&](size_t created) -> size_t {
    if (next_leaf < vocab_size) {
      const uint64_t leaf = weight[leaves[next_leaf]];
      if (next_inner == created || leaf < weight[next_inner] || (leaves_first && leaf == weight[next_inner]))
        return static_cast<size_t>(leaves[next_leaf++]);
    }
    return next_inner++;
  };
  for (size_t created = vocab_size; created < weight.size(); ++created) {
    const size_t left = pop_lightest(created);
    const size_t right = pop_lightest(created);
    weight[created] = weight[left] + weight[right];
    merges.merge(left, right, created);
  }
}

// gensim's merge (_build_heap in gensim's word2vec.py): the nodes on a binary heap compared by count alone, ids
// 0..V-1 heapified in id order, the two lightest popped, their parent pushed. Ties fall where CPython's heapq leaves
// them, so this follows its algorithm step for step (heapq.py's _siftdown and _siftup, which CPython's C module
// mirrors) to build gensim's very tree from the same counts in the same order.
class GensimHeap {
 public:
  GensimHeap(const std::vector<uint64_t>& weight, size_t leaves) : weight_(weight), heap_(leaves) {
    std::iota(heap_.begin(), heap_.end(), size_t{0});
    for (size_t i = leaves / 2; i-- > 0;) sift_up(i);
  }
  size_t pop() {
    const size_t last = heap_.back();
    heap_.pop_back();
    if (heap_.empty()) return last;
    const size_t top = heap_[0];
    heap_[0] = last;
    sift_up(0);
    return top;
  }
  void push(size_t node) {
    heap_.push_back(node);
    sift_down(0, heap_.size() - 1);
  }

 private:
  bool lighter(size_t a, size_t b) const { return weight_[a] < weight_[b]; }
  // heapq's _siftdown: the node at `pos` moves up past heavier parents, no further than `start`.
  void sift_down(size_t start, size_t pos) {
    const size_t node = heap_[pos];
    while (pos > start) {
      const size_t parent = (pos - 1) >> 1;
      if (!lighter(node, heap_[parent])) break;
      heap_[pos] = heap_[parent];
      pos = parent;
    }
    heap_[pos] = node;
  }
  // heapq's _siftup: the node at `pos` sinks to a leaf of the heap along the lighter children (the right one on
  // equal weight), then rises back as _siftdown does.
  void sift_up(size_t pos) {
    const size_t start = pos;
    const size_t node = heap_[pos];
    for (size_t child = 2 * pos + 1; child < heap_.size(); child = 2 * pos + 1) {
      if (child + 1 < heap_.size() && !lighter(heap_[child], heap_[child + 1])) ++child;
      heap_[pos] = heap_[child];
      pos = child;
    }
    heap_[pos] = node;
    sift_down(start, pos);
  }

  const std::vector<uint64_t>& weight_;  // every node's count, an inner node's set before it is pushed
  std::vector<size_t> heap_;
};

void merge_gensim(size_t vocab_size, std::vector<uint64_t>& weight, Merges& merges) {
  GensimHeap heap(weight, vocab_size);
  for (size_t created = vocab_size; created < weight.size(); ++created) {
    const size_t left = heap.pop();
    const size_t right = heap.pop();
    weight[created] = weight[left] + weight[right];
    merges.merge(left, right, created);
    heap.push(created);
  }
}

}  // namespace

const char* huffman_ties_name(HuffmanTies ties) {
  switch (ties) {
    case HuffmanTies::kGensim:
      return "gensim";
    case HuffmanTies::kWord2vec:
      return "word2vec";
    case HuffmanTies::kLeavesFirst:
      return "leaves-first";
  }
  return "";
}

HuffmanTies parse_huffman_ties(const std::string& name) {
  for (HuffmanTies ties : {HuffmanTies::kGensim, HuffmanTies::kWord2vec, HuffmanTies::kLeavesFirst})
    if (name == huffman_ties_name(ties)) return ties;
  throw std::invalid_argument("huffman_ties must be 'gensim', 'word2vec' or 'leaves-first', not '" + name + "'");
}

HuffmanTree::HuffmanTree(const std::vector<uint64_t>& counts, HuffmanTies ties) {
  const size_t vocab_size = counts.size();
  if (vocab_size > static_cast<size_t>(INT32_MAX) / 2)
    throw std::invalid_argument("vocabulary too large for a Huffman tree of int32 node ids");
  offsets_.assign(vocab_size + 1, 0);
  if (vocab_size < 2) return;  // a single word needs no decision: an empty code

  // Nodes 0..V-1 are the leaves (word ids), V..2V-2 the inner nodes in merge order.
  const size_t node_count = 2 * vocab_size - 1;
  std::vector<uint64_t> weight(node_count);
  std::copy(counts.begin(), counts.end(), weight.begin());
  Merges merges{std::vector<int32_t>(node_count, -1), std::vector<uint8_t>(node_count, 0)};
  if (ties == HuffmanTies::kGensim) {
    merge_gensim(vocab_size, weight, merges);
  } else {
    merge_two_queues(vocab_size, ties, weight, merges);
  }
  const std::vector<int32_t>& parent = merges.parent;
  const std::vector<uint8_t>& is_right = merges.is_right;

  // Depths top-down: a parent is always created after its children, so walking the nodes backwards from the root
  // visits every parent first.
  std::vector<uint32_t> depth(node_count, 0);
  for (size_t node = node_count - 1; node-- > 0;) depth[node] = depth[parent[node]] + 1;
  for (size_t word = 0; word < vocab_size; ++word) offsets_[word + 1] = offsets_[word] + depth[word];
  codes_.resize(offsets_[vocab_size]);
  points_.resize(offsets_[vocab_size]);
  for (size_t word = 0; word < vocab_size; ++word) {
    // Walk up from the leaf, filling the code from its end (the leaf's own bit) back to the root's.
    size_t node = word;
    for (uint64_t position = offsets_[word + 1]; position-- > offsets_[word];) {
      codes_[position] = is_right[node];
      points_[position] = parent[node] - static_cast<int32_t>(vocab_size);
      node = static_cast<size_t>(parent[node]);
    }
  }
}

}  // namespace w2v
