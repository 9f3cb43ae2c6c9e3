// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The scorer's features: one pure function each, and ComputeFeatures,
// which fills a FeatureVector for a (query, candidate) pair.

#ifndef TECHMATCH_SCORING_FEATURES_H_
#define TECHMATCH_SCORING_FEATURES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "techmatch/record.h"
#include "techmatch/scorer.h"

namespace techmatch::internal {

/// What the features know of the query.
struct FeatureQuery {
  /// Sorted distinct term keys of the query (title/keyword overlap).
  const std::vector<uint64_t>* keys = nullptr;
  /// The query record; null for a free text (no metadata features).
  const Record* record = nullptr;
  /// Its category paths: its own, or the one inferred from its candidates.
  std::vector<std::string> categories;
  /// Normalized mean embedding of the top candidates (dim floats), or null.
  const float* centroid = nullptr;
  size_t dim = 0;
  /// The best BM25 score among the candidates (the lexical feature's scale).
  float max_lexical = 0;
  /// Recency is measured from this day (days since 1970-01-01).
  int64_t today_days = 0;
  double lexical_power = 16.0;
  double recency_half_life_days = 730.0;
};

/// What the features know of one candidate.
struct FeatureCandidate {
  const Record* record = nullptr;  ///< never null
  float lexical = 0;               ///< BM25 score
  float dense = 0;                 ///< cosine with the query
  const float* vector = nullptr;   ///< normalized embedding, or null
  const std::vector<uint64_t>* title_keys = nullptr;  ///< sorted, distinct
  const std::vector<std::vector<uint64_t>>* keyword_keys = nullptr;
};

/// Every feature of the pair (docs/scorer.md).
FeatureVector ComputeFeatures(const FeatureQuery& query,
                              const FeatureCandidate& candidate);

/// The normalized mean of the given normalized vectors (null entries are
/// skipped); empty if there is none or they cancel out.
std::vector<float> Centroid(const std::vector<const float*>& vectors,
                            size_t dim);

/// 1 when a query category and a candidate category are the same path (or
/// one refines the other), 0.5 when they share the parent, else 0; 0 when
/// either side has none. The best pair counts.
double CategoryFeature(const std::vector<std::string>& query,
                       const std::vector<std::string>& candidate);

/// Shared leading region segments: 3+ (county) 1, 2 (city) 0.67,
/// 1 (province) 0.33, none 0; 0 when either is unknown.
double RegionFeature(const std::string& query, const std::string& candidate);

/// Supply maturity (TRL) against the demand's minimum: 1 when it reaches
/// it, else -(gap / 8); 0 when either is unknown.
double MaturityFeature(std::optional<int> demand_min,
                       std::optional<int> supply);

/// Supply price against the demand's budget: 1 within budget, else
/// -min(1, excess / budget); 0 when either is unknown or the budget is 0.
double PriceFeature(std::optional<double> budget, std::optional<double> price);

/// 0.5^(age / half_life) for a record created `created`, age in days before
/// `today_days` (days since 1970-01-01); 1 for future dates, 0 if unknown.
double RecencyFeature(const Date& created, int64_t today_days,
                      double half_life_days);

/// Days since 1970-01-01 of a known date.
int64_t DaysFromCivil(int year, unsigned month, unsigned day);
/// Today's date (UTC) in days since 1970-01-01, from the system clock.
int64_t TodayDays();
/// `today` in days since 1970-01-01 if set (a known date), else TodayDays().
int64_t DaysOf(const std::optional<Date>& today);

/// Share of `query_keys` (sorted, distinct) found in `keys` (sorted).
double OverlapShare(const std::vector<uint64_t>& query_keys,
                    const std::vector<uint64_t>& keys);

/// Share of the candidate's keywords whose every key is in `query_keys`.
double KeywordShare(const std::vector<uint64_t>& query_keys,
                    const std::vector<std::vector<uint64_t>>& keywords);

/// The category most of `votes` hold (each inner list is one candidate's
/// categories; each counts once per candidate), if it is held by at least
/// `min_share` of the candidates that have a category and by 2 or more.
std::optional<std::string> InferCategory(
    const std::vector<const std::vector<std::string>*>& votes,
    double min_share);

}  // namespace techmatch::internal

#endif  // TECHMATCH_SCORING_FEATURES_H_
