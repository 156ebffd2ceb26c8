// A corpus file opened for reading, and a text file written by the engine, with errors that name the file and the
// operating system's reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

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

// A file created (or emptied) for writing. Every failure throws IoError with the path and strerror(errno); close()
// reports what the last writes could not store (a full disk), which a destructor could not.
class OutputFile {
 public:
  explicit OutputFile(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes);
  void close();

 private:
  std::string path_;
  std::FILE* file_;
};

}  // namespace w2v
