// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "match_json.h"

#include <cmath>

#include "techmatch/record.h"
#include "techmatch/scorer.h"
#include "techmatch/term.h"

namespace techmatch::cli {

namespace {

using json = nlohmann::ordered_json;

json SpanToJson(const TextSpan& s) {
  return json{{"field", TextFieldName(s.field)},
              {"index", s.index},
              {"begin", s.begin},
              {"end", s.end}};
}

json SpansToJson(const std::vector<TextSpan>& spans) {
  json a = json::array();
  for (const TextSpan& s : spans) a.push_back(SpanToJson(s));
  return a;
}

}  // namespace

// Scores are float/double noise past ~7 digits; rounding keeps lines short
// and diffs readable. Non-finite values become null (JSON has no NaN).
json Num(double v) {
  if (!std::isfinite(v)) return nullptr;
  return std::round(v * 1e6) / 1e6;
}

json ExplanationToJson(const Explanation& e) {
  json features = json::array();
  for (const FeatureContribution& f : e.features) {
    features.push_back(json{{"name", FeatureName(f.feature)},
                            {"value", Num(f.value)},
                            {"weight", Num(f.weight)},
                            {"contribution", Num(f.contribution)}});
  }
  json terms = json::array();
  for (const MatchedTerm& t : e.matched_terms) {
    terms.push_back(json{{"text", t.text},
                         {"kind", TermKindName(t.kind)},
                         {"contribution", Num(t.contribution)},
                         {"query_spans", SpansToJson(t.query_spans)},
                         {"record_spans", SpansToJson(t.record_spans)}});
  }
  return json{{"found_by", e.found_by},
              {"bias", Num(e.bias)},
              {"features", std::move(features)},
              {"matched_terms", std::move(terms)}};
}

json MatchResultToJson(const MatchResult& result, bool with_explanation) {
  json matches = json::array();
  for (const Match& m : result.matches) {
    json jm{{"rank", m.rank},
            {"kind", RecordKindName(m.key.kind)},
            {"id", m.key.id},
            {"score", Num(m.score)},
            {"lexical_score", Num(m.lexical_score)},
            {"dense_score", Num(m.dense_score)}};
    if (with_explanation) jm["explanation"] = ExplanationToJson(m.explanation);
    matches.push_back(std::move(jm));
  }
  return json{{"query_id", result.query_id},
              {"needs_follow_up", result.needs_follow_up},
              {"category", result.category},
              {"category_inferred", result.category_inferred},
              {"matches", std::move(matches)}};
}

std::string DumpJsonLine(const json& j) {
  return j.dump(-1, ' ', /*ensure_ascii=*/false,
                json::error_handler_t::replace);
}

}  // namespace techmatch::cli
