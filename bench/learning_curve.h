// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The learning curve of `techmatch fit --judgments`: csl-match dev turned
// into operators' judgments, fitted on N judged queries, scored on the
// rest (techmatch-bench quality).

#ifndef TECHMATCH_BENCH_LEARNING_CURVE_H_
#define TECHMATCH_BENCH_LEARNING_CURVE_H_

#include <nlohmann/json.hpp>
#include <vector>

#include "csl_data.h"
#include "eval/metrics.h"
#include "techmatch/engine.h"
#include "techmatch/fit.h"

namespace techmatch::bench {

/// For each size n and each of `seeds` shuffles of the queries: the
/// judgments of the first n queries ({"text", "supply", "label"} from the
/// qrels, through the CLI's grouping) fit the weights, starting from the
/// engine's; the other queries are matched with the fitted weights and
/// with the engine's, and both runs scored. Returns
///   [{n, seeds, held_out, fitted: {metric: {mean, sd}}, default: {...},
///     delta: {metric: {mean, sd}}}]
/// with metrics mrr10, r1, low_r1, disc_p10, cat_p10 on the held-out
/// queries. Errors: the first failing fit or match.
Result<nlohmann::json> LearningCurve(const Engine& engine, const std::vector<CslQuery>& queries,
                                     const internal::EvalData& eval,
                                     const std::vector<size_t>& sizes, int seeds,
                                     const FitOptions& fit_options);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_LEARNING_CURVE_H_
