// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "engine/explain.h"

#include <algorithm>
#include <utility>

namespace techmatch::internal {
namespace {

/// Appends the spans of `key` in every field, in field order (title,
/// keywords, text), at most MatchedTerm::kMaxSpans; sets *text and *kind
/// from the first occurrence if *text is still empty.
void CollectSpans(const AnalyzedRecord& fields, uint64_t key,
                  std::vector<TextSpan>* spans, std::string* text,
                  TermKind* kind) {
  auto scan = [&](const std::vector<Term>& terms, TextField field, uint32_t index) {
    for (const Term& t : terms) {
      if (spans->size() >= MatchedTerm::kMaxSpans) return;
      if (TermKey(t.kind, t.text) != key) continue;
      spans->push_back(TextSpan{field, index, t.begin, t.end});
      if (text->empty()) {
        *text = t.text;
        *kind = t.kind;
      }
    }
  };
  scan(fields.title, TextField::kTitle, 0);
  for (size_t i = 0; i < fields.keywords.size(); ++i) {
    scan(fields.keywords[i], TextField::kKeywords, uint32_t(i));
  }
  scan(fields.text, TextField::kText, 0);
}

using SynonymOf = std::vector<std::pair<uint64_t, std::string>>;

const std::string* FindSynonym(const SynonymOf& synonym_of, uint64_t key) {
  auto it = std::lower_bound(synonym_of.begin(), synonym_of.end(), key,
                             [](const auto& kv, uint64_t k) { return kv.first < k; });
  return it != synonym_of.end() && it->first == key ? &it->second : nullptr;
}

}  // namespace

void ExplainFeatures(const Scorer& scorer, const Candidate& c, Explanation* e) {
  const ScoreBreakdown b = scorer.Explain(c.features);
  e->bias = b.bias;
  e->found_by = c.by_lexical && c.by_dense ? "both"
                : c.by_lexical             ? "lexical"
                                           : "dense";
  e->features.clear();
  for (size_t j = 0; j < kNumFeatures; ++j) {
    e->features.push_back(
        FeatureContribution{Feature(j), c.features[j], b.weight[j], b.contribution[j]});
  }
}

std::vector<MatchedTerm> MatchedTerms(std::vector<LexicalTermScore> terms, size_t max_terms,
                                      const AnalyzedRecord& query_fields,
                                      const AnalyzedRecord& record_fields,
                                      const SynonymOf& synonym_of) {
  std::sort(terms.begin(), terms.end(), [](const auto& a, const auto& b) {
    return a.score != b.score ? a.score > b.score : a.key < b.key;
  });
  if (terms.size() > max_terms) terms.resize(max_terms);
  std::vector<MatchedTerm> out;
  out.reserve(terms.size());
  for (const LexicalTermScore& t : terms) {
    MatchedTerm mt;
    mt.contribution = t.score;
    CollectSpans(query_fields, t.key, &mt.query_spans, &mt.text, &mt.kind);
    CollectSpans(record_fields, t.key, &mt.record_spans, &mt.text, &mt.kind);
    if (const std::string* phrase = FindSynonym(synonym_of, t.key)) mt.synonym_of = *phrase;
    out.push_back(std::move(mt));
  }
  return out;
}

double MatchConfidence(const DocTerms& query_terms,
                       const std::vector<LexicalTermScore>& best_terms, float best_dense,
                       const SynonymOf& synonym_of) {
  size_t wanted = 0, found = 0;
  for (const auto& kv : query_terms.terms) {
    wanted += TermKeyKind(kv.first) != TermKind::kUnigram &&
              FindSynonym(synonym_of, kv.first) == nullptr;
  }
  for (const LexicalTermScore& t : best_terms) {
    found += TermKeyKind(t.key) != TermKind::kUnigram && FindSynonym(synonym_of, t.key) == nullptr;
  }
  const double coverage = wanted > 0 ? double(found) / double(wanted) : 0.0;
  return 0.5 * coverage + 0.5 * std::max(0.0, double(best_dense));
}

}  // namespace techmatch::internal
