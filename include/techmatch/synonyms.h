// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Synonyms: query-time expansion rules in the Solr / Elasticsearch format.

#ifndef TECHMATCH_SYNONYMS_H_
#define TECHMATCH_SYNONYMS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "techmatch/export.h"
#include "techmatch/status.h"

namespace techmatch {

/// One line of a synonyms file.
///
///     无人机, 无人飞行器, UAV        equivalent: each one expands to the others
///     涤纶 => 聚酯纤维               one-way: a query with 涤纶 also looks for 聚酯纤维
///     5G, 第五代通信 => 第五代移动通信  one-way from each phrase on the left
///
/// Unlike Solr, a query keeps its own words: a rule only adds the other
/// phrases' terms (at MatchOptions::synonym_weight), so "a => b" need not
/// repeat a on the right.
struct SynonymRule {
  /// The phrases that fire the rule, as written. For an equivalence group,
  /// all of its phrases.
  std::vector<std::string> from;
  /// The phrases added when one of `from` is in a query; empty for an
  /// equivalence group (each phrase adds the other phrases).
  std::vector<std::string> to;
  size_t line = 0;  ///< 1-based line in its file (0: built in code)

  bool equivalence() const { return to.empty(); }
};

/// A parsed synonyms file: give it to Engine::SetSynonyms.
struct SynonymList {
  std::vector<SynonymRule> rules;
  std::string source;  ///< the file (or name) it came from, for messages
};

/// Parses the Solr / Elasticsearch synonyms format: one rule per line,
/// phrases separated by commas, "=>" for a one-way rule, '#' starting a
/// comment line, blank lines ignored, a UTF-8 byte order mark skipped.
/// "\," and "\=>" stand for a literal comma and arrow inside a phrase.
/// InvalidArgument naming "source:line" for invalid UTF-8, an empty phrase,
/// a line with one phrase and no "=>", more than one "=>", or a phrase of
/// over 256 bytes. (Solr's "expand" and "ignoreCase" options have no
/// equivalent: matching is on the analyzer's normalized text, which is
/// case-folded.)
TECHMATCH_EXPORT Result<SynonymList> ParseSynonyms(std::string_view text,
                                                   std::string_view source = "synonyms");

/// Reads and parses a synonyms file. NotFound if it cannot be opened.
TECHMATCH_EXPORT Result<SynonymList> ReadSynonymsFile(const std::string& path);

}  // namespace techmatch

#endif  // TECHMATCH_SYNONYMS_H_
