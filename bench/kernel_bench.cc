// Kernel micro-benchmark, for each SIMD path and dimension, on random rows of a Zipf vocabulary:
//
//   kernel_bench [--paths scalar,avx2] [--dims 100,300] [--mode pair] [--pairs 200000] [--words 200000]
//                [--negative 5] [--vocab 50000]
//
// --mode pair (the default): N skip-gram steps with negative sampling, one (centre, context) pair each; prints
// nanoseconds per pair. --mode sg-ns, sg-shared, cbow-ns, sg-hs or cbow-hs: the sentence loop of that training mode
// (window 5, no subsampling) over --words corpus words drawn by frequency, in sentences of 1,000; prints nanoseconds
// per corpus word. Wall clock. The steps run inside w2v_bench_run_pairs or w2v_bench_run_sentences, so
// `valgrind --tool=callgrind --toggle-collect=<that function>` counts the instructions of the steps alone
// (bench/kernel_bench_callgrind.py does that and prints the tables).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "huffman.h"
#include "model_rows.h"
#include "sampler.h"
#include "simd/dispatch.h"

using namespace w2v;

namespace {

// The training modes of --mode, each a sentence loop of the dispatch table.
enum class Mode { kPair, kSgNs, kSgShared, kCbowNs, kSgHs, kCbowHs };

Mode parse_mode(const std::string& name) {
  const std::pair<const char*, Mode> modes[] = {{"pair", Mode::kPair},       {"sg-ns", Mode::kSgNs},
                                                {"sg-shared", Mode::kSgShared}, {"cbow-ns", Mode::kCbowNs},
                                                {"sg-hs", Mode::kSgHs},       {"cbow-hs", Mode::kCbowHs}};
  for (const auto& [mode_name, mode] : modes)
    if (name == mode_name) return mode;
  throw std::invalid_argument("unknown mode " + name + " (pair, sg-ns, sg-shared, cbow-ns, sg-hs, cbow-hs)");
}

bool hierarchical(Mode mode) { return mode == Mode::kSgHs || mode == Mode::kCbowHs; }

struct Options {
  std::vector<std::string> paths;  // empty: every path this CPU runs
  std::vector<size_t> dims{100, 300};
  Mode mode = Mode::kPair;
  size_t pairs = 200000;
  size_t words = 200000;
  int negative = 5;
  size_t vocab = 50000;
};

constexpr int kWindow = 5;
constexpr size_t kSentenceWords = 1000;

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
    } else if (flag == "--mode") {
      options.mode = parse_mode(value);
    } else if (flag == "--pairs") {
      options.pairs = std::stoul(value);
    } else if (flag == "--words") {
      options.words = std::stoul(value);
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

// The sentence loop of `mode` over words[0, word_count), in sentences of kSentenceWords.
extern "C" W2VFAST_NOINLINE double w2v_bench_run_sentences(const SimdKernels* kernels, const ModelRows* rows,
                                                                    int mode, const int32_t* words, size_t word_count,
                                                                    const StepScratch* scratch, int32_t* contexts,
                                                                    Rng* rng) {
  double sink = 0.0;
  for (size_t first = 0; first < word_count; first += kSentenceWords) {
    const int32_t* ids = words + first;
    const size_t length = std::min(kSentenceWords, word_count - first);
    switch (static_cast<Mode>(mode)) {
      case Mode::kSgNs:
      case Mode::kSgHs:
        sink += kernels->train_sentence_skipgram[0](*rows, ids, length, kWindow, 0.025f, *scratch, *rng);
        break;
      case Mode::kSgShared:
        sink += kernels->train_sentence_skipgram_shared[0](*rows, ids, length, kWindow, 0.025f, contexts, *scratch,
                                                            *rng);
        break;
      case Mode::kCbowNs:
      case Mode::kCbowHs:
        sink += kernels->train_sentence_cbow[0](*rows, ids, length, kWindow, true, 0.025f, *scratch, *rng);
        break;
      case Mode::kPair:
        break;
    }
  }
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
    // The sentence modes' corpus: words drawn by their frequency (a sampler with exponent 1), as text has them.
    const bool sentences = options.mode != Mode::kPair;
    const NoiseSampler unigram(counts, 1.0);
    std::vector<int32_t> words(sentences ? options.words : 0);
    for (int32_t& word : words) word = unigram.draw(pair_rng);
    const HuffmanTree huffman = hierarchical(options.mode) ? HuffmanTree(counts, HuffmanTies::kGensim) : HuffmanTree();
    const int negative = hierarchical(options.mode) ? 0 : options.negative;

    std::printf("path      dim   %s\n", sentences ? "ns/word" : "ns/pair");
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
        std::vector<int32_t> targets(2 * (static_cast<size_t>(options.negative) + 1)), contexts(2 * kWindow);
        // With hierarchical softmax `output` is syn1 (vocab - 1 inner nodes fit in it) and there is no syn1neg.
        const bool hs = hierarchical(options.mode);
        const ModelRows rows{input.data(), hs ? nullptr : output.data(), hs ? output.data() : nullptr, dim, dim, dim,
                             negative, &noise, hs ? &huffman : nullptr};
        const StepScratch scratch{gradient.data(), hidden.data(), targets.data()};
        Rng rng(3);
        const auto start = std::chrono::steady_clock::now();
        const double sink =
            sentences ? w2v_bench_run_sentences(&kernels, &rows, static_cast<int>(options.mode), words.data(),
                                                words.size(), &scratch, contexts.data(), &rng)
                      : w2v_bench_run_pairs(&kernels, &rows, pairs.data(), options.pairs, &scratch, &rng);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const size_t steps = sentences ? options.words : options.pairs;
        std::printf("%-8s %4zu %9.1f%s\n", simd_path_name(path), dim, 1e9 * seconds / steps,
                    sink == 1.0 ? " " : "");  // uses sink so the loop is not optimised away
      }
    }
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "kernel_bench: %s\n", error.what());
    return 2;
  }
}
