// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Scorer: the features a candidate match is scored on, and their weights.

#ifndef TECHMATCH_SCORER_H_
#define TECHMATCH_SCORER_H_

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "techmatch/export.h"
#include "techmatch/status.h"

namespace techmatch {

/// The features of one (query, candidate) pair. Every value is in [0, 1]
/// (or [-1, 1] for the similarities) and 0 when the information is missing
/// on either side, so a missing field never counts against a candidate.
enum class Feature : uint8_t {
  kLexical = 0,     ///< (BM25 score / the query's best)^lexical_power
  kDense,           ///< cosine similarity of the two embeddings
  kCentroid,        ///< cosine of the candidate with the mean embedding of
                    ///< the query's top first-stage candidates
  kTitleOverlap,    ///< share of the query's terms found in the title
  kKeywordOverlap,  ///< share of the candidate's keywords found in the query
  kCategory,        ///< 1 same path (or one refines the other), 0.5 same
                    ///< parent, 0 unrelated/unknown
  kRegion,          ///< 1 county, 0.67 city, 0.33 province, 0 elsewhere
  kMaturity,        ///< 1 supply TRL >= demand minimum, else -gap/8
  kPrice,           ///< 1 price within budget, else -(over budget share)
  kRecency,         ///< 1 published today, 0.5 after recency_half_life_days
};
inline constexpr size_t kNumFeatures = 10;

/// "lexical", "dense", "centroid", "title_overlap", "keyword_overlap",
/// "category", "region", "maturity", "price", "recency".
TECHMATCH_EXPORT const char* FeatureName(Feature feature);
TECHMATCH_EXPORT Result<Feature> ParseFeature(std::string_view name);

/// A linear model: score = bias + sum(weight[f] * value[f]).
struct TECHMATCH_EXPORT_CLASS ScorerWeights {
  std::array<double, kNumFeatures> weight{};
  double bias = 0.0;

  /// The documented defaults (docs/scorer.md): lexical 1, dense 0.1,
  /// centroid 0.2 chosen on csl-match dev; title/keyword overlap and the
  /// metadata features (category, region, maturity, price, recency) get
  /// small hand-set weights that csl-match cannot judge.
  static ScorerWeights Defaults();

  double& operator[](Feature f) { return weight[size_t(f)]; }
  double operator[](Feature f) const { return weight[size_t(f)]; }

  /// InvalidArgument on NaN/Inf.
  Status Validate() const;
};

/// How candidates are scored.
struct TECHMATCH_EXPORT_CLASS ScorerOptions {
  ScorerWeights weights = ScorerWeights::Defaults();
  /// Candidates (best first-stage first) whose embeddings are averaged for
  /// the centroid feature and whose categories vote for an inferred query
  /// category. Default 10; >= 1.
  size_t centroid_depth = 10;
  /// The lexical feature is (BM25 / best BM25)^lexical_power: a sharp
  /// preference for candidates near the best lexical match, so that the
  /// other features re-order the rest without demoting a clear winner.
  /// Default 8 (tuned on csl-match dev: 1 loses ~0.01 MRR@10 for the same
  /// DiscP@10 gain); >= 1.
  double lexical_power = 8.0;
  /// Recency feature: age at which it falls to 0.5. Default 730 days.
  double recency_half_life_days = 730.0;
  /// A query whose MatchResult::confidence is below this is flagged
  /// needs_follow_up. Default 0.35 (docs/scorer.md).
  double follow_up_floor = 0.35;
  /// Infer a category for queries without one from the categories of the
  /// top centroid_depth candidates (majority of at least 40%).
  /// Default true.
  bool infer_category = true;

  Status Validate() const;
};

}  // namespace techmatch

#endif  // TECHMATCH_SCORER_H_
