// What the running CPU and operating system can execute, asked once at startup: the SIMD dispatch
// (simd/dispatch.h) picks a kernel set from it. Compiler flags say what the build may assume; this says what the
// machine actually has.
#pragma once

namespace w2v {

// The platforms the dispatch knows. Elsewhere only the portable paths are built.
#if defined(__x86_64__) || (defined(_M_X64) && !defined(_M_ARM64EC))
#define W2VFAST_X86_64 1
#elif defined(__aarch64__) || defined(_M_ARM64)
#define W2VFAST_ARM64 1
#endif

struct CpuFeatures {
  bool avx2_fma = false;  // AVX2 and FMA3, with the OS saving the ymm registers (XCR0 bits 1-2)
  bool avx512f = false;   // AVX-512 Foundation, with the OS saving the zmm and mask registers (XCR0 bits 5-7)
  bool neon = false;      // Advanced SIMD: part of every arm64 CPU
};

CpuFeatures detect_cpu_features();

}  // namespace w2v
