// Random draws used by training: a per-thread generator and the noise-word sampler.
#pragma once

#include <cstdint>
#include <vector>

namespace w2v {

// SplitMix64 (Steele, Lea & Flood 2014): one add and two multiply-xorshift rounds a draw, statistically sound for
// Monte Carlo work and cheap enough to call several times per trained pair. Each worker owns one.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform integer in [0, bound) by Lemire's multiply-shift of the high 32 bits (bias below 2^-32 * bound).
  uint32_t below(uint32_t bound) { return static_cast<uint32_t>(((next() >> 32) * bound) >> 32); }

  // Uniform float in [0, 1) from the top 24 bits.
  float uniform() { return static_cast<float>(next() >> 40) * (1.0f / 16777216.0f); }

 private:
  uint64_t state_;
};

// The seed of random stream `thread_id` (a worker's, or a corpus chunk's) in training pass `stream`: distinct,
// well-mixed streams derived from the user's seed, so that a run is reproducible whatever the scheduling of threads
// (with one worker, bit for bit).
uint64_t worker_seed(uint64_t seed, uint64_t thread_id, uint64_t stream);

// Draws noise words from the unigram distribution raised to `exponent` (word2vec's 0.75).
//
// Walker's alias method (Vose's construction): one 64-bit random number picks a column and flips its biased coin,
// so a draw is O(1) with a single 8-byte table read. word2vec.c instead fills a 1e8-entry table (400 MB, and it
// quantises rare words' probabilities to multiples of 1e-8); gensim binary-searches a cumulative table, O(log V).
// The alias table is V * 8 bytes and exact up to the 2^-32 resolution of the coin.
class NoiseSampler {
 public:
  NoiseSampler() = default;
  NoiseSampler(const std::vector<uint64_t>& counts, double exponent);

  int32_t draw(Rng& rng) const {
    const uint64_t r = rng.next();
    const uint32_t column = static_cast<uint32_t>(((r >> 32) * size_) >> 32);
    const Entry& entry = table_[column];
    // Selected by mask, not by branch: the coin is random by design, so a branch on it mispredicts a good share of
    // the draws.
    const uint32_t keep = 0u - static_cast<uint32_t>(static_cast<uint32_t>(r) < entry.keep_threshold);
    return static_cast<int32_t>((column & keep) | (static_cast<uint32_t>(entry.alias) & ~keep));
  }

  // The exact probability of each word under this sampler (what draw() converges to).
  std::vector<double> probabilities() const;
  uint32_t size() const { return size_; }

 private:
  struct Entry {
    uint32_t keep_threshold;  // the column keeps its own word when the low 32 random bits are below this
    int32_t alias;            // otherwise it yields this word
  };
  std::vector<Entry> table_;
  uint64_t size_ = 0;
};

}  // namespace w2v
