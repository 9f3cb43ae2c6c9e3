// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// A MatchResult as JSON: the output of `techmatch match` and the body of
// the HTTP API's match responses (docs/api.md).

#ifndef TECHMATCH_SERVER_MATCH_JSON_H_
#define TECHMATCH_SERVER_MATCH_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "server/json_num.h"
#include "techmatch/engine.h"
#include "techmatch/match.h"
#include "server/presentation.h"
#include "techmatch/record.h"

namespace techmatch::server {

/// What goes into a match's JSON.
struct MatchJsonOptions {
  /// Each match's "explanation" (features, matched terms with offsets).
  /// Default true.
  bool explanation = true;
  /// Each match's "record" (display fields), "reasons" (plain words) and
  /// "title_marked" / "keywords_marked" / "snippet_marked" (whole-word
  /// highlights). Needs the
  /// engine (one Get per match). Default true.
  bool details = true;
  /// Length of "snippet_marked" in code points. Default 120.
  size_t snippet_chars = 120;
};

/// {"query_id", "confidence", "needs_follow_up", "category",
///  "category_inferred", "matches": [{"rank", "kind", "id", "score",
///  "lexical_score", "dense_score", "record": {...}, "reasons": [...],
///  "title_marked": [...], "keywords_marked": [[...], ...],
///  "snippet_marked": [...], "explanation": {...}}]}.
/// `engine` may be null (no details); `query` is the query record, null
/// for a free text. A match whose record has gone (removed meanwhile)
/// gets "record": null.
nlohmann::ordered_json MatchResultToJson(const MatchResult& result, const Engine* engine,
                                         const Record* query,
                                         const MatchJsonOptions& options);

/// The display fields of a record: {"title", "organization", "region",
/// "maturity", "price", "org_type", "categories"} (unknown ones null).
nlohmann::ordered_json DisplayFieldsToJson(const Record& record);

/// Pieces of marked text: [["plain text", false], ["matched word", true], ...].
nlohmann::ordered_json PiecesToJson(const std::vector<TextPiece>& pieces);

/// What an engine holds: {"records", "supplies", "demands", "built",
/// "lexical_terms", "embedding_dim", "embedder", "dense_index",
/// "memory_bytes"} (`techmatch info --json` and GET /v1/stats).
nlohmann::ordered_json EngineStatsToJson(const Engine& engine);

/// {"found_by", "bias", "features": [{"name", "value", "weight",
/// "contribution"}], "matched_terms": [{"text", "kind", "contribution",
/// "query_spans", "record_spans"}]}.
nlohmann::ordered_json ExplanationToJson(const Explanation& e);

}  // namespace techmatch::server

#endif  // TECHMATCH_SERVER_MATCH_JSON_H_
