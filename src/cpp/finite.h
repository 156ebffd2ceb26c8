// Whether a weight matrix holds only finite values: the check after every epoch that training has not diverged.
#pragma once

#include <cstddef>

namespace w2v {

// True when none of the `rows` x `cols` floats of `matrix` is NaN or infinite; each row's floats are contiguous and
// rows start `row_bytes` apart (a C-contiguous matrix, or the first columns of a wider one: a padded output layer).
//
// One read of every value, testing its exponent bits (all ones for NaN and infinity) in a loop the compiler
// vectorises, where NumPy's min and max read the matrix twice: 0.78 ms against 1.03 ms for a C-contiguous 29,039 x
// 100, 0.91 ms against 1.80 ms for the same rows padded to 112 floats (out of cache; the 2-core Intel Xeon).
bool all_finite(const char* matrix, std::ptrdiff_t row_bytes, size_t rows, size_t cols);

}  // namespace w2v
