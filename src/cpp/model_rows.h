// What one training step reads and writes: the weight rows of the model, and a worker's scratch space. The steps
// themselves (negative sampling and hierarchical softmax, and the skip-gram and CBOW steps built from them) are in
// simd/steps_inl.h, compiled once per SIMD path and reached through that path's SimdKernels (simd/dispatch.h).
#pragma once

#include <cstddef>
#include <cstdint>

#include "hot_rows.h"

namespace w2v {

class HuffmanTree;
class NoiseSampler;

// Everything a training step touches, bundled so the call sites stay readable. A step uses the output layers the
// model has: negative sampling when `negative` > 0, hierarchical softmax when `huffman` is set; with both, the input
// side receives the sum of the two gradients (word2vec.c's shared neu1e).
struct ModelRows {
  float* input_vectors;       // syn0, vocab x dim: the word vectors users get
  float* output_vectors;      // syn1neg, vocab x dim; unused when negative == 0
  float* hs_vectors;          // syn1, vocab x dim, row p for inner node p of the Huffman tree; unused without hs
  size_t dim;
  size_t output_stride;       // floats from one row of output_vectors to the next: dim, or more where rows are padded
  size_t hs_stride;           // the same for hs_vectors
  int negative;
  const NoiseSampler* noise;
  const HuffmanTree* huffman;  // nullptr: no hierarchical softmax
  HotRows* hot = nullptr;      // a worker's private rows of the most frequent words; nullptr: every row is shared
  // FastText (subwords.h): a word's input is its own row of input_vectors (gensim's vectors_vocab) with the rows of
  // its character n-grams, subword_ids[subword_offsets[w] .. subword_offsets[w + 1]) of ngram_vectors (bucket x dim,
  // gensim's vectors_ngrams). subword_offsets == nullptr: word2vec, the word's own row alone.
  float* ngram_vectors = nullptr;
  const int64_t* subword_offsets = nullptr;
  const int32_t* subword_ids = nullptr;
  const uint32_t* ngram_repeat_weights = nullptr;  // Subwords::repeat_weights()
};

// Caller-owned scratch of a worker: `gradient` and `hidden` hold dim floats each, `targets` 2 x (negative + 1) ids
// (negative + 1 are enough outside shared negatives and subwords), `first_hidden` dim floats with subwords.
struct StepScratch {
  float* gradient;
  float* hidden;
  int32_t* targets;
  float* first_hidden = nullptr;
};

}  // namespace w2v
