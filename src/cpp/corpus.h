// Reading corpora: whitespace tokenisation of text files split into per-thread byte ranges, and id-array corpora.
#pragma once

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "vocab.h"

namespace w2v {

// An I/O failure (missing, unreadable or vanished file). The binding maps it to Python's OSError.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Sentences longer than this are trained as consecutive chunks of this many words (gensim's MAX_WORDS_IN_BATCH).
constexpr size_t kMaxSentenceWords = 10000;

// Reads the tokens of the lines that *start* inside [begin, end) of a file: a line belongs to the range holding its
// first byte, so ranges that tile a file visit every line exactly once, whatever the number of ranges.
// Tokens are maximal runs of bytes other than ASCII whitespace (space, \t, \n, \v, \f, \r); bytes are not decoded,
// so any encoding passes through. A token longer than kMaxTokenBytes is cut into pieces of that size.
class TokenReader {
 public:
  enum Event { kToken, kEndOfLine, kEndOfRange };
  static constexpr size_t kMaxTokenBytes = 1 << 16;

  TokenReader(const std::string& path, uint64_t begin, uint64_t end);
  ~TokenReader();
  TokenReader(const TokenReader&) = delete;
  TokenReader& operator=(const TokenReader&) = delete;

  // The next token (valid until the following call), or the end of a line, or the end of this reader's range.
  Event next(std::string_view* token);

 private:
  bool refill();  // moves any partial token to the buffer's front and reads more; false at end of file
  int peek_byte();

  std::FILE* file_ = nullptr;
  std::string path_;
  uint64_t end_;
  uint64_t offset_;            // file offset of buffer_[position_]
  bool in_our_line_ = false;   // the current line started inside [begin, end)
  bool done_ = false;          // a line starting at or after `end`, or the end of the file, was reached
  std::vector<char> buffer_;
  size_t position_ = 0, filled_ = 0;
};

uint64_t file_size(const std::string& path);

// Byte range [begin, end) of part `part` of `parts` of a file of `size` bytes.
inline std::pair<uint64_t, uint64_t> byte_range(uint64_t size, unsigned part, unsigned parts) {
  return {size * part / parts, size * (part + 1) / parts};
}

// Counts the words of text files on `workers` threads (each its byte range of every file), merged in file order so
// that first-occurrence order is the same as a single pass.
VocabCounter count_words(const std::vector<std::string>& paths, unsigned workers, uint64_t max_vocab_size);

// A corpus already turned into word ids: sentence s is tokens[offsets[s] .. offsets[s+1]). The arrays belong to
// the caller and must outlive training.
struct IdCorpus {
  const int32_t* tokens = nullptr;
  const int64_t* offsets = nullptr;
  size_t sentence_count = 0;
};

}  // namespace w2v
