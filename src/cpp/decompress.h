// Reading compressed corpus files as a stream of bytes: gzip, bzip2 and xz, recognised by their magic bytes (not by
// the file name), each with concatenated members/streams as their command-line tools produce them.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace w2v {

enum class Compression { kNone, kGzip, kBzip2, kXz };

// The compression of a file, from its first bytes. Throws IoError if the file cannot be opened.
Compression detect_compression(const std::string& path);
const char* compression_name(Compression compression);

// Whether this build can read `compression` (the libraries are optional at build time).
bool can_decompress(Compression compression);

// The decompressed bytes of a file, read in order.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to `capacity` bytes of `out`; returns how many, 0 only at the end of the data. Throws IoError on a read
  // error, on corrupt data, and on a file that ends inside a compressed stream (truncated).
  virtual size_t read(char* out, size_t capacity) = 0;
};

// Opens `path` for reading its decompressed content (plain files pass through). Throws IoError if the file cannot be
// opened, or if this build lacks the library for its compression.
std::unique_ptr<ByteSource> open_decompressed(const std::string& path, Compression compression);

}  // namespace w2v
