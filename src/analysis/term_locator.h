// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// TermLocator: where given terms occur in a text, without segmenting it.
// Explanations need the spans of the few terms a query shares with a
// returned record; analyzing the whole record again (ICU word breaking) to
// find them costs milliseconds per record at 1M-record lengths, while
// normalizing it and scanning for the wanted keys costs microseconds.

#ifndef TECHMATCH_ANALYSIS_TERM_LOCATOR_H_
#define TECHMATCH_ANALYSIS_TERM_LOCATOR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "analysis/normalizer.h"
#include "techmatch/status.h"
#include "techmatch/term.h"

namespace techmatch::internal {

/// The terms to find: unigram and bigram keys (generated from the text's
/// Han characters, as the analyzer forms them) and words by their
/// normalized text (found as substrings; an ASCII word only between
/// non-alphanumeric characters).
///
/// Thread-safety: a TermLocator is immutable after Want*(); Locate may run
/// concurrently on one instance.
class TermLocator {
 public:
  explicit TermLocator(const Normalizer* normalizer) : normalizer_(normalizer) {}

  void WantNgram(uint64_t key) { ngrams_.insert(key); }
  void WantWord(std::string_view normalized_text);
  bool empty() const { return ngrams_.empty() && words_.empty(); }

  /// Appends the occurrences in `text` (offsets are byte offsets into it),
  /// in text order, each Term with its kind and normalized text; at most
  /// the first `max_per_term` of each term. InvalidArgument on invalid
  /// UTF-8.
  Status Locate(std::string_view text, size_t max_per_term, std::vector<Term>* out) const;

 private:
  struct Word {
    std::u16string text;
    std::string utf8;
    bool ascii;  // every unit ASCII alphanumeric: boundaries are checked
  };
  const Normalizer* normalizer_;
  std::unordered_set<uint64_t> ngrams_;
  std::vector<Word> words_;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_ANALYSIS_TERM_LOCATOR_H_
