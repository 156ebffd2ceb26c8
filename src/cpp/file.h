// A corpus file opened for reading, with errors that name the file and the operating system's reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace w2v {

// Closed when it goes out of scope. Every failure throws IoError (errors.h) with the path and strerror(errno).
class File {
 public:
  explicit File(const std::string& path);
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  // Reads up to `capacity` bytes; returns how many, 0 only at the end of the file.
  size_t read(char* out, size_t capacity);
  void seek(uint64_t offset);
  uint64_t size();  // leaves the position at the end of the file
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* file_;
};

uint64_t file_size(const std::string& path);

}  // namespace w2v
