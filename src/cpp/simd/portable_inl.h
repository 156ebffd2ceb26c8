// The row primitives as plain loops, included inside a path's namespace (no include guard on purpose). The scalar
// path compiles them with vectorisation off (CMakeLists.txt), which makes them the reference the other paths are
// tested against; the baseline paths (sse2, generic) let the compiler vectorise them for the platform's baseline.

// The dot product keeps 16 independent partial sums (four SSE registers once vectorised): a single accumulator
// would make every add wait for the previous one, and at 100 dimensions the product is then bound by add latency.
inline float dot(const float* a, const float* b, size_t n) {
  constexpr size_t kLanes = 16;
  float partial[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (size_t j = 0; j < kLanes; ++j) partial[j] += a[i + j] * b[i + j];
  // Pairwise reduction: a few dependent adds instead of sixteen, since the caller waits for the result.
  for (size_t j = 0; j < kLanes / 2; ++j) partial[j] += partial[j + kLanes / 2];
  for (size_t j = 0; j < kLanes / 4; ++j) partial[j] += partial[j + kLanes / 4];
  float tail = 0;
  for (; i < n; ++i) tail += a[i] * b[i];
  return ((partial[0] + partial[1]) + (partial[2] + partial[3])) + tail;
}

// The dot products of `a` with each of rows[0, count) into scores[0, count).
inline void dots(const float* a, const float* const* rows, size_t count, float* scores, size_t n) {
  for (size_t r = 0; r < count; ++r) scores[r] = dot(a, rows[r], n);
}

// out = alpha * x + y; `out` may be `y`.
inline void scaled_sum(float* out, float alpha, const float* x, const float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = alpha * x[i] + y[i];
}

// y += alpha * x
inline void axpy(float alpha, const float* x, float* y, size_t n) { scaled_sum(y, alpha, x, y, n); }

// The update of one output row and of the input-side gradient by the same error g, in one pass over the row:
// gradient += g * output (the row's old value), output += g * hidden.
inline void update_output_row(float g, const float* W2VFAST_RESTRICT hidden, float* W2VFAST_RESTRICT output,
                              float* W2VFAST_RESTRICT gradient, size_t dim) {
  for (size_t d = 0; d < dim; ++d) {
    gradient[d] += g * output[d];
    output[d] += g * hidden[d];
  }
}

// The index of the first of x[0, n) above `threshold`, or n; NaN is never above.
inline size_t first_greater(const float* x, size_t n, float threshold) {
  for (size_t i = 0; i < n; ++i)
    if (x[i] > threshold) return i;
  return n;
}

// CBOW's context rows (steps_inl.h): the same as lanes_inl.h's, as plain loops.
// sum += the rows ids[0, count) of matrix.
inline void add_rows(float* W2VFAST_RESTRICT sum, const float* matrix, const int32_t* ids, size_t count,
                     size_t dim) {
  for (size_t i = 0; i < count; ++i) axpy(1.0f, matrix + static_cast<size_t>(ids[i]) * dim, sum, dim);
}

// out = scale * (the rows first[0, first_count), then second[0, second_count), of matrix summed from zero).
inline void scaled_sum_of_rows(float* W2VFAST_RESTRICT out, float scale, const float* matrix, const int32_t* first,
                               size_t first_count, const int32_t* second, size_t second_count, size_t dim) {
  std::memset(out, 0, dim * sizeof(float));
  add_rows(out, matrix, first, first_count, dim);
  add_rows(out, matrix, second, second_count, dim);
  for (size_t d = 0; d < dim; ++d) out[d] *= scale;
}

// The rows first[0, first_count), then second[0, second_count), of matrix += alpha * x (a row listed twice
// receives it twice).
inline void axpy_rows(float alpha, const float* W2VFAST_RESTRICT x, float* matrix, const int32_t* first,
                      size_t first_count, const int32_t* second, size_t second_count, size_t dim) {
  for (size_t i = 0; i < first_count; ++i) axpy(alpha, x, matrix + static_cast<size_t>(first[i]) * dim, dim);
  for (size_t i = 0; i < second_count; ++i) axpy(alpha, x, matrix + static_cast<size_t>(second[i]) * dim, dim);
}

// FastText's rows (subword_steps_inl.h): the same as lanes_inl.h's, as plain loops.
// row += scale * x, and the same to the rows `ids[0, count)` of matrix (a row listed twice receives it twice).
inline void add_to_rows(float scale, const float* W2VFAST_RESTRICT x, float* row, float* matrix, const int32_t* ids,
                        size_t count, size_t dim) {
  for (size_t d = 0; d < dim; ++d) row[d] += scale * x[d];
  for (size_t i = 0; i < count; ++i) {
    float* target = matrix + static_cast<size_t>(ids[i]) * dim;
    for (size_t d = 0; d < dim; ++d) target[d] += scale * x[d];
  }
}

// gradient += g[t] * outputs[t] (each row's value before its update), outputs[t] += g[t] * hidden.
inline void update_output_rows(const float* g, float* const* outputs, size_t count,
                               const float* W2VFAST_RESTRICT hidden, float* W2VFAST_RESTRICT gradient, size_t dim) {
  for (size_t t = 0; t < count; ++t) update_output_row(g[t], hidden, outputs[t], gradient, dim);
}

// The update of the rows path_rows[b] where trained[b] by errors[b], then, unless next_hidden is null, every row's
// score against next_hidden (the same as lanes_inl.h's, a row at a time).
inline void update_and_score_rows(const float* errors, const bool* trained, float* const* path_rows, size_t count,
                                  const float* W2VFAST_RESTRICT hidden, float* W2VFAST_RESTRICT gradient,
                                  const float* W2VFAST_RESTRICT next_hidden, float* scores, size_t dim) {
  for (size_t b = 0; b < count; ++b) {
    if (trained[b]) update_output_row(errors[b], hidden, path_rows[b], gradient, dim);
    if (next_hidden) scores[b] = dot(next_hidden, path_rows[b], dim);
  }
}
