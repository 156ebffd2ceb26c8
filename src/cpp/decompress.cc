#include "decompress.h"

#include <cstring>
#include <vector>

#include "errors.h"
#include "file.h"

#ifdef W2VFAST_HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef W2VFAST_HAVE_BZIP2
#include <bzlib.h>
#endif
#ifdef W2VFAST_HAVE_LZMA
#include <lzma.h>
#endif

namespace w2v {
namespace {

constexpr size_t kCompressedChunkBytes = 1 << 18;

class PlainSource : public ByteSource {
 public:
  explicit PlainSource(const std::string& path) : file_(path) {}
  size_t read(char* out, size_t capacity) override { return file_.read(out, capacity); }

 private:
  File file_;
};

// What the three decoders share: a buffer of compressed input refilled from the file, and the messages.
class CompressedSource : public ByteSource {
 protected:
  CompressedSource(const std::string& path, const char* format)
      : file_(path), format_(format), input_(kCompressedChunkBytes) {}

  // Reads more compressed bytes into input_; returns how many (0 at the end of the file).
  size_t refill() {
    input_size_ = file_.read(input_.data(), input_.size());
    return input_size_;
  }
  [[noreturn]] void corrupt(const std::string& detail) const {
    throw IoError("corrupt " + std::string(format_) + " data in corpus file '" + file_.path() + "': " + detail);
  }
  [[noreturn]] void truncated() const {
    throw IoError("corpus file '" + file_.path() + "' ends in the middle of its " + format_ +
                  " data (is it truncated?)");
  }

  File file_;
  const char* format_;
  std::vector<char> input_;
  size_t input_size_ = 0;
};

#ifdef W2VFAST_HAVE_ZLIB
class GzipSource : public CompressedSource {
 public:
  explicit GzipSource(const std::string& path) : CompressedSource(path, "gzip") {
    std::memset(&stream_, 0, sizeof stream_);
    if (inflateInit2(&stream_, 15 + 16) != Z_OK) throw std::bad_alloc();  // 15 + 16: a gzip header, 32 KiB window
  }
  ~GzipSource() override { inflateEnd(&stream_); }

  size_t read(char* out, size_t capacity) override {
    stream_.next_out = reinterpret_cast<Bytef*>(out);
    stream_.avail_out = static_cast<uInt>(capacity);
    while (stream_.avail_out == capacity) {
      if (stream_.avail_in == 0) {
        if (refill() == 0) {
          if (in_member_) truncated();
          break;
        }
        stream_.next_in = reinterpret_cast<Bytef*>(input_.data());
        stream_.avail_in = static_cast<uInt>(input_size_);
      }
      if (!in_member_) {
        // gzip -c a b > ab and `cat a.gz b.gz` make files of several members; read them all, as gzip -d does.
        if (inflateReset(&stream_) != Z_OK) corrupt("cannot restart the decoder");
        in_member_ = true;
      }
      const int status = inflate(&stream_, Z_NO_FLUSH);
      if (status == Z_STREAM_END) {
        in_member_ = false;
      } else if (status != Z_OK && status != Z_BUF_ERROR) {
        corrupt(stream_.msg ? stream_.msg : "inflate error " + std::to_string(status));
      }
    }
    return capacity - stream_.avail_out;
  }

 private:
  z_stream stream_;
  bool in_member_ = false;
};
#endif

#ifdef W2VFAST_HAVE_BZIP2
class Bzip2Source : public CompressedSource {
 public:
  explicit Bzip2Source(const std::string& path) : CompressedSource(path, "bzip2") {
    std::memset(&stream_, 0, sizeof stream_);
  }
  ~Bzip2Source() override {
    if (in_stream_) BZ2_bzDecompressEnd(&stream_);
  }

  size_t read(char* out, size_t capacity) override {
    stream_.next_out = out;
    stream_.avail_out = static_cast<unsigned>(capacity);
    while (stream_.avail_out == capacity) {
      if (stream_.avail_in == 0) {
        if (refill() == 0) {
          if (in_stream_) truncated();
          break;
        }
        stream_.next_in = input_.data();
        stream_.avail_in = static_cast<unsigned>(input_size_);
      }
      if (!in_stream_) {
        // pbzip2 and `cat a.bz2 b.bz2` make files of several streams; read them all, as bzip2 -d does.
        if (BZ2_bzDecompressInit(&stream_, 0, 0) != BZ_OK) throw std::bad_alloc();
        in_stream_ = true;
      }
      const int status = BZ2_bzDecompress(&stream_);
      if (status == BZ_STREAM_END) {
        BZ2_bzDecompressEnd(&stream_);
        in_stream_ = false;
      } else if (status != BZ_OK) {
        corrupt("BZ2_bzDecompress error " + std::to_string(status));
      }
    }
    return capacity - stream_.avail_out;
  }

 private:
  bz_stream stream_;
  bool in_stream_ = false;
};
#endif

#ifdef W2VFAST_HAVE_LZMA
class XzSource : public CompressedSource {
 public:
  explicit XzSource(const std::string& path) : CompressedSource(path, "xz") {
    // LZMA_CONCATENATED reads every stream of the file, as xz -d does.
    if (lzma_stream_decoder(&stream_, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) throw std::bad_alloc();
  }
  ~XzSource() override { lzma_end(&stream_); }

  size_t read(char* out, size_t capacity) override {
    stream_.next_out = reinterpret_cast<uint8_t*>(out);
    stream_.avail_out = capacity;
    while (stream_.avail_out == capacity && !finished_) {
      lzma_action action = LZMA_RUN;
      if (stream_.avail_in == 0) {
        if (refill() == 0) {
          action = LZMA_FINISH;
        } else {
          stream_.next_in = reinterpret_cast<const uint8_t*>(input_.data());
          stream_.avail_in = input_size_;
        }
      }
      const lzma_ret status = lzma_code(&stream_, action);
      if (status == LZMA_STREAM_END) {
        finished_ = true;
      } else if (status == LZMA_BUF_ERROR && action == LZMA_FINISH) {
        truncated();
      } else if (status != LZMA_OK) {
        corrupt(status == LZMA_DATA_ERROR ? "the data is damaged" : "lzma_code error " + std::to_string(status));
      }
    }
    return capacity - stream_.avail_out;
  }

 private:
  lzma_stream stream_ = LZMA_STREAM_INIT;
  bool finished_ = false;
};
#endif

}  // namespace

Compression detect_compression(const std::string& path) {
  File file(path);
  unsigned char magic[6] = {0};
  const size_t got = file.read(reinterpret_cast<char*>(magic), sizeof magic);
  if (got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return Compression::kGzip;
  if (got >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') return Compression::kBzip2;
  static const unsigned char kXzMagic[6] = {0xfd, '7', 'z', 'X', 'Z', 0x00};
  if (got == 6 && std::memcmp(magic, kXzMagic, 6) == 0) return Compression::kXz;
  return Compression::kNone;
}

const char* compression_name(Compression compression) {
  switch (compression) {
    case Compression::kGzip: return "gzip";
    case Compression::kBzip2: return "bzip2";
    case Compression::kXz: return "xz";
    case Compression::kNone: break;
  }
  return "plain";
}

bool can_decompress(Compression compression) {
  switch (compression) {
    case Compression::kNone: return true;
#ifdef W2VFAST_HAVE_ZLIB
    case Compression::kGzip: return true;
#endif
#ifdef W2VFAST_HAVE_BZIP2
    case Compression::kBzip2: return true;
#endif
#ifdef W2VFAST_HAVE_LZMA
    case Compression::kXz: return true;
#endif
    default: return false;
  }
}

std::unique_ptr<ByteSource> open_decompressed(const std::string& path, Compression compression) {
  switch (compression) {
    case Compression::kNone: return std::make_unique<PlainSource>(path);
#ifdef W2VFAST_HAVE_ZLIB
    case Compression::kGzip: return std::make_unique<GzipSource>(path);
#endif
#ifdef W2VFAST_HAVE_BZIP2
    case Compression::kBzip2: return std::make_unique<Bzip2Source>(path);
#endif
#ifdef W2VFAST_HAVE_LZMA
    case Compression::kXz: return std::make_unique<XzSource>(path);
#endif
    default: break;
  }
  throw IoError("corpus file '" + path + "' is " + compression_name(compression) +
                "-compressed, but this build of w2vfast was made without " + compression_name(compression) +
                " support: decompress the file first");
}

}  // namespace w2v
