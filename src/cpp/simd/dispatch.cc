#include "simd/dispatch.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <stdexcept>

namespace w2v {

// Each simd/<path>.cc defines its table in its own namespace.
namespace scalar { extern const SimdKernels kKernels; }
#if defined(W2VFAST_X86_64)
namespace sse2 { extern const SimdKernels kKernels; }
namespace avx2 { extern const SimdKernels kKernels; }
namespace avx512 { extern const SimdKernels kKernels; }
#elif defined(W2VFAST_ARM64)
namespace neon { extern const SimdKernels kKernels; }
#else
namespace generic { extern const SimdKernels kKernels; }
#endif

namespace {

constexpr SimdPath kAllPaths[] = {SimdPath::kScalar, SimdPath::kSse2, SimdPath::kGeneric,
                                  SimdPath::kAvx2,   SimdPath::kAvx512, SimdPath::kNeon};

const SimdKernels* compiled_kernels(SimdPath path) {
  switch (path) {
    case SimdPath::kScalar: return &scalar::kKernels;
#if defined(W2VFAST_X86_64)
    case SimdPath::kSse2: return &sse2::kKernels;
    case SimdPath::kAvx2: return &avx2::kKernels;
    case SimdPath::kAvx512: return &avx512::kKernels;
#elif defined(W2VFAST_ARM64)
    case SimdPath::kNeon: return &neon::kKernels;
#else
    case SimdPath::kGeneric: return &generic::kKernels;
#endif
    default: return nullptr;
  }
}

bool cpu_runs(SimdPath path) {
  static const CpuFeatures features = detect_cpu_features();
  switch (path) {
    case SimdPath::kAvx2: return features.avx2_fma;
    case SimdPath::kAvx512: return features.avx512f;
    case SimdPath::kNeon: return features.neon;
    default: return true;  // the scalar path and the platform's baseline
  }
}

std::string joined_names(const std::vector<SimdPath>& paths) {
  std::string text;
  for (SimdPath path : paths) text += (text.empty() ? "" : ", ") + std::string(simd_path_name(path));
  return text;
}

const SimdKernels* initial_kernels() {
  const char* requested = std::getenv("W2VFAST_SIMD");
  if (!requested || !*requested || std::string(requested) == "auto")
    return &simd_kernels(available_simd_paths().back());
  try {
    return &simd_kernels(parse_simd_path(requested));
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("environment variable W2VFAST_SIMD: ") + error.what());
  }
}

std::atomic<const SimdKernels*>& active_slot() {
  static std::atomic<const SimdKernels*> slot{initial_kernels()};
  return slot;
}

}  // namespace

const char* simd_path_name(SimdPath path) {
  switch (path) {
    case SimdPath::kScalar: return "scalar";
    case SimdPath::kSse2: return "sse2";
    case SimdPath::kGeneric: return "generic";
    case SimdPath::kAvx2: return "avx2";
    case SimdPath::kAvx512: return "avx512";
    case SimdPath::kNeon: return "neon";
  }
  return "unknown";
}

SimdPath parse_simd_path(const std::string& name) {
  for (SimdPath path : compiled_simd_paths())
    if (name == simd_path_name(path)) return path;
  throw std::invalid_argument("unknown SIMD path '" + name + "'; this build has: " +
                              joined_names(compiled_simd_paths()));
}

std::vector<SimdPath> compiled_simd_paths() {
  std::vector<SimdPath> paths;
  for (SimdPath path : kAllPaths)
    if (compiled_kernels(path)) paths.push_back(path);
  return paths;
}

std::vector<SimdPath> available_simd_paths() {
  std::vector<SimdPath> paths;
  for (SimdPath path : compiled_simd_paths())
    if (cpu_runs(path)) paths.push_back(path);
  return paths;
}

const SimdKernels& simd_kernels(SimdPath path) {
  const SimdKernels* kernels = compiled_kernels(path);
  if (!kernels)
    throw std::invalid_argument(std::string("SIMD path '") + simd_path_name(path) + "' is not in this build; it has: " +
                                joined_names(compiled_simd_paths()));
  if (!cpu_runs(path))
    throw std::invalid_argument(std::string("SIMD path '") + simd_path_name(path) +
                                "' needs instructions this CPU (or OS) lacks; available here: " +
                                joined_names(available_simd_paths()));
  return *kernels;
}

const SimdKernels& active_simd_kernels() { return *active_slot().load(std::memory_order_acquire); }

void set_active_simd_path(SimdPath path) { active_slot().store(&simd_kernels(path), std::memory_order_release); }

}  // namespace w2v
