// A float buffer that starts on a cache line, for rows the SIMD kernels load and store a register at a time: a row
// starting 16 bytes past a line (where std::vector and NumPy leave large buffers) splits every AVX-512 register's
// access across two lines. The model's matrices are aligned where Python allocates them (python/w2vfast/_arrays.py,
// which has the measurements); this is the engine's own rows: a worker's scratch and its private copies of hot rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace w2v {

class CacheLineFloats {
 public:
  static constexpr size_t kLineBytes = 64;

  CacheLineFloats() = default;
  explicit CacheLineFloats(size_t count) { assign_zeros(count); }
  // data() points into the buffer: a copy would point into the original's.
  CacheLineFloats(const CacheLineFloats&) = delete;
  CacheLineFloats& operator=(const CacheLineFloats&) = delete;

  // `count` zeros, the first on a cache line; earlier contents are dropped.
  void assign_zeros(size_t count) {
    constexpr size_t kSlack = kLineBytes / sizeof(float) - 1;
    storage_.assign(count + kSlack, 0.0f);
    const auto address = reinterpret_cast<uintptr_t>(storage_.data());
    const size_t skip = (kLineBytes - address % kLineBytes) % kLineBytes / sizeof(float);
    data_ = storage_.data() + skip;
  }

  float* data() { return data_; }
  const float* data() const { return data_; }

 private:
  std::vector<float> storage_;
  float* data_ = nullptr;
};

}  // namespace w2v
