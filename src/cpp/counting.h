// Counting the tokens of text files on all cores into a VocabCounter. What a token counts as is the sink's business:
// a word of the vocabulary (count_words), or a word and the phrase candidate it closes (phrase_counts.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "corpus.h"
#include "parallel.h"
#include "vocab.h"

namespace w2v {

// Counts each token as a word, and the tokens and lines read. It prunes as word2vec.c prunes a file, as soon as a new
// word overfills the table, or as gensim prunes a Python iterable's vocabulary, after each sentence.
struct WordCountingSink {
  enum class PruneCheck { kAfterEachWord, kAfterEachSentence };

  VocabCounter& counter;
  PruneCheck check;
  uint64_t tokens = 0, lines = 0;

  void token(std::string_view word) {
    if (check == PruneCheck::kAfterEachWord) {
      counter.add(word);
    } else {
      counter.count(word);
    }
    ++tokens;
  }
  bool line_end() {
    if (check == PruneCheck::kAfterEachSentence) counter.end_sentence();
    ++lines;
    return true;
  }
  void finish() {
    counter.add_total_words(tokens);
    counter.add_total_sentences(lines);
  }
};

// Counts text files into `total`. Each thread gets a sink made by make_sink(VocabCounter&), which it feeds with
// token(std::string_view) for each token, line_end() at the end of each line and finish() at the end of its share.
// A plain file is read on `workers` threads, each its byte range into a counter of its own (total->empty_like());
// the counters are merged in file order, so first-occurrence order is that of a single pass, and so are the counts
// unless pruning happened (each range then pruned on its own, and the merge prunes again). A compressed file is
// decompressed on one thread while another counts its blocks straight into `total`, in order.
template <typename MakeSink>
void count_text_files(const std::vector<std::string>& paths, unsigned workers, VocabCounter* total,
                      MakeSink&& make_sink) {
  if (workers == 0) workers = 1;
  for (const CorpusFile& file : open_corpus_files(paths)) {
    if (file.compression == Compression::kNone) {
      std::vector<VocabCounter> partial;
      partial.reserve(workers);
      for (unsigned part = 0; part < workers; ++part) partial.push_back(total->empty_like());
      run_parallel(workers, [&](unsigned part) {
        const auto range = byte_range(file.size, part, workers);
        auto sink = make_sink(partial[part]);
        tokenize_file_range(
            file.path, range.first, range.second, [&](std::string_view word) { sink.token(word); },
            [&] { return sink.line_end(); });
        sink.finish();
      });
      for (VocabCounter& counter : partial) total->merge(std::move(counter));
      continue;
    }
    BoundedQueue<std::string> blocks(4);
    blocks.add_producer();
    WorkerGroup group;
    group.on_stop([&] { blocks.cancel(); });
    group.start(2, [&](unsigned role) {
      if (role == 0) {
        read_line_blocks(file, [&](std::string&& block) { return blocks.push(std::move(block)); });
        blocks.producer_done();
        return;
      }
      auto sink = make_sink(*total);
      for (std::string block; blocks.pop(&block);)
        tokenize_lines(block, [&](std::string_view word) { sink.token(word); }, [&] { return sink.line_end(); });
      sink.finish();
    });
    group.wait();
  }
}

}  // namespace w2v
