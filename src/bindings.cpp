// The only pybind11 file: converts Python objects to the engine's plain types and back, releases the GIL around
// every long call, and maps the engine's exceptions to Python's. No logic of its own.
#include <optional>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "corpus.h"
#include "huffman.h"
#include "kernels.h"
#include "sampler.h"
#include "simd.h"
#include "trainer.h"
#include "vocab.h"

namespace py = pybind11;
using namespace w2v;

namespace {

using ReadArrayU64 = py::array_t<uint64_t, py::array::c_style | py::array::forcecast>;
using ReadArrayI32 = py::array_t<int32_t, py::array::c_style | py::array::forcecast>;
using ReadArrayI64 = py::array_t<int64_t, py::array::c_style | py::array::forcecast>;
using ReadArrayU32 = py::array_t<uint32_t, py::array::c_style | py::array::forcecast>;
using ReadArrayF32 = py::array_t<float, py::array::c_style | py::array::forcecast>;

// Words cross as UTF-8 with surrogateescape: any byte string from a corpus maps to a distinct str and back.
py::str decode_word(std::string_view bytes) {
  PyObject* text = PyUnicode_DecodeUTF8(bytes.data(), static_cast<Py_ssize_t>(bytes.size()), "surrogateescape");
  if (!text) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(text);
}

std::string encode_word(const py::handle& word) {
  PyObject* bytes = PyUnicode_AsEncodedString(word.ptr(), "utf-8", "surrogateescape");
  if (!bytes) throw py::error_already_set();
  std::string out(PyBytes_AS_STRING(bytes), static_cast<size_t>(PyBytes_GET_SIZE(bytes)));
  Py_DECREF(bytes);
  return out;
}

std::vector<std::string> encode_words(const py::sequence& words) {
  std::vector<std::string> out;
  out.reserve(py::len(words));
  for (const py::handle& word : words) out.push_back(encode_word(word));
  return out;
}

std::vector<uint64_t> to_vector(const ReadArrayU64& counts) {
  return std::vector<uint64_t>(counts.data(), counts.data() + counts.size());
}

py::tuple to_python(const WordCounts& counts) {
  py::list words;
  for (const std::string& word : counts.words) words.append(decode_word(word));
  py::array_t<uint64_t> array(static_cast<py::ssize_t>(counts.counts.size()));
  std::copy(counts.counts.begin(), counts.counts.end(), array.mutable_data());
  return py::make_tuple(words, array);
}

// A weight matrix the engine writes into must be the caller's own float32 buffer: a converted copy would be trained
// and thrown away.
float* writable_matrix(py::array& matrix, const char* name, size_t rows, size_t cols) {
  if (!py::isinstance<py::array_t<float>>(matrix) || !(matrix.flags() & py::array::c_style) || !matrix.writeable() ||
      matrix.ndim() != 2 || static_cast<size_t>(matrix.shape(0)) != rows ||
      static_cast<size_t>(matrix.shape(1)) != cols) {
    throw py::value_error(std::string(name) + " must be a writeable C-contiguous float32 array of shape (" +
                          std::to_string(rows) + ", " + std::to_string(cols) + ")");
  }
  return static_cast<float*>(matrix.mutable_data());
}

void check_word(int32_t word, size_t vocab_size) {
  if (word < 0 || static_cast<size_t>(word) >= vocab_size)
    throw py::index_error("word id " + std::to_string(word) + " outside the vocabulary of " +
                          std::to_string(vocab_size) + " words");
}

// A training pass as Python sees it: it holds the arrays the engine reads and writes for as long as the threads run.
// Waiting (for room in the queue, for the end of the pass) releases the GIL, and retakes it every 100 ms to let a
// Ctrl-C stop the threads and to report progress. The pending KeyboardInterrupt is raised once the threads are done.
class PyTrainingPass {
 public:
  PyTrainingPass(py::array input_vectors, py::array output_vectors, py::object noise_object,
                 std::optional<ReadArrayU32> keep_threshold, std::optional<std::vector<std::string>> paths,
                 py::object vocab_object, std::optional<py::array> tokens, std::optional<ReadArrayI64> offsets,
                 std::optional<ReadArrayI32> id_map, bool streamed, int window, int negative, float alpha,
                 float min_alpha, unsigned workers, uint64_t seed, bool compute_loss, uint64_t words_done_before,
                 uint64_t total_words, uint64_t rng_stream, bool sg, bool cbow_mean,
                 std::optional<py::array> hs_vectors, py::object huffman_object, bool shared_negatives)
      : input_vectors_(input_vectors), output_vectors_(output_vectors), noise_(noise_object), vocab_(vocab_object),
        hs_vectors_(hs_vectors ? py::object(*hs_vectors) : py::none()), huffman_(huffman_object) {
    const NoiseSampler& noise = noise_object.cast<const NoiseSampler&>();
    TrainConfig config;
    config.vector_size = input_vectors.ndim() == 2 ? static_cast<size_t>(input_vectors.shape(1)) : 0;
    config.window = window;
    config.negative = negative;
    config.alpha = alpha;
    config.min_alpha = min_alpha;
    config.workers = workers;
    config.seed = seed;
    config.compute_loss = compute_loss;
    config.sg = sg;
    config.cbow_mean = cbow_mean;
    config.hs = !huffman_object.is_none();
    config.shared_negatives = shared_negatives;

    TrainingTables tables;
    tables.vocab_size = noise.size();
    tables.input_vectors = writable_matrix(input_vectors, "vectors", tables.vocab_size, config.vector_size);
    if (negative > 0)
      tables.output_vectors = writable_matrix(output_vectors, "syn1neg", tables.vocab_size, config.vector_size);
    if (config.hs) {
      if (!hs_vectors) throw py::value_error("hierarchical softmax needs syn1");
      tables.hs_vectors = writable_matrix(*hs_vectors, "syn1", tables.vocab_size, config.vector_size);
      tables.huffman = huffman_object.cast<const HuffmanTree*>();
    }

    tables.noise = &noise;
    if (keep_threshold) {
      if (static_cast<size_t>(keep_threshold->size()) != tables.vocab_size)
        throw py::value_error("keep_threshold must have one entry per vocabulary word");
      keep_threshold_ = *keep_threshold;
      tables.keep_threshold = keep_threshold->data();
    }

    CorpusSource source;
    source.streamed = streamed;
    if (paths) {
      source.paths = *paths;
      source.vocab = vocab_object.is_none() ? nullptr : vocab_object.cast<const WordTable*>();
      if (!source.vocab || source.vocab->size() != tables.vocab_size)
        throw py::value_error("reading files needs the vocabulary's WordTable");
    }
    if (tokens) source.ids = id_corpus(*tokens, offsets, id_map);
    pass_ = std::make_unique<TrainingPass>(config, tables, std::move(source),
                                           EpochProgress{words_done_before, total_words, rng_stream});
  }

  void start() { pass_->start(); }

  // Queues a batch of sentences (ids, -1 for unknown words); false if the pass is stopping (call wait()).
  bool push(const ReadArrayI32& tokens, const ReadArrayI64& offsets) {
    check_offsets(offsets, static_cast<size_t>(tokens.size()));
    IdBatch batch{std::vector<int32_t>(tokens.data(), tokens.data() + tokens.size()),
                  std::vector<int64_t>(offsets.data(), offsets.data() + offsets.size())};
    for (;;) {
      bool pushed;
      {
        py::gil_scoped_release release;
        pushed = pass_->push(std::move(batch), std::chrono::milliseconds(100));
      }
      if (pushed) return true;
      if (pass_->stopping()) return false;
      if (PyErr_CheckSignals() != 0) {
        pass_->stop();
        throw py::error_already_set();
      }
    }
  }

  py::dict wait(py::object report) {
    bool python_error = false;
    auto poll = [&] {
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() != 0) return python_error = true;
      if (!report.is_none()) {
        try {
          report(pass_->words_done());
        } catch (py::error_already_set& error) {
          error.restore();
          return python_error = true;
        }
      }
      return false;
    };
    EpochResult result;
    {
      py::gil_scoped_release release;
      result = pass_->wait(poll);
    }
    if (python_error) throw py::error_already_set();
    py::dict out;
    out["words"] = result.words;
    out["effective_words"] = result.effective_words;
    out["loss"] = result.loss;
    out["last_alpha"] = result.last_alpha;
    out["stopped"] = result.stopped;
    return out;
  }

  void stop() { pass_->stop(); }
  uint64_t words_done() const { return pass_->words_done(); }

 private:
  static void check_offsets(const ReadArrayI64& offsets, size_t token_count) {
    if (offsets.ndim() != 1 || offsets.size() < 1) throw py::value_error("offsets must be a 1-d array, length >= 1");
    const int64_t* o = offsets.data();
    const auto count = static_cast<size_t>(offsets.size() - 1);
    if (o[0] != 0 || static_cast<size_t>(o[count]) != token_count)
      throw py::value_error("offsets must start at 0 and end at len(tokens)");
    for (size_t s = 0; s < count; ++s)
      if (o[s + 1] < o[s]) throw py::value_error("offsets must be non-decreasing");
  }

  // The caller's arrays, read in place: tokens must be int32 or int64 (no copy of a corpus that may fill memory).
  IdCorpus id_corpus(const py::array& tokens, const std::optional<ReadArrayI64>& offsets,
                     const std::optional<ReadArrayI32>& id_map) {
    if (!offsets) throw py::value_error("an id corpus needs offsets");
    if (tokens.ndim() != 1 || !(tokens.flags() & py::array::c_style))
      throw py::value_error("tokens must be a 1-d C-contiguous array");
    check_offsets(*offsets, static_cast<size_t>(tokens.size()));
    IdCorpus ids;
    if (py::isinstance<py::array_t<int32_t>>(tokens)) {
      ids.tokens32 = static_cast<const int32_t*>(tokens.data());
    } else if (py::isinstance<py::array_t<int64_t>>(tokens)) {
      ids.tokens64 = static_cast<const int64_t*>(tokens.data());
    } else {
      throw py::value_error("tokens must be an int32 or int64 array");
    }
    ids.offsets = offsets->data();
    ids.sentence_count = static_cast<size_t>(offsets->size() - 1);
    if (id_map) {
      ids.id_map = id_map->data();
      ids.id_map_size = static_cast<size_t>(id_map->size());
    }
    tokens_ = tokens;
    offsets_ = *offsets;
    id_map_ = id_map ? py::object(*id_map) : py::none();
    return ids;
  }

  // Declared before pass_, so that they outlive its threads.
  py::object input_vectors_, output_vectors_, noise_, vocab_, keep_threshold_, tokens_, offsets_, id_map_,
      hs_vectors_, huffman_;
  std::unique_ptr<TrainingPass> pass_;
};

std::vector<std::string> simd_names(const std::vector<SimdPath>& paths) {
  std::vector<std::string> names;
  for (SimdPath path : paths) names.push_back(simd_path_name(path));
  return names;
}

// The SIMD dispatch (simd.h) and, for tests and benchmarks, each path's kernels on the caller's arrays.
void bind_simd(py::module_& m) {
  // Choose the path now, at import: a bad W2VFAST_SIMD fails the import with a message naming the choices.
  active_simd_kernels();
  m.def("simd_path", [] { return std::string(simd_path_name(active_simd_kernels().path)); },
        "The SIMD path training uses (W2VFAST_SIMD, else the fastest this CPU runs).");
  m.def("simd_paths", [] { return simd_names(available_simd_paths()); },
        "The SIMD paths this CPU runs, slowest first.");
  m.def("simd_compiled_paths", [] { return simd_names(compiled_simd_paths()); },
        "The SIMD paths built into this module, slowest first.");
  m.def("_set_simd_path", [](const std::string& name) { set_active_simd_path(parse_simd_path(name)); },
        py::arg("path"), "Switch the SIMD path of training passes started afterwards (tests, benchmarks).");

  auto kernels_of = [](const std::string& path) -> const SimdKernels& { return simd_kernels(parse_simd_path(path)); };
  m.def(
      "_simd_dot",
      [kernels_of](const std::string& path, const ReadArrayF32& a, const ReadArrayF32& b) {
        if (a.size() != b.size()) throw py::value_error("a and b must have the same size");
        return kernels_of(path).dot(a.data(), b.data(), static_cast<size_t>(a.size()));
      },
      py::arg("path"), py::arg("a"), py::arg("b"), "dot(a, b) by the kernels of `path`.");
  m.def(
      "_simd_axpy",
      [kernels_of](const std::string& path, float alpha, const ReadArrayF32& x, const ReadArrayF32& y) {
        if (x.size() != y.size()) throw py::value_error("x and y must have the same size");
        py::array_t<float> result(y.size());
        std::copy(y.data(), y.data() + y.size(), result.mutable_data());
        kernels_of(path).axpy(alpha, x.data(), result.mutable_data(), static_cast<size_t>(x.size()));
        return result;
      },
      py::arg("path"), py::arg("alpha"), py::arg("x"), py::arg("y"), "y + alpha * x by the kernels of `path`.");
  m.def(
      "_simd_skipgram_steps",
      [kernels_of](const std::string& path, py::array input_vectors, py::array output_vectors,
                   const ReadArrayI32& contexts, const ReadArrayI32& centres, float alpha, const NoiseSampler& noise,
                   int negative, uint64_t seed) {
        const size_t vocab_size = noise.size();
        const size_t dim = input_vectors.ndim() == 2 ? static_cast<size_t>(input_vectors.shape(1)) : 0;
        if (dim == 0) throw py::value_error("input_vectors must be a matrix with at least one column");
        if (negative < 0) throw py::value_error("negative must be >= 0");
        if (contexts.size() != centres.size()) throw py::value_error("contexts and centres must have the same size");
        for (py::ssize_t i = 0; i < contexts.size(); ++i) {
          check_word(contexts.data()[i], vocab_size);
          check_word(centres.data()[i], vocab_size);
        }
        float* input = writable_matrix(input_vectors, "input_vectors", vocab_size, dim);
        float* output = writable_matrix(output_vectors, "output_vectors", vocab_size, dim);
        std::vector<float> gradient(dim), hidden(dim);
        std::vector<int32_t> targets(static_cast<size_t>(negative) + 1);
        const ModelRows rows{input, output, nullptr, dim, negative, &noise, nullptr};
        const StepScratch scratch{gradient.data(), hidden.data(), targets.data()};
        const SimdKernels& kernels = kernels_of(path);
        Rng rng(seed);
        double loss = 0.0;
        for (py::ssize_t i = 0; i < contexts.size(); ++i)
          loss += kernels.skipgram_step[1](rows, contexts.data()[i], centres.data()[i], alpha, scratch, rng);
        return loss;
      },
      py::arg("path"), py::arg("input_vectors"), py::arg("output_vectors"), py::arg("contexts"), py::arg("centres"),
      py::arg("alpha"), py::arg("noise"), py::arg("negative"), py::arg("seed"),
      "Skip-gram steps (context i predicts centre i) by the kernels of `path`, in place; returns the summed loss.");
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "w2vfast's C++ engine. Use the classes in w2vfast; this module's API may change without notice.";

  static py::exception<IoError> io_error(m, "IoError", PyExc_OSError);
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const IoError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });

  bind_simd(m);
  m.attr("MAX_SENTENCE_WORDS") = kMaxSentenceWords;
  m.attr("SIGMOID_RANGE") = kSigmoidRange;

  py::class_<WordTable>(m, "WordTable", "Hash table from a word to its vocabulary id.")
      .def(py::init([](const py::sequence& words) { return new WordTable(encode_words(words)); }), py::arg("words"))
      .def("find", [](const WordTable& t, const py::str& word) { return t.find(encode_word(word)); }, py::arg("word"))
      .def("__len__", &WordTable::size);

  py::class_<NoiseSampler>(m, "NoiseSampler", "Alias-method sampler of the unigram distribution ** exponent.")
      .def(py::init([](const ReadArrayU64& counts, double exponent) {
             return new NoiseSampler(to_vector(counts), exponent);
           }),
           py::arg("counts"), py::arg("exponent"))
      .def("probabilities", [](const NoiseSampler& s) { return py::array(py::cast(s.probabilities())); })
      .def(
          "sample",
          [](const NoiseSampler& s, size_t n, uint64_t seed) {
            py::array_t<int32_t> out(static_cast<py::ssize_t>(n));
            int32_t* draws = out.mutable_data();
            {
              py::gil_scoped_release release;
              Rng rng(seed);
              for (size_t i = 0; i < n; ++i) draws[i] = s.draw(rng);
            }
            return out;
          },
          py::arg("n"), py::arg("seed"))
      .def("__len__", &NoiseSampler::size);

  py::class_<HuffmanTree>(m, "HuffmanTree", "Huffman codes of the vocabulary for hierarchical softmax.")
      .def(py::init([](const ReadArrayU64& counts) { return new HuffmanTree(to_vector(counts)); }), py::arg("counts"))
      .def(
          "code",
          [](const HuffmanTree& t, int32_t word) {
            check_word(word, t.size());
            return py::array_t<uint8_t>(static_cast<py::ssize_t>(t.code_length(word)), t.code(word));
          },
          py::arg("word"), "The word's code bits, root first.")
      .def(
          "points",
          [](const HuffmanTree& t, int32_t word) {
            check_word(word, t.size());
            return py::array_t<int32_t>(static_cast<py::ssize_t>(t.code_length(word)), t.points(word));
          },
          py::arg("word"), "The inner nodes (rows of syn1) on the word's path, root first.")
      .def("__len__", &HuffmanTree::size);

  m.def(
      "count_words",
      [](const std::vector<std::string>& paths, unsigned workers, uint64_t max_vocab_size) {
        VocabCounter counter;
        {
          py::gil_scoped_release release;
          counter = count_words(paths, workers, max_vocab_size);
        }
        py::tuple words_counts = to_python(counter.result());
        return py::make_tuple(words_counts[0], words_counts[1], counter.total_words(), counter.total_sentences());
      },
      py::arg("paths"), py::arg("workers"), py::arg("max_vocab_size") = 0,
      "Count whitespace-separated words of text files -> (words, counts, total tokens, lines), first-occurrence order.");

  m.def(
      "finalize_vocab",
      [](const py::sequence& words, const ReadArrayU64& counts, uint64_t min_count, uint64_t max_final_vocab) {
        WordCounts counted{encode_words(words), to_vector(counts)};
        return to_python(finalize_vocab(counted, min_count, max_final_vocab));
      },
      py::arg("words"), py::arg("counts"), py::arg("min_count"), py::arg("max_final_vocab") = 0,
      "Apply min_count and max_final_vocab, sort by descending count (stable) -> (words, counts).");

  m.def(
      "keep_thresholds",
      [](const ReadArrayU64& counts, double sample) { return py::array(py::cast(keep_thresholds(to_vector(counts), sample))); },
      py::arg("counts"), py::arg("sample"),
      "Subsampling keep probability of each word as a threshold on a uniform 32-bit draw.");

  m.def(
      "subsample",
      [](ReadArrayI32 ids, const ReadArrayU32& thresholds, uint64_t seed) {
        std::vector<int32_t> kept(ids.data(), ids.data() + ids.size());
        for (int32_t id : kept)
          if (id < 0 || id >= thresholds.size()) throw py::value_error("word id outside the vocabulary");
        Rng rng(seed);
        kept.resize(subsample(kept.data(), kept.size(), thresholds.data(), rng));
        return py::array(py::cast(kept));
      },
      py::arg("ids"), py::arg("keep_thresholds"), py::arg("seed"),
      "Apply frequent-word subsampling to a sequence of ids, as training does.");

  m.def("learning_rate", &learning_rate, py::arg("alpha"), py::arg("min_alpha"), py::arg("progress"));
  m.def("sigmoid", py::vectorize(fast_sigmoid), py::arg("x"), "The training sigmoid (table lookup).");

  py::class_<PyTrainingPass>(m, "TrainingPass",
                             "One epoch of Hogwild training over files, an id corpus or pushed batches; "
                             "hierarchical softmax when `huffman` is given, negative sampling when negative > 0.")
      .def(py::init<py::array, py::array, py::object, std::optional<ReadArrayU32>,
                    std::optional<std::vector<std::string>>, py::object, std::optional<py::array>,
                    std::optional<ReadArrayI64>, std::optional<ReadArrayI32>, bool, int, int, float, float,
                    unsigned, uint64_t, bool, uint64_t, uint64_t, uint64_t, bool, bool, std::optional<py::array>,
                    py::object, bool>(),
           py::arg("input_vectors"), py::arg("output_vectors"), py::arg("noise"), py::arg("keep_threshold"),
           py::arg("paths"), py::arg("vocab"), py::arg("tokens"), py::arg("offsets"), py::arg("id_map"),
           py::arg("streamed"), py::arg("window"), py::arg("negative"), py::arg("alpha"), py::arg("min_alpha"),
           py::arg("workers"), py::arg("seed"), py::arg("compute_loss"), py::arg("words_done_before"),
           py::arg("total_words"), py::arg("rng_stream"), py::arg("sg") = true, py::arg("cbow_mean") = true,
           py::arg("hs_vectors") = py::none(), py::arg("huffman") = py::none(),
           py::arg("shared_negatives") = false)
      .def("start", &PyTrainingPass::start)
      .def("push", &PyTrainingPass::push, py::arg("tokens"), py::arg("offsets"))
      .def("wait", &PyTrainingPass::wait, py::arg("report") = py::none())
      .def("stop", &PyTrainingPass::stop)
      .def_property_readonly("words_done", &PyTrainingPass::words_done);
}
