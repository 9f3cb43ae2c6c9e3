// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "engine/match_query.h"

#include <cmath>
#include <string>

#include "embed/analyzed_embedder.h"

namespace techmatch::internal {

bool NormalizeVector(std::vector<float>* v) {
  double s = 0;
  for (float x : *v) s += double(x) * x;
  if (!(s > 0) || !std::isfinite(s)) return false;
  const float inv = float(1.0 / std::sqrt(s));
  for (float& x : *v) x *= inv;
  return true;
}

Status AnalyzeQuery(const Analyzer& analyzer, const FieldWeights& weights,
                    const Record* record, std::string_view text, QueryView* q) {
  q->record = record;
  if (record != nullptr) {
    TECHMATCH_RETURN_IF_ERROR(AnalyzeFields(analyzer, *record, &q->fields));
    WeightFields(q->fields, weights, &q->terms);
  } else {
    q->fields = AnalyzedRecord{};
    if (!text.empty()) {
      TECHMATCH_RETURN_IF_ERROR(analyzer.Analyze(text, &q->fields.text));
    }
    FieldWeights plain;  // a free text weighs 1
    plain.title = plain.keywords = plain.text = 1.0f;
    WeightFields(q->fields, plain, &q->terms);
  }
  q->keys.clear();
  for (const auto& kv : q->terms.terms) q->keys.push_back(kv.first);
  q->lexical = ToLexicalQuery(q->terms);
  std::vector<const std::vector<Term>*> lists = {&q->fields.title, &q->fields.text};
  for (const auto& kw : q->fields.keywords) lists.push_back(&kw);
  MarkCoveredUnigrams(lists, &q->lexical);
  return Status::OK();
}

Status EmbedQuery(const Embedder& embedder, VectorView given, QueryView* q) {
  const size_t dim = embedder.dim();
  q->vector.clear();
  if (given.data != nullptr || given.n != 0) {
    if (given.n != 1) {
      return Status::InvalidArgument("query vector: expected 1 vector, got " +
                                     std::to_string(given.n));
    }
    TECHMATCH_RETURN_IF_ERROR(CheckVectors({"query"}, given, dim));
    q->vector.assign(given.data, given.data + dim);
  } else if (const AnalyzedEmbedder* ae = AsAnalyzedEmbedder(embedder)) {
    q->vector.assign(dim, 0.0f);
    if (q->record != nullptr) {
      TECHMATCH_RETURN_IF_ERROR(ae->EmbedAnalyzedRecord(q->fields, q->vector.data()));
    } else {
      TECHMATCH_RETURN_IF_ERROR(ae->EmbedAnalyzedText(q->fields.text, q->vector.data()));
    }
  }
  if (!NormalizeVector(&q->vector)) q->vector.clear();
  return Status::OK();
}

}  // namespace techmatch::internal
