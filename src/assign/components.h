// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Connected components of the candidate graph: independent sub-problems
// that can be solved separately (exactly) and in parallel.

#ifndef TECHMATCH_ASSIGN_COMPONENTS_H_
#define TECHMATCH_ASSIGN_COMPONENTS_H_

#include <cstdint>
#include <vector>

#include "assign/problem.h"

namespace techmatch::internal {

/// The demands and supplies of one component, each in index order.
struct Component {
  std::vector<uint32_t> demands;
  std::vector<uint32_t> supplies;
  uint64_t arcs = 0;  ///< free (not forced) arcs
};

/// The components of the graph of free arcs (not forced) of demands that
/// still have room (FreeMax > 0), largest first (ties: lowest demand
/// index). Demands without such arcs belong to none. With `split` false,
/// everything is one component.
std::vector<Component> FindComponents(const AssignProblem& p, bool split);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ASSIGN_COMPONENTS_H_
