// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "analysis/doc_terms.h"

#include <algorithm>

namespace techmatch::internal {
void AccumulateTerms(const std::vector<Term>& terms, float weight,
                     std::vector<std::pair<uint64_t, float>>* acc) {
  for (const Term& t : terms) acc->emplace_back(TermKey(t.kind, t.text), weight);
}

void CollapseTerms(std::vector<std::pair<uint64_t, float>>* acc) {
  std::sort(acc->begin(), acc->end());
  size_t out = 0;
  for (size_t i = 0; i < acc->size(); ++i) {
    if (out > 0 && (*acc)[out - 1].first == (*acc)[i].first) {
      (*acc)[out - 1].second += (*acc)[i].second;
    } else {
      if (out != i) (*acc)[out] = (*acc)[i];
      ++out;
    }
  }
  acc->resize(out);
}

Status AnalyzeFields(const Analyzer& analyzer, const Record& record,
                     AnalyzedRecord* out) {
  out->title.clear();
  out->keywords.resize(record.keywords.size());
  out->text.clear();
  if (!record.title.empty()) {
    TECHMATCH_RETURN_IF_ERROR(analyzer.Analyze(record.title, &out->title)
                                  .WithContext("field \"title\""));
  }
  for (size_t i = 0; i < record.keywords.size(); ++i) {
    TECHMATCH_RETURN_IF_ERROR(analyzer.Analyze(record.keywords[i], &out->keywords[i])
                                  .WithContext("field \"keywords\""));
  }
  if (!record.text.empty()) {
    TECHMATCH_RETURN_IF_ERROR(
        analyzer.Analyze(record.text, &out->text).WithContext("field \"text\""));
  }
  return Status::OK();
}

void WeightFields(const AnalyzedRecord& record, const FieldWeights& weights,
                  DocTerms* out, bool collapse) {
  out->terms.clear();
  if (weights.title > 0) AccumulateTerms(record.title, weights.title, &out->terms);
  if (weights.keywords > 0) {
    for (const auto& kw : record.keywords) {
      AccumulateTerms(kw, weights.keywords, &out->terms);
    }
  }
  if (weights.text > 0) AccumulateTerms(record.text, weights.text, &out->terms);
  if (collapse) CollapseTerms(&out->terms);
}

Status AnalyzeRecord(const Analyzer& analyzer, const Record& record,
                     const FieldWeights& weights, DocTerms* out, bool collapse) {
  out->terms.clear();
  std::vector<Term> terms;
  if (!record.title.empty() && weights.title > 0) {
    TECHMATCH_RETURN_IF_ERROR(
        analyzer.Analyze(record.title, &terms).WithContext("field \"title\""));
    AccumulateTerms(terms, weights.title, &out->terms);
  }
  if (weights.keywords > 0) {
    for (const std::string& kw : record.keywords) {
      TECHMATCH_RETURN_IF_ERROR(
          analyzer.Analyze(kw, &terms).WithContext("field \"keywords\""));
      AccumulateTerms(terms, weights.keywords, &out->terms);
    }
  }
  if (!record.text.empty() && weights.text > 0) {
    TECHMATCH_RETURN_IF_ERROR(
        analyzer.Analyze(record.text, &terms).WithContext("field \"text\""));
    AccumulateTerms(terms, weights.text, &out->terms);
  }
  if (collapse) CollapseTerms(&out->terms);
  return Status::OK();
}

Status AnalyzeText(const Analyzer& analyzer, std::string_view text,
                   DocTerms* out) {
  out->terms.clear();
  std::vector<Term> terms;
  TECHMATCH_RETURN_IF_ERROR(analyzer.Analyze(text, &terms));
  AccumulateTerms(terms, 1.0f, &out->terms);
  CollapseTerms(&out->terms);
  return Status::OK();
}

}  // namespace techmatch::internal
