// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "server/match_json.h"


#include "server/presentation.h"
#include "techmatch/scorer.h"
#include "techmatch/term.h"

namespace techmatch::server {

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
                         {"synonym_of", t.synonym_of.empty() ? json(nullptr) : json(t.synonym_of)},
                         {"query_spans", SpansToJson(t.query_spans)},
                         {"record_spans", SpansToJson(t.record_spans)}});
  }
  return json{{"found_by", e.found_by},
              {"bias", Num(e.bias)},
              {"features", std::move(features)},
              {"matched_terms", std::move(terms)}};
}

namespace {

void AddDetails(const MatchResult& result, const Match& m, const Record& record,
                const Record* query, const MatchJsonOptions& options, json* jm) {
  (*jm)["record"] = DisplayFieldsToJson(record);
  json reasons = json::array();
  for (const Reason& r : Reasons(result, m, record, query)) {
    reasons.push_back(json{{"code", r.code}, {"text", r.text}, {"text_zh", r.text_zh}});
  }
  (*jm)["reasons"] = std::move(reasons);
  const Explanation& e = m.explanation;
  (*jm)["title_marked"] =
      PiecesToJson(MarkedSnippet(record.title, WordSpans(e, TextField::kTitle, 0), 0));
  json keywords = json::array();
  for (size_t i = 0; i < record.keywords.size(); ++i) {
    keywords.push_back(PiecesToJson(MarkedSnippet(
        record.keywords[i], WordSpans(e, TextField::kKeywords, uint32_t(i)), 0)));
  }
  (*jm)["keywords_marked"] = std::move(keywords);
  (*jm)["snippet_marked"] = PiecesToJson(MarkedSnippet(
      record.text, WordSpans(e, TextField::kText, 0), options.snippet_chars));
}

}  // namespace

json DisplayFieldsToJson(const Record& record) {
  const DisplayFields d = GetDisplayFields(record);
  return json{{"title", d.title},
              {"organization", d.organization},
              {"region", d.region},
              {"maturity", d.maturity ? json(*d.maturity) : json(nullptr)},
              {"price", d.price ? Num(*d.price) : json(nullptr)},
              {"org_type", d.org_type},
              {"categories", d.categories}};
}

json PiecesToJson(const std::vector<TextPiece>& pieces) {
  json a = json::array();
  for (const TextPiece& p : pieces) a.push_back(json::array({p.text, p.marked}));
  return a;
}

json MatchResultToJson(const MatchResult& result, const Engine* engine, const Record* query,
                       const MatchJsonOptions& options) {
  json matches = json::array();
  for (const Match& m : result.matches) {
    json jm{{"rank", m.rank},
            {"kind", RecordKindName(m.key.kind)},
            {"id", m.key.id},
            {"score", Num(m.score)},
            {"lexical_score", Num(m.lexical_score)},
            {"dense_score", Num(m.dense_score)},
            {"probability", Num(m.probability)}};
    if (options.details && engine != nullptr) {
      auto record = engine->Get(m.key);
      if (record.ok()) {
        AddDetails(result, m, *record, query, options, &jm);
      } else {
        jm["record"] = nullptr;
      }
    }
    if (options.explanation) jm["explanation"] = ExplanationToJson(m.explanation);
    matches.push_back(std::move(jm));
  }
  return json{{"query_id", result.query_id},
              {"confidence", Num(result.confidence)},
              {"needs_follow_up", result.needs_follow_up},
              {"category", result.category},
              {"category_inferred", result.category_inferred},
              {"matches", std::move(matches)}};
}

json EngineStatsToJson(const Engine& engine) {
  const EngineStats st = engine.stats();
  return json{{"records", engine.size()},
              {"supplies", st.supplies},
              {"demands", st.demands},
              {"built", st.built},
              {"lexical_terms", st.lexical_terms},
              {"embedding_dim", st.embedding_dim},
              {"embedder", st.embedder},
              {"dense_index", st.dense_index},
              {"memory_bytes", st.memory_bytes},
              {"synonym_rules", st.synonym_rules},
              {"calibration_queries", st.calibration_queries},
              {"synonyms_source", st.synonyms_source}};
}

}  // namespace techmatch::server
