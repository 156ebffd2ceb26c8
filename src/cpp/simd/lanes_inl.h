// The row primitives over the `Lanes` type of the enclosing path's namespace, included inside it (no include guard
// on purpose). Lanes wraps one register of the path: Vec, kWidth floats, zero, set1, load, store, mul_add(a, b, c)
// = a * b + c, add, sum, any_greater(a, b) (some lane of a above b's; NaN never is), and load_tail/store_tail for
// the last n < kWidth floats of a row.

// v, passed through an empty asm statement the compiler cannot see into, so that a row loaded once is used from its
// register instead of being re-read by each instruction that uses it (see update_output_rows_held()). The constraint
// names a vector register: "v" on x86, "w" on ARM.
template <class Vec>
inline Vec in_register(Vec v) {
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
  asm("" : "+v"(v));
#elif defined(__GNUC__) || defined(__clang__)
  asm("" : "+w"(v));
#endif
  return v;
}

// Four accumulators: a fused multiply-add has a latency of about four cycles and two issue each cycle, so one
// accumulator would leave the dot product latency bound (at 100 dimensions it is only six AVX-512 vectors).
inline float dot(const float* a, const float* b, size_t n) {
  constexpr size_t W = Lanes::kWidth;
  Lanes::Vec s0 = Lanes::zero(), s1 = Lanes::zero(), s2 = Lanes::zero(), s3 = Lanes::zero();
  size_t i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    s0 = Lanes::mul_add(Lanes::load(a + i), Lanes::load(b + i), s0);
    s1 = Lanes::mul_add(Lanes::load(a + i + W), Lanes::load(b + i + W), s1);
    s2 = Lanes::mul_add(Lanes::load(a + i + 2 * W), Lanes::load(b + i + 2 * W), s2);
    s3 = Lanes::mul_add(Lanes::load(a + i + 3 * W), Lanes::load(b + i + 3 * W), s3);
  }
  // At most three whole vectors remain: spread them over the accumulators too.
  if (i + W <= n) { s0 = Lanes::mul_add(Lanes::load(a + i), Lanes::load(b + i), s0); i += W; }
  if (i + W <= n) { s1 = Lanes::mul_add(Lanes::load(a + i), Lanes::load(b + i), s1); i += W; }
  if (i + W <= n) { s2 = Lanes::mul_add(Lanes::load(a + i), Lanes::load(b + i), s2); i += W; }
  if (i < n) s3 = Lanes::mul_add(Lanes::load_tail(a + i, n - i), Lanes::load_tail(b + i, n - i), s3);
  return Lanes::sum(Lanes::add(Lanes::add(s0, s1), Lanes::add(s2, s3)));
}

// The dot products of `a` with each of rows[0, count) into scores[0, count), each computed exactly as dot() computes
// it (the same four accumulators, the same order), so that the scores are the same to the bit; what differs is that
// a group of rows shares each load of `a`. Scoring a batch of output rows reads `a` once a group instead of once a
// row. Groups of four rows on paths with 32 registers (16 accumulators), two on AVX2's 16 (kDotGroup is at most 4).
constexpr size_t kDotGroup = Lanes::kWidth >= 16 ? 4 : 2;

template <size_t N>
inline void dot_group(const float* a, const float* const* rows, float* scores, size_t n) {
  constexpr size_t W = Lanes::kWidth;
  Lanes::Vec s[N][4];
  for (size_t r = 0; r < N; ++r) s[r][0] = s[r][1] = s[r][2] = s[r][3] = Lanes::zero();
  size_t i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    for (size_t k = 0; k < 4; ++k) {
      const Lanes::Vec x = Lanes::load(a + i + k * W);
      for (size_t r = 0; r < N; ++r) s[r][k] = Lanes::mul_add(x, Lanes::load(rows[r] + i + k * W), s[r][k]);
    }
  }
  for (size_t k = 0; k < 3 && i + W <= n; ++k, i += W) {
    const Lanes::Vec x = Lanes::load(a + i);
    for (size_t r = 0; r < N; ++r) s[r][k] = Lanes::mul_add(x, Lanes::load(rows[r] + i), s[r][k]);
  }
  if (i < n) {
    const Lanes::Vec x = Lanes::load_tail(a + i, n - i);
    for (size_t r = 0; r < N; ++r) s[r][3] = Lanes::mul_add(x, Lanes::load_tail(rows[r] + i, n - i), s[r][3]);
  }
  for (size_t r = 0; r < N; ++r)
    scores[r] = Lanes::sum(Lanes::add(Lanes::add(s[r][0], s[r][1]), Lanes::add(s[r][2], s[r][3])));
}

inline void dots(const float* a, const float* const* rows, size_t count, float* scores, size_t n) {
  size_t r = 0;
  for (; r + kDotGroup <= count; r += kDotGroup) dot_group<kDotGroup>(a, rows + r, scores + r, n);
  if (kDotGroup > 2 && r + 2 <= count) {
    dot_group<2>(a, rows + r, scores + r, n);
    r += 2;
  }
  if (r < count) scores[r] = dot(a, rows[r], n);
}

// out = alpha * x + y, a register at a time: `out` may be `y` (each register of y is read before it is written).
inline void scaled_sum(float* out, float alpha, const float* x, const float* y, size_t n) {
  constexpr size_t W = Lanes::kWidth;
  const Lanes::Vec a = Lanes::set1(alpha);
  size_t i = 0;
  for (; i + W <= n; i += W) Lanes::store(out + i, Lanes::mul_add(a, Lanes::load(x + i), Lanes::load(y + i)));
  if (i < n)
    Lanes::store_tail(out + i, Lanes::mul_add(a, Lanes::load_tail(x + i, n - i), Lanes::load_tail(y + i, n - i)),
                      n - i);
}

// y += alpha * x
inline void axpy(float alpha, const float* x, float* y, size_t n) { scaled_sum(y, alpha, x, y, n); }

// The index of the first of x[0, n) above `threshold`, or n; NaN is never above. A register's worth of values is
// compared at once, four registers a step, so a long run of values below the threshold costs little more than
// reading it.
inline size_t first_greater(const float* x, size_t n, float threshold) {
  constexpr size_t W = Lanes::kWidth;
  const Lanes::Vec t = Lanes::set1(threshold);
  size_t i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    if (Lanes::any_greater(Lanes::load(x + i), t) || Lanes::any_greater(Lanes::load(x + i + W), t) ||
        Lanes::any_greater(Lanes::load(x + i + 2 * W), t) || Lanes::any_greater(Lanes::load(x + i + 3 * W), t))
      break;
  }
  for (; i < n; ++i)
    if (x[i] > threshold) return i;
  return n;
}

// CBOW's context rows and FastText's n-gram rows (steps_inl.h, subword_steps_inl.h) are summed, or receive the same
// gradient, a row at a time over a stretch of R registers of every row, the stretch of the sum or of the gradient
// held in registers meanwhile. Each row's address is then computed once a stretch and its registers are one run of
// loads, where a register at a time over all the rows paid an index, an address and a loop step for every register
// of every row: cbow-hs took 24% fewer instructions a word on AVX2 (callgrind), and CBOW trained 1.04-1.06 times as
// fast at one thread on AVX-512, FastText's CBOW 1.1 times (docs/design.md). Each element sees the same operations
// in the same order as one add or axpy() a row, so the results are the same to the bit.
//
// RowStretch: R registers of a row from float `start` on, the last a whole register or, when kTail, the rest of the
// row (1 to W floats).
template <size_t R, bool kTail>
struct RowStretch {
  static constexpr size_t kRegisters = R;
  static constexpr size_t W = Lanes::kWidth;
  static constexpr size_t kWhole = kTail ? R - 1 : R;
  size_t start;
  size_t tail;  // the floats of the last register when kTail

  RowStretch(size_t first, size_t dim) : start(first), tail(kTail ? dim - first - kWhole * W : 0) {}

  // Each pointer is moved to the stretch once, so that its registers are constant offsets from it.
  void load(const float* row, Lanes::Vec* v) const {
    const float* p = row + start;
    for (size_t r = 0; r < kWhole; ++r) v[r] = Lanes::load(p + r * W);
    if (kTail) v[kWhole] = Lanes::load_tail(p + kWhole * W, tail);
  }
  void store(float* row, const Lanes::Vec* v) const {
    float* p = row + start;
    for (size_t r = 0; r < kWhole; ++r) Lanes::store(p + r * W, v[r]);
    if (kTail) Lanes::store_tail(p + kWhole * W, v[kWhole], tail);
  }
  // sum += row
  void add(const float* row, Lanes::Vec* sum) const {
    const float* p = row + start;
    for (size_t r = 0; r < kWhole; ++r) sum[r] = Lanes::add(sum[r], Lanes::load(p + r * W));
    if (kTail) sum[kWhole] = Lanes::add(sum[kWhole], Lanes::load_tail(p + kWhole * W, tail));
  }
  // row = a * x + row. The row's register is read once into a register (in_register()), which the multiply-add
  // then overwrites, instead of a copy of `a` for every register.
  void axpy(Lanes::Vec a, const Lanes::Vec* x, float* row) const {
    float* p = row + start;
    for (size_t r = 0; r < kWhole; ++r)
      Lanes::store(p + r * W, Lanes::mul_add(a, x[r], in_register(Lanes::load(p + r * W))));
    if (kTail)
      Lanes::store_tail(p + kWhole * W, Lanes::mul_add(a, x[kWhole], Lanes::load_tail(p + kWhole * W, tail)), tail);
  }
  // row += x
  void add_to(const Lanes::Vec* x, float* row) const {
    float* p = row + start;
    for (size_t r = 0; r < kWhole; ++r) Lanes::store(p + r * W, Lanes::add(Lanes::load(p + r * W), x[r]));
    if (kTail) Lanes::store_tail(p + kWhole * W, Lanes::add(Lanes::load_tail(p + kWhole * W, tail), x[kWhole]), tail);
  }
};

// Calls pass(stretch) for stretches covering a row of `dim` floats, held as update_output_rows() holds its rows:
// 97 to 128 dimensions on AVX-512 in one stretch, 97 to 104 on AVX2 in stretches of 7 and 6 registers, rows wider
// than two stretches (300 is a common width) in stretches of 8 or 7 registers, and what is left a register at a
// time. Each width held is one more copy of the callers' loops. (update_output_rows() keeps its own copy of this
// rule: passed through here, its register-at-a-time rest became two more inlined copies of its held loop, and
// callgrind counted 9-13% more instructions a word for sg-ns, sg-hs and cbow-hs at 100 dimensions.)
template <class Pass>
W2VFAST_INLINE void for_row_stretches(size_t dim, Pass pass) {
  constexpr size_t W = Lanes::kWidth;
  if (W == 16 && dim > 6 * W && dim <= 7 * W) return pass(RowStretch<7, true>(0, dim));
  if (W == 16 && dim > 7 * W && dim <= 8 * W) return pass(RowStretch<8, true>(0, dim));
  if (W == 8 && dim > 12 * W && dim <= 13 * W) {
    pass(RowStretch<7, false>(0, dim));
    return pass(RowStretch<6, true>(7 * W, dim));
  }
  constexpr size_t kHeld = W == 16 ? 8 : 7;
  size_t d = 0;
  if (W >= 8 && dim > 2 * kHeld * W)
    for (; d + kHeld * W <= dim; d += kHeld * W) pass(RowStretch<kHeld, false>(d, dim));
  for (; d + W <= dim; d += W) pass(RowStretch<1, false>(d, dim));
  if (d < dim) pass(RowStretch<1, true>(d, dim));
}

// The passes of the row kernels below, one stretch of every row each. Their arguments come by value: captured by
// reference in the passes' lambdas, every one was reloaded at every row, since a vector store may alias anything.
//
// sum += the rows ids[0, count) of matrix.
template <class Stretch>
inline void add_rows_pass(Stretch stretch, float* sum, const float* matrix, const int32_t* ids, size_t count,
                          size_t dim) {
  Lanes::Vec s[Stretch::kRegisters];
  stretch.load(sum, s);
  for (size_t i = 0; i < count; ++i) stretch.add(matrix + static_cast<size_t>(ids[i]) * dim, s);
  stretch.store(sum, s);
}

// out = factor * (the rows first[0, first_count), then second[0, second_count), summed from zero).
template <class Stretch>
inline void scaled_sum_of_rows_pass(Stretch stretch, float* out, Lanes::Vec factor, const float* matrix,
                                    const int32_t* first, size_t first_count, const int32_t* second,
                                    size_t second_count, size_t dim) {
  constexpr size_t R = Stretch::kRegisters;
  Lanes::Vec s[R];
  for (size_t r = 0; r < R; ++r) s[r] = Lanes::zero();
  for (size_t i = 0; i < first_count; ++i) stretch.add(matrix + static_cast<size_t>(first[i]) * dim, s);
  for (size_t i = 0; i < second_count; ++i) stretch.add(matrix + static_cast<size_t>(second[i]) * dim, s);
  for (size_t r = 0; r < R; ++r) s[r] = Lanes::mul(s[r], factor);
  stretch.store(out, s);
}

// The rows first[0, first_count), then second[0, second_count), of matrix = a * x + the row.
template <class Stretch>
inline void axpy_rows_pass(Stretch stretch, Lanes::Vec a, const float* x, float* matrix, const int32_t* first,
                           size_t first_count, const int32_t* second, size_t second_count, size_t dim) {
  Lanes::Vec v[Stretch::kRegisters];
  stretch.load(x, v);
  for (size_t i = 0; i < first_count; ++i) stretch.axpy(a, v, matrix + static_cast<size_t>(first[i]) * dim);
  for (size_t i = 0; i < second_count; ++i) stretch.axpy(a, v, matrix + static_cast<size_t>(second[i]) * dim);
}

// row and the rows ids[0, count) of matrix += a * x, the product rounded once (a fused multiply-add with zero).
template <class Stretch>
inline void add_to_rows_pass(Stretch stretch, Lanes::Vec a, const float* x, float* row, float* matrix,
                             const int32_t* ids, size_t count, size_t dim) {
  constexpr size_t R = Stretch::kRegisters;
  Lanes::Vec v[R];
  stretch.load(x, v);
  for (size_t r = 0; r < R; ++r) v[r] = Lanes::mul_add(a, v[r], Lanes::zero());
  stretch.add_to(v, row);
  for (size_t i = 0; i < count; ++i) stretch.add_to(v, matrix + static_cast<size_t>(ids[i]) * dim);
}

// sum += the rows ids[0, count) of matrix.
inline void add_rows(float* W2VFAST_RESTRICT sum, const float* matrix, const int32_t* ids, size_t count,
                     size_t dim) {
  for_row_stretches(dim, [&](auto stretch) { add_rows_pass(stretch, sum, matrix, ids, count, dim); });
}

// CBOW's hidden vector: out = scale * (the rows first[0, first_count), then second[0, second_count), of matrix
// summed from zero), the same operations in the same order as zeroing `out`, add_rows() of each list and
// multiplying by `scale`, without storing the sum and reading it back between them.
inline void scaled_sum_of_rows(float* W2VFAST_RESTRICT out, float scale, const float* matrix, const int32_t* first,
                               size_t first_count, const int32_t* second, size_t second_count, size_t dim) {
  const Lanes::Vec factor = Lanes::set1(scale);
  for_row_stretches(dim, [&](auto stretch) {
    scaled_sum_of_rows_pass(stretch, out, factor, matrix, first, first_count, second, second_count, dim);
  });
}

// The rows first[0, first_count), then second[0, second_count), of matrix += alpha * x, as axpy() a row (a row
// listed twice receives it twice, one after the other).
inline void axpy_rows(float alpha, const float* W2VFAST_RESTRICT x, float* matrix, const int32_t* first,
                      size_t first_count, const int32_t* second, size_t second_count, size_t dim) {
  const Lanes::Vec a = Lanes::set1(alpha);
  for_row_stretches(dim, [&](auto stretch) {
    axpy_rows_pass(stretch, a, x, matrix, first, first_count, second, second_count, dim);
  });
}

// FastText's rows (subword_steps_inl.h): row += scale * x, and the same to the rows `ids[0, count)` of matrix (a row
// listed twice receives it twice).
inline void add_to_rows(float scale, const float* W2VFAST_RESTRICT x, float* row, float* matrix, const int32_t* ids,
                        size_t count, size_t dim) {
  const Lanes::Vec a = Lanes::set1(scale);
  for_row_stretches(dim, [&](auto stretch) { add_to_rows_pass(stretch, a, x, row, matrix, ids, count, dim); });
}

// update_output_rows() over R registers of the rows from float `first` on, the last of them a whole register or,
// when kTail, the rest of the row (1 to W floats), with that stretch of the hidden vector and the gradient held in
// registers while the loop passes over the rows, a row at a time: each register of the gradient then adds into a
// chain of its own and the chains overlap, where a register at a time over all rows makes one chain of dependent
// multiply-adds after another. The same operations reach each element in the same order.
template <size_t R, bool kTail>
inline void update_output_rows_held(const float* g, float* const* outputs, size_t count,
                                    const float* W2VFAST_RESTRICT hidden, float* W2VFAST_RESTRICT gradient,
                                    size_t first, size_t dim) {
  constexpr size_t W = Lanes::kWidth;
  constexpr size_t kWhole = kTail ? R - 1 : R;
  const size_t tail = kTail ? dim - first - kWhole * W : 0;
  Lanes::Vec h[R], acc[R];
  for (size_t r = 0; r < kWhole; ++r) {
    h[r] = Lanes::load(hidden + first + r * W);
    acc[r] = Lanes::load(gradient + first + r * W);
  }
  if (kTail) {
    h[R - 1] = Lanes::load_tail(hidden + first + kWhole * W, tail);
    acc[R - 1] = Lanes::load_tail(gradient + first + kWhole * W, tail);
  }
  for (size_t t = 0; t < count; ++t) {
    const Lanes::Vec gv = Lanes::set1(g[t]);
    float* out = outputs[t] + first;
    for (size_t r = 0; r < kWhole; ++r) {
      // Left to itself, GCC reads the row twice, as a memory operand of each multiply-add, and copies gv before the
      // second (which overwrites it); read once, the update writes over the row's register in place: sg-hs and
      // cbow-hs 1.05 times as fast at one thread (docs/design.md).
      const Lanes::Vec o = in_register(Lanes::load(out + r * W));
      acc[r] = Lanes::mul_add(gv, o, acc[r]);
      Lanes::store(out + r * W, Lanes::mul_add(gv, h[r], o));
    }
    if (kTail) {
      const Lanes::Vec o = Lanes::load_tail(out + kWhole * W, tail);
      acc[R - 1] = Lanes::mul_add(gv, o, acc[R - 1]);
      Lanes::store_tail(out + kWhole * W, Lanes::mul_add(gv, h[R - 1], o), tail);
    }
  }
  for (size_t r = 0; r < kWhole; ++r) Lanes::store(gradient + first + r * W, acc[r]);
  if (kTail) Lanes::store_tail(gradient + first + kWhole * W, acc[R - 1], tail);
}

// The updates of several output rows by their errors g[t], scored against the same hidden vector: gradient +=
// g[t] * outputs[t] (each row's value before its update), outputs[t] += g[t] * hidden; the gradient stays in
// registers across the rows.
//
// Rows of 97 to 128 dimensions on AVX-512 (7 or 8 registers: the default 100, and 128) take
// update_output_rows_held(), one register's chain of multiply-adds beside the others' (sg-hs 1.09 times as fast at
// one thread, cbow-hs 1.04, 100 dimensions; docs/design.md); so do rows of 97 to 104 on AVX2, in two passes of 7 and
// 6 registers, since 13 registers of hidden vector and 13 of gradient do not fit in AVX2's 16 (sg-hs 1.14 times as
// fast, cbow-hs 1.08). Rows wider than two such passes (257 dimensions and more on AVX-512, 113 on AVX2: 300 is a
// common width) go in passes of 8 or 7 held registers, the rest a register at a time over all the rows (training
// sg-hs at 300 dimensions 1.44 times as fast on AVX2; on AVX-512 as fast as before, the kernel alone 1.07 times).
// Other widths go a register at a time. Each width held is one more copy of the loop inlined into the callers, and
// five of them (4 to 8 registers) measured slower than one: hence so few.
inline void update_output_rows(const float* g, float* const* outputs, size_t count,
                               const float* W2VFAST_RESTRICT hidden, float* W2VFAST_RESTRICT gradient, size_t dim) {
  constexpr size_t W = Lanes::kWidth;
  if (W == 16 && dim > 6 * W && dim <= 7 * W)
    return update_output_rows_held<7, true>(g, outputs, count, hidden, gradient, 0, dim);
  if (W == 16 && dim > 7 * W && dim <= 8 * W)
    return update_output_rows_held<8, true>(g, outputs, count, hidden, gradient, 0, dim);
  if (W == 8 && dim > 12 * W && dim <= 13 * W) {
    update_output_rows_held<7, false>(g, outputs, count, hidden, gradient, 0, dim);
    return update_output_rows_held<6, true>(g, outputs, count, hidden, gradient, 7 * W, dim);
  }
  size_t d = 0;
  constexpr size_t kHeld = W == 16 ? 8 : 7;  // 2 x 7 + 2 of AVX2's 16 registers; AVX-512's 32 hold more
  if (W >= 8 && dim > 2 * kHeld * W)
    for (; d + kHeld * W <= dim; d += kHeld * W)
      update_output_rows_held<kHeld, false>(g, outputs, count, hidden, gradient, d, dim);
  for (; d + W <= dim; d += W) {
    const Lanes::Vec h = Lanes::load(hidden + d);
    Lanes::Vec acc = Lanes::load(gradient + d);
    for (size_t t = 0; t < count; ++t) {
      const Lanes::Vec gv = Lanes::set1(g[t]);
      const Lanes::Vec out = in_register(Lanes::load(outputs[t] + d));  // read once (as the held loop)
      acc = Lanes::mul_add(gv, out, acc);
      Lanes::store(outputs[t] + d, Lanes::mul_add(gv, h, out));
    }
    Lanes::store(gradient + d, acc);
  }
  if (d < dim) {
    const size_t n = dim - d;
    const Lanes::Vec h = Lanes::load_tail(hidden + d, n);
    Lanes::Vec acc = Lanes::load_tail(gradient + d, n);
    for (size_t t = 0; t < count; ++t) {
      const Lanes::Vec gv = Lanes::set1(g[t]);
      const Lanes::Vec out = Lanes::load_tail(outputs[t] + d, n);
      acc = Lanes::mul_add(gv, out, acc);
      Lanes::store_tail(outputs[t] + d, Lanes::mul_add(gv, h, out), n);
    }
    Lanes::store_tail(gradient + d, acc, n);
  }
}

// Two consecutive predictions of one window that score the same rows (steps_inl.h, predict_shared_rows(): the
// centre's Huffman path, or the centre and its shared noise words): each row takes the first prediction's update
// (gradient += errors[b] * row, then row += errors[b] * hidden, where trained[b]) and is scored against the next
// prediction's hidden vector (scores[b] = dot(next_hidden, row), the row as just updated), in one pass over the rows
// instead of an update pass and then a scoring pass. Each score is accumulated exactly as dot() accumulates it
// (whole register j into accumulator j % 4, a partial last register into the fourth) and the gradient as
// update_output_rows() does, so the results are the same to the bit. R registers a row, all held: hidden,
// next_hidden and the gradient take 3 R of AVX-512's 32 registers, the score's accumulators 4 more, so R is at most
// 8 (128 dimensions); kTail: the last register is partial. Each (R, kTail) is a function of its own, out of line:
// inlined into the window's loop, GCC kept the held vectors in stack slots and reloaded them every row.
template <size_t R, bool kTail>
W2VFAST_NOINLINE void update_and_score_rows_held(const float* errors, const bool* trained, float* const* path_rows,
                                                 size_t count, const float* W2VFAST_RESTRICT hidden,
                                                 float* W2VFAST_RESTRICT gradient,
                                                 const float* W2VFAST_RESTRICT next_hidden, float* scores,
                                                 size_t dim) {
  constexpr size_t W = Lanes::kWidth;
  constexpr size_t kWhole = kTail ? R - 1 : R;
  const size_t tail = kTail ? dim - kWhole * W : 0;
  Lanes::Vec h[R], next[R], acc[R];
  W2VFAST_UNROLL(8)
  for (size_t r = 0; r < kWhole; ++r) {
    h[r] = Lanes::load(hidden + r * W);
    next[r] = Lanes::load(next_hidden + r * W);
    acc[r] = Lanes::load(gradient + r * W);
  }
  if (kTail) {
    h[R - 1] = Lanes::load_tail(hidden + kWhole * W, tail);
    next[R - 1] = Lanes::load_tail(next_hidden + kWhole * W, tail);
    acc[R - 1] = Lanes::load_tail(gradient + kWhole * W, tail);
  }
  for (size_t b = 0; b < count; ++b) {
    float* row = path_rows[b];
    if (!trained[b]) {
      scores[b] = dot(next_hidden, row, dim);
      continue;
    }
    Lanes::Vec s[4] = {Lanes::zero(), Lanes::zero(), Lanes::zero(), Lanes::zero()};
    const Lanes::Vec gv = Lanes::set1(errors[b]);
    W2VFAST_UNROLL(8)
    for (size_t r = 0; r < kWhole; ++r) {
      const Lanes::Vec o = Lanes::load(row + r * W);
      acc[r] = Lanes::mul_add(gv, o, acc[r]);
      const Lanes::Vec u = Lanes::mul_add(gv, h[r], o);
      Lanes::store(row + r * W, u);
      s[r % 4] = Lanes::mul_add(next[r], u, s[r % 4]);
    }
    if (kTail) {
      const Lanes::Vec o = Lanes::load_tail(row + kWhole * W, tail);
      acc[R - 1] = Lanes::mul_add(gv, o, acc[R - 1]);
      const Lanes::Vec u = Lanes::mul_add(gv, h[R - 1], o);
      Lanes::store_tail(row + kWhole * W, u, tail);
      s[3] = Lanes::mul_add(next[R - 1], u, s[3]);
    }
    scores[b] = Lanes::sum(Lanes::add(Lanes::add(s[0], s[1]), Lanes::add(s[2], s[3])));
  }
  W2VFAST_UNROLL(8)
  for (size_t r = 0; r < kWhole; ++r) Lanes::store(gradient + r * W, acc[r]);
  if (kTail) Lanes::store_tail(gradient + kWhole * W, acc[R - 1], tail);
}

// The update of the rows path_rows[b] where trained[b] by errors[b] (gradient += errors[b] * row, the row's value
// before its update, then row += errors[b] * hidden), then, unless next_hidden is null, every row's score against
// next_hidden into scores[0, count). In one pass over the rows where this path holds them in registers
// (update_and_score_rows_held(): AVX-512, up to 128 dimensions), else an update pass (update_output_rows()) and a
// scoring pass (dots()).
inline void update_and_score_rows(const float* errors, const bool* trained, float* const* path_rows, size_t count,
                                  const float* W2VFAST_RESTRICT hidden, float* W2VFAST_RESTRICT gradient,
                                  const float* W2VFAST_RESTRICT next_hidden, float* scores, size_t dim) {
  constexpr size_t W = Lanes::kWidth;
  if (next_hidden && W == 16 && dim <= 8 * W) {
    using Pass = void (*)(const float*, const bool*, float* const*, size_t, const float*, float*, const float*, float*,
                          size_t);
    // [registers - 1][the last one partial]
    static constexpr Pass kPasses[8][2] = {
        {&update_and_score_rows_held<1, false>, &update_and_score_rows_held<1, true>},
        {&update_and_score_rows_held<2, false>, &update_and_score_rows_held<2, true>},
        {&update_and_score_rows_held<3, false>, &update_and_score_rows_held<3, true>},
        {&update_and_score_rows_held<4, false>, &update_and_score_rows_held<4, true>},
        {&update_and_score_rows_held<5, false>, &update_and_score_rows_held<5, true>},
        {&update_and_score_rows_held<6, false>, &update_and_score_rows_held<6, true>},
        {&update_and_score_rows_held<7, false>, &update_and_score_rows_held<7, true>},
        {&update_and_score_rows_held<8, false>, &update_and_score_rows_held<8, true>},
    };
    const size_t registers = (dim + W - 1) / W;
    kPasses[registers - 1][dim % W != 0](errors, trained, path_rows, count, hidden, gradient, next_hidden, scores, dim);
    return;
  }
  // The trained rows, a batch at a time (update_output_rows() keeps the gradient in registers across a batch).
  constexpr size_t kBatch = 16;
  float batch_errors[kBatch];
  float* batch_rows[kBatch];
  for (size_t first = 0; first < count; first += kBatch) {
    size_t trained_count = 0;
    for (size_t b = first; b < std::min(count, first + kBatch); ++b)
      if (trained[b]) {
        batch_errors[trained_count] = errors[b];
        batch_rows[trained_count++] = path_rows[b];
      }
    update_output_rows(batch_errors, batch_rows, trained_count, hidden, gradient, dim);
  }
  if (next_hidden) dots(next_hidden, path_rows, count, scores, dim);
}
