// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "engine/explain.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

namespace techmatch::internal {
namespace {

/// Where each wanted term occurs in `fields`, in field order (title,
/// keywords, text), at most MatchedTerm::kMaxSpans per term, with the
/// first occurrence (its text and kind). Each field term's key is computed
/// once.
struct Occurrences {
  std::vector<TextSpan> spans;
  const Term* first = nullptr;
};

// The wanted terms' occurrences, sorted by key (a few dozen terms at most:
// a sorted vector beats a hash map's allocations).
using SpansByKey = std::vector<std::pair<uint64_t, Occurrences>>;

// The index of `key` in `spans`, or -1.
ptrdiff_t IndexOf(const SpansByKey& spans, uint64_t key) {
  auto it = std::lower_bound(spans.begin(), spans.end(), key,
                             [](const auto& kv, uint64_t k) { return kv.first < k; });
  return it != spans.end() && it->first == key ? it - spans.begin() : -1;
}

SpansByKey CollectSpans(const AnalyzedRecord& fields, const std::vector<LexicalTermScore>& wanted) {
  SpansByKey out;
  out.reserve(wanted.size());
  for (const LexicalTermScore& t : wanted) out.emplace_back(t.key, Occurrences{});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) { return a.first == b.first; }),
            out.end());
  // Found first into one reused list, then each term's spans copied out
  // at their exact size: one allocation per term, not one per doubling.
  thread_local std::vector<std::pair<uint32_t, TextSpan>> found;  // (term, span)
  found.clear();
  std::vector<uint32_t> count(out.size(), 0);
  auto scan = [&](const std::vector<Term>& terms, TextField field, uint32_t index) {
    for (const Term& t : terms) {
      const ptrdiff_t i = IndexOf(out, TermKey(t.kind, t.text));
      if (i < 0 || count[size_t(i)] >= MatchedTerm::kMaxSpans) continue;
      ++count[size_t(i)];
      found.emplace_back(uint32_t(i), TextSpan{field, index, t.begin, t.end});
      if (out[size_t(i)].second.first == nullptr) out[size_t(i)].second.first = &t;
    }
  };
  scan(fields.title, TextField::kTitle, 0);
  for (size_t i = 0; i < fields.keywords.size(); ++i) {
    scan(fields.keywords[i], TextField::kKeywords, uint32_t(i));
  }
  scan(fields.text, TextField::kText, 0);
  for (size_t i = 0; i < out.size(); ++i) out[i].second.spans.reserve(count[i]);
  for (const auto& [i, span] : found) out[i].second.spans.push_back(span);
  return out;
}

using SynonymOf = std::vector<std::pair<uint64_t, std::string>>;

const std::string* FindSynonym(const SynonymOf& synonym_of, uint64_t key) {
  auto it = std::lower_bound(synonym_of.begin(), synonym_of.end(), key,
                             [](const auto& kv, uint64_t k) { return kv.first < k; });
  return it != synonym_of.end() && it->first == key ? &it->second : nullptr;
}

/// Largest contribution first, ties by key.
void SortByContribution(std::vector<LexicalTermScore>* terms) {
  std::sort(terms->begin(), terms->end(), [](const auto& a, const auto& b) {
    return a.score != b.score ? a.score > b.score : a.key < b.key;
  });
}

}  // namespace

std::unordered_map<uint64_t, const std::string*> WordTexts(const AnalyzedRecord& fields) {
  std::unordered_map<uint64_t, const std::string*> out;
  auto scan = [&](const std::vector<Term>& terms) {
    for (const Term& t : terms) {
      if (t.kind == TermKind::kWord) out.emplace(TermKey(t.kind, t.text), &t.text);
    }
  };
  scan(fields.title);
  for (const auto& k : fields.keywords) scan(k);
  scan(fields.text);
  return out;
}

void ExplainFeatures(const Scorer& scorer, const Candidate& c, Explanation* e) {
  const ScoreBreakdown b = scorer.Explain(c.features);
  e->bias = b.bias;
  e->found_by = c.by_lexical && c.by_dense ? "both"
                : c.by_lexical             ? "lexical"
                                           : "dense";
  e->features.clear();
  e->features.reserve(kNumFeatures);
  for (size_t j = 0; j < kNumFeatures; ++j) {
    e->features.push_back(
        FeatureContribution{Feature(j), c.features[j], b.weight[j], b.contribution[j]});
  }
}

std::vector<MatchedTerm> MatchedTerms(std::vector<LexicalTermScore> terms, size_t max_terms,
                                      const AnalyzedRecord& query_fields,
                                      const AnalyzedRecord& record_fields,
                                      const SynonymOf& synonym_of) {
  SortByContribution(&terms);
  if (terms.size() > max_terms) terms.resize(max_terms);
  std::vector<MatchedTerm> out;
  out.reserve(terms.size());
  auto in_query = CollectSpans(query_fields, terms);
  auto in_record = CollectSpans(record_fields, terms);
  for (const LexicalTermScore& t : terms) {
    MatchedTerm mt;
    mt.contribution = t.score;
    // The text and kind of the first occurrence, the query's first.
    // Every wanted key is in both lists.
    Occurrences* q = &in_query[size_t(IndexOf(in_query, t.key))].second;
    Occurrences* r = &in_record[size_t(IndexOf(in_record, t.key))].second;
    for (const Occurrences* o : {q, r}) {
      if (mt.text.empty() && o->first != nullptr) {
        mt.text = o->first->text;
        mt.kind = o->first->kind;
      }
    }
    mt.query_spans = std::move(q->spans);
    mt.record_spans = std::move(r->spans);
    if (const std::string* phrase = FindSynonym(synonym_of, t.key)) mt.synonym_of = *phrase;
    out.push_back(std::move(mt));
  }
  return out;
}

double MatchConfidence(ConfidenceMeasure measure, const DocTerms& query_terms,
                       const std::vector<LexicalTermScore>& best_terms, float best_dense,
                       const std::vector<uint64_t>& best_keys, const SynonymOf& synonym_of) {
  // Words and bigrams (unigrams say little alone); `own`: not added by a
  // synonym.
  auto word_or_bigram = [](uint64_t key) { return TermKeyKind(key) != TermKind::kUnigram; };
  auto own = [&](uint64_t key) { return FindSynonym(synonym_of, key) == nullptr; };
  size_t wanted = 0, found = 0, wanted_added = 0, found_added = 0;
  for (const auto& kv : query_terms.terms) {
    if (word_or_bigram(kv.first)) ++(own(kv.first) ? wanted : wanted_added);
  }
  for (const LexicalTermScore& t : best_terms) {
    if (word_or_bigram(t.key)) ++(own(t.key) ? found : found_added);
  }
  const double coverage = wanted > 0 ? double(found) / double(wanted) : 0.0;
  if (measure == ConfidenceMeasure::kCoverageCosine) {
    return 0.5 * coverage + 0.5 * std::max(0.0, double(best_dense));
  }
  // A term a synonym brought in counts when the best match holds it, and
  // never lowers the share: the larger of the share of the query's own
  // terms and that of its own and added terms together.
  const size_t wanted_all = wanted + wanted_added;
  const double query_side =
      std::max(coverage, wanted_all > 0 ? double(found + found_added) / double(wanted_all) : 0.0);
  // The other side: the best match's key terms the query holds (its own or
  // added ones).
  size_t keys = 0, held = 0;
  for (uint64_t key : best_keys) {
    if (!word_or_bigram(key)) continue;
    ++keys;
    auto it = std::lower_bound(
        query_terms.terms.begin(), query_terms.terms.end(), key,
        [](const std::pair<uint64_t, float>& t, uint64_t k) { return t.first < k; });
    held += it != query_terms.terms.end() && it->first == key;
  }
  if (keys == 0) return query_side;
  return std::sqrt(query_side * double(held) / double(keys));
}

std::vector<uint64_t> KeyTerms(const std::vector<uint64_t>& title_keys,
                               const std::vector<std::vector<uint64_t>>& keyword_keys) {
  std::vector<uint64_t> keys = title_keys;
  for (const auto& kw : keyword_keys) keys.insert(keys.end(), kw.begin(), kw.end());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace techmatch::internal
