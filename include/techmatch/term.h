// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Term and Token: what the Analyzer makes of a text.

#ifndef TECHMATCH_TERM_H_
#define TECHMATCH_TERM_H_

#include <cstdint>
#include <string>

#include "techmatch/export.h"

namespace techmatch {

/// What a term stands for. Kinds are indexed as separate term spaces, so the
/// word "材料" and the bigram "材料" never collide.
enum class TermKind : uint8_t {
  kWord = 0,     ///< a segmented word, number or model code
  kUnigram = 1,  ///< one Han character
  kBigram = 2,   ///< two adjacent Han characters (overlapping)
};

/// "word" / "unigram" / "bigram".
TECHMATCH_EXPORT const char* TermKindName(TermKind kind);

/// An index term with its place in the original text.
struct Term {
  std::string text;  ///< normalized form (NFKC, case-folded, simplified)
  TermKind kind = TermKind::kWord;
  /// Byte offsets [begin, end) of the term in the text given to the
  /// analyzer (not the normalized text), always on UTF-8 boundaries.
  uint32_t begin = 0;
  uint32_t end = 0;
  /// Ordinal of the word token the term starts in (0-based, counting the
  /// words the segmenter produced, stopwords included).
  uint32_t position = 0;
};

/// What kind of text a segmentation token holds.
enum class TokenType : uint8_t {
  kHan = 0,     ///< Chinese characters (a word of them)
  kLetter = 1,  ///< a word of letters, possibly with digits (e.g. "sic", "5g")
  kNumber = 2,  ///< a number ("2.5", "1,000")
  kCode = 3,    ///< a model code joined from parts ("ti-6al-4v", "c++")
  kOther = 4,   ///< other scripts' words (kana, hangul, ...)
  kPunct = 5,   ///< punctuation and symbols (never a term)
};

/// One segment of a text: a word or a punctuation/symbol run. Whitespace is
/// not a token. Tokens are in text order and never overlap.
struct Token {
  uint32_t begin = 0;  ///< byte offset in the original text
  uint32_t end = 0;    ///< one past the last byte
  TokenType type = TokenType::kPunct;
  bool from_dictionary = false;  ///< chosen because the user dictionary has it
  std::string normalized;        ///< normalized text of the token
};

}  // namespace techmatch

#endif  // TECHMATCH_TERM_H_
