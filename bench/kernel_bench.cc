// Kernel micro-benchmark: N skip-gram steps (negative sampling) on random rows, for each SIMD path and dimension.
//
//   kernel_bench [--paths scalar,avx2] [--dims 100,300] [--pairs 200000] [--negative 5] [--vocab 50000]
//
// Prints nanoseconds per (centre, context) pair, wall clock. The steps run inside w2v_bench_run_pairs, so
// `valgrind --tool=callgrind --toggle-collect=w2v_bench_run_pairs` counts the instructions of the steps alone
// (bench/kernel_bench_callgrind.py does that and prints the table).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "model_rows.h"
#include "sampler.h"
#include "simd/dispatch.h"

using namespace w2v;

namespace {

struct Options {
  std::vector<std::string> paths;  // empty: every path this CPU runs
  std::vector<size_t> dims{100, 300};
  size_t pairs = 200000;
  int negative = 5;
  size_t vocab = 50000;
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  for (std::string part; std::getline(stream, part, ',');) parts.push_back(part);
  return parts;
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument("missing value after " + flag);
    const std::string value = argv[++i];
    if (flag == "--paths") {
      options.paths = split(value);
    } else if (flag == "--dims") {
      options.dims.clear();
      for (const std::string& dim : split(value)) options.dims.push_back(std::stoul(dim));
    } else if (flag == "--pairs") {
      options.pairs = std::stoul(value);
    } else if (flag == "--negative") {
      options.negative = std::stoi(value);
    } else if (flag == "--vocab") {
      options.vocab = std::stoul(value);
    } else {
      throw std::invalid_argument("unknown option " + flag);
    }
  }
  return options;
}

}  // namespace

#if defined(_MSC_VER)
#define W2VFAST_NOINLINE __declspec(noinline)
#else
#define W2VFAST_NOINLINE __attribute__((noinline))
#endif

// Not inlined and not mangled, so callgrind can switch its counting on and off at this function's boundaries.
extern "C" W2VFAST_NOINLINE double w2v_bench_run_pairs(const SimdKernels* kernels, const ModelRows* rows,
                                                                const int32_t* pairs, size_t pair_count,
                                                                const StepScratch* scratch, Rng* rng) {
  double sink = 0.0;
  for (size_t p = 0; p < pair_count; ++p)
    sink += kernels->skipgram_step[0](*rows, pairs[2 * p], pairs[2 * p + 1], 0.025f, *scratch, *rng);
  return sink;
}

int main(int argc, char** argv) {
  try {
    const Options options = parse(argc, argv);
    std::vector<SimdPath> paths;
    if (options.paths.empty()) {
      paths = available_simd_paths();
    } else {
      for (const std::string& name : options.paths) paths.push_back(parse_simd_path(name));
    }
    // Zipf-like counts, as in text: the noise words are mostly frequent ones.
    std::vector<uint64_t> counts(options.vocab);
    for (size_t w = 0; w < options.vocab; ++w) counts[w] = 1000000 / (w + 1) + 1;
    const NoiseSampler noise(counts, 0.75);
    Rng pair_rng(1);
    std::vector<int32_t> pairs(2 * options.pairs);
    for (int32_t& word : pairs) word = noise.draw(pair_rng);

    std::printf("path      dim   ns/pair\n");
    for (size_t dim : options.dims) {
      for (SimdPath path : paths) {
        const SimdKernels& kernels = simd_kernels(path);
        // Same start for every path: input rows uniform in [-0.5, 0.5) / dim as gensim's, output rows small too
        // (zero output rows would make every score 0 and hide nothing, but trained rows are not zero).
        Rng init_rng(2);
        std::vector<float> input(options.vocab * dim), output(options.vocab * dim);
        for (float& x : input) x = (init_rng.uniform() - 0.5f) / static_cast<float>(dim);
        for (float& x : output) x = (init_rng.uniform() - 0.5f) / static_cast<float>(dim);
        std::vector<float> gradient(dim), hidden(dim);
        std::vector<int32_t> targets(static_cast<size_t>(options.negative) + 1);
        const ModelRows rows{input.data(), output.data(), nullptr, dim, options.negative, &noise, nullptr};
        const StepScratch scratch{gradient.data(), hidden.data(), targets.data()};
        Rng rng(3);
        const auto start = std::chrono::steady_clock::now();
        const double sink = w2v_bench_run_pairs(&kernels, &rows, pairs.data(), options.pairs, &scratch, &rng);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("%-8s %4zu %9.1f%s\n", simd_path_name(path), dim, 1e9 * seconds / options.pairs,
                    sink == 1.0 ? " " : "");  // uses sink so the loop is not optimised away
      }
    }
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "kernel_bench: %s\n", error.what());
    return 2;
  }
}
