// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Cross-validated choice of the engine's match-time settings on csl-match
// dev (techmatch-bench quality): BM25 term-kind weights, the fusion's
// dense weight, the lexical feature's power and the scorer's dense and
// centroid weights, chosen by k-fold cross-validation with the one-
// standard-error rule, and the whole choice itself scored by nested
// cross-validation (picked on k-1 folds, scored on the fold left out).

#ifndef TECHMATCH_BENCH_CV_TUNING_H_
#define TECHMATCH_BENCH_CV_TUNING_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "csl_data.h"
#include "eval/metrics.h"
#include "techmatch/engine.h"

namespace techmatch::bench {

struct CvTuningArgs {
  int folds = 5;       ///< k of the k-fold split; >= 2
  int repeats = 5;     ///< shuffles into k folds (seeds seed, seed + 1, ...)
  uint32_t seed = 1;   ///< the first shuffle of the queries into folds
  /// When set, every setting's metrics on all the queries go to this file
  /// (one JSON line each).
  std::string grid_out;
  bool quick = false;  ///< a 2 x 2 grid of the settings that need engine runs
  int threads = 0;     ///< MatchBatch workers (0 = the engine's)
};

/// Runs the grid (the engine's match-time options are changed between
/// runs and restored on return: no match may run on `engine`
/// meanwhile). The objective of a setting on a set of queries is the mean
/// of MRR@10, low-overlap R@1, DiscP@10 and CatP@10 (the ones with
/// queries), each weighted by 1 / the sd of its per-query values under
/// plain BM25 (equal weights when a metric has no spread). Returns
///   {folds, repeats, seed, queries, settings, objective, objective_weights,
///    rows: [{name, setting, mean: {mrr10, r1, low_r1, disc_p10, cat_p10,
///            objective}, sd: {...}}],
///    nested: {chosen: [setting per outer fold], mean: {...}, sd: {...}},
///    chosen: setting}
/// (mean ± sd over every fold of every repeat).
/// Rows: lexical only, the engine's settings, the best mean, the one-SE
/// choice over all folds. Errors: the first failing match.
Result<nlohmann::json> CrossValidatedTuning(Engine& engine, const std::vector<CslQuery>& queries,
                                            const internal::EvalData& eval,
                                            const CvTuningArgs& args);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_CV_TUNING_H_
