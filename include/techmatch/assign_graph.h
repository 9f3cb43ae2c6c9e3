// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// CandidateGraph and SolveAssignment: fair assignment of demands to supplies
// over an explicit sparse candidate graph (no Engine needed).

#ifndef TECHMATCH_ASSIGN_GRAPH_H_
#define TECHMATCH_ASSIGN_GRAPH_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "techmatch/assignment.h"
#include "techmatch/export.h"
#include "techmatch/status.h"

namespace techmatch {

/// One candidate pair: demand `demand` may be answered by supply `supply`.
struct CandidateArc {
  uint32_t demand = 0;  ///< index into [0, CandidateGraph::num_demands)
  uint32_t supply = 0;  ///< index into [0, CandidateGraph::num_supplies)
  double score = 0;     ///< higher is better; any finite value
  /// The supply's 1-based rank in the demand's own candidate list (e.g.
  /// Match::rank). 0 on every arc: ranks are derived from the scores
  /// (best first, ties in arc order). Either all arcs give one or none.
  uint32_t rank = 0;
};

/// The problem: demands, supplies, their bounds and the candidate pairs.
/// A plain value; the solver only reads it.
struct TECHMATCH_EXPORT_CLASS CandidateGraph {
  uint32_t num_demands = 0;
  uint32_t num_supplies = 0;
  /// Names for messages and reports; empty, or one per demand / supply.
  std::vector<std::string> demand_ids;
  std::vector<std::string> supply_ids;
  /// Per demand: answers it must get if at all possible (min) and may get
  /// (max); per supply: the most demands it can take (capacity). Each is
  /// empty (then every record takes the `default_*` value) or has one entry
  /// per demand / supply.
  std::vector<uint32_t> demand_min;
  std::vector<uint32_t> demand_max;
  std::vector<uint32_t> supply_capacity;
  uint32_t default_min = 1;       ///< default 1 answer
  uint32_t default_max = 3;       ///< default 3 answers
  uint32_t default_capacity = 2;  ///< default 2 demands per supply
  /// The candidate pairs; (demand, supply) unique.
  std::vector<CandidateArc> arcs;
  /// Pairs assigned whatever the objective (each must be an arc, within
  /// the demand's max and the supply's capacity, and not excluded).
  std::vector<std::pair<uint32_t, uint32_t>> forced;  ///< (demand, supply)
  /// Pairs never assigned (conflicts of interest); pairs that are not arcs
  /// are ignored.
  std::vector<std::pair<uint32_t, uint32_t>> excluded;  ///< (demand, supply)

  uint32_t MinOf(uint32_t d) const {
    return demand_min.empty() ? default_min : demand_min[d];
  }
  uint32_t MaxOf(uint32_t d) const {
    return demand_max.empty() ? default_max : demand_max[d];
  }
  uint32_t CapacityOf(uint32_t s) const {
    return supply_capacity.empty() ? default_capacity : supply_capacity[s];
  }
  /// The demand's / supply's id, or "#index" when ids are not given.
  std::string DemandName(uint32_t d) const;
  std::string SupplyName(uint32_t s) const;

  /// InvalidArgument naming the record or pair: sizes, min > max, an index
  /// out of range, a non-finite score, a repeated pair, partial ranks, a
  /// forced pair that is not an arc, is excluded or exceeds a bound, totals
  /// beyond 2^31 - 1 answers.
  Status Validate() const;
};

/// What is optimized.
enum class AssignObjective : uint8_t {
  /// Most demands with >= 1 answer, then most answers towards the
  /// minimums, then the largest total score (default).
  kTotal = 0,
  /// As kTotal, but after the coverage the worst-served demand's best
  /// answer is raised as far as it goes (the first answer of every covered
  /// demand scores >= a threshold, the largest that keeps the coverage),
  /// then minimums, then total.
  kMaxMin = 1,
};
/// "total" / "maxmin".
TECHMATCH_EXPORT const char* AssignObjectiveName(AssignObjective o);

/// How the assignment is computed.
enum class AssignAlgorithm : uint8_t {
  kAuto = 0,            ///< network simplex (the fastest exact one here)
  kNetworkSimplex = 1,  ///< exact: LEMON NetworkSimplex
  kCostScaling = 2,     ///< exact: LEMON CostScaling (coarser score scale)
  kGreedy = 3,          ///< coverage-first greedy (fast, not optimal)
};
/// "auto" / "simplex" / "costscaling" / "greedy".
TECHMATCH_EXPORT const char* AssignAlgorithmName(AssignAlgorithm a);
/// Parses the names above.
TECHMATCH_EXPORT Result<AssignAlgorithm> ParseAssignAlgorithm(
    const std::string& name);
TECHMATCH_EXPORT Result<AssignObjective> ParseAssignObjective(
    const std::string& name);

/// How SolveAssignment works and what it reports.
struct TECHMATCH_EXPORT_CLASS SolverOptions {
  AssignObjective objective = AssignObjective::kTotal;  ///< default total
  AssignAlgorithm algorithm = AssignAlgorithm::kAuto;   ///< default auto
  /// Load balancing: the k-th answer a supply gives (k >= 2) costs
  /// balance_weight * (k - 1) score units (convex, so loads spread out
  /// unless the scores say otherwise); the marginal cost stops growing
  /// after the 32nd answer. 0 (default) = off. >= 0.
  double balance_weight = 0;
  /// A demand whose best answer scores below this is "weak". Default 0.3.
  double weak_score = 0.3;
  /// Solve connected components of the candidate graph separately (and in
  /// parallel). Exact either way. Default true.
  bool split_components = true;
  /// Worker threads for components (0 = one per core). Default 0.
  int threads = 0;
  /// Seconds before the exact solve of a component may start; components
  /// not started by then get the coverage-first greedy answer and the
  /// summary says so. A solve that has started (one LEMON run) cannot be
  /// interrupted. 0 (default) = no limit.
  double time_limit_seconds = 0;
  /// Also run the plain and coverage-first greedy on the same candidates
  /// and report their figures. Default true.
  bool baselines = true;
  /// Solve a second time without the coverage priority to report the
  /// score given up to cover more demands (doubles the solve time).
  /// Default true.
  bool measure_coverage_cost = true;
  /// Blocking supplies listed per demand. Default 5.
  uint32_t max_blockers = 5;

  Status Validate() const;
};

/// Assigns demands to supplies. Fails (InvalidArgument) only on an invalid
/// graph or options; infeasible minimums are not an error: the demands
/// that cannot all get them are reported (Assignment::shortfall_groups).
/// Thread-safe (no shared state); uses up to `options.threads` threads.
TECHMATCH_EXPORT Result<Assignment> SolveAssignment(
    const CandidateGraph& graph, const SolverOptions& options = {});

}  // namespace techmatch

#endif  // TECHMATCH_ASSIGN_GRAPH_H_
