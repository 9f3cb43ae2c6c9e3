// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The assignment problem as a linear program solved by CLP: the reference
// optimum the tests and the benchmark compare the flow solver with. Built
// only for tests and benchmarks (techmatch_assign_testkit); not shipped.

#ifndef TECHMATCH_ASSIGN_LP_REFERENCE_H_
#define TECHMATCH_ASSIGN_LP_REFERENCE_H_

#include "techmatch/assign_graph.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// The three lexicographic optima of the LP relaxation, objective total
/// without load balancing: the most demands (min >= 1) with an answer,
/// then the most answers towards the minimums, then the largest total.
struct LpReference {
  double covered = 0;
  double min_units = 0;
  double total_score = 0;
  double seconds = 0;
};

/// Formulated on the graph directly (x per pair in [0, 1], forced pairs
/// fixed at 1, excluded pairs absent; per demand u <= 1 and v <= min
/// bounded by its answers, v - u <= min - 1), independent of the flow
/// networks. Internal if CLP does not prove an optimum.
Result<LpReference> SolveLpReference(const CandidateGraph& graph);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ASSIGN_LP_REFERENCE_H_
