// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The C API's readers of results: they cannot fail (nothing allocates);
// a NULL handle or an index out of range reads as empty.

#include <cstddef>
#include <vector>

#include "c_api/handles.h"
#include "techmatch/c.h"
#include "techmatch/match.h"
#include "techmatch/term.h"

namespace {

using techmatch::FeatureContribution;
using techmatch::Match;
using techmatch::MatchedTerm;
using techmatch::TextSpan;

const Match* AsMatch(const techmatch_match_t* m) {
  return reinterpret_cast<const Match*>(m);
}

const MatchedTerm* Term(const techmatch_match_t* m, size_t t) {
  const Match* match = AsMatch(m);
  if (match == nullptr || t >= match->explanation.matched_terms.size()) {
    return nullptr;
  }
  return &match->explanation.matched_terms[t];
}

const std::vector<TextSpan>* Spans(const techmatch_match_t* m, size_t t,
                                   int side) {
  const MatchedTerm* term = Term(m, t);
  if (term == nullptr) return nullptr;
  if (side == TECHMATCH_QUERY_SPAN) return &term->query_spans;
  if (side == TECHMATCH_RECORD_SPAN) return &term->record_spans;
  return nullptr;
}

}  // namespace

extern "C" {

// ---- batch results ----

void techmatch_batch_result_destroy(techmatch_batch_result_t* results) {
  delete results;
}

size_t techmatch_batch_result_count(const techmatch_batch_result_t* results) {
  return results != nullptr ? results->results.size() : 0;
}

const techmatch_match_result_t* techmatch_batch_result_get(
    const techmatch_batch_result_t* results, size_t i) {
  if (results == nullptr || i >= results->results.size()) return nullptr;
  return &results->results[i];
}

// ---- one query's result ----

void techmatch_match_result_destroy(techmatch_match_result_t* result) {
  delete result;
}

const char* techmatch_match_result_query_id(
    const techmatch_match_result_t* result) {
  return result != nullptr ? result->rep.query_id.c_str() : "";
}

double techmatch_match_result_confidence(const techmatch_match_result_t* result) {
  return result != nullptr ? result->rep.confidence : 0.0;
}

int techmatch_match_result_needs_follow_up(
    const techmatch_match_result_t* result) {
  return result != nullptr && result->rep.needs_follow_up ? 1 : 0;
}

const char* techmatch_match_result_category(
    const techmatch_match_result_t* result, int* inferred) {
  if (inferred != nullptr) {
    *inferred = result != nullptr && result->rep.category_inferred ? 1 : 0;
  }
  return result != nullptr ? result->rep.category.c_str() : "";
}

size_t techmatch_match_result_count(const techmatch_match_result_t* result) {
  return result != nullptr ? result->rep.matches.size() : 0;
}

const techmatch_match_t* techmatch_match_result_get(
    const techmatch_match_result_t* result, size_t i) {
  if (result == nullptr || i >= result->rep.matches.size()) return nullptr;
  return reinterpret_cast<const techmatch_match_t*>(&result->rep.matches[i]);
}

// ---- one match ----

const char* techmatch_match_id(const techmatch_match_t* match) {
  return match != nullptr ? AsMatch(match)->key.id.c_str() : "";
}

int techmatch_match_kind(const techmatch_match_t* match) {
  return match != nullptr ? int(AsMatch(match)->key.kind) : TECHMATCH_SUPPLY;
}

double techmatch_match_score(const techmatch_match_t* match) {
  return match != nullptr ? AsMatch(match)->score : 0.0;
}

size_t techmatch_match_rank(const techmatch_match_t* match) {
  return match != nullptr ? AsMatch(match)->rank : 0;
}

float techmatch_match_lexical_score(const techmatch_match_t* match) {
  return match != nullptr ? AsMatch(match)->lexical_score : 0.0f;
}

float techmatch_match_dense_score(const techmatch_match_t* match) {
  return match != nullptr ? AsMatch(match)->dense_score : 0.0f;
}

double techmatch_match_probability(const techmatch_match_t* match) {
  return match != nullptr ? AsMatch(match)->probability : 0.0;
}

const char* techmatch_match_found_by(const techmatch_match_t* match) {
  return match != nullptr ? AsMatch(match)->explanation.found_by.c_str() : "";
}

double techmatch_match_bias(const techmatch_match_t* match) {
  return match != nullptr ? AsMatch(match)->explanation.bias : 0.0;
}

size_t techmatch_match_feature_count(const techmatch_match_t* match) {
  return match != nullptr ? AsMatch(match)->explanation.features.size() : 0;
}

const char* techmatch_match_feature(const techmatch_match_t* match, size_t f,
                                    double* value, double* weight,
                                    double* contribution) {
  if (match == nullptr || f >= AsMatch(match)->explanation.features.size()) {
    return nullptr;
  }
  const FeatureContribution& fc = AsMatch(match)->explanation.features[f];
  if (value != nullptr) *value = fc.value;
  if (weight != nullptr) *weight = fc.weight;
  if (contribution != nullptr) *contribution = fc.contribution;
  return techmatch::FeatureName(fc.feature);
}

size_t techmatch_match_term_count(const techmatch_match_t* match) {
  return match != nullptr ? AsMatch(match)->explanation.matched_terms.size()
                          : 0;
}

const char* techmatch_match_term(const techmatch_match_t* match, size_t t,
                                 const char** kind, float* contribution) {
  const MatchedTerm* term = Term(match, t);
  if (term == nullptr) return nullptr;
  if (kind != nullptr) *kind = techmatch::TermKindName(term->kind);
  if (contribution != nullptr) *contribution = term->contribution;
  return term->text.c_str();
}

size_t techmatch_match_term_span_count(const techmatch_match_t* match, size_t t,
                                       int side) {
  const std::vector<TextSpan>* spans = Spans(match, t, side);
  return spans != nullptr ? spans->size() : 0;
}

int techmatch_match_term_span(const techmatch_match_t* match, size_t t,
                              int side, size_t s, int* field, uint32_t* index,
                              uint32_t* begin, uint32_t* end) {
  const std::vector<TextSpan>* spans = Spans(match, t, side);
  if (spans == nullptr || s >= spans->size()) return 0;
  const TextSpan& span = (*spans)[s];
  if (field != nullptr) *field = int(span.field);
  if (index != nullptr) *index = span.index;
  if (begin != nullptr) *begin = span.begin;
  if (end != nullptr) *end = span.end;
  return 1;
}

}  // extern "C"
