// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "assign/problem.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace techmatch {

std::string CandidateGraph::DemandName(uint32_t d) const {
  if (d < demand_ids.size()) return "demand \"" + demand_ids[d] + "\"";
  return "demand #" + std::to_string(d);
}

std::string CandidateGraph::SupplyName(uint32_t s) const {
  if (s < supply_ids.size()) return "supply \"" + supply_ids[s] + "\"";
  return "supply #" + std::to_string(s);
}

Status CandidateGraph::Validate() const {
  internal::AssignProblem problem;
  return internal::BuildAssignProblem(*this, &problem);
}

namespace internal {
namespace {

// Flows are 32-bit in the solvers.
constexpr uint64_t kMaxUnits = std::numeric_limits<int32_t>::max();

uint64_t PairKey(uint32_t d, uint32_t s) { return (uint64_t(d) << 32) | s; }

Status CheckSizes(const CandidateGraph& g) {
  auto bad = [](const std::string& what) {
    return Status::InvalidArgument("candidate graph: " + what);
  };
  if (!g.demand_ids.empty() && g.demand_ids.size() != g.num_demands) {
    return bad("demand_ids has " + std::to_string(g.demand_ids.size()) +
               " entries for " + std::to_string(g.num_demands) + " demands");
  }
  if (!g.supply_ids.empty() && g.supply_ids.size() != g.num_supplies) {
    return bad("supply_ids has " + std::to_string(g.supply_ids.size()) +
               " entries for " + std::to_string(g.num_supplies) + " supplies");
  }
  if (!g.demand_min.empty() && g.demand_min.size() != g.num_demands) {
    return bad("demand_min must be empty or have one entry per demand");
  }
  if (!g.demand_max.empty() && g.demand_max.size() != g.num_demands) {
    return bad("demand_max must be empty or have one entry per demand");
  }
  if (!g.supply_capacity.empty() &&
      g.supply_capacity.size() != g.num_supplies) {
    return bad("supply_capacity must be empty or have one entry per supply");
  }
  if (g.arcs.size() >= std::numeric_limits<uint32_t>::max()) {
    return bad("more than 2^32 - 1 candidate pairs");
  }
  uint64_t total_max = 0;
  for (uint32_t d = 0; d < g.num_demands; ++d) {
    if (g.MinOf(d) > g.MaxOf(d)) {
      return bad(g.DemandName(d) + ": min answers " +
                 std::to_string(g.MinOf(d)) + " > max answers " +
                 std::to_string(g.MaxOf(d)));
    }
    total_max += g.MaxOf(d);
  }
  if (total_max > kMaxUnits) {
    return bad("the demands' max answers add up to more than 2^31 - 1");
  }
  for (uint32_t s = 0; s < g.num_supplies; ++s) {
    if (g.CapacityOf(s) > kMaxUnits) {
      return bad(g.SupplyName(s) + ": capacity over 2^31 - 1");
    }
  }
  return Status::OK();
}

Status CheckArcs(const CandidateGraph& g) {
  size_t ranked = 0;
  for (size_t i = 0; i < g.arcs.size(); ++i) {
    const CandidateArc& a = g.arcs[i];
    const std::string where = "candidate graph: arc " + std::to_string(i);
    if (a.demand >= g.num_demands) {
      return Status::InvalidArgument(where + ": demand index " +
                                     std::to_string(a.demand) +
                                     " out of range");
    }
    if (a.supply >= g.num_supplies) {
      return Status::InvalidArgument(where + ": supply index " +
                                     std::to_string(a.supply) +
                                     " out of range");
    }
    if (!std::isfinite(a.score)) {
      return Status::InvalidArgument(where + " (" + g.DemandName(a.demand) +
                                     ", " + g.SupplyName(a.supply) +
                                     "): score is not finite");
    }
    if (a.rank != 0) ++ranked;
  }
  if (ranked != 0 && ranked != g.arcs.size()) {
    return Status::InvalidArgument(
        "candidate graph: ranks given on " + std::to_string(ranked) + " of " +
        std::to_string(g.arcs.size()) + " arcs (give all or none)");
  }
  return Status::OK();
}

// Sorts each demand's arc slice (indices into g.arcs) best first, checks
// for repeated pairs and derives ranks when none are given.
Status OrderDemandArcs(const CandidateGraph& g, uint32_t d,
                       std::vector<uint32_t>::iterator first,
                       std::vector<uint32_t>::iterator last,
                       std::vector<uint32_t>* derived_rank) {
  std::vector<uint32_t> by_supply(first, last);
  std::sort(by_supply.begin(), by_supply.end(), [&](uint32_t a, uint32_t b) {
    return g.arcs[a].supply < g.arcs[b].supply;
  });
  for (size_t i = 1; i < by_supply.size(); ++i) {
    if (g.arcs[by_supply[i]].supply == g.arcs[by_supply[i - 1]].supply) {
      return Status::InvalidArgument(
          "candidate graph: pair (" + g.DemandName(d) + ", " +
          g.SupplyName(g.arcs[by_supply[i]].supply) + ") given twice (arcs " +
          std::to_string(by_supply[i - 1]) + " and " +
          std::to_string(by_supply[i]) + ")");
    }
  }
  const bool given = !g.arcs.empty() && g.arcs[0].rank != 0;
  if (given) {
    std::stable_sort(first, last, [&](uint32_t a, uint32_t b) {
      return g.arcs[a].rank < g.arcs[b].rank;
    });
  } else {
    std::stable_sort(first, last, [&](uint32_t a, uint32_t b) {
      return g.arcs[a].score > g.arcs[b].score;
    });
    uint32_t r = 0;
    for (auto it = first; it != last; ++it) (*derived_rank)[*it] = ++r;
  }
  return Status::OK();
}

Status ApplyForced(const CandidateGraph& g, AssignProblem* p) {
  std::vector<uint64_t> keys;
  keys.reserve(g.forced.size());
  for (const auto& [d, s] : g.forced) {
    if (d >= g.num_demands || s >= g.num_supplies) {
      return Status::InvalidArgument(
          "candidate graph: forced pair (" + std::to_string(d) + ", " +
          std::to_string(s) + ") out of range");
    }
    keys.push_back(PairKey(d, s));
  }
  std::sort(keys.begin(), keys.end());
  for (size_t i = 0; i < keys.size(); ++i) {
    const uint32_t d = uint32_t(keys[i] >> 32), s = uint32_t(keys[i]);
    const std::string pair = "(" + g.DemandName(d) + ", " + g.SupplyName(s) + ")";
    if (i > 0 && keys[i] == keys[i - 1]) {
      return Status::InvalidArgument("candidate graph: forced pair " + pair +
                                     " given twice");
    }
    bool found = false;
    for (uint64_t a = p->ArcBegin(d); a < p->ArcEnd(d); ++a) {
      if (p->supply[a] == s) {
        p->forced[a] = 1;
        found = true;
        break;
      }
    }
    if (!found) {
      return Status::InvalidArgument(
          "candidate graph: forced pair " + pair +
          " is not a candidate pair, or is excluded");
    }
    if (++p->forced_of_demand[d] > p->max[d]) {
      return Status::InvalidArgument(
          "candidate graph: " + g.DemandName(d) + " has more forced pairs than its max answers (" +
          std::to_string(p->max[d]) + ")");
    }
    if (++p->forced_load[s] > p->capacity[s]) {
      return Status::InvalidArgument(
          "candidate graph: " + g.SupplyName(s) +
          " has more forced pairs than its capacity (" +
          std::to_string(p->capacity[s]) + ")");
    }
  }
  return Status::OK();
}

}  // namespace

double BalanceCost(double weight, uint32_t load) {
  double total = 0;
  for (uint32_t k = 1; k <= load; ++k) total += BalanceMarginal(weight, k);
  return total;
}

Status BuildAssignProblem(const CandidateGraph& g, AssignProblem* p) {
  TECHMATCH_RETURN_IF_ERROR(CheckSizes(g));
  TECHMATCH_RETURN_IF_ERROR(CheckArcs(g));
  const uint32_t D = g.num_demands;
  *p = AssignProblem();
  p->num_demands = D;
  p->num_supplies = g.num_supplies;
  p->min.resize(D);
  p->max.resize(D);
  for (uint32_t d = 0; d < D; ++d) {
    p->min[d] = g.MinOf(d);
    p->max[d] = g.MaxOf(d);
  }
  p->capacity.resize(g.num_supplies);
  for (uint32_t s = 0; s < g.num_supplies; ++s) p->capacity[s] = g.CapacityOf(s);

  // Arcs placed per demand (stable), then ordered within each demand.
  std::vector<uint64_t> start(size_t(D) + 1, 0);
  for (const CandidateArc& a : g.arcs) ++start[a.demand + 1];
  for (uint32_t d = 0; d < D; ++d) start[d + 1] += start[d];
  std::vector<uint32_t> order(g.arcs.size());
  {
    std::vector<uint64_t> next(start.begin(), start.end() - 1);
    for (uint32_t i = 0; i < g.arcs.size(); ++i) order[next[g.arcs[i].demand]++] = i;
  }
  std::vector<uint32_t> derived_rank;
  if (g.arcs.empty() || g.arcs[0].rank == 0) derived_rank.resize(g.arcs.size());
  for (uint32_t d = 0; d < D; ++d) {
    TECHMATCH_RETURN_IF_ERROR(OrderDemandArcs(g, d, order.begin() + start[d],
                                              order.begin() + start[d + 1],
                                              &derived_rank));
  }

  std::vector<uint64_t> excluded;
  excluded.reserve(g.excluded.size());
  for (const auto& [d, s] : g.excluded) excluded.push_back(PairKey(d, s));
  std::sort(excluded.begin(), excluded.end());
  auto is_excluded = [&](uint32_t d, uint32_t s) {
    return !excluded.empty() &&
           std::binary_search(excluded.begin(), excluded.end(), PairKey(d, s));
  };

  p->begin.assign(size_t(D) + 1, 0);
  p->supply.reserve(g.arcs.size());
  p->score.reserve(g.arcs.size());
  p->rank.reserve(g.arcs.size());
  for (uint32_t d = 0; d < D; ++d) {
    for (uint64_t i = start[d]; i < start[d + 1]; ++i) {
      const CandidateArc& a = g.arcs[order[i]];
      if (is_excluded(d, a.supply)) continue;
      p->supply.push_back(a.supply);
      p->score.push_back(a.score);
      p->rank.push_back(derived_rank.empty() ? a.rank : derived_rank[order[i]]);
    }
    p->begin[d + 1] = p->supply.size();
  }
  p->forced.assign(p->supply.size(), 0);
  p->forced_of_demand.assign(D, 0);
  p->forced_load.assign(g.num_supplies, 0);
  return ApplyForced(g, p);
}

}  // namespace internal
}  // namespace techmatch
