// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Mining candidate synonym pairs from a corpus's own wording ("X（简称Y）",
// "X，又称Y", "碳化硅（SiC）"), for a person to review (`techmatch synonyms`).

#ifndef TECHMATCH_SERVER_SYNONYM_MINING_H_
#define TECHMATCH_SERVER_SYNONYM_MINING_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "techmatch/analyzer.h"

namespace techmatch::server {

/// A candidate pair: `term` and what the text says it is also called.
struct SynonymCandidate {
  std::string term;     ///< normalized
  std::string alias;    ///< normalized
  std::string pattern;  ///< "简称", "又称", ..., or "abbreviation" for X（ABC）
  size_t count = 0;     ///< texts that state it
  std::string example_id;  ///< the first record that states it
  std::string example;     ///< ... and the words around it, as written
};

/// Collects candidates over many texts; then Candidates().
///
/// Thread-safety: not thread-safe (one collector per thread).
class SynonymMiner {
 public:
  /// `analyzer` trims a term to its last words (must outlive the miner).
  explicit SynonymMiner(const Analyzer& analyzer) : analyzer_(analyzer) {}

  /// Scans one text (invalid UTF-8 is skipped, not an error: mining is
  /// best effort).
  void Scan(std::string_view id, std::string_view text);

  /// The pairs stated in at least `min_count` texts, most stated first
  /// (ties by term, then alias), at most `limit`.
  std::vector<SynonymCandidate> Candidates(size_t min_count, size_t limit) const;

  /// One candidate as a comment line saying where it was found, then its
  /// line of the synonyms format ("# 3 texts, abbreviation, e.g. S12:
  /// …碳化硅(SiC)…" and "碳化硅, sic"). Solr has no end-of-line comments.
  static std::string FormatLine(const SynonymCandidate& c);

 private:
  void Add(std::string_view term, std::string_view alias, const char* pattern,
           std::string_view id, std::string_view text, size_t at);
  std::string TrimTerm(std::string_view run) const;

  const Analyzer& analyzer_;
  std::unordered_map<std::string, SynonymCandidate> pairs_;  // "term\x1f" alias
};

}  // namespace techmatch::server

#endif  // TECHMATCH_SERVER_SYNONYM_MINING_H_
