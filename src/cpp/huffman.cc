#include "huffman.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace w2v {

HuffmanTree::HuffmanTree(const std::vector<uint64_t>& counts) {
  const size_t vocab_size = counts.size();
  if (vocab_size > static_cast<size_t>(INT32_MAX) / 2)
    throw std::invalid_argument("vocabulary too large for a Huffman tree of int32 node ids");
  offsets_.assign(vocab_size + 1, 0);
  if (vocab_size < 2) return;  // a single word needs no decision: an empty code

  // Nodes 0..V-1 are the leaves (word ids), V..2V-2 the inner nodes in merge order.
  const size_t node_count = 2 * vocab_size - 1;
  std::vector<uint64_t> weight(node_count);
  std::copy(counts.begin(), counts.end(), weight.begin());
  std::vector<int32_t> leaves(vocab_size);
  std::iota(leaves.begin(), leaves.end(), 0);
  std::stable_sort(leaves.begin(), leaves.end(), [&](int32_t a, int32_t b) { return counts[a] < counts[b]; });

  std::vector<int32_t> parent(node_count, -1);
  std::vector<uint8_t> is_right(node_count, 0);
  size_t next_leaf = 0;
  size_t next_inner = vocab_size;  // the inner-node queue is [next_inner, created)
  auto pop_lightest = [&](size_t created) -> size_t {
    // On equal weight the leaf goes first.
    if (next_leaf < vocab_size && (next_inner == created || weight[leaves[next_leaf]] <= weight[next_inner]))
      return static_cast<size_t>(leaves[next_leaf++]);
    return next_inner++;
  };
  for (size_t created = vocab_size; created < node_count; ++created) {
    const size_t left = pop_lightest(created);
    const size_t right = pop_lightest(created);
    weight[created] = weight[left] + weight[right];
    parent[left] = parent[right] = static_cast<int32_t>(created);
    is_right[right] = 1;
  }

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
