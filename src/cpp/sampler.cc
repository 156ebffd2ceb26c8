#include "sampler.h"

#include <cmath>
#include <stdexcept>

namespace w2v {

uint64_t worker_seed(uint64_t seed, uint64_t thread_id, uint64_t stream) {
  Rng mixer(seed ^ 0x5DEECE66DULL);
  uint64_t s = mixer.next();
  s ^= Rng(thread_id * 0x632BE59BD9B4E019ULL + 1).next();
  s ^= Rng(stream * 0xD1B54A32D192ED03ULL + 2).next();
  return s;
}

NoiseSampler::NoiseSampler(const std::vector<uint64_t>& counts, double exponent) {
  const size_t n = counts.size();
  if (n == 0) throw std::invalid_argument("the noise distribution needs a non-empty vocabulary");
  if (n > 0xFFFFFFFFULL) throw std::invalid_argument("vocabulary too large for the noise sampler");
  std::vector<double> weight(n);
  double total = 0.0;
  for (size_t i = 0; i < n; ++i) {
    weight[i] = std::pow(static_cast<double>(counts[i]), exponent);
    total += weight[i];
  }
  if (!(total > 0.0) || !std::isfinite(total))
    throw std::invalid_argument("the noise distribution has no mass: all counts are zero");

  // Vose: scale each weight to a mean of 1, then pair every under-full column with an over-full donor.
  std::vector<double> scaled(n);
  std::vector<uint32_t> small, large;
  for (size_t i = 0; i < n; ++i) {
    scaled[i] = weight[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  table_.assign(n, Entry{0xFFFFFFFFu, 0});
  for (size_t i = 0; i < n; ++i) table_[i].alias = static_cast<int32_t>(i);
  while (!small.empty() && !large.empty()) {
    const uint32_t under = small.back();
    small.pop_back();
    const uint32_t donor = large.back();
    // scaled[under] < 1, so the threshold is below 2^32 and fits.
    table_[under].keep_threshold = static_cast<uint32_t>(std::ldexp(scaled[under], 32));
    table_[under].alias = static_cast<int32_t>(donor);
    scaled[donor] -= 1.0 - scaled[under];
    if (scaled[donor] < 1.0) {
      large.pop_back();
      small.push_back(donor);
    }
  }
  // Columns left in either list are full up to rounding error: they always keep their own word.
  size_ = n;
}

std::vector<double> NoiseSampler::probabilities() const {
  std::vector<double> probability(size_, 0.0);
  const double column_mass = 1.0 / static_cast<double>(size_);
  for (size_t i = 0; i < size_; ++i) {
    // The coin keeps column i when the low 32 bits are < threshold: (threshold) of 2^32 outcomes. A threshold of
    // 0xFFFFFFFF marks a full column (the one missing outcome of 2^32 is below the coin's resolution).
    const double keep = table_[i].keep_threshold == 0xFFFFFFFFu
                            ? 1.0
                            : std::ldexp(static_cast<double>(table_[i].keep_threshold), -32);
    probability[i] += column_mass * keep;
    probability[table_[i].alias] += column_mass * (1.0 - keep);
  }
  return probability;
}

}  // namespace w2v
