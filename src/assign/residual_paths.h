// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The exact price of one more pair in an optimal flow: the cheapest cycle
// through its arc in the residual graph (Dijkstra over reduced costs).

#ifndef TECHMATCH_ASSIGN_RESIDUAL_PATHS_H_
#define TECHMATCH_ASSIGN_RESIDUAL_PATHS_H_

#include <cstdint>
#include <vector>

#include "assign/flow_network.h"

namespace techmatch::internal {

/// The residual graph of an optimal flow with its potentials: every
/// residual arc has a reduced cost >= 0, so shortest paths are Dijkstra's.
/// Not thread-safe (scratch arrays); one per component solve.
class ResidualPaths {
 public:
  ResidualPaths(const NetArcs& net, int nodes, const std::vector<int32_t>& flow,
                const std::vector<int64_t>& pi);

  /// The reduced cost of arc e: cost + pi(tail) - pi(head).
  int64_t ReducedCost(uint32_t e) const;

  /// How much the optimal cost rises if one unit is pushed through arc e
  /// (now without flow) and the rest re-optimized: rc(e) plus the shortest
  /// residual path from e's head back to its tail. Returns `limit` + 1 as
  /// soon as that is sure to exceed `limit`, and -1 when `*budget` (arc
  /// relaxations, decremented) runs out first.
  int64_t CycleCost(uint32_t e, int64_t limit, uint64_t* budget);

 private:
  const NetArcs& net_;
  const std::vector<int32_t>& flow_;
  const std::vector<int64_t>& pi_;
  std::vector<uint32_t> out_begin_, in_begin_, in_arcs_;  // arcs are sorted by tail
  std::vector<int64_t> dist_;
  std::vector<int> touched_;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_ASSIGN_RESIDUAL_PATHS_H_
