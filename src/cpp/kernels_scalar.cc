// The scalar path: the portable loops with the compiler's vectorisers turned off for this file (CMakeLists.txt), the
// reference every other path is tested against.
#include "simd_target.h"

namespace w2v {
namespace scalar {

constexpr SimdPath kPath = SimdPath::kScalar;
#include "simd_portable_inl.h"
#include "kernels_inl.h"
#include "sentence_inl.h"
#include "simd_table_inl.h"

}  // namespace scalar
}  // namespace w2v
