// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The greedy baselines on the same candidates: plain greedy (pairs by
// score) and coverage-first greedy (minimums first, most constrained
// demands first, then pairs by score).

#ifndef TECHMATCH_ASSIGN_GREEDY_H_
#define TECHMATCH_ASSIGN_GREEDY_H_

#include <cstdint>
#include <vector>

#include "assign/problem.h"

namespace techmatch::internal {

/// Pairs in descending score (ties: demand, then rank), each taken while
/// the demand is below its max and the supply below its capacity; a pair
/// scoring <= 0 only while the demand is below its minimum. `demands`
/// (all when empty) are the demands considered; `used` and `load` start
/// with the forced pairs (see StartFromForced) and are updated.
void PlainGreedy(const AssignProblem& p, const std::vector<uint32_t>& demands,
                 std::vector<uint8_t>* used, std::vector<uint32_t>* load);

/// Rounds of one answer per demand still below its minimum, the demands
/// with the fewest candidates first, each taking its best candidate with
/// room; then the extras as in PlainGreedy.
void CoverageGreedy(const AssignProblem& p, const std::vector<uint32_t>& demands,
                    std::vector<uint8_t>* used, std::vector<uint32_t>* load);

/// `used` = the forced arcs, `load` = the forced load.
void StartFromForced(const AssignProblem& p, std::vector<uint8_t>* used,
                     std::vector<uint32_t>* load);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ASSIGN_GREEDY_H_
