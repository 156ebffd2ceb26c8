// The engine's exception types. std::invalid_argument (bad input, Python's ValueError) and std::runtime_error are
// used as they are; I/O gets its own type so that the binding can map it to Python's OSError.
#pragma once

#include <stdexcept>

namespace w2v {

// An I/O failure: a missing, unreadable, vanished, truncated or corrupt file.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace w2v
