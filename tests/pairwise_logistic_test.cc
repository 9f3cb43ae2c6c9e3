// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for src/scoring/pairwise_logistic.h.

#include "scoring/pairwise_logistic.h"

#include <catch2/catch.hpp>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <utility>
#include <vector>

namespace techmatch::internal {
namespace {

using Catch::Matchers::Contains;
using Row = std::array<double, kNumFeatures>;

// Uniform in [lo, hi) from raw engine output: the same on every platform
// (std::uniform_real_distribution is not specified bit for bit).
double Uniform(std::mt19937_64& rng, double lo, double hi) {
  return lo + (hi - lo) * double(rng() >> 11) * 0x1.0p-53;
}

double Dot(const Row& a, const Row& b) {
  double s = 0;
  for (size_t f = 0; f < kNumFeatures; ++f) s += a[f] * b[f];
  return s;
}

double Cosine(const Row& a, const Row& b) {
  return Dot(a, b) / std::sqrt(Dot(a, a) * Dot(b, b));
}

// Groups of `rows` candidates with uniform features; the `relevant` best by
// `truth` are relevant, so every group is separable by `truth`.
std::vector<PairwiseGroup> Separable(const Row& truth, size_t groups,
                                     size_t rows, size_t relevant,
                                     uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<PairwiseGroup> out(groups);
  for (PairwiseGroup& g : out) {
    std::vector<std::pair<double, size_t>> scored;
    for (size_t r = 0; r < rows; ++r) {
      Row x;
      for (double& v : x) v = Uniform(rng, -1, 1);
      scored.emplace_back(Dot(truth, x), r);
      g.features.push_back(x);
    }
    std::sort(scored.begin(), scored.end(), std::greater<>());
    g.relevance.assign(rows, 0);
    for (size_t k = 0; k < relevant; ++k) g.relevance[scored[k].second] = 1;
  }
  return out;
}

Row TrueWeights() {
  return {0.9, 0.5, -0.3, 0.2, 0.7, -0.6, 0.1, 0.4, -0.2, 0.3};
}

TEST_CASE("pairwise: separable data recovers the weight direction",
          "[pairwise]") {
  const Row truth = TrueWeights();
  const auto groups = Separable(truth, 300, 30, 3, 7);
  PairwiseFitOptions opt;
  opt.l2 = 1e-4;
  opt.max_iterations = 100;
  ScorerWeights initial;  // all zero
  initial.bias = 0.25;
  auto fit = FitPairwiseLogistic(groups, initial, opt);
  REQUIRE(fit.ok());
  CHECK(fit->pairs == 300u * 3u * 27u);
  CHECK(fit->groups_used == 300u);
  CHECK(fit->groups_skipped == 0u);
  CHECK(Cosine(fit->weights.weight, truth) > 0.99);
  CHECK(fit->weights.bias == 0.25);  // untouched: the loss is shift-invariant
  CHECK(fit->loss_after <= fit->loss_before);
  CHECK(fit->loss_before == Approx(std::log(2.0)));  // w = 0: every pair log 2
  CHECK(fit->data_loss_after < 0.1);
  CHECK(fit->iterations > 0);
  CHECK(fit->converged);

  // At the optimum the gradient vanishes.
  auto at = EvaluatePairwiseLogistic(groups, fit->weights, opt);
  REQUIRE(at.ok());
  for (double g : at->gradient) CHECK(std::abs(g) < 1e-5);
  CHECK(at->loss == Approx(fit->loss_after).epsilon(1e-12));
}

TEST_CASE("pairwise: noisy data, fit is the optimum and deterministic",
          "[pairwise]") {
  // Flip a share of the labels so the data is not separable.
  const Row truth = TrueWeights();
  auto groups = Separable(truth, 80, 15, 2, 11);
  std::mt19937_64 rng(5);
  for (auto& g : groups) {
    for (int& r : g.relevance) {
      if (Uniform(rng, 0, 1) < 0.1) r = 1 - r;
    }
  }
  PairwiseFitOptions opt;
  opt.l2 = 1e-2;
  ScorerWeights initial;
  for (size_t f = 0; f < kNumFeatures; ++f) initial.weight[f] = 0.05 * f;
  auto a = FitPairwiseLogistic(groups, initial, opt);
  auto b = FitPairwiseLogistic(groups, initial, opt);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->weights.weight == b->weights.weight);
  CHECK(a->iterations == b->iterations);
  CHECK(a->converged);
  CHECK(a->iterations < 20);  // Newton: a handful of steps
  CHECK(a->loss_after < a->loss_before);
  CHECK(Cosine(a->weights.weight, truth) > 0.9);
  auto at = EvaluatePairwiseLogistic(groups, a->weights, opt);
  REQUIRE(at.ok());
  for (double g : at->gradient) CHECK(std::abs(g) < 1e-6);
  // Any perturbation is worse.
  for (size_t f = 0; f < kNumFeatures; ++f) {
    for (double d : {-1e-2, 1e-2}) {
      ScorerWeights w = a->weights;
      w.weight[f] += d;
      auto e = EvaluatePairwiseLogistic(groups, w, opt);
      REQUIRE(e.ok());
      CHECK(e->loss > a->loss_after);
    }
  }
  // max_iterations = 0 only evaluates.
  opt.max_iterations = 0;
  auto none = FitPairwiseLogistic(groups, initial, opt);
  REQUIRE(none.ok());
  CHECK(none->iterations == 0);
  CHECK(none->weights.weight == initial.weight);
  CHECK(none->loss_after == none->loss_before);
}

TEST_CASE("pairwise: fixed features keep their value", "[pairwise]") {
  const Row truth = TrueWeights();
  const auto groups = Separable(truth, 100, 20, 2, 3);
  PairwiseFitOptions opt;
  opt.fixed = {false, false, false, false, false, true, true, true, true, true};
  ScorerWeights initial;
  initial.weight[5] = -0.6;
  initial.weight[6] = 2.5;  // wrong on purpose: the free ones cannot fix it
  initial.weight[9] = 0.3;
  auto fit = FitPairwiseLogistic(groups, initial, opt);
  REQUIRE(fit.ok());
  for (size_t f = 5; f < kNumFeatures; ++f) {
    CHECK(fit->weights.weight[f] == initial.weight[f]);
  }
  CHECK(fit->loss_after <= fit->loss_before);
  // The free weights still point the right way.
  Row free_fit{}, free_truth{};
  for (size_t f = 0; f < 5; ++f) {
    free_fit[f] = fit->weights.weight[f];
    free_truth[f] = truth[f];
  }
  CHECK(Cosine(free_fit, free_truth) > 0.9);

  // Everything fixed: nothing to do.
  opt.fixed.fill(true);
  auto all = FitPairwiseLogistic(groups, initial, opt);
  REQUIRE(all.ok());
  CHECK(all->weights.weight == initial.weight);
  CHECK(all->iterations == 0);
  CHECK(all->loss_after == all->loss_before);
}

TEST_CASE("pairwise: every query weighs the same", "[pairwise]") {
  // Group A: one pair with margin 1 under w = e0. Group B: 2 relevant x 2
  // non-relevant, margins 2, 2, 0, 0 (a duplicate row pair included).
  PairwiseGroup a, b;
  Row x{};
  a.features = {x, x};
  a.features[0][0] = 1;
  a.relevance = {1, 0};
  Row r1{}, r2{}, n1{}, n2{};
  r1[0] = 2;
  n2[0] = 2;  // r2 and n1 are both zero rows; r1 and n2 are equal
  b.features = {r1, r2, n1, n2};
  b.relevance = {1, 1, 0, -1};  // one grade; -1 is "not relevant" too
  ScorerWeights w;
  w.weight[0] = 1;
  PairwiseFitOptions opt;
  opt.l2 = 0.5;
  auto e = EvaluatePairwiseLogistic({a, b}, w, opt);
  REQUIRE(e.ok());
  auto sp = [](double m) { return std::log1p(std::exp(-m)); };
  // B's pairs: (r1,n1)=2, (r1,n2)=0, (r2,n1)=0, (r2,n2)=-2.
  const double group_b = (sp(2) + sp(0) + sp(0) + sp(-2)) / 4;
  CHECK(e->data_loss == Approx((sp(1) + group_b) / 2).epsilon(1e-14));
  CHECK(e->loss == Approx(e->data_loss + 0.25).epsilon(1e-14));
  CHECK(e->pairs == 5u);
  CHECK(e->groups_used == 2u);
}

TEST_CASE("pairwise: gradient and Hessian match finite differences",
          "[pairwise]") {
  std::mt19937_64 rng(99);
  std::vector<PairwiseGroup> groups(3);
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t r = 0; r < 3 + g; ++r) {
      Row x;
      for (double& v : x) v = Uniform(rng, -1, 1);
      groups[g].features.push_back(x);
      groups[g].relevance.push_back(r % 2 == 0 ? 1 : 0);
    }
  }
  ScorerWeights w;
  for (double& v : w.weight) v = Uniform(rng, -2, 2);
  PairwiseFitOptions opt;
  opt.l2 = 0.3;
  opt.fixed[2] = opt.fixed[7] = true;  // no penalty on these
  auto at = EvaluatePairwiseLogistic(groups, w, opt);
  REQUIRE(at.ok());
  const double h = 1e-5;
  for (size_t f = 0; f < kNumFeatures; ++f) {
    ScorerWeights up = w, down = w;
    up.weight[f] += h;
    down.weight[f] -= h;
    auto eu = EvaluatePairwiseLogistic(groups, up, opt);
    auto ed = EvaluatePairwiseLogistic(groups, down, opt);
    REQUIRE(eu.ok());
    REQUIRE(ed.ok());
    const double fd = (eu->loss - ed->loss) / (2 * h);
    CHECK(at->gradient[f] == Approx(fd).margin(1e-8).epsilon(1e-6));
    for (size_t g = 0; g < kNumFeatures; ++g) {
      const double fd2 = (eu->gradient[g] - ed->gradient[g]) / (2 * h);
      CHECK(at->hessian[f][g] == Approx(fd2).margin(1e-8).epsilon(1e-6));
      CHECK(at->hessian[f][g] == at->hessian[g][f]);
    }
  }
}

TEST_CASE("pairwise: duplicate rows and zero-difference pairs", "[pairwise]") {
  // Only identical rows: every pair has margin 0 whatever the weights; with
  // l2 = 0 the Hessian is zero and so is the gradient.
  PairwiseGroup same;
  Row x;
  x.fill(0.5);
  same.features = {x, x, x};
  same.relevance = {1, 0, 0};
  PairwiseFitOptions opt;
  opt.l2 = 0;
  ScorerWeights initial;
  initial.weight[1] = 0.4;
  auto fit = FitPairwiseLogistic({same}, initial, opt);
  REQUIRE(fit.ok());
  CHECK(fit->weights.weight == initial.weight);
  CHECK(fit->loss_after == Approx(std::log(2.0)));
  CHECK(fit->converged);

  // Mixed with an informative group: feature 0 separates, the others are
  // constant (singular Hessian without l2), duplicates included.
  PairwiseGroup info;
  Row good{}, bad{};
  good[0] = 1;
  info.features = {good, good, bad, bad, bad};
  info.relevance = {1, 1, 0, 0, 0};
  opt.l2 = 0;
  opt.max_iterations = 20;
  auto mixed = FitPairwiseLogistic({same, info}, ScorerWeights{}, opt);
  REQUIRE(mixed.ok());
  CHECK(mixed->pairs == 2u + 6u);
  CHECK(mixed->weights.weight[0] > 5);  // grows without a penalty
  for (size_t f = 1; f < kNumFeatures; ++f) {
    CHECK(mixed->weights.weight[f] == 0);
  }
  for (double v : mixed->weights.weight) CHECK(std::isfinite(v));
  CHECK(mixed->loss_after < mixed->loss_before);
  opt.l2 = 1e-3;
  auto reg = FitPairwiseLogistic({same, info}, ScorerWeights{}, opt);
  REQUIRE(reg.ok());
  CHECK(reg->converged);
  CHECK(reg->weights.weight[0] > 1);
}

TEST_CASE("pairwise: groups without pairs are skipped", "[pairwise]") {
  Row a{}, b{};
  a[0] = 1;
  PairwiseGroup all_rel{{a, b}, {1, 1}};
  PairwiseGroup none_rel{{a, b}, {0, 0}};
  PairwiseGroup empty;
  PairwiseGroup ok{{a, b}, {1, 0}};
  auto fit = FitPairwiseLogistic({all_rel, ok, none_rel, empty},
                                 ScorerWeights{}, PairwiseFitOptions{});
  REQUIRE(fit.ok());
  CHECK(fit->pairs == 1u);
  CHECK(fit->groups_used == 1u);
  CHECK(fit->groups_skipped == 3u);
  CHECK(fit->weights.weight[0] > 0);
}

TEST_CASE("pairwise: graded relevance orders every grade above the lower ones",
          "[pairwise]") {
  // Feature 0 tracks the grade, feature 1 is against it within the
  // relevant rows only: binary judgements cannot see that, grades can.
  Row g3{}, g1{}, g0{}, g0b{};
  g3[0] = 1.0, g3[1] = 0.0;
  g1[0] = 0.5, g1[1] = 1.0;
  g0[0] = 0.0, g0[1] = 0.0;
  g0b[0] = 0.1, g0b[1] = 0.2;
  PairwiseGroup graded{{g3, g1, g0, g0b}, {3, 1, 0, -1}};  // <= 0 is one level
  auto fit = FitPairwiseLogistic({graded}, ScorerWeights{}, PairwiseFitOptions{});
  REQUIRE(fit.ok());
  // 3>1, 3>0, 3>0(-1), 1>0, 1>0(-1): 5 pairs; the two grade-0 rows not.
  CHECK(fit->pairs == 5u);
  const auto& w = fit->weights.weight;
  CHECK(w[0] * g3[0] + w[1] * g3[1] > w[0] * g1[0] + w[1] * g1[1]);
  CHECK(w[0] * g1[0] + w[1] * g1[1] > w[0] * g0b[0] + w[1] * g0b[1]);

  // Binary data gives the same pairs as before: relevant x non-relevant.
  PairwiseGroup binary{{g3, g1, g0, g0b}, {1, 1, 0, 0}};
  auto b = FitPairwiseLogistic({binary}, ScorerWeights{}, PairwiseFitOptions{});
  REQUIRE(b.ok());
  CHECK(b->pairs == 4u);
}

TEST_CASE("pairwise: errors are named", "[pairwise]") {
  Row a{}, b{};
  a[0] = 1;
  const PairwiseGroup ok{{a, b}, {1, 0}};
  const PairwiseFitOptions opt;
  const ScorerWeights w;

  SECTION("no pair at all") {
    auto r = FitPairwiseLogistic({PairwiseGroup{{a, b}, {1, 1}}}, w, opt);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Contains("no group"));
    auto e = FitPairwiseLogistic({}, w, opt);
    CHECK(e.status().code() == StatusCode::kInvalidArgument);
  }
  SECTION("length mismatch") {
    auto r = FitPairwiseLogistic({ok, PairwiseGroup{{a, b}, {1}}}, w, opt);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Contains("group 1"));
    CHECK_THAT(r.status().message(), Contains("2 feature rows but 1"));
  }
  SECTION("non-finite feature") {
    Row bad = b;
    bad[4] = std::numeric_limits<double>::quiet_NaN();
    auto r = FitPairwiseLogistic({ok, ok, PairwiseGroup{{a, bad}, {1, 0}}}, w,
                                 opt);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Contains("group 2 row 1 feature 4"));
    bad[4] = std::numeric_limits<double>::infinity();
    auto e = EvaluatePairwiseLogistic({PairwiseGroup{{bad, a}, {1, 0}}}, w,
                                      opt);
    REQUIRE_FALSE(e.ok());
    CHECK(e.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(e.status().message(), Contains("group 0 row 0 feature 4"));
  }
  SECTION("bad options and weights") {
    PairwiseFitOptions o = opt;
    o.l2 = -1;
    CHECK_THAT(FitPairwiseLogistic({ok}, w, o).status().message(),
               Contains("l2"));
    o = opt;
    o.max_iterations = -1;
    CHECK_THAT(FitPairwiseLogistic({ok}, w, o).status().message(),
               Contains("max_iterations"));
    o = opt;
    o.tolerance = std::numeric_limits<double>::quiet_NaN();
    CHECK_THAT(FitPairwiseLogistic({ok}, w, o).status().message(),
               Contains("tolerance"));
    ScorerWeights nan = w;
    nan.weight[3] = std::numeric_limits<double>::infinity();
    CHECK_THAT(FitPairwiseLogistic({ok}, nan, opt).status().message(),
               Contains("feature 3"));
  }
}

TEST_CASE("pairwise: extreme margins stay finite", "[pairwise]") {
  Row a{}, b{};
  a[0] = 1e6;  // margins of +-1e6 overflow a naive exp
  PairwiseGroup g{{a, b, b}, {1, 0, 0}};
  PairwiseGroup h{{b, a}, {1, 0}};
  ScorerWeights w;
  w.weight[0] = 1;
  auto e = EvaluatePairwiseLogistic({g, h}, w, PairwiseFitOptions{});
  REQUIRE(e.ok());
  CHECK(std::isfinite(e->loss));
  CHECK(e->data_loss == Approx(0.5e6));
  for (double v : e->gradient) CHECK(std::isfinite(v));
  auto fit = FitPairwiseLogistic({g, h}, w, PairwiseFitOptions{});
  REQUIRE(fit.ok());
  for (double v : fit->weights.weight) CHECK(std::isfinite(v));
  CHECK(fit->loss_after <= fit->loss_before);
}

}  // namespace
}  // namespace techmatch::internal
