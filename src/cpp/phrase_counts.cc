#include "phrase_counts.h"

#include <stdexcept>
#include <utility>

#include "counting.h"

namespace w2v {

PhraseSyntax::PhraseSyntax(std::string delimiter, const std::vector<std::string>& connector_words)
    : delimiter_(std::move(delimiter)) {
  if (delimiter_.empty()) throw std::invalid_argument("the delimiter must not be empty");
  for (const std::string& word : connector_words) connectors_.insert(word);
}

void PhraseCountingSink::token(std::string_view word) {
  ++tokens_;
  if (syntax_.is_connector(word)) {
    if (open_) run_.append(syntax_.delimiter()).append(word);
    return;
  }
  add(word);
  if (open_) {
    run_.append(syntax_.delimiter()).append(word);
    add(run_);
  }
  run_.assign(word);  // the word closes one candidate and opens the next
  open_ = true;
  if (batch_.size() >= kBatch) count_batch();
}

bool PhraseCountingSink::line_end() {
  open_ = false;
  count_batch();
  counter_.end_sentence();
  ++lines_;
  return true;
}

void PhraseCountingSink::add(std::string_view key) {
  batch_.add(key);
  batch_hashes_.push_back(WordTable::hash(key));
  counter_.prefetch(batch_hashes_.back());
}

void PhraseCountingSink::count_batch() {
  for (size_t i = 0; i < batch_.size(); ++i) counter_.count(batch_[i], batch_hashes_[i], 1);
  batch_.clear();
  batch_hashes_.clear();
}

void PhraseCountingSink::finish() {
  count_batch();
  counter_.add_total_words(tokens_);
  counter_.add_total_sentences(lines_);
  tokens_ = lines_ = 0;
}

PhraseCounts::PhraseCounts(uint64_t max_vocab_size)
    : counter_(max_vocab_size, VocabCounter::Pruning::kOneRoundPerCheck) {}

PhraseCounts::PhraseCounts(uint64_t max_vocab_size, const WordCounts& saved, uint64_t min_reduce)
    : PhraseCounts(max_vocab_size) {
  if (saved.words.size() != saved.counts.size()) throw std::invalid_argument("words and counts differ in length");
  for (size_t i = 0; i < saved.words.size(); ++i)
    if (!counter_.count(saved.words[i], saved.counts[i]))
      throw std::invalid_argument("phrase counts hold '" + saved.words[i] + "' twice");
  counter_.add_total_words(saved.total_words);
  counter_.add_total_sentences(saved.total_sentences);
  counter_.set_min_reduce(min_reduce);
}

void PhraseCounts::add(VocabCounter&& counted) {
  if (counter_.size() > 0) {
    counter_.merge(std::move(counted));
    return;
  }
  // gensim's add_vocab: `self.vocab = vocab`, its min_reduce unchanged.
  counted.add_total_words(counter_.total_words());
  counted.add_total_sentences(counter_.total_sentences());
  counted.set_min_reduce(counter_.min_reduce());
  counter_ = std::move(counted);
}

VocabCounter count_phrase_files(const PhraseCounts& counts, const PhraseSyntax& syntax,
                                const std::vector<std::string>& paths, unsigned workers) {
  VocabCounter total = counts.new_counter();
  count_text_files(paths, workers, &total,
                   [&](VocabCounter& counter) { return PhraseCountingSink(syntax, counter); });
  return total;
}

}  // namespace w2v
