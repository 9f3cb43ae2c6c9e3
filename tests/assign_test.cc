// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The solver layer: SolveAssignment on explicit candidate graphs.

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "assign_checker.h"
#include "techmatch/assign_graph.h"

using namespace techmatch;
using techmatch::testing::BruteForce;
using techmatch::testing::CheckAssignment;
using techmatch::testing::KeyOf;
using techmatch::testing::LexKey;
using techmatch::testing::RandomGraph;
using techmatch::testing::RandomSpec;

namespace {

SolverOptions Quiet() {
  SolverOptions o;
  o.threads = 1;
  return o;
}

std::string Describe(const LexKey& k) {
  return "covered " + std::to_string(k.covered) + " threshold " + std::to_string(k.threshold) +
         " min_units " + std::to_string(k.min_units) + " total " + std::to_string(k.total);
}

void RequireSameKey(const LexKey& ours, const LexKey& best) {
  INFO("ours: " << Describe(ours) << "\nbest: " << Describe(best));
  REQUIRE(ours.covered == best.covered);
  REQUIRE(ours.threshold == best.threshold);
  REQUIRE(ours.min_units == best.min_units);
  REQUIRE(ours.total == Approx(best.total).margin(1e-9));
}

// Two demands want the same popular supply with room for one.
CandidateGraph Contested() {
  CandidateGraph g;
  g.num_demands = 2;
  g.num_supplies = 2;
  g.demand_ids = {"D1", "D2"};
  g.supply_ids = {"S1", "S2"};
  g.default_min = 1;
  g.default_max = 1;
  g.default_capacity = 1;
  g.arcs = {{0, 0, 0.9, 0}, {0, 1, 0.2, 0}, {1, 0, 0.8, 0}};
  return g;
}

}  // namespace

TEST_CASE("assign: coverage first, then the total", "[assign]") {
  // Plain greedy gives S1 to D1 (0.9) and leaves D2 with nothing; the
  // optimum covers both: D1 -> S2 (0.2), D2 -> S1 (0.8).
  CandidateGraph g = Contested();
  auto a = SolveAssignment(g, Quiet());
  REQUIRE(a.ok());
  REQUIRE(CheckAssignment(g, *a).empty());
  REQUIRE(a->demands[0].supplies.size() == 1);
  CHECK(a->demands[0].supplies[0].supply == 1);
  CHECK(a->demands[0].supplies[0].candidate_rank == 2);
  CHECK(a->demands[1].supplies[0].supply == 0);
  CHECK(a->summary.ours.covered == 2);
  CHECK(a->summary.ours.total_score == Approx(1.0));
  CHECK(a->summary.plain_greedy.uncovered == 1);
  CHECK(a->summary.plain_greedy.total_score == Approx(0.9));
  // The best total without the coverage priority is the same 1.0 (0.9
  // alone is less): coverage cost nothing here.
  CHECK(a->summary.coverage_cost == Approx(0).margin(1e-9));
  // D1's top choice went to D2: giving it back would leave D2 without
  // an answer, which coverage forbids.
  const DemandOutcome& d1 = a->demands[0];
  REQUIRE(d1.blocked_by.size() == 1);
  CHECK(d1.blocked_by[0].supply == 0);
  CHECK(d1.blocked_by[0].reason == BlockReason::kCoverage);
  CHECK(std::isnan(d1.blocked_by[0].total_loss));
  CHECK(d1.reason.find("\"S1\"") != std::string::npos);
  CHECK(d1.reason.find("is full (1/1): giving it to you would leave another demand short") !=
        std::string::npos);
}

TEST_CASE("assign: the price of a blocked pair is exact", "[assign]") {
  // D1 -> S1 (0.9) and D2 -> S2 (0.7): 1.6. Giving S1 to D2 moves D1 to
  // S2: 0.5 + 0.8 = 1.3, so the fair's total falls by exactly 0.3.
  CandidateGraph g;
  g.num_demands = 2;
  g.num_supplies = 2;
  g.demand_ids = {"D1", "D2"};
  g.supply_ids = {"S1", "S2"};
  g.default_min = 1;
  g.default_max = 1;
  g.default_capacity = 1;
  g.arcs = {{0, 0, 0.9, 0}, {0, 1, 0.5, 0}, {1, 0, 0.8, 0}, {1, 1, 0.7, 0}};
  auto a = SolveAssignment(g, Quiet());
  REQUIRE(a.ok());
  const DemandOutcome& d2 = a->demands[1];
  REQUIRE(d2.supplies.size() == 1);
  CHECK(d2.supplies[0].supply == 1);
  REQUIRE(d2.blocked_by.size() == 1);
  CHECK(d2.blocked_by[0].reason == BlockReason::kFull);
  CHECK(d2.blocked_by[0].loss_exact);
  CHECK(d2.blocked_by[0].total_loss == Approx(0.3).margin(1e-6));
  CHECK(d2.reason == "supply \"S1\" (rank 1, score 0.800) is full (1/1): giving it to you "
                     "lowers the fair's total by 0.300");
  // CostScaling gives the reduced cost, a lower bound.
  SolverOptions cs = Quiet();
  cs.algorithm = AssignAlgorithm::kCostScaling;
  auto b = SolveAssignment(g, cs);
  REQUIRE(b.ok());
  REQUIRE(b->demands[1].blocked_by.size() == 1);
  CHECK_FALSE(b->demands[1].blocked_by[0].loss_exact);
  CHECK(b->demands[1].blocked_by[0].total_loss <= 0.3 + 1e-6);
}

TEST_CASE("assign: infeasible minimums name exactly the demands that compete", "[assign]") {
  // D1, D2, D3 need 2 answers each from S1 and S2 (capacity 2 each): 6
  // needed, 4 available. D4 has its own supply and is not in the group.
  CandidateGraph g;
  g.num_demands = 4;
  g.num_supplies = 3;
  g.default_min = 2;
  g.default_max = 2;
  g.default_capacity = 2;
  for (uint32_t d = 0; d < 3; ++d) {
    g.arcs.push_back({d, 0, 0.5 + 0.1 * d, 0});
    g.arcs.push_back({d, 1, 0.4, 0});
  }
  g.arcs.push_back({3, 2, 0.7, 0});
  g.arcs.push_back({3, 0, 0.9, 0});
  g.supply_capacity = {2, 2, 1};
  auto a = SolveAssignment(g, Quiet());
  REQUIRE(a.ok());
  REQUIRE(CheckAssignment(g, *a).empty());
  REQUIRE(a->shortfall_groups.size() == 1);
  const ShortfallGroup& grp = a->shortfall_groups[0];
  // D4 needs 2 and has S1 and S3 (capacity 1): it is short too, and it
  // competes for S1 — so all four demands form one group: 8 needed, the
  // supplies give 5.
  CHECK(grp.demands == std::vector<uint32_t>{0, 1, 2, 3});
  CHECK(grp.min_needed == 8);
  CHECK(grp.can_give == 5);
  CHECK(grp.short_by == 3);
  CHECK(a->summary.ours.pairs == 5);
  for (uint32_t d = 0; d < 4; ++d) CHECK(a->demands[d].shortfall_group == 0);
}

TEST_CASE("assign: a group apart from a demand that can be served", "[assign]") {
  CandidateGraph g;
  g.num_demands = 3;
  g.num_supplies = 2;
  g.default_min = 1;
  g.default_max = 1;
  g.default_capacity = 1;
  g.arcs = {{0, 0, 0.5, 0}, {1, 0, 0.6, 0}, {2, 1, 0.3, 0}};
  auto a = SolveAssignment(g, Quiet());
  REQUIRE(a.ok());
  REQUIRE(a->shortfall_groups.size() == 1);
  CHECK(a->shortfall_groups[0].demands == std::vector<uint32_t>{0, 1});
  CHECK(a->shortfall_groups[0].supplies == std::vector<uint32_t>{0});
  CHECK(a->shortfall_groups[0].short_by == 1);
  CHECK(a->demands[2].shortfall_group == -1);
  CHECK(a->demands[2].status == DemandStatus::kCovered);
  // The one left out is the one whose answer scores less.
  CHECK(a->demands[0].status == DemandStatus::kUncovered);
  CHECK(a->demands[0].needs_follow_up);
  CHECK(a->demands[0].reason.find("it and 1 other demand(s) need 2 answer(s)") != std::string::npos);
}

TEST_CASE("assign: optimal against brute force on tiny instances", "[assign]") {
  RandomSpec spec;
  spec.demands = 5;
  spec.supplies = 4;
  spec.per_demand = 3;
  int checked = 0;
  for (uint32_t seed = 1; seed <= 150; ++seed) {
    spec.forced_share = seed % 3 == 0 ? 0.15 : 0;
    spec.excluded_share = seed % 4 == 0 ? 0.15 : 0;
    CandidateGraph g = RandomGraph(seed, spec);
    if (g.arcs.size() > 14) continue;
    for (int variant = 0; variant < 4; ++variant) {
      SolverOptions o = Quiet();
      o.objective = variant % 2 ? AssignObjective::kMaxMin : AssignObjective::kTotal;
      o.balance_weight = variant >= 2 ? 0.15 : 0;
      o.algorithm = seed % 2 ? AssignAlgorithm::kNetworkSimplex : AssignAlgorithm::kCostScaling;
      o.split_components = seed % 5 != 0;
      auto a = SolveAssignment(g, o);
      INFO("seed " << seed << " variant " << variant);
      REQUIRE(a.ok());
      REQUIRE(CheckAssignment(g, *a, o.weak_score).empty());
      const bool maxmin = o.objective == AssignObjective::kMaxMin;
      RequireSameKey(KeyOf(g, *a, maxmin, o.balance_weight),
                     BruteForce(g, maxmin, o.balance_weight));
      ++checked;
    }
  }
  CHECK(checked > 300);
}

TEST_CASE("assign: constraints hold on random instances, reruns identical", "[assign]") {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    RandomSpec spec;
    spec.demands = 60 + seed * 7;
    spec.supplies = 40 + seed * 3;
    spec.per_demand = 8;
    spec.max_min = 3;
    spec.max_max = 5;
    spec.max_capacity = 4;
    spec.forced_share = 0.03;
    spec.excluded_share = 0.05;
    spec.quantize = seed % 2 == 0;
    CandidateGraph g = RandomGraph(1000 + seed, spec);
    SolverOptions o;
    o.threads = 2;
    o.objective = seed % 3 == 0 ? AssignObjective::kMaxMin : AssignObjective::kTotal;
    o.balance_weight = seed % 4 == 0 ? 0.05 : 0;
    o.algorithm = seed % 5 == 0 ? AssignAlgorithm::kGreedy : AssignAlgorithm::kAuto;
    auto a = SolveAssignment(g, o);
    auto b = SolveAssignment(g, o);
    INFO("seed " << seed);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    REQUIRE(CheckAssignment(g, *a, o.weak_score).empty());
    for (uint32_t d = 0; d < g.num_demands; ++d) {
      REQUIRE(a->demands[d].supplies.size() == b->demands[d].supplies.size());
      for (size_t i = 0; i < a->demands[d].supplies.size(); ++i) {
        REQUIRE(a->demands[d].supplies[i].supply == b->demands[d].supplies[i].supply);
      }
      REQUIRE(a->demands[d].reason == b->demands[d].reason);
    }
    // The exact answer never covers fewer demands or gives less than
    // either greedy with the same coverage.
    if (o.algorithm != AssignAlgorithm::kGreedy && o.objective == AssignObjective::kTotal &&
        o.balance_weight == 0) {
      const auto& s = a->summary;
      CHECK(s.ours.covered >= s.plain_greedy.covered);
      CHECK(s.ours.covered >= s.coverage_greedy.covered);
      if (s.ours.covered == s.plain_greedy.covered && s.ours.met_minimum == s.plain_greedy.met_minimum) {
        CHECK(s.ours.total_score >= s.plain_greedy.total_score - 1e-9);
      }
      CHECK(s.coverage_cost >= -s.epsilon - 1e-9);
      CHECK(s.ours.total_score <= s.bound + 1e-9);
    }
  }
}

TEST_CASE("assign: components solved apart give the same optimum", "[assign]") {
  RandomSpec spec;
  spec.demands = 300;
  spec.supplies = 200;
  spec.per_demand = 2;
  CandidateGraph g = RandomGraph(77, spec);
  SolverOptions split = Quiet(), whole = Quiet();
  whole.split_components = false;
  split.threads = 2;
  auto a = SolveAssignment(g, split);
  auto b = SolveAssignment(g, whole);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->summary.components > 1);
  CHECK(b->summary.components == 1);
  CHECK(a->summary.ours.covered == b->summary.ours.covered);
  CHECK(a->summary.ours.met_minimum == b->summary.ours.met_minimum);
  CHECK(a->summary.ours.total_score == Approx(b->summary.ours.total_score).margin(1e-9));
}

TEST_CASE("assign: forced pairs kept, excluded pairs never given", "[assign]") {
  CandidateGraph g = Contested();
  g.forced = {{0, 0}};  // D1 keeps S1 whatever it costs
  auto a = SolveAssignment(g, Quiet());
  REQUIRE(a.ok());
  REQUIRE(CheckAssignment(g, *a).empty());
  CHECK(a->demands[0].supplies[0].supply == 0);
  CHECK(a->demands[0].supplies[0].forced);
  CHECK(a->demands[1].status == DemandStatus::kUncovered);

  CandidateGraph h = Contested();
  h.excluded = {{1, 0}};  // D2 may not have S1
  auto b = SolveAssignment(h, Quiet());
  REQUIRE(b.ok());
  REQUIRE(CheckAssignment(h, *b).empty());
  CHECK(b->demands[1].candidates == 0);
  CHECK(b->demands[1].reason == "no candidate");
  CHECK(b->demands[0].supplies[0].supply == 0);
}

TEST_CASE("assign: bad graphs are refused, naming the record", "[assign]") {
  auto refused = [](const CandidateGraph& g, const std::string& needle) {
    auto a = SolveAssignment(g);
    REQUIRE_FALSE(a.ok());
    CHECK(a.status().code() == StatusCode::kInvalidArgument);
    INFO(a.status().ToString());
    CHECK(a.status().message().find(needle) != std::string::npos);
  };
  CandidateGraph g = Contested();
  g.arcs.push_back({0, 0, 0.1, 0});
  refused(g, "pair (demand \"D1\", supply \"S1\") given twice");
  g = Contested();
  g.arcs[1].score = std::nan("");
  refused(g, "score is not finite");
  g = Contested();
  g.arcs[2].supply = 7;
  refused(g, "supply index 7 out of range");
  g = Contested();
  g.demand_min = {2, 1};
  refused(g, "demand \"D1\": min answers 2 > max answers 1");
  g = Contested();
  g.forced = {{1, 1}};
  refused(g, "forced pair (demand \"D2\", supply \"S2\") is not a candidate");
  g = Contested();
  g.forced = {{0, 0}, {1, 0}};
  refused(g, "supply \"S1\" has more forced pairs than its capacity");
  g = Contested();
  g.demand_ids = {"only one"};
  refused(g, "demand_ids has 1 entries for 2 demands");
  g = Contested();
  g.arcs[0].rank = 1;
  refused(g, "ranks given on 1 of 3 arcs");
  SolverOptions o;
  o.balance_weight = -1;
  auto a = SolveAssignment(Contested(), o);
  CHECK(a.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("assign: an empty problem and demands without candidates", "[assign]") {
  CandidateGraph g;
  auto a = SolveAssignment(g);
  REQUIRE(a.ok());
  CHECK(a->demands.empty());
  g.num_demands = 3;
  g.num_supplies = 1;
  auto b = SolveAssignment(g);
  REQUIRE(b.ok());
  REQUIRE(b->demands.size() == 3);
  for (const DemandOutcome& o : b->demands) {
    CHECK(o.status == DemandStatus::kUncovered);
    CHECK(o.needs_follow_up);
    CHECK(std::isnan(o.best_available_score));
  }
  CHECK(b->summary.ours.coverage == 0);
}

TEST_CASE("assign: a time limit already spent falls back to greedy and says so", "[assign]") {
  RandomSpec spec;
  spec.demands = 200;
  spec.supplies = 150;
  spec.per_demand = 5;
  CandidateGraph g = RandomGraph(5, spec);
  SolverOptions o = Quiet();
  o.time_limit_seconds = 1e-9;
  auto a = SolveAssignment(g, o);
  REQUIRE(a.ok());
  REQUIRE(CheckAssignment(g, *a, o.weak_score).empty());
  REQUIRE_FALSE(a->summary.notes.empty());
  CHECK(a->summary.notes[0].find("time limit") != std::string::npos);
  CHECK(a->summary.algorithm.find("greedy") != std::string::npos);
  CHECK(std::isnan(a->summary.coverage_cost));
}

TEST_CASE("assign: load balancing spreads the answers", "[assign]") {
  // Four demands, each scoring S1 0.9 and S2 0.8; S1 could take all four.
  CandidateGraph g;
  g.num_demands = 4;
  g.num_supplies = 2;
  g.default_min = 1;
  g.default_max = 1;
  g.default_capacity = 4;
  for (uint32_t d = 0; d < 4; ++d) {
    g.arcs.push_back({d, 0, 0.9, 0});
    g.arcs.push_back({d, 1, 0.8, 0});
  }
  SolverOptions o = Quiet();
  auto plain = SolveAssignment(g, o);
  REQUIRE(plain.ok());
  CHECK(plain->summary.ours.max_load == 4);
  // 0.15: the 2nd answer of a supply costs 0.15, the 3rd 0.30; 2 + 2
  // (3.4 - 0.3) beats 3 + 1 (3.5 - 0.45).
  o.balance_weight = 0.15;
  auto balanced = SolveAssignment(g, o);
  REQUIRE(balanced.ok());
  CHECK(balanced->summary.ours.max_load == 2);
  CHECK(balanced->summary.ours.load_gini < plain->summary.ours.load_gini);
  bool reason_seen = false;
  for (const DemandOutcome& d : balanced->demands) {
    for (const BlockingSupply& b : d.blocked_by) reason_seen |= b.reason == BlockReason::kLoadBalance;
  }
  CHECK(reason_seen);
}

TEST_CASE("assign: max-min raises the worst-served demand", "[assign]") {
  // Total prefers D1 -> S1 (1.0) and D2 -> S2 (0.2): 1.2. Max-min prefers
  // D1 -> S2 (0.6), D2 -> S1 (0.5): worst 0.5 instead of 0.2.
  CandidateGraph g;
  g.num_demands = 2;
  g.num_supplies = 2;
  g.default_min = 1;
  g.default_max = 1;
  g.default_capacity = 1;
  g.arcs = {{0, 0, 1.0, 0}, {0, 1, 0.6, 0}, {1, 0, 0.5, 0}, {1, 1, 0.2, 0}};
  SolverOptions o = Quiet();
  auto total = SolveAssignment(g, o);
  REQUIRE(total.ok());
  CHECK(total->summary.ours.worst_best_score == Approx(0.2));
  o.objective = AssignObjective::kMaxMin;
  auto maxmin = SolveAssignment(g, o);
  REQUIRE(maxmin.ok());
  CHECK(maxmin->summary.ours.worst_best_score == Approx(0.5));
  CHECK(maxmin->summary.maxmin_threshold == Approx(0.5));
}

TEST_CASE("assign: rounding to integers stays within the stated epsilon", "[assign]") {
  // Scores that differ by less than a quantum of a coarse scale still end
  // within epsilon of the brute-force optimum.
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    RandomSpec spec;
    spec.demands = 5;
    spec.supplies = 4;
    spec.quantize = false;
    CandidateGraph g = RandomGraph(500 + seed, spec);
    if (g.arcs.size() > 14) continue;
    for (CandidateArc& a : g.arcs) a.score = 0.5 + a.score * 1e-11;  // near-ties
    SolverOptions o = Quiet();
    o.algorithm = AssignAlgorithm::kCostScaling;
    auto a = SolveAssignment(g, o);
    REQUIRE(a.ok());
    const LexKey best = BruteForce(g, false, 0, 0);
    const LexKey ours = KeyOf(g, *a, false, 0);
    CHECK(ours.covered == best.covered);
    CHECK(ours.min_units == best.min_units);
    CHECK(best.total - ours.total <= a->summary.epsilon + 1e-15);
    CHECK(a->summary.epsilon > 0);
  }
}
