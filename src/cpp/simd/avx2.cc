// The AVX2 path: 8 float lanes with fused multiply-add (Haswell, 2013, and Zen onwards).
#include "simd/target.h"

#if defined(W2VFAST_X86_64)
#include <immintrin.h>

W2VFAST_TARGET_BEGIN("avx2,fma")
namespace w2v {
namespace avx2 {

constexpr SimdPath kPath = SimdPath::kAvx2;

struct Lanes {
  using Vec = __m256;
  static constexpr size_t kWidth = 8;
  static Vec zero() { return _mm256_setzero_ps(); }
  static Vec set1(float x) { return _mm256_set1_ps(x); }
  static Vec load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
  static Vec mul_add(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
  static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
  static Vec mul(Vec a, Vec b) { return _mm256_mul_ps(a, b); }
  static bool any_greater(Vec a, Vec b) { return _mm256_movemask_ps(_mm256_cmp_ps(a, b, _CMP_GT_OQ)) != 0; }
  static float sum(Vec v) {
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    return _mm_cvtss_f32(_mm_add_ss(x, _mm_shuffle_ps(x, x, 1)));
  }
  // The first n < 8 lanes: masked loads and stores neither read nor write past the row, so no fault at its end.
  static __m256i tail_mask(size_t n) {
    static const int32_t kMask[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMask + 8 - n));
  }
  static Vec load_tail(const float* p, size_t n) { return _mm256_maskload_ps(p, tail_mask(n)); }
  static void store_tail(float* p, Vec v, size_t n) { _mm256_maskstore_ps(p, tail_mask(n), v); }
};

#include "simd/lanes_inl.h"
#include "simd/steps_inl.h"
#include "simd/sentence_inl.h"
#include "simd/subword_steps_inl.h"
#include "simd/half_floats_inl.h"
#include "simd/table_inl.h"

}  // namespace avx2
}  // namespace w2v
W2VFAST_TARGET_END
#endif
