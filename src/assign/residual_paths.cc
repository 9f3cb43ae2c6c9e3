// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "assign/residual_paths.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

namespace techmatch::internal {
namespace {

constexpr int64_t kUnreached = std::numeric_limits<int64_t>::max();

}  // namespace

ResidualPaths::ResidualPaths(const NetArcs& net, int nodes, const std::vector<int32_t>& flow,
                             const std::vector<int64_t>& pi)
    : net_(net), flow_(flow), pi_(pi), dist_(size_t(nodes), kUnreached) {
  const size_t n = size_t(nodes), m = net.ends.size();
  out_begin_.assign(n + 1, 0);
  in_begin_.assign(n + 1, 0);
  for (const auto& [u, v] : net.ends) {
    ++out_begin_[size_t(u) + 1];
    ++in_begin_[size_t(v) + 1];
  }
  for (size_t x = 0; x < n; ++x) {
    out_begin_[x + 1] += out_begin_[x];
    in_begin_[x + 1] += in_begin_[x];
  }
  in_arcs_.resize(m);
  std::vector<uint32_t> next(in_begin_.begin(), in_begin_.end() - 1);
  for (uint32_t a = 0; a < m; ++a) in_arcs_[next[size_t(net.ends[a].second)]++] = a;
}

int64_t ResidualPaths::ReducedCost(uint32_t e) const {
  const auto [u, v] = net_.ends[e];
  return net_.cost[e] + pi_[size_t(u)] - pi_[size_t(v)];
}

int64_t ResidualPaths::CycleCost(uint32_t e, int64_t limit, uint64_t* budget) {
  const int64_t rc = std::max<int64_t>(0, ReducedCost(e));
  const int source = net_.ends[e].second, target = net_.ends[e].first;
  for (int x : touched_) dist_[size_t(x)] = kUnreached;
  touched_.clear();
  using Item = std::pair<int64_t, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  dist_[size_t(source)] = 0;
  touched_.push_back(source);
  heap.emplace(0, source);
  auto relax = [&](int to, int64_t d) {
    if (d < dist_[size_t(to)]) {
      if (dist_[size_t(to)] == kUnreached) touched_.push_back(to);
      dist_[size_t(to)] = d;
      heap.emplace(d, to);
    }
  };
  while (!heap.empty()) {
    const auto [d, x] = heap.top();
    heap.pop();
    if (d != dist_[size_t(x)]) continue;
    if (rc + d > limit) return limit + 1;
    if (x == target) return rc + d;
    const uint32_t work = (out_begin_[size_t(x) + 1] - out_begin_[size_t(x)]) +
                          (in_begin_[size_t(x) + 1] - in_begin_[size_t(x)]);
    if (*budget < work) return -1;
    *budget -= work;
    // Forward residual arcs (room left) and backward ones (flow to undo);
    // reduced costs of residual arcs are >= 0 at an optimum.
    for (uint32_t a = out_begin_[size_t(x)]; a < out_begin_[size_t(x) + 1]; ++a) {
      if (a != e && flow_[a] < net_.cap[a]) {
        relax(net_.ends[a].second, d + std::max<int64_t>(0, ReducedCost(a)));
      }
    }
    for (uint32_t i = in_begin_[size_t(x)]; i < in_begin_[size_t(x) + 1]; ++i) {
      const uint32_t a = in_arcs_[i];
      if (a != e && flow_[a] > 0) {
        relax(net_.ends[a].first, d + std::max<int64_t>(0, -ReducedCost(a)));
      }
    }
  }
  return limit + 1;  // no way back: adding it would break a bound
}

}  // namespace techmatch::internal
