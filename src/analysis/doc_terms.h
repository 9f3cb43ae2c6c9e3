// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// DocTerms: a record's analyzed terms with field-weighted counts.

#ifndef TECHMATCH_ANALYSIS_DOC_TERMS_H_
#define TECHMATCH_ANALYSIS_DOC_TERMS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "techmatch/analyzer.h"
#include "techmatch/record.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// How much one occurrence of a term counts, by the field it occurs in.
struct FieldWeights {
  float title = 2.0f;
  float keywords = 2.0f;
  float text = 1.0f;
};

/// A term key: a 64-bit hash of the term's kind and normalized text, so
/// that the word "材料" and the bigram "材料" differ. Statistics are kept per
/// hash, not per string: it keeps counting over millions of distinct terms
/// fast and small. Two terms collide with probability ~n^2 / 2^65 (about
/// 1e-7 for two million distinct terms), and a collision only merges their
/// statistics.
inline uint64_t TermKey(TermKind kind, std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t(kind) + 1) * 0x9E3779B97F4A7C15ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  // murmur3 fmix64: spreads FNV's weak high bits.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  // The kind rides in the top two bits, readable without the text.
  return (h & ~(uint64_t{3} << 62)) | (uint64_t(kind) << 62);
}
inline TermKind TermKeyKind(uint64_t key) {
  return static_cast<TermKind>(key >> 62);
}

/// Distinct term keys of one document with their field-weighted counts.
struct DocTerms {
  std::vector<std::pair<uint64_t, float>> terms;  // sorted by key
};

/// Appends (TermKey, weight) for every term to *acc.
void AccumulateTerms(const std::vector<Term>& terms, float weight,
                     std::vector<std::pair<uint64_t, float>>* acc);
/// Sorts *acc by key and sums the weights of equal keys.
void CollapseTerms(std::vector<std::pair<uint64_t, float>>* acc);

/// A record's fields, each analyzed once: the terms (with their offsets in
/// the field) from which every consumer derives what it needs — the
/// lexical stage and the embedder their field-weighted counts, the scorer
/// its title and keyword keys, explanations their spans.
struct AnalyzedRecord {
  std::vector<Term> title;
  std::vector<std::vector<Term>> keywords;  ///< one list per keyword
  std::vector<Term> text;
};

/// Analyzes title, each keyword and text of `record` (empty fields are
/// skipped). Errors name the field.
Status AnalyzeFields(const Analyzer& analyzer, const Record& record,
                     AnalyzedRecord* out);

/// Field-weighted term counts of an analyzed record, in the order
/// AnalyzeRecord would produce them (title, keywords, text; fields with
/// weight 0 left out). `collapse` as in AnalyzeRecord.
void WeightFields(const AnalyzedRecord& record, const FieldWeights& weights,
                  DocTerms* out, bool collapse = true);

/// Analyzes title, keywords (each on its own) and text of `record` into
/// field-weighted term counts. With `collapse` (default) each key appears
/// once, counts summed and keys sorted; without, every occurrence is listed
/// (cheaper, for consumers that sum themselves). Errors name the field.
Status AnalyzeRecord(const Analyzer& analyzer, const Record& record,
                     const FieldWeights& weights, DocTerms* out,
                     bool collapse = true);

/// The same for a free text (weighted as body text).
Status AnalyzeText(const Analyzer& analyzer, std::string_view text,
                   DocTerms* out);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ANALYSIS_DOC_TERMS_H_
