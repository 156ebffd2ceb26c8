#include "corpus.h"

#include <cstring>
#include <utility>

#include "counting.h"
#include "errors.h"

namespace w2v {
namespace {

// What a TokenReader for [begin, end) reads at a time: up to a megabyte, or its whole range and a few pages past its
// end (where its last line ends) when that is less.
constexpr size_t kReadBytes = 1 << 20;
constexpr size_t kReadPastEnd = 16 << 10;

size_t read_size(uint64_t begin, uint64_t end) {
  return static_cast<size_t>(std::min<uint64_t>(kReadBytes, (end > begin ? end - begin : 0) + kReadPastEnd));
}

}  // namespace

std::vector<CorpusFile> open_corpus_files(const std::vector<std::string>& paths) {
  std::vector<CorpusFile> files;
  for (const std::string& path : paths) {
    const Compression compression = detect_compression(path);
    if (!can_decompress(compression)) open_decompressed(path, compression);  // throws the explanation
    files.push_back(CorpusFile{path, compression, compression == Compression::kNone ? file_size(path) : 0});
  }
  return files;
}

TokenReader::TokenReader(const std::string& path, uint64_t begin, uint64_t end)
    : file_(path), end_(end), offset_(begin), capacity_(read_size(begin, end) + kMaxTokenBytes),
      buffer_(new char[capacity_]) {
  if (begin == 0) {
    in_our_line_ = begin < end;
    done_ = !in_our_line_;
    return;
  }
  // A range that starts mid-line leaves that line to the previous range: look at the byte before `begin`.
  file_.seek(begin - 1);
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

bool TokenReader::refill() {
  // Keeps the partial token in [position_, filled_) by moving it to the front, then appends what the file has.
  const size_t keep = filled_ - position_;
  if (keep && position_) std::memmove(buffer_.get(), buffer_.get() + position_, keep);
  position_ = 0;
  filled_ = keep;
  const size_t got = file_.read(buffer_.get() + filled_, capacity_ - filled_);
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

void read_line_blocks(const CorpusFile& file, const std::function<bool(std::string&&)>& emit) {
  LineBlockReader reader(open_decompressed(file.path, file.compression));
  for (std::string block; reader.next(&block);)
    if (!emit(std::move(block))) return;
}

WordCounts count_words(const std::vector<std::string>& paths, unsigned workers, uint64_t max_vocab_size) {
  VocabCounter total(max_vocab_size);
  count_text_files(paths, workers, &total, [](VocabCounter& counter) {
    return WordCountingSink{counter, WordCountingSink::PruneCheck::kAfterEachWord};
  });
  return total.result();
}

// ------------------------------------------------------------------------------------------------ ChunkIdCache

namespace {
constexpr uint64_t kBlockBytes = ChunkIdCache::kBlockIds * sizeof(int32_t);
}  // namespace

ChunkIdCache::Recording& ChunkIdCache::Recording::operator=(Recording&& other) noexcept {
  if (this != &other) {
    abandon();
    cache_ = std::exchange(other.cache_, nullptr);
    chunk_ = std::exchange(other.chunk_, nullptr);
  }
  return *this;
}

bool ChunkIdCache::Recording::add_block() {
  if (!cache_->take(kBlockBytes)) {
    abandon();
    return false;
  }
  chunk_->blocks.emplace_back(new int32_t[kBlockIds]);
  return true;
}

void ChunkIdCache::Recording::finish() {
  if (!chunk_) return;
  end_line();
  if (chunk_) chunk_->complete = true;  // end_line() may have run out of budget and dropped the chunk
  chunk_ = nullptr;
  cache_ = nullptr;
}

void ChunkIdCache::Recording::abandon() {
  if (!chunk_) return;
  cache_->give_back(chunk_->blocks.size() * kBlockBytes);
  chunk_->blocks.clear();
  chunk_->size = 0;
  chunk_ = nullptr;
  cache_ = nullptr;
}

void ChunkIdCache::use_layout(const std::vector<uint64_t>& chunk_ends) {
  if (chunk_ends == layout_) return;
  layout_ = chunk_ends;
  chunks_.clear();
  chunks_.resize(chunk_ends.empty() ? 0 : chunk_ends.back());
  used_.store(0, std::memory_order_relaxed);
}

ChunkIdCache::Recording ChunkIdCache::record(uint64_t chunk) {
  if (chunk >= chunks_.size() || chunks_[chunk].complete) return Recording();
  return Recording(this, &chunks_[chunk]);
}

bool ChunkIdCache::take(uint64_t bytes) {
  uint64_t used = used_.load(std::memory_order_relaxed);
  do {
    if (used + bytes > max_bytes_) return false;
  } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
  return true;
}

}  // namespace w2v
