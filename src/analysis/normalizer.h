// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Normalizer: UTF-8 text -> normalized UTF-16 with a map back to the source.

#ifndef TECHMATCH_ANALYSIS_NORMALIZER_H_
#define TECHMATCH_ANALYSIS_NORMALIZER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "techmatch/status.h"

namespace techmatch::internal {

/// Classes of normalized characters that the segmenter cares about.
enum CharClass : uint8_t {
  kClsOther = 0,
  kClsHan = 1,    ///< script Han (Chinese characters, 〇, 々)
  kClsAlpha = 2,  ///< ASCII letter
  kClsDigit = 3,  ///< ASCII digit
  kClsSpace = 4,  ///< Unicode white space
};

/// Normalized text in UTF-16 (what ICU consumes) with, for every UTF-16
/// unit, the byte range [src_begin, src_end) of the original character(s)
/// it came from. Expansions ("㎏" -> "kg") give several units the same range;
/// deleted characters (default ignorables) leave no unit.
struct NormalizedText {
  std::u16string text;
  std::vector<uint32_t> src_begin;
  std::vector<uint32_t> src_end;

  void clear() {
    text.clear();
    src_begin.clear();
    src_end.clear();
  }
  size_t size() const { return text.size(); }
};

/// NFKC + case folding and Traditional -> Simplified mapping, driven by
/// per-character tables built once from ICU (Normalizer2 "nfkc_cf" and the
/// "Traditional-Simplified" transliterator) so that the hot path is a table
/// look-up per character. Sequences with combining marks fall back to ICU.
///
/// Thread-safety: immutable after construction; shared by all analyzers
/// with the same settings (see Get()).
class Normalizer {
 public:
  /// The shared instance for these settings, built on first use.
  static Result<const Normalizer*> Get(bool normalize, bool t2s);

  /// Appends the normalization of text[begin, end) to *out, validating the
  /// UTF-8 as it goes. Returns std::string_view::npos, or the offset of the
  /// first invalid byte (then *out holds a partial result). Offsets
  /// recorded in *out are offsets into `text`.
  size_t Append(std::string_view text, size_t begin, size_t end,
                NormalizedText* out) const;

  /// Normalizes a short string to UTF-8 (dictionary terms, stopwords).
  std::string NormalizeToUtf8(std::string_view text) const;

  /// The class of a normalized BMP character.
  static CharClass Class(char16_t c) { return kClassTable[c]; }
  static bool IsHan(char16_t c) { return kClassTable[c] == kClsHan; }

  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;

 private:
  Normalizer(bool normalize, bool t2s);
  Status Build();
  static void BuildClassTable();

  // Per BMP code point: how it normalizes.
  enum Kind : uint8_t {
    kIdentity = 0,
    kSingle = 1,    // one replacement unit in single_
    kMulti = 2,     // several units in multi_
    kDeleted = 3,   // maps to nothing
    kSlow = 4,      // surrogate half: handled by the slow path
  };
  static constexpr uint8_t kNoBoundaryBefore = 0x80;

  void AppendSlow(std::string_view segment, uint32_t src_begin,
                  uint32_t src_end, NormalizedText* out) const;
  char16_t MapHan(char16_t c) const { return t2s_.empty() ? c : t2s_[c]; }

  bool normalize_;
  bool t2s_enabled_;
  std::vector<uint8_t> kind_;        // 65536 entries
  std::vector<char16_t> single_;     // 65536 entries
  std::unordered_map<char16_t, std::u16string> multi_;
  std::vector<char16_t> t2s_;        // 65536 entries (identity if no map)
  const void* nfkc_cf_ = nullptr;    // icu::Normalizer2*, owned by ICU

  static CharClass kClassTable[65536];
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_ANALYSIS_NORMALIZER_H_
