// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// LEMON appears only in this file.

#include "assign/flow_solver.h"

#include <lemon/cost_scaling.h>
#include <lemon/network_simplex.h>
#include <lemon/preflow.h>
#include <lemon/static_graph.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "assign/flow_network.h"
#include "assign/outcomes.h"
#include "assign/residual_paths.h"

namespace techmatch::internal {
namespace {

using Graph = lemon::StaticDigraph;

// LEMON reads capacities, costs and supplies through maps; these adapters
// let it read our vectors in place (it copies what it needs).
template <typename T>
struct ArcVectorMap {
  using Key = Graph::Arc;
  using Value = T;
  const std::vector<T>* values;
  T operator[](const Key& a) const { return (*values)[size_t(Graph::index(a))]; }
};
template <typename T>
struct NodeVectorMap {
  using Key = Graph::Node;
  using Value = T;
  const std::vector<T>* values;
  T operator[](const Key& n) const { return (*values)[size_t(Graph::index(n))]; }
};

void BuildGraph(const NetArcs& net, int nodes, Graph* g) {
  g->build(nodes, net.ends.begin(), net.ends.end());
}

struct MaxFlowResult {
  int64_t value = 0;
  std::vector<int32_t> flow;         // per arc, when a cut was asked for
  std::vector<uint8_t> source_side;  // per node, reachable from s
};

// Max flow s -> t; with `want_cut`, also the flow and the nodes reachable
// from s in the residual graph (the source side of the minimal min cut).
MaxFlowResult RunMaxFlow(const NetArcs& net, int nodes, bool want_cut) {
  Graph g;
  BuildGraph(net, nodes, &g);
  ArcVectorMap<int32_t> cap{&net.cap};
  lemon::Preflow<Graph, ArcVectorMap<int32_t>> preflow(
      g, cap, g.node(FlowLayout::kSource), g.node(FlowLayout::kSink));
  preflow.run();
  MaxFlowResult r;
  r.value = preflow.flowValue();
  if (!want_cut) return r;
  r.flow.resize(net.cap.size());
  for (size_t a = 0; a < net.cap.size(); ++a) r.flow[a] = preflow.flow(g.arc(int(a)));
  r.source_side.assign(size_t(nodes), 0);
  std::vector<int> queue = {FlowLayout::kSource};
  r.source_side[FlowLayout::kSource] = 1;
  for (size_t head = 0; head < queue.size(); ++head) {
    const Graph::Node u = g.node(queue[head]);
    for (Graph::OutArcIt a(g, u); a != lemon::INVALID; ++a) {
      const int v = g.index(g.target(a));
      if (!r.source_side[size_t(v)] && r.flow[size_t(g.index(a))] < net.cap[size_t(g.index(a))]) {
        r.source_side[size_t(v)] = 1;
        queue.push_back(v);
      }
    }
    for (Graph::InArcIt a(g, u); a != lemon::INVALID; ++a) {
      const int v = g.index(g.source(a));
      if (!r.source_side[size_t(v)] && r.flow[size_t(g.index(a))] > 0) {
        r.source_side[size_t(v)] = 1;
        queue.push_back(v);
      }
    }
  }
  return r;
}

int64_t MaxFlowValue(const AssignProblem& p, const Component& c,
                     const FlowLayout& L, NetKind kind, double tau,
                     const std::vector<uint32_t>& local) {
  NetArcs net;
  BuildNet(p, c, L, kind, tau, local, NetCosts(), &net, nullptr);
  return RunMaxFlow(net, L.nodes(), false).value;
}

// Min-cost flow with node supplies; flows per arc and potentials per node.
// `run` starts the algorithm (with its own settings).
template <typename Algorithm, typename Run>
Status RunAlgorithm(Algorithm* alg, Run run, const NetArcs& net,
                    const std::vector<int32_t>& supply, std::vector<int32_t>* flow,
                    std::vector<int64_t>* pi) {
  ArcVectorMap<int32_t> cap{&net.cap};
  ArcVectorMap<int64_t> cost{&net.cost};
  NodeVectorMap<int32_t> sup{&supply};
  alg->upperMap(cap).costMap(cost).supplyMap(sup);
  if (run(alg) != Algorithm::OPTIMAL) {
    // Cannot happen: the bypass arc makes every network feasible and all
    // capacities are finite.
    return Status::Internal("assign: the min-cost flow found no optimum");
  }
  flow->resize(net.cap.size());
  for (size_t a = 0; a < net.cap.size(); ++a) (*flow)[a] = alg->flow(Graph::arc(int(a)));
  pi->resize(supply.size());
  for (size_t n = 0; n < supply.size(); ++n) (*pi)[n] = alg->potential(Graph::node(int(n)));
  return Status::OK();
}

Status RunMinCostFlow(const NetArcs& net, int nodes, const std::vector<int32_t>& supply,
                      AssignAlgorithm algorithm, std::vector<int32_t>* flow,
                      std::vector<int64_t>* pi) {
  Graph g;
  BuildGraph(net, nodes, &g);
  if (algorithm == AssignAlgorithm::kCostScaling) {
    using CS = lemon::CostScaling<Graph, int32_t, int64_t>;
    CS cs(g);
    return RunAlgorithm(&cs, [](CS* a) { return a->run(); }, net, supply, flow, pi);
  }
  // The candidate-list pivot rule: about 2x faster than LEMON's default
  // (block search) on fair-shaped graphs (10 vs 20 s CPU at 100k x 100k,
  // K 50; docs/assign.md).
  using NS = lemon::NetworkSimplex<Graph, int32_t, int64_t>;
  NS ns(g);
  return RunAlgorithm(&ns, [](NS* a) { return a->run(NS::CANDIDATE_LIST); }, net, supply,
                      flow, pi);
}

void FillLocal(const Component& c, std::vector<uint32_t>* local) {
  for (size_t j = 0; j < c.supplies.size(); ++j) (*local)[c.supplies[j]] = uint32_t(j);
}

// The largest threshold at which as many demands still get a first answer
// from arcs scoring >= it: binary search over the distinct scores.
double MaxMinThreshold(const AssignProblem& p, const Component& c, const FlowLayout& L,
                       const std::vector<uint32_t>& local, int64_t first_given) {
  if (first_given == 0) return -std::numeric_limits<double>::infinity();
  std::vector<double> scores;
  scores.reserve(c.arcs);
  for (uint32_t d : c.demands) {
    for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
      if (!p.forced[a]) scores.push_back(p.score[a]);
    }
  }
  std::sort(scores.begin(), scores.end());
  scores.erase(std::unique(scores.begin(), scores.end()), scores.end());
  size_t lo = 0, hi = scores.size() - 1;  // scores[lo] always keeps it
  while (lo < hi) {
    const size_t mid = lo + (hi - lo + 1) / 2;
    if (MaxFlowValue(p, c, L, NetKind::kFirstUnits, scores[mid], local) == first_given) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return scores[lo];
}

// Demands on the source side of the minimal minimum cut of the minimums'
// max flow, grouped by connectivity: each group needs more than its
// candidates can give.
std::vector<ShortfallGroup> ShortfallGroups(const AssignProblem& p, const Component& c,
                                            const FlowLayout& L,
                                            const std::vector<uint32_t>& local) {
  NetArcs net;
  BuildNet(p, c, L, NetKind::kMinUnits, -std::numeric_limits<double>::infinity(), local,
           NetCosts(), &net, nullptr);
  MaxFlowResult r = RunMaxFlow(net, L.nodes(), true);
  // Union-find over source-side nodes joined by arcs inside the side.
  std::vector<int> parent(size_t(L.nodes()));
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int x) {
    while (parent[size_t(x)] != x) x = parent[size_t(x)] = parent[size_t(parent[size_t(x)])];
    return x;
  };
  std::vector<int64_t> short_by(size_t(L.nodes()), 0);
  for (size_t a = 0; a < net.ends.size(); ++a) {
    const auto [u, v] = net.ends[a];
    if (u == FlowLayout::kSource) {
      short_by[size_t(v)] += net.cap[a] - r.flow[a];
      continue;
    }
    if (v == FlowLayout::kSink || !r.source_side[size_t(u)] || !r.source_side[size_t(v)]) continue;
    parent[size_t(find(u))] = find(v);
  }
  std::vector<int> group_of(size_t(L.nodes()), -1);
  std::vector<ShortfallGroup> groups;
  auto group = [&](int node) -> ShortfallGroup& {
    int root = find(node);
    if (group_of[size_t(root)] < 0) {
      group_of[size_t(root)] = int(groups.size());
      groups.emplace_back();
    }
    return groups[size_t(group_of[size_t(root)])];
  };
  for (int k = 0; k < L.num_demands(); ++k) {
    const int node = L.demand(k);
    if (!r.source_side[size_t(node)] && !r.source_side[size_t(L.strong(k))]) continue;
    ShortfallGroup& g = group(r.source_side[size_t(node)] ? node : L.strong(k));
    const uint32_t d = c.demands[size_t(k)];
    g.demands.push_back(d);
    g.min_needed += p.FreeMin(d);
    g.short_by += uint64_t(short_by[size_t(node)]) +
                  (L.maxmin() ? uint64_t(short_by[size_t(L.strong(k))]) : 0);
  }
  for (int j = 0; j < L.num_supplies(); ++j) {
    if (r.source_side[size_t(L.supply(j))]) group(L.supply(j)).supplies.push_back(c.supplies[size_t(j)]);
  }
  std::vector<ShortfallGroup> out;
  for (ShortfallGroup& g : groups) {
    if (g.demands.empty() || g.short_by == 0) continue;
    g.can_give = g.min_needed - g.short_by;
    out.push_back(std::move(g));
  }
  return out;
}

double MaxAbsCost(const AssignProblem& p, const Component& c) {
  double m = 0;
  for (uint32_t d : c.demands) {
    for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) m = std::max(m, std::fabs(p.score[a]));
  }
  return std::max(m, BalanceMarginal(p.balance_weight, kBalanceSteps));
}

// Coverage and threshold first (max flows), where the formulation needs
// them: kMaxMin's threshold search, and CostScaling's hub supplies.
void CoverageFirst(const AssignProblem& p, const Component& c, const FlowLayout& L,
                   bool hubs, const std::vector<uint32_t>& local, ComponentSolution* out) {
  const double kNoThreshold = -std::numeric_limits<double>::infinity();
  out->threshold = kNoThreshold;
  if (L.maxmin() || hubs) {
    out->first_given = uint64_t(MaxFlowValue(p, c, L, NetKind::kFirstUnits, kNoThreshold, local));
  }
  if (L.maxmin()) out->threshold = MaxMinThreshold(p, c, L, local, int64_t(out->first_given));
  if (hubs) {
    out->min_given = uint64_t(MaxFlowValue(p, c, L, NetKind::kMinUnits, out->threshold, local));
  }
}

// The network of the exact solve and its node supplies.
NetCosts ScoreNetwork(const AssignProblem& p, const Component& c, const FlowLayout& L, bool hubs,
                      const ComponentSolution& sol, std::vector<int32_t>* supply) {
  const int64_t flow_total = ComponentFlow(p, c);
  supply->assign(size_t(L.nodes()), 0);
  (*supply)[FlowLayout::kSink] = -int32_t(flow_total);
  NetCosts costs;
  if (hubs) {
    costs.scale = ChooseScale(L.nodes(), MaxAbsCost(p, c), true);
    (*supply)[FlowLayout::kSource] = int32_t(flow_total - int64_t(sol.min_given));
    (*supply)[FlowLayout::kFirstHub] = int32_t(sol.first_given);
    (*supply)[FlowLayout::kRestHub] = int32_t(sol.min_given - sol.first_given);
    return costs;
  }
  (*supply)[FlowLayout::kSource] = int32_t(flow_total);
  // The bonuses reach ~4 * pair arcs per cycle * the largest cost.
  const double bonus_factor = 2.0 * double(CyclePairArcs(L)) + 4.0;
  const double scale = ChooseScale(L.nodes(), MaxAbsCost(p, c) * bonus_factor, false);
  return scale > 0 ? BonusCosts(p, c, L, scale) : costs;
}

// Relaxations (arc visits) the exact losses of one component may cost:
// about 8 sweeps of its network (+1M for small ones), at most 40M (~1 s):
// +15% on the solve at 10k x 10k, K 50. The first blocker of every demand
// goes first; the rest keep their reduced-cost bounds.
uint64_t ExactLossBudget(size_t net_arcs) {
  return std::min<uint64_t>(40'000'000, 8 * uint64_t(net_arcs) + 1'000'000);
}

// Replaces the reduced-cost lower bounds of the blocking candidates by the
// exact cost of adding each (the cheapest residual cycle through it), the
// first blocker of every demand first, then the others, within a budget.
template <typename SetLoss>
void ExactLosses(const AssignProblem& p, const Component& c,
                 const std::vector<uint32_t>& net_arc_of, const std::vector<uint64_t>& first_pos,
                 int64_t limit, const SolveTargets& t, ResidualPaths* paths, SetLoss set_loss) {
  uint64_t budget = ExactLossBudget(net_arc_of.size() + 4 * c.demands.size());
  for (uint32_t round = 0; round < 2; ++round) {
    for (size_t k = 0; k < c.demands.size(); ++k) {
      const uint32_t d = c.demands[k];
      const std::vector<uint64_t> wanted = WantedArcs(p, *t.used, d, t.max_blockers);
      for (size_t i = round == 0 ? 0 : 1; i < wanted.size() && (round == 1 || i < 1); ++i) {
        const uint64_t a = wanted[i];
        uint64_t pos = first_pos[k];
        for (uint64_t b = p.ArcBegin(d); b < a; ++b) pos += p.forced[b] ? 0 : 1;
        const int64_t cost = paths->CycleCost(net_arc_of[pos], limit, &budget);
        if (cost < 0) return;  // budget spent: the rest keep their bounds
        set_loss(a, cost);
        (*t.loss_exact)[a] = 1;
      }
    }
  }
}

}  // namespace

Status SolveComponentExact(const AssignProblem& p, const Component& c,
                           AssignObjective objective, AssignAlgorithm algorithm,
                           const SolveTargets& t, ComponentSolution* out) {
  *out = ComponentSolution();
  FillLocal(c, t.local);
  const FlowLayout L(c, objective == AssignObjective::kMaxMin);
  const bool hubs = algorithm == AssignAlgorithm::kCostScaling;
  for (uint32_t d : c.demands) {
    out->first_needed += p.NeedsFirst(d);
    out->min_needed += p.FreeMin(d);
  }
  CoverageFirst(p, c, L, hubs, *t.local, out);
  std::vector<int32_t> supply;
  const NetCosts costs = ScoreNetwork(p, c, L, hubs, *out, &supply);
  out->scale = costs.scale;
  if (out->scale <= 0) {
    return Status::InvalidArgument("assign: scores too large to scale to integers");
  }
  NetArcs net;
  std::vector<uint32_t> net_arc_of;
  BuildNet(p, c, L, hubs ? NetKind::kFull : NetKind::kBonus, out->threshold, *t.local, costs,
           &net, &net_arc_of);
  std::vector<int32_t> flow;
  std::vector<int64_t> pi;
  TECHMATCH_RETURN_IF_ERROR(RunMinCostFlow(net, L.nodes(), supply, algorithm, &flow, &pi));

  // A cost above what scores can change along a cycle means the pair can
  // only be added at the expense of another demand's coverage.
  const int64_t score_change = hubs ? std::numeric_limits<int64_t>::max() : costs.rest_bonus - 1;
  auto set_loss = [&](uint64_t a, int64_t cost) {
    (*t.loss)[a] = cost > score_change ? std::numeric_limits<float>::infinity()
                                       : float(double(cost) / out->scale);
  };
  ResidualPaths paths(net, L.nodes(), flow, pi);
  uint64_t pairs = 0, pos = 0, covered = 0, min_units = 0;
  std::vector<uint64_t> first_pos;
  for (uint32_t d : c.demands) {
    first_pos.push_back(pos);
    uint32_t answers = 0;
    for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
      if (p.forced[a]) continue;
      const uint32_t e = net_arc_of[pos++];
      if (flow[e] > 0) {
        (*t.used)[a] = 1;
        ++(*t.load)[p.supply[a]];
        ++answers;
      } else {
        set_loss(a, paths.ReducedCost(e));
      }
    }
    pairs += answers;
    covered += p.NeedsFirst(d) && answers > 0;
    min_units += std::min(answers, p.FreeMin(d));
  }
  if (!hubs) {
    out->first_given = covered;
    out->min_given = min_units;
    ExactLosses(p, c, net_arc_of, first_pos, score_change, t, &paths, set_loss);
  }
  if (out->min_given < out->min_needed) out->groups = ShortfallGroups(p, c, L, *t.local);
  // Each pair's score (and balance marginal) is off by at most half a unit
  // of 1/scale, in ours and in the true optimum (<= flow_total pairs).
  const double per_pair = (p.balance_weight > 0 ? 1.0 : 0.5) / out->scale;
  out->epsilon = double(uint64_t(ComponentFlow(p, c)) + pairs) * per_pair;
  return Status::OK();
}

Status BestTotalWithoutCoverage(const AssignProblem& p, const Component& c,
                                AssignAlgorithm algorithm, std::vector<uint32_t>* local,
                                double* total) {
  FillLocal(c, local);
  const FlowLayout L(c, false);
  const double scale =
      ChooseScale(L.nodes(), MaxAbsCost(p, c), algorithm == AssignAlgorithm::kCostScaling);
  if (scale <= 0) return Status::InvalidArgument("assign: scores too large to scale to integers");
  NetArcs net;
  std::vector<uint32_t> net_arc_of;
  NetCosts costs;
  costs.scale = scale;
  BuildNet(p, c, L, NetKind::kNoCoverage, 0, *local, costs, &net, &net_arc_of);
  const int64_t flow_total = ComponentFlow(p, c);
  std::vector<int32_t> supply(size_t(L.nodes()), 0);
  supply[FlowLayout::kSource] = int32_t(flow_total);
  supply[FlowLayout::kSink] = -int32_t(flow_total);
  std::vector<int32_t> flow;
  std::vector<int64_t> pi;
  TECHMATCH_RETURN_IF_ERROR(RunMinCostFlow(net, L.nodes(), supply, algorithm, &flow, &pi));
  *total = 0;
  uint64_t pos = 0;
  for (uint32_t d : c.demands) {
    for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
      if (!p.forced[a] && flow[net_arc_of[pos++]] > 0) *total += p.score[a];
    }
  }
  return Status::OK();
}

}  // namespace techmatch::internal
