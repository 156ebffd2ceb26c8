#include "finite.h"

#include <cstdint>
#include <cstring>

namespace w2v {

bool all_finite(const char* matrix, std::ptrdiff_t row_bytes, size_t rows, size_t cols) {
  constexpr uint32_t kExponentBits = 0x7f800000u;
  for (size_t row = 0; row < rows; ++row) {
    const char* values = matrix + static_cast<std::ptrdiff_t>(row) * row_bytes;
    // A count over the whole row rather than an early exit, so that the loop vectorises; a row is short enough that
    // finishing it costs nothing.
    uint32_t non_finite = 0;
    for (size_t col = 0; col < cols; ++col) {
      uint32_t bits;
      std::memcpy(&bits, values + col * sizeof(float), sizeof(bits));
      non_finite += (bits & kExponentBits) == kExponentBits;
    }
    if (non_finite) return false;
  }
  return true;
}

}  // namespace w2v
