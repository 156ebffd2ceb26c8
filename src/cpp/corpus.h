// Reading corpora: whitespace tokenisation of text files split into per-thread byte ranges, and id-array corpora.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "decompress.h"
#include "errors.h"
#include "vocab.h"

namespace w2v {

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
  // Sized by the range, and not zeroed: training reads a file in many small chunks, and a megabyte zeroed and read
  // for each 64 KiB chunk cost 16 threads about a tenth of their speed.
  size_t capacity_;
  std::unique_ptr<char[]> buffer_;
  size_t position_ = 0, filled_ = 0;
};

uint64_t file_size(const std::string& path);

// Byte range [begin, end) of part `part` of `parts` of a file of `size` bytes.
inline std::pair<uint64_t, uint64_t> byte_range(uint64_t size, unsigned part, unsigned parts) {
  return {size * part / parts, size * (part + 1) / parts};
}

inline bool is_ascii_space(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

// Tokenises text held in memory exactly as TokenReader tokenises a file: calls on_token(std::string_view) for each
// token and on_line_end() at each newline, and once more at the end if the last line has tokens but no newline.
template <typename OnToken, typename OnLineEnd>
void tokenize_lines(std::string_view text, OnToken&& on_token, OnLineEnd&& on_line_end) {
  const size_t size = text.size();
  bool line_has_tokens = false;
  for (size_t i = 0; i < size;) {
    const char c = text[i];
    if (is_ascii_space(c)) {
      ++i;
      if (c == '\n') {
        on_line_end();
        line_has_tokens = false;
      }
      continue;
    }
    size_t length = 1;
    while (i + length < size && length < TokenReader::kMaxTokenBytes && !is_ascii_space(text[i + length])) ++length;
    on_token(text.substr(i, length));
    line_has_tokens = true;
    i += length;
  }
  if (line_has_tokens) on_line_end();
}

// Cuts a stream of bytes (a decompressed file) into blocks of whole lines, about kBlockBytes each, so that threads
// can tokenise blocks independently. A line longer than kMaxBlockBytes is split at a space, or at worst between two
// bytes: its words then train as two sentences, which memory bounds make unavoidable and which changes nothing for
// lines that long (they are trained in chunks of kMaxSentenceWords anyway).
class LineBlockReader {
 public:
  static constexpr size_t kBlockBytes = 1 << 20;
  static constexpr size_t kMaxBlockBytes = 4 << 20;

  explicit LineBlockReader(std::unique_ptr<ByteSource> source) : source_(std::move(source)) {}
  // The next block (lines ending in '\n', except perhaps the last block of the data); false at the end.
  bool next(std::string* block);

 private:
  std::unique_ptr<ByteSource> source_;
  std::string pending_;  // bytes read past the end of the last block returned
  bool exhausted_ = false;
};

// Counts the words of text files: plain files on `workers` threads (each its byte range), compressed ones as they are
// decompressed on a reader thread. Counts merge in file order, so first-occurrence order is that of a single pass.
VocabCounter count_words(const std::vector<std::string>& paths, unsigned workers, uint64_t max_vocab_size);

// A corpus already turned into word ids: sentence s is tokens[offsets[s] .. offsets[s+1]). Token values index
// `id_map` when it is given (the caller's own numbering, mapped to vocabulary ids), else the vocabulary itself; a
// (mapped) id of -1 is a word outside the vocabulary, skipped as text files skip unknown words. Exactly one of
// tokens32 and tokens64 is set. The arrays belong to the caller and must outlive training.
struct IdCorpus {
  const int32_t* tokens32 = nullptr;
  const int64_t* tokens64 = nullptr;
  const int64_t* offsets = nullptr;
  size_t sentence_count = 0;
  const int32_t* id_map = nullptr;
  size_t id_map_size = 0;

  bool empty() const { return sentence_count == 0; }
  uint64_t token_count() const { return sentence_count ? static_cast<uint64_t>(offsets[sentence_count]) : 0; }
};

}  // namespace w2v
