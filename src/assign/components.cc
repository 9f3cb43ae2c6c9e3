// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "assign/components.h"

#include <algorithm>
#include <numeric>

namespace techmatch::internal {
namespace {

// Union-find with path halving; demands are 0..D-1, supplies D..D+S-1.
class DisjointSets {
 public:
  explicit DisjointSets(size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), 0u);
  }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<uint32_t> parent_;
};

bool Active(const AssignProblem& p, uint32_t d) {
  if (p.FreeMax(d) == 0) return false;
  for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
    if (!p.forced[a]) return true;
  }
  return false;
}

}  // namespace

std::vector<Component> FindComponents(const AssignProblem& p, bool split) {
  const uint32_t D = p.num_demands;
  std::vector<uint8_t> active(D);
  for (uint32_t d = 0; d < D; ++d) active[d] = Active(p, d) ? 1 : 0;

  std::vector<uint32_t> root(size_t(D) + p.num_supplies, 0);
  if (split) {
    DisjointSets sets(size_t(D) + p.num_supplies);
    for (uint32_t d = 0; d < D; ++d) {
      if (!active[d]) continue;
      for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
        if (!p.forced[a]) sets.Union(d, D + p.supply[a]);
      }
    }
    for (uint32_t x = 0; x < root.size(); ++x) root[x] = sets.Find(x);
  }
  // Component ids in order of each root's first demand.
  std::vector<int64_t> id_of_root(root.size(), -1);
  std::vector<Component> out;
  std::vector<uint8_t> seen_supply(p.num_supplies, 0);
  for (uint32_t d = 0; d < D; ++d) {
    if (!active[d]) continue;
    int64_t& id = id_of_root[root[d]];
    if (id < 0) {
      id = int64_t(out.size());
      out.emplace_back();
    }
    Component& c = out[size_t(id)];
    c.demands.push_back(d);
    for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
      if (p.forced[a]) continue;
      ++c.arcs;
      const uint32_t s = p.supply[a];
      if (!seen_supply[s]) {
        seen_supply[s] = 1;
        c.supplies.push_back(s);
      }
    }
  }
  for (Component& c : out) std::sort(c.supplies.begin(), c.supplies.end());
  std::stable_sort(out.begin(), out.end(), [](const Component& a, const Component& b) {
    return a.demands.size() + a.supplies.size() > b.demands.size() + b.supplies.size();
  });
  return out;
}

}  // namespace techmatch::internal
