// IEEE half-precision conversions of whole arrays, included inside a SIMD path's namespace (no include guard on
// purpose) so that the compiler vectorises the loops for the path's instruction set. w2vfast.spark sends every
// round's deltas as half floats; NumPy converts them one element at a time (6 ns each on a Zen 4), which cost a
// round more than its broadcast (docs/spark.md).
//
// Plain integer and float operations, no conditional branches, so that the loops vectorise on every path: the
// selects become blends. Both give NumPy's results bit for bit (tests/test_simd.py), but for one case: a float NaN
// becomes the quiet half NaN of its sign, its payload not kept.

// __builtin_bit_cast (GCC 11, Clang 9, MSVC 19.27; C++20's std::bit_cast) where memcpy kept GCC 12 from
// vectorising the float-to-half loop.
inline uint32_t float_bits(float x) { return __builtin_bit_cast(uint32_t, x); }
inline float bits_float(uint32_t bits) { return __builtin_bit_cast(float, bits); }

// `chosen` where `condition`, else `other`, as masks: a conditional expression would let the compiler compute the
// float operations of one side under the condition only, which it cannot vectorise without masked instructions.
inline uint32_t select_bits(bool condition, uint32_t chosen, uint32_t other) {
  const uint32_t mask = 0u - static_cast<uint32_t>(condition);
  return (chosen & mask) | (other & ~mask);
}

// Round to nearest, ties to even, as NumPy and the F16C instructions do (after F. Giesen's float_to_half_fast3_rtne).
inline uint16_t float_to_half(float value) {
  const uint32_t bits = float_bits(value);
  const uint32_t sign = (bits >> 16) & 0x8000u;
  const uint32_t magnitude = bits & 0x7fffffffu;
  // From 2^16 up: infinity (65520 up to 2^16 rounds to it below, as a normal); above float infinity's bits: NaN.
  const uint32_t special = magnitude > 0x7f800000u ? 0x7e00u : 0x7c00u;
  // Below 2^-14 the half is subnormal or zero: adding 0.5 aligns the value's bits with a half subnormal's mantissa
  // at the bottom of the float's, and the float addition rounds to nearest even on the way.
  const uint32_t subnormal = float_bits(bits_float(magnitude) + 0.5f) - 0x3f000000u;
  // Normal: rebias the exponent, and round by adding half an ulp less one, plus the mantissa's lowest kept bit.
  const uint32_t normal = (magnitude + 0xc8000fffu + ((magnitude >> 13) & 1u)) >> 13;
  const uint32_t half =
      select_bits(magnitude >= 0x47800000u, special, select_bits(magnitude < 0x38800000u, subnormal, normal));
  return static_cast<uint16_t>(half | sign);
}

// Exact: every half is a float (after F. Giesen's half_to_float_fast4).
inline float half_to_float(uint16_t half) {
  const uint32_t shifted = (static_cast<uint32_t>(half) & 0x7fffu) << 13;  // exponent and mantissa, float-aligned
  const uint32_t exponent = shifted & 0x0f800000u;
  const uint32_t rebiased = shifted + 0x38000000u;  // exponent + 112: right for normal halves
  // Infinity and NaN: the exponent all ones. Zero and subnormals: renormalised by a float subtraction.
  const uint32_t special = rebiased + 0x38000000u;
  const uint32_t subnormal = float_bits(bits_float(rebiased + 0x00800000u) - bits_float(0x38800000u));
  const uint32_t magnitude =
      select_bits(exponent == 0x0f800000u, special, select_bits(exponent == 0, subnormal, rebiased));
  return bits_float(magnitude | (static_cast<uint32_t>(half) & 0x8000u) << 16);
}

inline void floats_to_halves(const float* W2VFAST_RESTRICT values, uint16_t* W2VFAST_RESTRICT halves, size_t n) {
  for (size_t i = 0; i < n; ++i) halves[i] = float_to_half(values[i]);
}

inline void halves_to_floats(const uint16_t* W2VFAST_RESTRICT halves, float* W2VFAST_RESTRICT values, size_t n) {
  for (size_t i = 0; i < n; ++i) values[i] = half_to_float(halves[i]);
}
