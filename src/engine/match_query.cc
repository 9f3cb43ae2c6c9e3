// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "engine/match_query.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>

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

namespace {

uint64_t KeyOf(uint64_t k) { return k; }
uint64_t KeyOf(const std::pair<uint64_t, std::string>& p) { return p.first; }

struct Added {
  uint64_t key;
  float weight;
  uint32_t phrase;   // the query's phrase that added it
  bool covered;      // a unigram of a phrase with bigrams
  uint32_t target;   // the phrase it comes from
  TextField field;   // where the query's phrase was found
};

// Appends what the synonyms found in one field add.
Status ExpandField(const Analyzer& analyzer, const SynonymMatcher& m, std::string_view text,
                   float weight, TextField field, std::vector<Added>* out) {
  if (text.empty() || !(weight > 0)) return Status::OK();
  auto normalized = analyzer.Normalize(text);
  if (!normalized.ok()) return normalized.status();
  std::vector<uint32_t> found;
  m.Find(*normalized, &found);
  for (uint32_t src : found) {
    for (uint32_t target : m.phrase(src).expands) {
      const std::vector<uint64_t>& keys = m.phrase(target).keys;
      const bool has_bigram = std::any_of(keys.begin(), keys.end(), [](uint64_t k) {
        return TermKeyKind(k) == TermKind::kBigram;
      });
      for (uint64_t k : keys) {
        out->push_back(Added{k, weight, src, has_bigram && TermKeyKind(k) == TermKind::kUnigram,
                             target, field});
      }
    }
  }
  return Status::OK();
}

// Adds the synonyms' terms the query lacks to q->terms (kept sorted) and
// lists them in q->synonym_of; returns the unigrams to mark covered.
Status ExpandSynonyms(const Analyzer& analyzer, const FieldWeights& weights,
                      const Record* record, std::string_view text, const QuerySynonyms& syn,
                      QueryView* q, std::vector<uint64_t>* covered) {
  const SynonymMatcher& m = *syn.matcher;
  std::vector<Added> added;
  if (record != nullptr) {
    TECHMATCH_RETURN_IF_ERROR(
        ExpandField(analyzer, m, record->title, weights.title, TextField::kTitle, &added));
    for (const std::string& kw : record->keywords) {
      TECHMATCH_RETURN_IF_ERROR(
          ExpandField(analyzer, m, kw, weights.keywords, TextField::kKeywords, &added));
    }
    TECHMATCH_RETURN_IF_ERROR(
        ExpandField(analyzer, m, record->text, weights.text, TextField::kText, &added));
  } else {
    TECHMATCH_RETURN_IF_ERROR(ExpandField(analyzer, m, text, 1.0f, TextField::kText, &added));
  }
  if (added.empty()) return Status::OK();
  std::sort(added.begin(), added.end(), [](const Added& a, const Added& b) {
    return std::tie(a.key, b.weight, a.phrase) < std::tie(b.key, a.weight, b.phrase);
  });
  auto& terms = q->terms.terms;
  const size_t own = terms.size();
  std::vector<uint64_t> own_keys(own);  // sorted, as terms
  for (size_t i = 0; i < own; ++i) own_keys[i] = terms[i].first;
  auto query_has = [&](uint64_t key) {
    return std::binary_search(own_keys.begin(), own_keys.end(), key);
  };
  // The phrases that add a term, each with its heaviest finding field.
  std::vector<std::tuple<uint32_t, float, TextField>> phrases;  // target, weight, field
  for (size_t i = 0; i < added.size(); ++i) {
    const Added& a = added[i];
    if (query_has(a.key)) continue;
    phrases.emplace_back(a.target, a.weight, a.field);
    if (i > 0 && added[i - 1].key == a.key) continue;  // the largest weight came first
    terms.emplace_back(a.key, a.weight * syn.weight);
    q->synonym_of.emplace_back(a.key, m.phrase(a.phrase).normalized);
    if (a.covered) covered->push_back(a.key);
  }
  std::inplace_merge(terms.begin(), terms.begin() + long(own), terms.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  // Heaviest first per phrase; then each phrase's own terms the query lacks.
  std::sort(phrases.begin(), phrases.end(), [](const auto& a, const auto& b) {
    return std::get<0>(a) != std::get<0>(b) ? std::get<0>(a) < std::get<0>(b)
                                            : std::get<1>(a) > std::get<1>(b);
  });
  // A term two phrases share (or one phrase repeats) is embedded once, as
  // the lexical side adds it once.
  std::vector<uint64_t> embedded;
  for (size_t i = 0; i < phrases.size(); ++i) {
    if (i > 0 && std::get<0>(phrases[i - 1]) == std::get<0>(phrases[i])) continue;
    QueryView::SynonymPhrase p;
    p.field = std::get<2>(phrases[i]);
    p.weight = syn.weight;
    std::vector<Term> analyzed;
    TECHMATCH_RETURN_IF_ERROR(analyzer.Analyze(m.phrase(std::get<0>(phrases[i])).normalized,
                                               &analyzed));
    for (Term& t : analyzed) {
      const uint64_t key = TermKey(t.kind, t.text);
      if (query_has(key) || std::find(embedded.begin(), embedded.end(), key) != embedded.end()) {
        continue;
      }
      embedded.push_back(key);
      p.terms.push_back(std::move(t));
    }
    if (!p.terms.empty()) q->synonym_phrases.push_back(std::move(p));
  }
  return Status::OK();
}

}  // namespace

Status AnalyzeQuery(const Analyzer& analyzer, const FieldWeights& weights,
                    const Record* record, std::string_view text, QueryView* q,
                    const QuerySynonyms& synonyms) {
  q->record = record;
  q->synonym_of.clear();
  q->synonym_phrases.clear();
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
  std::vector<uint64_t> covered;  // synonyms' unigrams covered by their bigrams
  if (synonyms.matcher != nullptr && synonyms.weight > 0) {
    TECHMATCH_RETURN_IF_ERROR(
        ExpandSynonyms(analyzer, weights, record, text, synonyms, q, &covered));
  }
  // The features' view of the query is its own terms: a synonym acts
  // through the lexical stage (candidates and the BM25 score) only, so
  // it never dilutes the overlap features' shares.
  q->keys.clear();
  for (const auto& kv : q->terms.terms) {
    const bool added = std::binary_search(
        q->synonym_of.begin(), q->synonym_of.end(), kv.first,
        [](const auto& a, const auto& b) { return KeyOf(a) < KeyOf(b); });
    if (!added) q->keys.push_back(kv.first);
  }
  q->lexical = ToLexicalQuery(q->terms);
  std::vector<const std::vector<Term>*> lists = {&q->fields.title, &q->fields.text};
  for (const auto& kw : q->fields.keywords) lists.push_back(&kw);
  MarkCoveredUnigrams(lists, &q->lexical);
  if (!covered.empty()) {
    std::sort(covered.begin(), covered.end());
    for (LexicalQueryTerm& t : q->lexical) {
      if (std::binary_search(covered.begin(), covered.end(), t.key)) t.covered = true;
    }
  }
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
    std::vector<ExtraTerms> extra;
    for (const auto& p : q->synonym_phrases) extra.push_back({&p.terms, p.field, p.weight});
    TECHMATCH_RETURN_IF_ERROR(ae->EmbedAnalyzed(q->record != nullptr ? &q->fields : nullptr,
                                                q->fields.text, extra, q->vector.data()));
  }
  if (!NormalizeVector(&q->vector)) q->vector.clear();
  return Status::OK();
}

}  // namespace techmatch::internal
