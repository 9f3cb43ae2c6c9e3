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
#include <vector>

#include "analysis/normalizer.h"
#include "techmatch/status.h"
#include "techmatch/term.h"

namespace techmatch::internal {

/// The terms to find: unigram and bigram keys (generated from the text's
/// Han characters, as the analyzer forms them) and words by their
/// normalized text, found as substrings. A word that starts (ends) with an
/// ASCII letter or digit is not found where the text before (after) it
/// continues an ASCII word or a code the segmenter keeps whole: a letter
/// or digit, a connector (- . / _) into a chain of letters and digits,
/// "++" after a one- or two-letter word ("2.5" is not found in "12.5",
/// "covid" not in "covid-19", "c" not in "c++"; "cad" is in "cad-based").
/// Unlike the analyzer's terms, a Han word is also found
/// inside a longer word, and a unigram that is a stopword on its own (的)
/// at every occurrence: the spans are where the term's text occurs.
///
/// Thread-safety: a TermLocator is immutable after Want*(); Locate may run
/// concurrently on one instance.
class TermLocator {
 public:
  explicit TermLocator(const Normalizer* normalizer) : normalizer_(normalizer) {}

  void WantNgram(uint64_t key);
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
    // Starts / ends with an ASCII letter or digit: that side must not
    // continue an ASCII word or code.
    bool alnum_start = false;
    bool alnum_end = false;
    bool has_letter = false;  // ASCII letters / digits in the word
    bool has_digit = false;
  };
  const Normalizer* normalizer_;
  // The wanted unigram and bigram keys, sorted and distinct (a query
  // explains a few dozen at most), and a 256-bit filter of their low
  // bits, so that most of a text's characters cost one bit test.
  std::vector<uint64_t> ngrams_;
  uint64_t ngram_filter_[4] = {0, 0, 0, 0};
  std::vector<Word> words_;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_ANALYSIS_TERM_LOCATOR_H_
