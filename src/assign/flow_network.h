// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The flow networks of one component (docs/assign.md, "The model"): node
// layout and arc lists, sorted by source node as LEMON's StaticDigraph
// wants them. No LEMON type here.

#ifndef TECHMATCH_ASSIGN_FLOW_NETWORK_H_
#define TECHMATCH_ASSIGN_FLOW_NETWORK_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "assign/components.h"
#include "assign/problem.h"

namespace techmatch::internal {

/// Node numbers. Source s, sink t, hubs H1 (first answers) and H2 (the
/// rest of the minimums), one node per demand, for kMaxMin a second
/// "strong" node per demand (its first answer may only use arcs scoring
/// >= the threshold), one node per supply.
class FlowLayout {
 public:
  FlowLayout(const Component& c, bool maxmin)
      : k_(int(c.demands.size())), j_(int(c.supplies.size())), maxmin_(maxmin) {}
  static constexpr int kSource = 0, kSink = 1, kFirstHub = 2, kRestHub = 3;
  int demand(int k) const { return 4 + k; }
  int strong(int k) const { return maxmin_ ? 4 + k_ + k : demand(k); }
  int supply(int j) const { return 4 + k_ * (maxmin_ ? 2 : 1) + j; }
  int nodes() const { return supply(j_); }
  bool maxmin() const { return maxmin_; }
  int num_demands() const { return k_; }
  int num_supplies() const { return j_; }
  /// Which component demand a node stands for, or -1.
  int DemandOfNode(int node) const {
    if (node < 4 || node >= supply(0)) return -1;
    return (node - 4) % k_;
  }
  int SupplyOfNode(int node) const {
    return node >= supply(0) && node < nodes() ? node - supply(0) : -1;
  }

 private:
  int k_, j_;
  bool maxmin_;
};

/// Which network to build.
enum class NetKind {
  kFirstUnits,  ///< max flow: one unit per demand needing a first answer
  kMinUnits,    ///< max flow: every demand's remaining minimum
  /// Min-cost flow: coverage fixed through the hubs' supplies (first
  /// answers C1 from H1, the rest of the minimums from H2), then scores.
  /// Costs stay the size of the scores (CostScaling's arithmetic needs it).
  kFull,
  /// Min-cost flow: a bonus on each demand's first answer and a smaller
  /// one on the rest of its minimum, both large enough to be lexicographic
  /// (NetworkSimplex; see BonusCosts).
  kBonus,
  kNoCoverage,  ///< min-cost flow: scores only (no coverage priority)
};

/// Integer costs: pair arcs cost -round(score * scale), supply arcs the
/// balance marginals; kBonus's first answers -first_bonus and the rest of
/// the minimums -rest_bonus.
struct NetCosts {
  double scale = 0;
  int64_t first_bonus = 0;
  int64_t rest_bonus = 0;
};

/// Arcs sorted by source, with capacities and integer costs.
struct NetArcs {
  std::vector<std::pair<int, int>> ends;
  std::vector<int32_t> cap;
  std::vector<int64_t> cost;
  void Add(int u, int v, int32_t c, int64_t w) {
    ends.emplace_back(u, v);
    cap.push_back(c);
    cost.push_back(w);
  }
};

/// Builds `kind` for component `c`. `local` maps a supply index to its
/// position in c.supplies (filled by the caller). `tau` is the kMaxMin
/// threshold (ignored otherwise). Costs only for the min-cost kinds.
/// `net_arc_of`, when not null, receives the network arc of every free
/// arc of the component, in component order (its demands in order, each
/// one's free arcs in rank order).
void BuildNet(const AssignProblem& p, const Component& c,
              const FlowLayout& layout, NetKind kind, double tau,
              const std::vector<uint32_t>& local, const NetCosts& costs,
              NetArcs* out, std::vector<uint32_t>* net_arc_of);

/// Free (not forced) arcs of demand d.
uint64_t FreeArcs(const AssignProblem& p, uint32_t d);

/// Total answers the component's demands may still take (the flow value
/// of the min-cost networks; every unit not given goes s -> t, the
/// "manual follow-up" bypass).
int64_t ComponentFlow(const AssignProblem& p, const Component& c);

/// Pair arcs a simple cycle of the component's network can hold, at most:
/// two per supply node, and two per demand node (two nodes per demand for
/// kMaxMin).
int64_t CyclePairArcs(const FlowLayout& layout);

/// Bonuses for kBonus at `scale`: the rest-of-minimum bonus exceeds what
/// scores and balance can change along any simple cycle (so one more
/// answer towards a minimum always wins), the first-answer bonus exceeds
/// that plus the rest bonus (one more demand covered always wins).
NetCosts BonusCosts(const AssignProblem& p, const Component& c,
                    const FlowLayout& layout, double scale);

/// The score scale for `algorithm` on a network of `nodes` nodes whose
/// largest |cost| in score units is `max_abs`: the largest power of two
/// that keeps LEMON's 64-bit potentials from overflowing (capped at 2^40).
double ChooseScale(int nodes, double max_abs, bool cost_scaling);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ASSIGN_FLOW_NETWORK_H_
