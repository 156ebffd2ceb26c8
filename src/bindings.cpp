// The only pybind11 file: converts Python objects to the engine's plain types and back, releases the GIL around
// every long call, and maps the engine's exceptions to Python's. No logic and no defaults of its own: every value
// comes from Python (python/w2vfast/word2vec.py), which defines and validates them.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corpus.h"
#include "counting.h"
#include "errors.h"
#include "finite.h"
#include "phrases.h"
#include "row_deltas.h"
#include "sigmoid.h"
#include "subwords.h"
#include "simd/dispatch.h"
#include "top_k.h"
#include "trainer.h"
#include "vocab.h"

namespace py = pybind11;
using namespace w2v;

namespace {

using ReadArrayU64 = py::array_t<uint64_t, py::array::c_style | py::array::forcecast>;
using ReadArrayI32 = py::array_t<int32_t, py::array::c_style | py::array::forcecast>;
using ReadArrayI64 = py::array_t<int64_t, py::array::c_style | py::array::forcecast>;
using ReadArrayF32 = py::array_t<float, py::array::c_style | py::array::forcecast>;
using ReadArrayF64 = py::array_t<double, py::array::c_style | py::array::forcecast>;

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

template <typename Words>
py::list decode_words(const Words& words, size_t start, size_t size) {
  py::list out;
  for (size_t i = start; i < size; ++i) out.append(decode_word(words(i)));
  return out;
}

template <typename T>
py::array_t<T> to_array(const std::vector<T>& values) {
  py::array_t<T> array(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), array.mutable_data());
  return array;
}

WordCounts word_counts(const py::sequence& words, const ReadArrayU64& counts, uint64_t total_words,
                       uint64_t total_sentences) {
  if (counts.ndim() != 1 || static_cast<size_t>(counts.size()) != py::len(words))
    throw py::value_error("counts must be a 1-d array with one count per word");
  WordCounts out;
  out.words.reserve(py::len(words));
  for (const py::handle& word : words) out.words.push_back(encode_word(word));
  out.counts.assign(counts.data(), counts.data() + counts.size());
  out.total_words = total_words;
  out.total_sentences = total_sentences;
  return out;
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

// A matrix of `rows` x `cols` float32 whose rows are contiguous but may lie further apart than `cols` floats: the
// first `cols` columns of a wider C-contiguous matrix, as w2vfast pads the output layers' rows to whole cache lines.
struct RowMatrix {
  float* data;
  size_t stride;  // floats from one row to the next
};

// Whether `matrix` is a float32 matrix of `rows` x `cols` laid out as RowMatrix reads it.
bool has_contiguous_rows(const py::array& matrix, size_t rows, size_t cols) {
  if (!py::isinstance<py::array_t<float>>(matrix) || matrix.ndim() != 2 ||
      static_cast<size_t>(matrix.shape(0)) != rows || static_cast<size_t>(matrix.shape(1)) != cols)
    return false;
  if (rows == 0) return true;  // no row to read (NumPy may give an empty matrix strides of zero)
  const auto row_bytes = matrix.strides(0);
  const bool rows_apart = rows == 1 || (row_bytes >= static_cast<py::ssize_t>(cols * sizeof(float)) &&
                                        row_bytes % static_cast<py::ssize_t>(sizeof(float)) == 0);
  return rows_apart && (cols <= 1 || matrix.strides(1) == static_cast<py::ssize_t>(sizeof(float)));
}

size_t row_stride(const py::array& matrix, size_t rows, size_t cols) {
  return rows <= 1 ? cols : static_cast<size_t>(matrix.strides(0)) / sizeof(float);
}

RowMatrix writable_rows(py::array& matrix, const char* name, size_t rows, size_t cols) {
  if (!has_contiguous_rows(matrix, rows, cols) || !matrix.writeable()) {
    throw py::value_error(std::string(name) + " must be a writeable float32 array of shape (" + std::to_string(rows) +
                          ", " + std::to_string(cols) + ") whose rows are contiguous (C-contiguous, or the first " +
                          std::to_string(cols) + " columns of a wider C-contiguous array)");
  }
  return {static_cast<float*>(matrix.mutable_data()), row_stride(matrix, rows, cols)};
}

void check_word(int32_t word, size_t vocab_size) {
  if (word < 0 || static_cast<size_t>(word) >= vocab_size)
    throw py::index_error("word id " + std::to_string(word) + " outside the vocabulary of " +
                          std::to_string(vocab_size) + " words");
}

// Offsets into an array named `items` of `item_count` entries.
void check_offsets(const ReadArrayI64& offsets, size_t item_count, const char* items = "tokens") {
  if (offsets.ndim() != 1 || offsets.size() < 1) throw py::value_error("offsets must be a 1-d array, length >= 1");
  const int64_t* o = offsets.data();
  const auto count = static_cast<size_t>(offsets.size() - 1);
  if (o[0] != 0 || static_cast<size_t>(o[count]) != item_count)
    throw py::value_error(std::string("offsets must start at 0 and end at len(") + items + ")");
  for (size_t s = 0; s < count; ++s)
    if (o[s + 1] < o[s]) throw py::value_error("offsets must be non-decreasing");
}

// ------------------------------------------------------------------------------------------------ Python sentences

// The tokens of a sentence of a Python iterable, as the engine reads them: the UTF-8 bytes of each str (an ASCII
// str's own bytes, with no copy; others encoded with surrogateescape, as words read from files decode). TypeError
// for a sentence that is a str or bytes (a classic mistake: it would train its characters one by one) and for a
// token that is not a str, naming it and its position.
[[noreturn]] void sentence_type_error(const py::handle& sentence) {
  throw py::type_error("each sentence must be a list of str tokens, got a " +
                       std::string(py::str(py::type::of(sentence).attr("__name__"))) + " (" +
                       std::string(py::repr(sentence[py::slice(0, 40, 1)])) + "); split your text into words first");
}

[[noreturn]] void token_type_error(const py::handle& token, uint64_t sentence, size_t position) {
  std::string shown = py::repr(token);
  if (shown.size() > 40) shown = shown.substr(0, 40) + "...";
  throw py::type_error("token " + std::to_string(position) + " of sentence " + std::to_string(sentence) + " is " +
                       shown + ", a " + std::string(py::str(py::type::of(token).attr("__name__"))) +
                       ": sentences must be lists of str tokens");
}

template <typename OnToken>
void read_token(PyObject* token, uint64_t sentence, size_t position, OnToken& on_token) {
  if (!PyUnicode_Check(token)) token_type_error(token, sentence, position);
#if PY_VERSION_HEX < 0x030C0000
  if (PyUnicode_READY(token) != 0) throw py::error_already_set();
#endif
  if (PyUnicode_IS_ASCII(token)) {
    on_token(std::string_view(static_cast<const char*>(PyUnicode_DATA(token)),
                              static_cast<size_t>(PyUnicode_GET_LENGTH(token))));
    return;
  }
  const py::object bytes = py::reinterpret_steal<py::object>(PyUnicode_AsEncodedString(token, "utf-8",
                                                                                       "surrogateescape"));
  if (!bytes) throw py::error_already_set();
  on_token(std::string_view(PyBytes_AS_STRING(bytes.ptr()), static_cast<size_t>(PyBytes_GET_SIZE(bytes.ptr()))));
}

// Calls on_token(std::string_view) for each token of `sentence`, the sentence numbered `number` (from 0).
template <typename OnToken>
void read_sentence(const py::handle& sentence, uint64_t number, OnToken&& on_token) {
  PyObject* object = sentence.ptr();
  if (PyUnicode_Check(object) || PyBytes_Check(object)) sentence_type_error(sentence);
  if (PyList_Check(object) || PyTuple_Check(object)) {
    const Py_ssize_t length = PySequence_Fast_GET_SIZE(object);
    PyObject** tokens = PySequence_Fast_ITEMS(object);
    for (Py_ssize_t i = 0; i < length; ++i) read_token(tokens[i], number, static_cast<size_t>(i), on_token);
    return;
  }
  size_t position = 0;
  for (const py::handle& token : py::iter(sentence)) read_token(token.ptr(), number, position++, on_token);
}

// Feeds the tokens of an iterable of sentences to a sink: token(std::string_view) for each token, line_end() after
// each sentence, finish() at the end (the sinks of text files, counting.h).
template <typename Sink>
void count_sentences_into(const py::iterable& sentences, Sink& sink) {
  uint64_t number = 0;
  for (const py::handle& sentence : sentences) {
    read_sentence(sentence, number++, [&](std::string_view word) { sink.token(word); });
    sink.line_end();
  }
  sink.finish();
}

// Counts words as count_words counts a file, but pruning after each sentence, as gensim prunes an iterable's
// vocabulary.
WordCounts count_sentences(const py::iterable& sentences, uint64_t max_vocab_size) {
  VocabCounter counter(max_vocab_size);
  WordCountingSink sink{counter, WordCountingSink::PruneCheck::kAfterEachSentence};
  count_sentences_into(sentences, sink);
  return counter.result();
}

// Appends the word ids (-1 outside the vocabulary) of sentences from an iterator to `batch` until it holds
// `max_words` words or the iterator ends; returns whether it ended. `number` counts the sentences read.
bool read_id_batch(const py::iterator& sentences, const WordTable& words, size_t max_words, uint64_t& number,
                   IdBatch& batch) {
  if (batch.offsets.empty()) batch.offsets.push_back(0);
  for (PyObject* item; (item = PyIter_Next(sentences.ptr())) != nullptr;) {
    const py::object sentence = py::reinterpret_steal<py::object>(item);
    read_sentence(sentence, number++, [&](std::string_view word) { batch.tokens.push_back(words.find(word)); });
    batch.offsets.push_back(static_cast<int64_t>(batch.tokens.size()));
    if (batch.tokens.size() >= max_words) return false;
  }
  if (PyErr_Occurred()) throw py::error_already_set();  // the iterator itself failed
  return true;
}

// A CorpusSource with the Python arrays it points into, kept alive for as long as a pass may read them.
struct PyCorpusSource {
  CorpusSource source;
  py::object tokens, offsets, id_map;

  static PyCorpusSource files(const std::vector<std::string>& paths, uint64_t cached_id_bytes) {
    PyCorpusSource out;
    out.source.paths = paths;
    if (cached_id_bytes > 0) out.source.chunk_ids = std::make_shared<ChunkIdCache>(cached_id_bytes);
    return out;
  }

  // The caller's arrays, read in place: tokens must be int32 or int64 (no copy of a corpus that may fill memory).
  static PyCorpusSource ids(const py::array& tokens, const ReadArrayI64& offsets,
                            const std::optional<ReadArrayI32>& id_map) {
    if (tokens.ndim() != 1 || !(tokens.flags() & py::array::c_style))
      throw py::value_error("tokens must be a 1-d C-contiguous array");
    check_offsets(offsets, static_cast<size_t>(tokens.size()));
    PyCorpusSource out;
    IdCorpus& ids = out.source.ids;
    if (py::isinstance<py::array_t<int32_t>>(tokens)) {
      ids.tokens32 = static_cast<const int32_t*>(tokens.data());
    } else if (py::isinstance<py::array_t<int64_t>>(tokens)) {
      ids.tokens64 = static_cast<const int64_t*>(tokens.data());
    } else {
      throw py::value_error("tokens must be an int32 or int64 array");
    }
    ids.offsets = offsets.data();
    ids.sentence_count = static_cast<size_t>(offsets.size() - 1);
    if (id_map) {
      ids.id_map = id_map->data();
      ids.id_map_size = static_cast<size_t>(id_map->size());
    }
    out.tokens = tokens;
    out.offsets = offsets;
    out.id_map = id_map ? py::object(*id_map) : py::none();
    return out;
  }

  static PyCorpusSource streamed() {
    PyCorpusSource out;
    out.source.streamed = true;
    return out;
  }
};

// A training pass as Python sees it. The vocabulary, the weights and the corpus outlive its threads: the binding
// keeps them alive for as long as the pass object lives (py::keep_alive). Waiting (for room in the queue, for the
// end of the pass) releases the GIL, and retakes it every 100 ms to let a Ctrl-C stop the threads and to report
// progress. The pending KeyboardInterrupt is raised once the threads are done.
class PyTrainingPass {
 public:
  PyTrainingPass(const TrainConfig& config, const Vocabulary& vocabulary, py::array vectors, py::array syn1neg,
                 py::array syn1, const PyCorpusSource& corpus, uint64_t words_done_before, uint64_t rng_stream,
                 const Subwords* subwords, const py::object& ngram_vectors)
      : words_(vocabulary.table()) {
    const size_t rows = vocabulary.size();
    ModelWeights weights{writable_matrix(vectors, "vectors", rows, config.vector_size), nullptr, nullptr};
    if (config.negative > 0) {
      const RowMatrix outputs = writable_rows(syn1neg, "syn1neg", rows, config.vector_size);
      weights.output_vectors = outputs.data;
      weights.output_stride = outputs.stride;
    }
    if (config.hs) {
      const RowMatrix nodes = writable_rows(syn1, "syn1", rows, config.vector_size);
      weights.hs_vectors = nodes.data;
      weights.hs_stride = nodes.stride;
    }
    if (subwords && ngram_vectors.is_none()) throw py::value_error("subwords need ngram_vectors");
    if (!subwords && !ngram_vectors.is_none()) throw py::value_error("ngram_vectors need subwords");
    if (subwords) {
      py::array matrix = ngram_vectors;
      weights.ngram_vectors = writable_matrix(matrix, "ngram_vectors", subwords->bucket(), config.vector_size);
    }
    pass_ = std::make_unique<TrainingPass>(config, vocabulary, weights, corpus.source,
                                           EpochProgress{words_done_before, rng_stream}, subwords);
  }

  void start() { pass_->start(); }

  // Reads sentences from a Python iterator into a batch of about TrainingPass::kBatchWords word ids (-1 for a word
  // outside the vocabulary) and queues it, while the threads train on earlier batches. True while the iterator may
  // hold more; false once it is exhausted (its last sentences queued) or the pass is stopping (then call wait()).
  bool push_sentences(const py::iterator& sentences) {
    IdBatch batch;
    const bool exhausted = read_id_batch(sentences, words_, TrainingPass::kBatchWords, sentences_read_, batch);
    return push(std::move(batch)) && !exhausted;
  }

  EpochResult wait(py::object report) {
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
    return result;
  }

  void stop() { pass_->stop(); }
  uint64_t words_done() const { return pass_->words_done(); }

 private:
  // Queues a batch, waiting for room with the GIL released and checking for Ctrl-C every 100 ms; false if the pass
  // is stopping.
  bool push(IdBatch&& batch) {
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

  const WordTable& words_;
  uint64_t sentences_read_ = 0;  // of this pass, to number sentences in error messages
  std::unique_ptr<TrainingPass> pass_;
};

std::vector<py::ssize_t> shape_of(const py::array& array) { return {array.shape(), array.shape() + array.ndim()}; }

// NumPy's float16 arrays hold the halves' bits, which the kernels read and write as uint16_t.
py::array to_float16(const SimdKernels& kernels, const ReadArrayF32& values) {
  py::array halves(py::dtype("float16"), shape_of(values));
  const float* source = values.data();
  auto* target = static_cast<uint16_t*>(halves.mutable_data());
  const auto count = static_cast<size_t>(values.size());
  {
    py::gil_scoped_release release;
    kernels.floats_to_halves(source, target, count);
  }
  return halves;
}

py::array_t<float> from_float16(const SimdKernels& kernels, const py::array& halves) {
  if (!halves.dtype().equal(py::dtype("float16")))  // equal, not is: an unpickled array has a dtype object of its own
    throw py::type_error("from_float16 takes a float16 array, got " + std::string(py::str(halves.dtype())));
  const py::array contiguous = py::array::ensure(halves, py::array::c_style);
  py::array_t<float> values(shape_of(contiguous));
  const auto* source = static_cast<const uint16_t*>(contiguous.data());
  float* target = values.mutable_data();
  const auto count = static_cast<size_t>(contiguous.size());
  {
    py::gil_scoped_release release;
    kernels.halves_to_floats(source, target, count);
  }
  return values;
}

std::vector<std::string> simd_names(const std::vector<SimdPath>& paths) {
  std::vector<std::string> names;
  for (SimdPath path : paths) names.push_back(simd_path_name(path));
  return names;
}

// The SIMD dispatch (simd/dispatch.h) and, for tests and benchmarks, each path's kernels on the caller's arrays.
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

  m.def(
      "to_float16", [](const ReadArrayF32& values) { return to_float16(active_simd_kernels(), values); },
      py::arg("values"), "values as float16 (rounded to nearest even, as NumPy's astype), same shape.");
  m.def(
      "from_float16", [](const py::array& halves) { return from_float16(active_simd_kernels(), halves); },
      py::arg("halves"), "A float16 array as float32 (exact), same shape.");

  auto kernels_of = [](const std::string& path) -> const SimdKernels& { return simd_kernels(parse_simd_path(path)); };
  m.def(
      "_simd_to_float16",
      [kernels_of](const std::string& path, const ReadArrayF32& values) {
        return to_float16(kernels_of(path), values);
      },
      py::arg("path"), py::arg("values"), "to_float16 by the kernels of `path`.");
  m.def(
      "_simd_from_float16",
      [kernels_of](const std::string& path, const py::array& halves) {
        return from_float16(kernels_of(path), halves);
      },
      py::arg("path"), py::arg("halves"), "from_float16 by the kernels of `path`.");
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
      "_simd_first_greater",
      [kernels_of](const std::string& path, const ReadArrayF32& x, float threshold) {
        return kernels_of(path).first_greater(x.data(), static_cast<size_t>(x.size()), threshold);
      },
      py::arg("path"), py::arg("x"), py::arg("threshold"),
      "The index of the first of x above threshold, or len(x), by the kernels of `path`.");
  m.def(
      "_simd_update_and_score_rows",
      [kernels_of](const std::string& path, const ReadArrayF32& errors, const py::array_t<bool>& trained,
                   py::array rows, const ReadArrayF32& hidden, const ReadArrayF32& gradient,
                   std::optional<ReadArrayF32> next_hidden) {
        const size_t count = static_cast<size_t>(errors.size());
        const size_t dim = static_cast<size_t>(hidden.size());
        if (static_cast<size_t>(trained.size()) != count) throw py::value_error("errors and trained differ in size");
        const bool sizes_differ = static_cast<size_t>(gradient.size()) != dim ||
                                  (next_hidden && static_cast<size_t>(next_hidden->size()) != dim);
        if (sizes_differ)
          throw py::value_error("hidden, gradient and next_hidden must have the same size");
        float* matrix = writable_matrix(rows, "rows", count, dim);
        std::vector<float*> row_pointers(count);
        for (size_t b = 0; b < count; ++b) row_pointers[b] = matrix + b * dim;
        py::array_t<float> new_gradient(gradient.size());
        std::copy(gradient.data(), gradient.data() + dim, new_gradient.mutable_data());
        py::array_t<float> scores(errors.size());
        std::fill(scores.mutable_data(), scores.mutable_data() + count, 0.0f);
        kernels_of(path).update_and_score_rows(errors.data(), trained.data(), row_pointers.data(), count,
                                               hidden.data(), new_gradient.mutable_data(),
                                               next_hidden ? next_hidden->data() : nullptr, scores.mutable_data(),
                                               dim);
        return py::make_tuple(scores, new_gradient);
      },
      py::arg("path"), py::arg("errors"), py::arg("trained"), py::arg("rows"), py::arg("hidden"), py::arg("gradient"),
      py::arg("next_hidden") = py::none(),
      "update_and_score_rows by the kernels of `path`: updates `rows` in place; returns (scores, the new gradient); "
      "the scores are zeros without next_hidden.");

  // The rows of the step bindings below: negative sampling with output_vectors when negative > 0, hierarchical
  // softmax with hs_vectors (the vocabulary's Huffman tree) when given.
  struct StepRows {
    ModelRows rows;
    std::vector<float> gradient, hidden;
    std::vector<int32_t> targets;
  };
  auto step_rows = [](py::array& input_vectors, py::array& output_vectors, std::optional<py::array>& hs_vectors,
                      const Vocabulary& vocabulary, int negative) {
    const size_t vocab_size = vocabulary.size();
    const size_t dim = input_vectors.ndim() == 2 ? static_cast<size_t>(input_vectors.shape(1)) : 0;
    if (dim == 0) throw py::value_error("input_vectors must be a matrix with at least one column");
    if (negative < 0) throw py::value_error("negative must be >= 0");
    if (hs_vectors && !vocabulary.huffman()) throw py::value_error("hs_vectors needs a vocabulary built with hs=True");
    float* input = writable_matrix(input_vectors, "input_vectors", vocab_size, dim);
    const RowMatrix output = writable_rows(output_vectors, "output_vectors", vocab_size, dim);
    const RowMatrix hs =
        hs_vectors ? writable_rows(*hs_vectors, "hs_vectors", vocab_size, dim) : RowMatrix{nullptr, dim};
    auto step = std::make_unique<StepRows>();
    step->gradient.resize(dim);
    step->hidden.resize(dim);
    step->targets.resize(static_cast<size_t>(negative) + 1);
    step->rows = ModelRows{input, output.data, hs.data, dim, output.stride, hs.stride, negative, &vocabulary.noise(),
                           hs.data ? vocabulary.huffman() : nullptr};
    return step;
  };
  m.def(
      "_simd_skipgram_steps",
      [kernels_of, step_rows](const std::string& path, py::array input_vectors, py::array output_vectors,
                              const ReadArrayI32& contexts, const ReadArrayI32& centres, float alpha,
                              const Vocabulary& vocabulary, int negative, uint64_t seed,
                              std::optional<py::array> hs_vectors) {
        const auto step = step_rows(input_vectors, output_vectors, hs_vectors, vocabulary, negative);
        if (contexts.size() != centres.size()) throw py::value_error("contexts and centres must have the same size");
        for (py::ssize_t i = 0; i < contexts.size(); ++i) {
          check_word(contexts.data()[i], vocabulary.size());
          check_word(centres.data()[i], vocabulary.size());
        }
        const StepScratch scratch{step->gradient.data(), step->hidden.data(), step->targets.data()};
        const SimdKernels& kernels = kernels_of(path);
        Rng rng(seed);
        double loss = 0.0;
        for (py::ssize_t i = 0; i < contexts.size(); ++i)
          loss += kernels.skipgram_step[1](step->rows, contexts.data()[i], centres.data()[i], alpha, scratch, rng);
        return loss;
      },
      py::arg("path"), py::arg("input_vectors"), py::arg("output_vectors"), py::arg("contexts"), py::arg("centres"),
      py::arg("alpha"), py::arg("vocabulary"), py::arg("negative"), py::arg("seed"),
      py::arg("hs_vectors") = py::none(),
      "Skip-gram steps (context i predicts centre i) by the kernels of `path`, in place; returns the summed loss.");
  m.def(
      "_simd_train_sentence_skipgram",
      [kernels_of, step_rows](const std::string& path, py::array input_vectors, py::array output_vectors,
                              const ReadArrayI32& ids, int window, float alpha, const Vocabulary& vocabulary,
                              int negative, uint64_t seed, std::optional<py::array> hs_vectors,
                              bool shared_negatives) {
        const auto step = step_rows(input_vectors, output_vectors, hs_vectors, vocabulary, negative);
        if (window < 1) throw py::value_error("window must be >= 1");
        for (py::ssize_t i = 0; i < ids.size(); ++i) check_word(ids.data()[i], vocabulary.size());
        const StepScratch scratch{step->gradient.data(), step->hidden.data(), step->targets.data()};
        const SimdKernels& kernels = kernels_of(path);
        const size_t length = static_cast<size_t>(ids.size());
        Rng rng(seed);
        if (!shared_negatives) return kernels.train_sentence_skipgram[1](step->rows, ids.data(), length, window, alpha,
                                                                          scratch, rng);
        std::vector<int32_t> contexts(2 * static_cast<size_t>(window));
        return kernels.train_sentence_skipgram_shared[1](step->rows, ids.data(), length, window, alpha,
                                                         contexts.data(), scratch, rng);
      },
      py::arg("path"), py::arg("input_vectors"), py::arg("output_vectors"), py::arg("ids"), py::arg("window"),
      py::arg("alpha"), py::arg("vocabulary"), py::arg("negative"), py::arg("seed"),
      py::arg("hs_vectors") = py::none(), py::arg("shared_negatives") = false,
      "One sentence of skip-gram (each centre's window, and its shared noise words with shared_negatives, drawn by "
      "Rng(seed)) by the kernels of `path`, in place; returns the loss.");
}

void bind_vocabulary(py::module_& m) {
  py::class_<WordCounts>(m, "WordCounts", "Words with their corpus counts, held by the engine.")
      .def(py::init(&word_counts), py::arg("words"), py::arg("counts"), py::arg("total_words"),
           py::arg("total_sentences"))
      .def("__len__", [](const WordCounts& c) { return c.words.size(); })
      .def(
          "words",
          [](const WordCounts& c) { return decode_words([&](size_t i) { return c.words[i]; }, 0, c.words.size()); },
          "The words, decoded (UTF-8 with surrogateescape).")
      .def_property_readonly("counts", [](const WordCounts& c) { return to_array(c.counts); })
      .def_readonly("total_words", &WordCounts::total_words)
      .def_readonly("total_sentences", &WordCounts::total_sentences)
      .def("select", &select_words, py::arg("min_count"), py::arg("max_final_vocab"),
           "The words counted min_count times or more, at most max_final_vocab (0: no limit), most frequent first.");

  m.def(
      "count_words",
      [](const std::vector<std::string>& paths, unsigned workers, uint64_t max_vocab_size) {
        py::gil_scoped_release release;
        return count_words(paths, workers, max_vocab_size);
      },
      py::arg("paths"), py::arg("workers"), py::arg("max_vocab_size"),
      "Count the whitespace-separated words of text files (0: no max_vocab_size), in first-occurrence order.");
  m.def("count_sentences", &count_sentences, py::arg("sentences"), py::arg("max_vocab_size"),
        "Count the words of an iterable of token lists (0: no max_vocab_size), in first-occurrence order.");

  py::class_<Vocabulary>(m, "Vocabulary", "The vocabulary a model trains with and the tables drawn from its counts.")
      .def(py::init([](const WordCounts& words, double ns_exponent, double sample, bool hs,
                       const std::optional<std::string>& huffman_ties) {
             SamplingOptions options{ns_exponent, sample, hs};
             if (huffman_ties) options.huffman_ties = parse_huffman_ties(*huffman_ties);
             return new Vocabulary(words, options);
           }),
           py::arg("words"), py::arg("ns_exponent"), py::arg("sample"), py::arg("hs"),
           py::arg("huffman_ties") = py::none(),
           "huffman_ties: how the Huffman tree breaks ties ('gensim', 'word2vec', 'leaves-first'); None: the "
           "engine's default.")
      .def_property_readonly(
          "huffman_ties", [](const Vocabulary& v) { return huffman_ties_name(v.options().huffman_ties); },
          "How the Huffman tree breaks ties between equal counts, as the constructor's huffman_ties names it.")
      .def("__len__", &Vocabulary::size)
      .def(
          "words",
          [](const Vocabulary& v, size_t start) {
            return decode_words([&](size_t i) { return v.table().word(static_cast<int32_t>(i)); }, start, v.size());
          },
          py::arg("start"), "The words from id `start` on, decoded (UTF-8 with surrogateescape).")
      .def_property_readonly("counts", [](const Vocabulary& v) { return to_array(v.counts()); })
      .def("find", [](const Vocabulary& v, const py::str& word) { return v.table().find(encode_word(word)); },
           py::arg("word"), "The word's id, or -1.")
      .def(
          "ids",
          [](const Vocabulary& v, const py::iterable& sentences) {
            IdBatch batch;
            uint64_t number = 0;
            read_id_batch(py::iter(sentences), v.table(), SIZE_MAX, number, batch);
            return py::make_tuple(to_array(batch.tokens), to_array(batch.offsets));
          },
          py::arg("sentences"),
          "The ids (-1 outside the vocabulary) and sentence offsets of token lists, as a training pass reads them.")
      .def("updated", &Vocabulary::updated, py::arg("counted"), py::arg("min_count"),
           "This vocabulary grown by another corpus's counts (build_vocab(update=True)).")
      .def("noise_probabilities", [](const Vocabulary& v) { return to_array(v.noise().probabilities()); })
      .def(
          "draw_noise",
          [](const Vocabulary& v, size_t n, uint64_t seed) {
            py::array_t<int32_t> out(static_cast<py::ssize_t>(n));
            int32_t* draws = out.mutable_data();
            {
              py::gil_scoped_release release;
              Rng rng(seed);
              for (size_t i = 0; i < n; ++i) draws[i] = v.noise().draw(rng);
            }
            return out;
          },
          py::arg("n"), py::arg("seed"))
      .def(
          "keep_thresholds",
          [](const Vocabulary& v) -> py::object {
            if (!v.keep_thresholds()) return py::none();
            return py::array_t<uint32_t>(static_cast<py::ssize_t>(v.size()), v.keep_thresholds());
          },
          "Each word's subsampling keep probability as a threshold on a uniform 32-bit draw (None: sample=0).")
      .def(
          "subsample",
          [](const Vocabulary& v, const ReadArrayI32& ids, uint64_t seed) {
            std::vector<int32_t> kept(ids.data(), ids.data() + ids.size());
            for (int32_t id : kept) check_word(id, v.size());
            if (v.keep_thresholds()) {
              Rng rng(seed);
              kept.resize(subsample(kept.data(), kept.size(), v.keep_thresholds(), rng));
            }
            return to_array(kept);
          },
          py::arg("ids"), py::arg("seed"), "Frequent-word subsampling of a sequence of ids, as training does it.")
      .def(
          "huffman_code",
          [](const Vocabulary& v, int32_t word) {
            if (!v.huffman()) throw py::value_error("the vocabulary was built without hs: it has no Huffman tree");
            check_word(word, v.size());
            return py::array_t<uint8_t>(static_cast<py::ssize_t>(v.huffman()->code_length(word)),
                                        v.huffman()->code(word));
          },
          py::arg("word"), "The word's Huffman code bits, root first.")
      .def(
          "huffman_points",
          [](const Vocabulary& v, int32_t word) {
            if (!v.huffman()) throw py::value_error("the vocabulary was built without hs: it has no Huffman tree");
            check_word(word, v.size());
            return py::array_t<int32_t>(static_cast<py::ssize_t>(v.huffman()->code_length(word)),
                                        v.huffman()->points(word));
          },
          py::arg("word"), "The inner nodes (rows of syn1) on the word's Huffman path, root first.");
}

// Character n-grams (subwords.h): hashing exists once, here in the engine; Python reads the rows it computes.
void bind_subwords(py::module_& m) {
  py::class_<Subwords>(m, "Subwords", "Each vocabulary word's character n-gram rows, as fastText computes them.")
      .def(py::init<const Vocabulary&, int, int, int64_t>(), py::arg("vocabulary"), py::arg("min_n"),
           py::arg("max_n"), py::arg("bucket"))
      .def(
          "ngram_ids", [](const Subwords& s, const py::str& word) { return to_array(s.ngram_ids(encode_word(word))); },
          py::arg("word"), "The bucket rows of any word's n-grams, in fastText's order.")
      .def(
          "vocabulary_ngrams",
          [](const Subwords& s) { return py::make_tuple(to_array(s.offsets()), to_array(s.ids())); },
          "(offsets, ids): word w's n-gram rows are ids[offsets[w]:offsets[w + 1]].")
      .def_property_readonly("min_n", &Subwords::min_n)
      .def_property_readonly("max_n", &Subwords::max_n)
      .def_property_readonly("bucket", &Subwords::bucket);
  m.def(
      "compose_vectors",
      [](const ReadArrayF32& word_rows, const ReadArrayF32& ngram_rows, const ReadArrayI64& offsets,
         const ReadArrayI32& ids) {
        if (word_rows.ndim() != 2 || ngram_rows.ndim() != 2 || word_rows.shape(1) != ngram_rows.shape(1))
          throw py::value_error("vectors_vocab and vectors_ngrams must be matrices with the same number of columns");
        const auto words = static_cast<size_t>(word_rows.shape(0)), dim = static_cast<size_t>(word_rows.shape(1));
        if (static_cast<size_t>(offsets.size()) != words + 1)
          throw py::value_error("offsets must hold one more number than vectors_vocab has rows");
        check_offsets(offsets, static_cast<size_t>(ids.size()), "ids");
        const auto ngram_count = static_cast<size_t>(ngram_rows.shape(0));
        for (py::ssize_t i = 0; i < ids.size(); ++i)
          if (ids.data()[i] < 0 || static_cast<size_t>(ids.data()[i]) >= ngram_count)
            throw py::index_error("n-gram row " + std::to_string(ids.data()[i]) + " outside vectors_ngrams' " +
                                  std::to_string(ngram_count) + " rows");
        py::array_t<float> composed({words, dim});
        {
          py::gil_scoped_release release;
          compose_word_vectors(word_rows.data(), ngram_rows.data(), offsets.data(), ids.data(), words, dim,
                               composed.mutable_data());
        }
        return composed;
      },
      py::arg("vectors_vocab"), py::arg("vectors_ngrams"), py::arg("offsets"), py::arg("ids"),
      "Each word's mean of its own row and its n-gram rows ids[offsets[w]:offsets[w + 1]], a new float32 matrix.");
}

// One side of summed_row_deltas: `rows` (n,) ascending, `deltas` (n, dim), `touches` (n,).
RowDeltas row_deltas_of(const ReadArrayI32& rows, const ReadArrayF32& deltas, const ReadArrayI32& touches,
                        const char* side) {
  const py::ssize_t count = rows.ndim() == 1 ? rows.shape(0) : -1;
  if (count < 0 || deltas.ndim() != 2 || deltas.shape(0) != count || touches.ndim() != 1 || touches.shape(0) != count)
    throw py::value_error(std::string(side) + ": rows and touches must be 1-d and deltas 2-d, with one entry per row");
  check_ascending(rows.data(), static_cast<size_t>(count), (std::string(side) + " rows").c_str());
  return {rows.data(), deltas.data(), touches.data(), static_cast<size_t>(count)};
}

py::tuple summed_row_deltas(const ReadArrayI32& rows_a, const ReadArrayF32& deltas_a, const ReadArrayI32& touches_a,
                            const ReadArrayI32& rows_b, const ReadArrayF32& deltas_b, const ReadArrayI32& touches_b) {
  const RowDeltas a = row_deltas_of(rows_a, deltas_a, touches_a, "first");
  const RowDeltas b = row_deltas_of(rows_b, deltas_b, touches_b, "second");
  if (deltas_a.shape(1) != deltas_b.shape(1))
    throw py::value_error("the deltas of both sides must have the same columns, got " +
                          std::to_string(deltas_a.shape(1)) + " and " + std::to_string(deltas_b.shape(1)));
  const auto dim = static_cast<size_t>(deltas_a.shape(1));
  const size_t count = union_count(a, b);
  py::array_t<int32_t> rows(static_cast<py::ssize_t>(count));
  py::array_t<float> deltas({static_cast<py::ssize_t>(count), static_cast<py::ssize_t>(dim)});
  py::array_t<int32_t> touches(static_cast<py::ssize_t>(count));
  {
    py::gil_scoped_release release;
    sum_row_deltas(a, b, dim, rows.mutable_data(), deltas.mutable_data(), touches.mutable_data());
  }
  return py::make_tuple(rows, deltas, touches);
}

// fold_row_changes on a model's layer, trained where it is (a padded output layer included) and written back there, and
// the task's running sum: `sums` and `touches` must be the caller's own arrays, as the weights the engine trains.
void fold_changes(py::array& current_matrix, const ReadArrayF32& initial, py::array& sums, py::array& touches) {
  if (initial.ndim() != 2) throw py::value_error("initial must be a 2-d float32 array");
  const auto rows = static_cast<size_t>(initial.shape(0)), dim = static_cast<size_t>(initial.shape(1));
  const RowMatrix current = writable_rows(current_matrix, "current", rows, dim);
  float* const sum = writable_matrix(sums, "sums", rows, dim);
  if (!py::isinstance<py::array_t<int32_t>>(touches) || !(touches.flags() & py::array::c_style) ||
      !touches.writeable() || touches.ndim() != 1 || static_cast<size_t>(touches.shape(0)) != rows)
    throw py::value_error("touches must be a writeable C-contiguous int32 array of shape (" + std::to_string(rows) +
                          ",)");
  auto* const touched = static_cast<int32_t*>(touches.mutable_data());
  py::gil_scoped_release release;
  fold_row_changes(current.data, current.stride, initial.data(), rows, dim, sum, touched);
}

void bind_training(py::module_& m) {
  py::class_<TrainConfig>(m, "TrainConfig", "The hyperparameters of one train() call; every field is required.")
      .def(py::init([](size_t vector_size, int window, int negative, bool sg, bool hs, bool cbow_mean,
                       bool shared_negatives, float alpha, float min_alpha, uint64_t total_words, unsigned workers,
                       uint64_t seed, bool compute_loss) {
             return TrainConfig{vector_size, window,    negative,    sg,      hs,   cbow_mean,   shared_negatives,
                                alpha,       min_alpha, total_words, workers, seed, compute_loss};
           }),
           py::kw_only(), py::arg("vector_size"), py::arg("window"), py::arg("negative"), py::arg("sg"),
           py::arg("hs"), py::arg("cbow_mean"), py::arg("shared_negatives"), py::arg("alpha"), py::arg("min_alpha"),
           py::arg("total_words"), py::arg("workers"), py::arg("seed"), py::arg("compute_loss"))
      .def_readonly("vector_size", &TrainConfig::vector_size)
      .def_readonly("window", &TrainConfig::window)
      .def_readonly("negative", &TrainConfig::negative)
      .def_readonly("sg", &TrainConfig::sg)
      .def_readonly("hs", &TrainConfig::hs)
      .def_readonly("cbow_mean", &TrainConfig::cbow_mean)
      .def_readonly("shared_negatives", &TrainConfig::shared_negatives)
      .def_readonly("alpha", &TrainConfig::alpha)
      .def_readonly("min_alpha", &TrainConfig::min_alpha)
      .def_readonly("total_words", &TrainConfig::total_words)
      .def_readonly("workers", &TrainConfig::workers)
      .def_readonly("seed", &TrainConfig::seed)
      .def_readonly("compute_loss", &TrainConfig::compute_loss);

  py::class_<PyCorpusSource>(m, "CorpusSource", "Where a training pass reads its sentences.")
      .def_static("files", &PyCorpusSource::files, py::arg("paths"), py::arg("cached_id_bytes"),
                  "Text files, plain or compressed; the passes after the first replay up to cached_id_bytes of the "
                  "plain files' word ids instead of reading the text again (0: every pass reads it).")
      .def_property_readonly(
          "cached_id_bytes",
          [](const PyCorpusSource& c) { return c.source.chunk_ids ? c.source.chunk_ids->bytes_used() : 0; },
          "Bytes of word ids the passes so far have kept for the next ones.")
      .def_static("ids", &PyCorpusSource::ids, py::arg("tokens"), py::arg("offsets"), py::arg("id_map"),
                  "Sentences of word ids read in place (int32 or int64 tokens, int64 offsets).")
      .def_static("streamed", &PyCorpusSource::streamed, "Batches of ids that the caller pushes while the pass runs.");

  py::class_<EpochResult>(m, "EpochResult", "What a training pass did.")
      .def_readonly("words", &EpochResult::words)
      .def_readonly("effective_words", &EpochResult::effective_words)
      .def_readonly("loss", &EpochResult::loss)
      .def_readonly("last_alpha", &EpochResult::last_alpha)
      .def_readonly("private_row_folds", &EpochResult::private_row_folds)
      .def_readonly("stopped", &EpochResult::stopped);

  py::class_<PyTrainingPass>(m, "TrainingPass", "One epoch of Hogwild training over a CorpusSource.")
      .def(py::init<const TrainConfig&, const Vocabulary&, py::array, py::array, py::array, const PyCorpusSource&,
                    uint64_t, uint64_t, const Subwords*, const py::object&>(),
           py::arg("config"), py::arg("vocabulary"), py::arg("vectors"), py::arg("syn1neg"), py::arg("syn1"),
           py::arg("corpus"), py::arg("words_done_before"), py::arg("rng_stream"), py::arg("subwords") = nullptr,
           py::arg("ngram_vectors") = py::none(),
           // The pass (argument 1) keeps the vocabulary (3), the weights (4 to 6 and 11), the corpus (7) and the
           // subwords (10) alive.
           py::keep_alive<1, 3>(), py::keep_alive<1, 4>(), py::keep_alive<1, 5>(), py::keep_alive<1, 6>(),
           py::keep_alive<1, 7>(), py::keep_alive<1, 10>(), py::keep_alive<1, 11>())
      .def("start", &PyTrainingPass::start)
      .def("push_sentences", &PyTrainingPass::push_sentences, py::arg("sentences"))
      .def("wait", &PyTrainingPass::wait, py::arg("report"))
      .def("stop", &PyTrainingPass::stop)
      .def_property_readonly("words_done", &PyTrainingPass::words_done);

  m.def("learning_rate", &learning_rate, py::arg("alpha"), py::arg("min_alpha"), py::arg("progress"),
        "The learning rate after `progress` (0 to 1) of a train() call: linear from alpha to min_alpha.");
  m.def(
      "all_finite",
      [](const py::array_t<float, 0>& matrix) {
        const auto float_bytes = static_cast<py::ssize_t>(sizeof(float));
        if (matrix.ndim() != 2 || (matrix.shape(1) > 1 && matrix.strides(1) != float_bytes))
          throw py::value_error("all_finite takes a 2-d float32 array whose rows are contiguous");
        py::gil_scoped_release release;
        return all_finite(reinterpret_cast<const char*>(matrix.data()), matrix.strides(0),
                          static_cast<size_t>(matrix.shape(0)), static_cast<size_t>(matrix.shape(1)));
      },
      py::arg("matrix"),
      "Whether a 2-d float32 array whose rows are contiguous (C-contiguous, or the first columns of a wider one) "
      "holds no NaN or infinite value: one read of each value.");
  m.def("sum_row_deltas", &summed_row_deltas, py::arg("rows_a"), py::arg("deltas_a"), py::arg("touches_a"),
        py::arg("rows_b"), py::arg("deltas_b"), py::arg("touches_b"),
        "Two sets of changed rows summed (w2vfast.spark): (rows, deltas, touches), the union of the ascending rows, "
        "the deltas of a row in both added in float32, the touches added.");
  m.def("fold_row_changes", &fold_changes, py::arg("current"), py::arg("initial"), py::arg("sums"),
        py::arg("touches"),
        "One model copy's changes folded into a task's running sum (w2vfast.spark): every row of current where "
        "current - initial has a nonzero element adds that difference to its row of sums (float32) and one to "
        "touches (int32); every row of current that differs from initial in any bit is then set back to initial's.");
}

// ------------------------------------------------------------------------------------------------ phrases

PhraseSyntax phrase_syntax(const py::str& delimiter, const py::iterable& connector_words) {
  std::vector<std::string> connectors;
  for (const py::handle& word : connector_words) connectors.push_back(encode_word(word));
  return PhraseSyntax(encode_word(delimiter), connectors);
}

// A scorer by name, or a Python callable called as scorer(word_a, word_b, bigram, len_vocab, corpus_words) -> float.
// The callable runs with the GIL, on whichever thread scores: the calling thread (phrase_files with workers = 0, as
// Python asks for it), or engine threads, which then take turns at the GIL for every candidate.
PhraseScoring phrase_scoring(const py::object& scorer, double min_count, double threshold) {
  if (!py::isinstance<py::str>(scorer)) {
    return PhraseScoring{PhraseScorer::kCustom, min_count, threshold, [scorer](const CandidateCounts& counts) {
                           py::gil_scoped_acquire gil;
                           return py::float_(scorer(counts.word_a, counts.word_b, counts.bigram, counts.len_vocab,
                                                    counts.corpus_words))
                               .cast<double>();
                         }};
  }
  const std::string name = scorer.cast<std::string>();
  PhraseScorer kind;
  if (name == "default") {
    kind = PhraseScorer::kDefault;
  } else if (name == "npmi") {
    kind = PhraseScorer::kNpmi;
  } else if (name == "word2phrase") {
    kind = PhraseScorer::kWord2phrase;
  } else {
    throw py::value_error("unknown phrase scorer '" + name + "': expected 'default', 'npmi' or 'word2phrase'");
  }
  return PhraseScoring{kind, min_count, threshold, nullptr};
}

// A sentence's tokens as the engine reads them (read_sentence), copied.
SentenceTokens sentence_tokens(const py::handle& sentence, uint64_t number) {
  SentenceTokens tokens;
  read_sentence(sentence, number, [&](std::string_view token) { tokens.add(token); });
  return tokens;
}

// The sentence phrased: its own str objects where a token stays as it was, as gensim returns them.
py::list apply_phrases(const PhraseDetector& detector, const py::handle& sentence) {
  py::object items = py::reinterpret_borrow<py::object>(sentence);
  PyObject* object = items.ptr();
  if (!PyList_Check(object) && !PyTuple_Check(object) && !PyUnicode_Check(object) && !PyBytes_Check(object))
    items = py::list(items);  // any other iterable of tokens, read once
  py::list out;
  detector.analyze(sentence_tokens(items, 0), [&](size_t first, size_t last, std::string_view text,
                                                  std::optional<double>) {
    out.append(first == last ? py::reinterpret_borrow<py::object>(PySequence_Fast_GET_ITEM(items.ptr(), first))
                             : py::object(decode_word(text)));
  });
  return out;
}

void bind_phrases(py::module_& m) {
  py::class_<PhraseCounts>(m, "PhraseCounts",
                           "gensim's Phrases counts: words and joined bigrams, corpus words, min_reduce.")
      .def(py::init<uint64_t>(), py::arg("max_vocab_size"))
      .def_static(
          "restored",
          [](uint64_t max_vocab_size, const WordCounts& saved, uint64_t min_reduce) {
            return PhraseCounts(max_vocab_size, saved, min_reduce);
          },
          py::arg("max_vocab_size"), py::arg("saved"), py::arg("min_reduce"),
          "Counts saved earlier: keys, counts and total_words as a WordCounts.")
      .def(
          "add_sentences",
          [](PhraseCounts& counts, const py::iterable& sentences, const py::str& delimiter,
             const py::iterable& connector_words) {
            const PhraseSyntax syntax = phrase_syntax(delimiter, connector_words);
            VocabCounter counted = counts.new_counter();
            PhraseCountingSink sink(syntax, counted);
            count_sentences_into(sentences, sink);
            counts.add(std::move(counted));
          },
          py::arg("sentences"), py::arg("delimiter"), py::arg("connector_words"),
          "Count an iterable of token lists and add the counts (gensim's add_vocab).")
      .def(
          "add_files",
          [](PhraseCounts& counts, const std::vector<std::string>& paths, unsigned workers, const py::str& delimiter,
             const py::iterable& connector_words) {
            const PhraseSyntax syntax = phrase_syntax(delimiter, connector_words);
            py::gil_scoped_release release;
            counts.add(count_phrase_files(counts, syntax, paths, workers));
          },
          py::arg("paths"), py::arg("workers"), py::arg("delimiter"), py::arg("connector_words"),
          "Count text files on `workers` threads and add the counts.")
      .def("__len__", &PhraseCounts::size)
      .def(
          "keys",
          [](const PhraseCounts& c) {
            const WordTable& keys = c.counter().table();
            return decode_words([&](size_t i) { return keys.word(static_cast<int32_t>(i)); }, 0, keys.size());
          },
          "The words and joined bigrams counted, in first-occurrence order, decoded.")
      .def_property_readonly("counts", [](const PhraseCounts& c) { return to_array(c.counter().counts()); })
      .def_property_readonly("total_words", &PhraseCounts::total_words)
      .def_property_readonly("min_reduce", [](const PhraseCounts& c) { return c.counter().min_reduce(); })
      .def("count", [](const PhraseCounts& c, const py::str& key) { return c.count(encode_word(key)); },
           py::arg("key"), "The count of a word or joined bigram (0 if not counted).");

  py::class_<PhraseScores>(m, "PhraseScores", "Phrases with their scores, in the order first found.")
      .def(py::init([](const py::sequence& phrases, const ReadArrayF64& scores) {
             std::vector<std::string> encoded;
             for (const py::handle& phrase : phrases) encoded.push_back(encode_word(phrase));
             return PhraseScores(encoded, std::vector<double>(scores.data(), scores.data() + scores.size()));
           }),
           py::arg("phrases"), py::arg("scores"))
      .def("__len__", &PhraseScores::size)
      .def(
          "phrases",
          [](const PhraseScores& s) { return decode_words([&](size_t i) { return s.phrase(i); }, 0, s.size()); },
          "The phrases, decoded.")
      .def_property_readonly("scores", [](const PhraseScores& s) { return to_array(s.scores()); });

  py::class_<PhraseDetector>(m, "PhraseDetector", "Decides which candidates are phrases and joins them.")
      .def(
          "analyze",
          [](const PhraseDetector& detector, const py::handle& sentence) {
            py::list out;
            detector.analyze(sentence_tokens(sentence, 0), [&](size_t, size_t, std::string_view text,
                                                               std::optional<double> score) {
              out.append(py::make_tuple(decode_word(text), score ? py::object(py::float_(*score)) : py::none()));
            });
            return out;
          },
          py::arg("sentence"), "gensim's analyze_sentence: (token, score or None) for each output token.")
      .def("apply", &apply_phrases, py::arg("sentence"), "The sentence with its phrases joined.")
      .def(
          "find",
          [](const PhraseDetector& detector, const py::iterable& sentences) {
            PhraseScores found;
            uint64_t number = 0;
            for (const py::handle& sentence : sentences) {
              detector.analyze(sentence_tokens(sentence, number++), [&](size_t, size_t, std::string_view text,
                                                                        std::optional<double> score) {
                if (score) found.set(text, *score);
              });
            }
            return found;
          },
          py::arg("sentences"), "The phrases of the sentences with their scores (gensim's find_phrases).")
      .def(
          "score",
          [](const PhraseDetector& detector, const py::str& word_a, const py::str& word_b, const py::str& phrase) {
            return detector.score(encode_word(word_a), encode_word(word_b), encode_word(phrase));
          },
          py::arg("word_a"), py::arg("word_b"), py::arg("phrase"),
          "The score of the candidate from word_a to word_b, joined `phrase`, if it is a phrase; else None.")
      .def(
          "phrase_files",
          [](const PhraseDetector& detector, const std::vector<std::string>& inputs, const std::string& output,
             unsigned workers) {
            if (workers == 0) {  // this thread phrases, keeping the GIL for a scorer that is a Python function
              phrase_text_files(detector, inputs, output, 0, [] {
                if (PyErr_CheckSignals() != 0) throw py::error_already_set();
                return false;
              });
              return;
            }
            bool interrupted = false;
            {
              py::gil_scoped_release release;
              phrase_text_files(detector, inputs, output, workers, [&] {
                py::gil_scoped_acquire gil;
                return interrupted = PyErr_CheckSignals() != 0;
              });
            }
            if (interrupted) throw py::error_already_set();
          },
          py::arg("inputs"), py::arg("output"), py::arg("workers"),
          "Write the lines of text files, phrased, to `output`, on `workers` threads (0: this one, with the GIL).");

  py::class_<CountsPhraseDetector, PhraseDetector>(m, "CountsPhraseDetector",
                                                   "gensim's Phrases: scores candidates from counts.")
      .def(py::init([](const PhraseCounts& counts, const py::str& delimiter, const py::iterable& connector_words,
                       const py::object& scorer, double min_count, double threshold) {
             return new CountsPhraseDetector(counts, phrase_syntax(delimiter, connector_words),
                                             phrase_scoring(scorer, min_count, threshold));
           }),
           py::arg("counts"), py::arg("delimiter"), py::arg("connector_words"), py::arg("scorer"),
           py::arg("min_count"), py::arg("threshold"), py::keep_alive<1, 2>())
      .def("export_phrases", &CountsPhraseDetector::export_phrases,
           "Every counted bigram that scores as a phrase (gensim's export_phrases).");

  py::class_<FrozenPhraseDetector, PhraseDetector>(m, "FrozenPhraseDetector",
                                                   "gensim's FrozenPhrases: looks candidates up in a table.")
      .def(py::init([](const PhraseScores& phrases, const py::str& delimiter, const py::iterable& connector_words,
                       double threshold) {
             return new FrozenPhraseDetector(phrases, phrase_syntax(delimiter, connector_words), threshold);
           }),
           py::arg("phrases"), py::arg("delimiter"), py::arg("connector_words"), py::arg("threshold"),
           py::keep_alive<1, 2>());
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "w2vfast's C++ engine. Use the classes in w2vfast; this module's API may change without notice.";

  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const IoError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });

  bind_simd(m);
  bind_vocabulary(m);
  bind_subwords(m);
  bind_training(m);
  bind_phrases(m);
  m.attr("MAX_SENTENCE_WORDS") = kMaxSentenceWords;
  m.attr("SIGMOID_RANGE") = kSigmoidRange;
  m.def("sigmoid", py::vectorize(fast_sigmoid), py::arg("x"), "The training sigmoid (table lookup).");
  m.def(
      "top_k",
      [](const ReadArrayF32& scores, size_t k, unsigned workers) {
        if (scores.ndim() != 2) throw py::value_error("scores must be a 2-d array");
        const auto rows = static_cast<size_t>(scores.shape(0)), cols = static_cast<size_t>(scores.shape(1));
        if (k > cols) throw py::value_error("k must be at most the number of columns");
        py::array_t<int64_t> columns({rows, k});
        int64_t* out = columns.mutable_data();
        {
          py::gil_scoped_release release;
          top_k_rows(scores.data(), rows, cols, k, out, workers);
        }
        return columns;
      },
      py::arg("scores"), py::arg("k"), py::arg("workers"),
      "The columns of the k largest scores of each row, largest first (equal scores: lower column first).");
}
