// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Synthetic candidate graphs shaped like a technology fair: a few popular
// supplies are everyone's candidates. For tests and benchmarks only
// (techmatch_assign_testkit); not shipped.

#ifndef TECHMATCH_ASSIGN_SYNTHETIC_GRAPH_H_
#define TECHMATCH_ASSIGN_SYNTHETIC_GRAPH_H_

#include <cstdint>

#include "techmatch/assign_graph.h"

namespace techmatch::internal {

struct SyntheticSpec {
  uint32_t demands = 10000;
  uint32_t supplies = 10000;
  uint32_t k = 50;         ///< candidates per demand (distinct supplies)
  double skew = 3.0;       ///< supply index = supplies * u^skew: low = popular
  uint32_t min = 2, max = 5, capacity = 3;
  uint64_t seed = 1;
  /// Independent sub-fairs (e.g. industries): demand d and its candidates
  /// belong to group d % groups, supplies are split into equal ranges.
  uint32_t groups = 1;
  bool ids = false;        ///< fill demand_ids / supply_ids ("D0", "S0", ...)
};

/// Each demand's candidates are k distinct supplies drawn with the skew;
/// score = 0.6 * quality(supply) + 0.4 * noise, in [0, 1], where quality
/// falls with the index (popular supplies are also the good ones), ranks
/// by score. Deterministic for a seed.
CandidateGraph PopularSkewedGraph(const SyntheticSpec& spec);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ASSIGN_SYNTHETIC_GRAPH_H_
