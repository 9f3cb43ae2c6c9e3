// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Checks an Assignment against its CandidateGraph without the solver's
// code: every bound, exclusion and forced pair, and the reported figures.
// Also random instances and a brute-force optimum for tiny ones.

#ifndef TECHMATCH_TESTS_ASSIGN_CHECKER_H_
#define TECHMATCH_TESTS_ASSIGN_CHECKER_H_

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "techmatch/assign_graph.h"
#include "techmatch/assignment.h"

namespace techmatch::testing {

/// "" when the assignment respects the graph, else what is wrong.
inline std::string CheckAssignment(const CandidateGraph& g, const Assignment& a,
                                   double weak_score = 0.3) {
  if (a.demands.size() != g.num_demands) return "not one outcome per demand";
  std::map<std::pair<uint32_t, uint32_t>, double> arcs;
  for (const CandidateArc& c : g.arcs) arcs[{c.demand, c.supply}] = c.score;
  std::set<std::pair<uint32_t, uint32_t>> excluded(g.excluded.begin(), g.excluded.end());
  std::set<std::pair<uint32_t, uint32_t>> given;
  std::vector<uint32_t> load(g.num_supplies, 0);
  double total = 0;
  for (uint32_t d = 0; d < g.num_demands; ++d) {
    const DemandOutcome& o = a.demands[d];
    const std::string who = "demand " + std::to_string(d) + ": ";
    if (o.supplies.size() > g.MaxOf(d)) return who + "more answers than its max";
    double best = -std::numeric_limits<double>::infinity();
    for (const AssignedPair& p : o.supplies) {
      auto it = arcs.find({d, p.supply});
      if (it == arcs.end()) return who + "assigned a pair that is not a candidate";
      if (excluded.count({d, p.supply})) return who + "assigned an excluded pair";
      if (!given.insert({d, p.supply}).second) return who + "a pair given twice";
      if (it->second != p.score) return who + "reported score differs";
      ++load[p.supply];
      total += p.score;
      best = std::max(best, p.score);
    }
    const size_t n = o.supplies.size();
    DemandStatus want = n == 0                 ? DemandStatus::kUncovered
                        : n < g.MinOf(d)       ? DemandStatus::kBelowMinimum
                        : best < weak_score    ? DemandStatus::kWeak
                                               : DemandStatus::kCovered;
    if (o.status != want) return who + "status " + DemandStatusName(o.status);
    if (o.status != DemandStatus::kCovered && o.needs_follow_up == false &&
        !(n == 0 && g.MinOf(d) == 0)) {
      return who + "not flagged for follow-up";
    }
    if (o.needs_follow_up && o.reason.empty()) return who + "flagged without a reason";
  }
  for (const auto& f : g.forced) {
    if (!given.count(f)) return "forced pair not assigned";
  }
  for (uint32_t s = 0; s < g.num_supplies; ++s) {
    if (load[s] > g.CapacityOf(s)) return "supply " + std::to_string(s) + " over capacity";
    if (a.supply_load.size() != g.num_supplies || a.supply_load[s] != load[s]) {
      return "supply_load wrong for supply " + std::to_string(s);
    }
  }
  if (std::fabs(total - a.summary.ours.total_score) > 1e-6 * (1 + std::fabs(total))) {
    return "summary total differs from the pairs' scores";
  }
  if (a.summary.ours.pairs != given.size()) return "summary pair count wrong";
  return "";
}

/// A random instance: `popular` of the supplies draw most candidates
/// (skewed), scores in [-0.2, 1] quantized to 0.05 so ties happen.
struct RandomSpec {
  uint32_t demands = 8, supplies = 6, per_demand = 3;
  uint32_t max_min = 2, max_max = 3, max_capacity = 2;
  double forced_share = 0.0, excluded_share = 0.0;
  bool quantize = true;
};

inline CandidateGraph RandomGraph(uint32_t seed, const RandomSpec& spec) {
  std::mt19937 rng(seed);
  CandidateGraph g;
  g.num_demands = spec.demands;
  g.num_supplies = spec.supplies;
  auto uni = [&](uint32_t lo, uint32_t hi) {
    return std::uniform_int_distribution<uint32_t>(lo, hi)(rng);
  };
  for (uint32_t d = 0; d < spec.demands; ++d) {
    const uint32_t mx = uni(0, spec.max_max);
    g.demand_max.push_back(mx);
    g.demand_min.push_back(std::min(mx, uni(0, spec.max_min)));
  }
  for (uint32_t s = 0; s < spec.supplies; ++s) g.supply_capacity.push_back(uni(0, spec.max_capacity));
  std::uniform_real_distribution<double> score(-0.2, 1.0);
  const uint32_t popular = std::max<uint32_t>(1, spec.supplies / 4);
  for (uint32_t d = 0; d < spec.demands; ++d) {
    std::set<uint32_t> chosen;
    const uint32_t want = uni(0, spec.per_demand);
    for (uint32_t tries = 0; chosen.size() < want && tries < 4 * want + 4; ++tries) {
      chosen.insert(uni(0, 2) == 0 ? uni(0, spec.supplies - 1) : uni(0, popular - 1));
    }
    for (uint32_t s : chosen) {
      double v = score(rng);
      if (spec.quantize) v = std::round(v * 20) / 20;
      g.arcs.push_back({d, s, v, 0});
    }
  }
  std::shuffle(g.arcs.begin(), g.arcs.end(), rng);
  std::uniform_real_distribution<double> coin(0, 1);
  std::vector<uint32_t> forced_d(spec.demands, 0), forced_s(spec.supplies, 0);
  for (const CandidateArc& a : g.arcs) {
    const double r = coin(rng);
    if (r < spec.excluded_share) {
      g.excluded.push_back({a.demand, a.supply});
    } else if (r < spec.excluded_share + spec.forced_share &&
               forced_d[a.demand] < g.demand_max[a.demand] &&
               forced_s[a.supply] < g.supply_capacity[a.supply]) {
      ++forced_d[a.demand];
      ++forced_s[a.supply];
      g.forced.push_back({a.demand, a.supply});
    }
  }
  return g;
}

/// The lexicographic key the solver maximizes, for one assignment given
/// as the chosen arcs: covered demands (min >= 1), for kMaxMin the
/// threshold (lowest best answer of the demands that need a first answer:
/// min >= 1 and no forced pair), answers towards the minimums, then total
/// score minus the balance cost.
struct LexKey {
  long covered = 0;
  double threshold = 0;
  long min_units = 0;
  double total = 0;
};

inline double BalanceCostOf(double weight, uint32_t load) {
  double c = 0;
  for (uint32_t k = 2; k <= load; ++k) c += weight * std::min<double>(k - 1, 31);
  return c;
}

/// Brute force over every subset of the non-excluded arcs (<= ~16 of
/// them): the best key, comparing totals within `tol`.
inline LexKey BruteForce(const CandidateGraph& g, bool maxmin, double balance, double tol = 1e-9) {
  std::set<std::pair<uint32_t, uint32_t>> excluded(g.excluded.begin(), g.excluded.end());
  std::set<std::pair<uint32_t, uint32_t>> forced(g.forced.begin(), g.forced.end());
  std::vector<CandidateArc> arcs;
  for (const CandidateArc& a : g.arcs) {
    if (!excluded.count({a.demand, a.supply})) arcs.push_back(a);
  }
  LexKey best;
  bool have = false;
  const uint64_t n = uint64_t(1) << arcs.size();
  for (uint64_t mask = 0; mask < n; ++mask) {
    std::vector<uint32_t> answers(g.num_demands, 0), load(g.num_supplies, 0), forced_of(g.num_demands, 0);
    std::vector<double> top(g.num_demands, -std::numeric_limits<double>::infinity());
    LexKey k;
    bool ok = true;
    for (size_t i = 0; i < arcs.size() && ok; ++i) {
      const bool is_forced = forced.count({arcs[i].demand, arcs[i].supply}) > 0;
      if (!(mask >> i & 1)) {
        ok = !is_forced;
        continue;
      }
      forced_of[arcs[i].demand] += is_forced;
      ok = ++answers[arcs[i].demand] <= g.MaxOf(arcs[i].demand) &&
           ++load[arcs[i].supply] <= g.CapacityOf(arcs[i].supply);
      k.total += arcs[i].score;
      top[arcs[i].demand] = std::max(top[arcs[i].demand], arcs[i].score);
    }
    if (!ok) continue;
    k.threshold = std::numeric_limits<double>::infinity();
    for (uint32_t d = 0; d < g.num_demands; ++d) {
      if (g.MinOf(d) == 0) continue;
      k.covered += answers[d] > 0;
      k.min_units += std::min(answers[d], g.MinOf(d));
      if (maxmin && answers[d] > 0 && forced_of[d] == 0) k.threshold = std::min(k.threshold, top[d]);
    }
    if (!maxmin) k.threshold = 0;
    for (uint32_t s = 0; s < g.num_supplies; ++s) k.total -= BalanceCostOf(balance, load[s]);
    auto better = [&](const LexKey& a, const LexKey& b) {
      if (a.covered != b.covered) return a.covered > b.covered;
      if (a.threshold != b.threshold) return a.threshold > b.threshold;
      if (a.min_units != b.min_units) return a.min_units > b.min_units;
      return a.total > b.total + tol;
    };
    if (!have || better(k, best)) {
      best = k;
      have = true;
    }
  }
  return best;
}

/// The same key for the solver's assignment.
inline LexKey KeyOf(const CandidateGraph& g, const Assignment& a, bool maxmin, double balance) {
  std::set<std::pair<uint32_t, uint32_t>> forced(g.forced.begin(), g.forced.end());
  LexKey k;
  k.threshold = maxmin ? std::numeric_limits<double>::infinity() : 0;
  for (uint32_t d = 0; d < g.num_demands; ++d) {
    const auto& s = a.demands[d].supplies;
    double top = -std::numeric_limits<double>::infinity();
    bool any_forced = false;
    for (const AssignedPair& p : s) {
      k.total += p.score;
      top = std::max(top, p.score);
      any_forced = any_forced || forced.count({d, p.supply});
    }
    if (g.MinOf(d) == 0) continue;
    k.covered += !s.empty();
    k.min_units += std::min<long>(long(s.size()), long(g.MinOf(d)));
    if (maxmin && !s.empty() && !any_forced) k.threshold = std::min(k.threshold, top);
  }
  for (uint32_t s = 0; s < g.num_supplies; ++s) k.total -= BalanceCostOf(balance, a.supply_load[s]);
  return k;
}

}  // namespace techmatch::testing

#endif  // TECHMATCH_TESTS_ASSIGN_CHECKER_H_
