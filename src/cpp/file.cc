#include "file.h"

#include <cerrno>
#include <cstring>

#include "errors.h"

namespace w2v {
namespace {

[[noreturn]] void fail(const char* what, const std::string& path) {
  throw IoError(std::string(what) + " '" + path + "': " + std::strerror(errno));
}

}  // namespace

File::File(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "rb")) {
  if (!file_) fail("cannot open corpus file", path);
}

File::~File() { std::fclose(file_); }

size_t File::read(char* out, size_t capacity) {
  const size_t got = std::fread(out, 1, capacity, file_);
  if (got == 0 && std::ferror(file_)) fail("error reading corpus file", path_);
  return got;
}

void File::seek(uint64_t offset) {
#ifdef _WIN32
  const int status = _fseeki64(file_, static_cast<long long>(offset), SEEK_SET);
#else
  const int status = fseeko(file_, static_cast<off_t>(offset), SEEK_SET);
#endif
  if (status != 0) fail("cannot seek in corpus file", path_);
}

uint64_t File::size() {
#ifdef _WIN32
  if (_fseeki64(file_, 0, SEEK_END) != 0) fail("cannot seek in corpus file", path_);
  const long long size = _ftelli64(file_);
#else
  if (fseeko(file_, 0, SEEK_END) != 0) fail("cannot seek in corpus file", path_);
  const off_t size = ftello(file_);
#endif
  if (size < 0) fail("cannot measure corpus file", path_);
  return static_cast<uint64_t>(size);
}

uint64_t file_size(const std::string& path) { return File(path).size(); }

OutputFile::OutputFile(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "wb")) {
  if (!file_) fail("cannot create file", path);
}

OutputFile::~OutputFile() {
  if (file_) std::fclose(file_);
}

void OutputFile::write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) fail("error writing file", path_);
}

void OutputFile::close() {
  if (!file_) return;
  std::FILE* file = file_;
  file_ = nullptr;
  if (std::fclose(file) != 0) fail("error writing file", path_);
}

}  // namespace w2v
