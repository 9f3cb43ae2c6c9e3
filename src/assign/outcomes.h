// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// From a set of used arcs to what the caller reads: each demand's outcome
// and blocking supplies, the figures, the reasons in words.

#ifndef TECHMATCH_ASSIGN_OUTCOMES_H_
#define TECHMATCH_ASSIGN_OUTCOMES_H_

#include <cstdint>
#include <vector>

#include "assign/problem.h"
#include "techmatch/assign_graph.h"
#include "techmatch/assignment.h"

namespace techmatch::internal {

/// Answers, status, candidates and best available score of demand d.
void FillOutcome(const AssignProblem& p, const std::vector<uint8_t>& used,
                 double weak_score, uint32_t d, DemandOutcome* out);

/// The free arcs of candidates demand d did not get although it wanted
/// them (better than its worst non-forced answer, or any while it is
/// below its minimum, or any positive one while it has room), best rank
/// first, at most `max`.
std::vector<uint64_t> WantedArcs(const AssignProblem& p, const std::vector<uint8_t>& used,
                                 uint32_t d, uint32_t max);

/// Demand d's blocking supplies (its WantedArcs). `loss` and `loss_exact`
/// are per arc (empty: not from an exact solve).
void FillBlockers(const AssignProblem& p, const std::vector<uint8_t>& used,
                  const std::vector<uint32_t>& load, const std::vector<float>& loss,
                  const std::vector<uint8_t>& loss_exact, uint32_t max_blockers, uint32_t d,
                  DemandOutcome* out);

/// Upper bound on the total ignoring capacities: each demand's forced
/// scores plus its best FreeMax positive candidates.
double CapacityFreeBound(const AssignProblem& p);

/// The figures of an assignment.
AssignmentFigures ComputeFigures(const AssignProblem& p, const std::vector<uint8_t>& used,
                                 const std::vector<uint32_t>& load, double weak_score,
                                 double bound);

/// One sentence per demand for an operator (outcomes, groups and blockers
/// filled first).
void WriteReasons(const CandidateGraph& g, const std::vector<ShortfallGroup>& groups,
                  double weak_score, std::vector<DemandOutcome>* outcomes);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ASSIGN_OUTCOMES_H_
