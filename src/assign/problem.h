// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// AssignProblem: the candidate graph as the solvers read it.

#ifndef TECHMATCH_ASSIGN_PROBLEM_H_
#define TECHMATCH_ASSIGN_PROBLEM_H_

#include <cstdint>
#include <vector>

#include "techmatch/assign_graph.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// Arcs grouped by demand (CSR), best rank first; excluded pairs dropped.
/// Forced pairs stay (flagged) and are taken out of the bounds the
/// solvers see: `free_*` is what is left for them to decide.
struct AssignProblem {
  uint32_t num_demands = 0;
  uint32_t num_supplies = 0;
  std::vector<uint32_t> min, max;    // per demand, as given
  std::vector<uint32_t> capacity;    // per supply, as given
  std::vector<uint32_t> forced_of_demand;  // forced pairs per demand
  std::vector<uint32_t> forced_load;       // forced pairs per supply
  std::vector<uint64_t> begin;       // num_demands + 1 offsets
  std::vector<uint32_t> supply;      // per arc
  std::vector<double> score;         // per arc
  std::vector<uint32_t> rank;        // per arc, 1-based
  std::vector<uint8_t> forced;       // per arc
  double balance_weight = 0;         // SolverOptions::balance_weight

  uint64_t num_arcs() const { return supply.size(); }
  uint64_t ArcBegin(uint32_t d) const { return begin[d]; }
  uint64_t ArcEnd(uint32_t d) const { return begin[d + 1]; }

  /// What the solvers decide for demand d, after its forced pairs.
  uint32_t FreeMax(uint32_t d) const { return max[d] - forced_of_demand[d]; }
  uint32_t FreeMin(uint32_t d) const {
    return min[d] > forced_of_demand[d] ? min[d] - forced_of_demand[d] : 0;
  }
  /// 1 if d still needs its first answer (min >= 1 and nothing forced).
  uint32_t NeedsFirst(uint32_t d) const {
    return min[d] >= 1 && forced_of_demand[d] == 0 ? 1 : 0;
  }
  /// The minimum answers after the first one.
  uint32_t RestMin(uint32_t d) const { return FreeMin(d) - NeedsFirst(d); }
  uint32_t FreeCapacity(uint32_t s) const {
    return capacity[s] - forced_load[s];
  }
};

/// Validates `graph` (see CandidateGraph::Validate) and builds the problem.
Status BuildAssignProblem(const CandidateGraph& graph, AssignProblem* out);

/// The balance cost (score units) of the k-th answer of a supply (k >= 1):
/// weight * min(k - 1, kBalanceSteps - 1).
constexpr uint32_t kBalanceSteps = 32;
inline double BalanceMarginal(double weight, uint32_t k) {
  uint32_t step = k - 1 < kBalanceSteps - 1 ? k - 1 : kBalanceSteps - 1;
  return weight * double(step);
}
/// The balance cost of a whole load.
double BalanceCost(double weight, uint32_t load);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ASSIGN_PROBLEM_H_
