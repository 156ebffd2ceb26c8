// The scalar path: the portable loops with the compiler's vectorisers turned off for this file (CMakeLists.txt), the
// reference every other path is tested against.
#include "simd/target.h"

namespace w2v {
namespace scalar {

constexpr SimdPath kPath = SimdPath::kScalar;
#include "simd/portable_inl.h"
#include "simd/steps_inl.h"
#include "simd/sentence_inl.h"
#include "simd/subword_steps_inl.h"
#include "simd/half_floats_inl.h"
#include "simd/table_inl.h"

}  // namespace scalar
}  // namespace w2v
