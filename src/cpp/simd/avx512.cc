// The AVX-512 path: 16 float lanes with fused multiply-add and masked tails (Skylake-SP, 2017, Ice Lake, Zen 4).
#include "simd/target.h"

#if defined(W2VFAST_X86_64)
#include <immintrin.h>

// GCC 12's AVX-512 intrinsics initialise their "undefined" operands from themselves, which -Wuninitialized reports
// wherever they inline (GCC bug 105593, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

W2VFAST_TARGET_BEGIN("avx512f,avx2,fma")
namespace w2v {
namespace avx512 {

constexpr SimdPath kPath = SimdPath::kAvx512;

struct Lanes {
  using Vec = __m512;
  static constexpr size_t kWidth = 16;
  static Vec zero() { return _mm512_setzero_ps(); }
  static Vec set1(float x) { return _mm512_set1_ps(x); }
  static Vec load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, Vec v) { _mm512_storeu_ps(p, v); }
  static Vec mul_add(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
  static Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
  static Vec mul(Vec a, Vec b) { return _mm512_mul_ps(a, b); }
  static float sum(Vec v) { return _mm512_reduce_add_ps(v); }
  static bool any_greater(Vec a, Vec b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ) != 0; }
  // The first n < 16 lanes; masked-off lanes are neither read nor written, so no fault at the row's end.
  static __mmask16 tail_mask(size_t n) { return static_cast<__mmask16>((1u << n) - 1); }
  static Vec load_tail(const float* p, size_t n) { return _mm512_maskz_loadu_ps(tail_mask(n), p); }
  static void store_tail(float* p, Vec v, size_t n) { _mm512_mask_storeu_ps(p, tail_mask(n), v); }
};

#include "simd/lanes_inl.h"
#include "simd/steps_inl.h"
#include "simd/sentence_inl.h"
#include "simd/subword_steps_inl.h"
#include "simd/half_floats_inl.h"
#include "simd/table_inl.h"

}  // namespace avx512
}  // namespace w2v
W2VFAST_TARGET_END

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic pop
#endif
#endif
