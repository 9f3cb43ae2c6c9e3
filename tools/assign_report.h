// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The outputs of `techmatch assign`: one JSON line per demand, a CSV of
// the pairs and a Markdown fair report an operator can read.

#ifndef TECHMATCH_TOOLS_ASSIGN_REPORT_H_
#define TECHMATCH_TOOLS_ASSIGN_REPORT_H_

#include <string>

#include "techmatch/assign.h"

namespace techmatch::cli {

/// One line per demand, in order: {"demand", "title", "status",
/// "needs_follow_up", "reason", "min", "max", "candidates",
/// "best_available_score", "shortfall_group", "supplies": [{"id",
/// "title", "score", "candidate_rank", "forced", "explanation"}],
/// "blocked_by": [{"id", "score", "candidate_rank", "load", "capacity",
/// "reason", "total_loss", "loss_exact"}]}.
std::string AssignmentJsonl(const EngineAssignment& r);

/// demand,status,supply,score,candidate_rank,forced — one row per pair,
/// one row with an empty supply for a demand without answers.
std::string AssignmentCsv(const EngineAssignment& r);

/// The fair report: coverage, ours vs the greedy baselines, who needs
/// follow-up and why, shortfall groups, each supply's load.
std::string AssignmentMarkdown(const EngineAssignment& r);

}  // namespace techmatch::cli

#endif  // TECHMATCH_TOOLS_ASSIGN_REPORT_H_
