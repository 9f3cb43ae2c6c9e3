// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// FitScorerWeights: the engine's candidates and features for judged
// queries, fed to the pairwise logistic fit.

#include "techmatch/fit.h"

#include <cmath>

#include "engine/judged_grade.h"
#include "scoring/pairwise_logistic.h"
#include "util/catch_all.h"

namespace techmatch {

Result<FitReport> FitScorerWeights(const Engine& engine,
                                   const std::vector<JudgedQuery>& judged,
                                   const MatchOptions& match_options,
                                   const FitOptions& options,
                                   const ScorerWeights* initial) {
  return internal::CatchAll("fit", [&]() -> Result<FitReport> {
    TECHMATCH_RETURN_IF_ERROR(options.Validate());
    const ScorerWeights start = initial != nullptr ? *initial : engine.weights();
    TECHMATCH_RETURN_IF_ERROR(start.Validate());
    if (judged.empty()) return Status::InvalidArgument("fit: no judged query");

    // Features do not depend on the weights (candidates, fusion order and
    // the centroid come before scoring), so one pass collects them all.
    MatchOptions mo = match_options;
    mo.k = options.depth;
    mo.explain = true;
    mo.max_explained_terms = 0;  // features only: no re-analysis
    std::vector<MatchQuery> queries;
    queries.reserve(judged.size());
    for (const JudgedQuery& j : judged) queries.push_back(j.query);
    auto results = engine.MatchBatch(queries, mo, options.threads);
    if (!results.ok()) return results.status();

    std::vector<internal::PairwiseGroup> groups;
    groups.reserve(judged.size());
    for (size_t i = 0; i < judged.size(); ++i) {
      internal::PairwiseGroup g;
      for (const Match& m : (*results)[i].matches) {
        std::array<double, kNumFeatures> row{};
        for (const FeatureContribution& f : m.explanation.features) {
          row[size_t(f.feature)] = f.value;
        }
        g.features.push_back(row);
        g.relevance.push_back(internal::JudgedGrade(judged[i], m.key.id));
      }
      groups.push_back(std::move(g));
    }
    internal::PairwiseFitOptions po;
    po.l2 = options.l2;
    po.max_iterations = options.max_iterations;
    po.fixed = options.fixed;
    // A feature the judged data never sets (e.g. titles absent from the
    // corpus) cannot be judged: keep its weight instead of fitting it to 0.
    for (size_t f = 0; f < kNumFeatures; ++f) {
      bool seen = false;
      for (const auto& g : groups) {
        for (const auto& row : g.features) seen = seen || row[f] != 0.0;
      }
      if (!seen) po.fixed[f] = true;
    }
    auto fit = internal::FitPairwiseLogistic(groups, start, po);
    if (!fit.ok()) return fit.status();
    // The pairwise loss ignores scale (but for the L2 term): rescale the
    // fitted weights so their total magnitude is the starting one, which
    // keeps ScorerOptions::follow_up_floor meaningful.
    ScorerWeights fitted = fit->weights;
    double before = 0, after = 0;
    for (size_t f = 0; f < kNumFeatures; ++f) {
      if (po.fixed[f]) continue;
      before += std::abs(start.weight[f]);
      after += std::abs(fitted.weight[f]);
    }
    if (options.keep_scale && before > 0 && after > 0) {
      for (size_t f = 0; f < kNumFeatures; ++f) {
        if (!po.fixed[f]) fitted.weight[f] *= before / after;
      }
    }
    FitReport report;
    report.weights = fitted;
    report.queries = judged.size();
    report.queries_used = fit->groups_used;
    report.pairs = fit->pairs;
    report.loss_before = fit->data_loss_before;
    report.loss_after = fit->data_loss_after;
    report.iterations = fit->iterations;
    return report;
  });
}

}  // namespace techmatch
