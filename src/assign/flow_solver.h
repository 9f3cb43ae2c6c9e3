// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The exact solve of one component with LEMON: max flows for the coverage
// (and the max-min threshold), then a min-cost flow for the scores, its
// potentials for the explanations and its minimum cut for the shortfalls.

#ifndef TECHMATCH_ASSIGN_FLOW_SOLVER_H_
#define TECHMATCH_ASSIGN_FLOW_SOLVER_H_

#include <cstdint>
#include <vector>

#include "assign/components.h"
#include "assign/problem.h"
#include "techmatch/assign_graph.h"
#include "techmatch/assignment.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// What one component's exact solve found besides the flow.
struct ComponentSolution {
  uint64_t first_needed = 0;  ///< demands needing a first answer
  uint64_t first_given = 0;   ///< of them, covered (maximum possible)
  uint64_t min_needed = 0;    ///< answers towards the minimums needed
  uint64_t min_given = 0;     ///< of them, given (maximum possible)
  double threshold = 0;       ///< kMaxMin threshold; -inf otherwise
  double scale = 0;           ///< score scale used
  double epsilon = 0;         ///< bound on the rounding's effect on total
  std::vector<ShortfallGroup> groups;  ///< problem indices
};

/// Solves component `c` exactly. Marks its used arcs in `used`, adds its
/// loads to `load` and, for every free arc of the component not used, its
/// reduced cost in score units in `loss` (how much the total falls, at
/// least, if it were added). `local` is scratch of num_supplies entries;
/// components write disjoint parts of all four vectors, so different
/// components may be solved on different threads.
Status SolveComponentExact(const AssignProblem& p, const Component& c,
                           AssignObjective objective, AssignAlgorithm algorithm,
                           std::vector<uint32_t>* local,
                           std::vector<uint8_t>* used,
                           std::vector<uint32_t>* load,
                           std::vector<float>* loss, ComponentSolution* out);

/// The best total score of component `c` without the coverage priority
/// (scores and balance only), for the price of coverage.
Status BestTotalWithoutCoverage(const AssignProblem& p, const Component& c,
                                AssignAlgorithm algorithm,
                                std::vector<uint32_t>* local, double* total);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ASSIGN_FLOW_SOLVER_H_
