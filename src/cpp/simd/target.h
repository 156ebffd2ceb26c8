// What a per-path kernel file (simd/<path>.cc) includes BEFORE its target region, and the region itself.
//
// Only functions defined inside W2VFAST_TARGET_BEGIN/END are compiled for the path's instruction set. Everything the
// kernels use from outside (the standard library, Rng, NoiseSampler, HuffmanTree) must be included here, first, so
// its inline functions are defined with the baseline ISA: had the whole file been compiled with -mavx2, the AVX copy
// of, say, std::min or NoiseSampler::draw would be a COMDAT the linker may keep for the baseline callers too, and an
// older CPU would die with SIGILL. This is Google Highway's scheme (HWY_BEFORE_NAMESPACE); tests/test_simd.py checks
// the binary for AVX instructions outside the AVX paths' functions.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "huffman.h"
#include "model_rows.h"
#include "sampler.h"
#include "sigmoid.h"
#include "simd/dispatch.h"

#define W2VFAST_PRAGMA(text) _Pragma(#text)
#if defined(__clang__)
#define W2VFAST_TARGET_BEGIN(isa) \
  W2VFAST_PRAGMA(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define W2VFAST_TARGET_END W2VFAST_PRAGMA(clang attribute pop)
#elif defined(__GNUC__)
#define W2VFAST_TARGET_BEGIN(isa) W2VFAST_PRAGMA(GCC push_options) W2VFAST_PRAGMA(GCC target(isa))
#define W2VFAST_TARGET_END W2VFAST_PRAGMA(GCC pop_options)
#else
// MSVC compiles any intrinsic without flags and never widens other code beyond its /arch.
#define W2VFAST_TARGET_BEGIN(isa)
#define W2VFAST_TARGET_END
#endif

#if defined(__GNUC__) || defined(__clang__)
#define W2VFAST_RESTRICT __restrict__
#else
#define W2VFAST_RESTRICT __restrict
#endif

// W2VFAST_NOINLINE keeps a function out of line, where GCC allocates a large set of held registers without spilling
// that it spills once the function is inlined into a larger one; W2VFAST_INLINE puts one inline where GCC would
// call it, and pass the references its lambda captured through memory; W2VFAST_UNROLL(n) unrolls the next loop n
// times, so that an array indexed by its counter can live in registers.
#if defined(__clang__)
#define W2VFAST_NOINLINE __attribute__((noinline))
#define W2VFAST_INLINE inline __attribute__((always_inline))
#define W2VFAST_UNROLL(n) W2VFAST_PRAGMA(unroll n)
#elif defined(__GNUC__)
#define W2VFAST_NOINLINE __attribute__((noinline))
#define W2VFAST_INLINE inline __attribute__((always_inline))
#define W2VFAST_UNROLL(n) W2VFAST_PRAGMA(GCC unroll n)
#else
#define W2VFAST_NOINLINE __declspec(noinline)
#define W2VFAST_INLINE __forceinline
#define W2VFAST_UNROLL(n)
#endif
