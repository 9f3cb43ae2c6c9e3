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

/// Where component solves write, each into its own entries (so different
/// components may be solved on different threads): per arc `used` and,
/// for arcs not used, `loss` — how much the fair's total falls if the pair
/// were added and the rest re-optimized, in score units (+inf: only at
/// another demand's coverage) — exact where `loss_exact` says so, else a
/// lower bound (the reduced cost); per supply `load` (added to) and
/// `local` (scratch).
struct SolveTargets {
  std::vector<uint8_t>* used = nullptr;
  std::vector<uint32_t>* load = nullptr;
  std::vector<float>* loss = nullptr;
  std::vector<uint8_t>* loss_exact = nullptr;
  std::vector<uint32_t>* local = nullptr;
  /// Blocking candidates per demand whose loss is made exact (a shortest
  /// path each, within a work budget per component; first blockers first).
  uint32_t max_blockers = 5;
};

/// Solves component `c` exactly into `targets`.
Status SolveComponentExact(const AssignProblem& p, const Component& c,
                           AssignObjective objective, AssignAlgorithm algorithm,
                           const SolveTargets& targets, ComponentSolution* out);

/// The best total score of component `c` without the coverage priority
/// (scores and balance only), for the price of coverage.
Status BestTotalWithoutCoverage(const AssignProblem& p, const Component& c,
                                AssignAlgorithm algorithm,
                                std::vector<uint32_t>* local, double* total);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ASSIGN_FLOW_SOLVER_H_
