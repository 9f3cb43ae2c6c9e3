// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Fitting the scorer's weights from judged query-record pairs.

#ifndef TECHMATCH_FIT_H_
#define TECHMATCH_FIT_H_

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "techmatch/engine.h"
#include "techmatch/export.h"
#include "techmatch/scorer.h"
#include "techmatch/status.h"

namespace techmatch {

/// A query with the ids of the records judged relevant to it (of the
/// target kind; every other candidate counts as not relevant), or graded.
struct JudgedQuery {
  MatchQuery query;
  /// Records judged relevant: grade 1 (unless `grades` has them).
  std::vector<std::string> relevant_ids;
  /// Graded judgements, record id -> grade: 0 not a fit (an operator's
  /// reject) up to 3 a strong fit (1 for an accept). A candidate should
  /// outscore every candidate of a lower grade; candidates judged nowhere
  /// count as grade 0.
  std::map<std::string, int> grades;
};

struct TECHMATCH_EXPORT_CLASS FitOptions {
  /// L2 penalty on the weights. Default 1e-3; >= 0.
  double l2 = 1e-3;
  /// Candidates per query taken from the engine (the scorer's rerank
  /// depth is the natural choice). Default 100; >= 2.
  size_t depth = 100;
  /// Features whose weights are kept as given in `initial` instead of
  /// fitted (e.g. metadata features the judgements cannot inform).
  /// Default: category, region, maturity, price and recency are fixed.
  std::array<bool, kNumFeatures> fixed = {false, false, false, false, false,
                                          true,  true,  true,  true,  true};
  /// Rescale the fitted (free) weights so that their total magnitude is
  /// that of the starting weights. The pairwise loss does not fix a scale,
  /// and ScorerOptions::follow_up_floor assumes the default one.
  /// Default true. (Features that never take a non-zero value in the
  /// judged candidates are always kept fixed: the data cannot judge them.)
  bool keep_scale = true;
  /// Newton iterations at most. Default 50.
  int max_iterations = 50;
  /// Worker threads for the candidate generation; 0 = EngineOptions::threads.
  int threads = 0;

  Status Validate() const;
};

/// What a fit did.
struct FitReport {
  ScorerWeights weights;
  size_t queries = 0;        ///< queries given
  size_t queries_used = 0;   ///< with a relevant record among the candidates
  size_t pairs = 0;          ///< (relevant, not relevant) pairs
  double loss_before = 0;    ///< mean pairwise logistic loss, initial weights
  double loss_after = 0;     ///< ... fitted weights
  int iterations = 0;
};

/// Fits the scorer weights by pairwise logistic loss (L2-regularized,
/// Newton's method in Eigen) over the engine's candidates for each judged
/// query: every relevant candidate should outscore every other one. The
/// engine is not changed; apply the result with Engine::SetWeights.
/// Starts from `initial` (the engine's weights if null).
TECHMATCH_EXPORT Result<FitReport> FitScorerWeights(
    const Engine& engine, const std::vector<JudgedQuery>& judged,
    const MatchOptions& match_options = {}, const FitOptions& options = {},
    const ScorerWeights* initial = nullptr);

}  // namespace techmatch

#endif  // TECHMATCH_FIT_H_
