// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "assign/synthetic_graph.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace techmatch::internal {

CandidateGraph PopularSkewedGraph(const SyntheticSpec& spec) {
  CandidateGraph g;
  g.num_demands = spec.demands;
  g.num_supplies = spec.supplies;
  g.default_min = spec.min;
  g.default_max = spec.max;
  g.default_capacity = spec.capacity;
  const uint32_t groups = std::max<uint32_t>(1, std::min(spec.groups, spec.supplies));
  const uint32_t per_group = spec.supplies / groups;
  const uint32_t k = std::min(spec.k, per_group);
  g.arcs.reserve(uint64_t(spec.demands) * k);
  std::mt19937_64 rng(spec.seed);
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  std::vector<uint32_t> chosen;
  for (uint32_t d = 0; d < spec.demands; ++d) {
    chosen.clear();
    const uint32_t first = (d % groups) * per_group;
    while (chosen.size() < k) {
      uint32_t s = uint32_t(double(per_group) * std::pow(uni(rng), spec.skew));
      s = first + std::min(s, per_group - 1);
      // Fall back to uniform after a clash, so a demand's k distinct
      // supplies are found fast even when k is close to the supplies.
      if (std::find(chosen.begin(), chosen.end(), s) != chosen.end()) {
        s = first + uint32_t(uni(rng) * per_group) % per_group;
        if (std::find(chosen.begin(), chosen.end(), s) != chosen.end()) continue;
      }
      chosen.push_back(s);
    }
    for (uint32_t s : chosen) {
      const double quality = 1.0 - double(s - first) / double(per_group);
      g.arcs.push_back({d, s, 0.6 * quality + 0.4 * uni(rng), 0});
    }
  }
  if (spec.ids) {
    g.demand_ids.reserve(spec.demands);
    for (uint32_t d = 0; d < spec.demands; ++d) g.demand_ids.push_back("D" + std::to_string(d));
    g.supply_ids.reserve(spec.supplies);
    for (uint32_t s = 0; s < spec.supplies; ++s) g.supply_ids.push_back("S" + std::to_string(s));
  }
  return g;
}

}  // namespace techmatch::internal
