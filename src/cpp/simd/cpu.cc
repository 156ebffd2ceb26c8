#include "simd/cpu.h"

#if defined(W2VFAST_X86_64) && defined(_MSC_VER) && !defined(__clang__)
#include <immintrin.h>
#include <intrin.h>
#endif
#if defined(W2VFAST_X86_64) && defined(__APPLE__)
#include <sys/sysctl.h>
#endif

namespace w2v {

#if defined(W2VFAST_X86_64) && defined(_MSC_VER) && !defined(__clang__)
// MSVC has no __builtin_cpu_supports: read CPUID and XCR0 ourselves. An instruction set is usable only when the CPU
// has it AND the OS saves its registers on a context switch (OSXSAVE, then the XCR0 state bits), else the first
// context switch corrupts the upper halves of the registers.
CpuFeatures detect_cpu_features() {
  CpuFeatures features;
  int info[4];
  __cpuid(info, 0);
  const int max_leaf = info[0];
  if (max_leaf < 7) return features;
  __cpuid(info, 1);
  const bool fma = (info[2] >> 12) & 1, osxsave = (info[2] >> 27) & 1, avx = (info[2] >> 28) & 1;
  if (!osxsave || !avx) return features;
  const unsigned long long xcr0 = _xgetbv(0);
  const bool ymm_saved = (xcr0 & 0x6) == 0x6;      // SSE and AVX state
  const bool zmm_saved = (xcr0 & 0xe6) == 0xe6;    // plus opmask, ZMM_Hi256 and Hi16_ZMM state
  __cpuidex(info, 7, 0);
  const bool avx2 = (info[1] >> 5) & 1, avx512f = (info[1] >> 16) & 1;
  features.avx2_fma = ymm_saved && avx2 && fma;
  features.avx512f = features.avx2_fma && zmm_saved && avx512f;
  return features;
}
#elif defined(W2VFAST_X86_64)
// GCC's and Clang's runtime (libgcc, compiler-rt) read CPUID and check XCR0 for the OS's register saving.
CpuFeatures detect_cpu_features() {
  CpuFeatures features;
  __builtin_cpu_init();
  features.avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  features.avx512f = features.avx2_fma && __builtin_cpu_supports("avx512f");
#if defined(__APPLE__)
  // macOS enables the AVX-512 state lazily, on a thread's first use, so XCR0 does not show it yet; the kernel
  // reports the support in this sysctl instead (as NumPy checks).
  int has_avx512f = 0;
  size_t size = sizeof has_avx512f;
  if (!features.avx512f && features.avx2_fma &&
      sysctlbyname("hw.optional.avx512f", &has_avx512f, &size, nullptr, 0) == 0 && has_avx512f)
    features.avx512f = true;
#endif
  return features;
}
#else
CpuFeatures detect_cpu_features() {
  CpuFeatures features;
#if defined(W2VFAST_ARM64)
  features.neon = true;  // Advanced SIMD is mandatory in AArch64
#endif
  return features;
}
#endif

}  // namespace w2v
