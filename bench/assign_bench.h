// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// What the two modes of `techmatch-bench assign` share.

#ifndef TECHMATCH_BENCH_ASSIGN_BENCH_H_
#define TECHMATCH_BENCH_ASSIGN_BENCH_H_

#include <cstddef>

#include <nlohmann/json.hpp>

#include "benches.h"
#include "techmatch/assign_graph.h"
#include "techmatch/status.h"

namespace techmatch::bench {

/// The solver options the arguments ask for.
Result<SolverOptions> AssignSolverOptions(const AssignBenchArgs& args);

/// The JSON line: the keys first, the whole summary under
/// "summary".
nlohmann::ordered_json AssignResultJson(const AssignBenchArgs& args, const CandidateGraph& g,
                                        const Assignment& a, double candidates_s,
                                        size_t graph_rss, size_t peak_rss);

/// Adds lp_total_score, lp_covered, lp_min_units, lp_s, lp_gap (CLP's
/// optimum of the same graph); NotSupported without coinor-libclp-dev.
Status AddLpReference(const CandidateGraph& g, nlohmann::ordered_json* out);

/// --csl: an Engine over csl-match, its dev queries as demands.
int RunAssignCslBench(const AssignBenchArgs& args);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_ASSIGN_BENCH_H_
