// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// What an operator reads about a match: the record's display fields,
// whole-word highlights and the reasons in plain words. Shared by
// `techmatch match --pretty`, the JSON of `match` and the HTTP API.

#ifndef TECHMATCH_SERVER_PRESENTATION_H_
#define TECHMATCH_SERVER_PRESENTATION_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "techmatch/match.h"
#include "techmatch/record.h"

namespace techmatch::server {

/// A record's fields as shown next to a match.
struct DisplayFields {
  std::string title;
  /// attributes "organization", else "owner" (supplies), else "company"
  /// (demands); "" when none is given.
  std::string organization;
  std::string region;
  std::optional<int> maturity;  ///< TRL (a demand: the minimum it accepts)
  std::optional<double> price;  ///< CNY (a demand: its budget)
  std::string org_type;
  std::vector<std::string> categories;
};
DisplayFields GetDisplayFields(const Record& record);

/// A run of displayed text; `marked` runs are matched words.
struct TextPiece {
  std::string text;
  bool marked = false;
};

/// Byte ranges [begin, end) of a field of the matched record (or of the
/// query, `query_side`) covered by the explanation's whole words: words
/// (dictionary terms included) of at least two characters that are not
/// bare numbers. Single shared characters and bigrams are not marked.
std::vector<std::pair<uint32_t, uint32_t>> WordSpans(const Explanation& explanation,
                                                     TextField field, uint32_t index,
                                                     bool query_side = false);

/// `field` cut to at most `max_chars` code points around the part with
/// the most marked bytes, as pieces ("…" where it was cut). Control
/// characters become spaces. Spans that are out of range or not on code
/// point boundaries are ignored.
std::vector<TextPiece> MarkedSnippet(std::string_view field,
                                     std::vector<std::pair<uint32_t, uint32_t>> spans,
                                     size_t max_chars);

/// The shared whole words, largest contribution first, at most `max`; a
/// word a synonym brought in says so ("无人飞行器 = 无人机": the record's
/// word, then the query's phrase).
std::vector<std::string> KeyTerms(const Explanation& explanation, size_t max);

/// One reason a candidate was matched, in plain words.
struct Reason {
  /// shared_terms, similar_meaning, same_discipline, related_discipline,
  /// maturity_ok, maturity_below, within_budget, over_budget, same_region.
  std::string code;
  std::string text;     ///< English
  std::string text_zh;  ///< Chinese
};

/// The reasons for `match` (empty without an explanation). `query` is the
/// query record (null for a free text); `result` gives the query category.
std::vector<Reason> Reasons(const MatchResult& result, const Match& match,
                            const Record& candidate, const Record* query);

/// "3,000,000" (no decimals; CNY amounts).
std::string GroupedNumber(double value);

}  // namespace techmatch::server

#endif  // TECHMATCH_SERVER_PRESENTATION_H_
