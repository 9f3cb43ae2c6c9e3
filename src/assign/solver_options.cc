// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Names of the assignment enums and SolverOptions::Validate.

#include <cmath>
#include <string>

#include "techmatch/assign_graph.h"
#include "techmatch/assignment.h"

namespace techmatch {

const char* AssignObjectiveName(AssignObjective o) {
  return o == AssignObjective::kMaxMin ? "maxmin" : "total";
}

const char* AssignAlgorithmName(AssignAlgorithm a) {
  switch (a) {
    case AssignAlgorithm::kAuto: return "auto";
    case AssignAlgorithm::kNetworkSimplex: return "simplex";
    case AssignAlgorithm::kCostScaling: return "costscaling";
    case AssignAlgorithm::kGreedy: return "greedy";
  }
  return "?";
}

Result<AssignAlgorithm> ParseAssignAlgorithm(const std::string& name) {
  for (AssignAlgorithm a : {AssignAlgorithm::kAuto, AssignAlgorithm::kNetworkSimplex,
                            AssignAlgorithm::kCostScaling, AssignAlgorithm::kGreedy}) {
    if (name == AssignAlgorithmName(a)) return a;
  }
  return Status::InvalidArgument("unknown assignment algorithm \"" + name +
                                 "\" (auto, simplex, costscaling, greedy)");
}

Result<AssignObjective> ParseAssignObjective(const std::string& name) {
  if (name == "total") return AssignObjective::kTotal;
  if (name == "maxmin") return AssignObjective::kMaxMin;
  return Status::InvalidArgument("unknown assignment objective \"" + name +
                                 "\" (total, maxmin)");
}

const char* DemandStatusName(DemandStatus s) {
  switch (s) {
    case DemandStatus::kCovered: return "covered";
    case DemandStatus::kWeak: return "weak";
    case DemandStatus::kBelowMinimum: return "below-minimum";
    case DemandStatus::kUncovered: return "uncovered";
  }
  return "?";
}

const char* BlockReasonName(BlockReason r) {
  switch (r) {
    case BlockReason::kFull: return "full";
    case BlockReason::kLoadBalance: return "load-balance";
    case BlockReason::kNotWorthIt: return "not-worth-it";
    case BlockReason::kCoverage: return "coverage";
  }
  return "?";
}

Status SolverOptions::Validate() const {
  if (!std::isfinite(balance_weight) || balance_weight < 0) {
    return Status::InvalidArgument("balance_weight must be finite and >= 0");
  }
  if (!std::isfinite(weak_score)) {
    return Status::InvalidArgument("weak_score must be finite");
  }
  if (threads < 0) return Status::InvalidArgument("threads must be >= 0");
  if (!std::isfinite(time_limit_seconds) || time_limit_seconds < 0) {
    return Status::InvalidArgument("time_limit_seconds must be finite and >= 0");
  }
  if (int(objective) > 1) return Status::InvalidArgument("unknown objective");
  if (int(algorithm) > 3) return Status::InvalidArgument("unknown algorithm");
  return Status::OK();
}

}  // namespace techmatch
