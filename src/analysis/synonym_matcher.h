// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// SynonymMatcher: a SynonymList compiled against one analyzer, to find
// its phrases in a query and expand them into index terms.

#ifndef TECHMATCH_ANALYSIS_SYNONYM_MATCHER_H_
#define TECHMATCH_ANALYSIS_SYNONYM_MATCHER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "techmatch/analyzer.h"
#include "techmatch/status.h"
#include "techmatch/synonyms.h"

namespace techmatch::internal {

/// Thread-safety: immutable after Compile(); const methods may be called
/// concurrently.
class SynonymMatcher {
 public:
  /// A distinct phrase (normalized) and the phrases it adds.
  struct Phrase {
    std::string normalized;
    std::vector<uint64_t> keys;     ///< its analyzed terms' keys (all kinds), distinct
    std::vector<uint32_t> expands;  ///< phrases it adds (never itself)
  };

  /// Normalizes and analyzes every phrase with `analyzer`. InvalidArgument
  /// naming "source:line" for a phrase that normalizes to nothing or has no
  /// index term (only stopwords or punctuation).
  static Result<std::shared_ptr<const SynonymMatcher>> Compile(const SynonymList& list,
                                                               const Analyzer& analyzer);

  /// Appends the phrases found in `normalized` (a text normalized by the
  /// same analyzer) that expand to something: left to right, the longest
  /// phrase at each position, not overlapping. A phrase that begins or
  /// ends with an ASCII letter or digit matches only at a word boundary
  /// there ("5g" not in "5gb").
  void Find(std::string_view normalized, std::vector<uint32_t>* found) const;

  const Phrase& phrase(uint32_t id) const { return phrases_[id]; }
  size_t rules() const { return rules_; }
  size_t phrases() const { return phrases_.size(); }
  const std::string& source() const { return source_; }

 private:
  std::vector<Phrase> phrases_;
  /// First code point of a phrase -> its phrases that expand, longest first.
  std::unordered_map<uint32_t, std::vector<uint32_t>> by_first_;
  size_t rules_ = 0;
  std::string source_;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_ANALYSIS_SYNONYM_MATCHER_H_
