// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// MatchResult as one JSON line (the output of `techmatch match`).

#ifndef TECHMATCH_TOOLS_MATCH_JSON_H_
#define TECHMATCH_TOOLS_MATCH_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "techmatch/match.h"

namespace techmatch::cli {

/// {"query_id", "needs_follow_up", "category", "category_inferred",
///  "matches": [{"rank", "kind", "id", "score", "lexical_score",
///  "dense_score", "explanation": {"found_by", "bias", "features": [...],
///  "matched_terms": [...]}}]}. "explanation" is left out when
/// `with_explanation` is false.
nlohmann::ordered_json MatchResultToJson(const MatchResult& result,
                                         bool with_explanation);

/// {"found_by", "bias", "features": [{"name", "value", "weight",
/// "contribution"}], "matched_terms": [{"text", "kind", "contribution",
/// "query_spans", "record_spans"}]}.
nlohmann::ordered_json ExplanationToJson(const Explanation& e);

/// A number rounded to 6 decimals; null when not finite.
nlohmann::ordered_json Num(double v);

/// Compact, one line, UTF-8 written as is (not \u-escaped). Invalid UTF-8
/// (which the engine never returns) is replaced by U+FFFD, not thrown.
std::string DumpJsonLine(const nlohmann::ordered_json& j);

}  // namespace techmatch::cli

#endif  // TECHMATCH_TOOLS_MATCH_JSON_H_
