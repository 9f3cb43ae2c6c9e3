// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Assign: fair assignment of a whole fair's demands to an Engine's
// supplies — candidates from MatchBatch, then SolveAssignment.

#ifndef TECHMATCH_ASSIGN_H_
#define TECHMATCH_ASSIGN_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "techmatch/assign_graph.h"
#include "techmatch/assignment.h"
#include "techmatch/engine.h"
#include "techmatch/export.h"
#include "techmatch/filter.h"
#include "techmatch/match.h"
#include "techmatch/record.h"
#include "techmatch/status.h"

namespace techmatch {

/// The demands to serve: every stored demand, stored demands by id, and/or
/// demands the engine does not hold (records, or free texts as records
/// with only an id and a text). Served in that order; ids must be unique.
struct AssignDemands {
  bool all_stored = false;          ///< every demand the engine holds
  std::vector<std::string> ids;     ///< stored demands (kind demand)
  std::vector<Record> records;      ///< unsaved demands; kind is ignored
};

/// How a fair is assigned. Defaults suit a fair of a few thousand demands.
struct TECHMATCH_EXPORT_CLASS AssignOptions {
  /// Candidates per demand (MatchOptions::k). Default 50; 1..10000.
  size_t k = 50;
  /// Answers each demand must get if possible / may get, and demands each
  /// supply can take. Defaults 1, 3, 2.
  uint32_t min_answers = 1;
  uint32_t max_answers = 3;
  uint32_t capacity = 2;
  /// Per-record overrides read from these attributes when present (a
  /// non-negative integer; anything else is an error naming the record).
  /// "" = no override. Defaults "min_answers", "max_answers", "capacity".
  std::string min_attribute = "min_answers";
  std::string max_attribute = "max_answers";
  std::string capacity_attribute = "capacity";
  /// Capacities by supply id (e.g. from a capacity file); they win over
  /// the attribute. Ids the engine does not hold are an error.
  std::map<std::string, uint32_t> capacities;
  /// Candidate pairs scoring below this are dropped. Unset (default): none.
  std::optional<double> min_score;
  /// Exclusions: a pair is never assigned when the demand's attribute
  /// `first` equals the supply's attribute `second` (both present and not
  /// empty), e.g. {"company", "owner"}: no one is matched with its own
  /// organization. Default none.
  std::vector<std::pair<std::string, std::string>> exclude_same;
  /// Conflicts of interest (demand id, supply id): never assigned. Pairs
  /// that are not candidates are ignored.
  std::vector<std::pair<std::string, std::string>> conflicts;
  /// Pairs assigned whatever the objective (demand id, supply id). The
  /// demand must be served and the supply stored; a pair that is not a
  /// candidate is scored by a Match restricted to that supply.
  std::vector<std::pair<std::string, std::string>> forced;
  /// Extra conditions on candidate supplies (kind supply is enforced).
  RecordFilter filter;
  /// Explain each assigned pair as Match does (a second MatchBatch over
  /// the demands with answers). Default true.
  bool explain = true;
  /// Matched terms kept per explanation. Default 5.
  size_t explained_terms = 5;
  /// MatchBatch workers (0 = EngineOptions::threads). Default 0.
  int threads = 0;
  /// Objective, algorithm, balancing, weak threshold, component threads,
  /// baselines. `solver.time_limit_seconds` counts from the Assign call:
  /// candidate matching stops at the limit (demands not reached get none
  /// and say so), and the solve falls back as SolverOptions says.
  SolverOptions solver;

  Status Validate() const;
};

/// What Assign returns: the solved problem, the assignment and the
/// explanations.
struct EngineAssignment {
  /// The candidate graph solved: demand and supply ids (indices of
  /// `assignment`), bounds, candidate pairs, forced and excluded pairs.
  CandidateGraph graph;
  Assignment assignment;
  /// Per demand, parallel to assignment.demands[d].supplies: the
  /// engine's explanation of each assigned pair (empty when not
  /// explained).
  std::vector<std::vector<Explanation>> explanations;
  /// Per demand: its title (or the start of its text), for reports.
  std::vector<std::string> demand_titles;
  /// Per supply of the graph: its title, for reports.
  std::vector<std::string> supply_titles;
  /// Candidate pairs dropped, per demand: below min_score / excluded.
  std::vector<uint32_t> dropped_by_min_score;
  std::vector<uint32_t> dropped_by_exclusion;
  size_t supplies_in_engine = 0;  ///< EngineStats::supplies
  size_t conflicts_ignored = 0;   ///< conflicts that were not candidates
  double candidates_seconds = 0;  ///< MatchBatch (and Get) time
  double explain_seconds = 0;     ///< the explaining MatchBatch
};

/// Assigns `demands` to the engine's supplies. Candidates come from
/// Engine::MatchBatch (all cores by default); see AssignOptions. Errors
/// name the record, attribute or pair (unknown ids, bad attribute values,
/// duplicate demand ids, a forced pair beyond a bound). Infeasible
/// minimums are not an error: Assignment::shortfall_groups names the
/// demands that cannot all reach them. Uses only the Engine's public
/// API; safe to call while other threads match (one writer may run: the
/// candidates then reflect each batch entirely or not at all).
TECHMATCH_EXPORT Result<EngineAssignment> Assign(const Engine& engine,
                                                 const AssignDemands& demands,
                                                 const AssignOptions& options = {});

}  // namespace techmatch

#endif  // TECHMATCH_ASSIGN_H_
