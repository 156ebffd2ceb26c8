#include "sigmoid.h"

#include <cmath>

namespace w2v {

SigmoidTable::SigmoidTable() {
  for (int i = 0; i <= kSigmoidTableSize; ++i) {
    const double x = (2.0 * i / kSigmoidTableSize - 1.0) * kSigmoidRange;
    value[i] = static_cast<float>(1.0 / (1.0 + std::exp(-x)));
  }
}

const SigmoidTable kSigmoidTable;

}  // namespace w2v
