// Phrase detection ("new york" -> new_york) as gensim's Phrases does it: scoring a candidate from the counts of
// phrase_counts.h (or looking it up in a table of frozen phrases), and joining the phrases of a sentence, left to
// right, greedily; whole text files on all cores.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "phrase_counts.h"
#include "vocab.h"

namespace w2v {

// ------------------------------------------------------------------------------------------------ scoring

// What a scorer sees of a candidate "a connector* b": the counts of a, b and the joined candidate, the number of
// distinct entries counted (words and bigrams) and the corpus's words.
struct CandidateCounts {
  uint64_t word_a, word_b, bigram, len_vocab, corpus_words;
};

// gensim's original_scorer and npmi_scorer, word2phrase's scorer, or the caller's function.
enum class PhraseScorer { kDefault, kNpmi, kWord2phrase, kCustom };

struct PhraseScoring {
  PhraseScorer scorer;
  double min_count;
  double threshold;  // a candidate scoring above it is a phrase
  std::function<double(const CandidateCounts&)> custom;
};

double phrase_score(const PhraseScoring& scoring, const CandidateCounts& counts);

// Phrases with their scores in the order first found: gensim's export_phrases() and find_phrases() results, and
// FrozenPhrases' table. Setting a phrase again replaces its score, as a Python dict's assignment does.
class PhraseScores {
 public:
  PhraseScores() = default;
  PhraseScores(const std::vector<std::string>& phrases, const std::vector<double>& scores);

  void set(std::string_view phrase, double score);
  std::optional<double> find(std::string_view phrase) const {
    const int32_t id = phrases_.find(phrase);
    return id == WordTable::kMissing ? std::nullopt : std::optional<double>(scores_[id]);
  }
  size_t size() const { return scores_.size(); }
  std::string_view phrase(size_t i) const { return phrases_.word(static_cast<int32_t>(i)); }
  const std::vector<double>& scores() const { return scores_; }

 private:
  WordTable phrases_;
  std::vector<double> scores_;
};

// ------------------------------------------------------------------------------------------------ detecting

// Decides which candidates are phrases, and joins the phrases of sentences (gensim's _PhrasesTransformation).
class PhraseDetector {
 public:
  explicit PhraseDetector(PhraseSyntax syntax) : syntax_(std::move(syntax)) {}
  virtual ~PhraseDetector() = default;

  // The score of the candidate whose first word is a, last word b and tokens joined `joined`, if it is a phrase.
  virtual std::optional<double> score(std::string_view a, std::string_view b, std::string_view joined) const = 0;
  const PhraseSyntax& syntax() const { return syntax_; }

  // gensim's analyze_sentence: reading left to right, a non-connector word opens a candidate, connectors extend it
  // and the next non-connector word closes it; a phrase becomes one token, and its last word starts nothing; a
  // candidate that is no phrase leaves its first word and connectors as they were, and its last word opens the next
  // candidate. Calls emit(first, last, text, score) for each output token: tokens [first, last] of the sentence,
  // `text` joined, with the score of a phrase (nullopt for a single token). As in gensim, an empty token opens no
  // candidate (its `if start_token:`) and vanishes.
  template <typename Emit>
  void analyze(const SentenceTokens& sentence, Emit&& emit) const;

  // Appends the sentence, phrased, to `out` as a line of tokens separated by spaces.
  void append_phrased_line(const SentenceTokens& sentence, std::string* out) const;

 private:
  PhraseSyntax syntax_;
};

// gensim's Phrases: scores a candidate from the counts, which must outlive it and not change meanwhile (make a new
// detector after adding counts).
class CountsPhraseDetector : public PhraseDetector {
 public:
  CountsPhraseDetector(const PhraseCounts& counts, PhraseSyntax syntax, PhraseScoring scoring);

  std::optional<double> score(std::string_view a, std::string_view b, std::string_view joined) const override;
  // gensim's export_phrases: every key of two or more delimiter-separated pieces, scored as the candidate from its
  // first to its last piece; the phrases among them, in the counts' order.
  PhraseScores export_phrases() const;

 private:
  const PhraseCounts& counts_;
  PhraseScoring scoring_;
  // The score of the candidate counted as `key`, split at its first and last delimiters as export_phrases() splits
  // it, if it is a phrase.
  std::optional<double> score_key(std::string_view key) const;

  // export_phrases(), computed once for the built-in scorers (with a threshold >= 0). Only candidates counted
  // min_count times or more can be phrases, since the others score at most 0 (default, word2phrase) or -inf (npmi),
  // which makes it quick (gcide: 57k of 2.3M entries to score). It decides every candidate whose first and last words
  // are the pieces export_phrases() splits it into by one lookup in a table small enough to stay in cache (15k
  // phrases) instead of three in the counts. Empty for a scorer of the caller's, which sees every candidate.
  std::optional<PhraseScores> phrases_;
};

// gensim's FrozenPhrases: looks a candidate up in a table of phrases (which must outlive it).
class FrozenPhraseDetector : public PhraseDetector {
 public:
  FrozenPhraseDetector(const PhraseScores& phrases, PhraseSyntax syntax, double threshold)
      : PhraseDetector(std::move(syntax)), phrases_(phrases), threshold_(threshold) {}

  std::optional<double> score(std::string_view a, std::string_view b, std::string_view joined) const override;

 private:
  const PhraseScores& phrases_;
  double threshold_;
};

// Phrases text files into one file, line for line: each input line becomes a line of its tokens and phrases
// separated by single spaces. Plain files are cut into pieces that `workers` threads phrase while the results are
// written in order; compressed files are decompressed on one more thread. `poll` is called every 100 ms meanwhile;
// returning true stops the threads. With workers = 0 the calling thread phrases every piece, calling `poll` after
// each: a scorer that must run on it (a Python function, called with the GIL the caller holds) then runs without
// handing anything between threads. The output is written in place: the caller makes it atomic.
void phrase_text_files(const PhraseDetector& detector, const std::vector<std::string>& inputs,
                       const std::string& output, unsigned workers, const std::function<bool()>& poll);

// ------------------------------------------------------------------------------------------------ implementation

template <typename Emit>
void PhraseDetector::analyze(const SentenceTokens& sentence, Emit&& emit) const {
  constexpr size_t kNone = SIZE_MAX;
  const std::string& delimiter = syntax_.delimiter();
  std::string joined;
  size_t start = kNone;  // the open candidate's first word
  const auto open = [&] { return start != kNone && !sentence[start].empty(); };
  for (size_t i = 0; i < sentence.size(); ++i) {
    const std::string_view word = sentence[i];
    if (syntax_.is_connector(word)) {
      if (!open()) emit(i, i, word, std::nullopt);
      continue;
    }
    if (open()) {
      joined.assign(sentence[start]);
      for (size_t j = start + 1; j <= i; ++j) joined.append(delimiter).append(sentence[j]);
      if (const std::optional<double> found = score(sentence[start], word, joined)) {
        emit(start, i, std::string_view(joined), found);
        start = kNone;
        continue;
      }
      for (size_t j = start; j < i; ++j) emit(j, j, sentence[j], std::nullopt);
    }
    start = i;
  }
  if (open())
    for (size_t j = start; j < sentence.size(); ++j) emit(j, j, sentence[j], std::nullopt);
}

}  // namespace w2v
