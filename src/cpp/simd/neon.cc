// The NEON path, arm64's baseline: 4 float lanes with fused multiply-add. Every arm64 CPU has it, so no target
// region is needed.
#include "simd/target.h"

#if defined(W2VFAST_ARM64)
#include <arm_neon.h>

namespace w2v {
namespace neon {

constexpr SimdPath kPath = SimdPath::kNeon;

struct Lanes {
  using Vec = float32x4_t;
  static constexpr size_t kWidth = 4;
  static Vec zero() { return vdupq_n_f32(0.0f); }
  static Vec set1(float x) { return vdupq_n_f32(x); }
  static Vec load(const float* p) { return vld1q_f32(p); }
  static void store(float* p, Vec v) { vst1q_f32(p, v); }
  static Vec mul_add(Vec a, Vec b, Vec c) { return vfmaq_f32(c, a, b); }
  static Vec add(Vec a, Vec b) { return vaddq_f32(a, b); }
  static Vec mul(Vec a, Vec b) { return vmulq_f32(a, b); }
  static float sum(Vec v) { return vaddvq_f32(v); }
  static bool any_greater(Vec a, Vec b) { return vmaxvq_u32(vcgtq_f32(a, b)) != 0; }
  // NEON has no masked loads: the last n < 4 floats go through a zeroed buffer.
  static Vec load_tail(const float* p, size_t n) {
    float lanes[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (size_t i = 0; i < n; ++i) lanes[i] = p[i];
    return vld1q_f32(lanes);
  }
  static void store_tail(float* p, Vec v, size_t n) {
    float lanes[4];
    vst1q_f32(lanes, v);
    for (size_t i = 0; i < n; ++i) p[i] = lanes[i];
  }
};

#include "simd/lanes_inl.h"
#include "simd/steps_inl.h"
#include "simd/sentence_inl.h"
#include "simd/subword_steps_inl.h"
#include "simd/half_floats_inl.h"
#include "simd/table_inl.h"

}  // namespace neon
}  // namespace w2v
#endif
