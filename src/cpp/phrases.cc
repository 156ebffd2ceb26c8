#include "phrases.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "corpus.h"
#include "file.h"
#include "parallel.h"

namespace w2v {

// ------------------------------------------------------------------------------------------------ scoring

double phrase_score(const PhraseScoring& scoring, const CandidateCounts& counts) {
  const double a = static_cast<double>(counts.word_a), b = static_cast<double>(counts.word_b);
  const double bigram = static_cast<double>(counts.bigram);
  const double min_count = scoring.min_count;
  switch (scoring.scorer) {
    case PhraseScorer::kDefault:
      // gensim's original_scorer, after Mikolov et al. 2013: (bigram - min_count) / (a * b) * len_vocab, evaluated
      // as Python evaluates it (each count exact in a double, so each step rounds as Python's does).
      if (a * b == 0) return -std::numeric_limits<double>::infinity();
      return (bigram - min_count) / (a * b) * static_cast<double>(counts.len_vocab);
    case PhraseScorer::kNpmi: {
      // gensim's npmi_scorer (Bouma 2009): ln(p(a,b) / (p(a) p(b))) / -ln(p(a,b)), p(x) = count(x) / corpus words.
      if (bigram < min_count) return -std::numeric_limits<double>::infinity();
      const double words = static_cast<double>(counts.corpus_words);
      const double pa = a / words, pb = b / words, pab = bigram / words;
      return std::log(pab / (pa * pb)) / -std::log(pab);
    }
    case PhraseScorer::kWord2phrase: {
      // word2phrase.c, in its single precision: 0 when a or b is rarer than min_count, else
      // (pab - min_count) / pa / pb * train_words, train_words being every token of the corpus.
      if (a < min_count || b < min_count) return 0.0;
      const float excess = static_cast<float>(bigram - min_count);
      return excess / static_cast<float>(a) / static_cast<float>(b) * static_cast<float>(counts.corpus_words);
    }
    case PhraseScorer::kCustom:
      return scoring.custom(counts);
  }
  throw std::invalid_argument("unknown phrase scorer");
}

PhraseScores::PhraseScores(const std::vector<std::string>& phrases, const std::vector<double>& scores)
    : scores_(scores) {
  if (phrases.size() != scores.size()) throw std::invalid_argument("phrases and scores differ in length");
  for (size_t i = 0; i < phrases.size(); ++i)
    if (static_cast<size_t>(phrases_.insert(phrases[i])) != i)
      throw std::invalid_argument("phrase '" + phrases[i] + "' given twice");
}

void PhraseScores::set(std::string_view phrase, double score) {
  const auto id = static_cast<size_t>(phrases_.insert(phrase));
  if (id == scores_.size()) {
    scores_.push_back(score);
  } else {
    scores_[id] = score;
  }
}

// ------------------------------------------------------------------------------------------------ detecting

void PhraseDetector::append_phrased_line(const SentenceTokens& sentence, std::string* out) const {
  bool first = true;
  analyze(sentence, [&](size_t, size_t, std::string_view text, std::optional<double>) {
    if (!first) out->push_back(' ');
    out->append(text);
    first = false;
  });
  out->push_back('\n');
}

CountsPhraseDetector::CountsPhraseDetector(const PhraseCounts& counts, PhraseSyntax syntax, PhraseScoring scoring)
    : PhraseDetector(std::move(syntax)), counts_(counts), scoring_(std::move(scoring)) {
  // word2phrase.c compares its float score with a float threshold.
  if (scoring_.scorer == PhraseScorer::kWord2phrase) scoring_.threshold = static_cast<float>(scoring_.threshold);
  const PhraseScorer scorer = scoring_.scorer;
  if (scorer == PhraseScorer::kCustom || (scorer != PhraseScorer::kNpmi && scoring_.threshold < 0)) return;
  PhraseScores phrases;
  const VocabCounter& all = counts_.counter();
  for (size_t id = 0; id < all.size(); ++id) {
    if (static_cast<double>(all.counts()[id]) < scoring_.min_count) continue;
    const std::string_view key = all.table().word(static_cast<int32_t>(id));
    if (const std::optional<double> found = score_key(key)) phrases.set(key, *found);
  }
  phrases_ = std::move(phrases);
}

namespace {

// Where Python's key.split(delimiter) ends its first piece and starts its last (its matches, found left to right,
// never overlap); nullopt for a key without the delimiter.
std::optional<std::pair<size_t, size_t>> outer_pieces(std::string_view key, std::string_view delimiter) {
  const size_t first_end = key.find(delimiter);
  if (first_end == std::string_view::npos) return std::nullopt;
  size_t last_begin = first_end + delimiter.size();
  for (size_t match; (match = key.find(delimiter, last_begin)) != std::string_view::npos;)
    last_begin = match + delimiter.size();
  return std::make_pair(first_end, last_begin);
}

}  // namespace

std::optional<double> CountsPhraseDetector::score(std::string_view a, std::string_view b,
                                                  std::string_view joined) const {
  if (phrases_) {
    // When a and b are the outer pieces of `joined` (they hold no delimiter, nor end or start a match across it),
    // the table holds the candidate's score; otherwise it is scored from the counts, as gensim scores every one.
    const auto pieces = outer_pieces(joined, syntax().delimiter());
    if (pieces && pieces->first == a.size() && pieces->second == joined.size() - b.size())
      return phrases_->find(joined);
  }
  // gensim's Phrases.score_candidate: a word or candidate never counted makes no phrase, whatever the scorer.
  const uint64_t a_count = counts_.count(a);
  if (a_count == 0) return std::nullopt;
  const uint64_t b_count = counts_.count(b);
  if (b_count == 0) return std::nullopt;
  const uint64_t bigram_count = counts_.count(joined);
  if (bigram_count == 0) return std::nullopt;
  const double score =
      phrase_score(scoring_, {a_count, b_count, bigram_count, counts_.size(), counts_.total_words()});
  if (score <= scoring_.threshold) return std::nullopt;  // gensim's test, under which a NaN score is a phrase
  return score;
}

std::optional<double> CountsPhraseDetector::score_key(std::string_view key) const {
  const auto pieces = outer_pieces(key, syntax().delimiter());
  if (!pieces) return std::nullopt;  // a word, no candidate
  return score(key.substr(0, pieces->first), key.substr(pieces->second), key);
}

PhraseScores CountsPhraseDetector::export_phrases() const {
  PhraseScores phrases;
  if (phrases_) {
    for (size_t i = 0; i < phrases_->size(); ++i) phrases.set(phrases_->phrase(i), phrases_->scores()[i]);
    return phrases;
  }
  const WordTable& keys = counts_.counter().table();
  for (size_t id = 0; id < keys.size(); ++id) {
    const std::string_view key = keys.word(static_cast<int32_t>(id));
    if (const std::optional<double> found = score_key(key)) phrases.set(key, *found);
  }
  return phrases;
}

std::optional<double> FrozenPhraseDetector::score(std::string_view, std::string_view,
                                                  std::string_view joined) const {
  // gensim's FrozenPhrases.score_candidate: the table's score above the threshold (a missing phrase scores -inf).
  const std::optional<double> found = phrases_.find(joined);
  if (!found || !(*found > threshold_)) return std::nullopt;
  return found;
}

// ------------------------------------------------------------------------------------------------ text files

namespace {

// A plain file is phrased in pieces of about this many bytes: many more pieces than threads, so that threads that
// run at different speeds finish together, and each large enough that opening a reader for it costs nothing.
constexpr uint64_t kPieceBytes = 1 << 20;

// The lines of a piece of text (a byte range of a plain file, or a decompressed block), phrased.
struct PhrasedText {
  const PhraseDetector& detector;
  std::string text;
  SentenceTokens sentence;

  void token(std::string_view word) { sentence.add(word); }
  bool line_end() {
    detector.append_phrased_line(sentence, &text);
    sentence.clear();
    return true;
  }
};

std::string phrase_range(const PhraseDetector& detector, const CorpusFile& file, uint64_t piece, uint64_t pieces) {
  PhrasedText phrased{detector, {}, {}};
  const auto range = byte_range(file.size, piece, pieces);
  tokenize_file_range(
      file.path, range.first, range.second, [&](std::string_view word) { phrased.token(word); },
      [&] { return phrased.line_end(); });
  return std::move(phrased.text);
}

std::string phrase_block(const PhraseDetector& detector, std::string_view block) {
  PhrasedText phrased{detector, {}, {}};
  tokenize_lines(block, [&](std::string_view word) { phrased.token(word); }, [&] { return phrased.line_end(); });
  return std::move(phrased.text);
}

// Each file's pieces are numbered from 0 and written in order; a window of two pieces a thread bounds the text held
// in memory.
InOrder<std::string> in_order_to(OutputFile& out, unsigned workers) {
  return InOrder<std::string>(2 * workers, [&out](std::string&& text) { out.write(text); });
}

// Returns false if `poll` stopped it.
bool phrase_plain_file(const PhraseDetector& detector, const CorpusFile& file, unsigned workers, OutputFile& out,
                       const std::function<bool()>& poll) {
  const uint64_t pieces = std::max<uint64_t>(std::max(workers, 1u), (file.size + kPieceBytes - 1) / kPieceBytes);
  if (workers == 0) {
    for (uint64_t piece = 0; piece < pieces; ++piece) {
      out.write(phrase_range(detector, file, piece, pieces));
      if (poll && poll()) return false;
    }
    return true;
  }
  InOrder<std::string> in_order = in_order_to(out, workers);
  std::atomic<uint64_t> next_piece{0};
  bool stopped = false;
  WorkerGroup group;
  group.on_stop([&] { in_order.cancel(); });
  group.start(workers, [&](unsigned) {
    for (uint64_t piece; (piece = next_piece.fetch_add(1)) < pieces;) {
      if (!in_order.wait_turn(piece)) return;
      in_order.put(piece, phrase_range(detector, file, piece, pieces));
    }
  });
  group.wait([&] { return stopped = stopped || (poll && poll()); });
  return !stopped;
}

bool phrase_compressed_file(const PhraseDetector& detector, const CorpusFile& file, unsigned workers,
                            OutputFile& out, const std::function<bool()>& poll) {
  BoundedQueue<std::pair<uint64_t, std::string>> blocks(2 * std::max(workers, 1u));
  blocks.add_producer();
  InOrder<std::string> in_order = in_order_to(out, std::max(workers, 1u));
  bool stopped = false;
  WorkerGroup group;
  group.on_stop([&] {
    blocks.cancel();
    in_order.cancel();
  });
  group.start(workers + 1, [&](unsigned role) {
    if (role == 0) {
      uint64_t number = 0;
      read_line_blocks(file, [&](std::string&& block) { return blocks.push({number++, std::move(block)}); });
      blocks.producer_done();
      return;
    }
    for (std::pair<uint64_t, std::string> block; blocks.pop(&block);) {
      if (!in_order.wait_turn(block.first)) return;
      in_order.put(block.first, phrase_block(detector, block.second));
    }
  });
  if (workers == 0) {  // this thread phrases the blocks that the reader decompresses
    for (std::pair<uint64_t, std::string> block; !stopped && blocks.pop(&block);) {
      out.write(phrase_block(detector, block.second));
      stopped = poll && poll();
    }
    if (stopped) group.stop();
    group.wait();
  } else {
    group.wait([&] { return stopped = stopped || (poll && poll()); });
  }
  return !stopped;
}

}  // namespace

void phrase_text_files(const PhraseDetector& detector, const std::vector<std::string>& inputs,
                       const std::string& output, unsigned workers, const std::function<bool()>& poll) {
  const std::vector<CorpusFile> files = open_corpus_files(inputs);  // before the output exists
  OutputFile out(output);
  for (const CorpusFile& file : files) {
    const bool finished = file.compression == Compression::kNone
                              ? phrase_plain_file(detector, file, workers, out, poll)
                              : phrase_compressed_file(detector, file, workers, out, poll);
    if (!finished) return;
  }
  out.close();
}

}  // namespace w2v
