// Reading corpora: text files (plain ones in byte ranges that threads read in parallel, compressed ones as blocks of
// whole lines), sentences of word ids held in arrays, and counting the words of text files.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "decompress.h"
#include "file.h"
#include "vocab.h"

namespace w2v {

// Sentences longer than this are trained as consecutive chunks of this many words (gensim's MAX_WORDS_IN_BATCH).
constexpr size_t kMaxSentenceWords = 10000;

// ------------------------------------------------------------------------------------------------ text files

// The files of a text corpus in the order given, each with how it is read: a plain file by byte ranges, which
// threads read in parallel; a compressed one decompressed from its start (decompress.h).
struct CorpusFile {
  std::string path;
  Compression compression;
  uint64_t size;  // bytes, for plain files
};

// Throws IoError for a file that cannot be opened, or whose compression this build cannot read.
std::vector<CorpusFile> open_corpus_files(const std::vector<std::string>& paths);

inline bool is_ascii_space(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

// Byte range [begin, end) of part `part` of `parts` of `size` bytes (or of the tokens of an id corpus).
inline std::pair<uint64_t, uint64_t> byte_range(uint64_t size, unsigned part, unsigned parts) {
  return {size * part / parts, size * (part + 1) / parts};
}

// Reads the tokens of the lines that *start* inside [begin, end) of a file: a line belongs to the range holding its
// first byte, so ranges that tile a file visit every line exactly once, whatever the number of ranges.
// Tokens are maximal runs of bytes other than ASCII whitespace (space, \t, \n, \v, \f, \r); bytes are not decoded,
// so any encoding passes through. A token longer than kMaxTokenBytes is cut into pieces of that size.
class TokenReader {
 public:
  enum Event { kToken, kEndOfLine, kEndOfRange };
  static constexpr size_t kMaxTokenBytes = 1 << 16;

  TokenReader(const std::string& path, uint64_t begin, uint64_t end);

  // The next token (valid until the following call), or the end of a line, or the end of this reader's range.
  Event next(std::string_view* token);

 private:
  bool refill();  // moves any partial token to the buffer's front and reads more; false at end of file
  int peek_byte();

  File file_;
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

// The two ways to tokenise text, which give the same tokens and lines: on_token(std::string_view) for each token,
// on_line_end() at the end of each line (empty lines included, and a last line without its newline if it has
// tokens). on_line_end returns false to stop reading.
//
// The lines that start in [begin, end) of a plain file:
template <typename OnToken, typename OnLineEnd>
void tokenize_file_range(const std::string& path, uint64_t begin, uint64_t end, OnToken&& on_token,
                         OnLineEnd&& on_line_end) {
  TokenReader reader(path, begin, end);
  std::string_view token;
  bool line_has_tokens = false;
  for (;;) {
    const TokenReader::Event event = reader.next(&token);
    if (event == TokenReader::kToken) {
      on_token(token);
      line_has_tokens = true;
    } else if (event == TokenReader::kEndOfLine) {
      line_has_tokens = false;
      if (!on_line_end()) return;
    } else {
      if (line_has_tokens) on_line_end();
      return;
    }
  }
}

// Text held in memory (a block of decompressed lines):
template <typename OnToken, typename OnLineEnd>
void tokenize_lines(std::string_view text, OnToken&& on_token, OnLineEnd&& on_line_end) {
  const size_t size = text.size();
  bool line_has_tokens = false;
  for (size_t i = 0; i < size;) {
    const char c = text[i];
    if (is_ascii_space(c)) {
      ++i;
      if (c == '\n') {
        line_has_tokens = false;
        if (!on_line_end()) return;
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

// Decompresses a file into blocks of whole lines and hands each to emit(std::string&&), which returns false to stop
// (a consumer that went away). This is the producer of every compressed corpus, on a thread of its own.
void read_line_blocks(const CorpusFile& file, const std::function<bool(std::string&&)>& emit);

// Counts the words of text files: plain files on `workers` threads (each its byte range), compressed ones as they are
// decompressed on a reader thread. Counts merge in file order, so first-occurrence order is that of a single pass.
WordCounts count_words(const std::vector<std::string>& paths, unsigned workers, uint64_t max_vocab_size);

// The word ids of plain files' chunks as the first pass of a train() call read them, for its later passes to replay
// instead of tokenising the text and looking every token up again (a sixth of CBOW's time, a tenth of hierarchical
// softmax's). At most `max_bytes` of ids are kept, in blocks of kBlockIds taken from that budget as a chunk is read,
// so the budget holds whatever the corpus (no array doubles and copies itself); a chunk that runs out of it is
// dropped and read as text in every pass. Passes cut the files into chunks the same way as long as the files and the
// number of workers stay the same; a pass whose chunks differ (use_layout) starts the cache again. Each chunk is
// recorded by the one worker that reads it, and replayed only by later passes, so the cache needs no lock beyond its
// byte budget.
class ChunkIdCache {
 public:
  static constexpr size_t kBlockIds = 16384;  // 64 KiB
  static constexpr int32_t kLineEnd = -2;     // in a chunk's ids, the end of a line with tokens (-1 is a word
                                              // outside the vocabulary)

  // A chunk's ids and line ends, in reading order: blocks of kBlockIds ids, the last one partly filled.
  struct Chunk {
    std::vector<std::unique_ptr<int32_t[]>> blocks;
    size_t size = 0;  // ids in all
    bool complete = false;

    int32_t at(size_t i) const { return blocks[i / kBlockIds][i % kBlockIds]; }
  };

  // Records the tokens of one chunk as a worker reads them; finish() keeps them if the chunk was read to its end.
  // Recording stops, and nothing is kept, once the cache's budget cannot hold the chunk.
  class Recording {
   public:
    Recording() = default;  // records nothing
    Recording(ChunkIdCache* cache, Chunk* chunk) : cache_(cache), chunk_(chunk) {}
    Recording(Recording&& other) noexcept { *this = std::move(other); }
    Recording& operator=(Recording&& other) noexcept;
    ~Recording() { abandon(); }

    void add(int32_t id) {
      if (!chunk_) return;
      if (chunk_->size == chunk_->blocks.size() * kBlockIds && !add_block()) return;
      chunk_->blocks.back()[chunk_->size++ % kBlockIds] = id;
    }
    // The end of a line: recorded when the line had tokens (something other than a line end was recorded last).
    void end_line() {
      if (chunk_ && chunk_->size > 0 && chunk_->at(chunk_->size - 1) != kLineEnd) add(kLineEnd);
    }
    void finish();  // the chunk was read to its end

   private:
    bool add_block();  // false (and nothing kept) when the budget is spent
    void abandon();    // drops what was recorded and gives its bytes back

    ChunkIdCache* cache_ = nullptr;
    Chunk* chunk_ = nullptr;
  };

  explicit ChunkIdCache(uint64_t max_bytes) : max_bytes_(max_bytes) {}

  // Before a pass: the end of each plain file's chunks (TrainingPass's numbering). Keeps the cache when they are the
  // same as the last pass's, else empties it.
  void use_layout(const std::vector<uint64_t>& chunk_ends);
  // The ids of chunk `chunk`, read to its end by an earlier pass, or nullptr.
  const Chunk* complete_chunk(uint64_t chunk) const {
    return chunk < chunks_.size() && chunks_[chunk].complete ? &chunks_[chunk] : nullptr;
  }
  // Starts recording chunk `chunk`; records nothing when it is not a plain file's chunk or is already kept.
  Recording record(uint64_t chunk);
  uint64_t bytes_used() const { return used_.load(std::memory_order_relaxed); }

 private:
  bool take(uint64_t bytes);
  void give_back(uint64_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

  uint64_t max_bytes_;
  std::atomic<uint64_t> used_{0};
  std::vector<uint64_t> layout_;
  std::vector<Chunk> chunks_;
};

// Calls on_word(int32_t id) for each id of a kept chunk and on_line_end() at the end of each line with tokens, which
// returns false to stop: what reading the chunk's text calls, in the same order.
template <typename OnWord, typename OnLineEnd>
void replay_chunk(const ChunkIdCache::Chunk& chunk, OnWord&& on_word, OnLineEnd&& on_line_end) {
  for (size_t i = 0; i < chunk.size; ++i) {
    const int32_t id = chunk.at(i);
    if (id != ChunkIdCache::kLineEnd) {
      on_word(id);
    } else if (!on_line_end()) {
      return;
    }
  }
}

// ------------------------------------------------------------------------------------------------ id corpora

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

  // The sentences [first, last) whose first token lies in part `part` of `parts` of the tokens: parts that tile the
  // tokens visit every sentence exactly once.
  std::pair<size_t, size_t> sentences_of_part(unsigned part, unsigned parts) const {
    const auto range = byte_range(token_count(), part, parts);
    const int64_t* end = offsets + sentence_count;
    return {static_cast<size_t>(std::lower_bound(offsets, end, static_cast<int64_t>(range.first)) - offsets),
            static_cast<size_t>(std::lower_bound(offsets, end, static_cast<int64_t>(range.second)) - offsets)};
  }
};

// Calls on_word(int32_t id) for each token of sentences [first, last) of an id array and on_sentence_end() after
// each sentence, which returns false to stop. Ids are mapped through `id_map` (of `id_map_size` entries) when it is
// given, and must then index it; without one they must be vocabulary ids below `vocab_size`, or -1 for a word
// outside the vocabulary. Throws invalid_argument naming the first id that is neither.
template <typename Token, typename OnWord, typename OnSentenceEnd>
void read_id_sentences(const Token* tokens, const int64_t* offsets, size_t first, size_t last, const int32_t* id_map,
                       size_t id_map_size, size_t vocab_size, OnWord&& on_word, OnSentenceEnd&& on_sentence_end) {
  const size_t limit = id_map ? id_map_size : vocab_size;
  for (size_t s = first; s < last; ++s) {
    for (int64_t t = offsets[s]; t < offsets[s + 1]; ++t) {
      const Token value = tokens[t];
      if (value < 0 ? value != -1 || id_map : static_cast<uint64_t>(value) >= limit)
        throw std::invalid_argument("word id " + std::to_string(value) + " at position " + std::to_string(t) +
                                    " is outside the vocabulary of " + std::to_string(limit) + " words");
      on_word(id_map ? id_map[value] : static_cast<int32_t>(value));
    }
    if (!on_sentence_end()) return;
  }
}

}  // namespace w2v
