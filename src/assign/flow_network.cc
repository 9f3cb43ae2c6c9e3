// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "assign/flow_network.h"

#include <algorithm>
#include <cmath>

namespace techmatch::internal {
namespace {

int64_t ScaledCost(double value, double scale) {
  return int64_t(std::llround(value * scale));
}

bool MinCost(NetKind kind) {
  return kind == NetKind::kFull || kind == NetKind::kBonus || kind == NetKind::kNoCoverage;
}

// Source and hub arcs (all leave nodes 0..3, so they come first).
void AddSourceArcs(const AssignProblem& p, const Component& c,
                   const FlowLayout& L, NetKind kind, const NetCosts& costs, NetArcs* out) {
  const int K = L.num_demands();
  // s -> demand: the extra answers (min-cost kinds) or, for the max flows,
  // the minimums themselves.
  for (int k = 0; k < K; ++k) {
    const uint32_t d = c.demands[size_t(k)];
    switch (kind) {
      case NetKind::kFirstUnits:
        if (p.NeedsFirst(d)) out->Add(FlowLayout::kSource, L.strong(k), 1, 0);
        break;
      case NetKind::kMinUnits:
        if (p.NeedsFirst(d)) out->Add(FlowLayout::kSource, L.strong(k), 1, 0);
        if (p.RestMin(d) > 0) {
          out->Add(FlowLayout::kSource, L.demand(k), int32_t(p.RestMin(d)), 0);
        }
        break;
      case NetKind::kFull:
        if (p.FreeMax(d) > p.FreeMin(d)) {
          out->Add(FlowLayout::kSource, L.demand(k),
                   int32_t(p.FreeMax(d) - p.FreeMin(d)), 0);
        }
        break;
      case NetKind::kBonus:
        if (p.NeedsFirst(d)) out->Add(FlowLayout::kSource, L.strong(k), 1, -costs.first_bonus);
        if (p.RestMin(d) > 0) {
          out->Add(FlowLayout::kSource, L.demand(k), int32_t(p.RestMin(d)), -costs.rest_bonus);
        }
        if (p.FreeMax(d) > p.FreeMin(d)) {
          out->Add(FlowLayout::kSource, L.demand(k), int32_t(p.FreeMax(d) - p.FreeMin(d)), 0);
        }
        break;
      case NetKind::kNoCoverage:
        out->Add(FlowLayout::kSource, L.demand(k), int32_t(p.FreeMax(d)), 0);
        break;
    }
  }
  if (!MinCost(kind)) return;
  // The manual follow-up bypass: every unit no supply takes.
  out->Add(FlowLayout::kSource, FlowLayout::kSink, int32_t(ComponentFlow(p, c)), 0);
  if (kind != NetKind::kFull) return;
  for (int k = 0; k < K; ++k) {
    if (p.NeedsFirst(c.demands[size_t(k)])) {
      out->Add(FlowLayout::kFirstHub, L.strong(k), 1, 0);
    }
  }
  for (int k = 0; k < K; ++k) {
    const uint32_t rest = p.RestMin(c.demands[size_t(k)]);
    if (rest > 0) out->Add(FlowLayout::kRestHub, L.demand(k), int32_t(rest), 0);
  }
}

// Pair arcs leaving `node`: every free arc of demand d whose strength
// matches (`strong` < 0: all).
// `first` is the component-local position of d's first free arc.
void AddPairArcs(const AssignProblem& p, uint32_t d, uint64_t first, int node,
                 int strong, double tau, const FlowLayout& L,
                 const std::vector<uint32_t>& local, double scale, bool min_cost,
                 NetArcs* out, std::vector<uint32_t>* net_arc_of) {
  uint64_t pos = first;
  for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
    if (p.forced[a]) continue;
    const uint64_t here = pos++;
    if (strong >= 0 && (p.score[a] >= tau) != (strong == 1)) continue;
    if (net_arc_of != nullptr) (*net_arc_of)[here] = uint32_t(out->ends.size());
    out->Add(node, L.supply(int(local[p.supply[a]])), 1,
             min_cost ? -ScaledCost(p.score[a], scale) : 0);
  }
}

void AddSupplyArcs(const AssignProblem& p, const Component& c,
                   const FlowLayout& L, bool min_cost, double scale,
                   NetArcs* out) {
  for (int j = 0; j < L.num_supplies(); ++j) {
    const uint32_t cap = p.FreeCapacity(c.supplies[size_t(j)]);
    if (cap == 0) continue;
    const int node = L.supply(j);
    if (!min_cost || p.balance_weight <= 0) {
      out->Add(node, FlowLayout::kSink, int32_t(cap), 0);
      continue;
    }
    // Convex balance cost: unit arcs with growing marginals, then one arc
    // for the rest at the last marginal. Marginals count the supply's
    // forced answers, which come first.
    const uint32_t base = p.forced_load[c.supplies[size_t(j)]];
    uint32_t given = 0;
    while (given < cap && base + given + 1 < kBalanceSteps) {
      ++given;
      out->Add(node, FlowLayout::kSink, 1,
               ScaledCost(BalanceMarginal(p.balance_weight, base + given), scale));
    }
    if (given < cap) {
      out->Add(node, FlowLayout::kSink, int32_t(cap - given),
               ScaledCost(BalanceMarginal(p.balance_weight, kBalanceSteps), scale));
    }
  }
}

}  // namespace

uint64_t FreeArcs(const AssignProblem& p, uint32_t d) {
  uint64_t n = 0;
  for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) n += p.forced[a] ? 0 : 1;
  return n;
}

int64_t ComponentFlow(const AssignProblem& p, const Component& c) {
  int64_t total = 0;
  for (uint32_t d : c.demands) total += p.FreeMax(d);
  return total;
}

void BuildNet(const AssignProblem& p, const Component& c, const FlowLayout& L,
              NetKind kind, double tau, const std::vector<uint32_t>& local,
              const NetCosts& costs, NetArcs* out, std::vector<uint32_t>* net_arc_of) {
  const double scale = costs.scale;
  *out = NetArcs();
  const bool min_cost = MinCost(kind);
  const size_t expected = c.arcs + 3 * c.demands.size() + c.supplies.size() + 1;
  out->ends.reserve(expected);
  out->cap.reserve(expected);
  if (min_cost) out->cost.reserve(expected);
  AddSourceArcs(p, c, L, kind, costs, out);
  const int K = L.num_demands();
  std::vector<uint64_t> first(size_t(K) + 1, 0);
  for (int k = 0; k < K; ++k) first[size_t(k) + 1] = first[size_t(k)] + FreeArcs(p, c.demands[size_t(k)]);
  if (net_arc_of != nullptr) net_arc_of->assign(first.back(), 0);
  for (int k = 0; k < K; ++k) {
    const uint32_t d = c.demands[size_t(k)];
    if (L.maxmin()) {
      // Weak arcs from the demand node; it passes anything to the strong
      // node too (only the hub's first unit is kept off the weak arcs).
      if (kind != NetKind::kFirstUnits) {
        out->Add(L.demand(k), L.strong(k), int32_t(p.FreeMax(d)), 0);
      }
      AddPairArcs(p, d, first[size_t(k)], L.demand(k), 0, tau, L, local, scale,
                  min_cost, out, net_arc_of);
    } else {
      AddPairArcs(p, d, first[size_t(k)], L.demand(k), -1, tau, L, local, scale,
                  min_cost, out, net_arc_of);
    }
  }
  if (L.maxmin()) {
    for (int k = 0; k < K; ++k) {
      AddPairArcs(p, c.demands[size_t(k)], first[size_t(k)], L.strong(k), 1, tau,
                  L, local, scale, min_cost, out, net_arc_of);
    }
  }
  AddSupplyArcs(p, c, L, min_cost, scale, out);
  if (!min_cost) out->cost.clear();
}

int64_t CyclePairArcs(const FlowLayout& L) {
  const int64_t demand_nodes = int64_t(L.num_demands()) * (L.maxmin() ? 2 : 1);
  return 2 * std::min<int64_t>(demand_nodes, L.num_supplies());
}

NetCosts BonusCosts(const AssignProblem& p, const Component& c, const FlowLayout& L,
                    double scale) {
  int64_t pair = 0;
  for (uint32_t d : c.demands) {
    for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
      pair = std::max(pair, std::abs(ScaledCost(p.score[a], scale)));
    }
  }
  const int64_t balance = ScaledCost(BalanceMarginal(p.balance_weight, kBalanceSteps), scale);
  // A simple cycle passes t once: at most two balance arcs.
  const int64_t score_change = CyclePairArcs(L) * pair + 2 * balance;
  NetCosts costs;
  costs.scale = scale;
  costs.rest_bonus = score_change + 1;
  costs.first_bonus = costs.rest_bonus + score_change + 1;
  return costs;
}

double ChooseScale(int nodes, double max_abs, bool cost_scaling) {
  if (!(max_abs > 0)) max_abs = 1;
  const double n = double(nodes) + 1;
  // NetworkSimplex: potentials are sums of at most n costs on top of its
  // artificial cost 2^62, so n * C must stay under 2^60. CostScaling
  // multiplies costs by 16 n and its potentials grow to ~3 n times that.
  double limit = cost_scaling ? std::ldexp(1.0, 61) / (64.0 * n * n * max_abs)
                              : std::ldexp(1.0, 60) / (n * max_abs);
  limit = std::min(limit, std::ldexp(1.0, 40));
  if (limit < 1) return 0;
  return std::ldexp(1.0, int(std::floor(std::log2(limit))));
}

}  // namespace techmatch::internal
