// The baseline path: the portable loops, vectorised by the compiler for the ISA every CPU of the platform has
// (SSE2 on x86-64, where the path is called sse2; `generic` on platforms the dispatch has no intrinsics for).
// arm64 has no such file: NEON is its baseline and has its own (simd/neon.cc).
#include "simd/target.h"

#if !defined(W2VFAST_ARM64)
namespace w2v {
#if defined(W2VFAST_X86_64)
namespace sse2 {
constexpr SimdPath kPath = SimdPath::kSse2;
#else
namespace generic {
constexpr SimdPath kPath = SimdPath::kGeneric;
#endif

#include "simd/portable_inl.h"
#include "simd/steps_inl.h"
#include "simd/sentence_inl.h"
#include "simd/subword_steps_inl.h"
#include "simd/half_floats_inl.h"
#include "simd/table_inl.h"

}  // namespace sse2 or generic
}  // namespace w2v
#endif
