// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// An assignment's summary as JSON: S.json of `techmatch assign`, and the
// figures `techmatch-bench assign` prints (bench/ compiles this file too).

#ifndef TECHMATCH_TOOLS_ASSIGN_JSON_H_
#define TECHMATCH_TOOLS_ASSIGN_JSON_H_

#include <nlohmann/json.hpp>

#include "techmatch/assignment.h"

namespace techmatch::cli {

/// One assignment's figures: covered, met_minimum, uncovered, weak, pairs,
/// coverage, coverage_min, total_score, share_of_bound, mean / median /
/// p10 score, worst_best_score, max_load, unused_supplies, load_gini,
/// load_histogram. Non-finite numbers become null.
nlohmann::ordered_json FiguresToJson(const AssignmentFigures& f);

/// The summary: demands, supplies, arcs, algorithm, objective, ours'
/// figures at the top level (coverage, coverage_min, total_score, ...),
/// bound, coverage_cost, epsilon, score_scale, components,
/// largest_component, maxmin_threshold, solve_s, greedy_total_score and
/// greedy_uncovered (plain greedy), the same for coverage-first greedy,
/// "baselines" with both baselines' figures, "stages" (stage, seconds,
/// rss_bytes, peak_rss_bytes), shortfall_groups, notes.
nlohmann::ordered_json SummaryToJson(const Assignment& a);

}  // namespace techmatch::cli

#endif  // TECHMATCH_TOOLS_ASSIGN_JSON_H_
