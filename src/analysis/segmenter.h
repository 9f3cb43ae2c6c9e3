// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Segmenter: ICU word boundaries, model-code merging and the user-dictionary
// lattice, over normalized UTF-16 text.

#ifndef TECHMATCH_ANALYSIS_SEGMENTER_H_
#define TECHMATCH_ANALYSIS_SEGMENTER_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "techmatch/status.h"
#include "techmatch/term.h"

#include <unicode/unistr.h>

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace techmatch::internal {

/// The characters a code is joined through ("covid-19", "gb/t-1234",
/// "ti_6al"): Segmenter merges letters-and-digits chains across them, and
/// TermLocator does not find a word inside such a chain.
inline bool IsCodeConnector(char16_t c) {
  return c == u'-' || c == u'.' || c == u'/' || c == u'_';
}

class TermDictionary;

/// A token in normalized-text coordinates: units [begin, end).
struct RawToken {
  uint32_t begin;
  uint32_t end;
  TokenType type;
  bool from_dictionary;
};

/// Segments normalized text. One Segmenter per thread (it owns an ICU
/// BreakIterator, which is not thread-safe); create them with Clone() from
/// a prototype, which is cheap.
class Segmenter {
 public:
  /// A prototype over `dict` (may be null or empty; must outlive it).
  static Result<std::unique_ptr<Segmenter>> Create(const TermDictionary* dict);
  ~Segmenter();

  std::unique_ptr<Segmenter> Clone() const;

  /// Appends the tokens of text[0, n) to *out (white space is skipped).
  /// `n` must fit in int32 (the caller chunks long texts).
  Status Segment(const char16_t* text, uint32_t n,
                 std::vector<RawToken>* out);

 private:
  Segmenter(std::unique_ptr<icu::BreakIterator> bi, const TermDictionary* dict);
  void BaseTokens(const char16_t* text, uint32_t n);
  void MergeCodes(const char16_t* text);
  void Lattice(const char16_t* text, uint32_t n, std::vector<RawToken>* out);

  std::unique_ptr<icu::BreakIterator> bi_;
  icu::UnicodeString alias_;  // the text being segmented (not owned)
  const TermDictionary* dict_;
  // Scratch space reused between calls.
  std::vector<RawToken> base_;
  std::vector<int32_t> base_at_;   // index of the base token starting at i
  std::vector<uint8_t> breakable_;
  std::vector<float> best_;
  std::vector<uint32_t> next_;
  std::vector<uint8_t> next_kind_;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_ANALYSIS_SEGMENTER_H_
