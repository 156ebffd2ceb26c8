#include "corpus.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <memory>

#include "parallel.h"

namespace w2v {
namespace {

// What a TokenReader for [begin, end) reads at a time: up to a megabyte, or its whole range and a few pages past its
// end (where its last line ends) when that is less.
constexpr size_t kReadBytes = 1 << 20;
constexpr size_t kReadPastEnd = 16 << 10;

size_t read_size(uint64_t begin, uint64_t end) {
  return static_cast<size_t>(std::min<uint64_t>(kReadBytes, (end > begin ? end - begin : 0) + kReadPastEnd));
}

int seek(std::FILE* file, uint64_t offset) {
#ifdef _WIN32
  return _fseeki64(file, static_cast<long long>(offset), SEEK_SET);
#else
  return fseeko(file, static_cast<off_t>(offset), SEEK_SET);
#endif
}

std::string describe_errno(const std::string& what, const std::string& path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

}  // namespace

uint64_t file_size(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw IoError(describe_errno("cannot open corpus file", path));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(file, std::fclose);
#ifdef _WIN32
  if (_fseeki64(file, 0, SEEK_END) != 0) throw IoError(describe_errno("cannot seek in corpus file", path));
  const long long size = _ftelli64(file);
#else
  if (fseeko(file, 0, SEEK_END) != 0) throw IoError(describe_errno("cannot seek in corpus file", path));
  const off_t size = ftello(file);
#endif
  if (size < 0) throw IoError(describe_errno("cannot measure corpus file", path));
  return static_cast<uint64_t>(size);
}

TokenReader::TokenReader(const std::string& path, uint64_t begin, uint64_t end)
    : path_(path),
      end_(end),
      offset_(begin),
      capacity_(read_size(begin, end) + kMaxTokenBytes),
      buffer_(new char[capacity_]) {
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw IoError(describe_errno("cannot open corpus file", path));
  if (begin == 0) {
    in_our_line_ = begin < end;
    done_ = !in_our_line_;
    return;
  }
  // A range that starts mid-line leaves that line to the previous range: look at the byte before `begin`.
  if (seek(file_, begin - 1) != 0) {
    std::fclose(file_);
    throw IoError(describe_errno("cannot seek in corpus file", path));
  }
  offset_ = begin - 1;
  const int before = peek_byte();
  if (before == EOF) {
    done_ = true;
    return;
  }
  ++position_;
  ++offset_;
  in_our_line_ = before == '\n' && begin < end;
  done_ = before == '\n' && begin >= end;
}

TokenReader::~TokenReader() {
  if (file_) std::fclose(file_);
}

bool TokenReader::refill() {
  // Keeps the partial token in [position_, filled_) by moving it to the front, then appends what the file has.
  const size_t keep = filled_ - position_;
  if (keep && position_) std::memmove(buffer_.get(), buffer_.get() + position_, keep);
  position_ = 0;
  filled_ = keep;
  const size_t got = std::fread(buffer_.get() + filled_, 1, capacity_ - filled_, file_);
  if (got == 0 && std::ferror(file_)) throw IoError(describe_errno("error reading corpus file", path_));
  filled_ += got;
  return got > 0;
}

int TokenReader::peek_byte() {
  if (position_ == filled_ && !refill()) return EOF;
  return static_cast<unsigned char>(buffer_[position_]);
}

TokenReader::Event TokenReader::next(std::string_view* token) {
  while (!done_) {
    const int c = peek_byte();
    if (c == EOF) {
      done_ = true;
      break;
    }
    if (is_ascii_space(static_cast<char>(c))) {
      ++position_;
      ++offset_;
      if (c != '\n') continue;
      // The line that starts after this newline is ours only if it starts before the end of the range.
      const bool ended_ours = in_our_line_;
      in_our_line_ = offset_ < end_;
      done_ = !in_our_line_;
      if (ended_ours) return kEndOfLine;
      continue;
    }
    // A token: the buffer has kMaxTokenBytes of room past a full read, so one compaction always makes it fit.
    size_t length = 1;
    for (;;) {
      if (position_ + length == filled_ && !refill()) break;  // the end of the file ends the token
      if (length == kMaxTokenBytes || is_ascii_space(buffer_[position_ + length])) break;
      ++length;
    }
    const char* data = buffer_.get() + position_;
    position_ += length;
    offset_ += length;
    if (in_our_line_) {
      *token = std::string_view(data, length);
      return kToken;
    }
  }
  return kEndOfRange;
}

bool LineBlockReader::next(std::string* block) {
  block->clear();
  block->swap(pending_);
  for (;;) {
    // Cut after the last newline once there is a block's worth of bytes, or at the end of the data.
    if (block->size() >= kBlockBytes || exhausted_) {
      size_t cut = block->rfind('\n');
      cut = cut == std::string::npos ? 0 : cut + 1;
      if (cut == 0 && block->size() >= kMaxBlockBytes) {
        // One line longer than the largest block: split it after its last space, or anywhere if it has none.
        cut = block->size();
        for (size_t i = block->size(); i > 0; --i)
          if (is_ascii_space((*block)[i - 1])) {
            cut = i;
            break;
          }
      }
      if (exhausted_) cut = block->size();
      if (cut > 0) {
        pending_.assign(*block, cut, std::string::npos);
        block->resize(cut);
        return true;
      }
      if (exhausted_) return false;
    }
    const size_t old_size = block->size();
    block->resize(old_size + kBlockBytes);
    const size_t got = source_->read(&(*block)[old_size], kBlockBytes);
    block->resize(old_size + got);
    if (got == 0) exhausted_ = true;
  }
}

namespace {

// Counts one plain file on `workers` threads, each its byte range.
void count_plain_file(const std::string& path, unsigned workers, VocabCounter* total) {
  const uint64_t size = file_size(path);
  std::vector<VocabCounter> partial;
  partial.reserve(workers);
  for (unsigned part = 0; part < workers; ++part) partial.emplace_back(total->max_vocab_size());
  run_parallel(workers, [&](unsigned part) {
    const auto range = byte_range(size, part, workers);
    TokenReader reader(path, range.first, range.second);
    VocabCounter& counter = partial[part];
    std::string_view token;
    uint64_t tokens = 0;
    uint64_t lines = 0;
    bool line_open = false;  // tokens seen since the last end of line: a last line may lack its newline
    for (TokenReader::Event event; (event = reader.next(&token)) != TokenReader::kEndOfRange;) {
      if (event == TokenReader::kToken) {
        counter.add(token);
        ++tokens;
        line_open = true;
      } else {
        ++lines;
        line_open = false;
      }
    }
    counter.add_total_words(tokens);
    counter.add_total_sentences(lines + (line_open ? 1 : 0));
  });
  for (const VocabCounter& counter : partial) total->merge(counter);
}

// Counts a compressed file: one thread decompresses into blocks of lines while this one counts them, in order.
void count_compressed_file(const std::string& path, Compression compression, VocabCounter* total) {
  LineBlockReader reader(open_decompressed(path, compression));
  BoundedQueue<std::string> blocks(4);
  blocks.add_producer();
  WorkerGroup group;
  group.on_stop([&] { blocks.cancel(); });
  group.start(2, [&](unsigned role) {
    if (role == 0) {
      std::string block;
      while (!group.stopping() && reader.next(&block)) {
        while (!blocks.push(std::move(block), std::chrono::milliseconds(50)))
          if (group.stopping()) return;
      }
      blocks.producer_done();
      return;
    }
    uint64_t tokens = 0, lines = 0;
    for (std::string block; blocks.pop(&block);) {
      tokenize_lines(
          block,
          [&](std::string_view token) {
            total->add(token);
            ++tokens;
          },
          [&] { ++lines; });
    }
    total->add_total_words(tokens);
    total->add_total_sentences(lines);
  });
  group.wait();
}

}  // namespace

VocabCounter count_words(const std::vector<std::string>& paths, unsigned workers, uint64_t max_vocab_size) {
  if (workers == 0) workers = 1;
  VocabCounter total(max_vocab_size);
  for (const std::string& path : paths) {
    const Compression compression = detect_compression(path);
    if (compression == Compression::kNone) {
      count_plain_file(path, workers, &total);
    } else {
      count_compressed_file(path, compression, &total);
    }
  }
  return total;
}

}  // namespace w2v
