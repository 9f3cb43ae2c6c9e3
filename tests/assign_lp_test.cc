// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The flow solver's optimum against the LP optimum from CLP (an
// independent formulation, src/assign/lp_reference.cc): gap 0.

#include <catch2/catch.hpp>

#include <cmath>

#include "assign/lp_reference.h"
#include "assign/synthetic_graph.h"
#include "assign_checker.h"
#include "techmatch/assign_graph.h"

using namespace techmatch;

namespace {

// Ours equals the LP's three optima: coverage and minimums exactly, the
// total within the solver's stated epsilon plus CLP's tolerance.
void RequireLpOptimum(const CandidateGraph& g, const SolverOptions& o) {
  auto ours = SolveAssignment(g, o);
  REQUIRE(ours.ok());
  REQUIRE(testing::CheckAssignment(g, *ours, o.weak_score).empty());
  auto lp = internal::SolveLpReference(g);
  REQUIRE(lp.ok());
  const testing::LexKey key = testing::KeyOf(g, *ours, false, 0);
  CHECK(std::fabs(lp->covered - std::round(lp->covered)) < 1e-6);
  CHECK(std::fabs(lp->min_units - std::round(lp->min_units)) < 1e-6);
  CHECK(double(key.covered) == std::round(lp->covered));
  CHECK(double(key.min_units) == std::round(lp->min_units));
  const double tol = ours->summary.epsilon + 1e-7 * (1 + std::fabs(lp->total_score));
  INFO("ours " << key.total << " lp " << lp->total_score << " tol " << tol);
  CHECK(std::fabs(key.total - lp->total_score) <= tol);
}

}  // namespace

TEST_CASE("assign lp: random instances match the LP optimum", "[assign]") {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    testing::RandomSpec spec;
    spec.demands = 50 + 10 * seed;
    spec.supplies = 30 + 5 * seed;
    spec.per_demand = 6;
    spec.max_min = 3;
    spec.max_max = 4;
    spec.max_capacity = 3;
    spec.forced_share = seed % 3 == 0 ? 0.03 : 0;
    spec.excluded_share = seed % 2 == 0 ? 0.05 : 0;
    spec.quantize = seed % 2 == 1;
    CandidateGraph g = testing::RandomGraph(2000 + seed, spec);
    SolverOptions o;
    o.threads = 1;
    o.algorithm = seed % 4 == 0 ? AssignAlgorithm::kCostScaling : AssignAlgorithm::kAuto;
    INFO("seed " << seed);
    RequireLpOptimum(g, o);
  }
}

TEST_CASE("assign lp: a popular-skewed fair, 2k x 2k, K 20", "[assign]") {
  internal::SyntheticSpec spec;
  spec.demands = 2000;
  spec.supplies = 2000;
  spec.k = 20;
  CandidateGraph g = internal::PopularSkewedGraph(spec);
  SolverOptions o;
  o.measure_coverage_cost = false;
  RequireLpOptimum(g, o);
}

TEST_CASE("assign lp: 10k x 10k, K 50", "[assign][slow]") {
  internal::SyntheticSpec spec;
  spec.demands = 10000;
  spec.supplies = 10000;
  spec.k = 50;
  CandidateGraph g = internal::PopularSkewedGraph(spec);
  SolverOptions o;
  o.measure_coverage_cost = false;
  o.baselines = false;
  RequireLpOptimum(g, o);
}
