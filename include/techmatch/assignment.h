// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Assignment: what a fair assignment returns — the pairs, each demand's
// outcome and why, shortfalls, and the summary figures.

#ifndef TECHMATCH_ASSIGNMENT_H_
#define TECHMATCH_ASSIGNMENT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "techmatch/export.h"

namespace techmatch {

/// How well a demand is served.
enum class DemandStatus : uint8_t {
  kCovered = 0,       ///< >= min answers, the best scores >= weak_score
  kWeak = 1,          ///< >= min answers, but the best scores < weak_score
  kBelowMinimum = 2,  ///< some answers, fewer than min
  kUncovered = 3,     ///< no answer
};
/// "covered" / "weak" / "below-minimum" / "uncovered".
TECHMATCH_EXPORT const char* DemandStatusName(DemandStatus s);

/// One assigned supply.
struct AssignedPair {
  uint32_t supply = 0;
  double score = 0;
  uint32_t candidate_rank = 0;  ///< 1-based, in the demand's own list
  bool forced = false;          ///< a forced pair
};

/// Why a better-ranked candidate was not given to a demand.
enum class BlockReason : uint8_t {
  kFull = 0,         ///< the supply is at capacity with other demands
  kLoadBalance = 1,  ///< it has room, but another answer costs balance
  kNotWorthIt = 2,   ///< the demand is served better elsewhere (greedy)
  /// Adding it would leave another demand with fewer answers towards its
  /// minimum (or none): coverage comes before scores.
  kCoverage = 3,
};
/// "full" / "load-balance" / "not-worth-it" / "coverage".
TECHMATCH_EXPORT const char* BlockReasonName(BlockReason r);

/// A candidate ranked above the demand's answers (or any candidate of a
/// demand below its minimum) that it did not get.
struct BlockingSupply {
  uint32_t supply = 0;
  double score = 0;
  uint32_t candidate_rank = 0;
  uint32_t load = 0;      ///< the supply's answers in the assignment
  uint32_t capacity = 0;
  BlockReason reason = BlockReason::kFull;
  /// By how much the fair's total score would fall if this pair were
  /// added (the rest re-arranged optimally, coverage kept), in score
  /// units: exact (the cheapest cycle through the pair in the optimal
  /// flow's residual graph) when `loss_exact`, else a lower bound (its
  /// reduced cost). NaN when the assignment is not from an exact solve
  /// (greedy, CostScaling's bounds aside), or for kCoverage.
  double total_loss = 0;
  bool loss_exact = false;
};

/// One demand's outcome, with the reason in words.
struct DemandOutcome {
  uint32_t min_answers = 0;
  uint32_t max_answers = 0;
  std::vector<AssignedPair> supplies;  ///< best rank first
  DemandStatus status = DemandStatus::kUncovered;
  /// Status is weak / below-minimum, or uncovered with min >= 1.
  bool needs_follow_up = false;
  uint32_t candidates = 0;  ///< candidate pairs it had (after exclusions)
  double best_available_score = 0;  ///< its best candidate's; NaN if none
  std::vector<BlockingSupply> blocked_by;  ///< best rank first
  /// Index into Assignment::shortfall_groups, or -1.
  int32_t shortfall_group = -1;
  std::string reason;  ///< one sentence for an operator
};

/// Demands whose minimums cannot all be met together: they need
/// `min_needed` answers from supplies that can give only `can_give` of them
/// (a minimum cut of the candidate graph), so at least `short_by` answers
/// are missing whatever the assignment.
struct ShortfallGroup {
  std::vector<uint32_t> demands;
  std::vector<uint32_t> supplies;  ///< their candidates on the cut's side
  uint64_t min_needed = 0;
  uint64_t can_give = 0;
  uint64_t short_by = 0;
};

/// The figures of one assignment (ours or a baseline's).
struct AssignmentFigures {
  size_t demands = 0;
  size_t covered = 0;        ///< >= 1 answer
  size_t met_minimum = 0;    ///< >= min answers (min 0 counts as met)
  size_t uncovered = 0;      ///< no answer although min >= 1
  size_t weak = 0;           ///< status weak
  size_t pairs = 0;          ///< answers given
  double coverage = 0;       ///< covered / demands
  double coverage_min = 0;   ///< met_minimum / demands
  double total_score = 0;
  double share_of_bound = 0;  ///< total / AssignSummary::bound
  double mean_score = 0;      ///< over pairs; 0 when none
  double median_score = 0;
  double p10_score = 0;       ///< 10th percentile
  /// Minimum over covered demands of the best assigned score (the
  /// worst-served demand); 0 when none is covered.
  double worst_best_score = 0;
  uint32_t max_load = 0;
  size_t unused_supplies = 0;  ///< supplies with no answer
  double load_gini = 0;        ///< Gini of the supplies' loads
  std::vector<size_t> load_histogram;  ///< [load] -> supplies
};

/// Time and memory of one stage. CPU time and memory are the process's
/// (CPU of all its threads; VmRSS at the end of the stage and its
/// high-water mark VmHWM so far): other work in the process counts too.
struct StageFigures {
  std::string stage;
  double seconds = 0;      ///< wall clock
  double cpu_seconds = 0;  ///< process CPU time
  uint64_t rss_bytes = 0;
  uint64_t peak_rss_bytes = 0;
};

/// Figures of the whole run.
struct AssignSummary {
  size_t demands = 0;
  size_t supplies = 0;
  size_t arcs = 0;  ///< candidate pairs after exclusions
  std::string algorithm;  ///< what produced the assignment
  std::string objective;
  size_t components = 0;         ///< connected components solved
  size_t largest_component = 0;  ///< its demands + supplies
  /// Capacity-free upper bound on the total: each demand's best max
  /// positive-scoring candidates (forced pairs included).
  double bound = 0;
  AssignmentFigures ours;
  bool has_baselines = false;
  AssignmentFigures plain_greedy;     ///< pairs by score, capacities kept
  AssignmentFigures coverage_greedy;  ///< minimums first, then by score
  /// Score given up to cover more demands: the best total without the
  /// coverage priority minus ours. NaN when not measured.
  double coverage_cost = 0;
  /// Scores become integers (score * scale, rounded) for the exact
  /// solvers; the total found is within `epsilon` of the true optimum.
  double score_scale = 0;  ///< smallest over components; 0 if not exact
  double epsilon = 0;
  /// kMaxMin: the threshold the first answers reach (lowest over
  /// components). NaN otherwise.
  double maxmin_threshold = 0;
  std::vector<StageFigures> stages;
  std::vector<std::string> notes;  ///< e.g. a time limit fallback
};

/// The result of an assignment. Indices refer to the CandidateGraph.
struct Assignment {
  std::vector<DemandOutcome> demands;  ///< one per demand, in index order
  std::vector<uint32_t> supply_load;   ///< answers given, per supply
  std::vector<uint32_t> supply_capacity;
  std::vector<ShortfallGroup> shortfall_groups;
  AssignSummary summary;
};

}  // namespace techmatch

#endif  // TECHMATCH_ASSIGNMENT_H_
