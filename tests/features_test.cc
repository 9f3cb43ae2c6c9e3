// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for src/scoring/features.h: every feature function and
// ComputeFeatures, which fills a FeatureVector for one pair.

#include "scoring/features.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

namespace techmatch::internal {
namespace {


double F(const FeatureVector& f, Feature which) { return f[size_t(which)]; }

Record MakeRecord(RecordKind kind, const std::string& id) {
  Record r;
  r.kind = kind;
  r.id = id;
  r.title = "t";
  return r;
}

TEST_CASE("features: category — same path, refinement, shared parent", "[features]") {
  CHECK(CategoryFeature({"工学/材料"}, {"工学/材料"}) == 1.0);
  CHECK(CategoryFeature({"工学"}, {"工学/材料/金属"}) == 1.0);  // refines
  CHECK(CategoryFeature({"工学/材料/金属"}, {"工学"}) == 1.0);
  CHECK(CategoryFeature({"工学/材料"}, {"工学/化工"}) == 0.5);  // same parent
  CHECK(CategoryFeature({"工学/材料/金属"}, {"工学/化工/石油"}) == 0.0);
  CHECK(CategoryFeature({"理学/数学"}, {"工学/材料"}) == 0.0);
  CHECK(CategoryFeature({}, {"工学/材料"}) == 0.0);
  CHECK(CategoryFeature({"工学/材料"}, {}) == 0.0);
  CHECK(CategoryFeature({"/"}, {"工学"}) == 0.0);  // no segment at all
  // The best pair counts.
  CHECK(CategoryFeature({"理学/数学", "工学/材料"}, {"工学/材料"}) == 1.0);
}

TEST_CASE("features: region — shared leading segments", "[features]") {
  CHECK(RegionFeature("四川省/成都市/郫都区", "四川省/成都市/郫都区") == 1.0);
  CHECK(RegionFeature("四川省/成都市/郫都区", "四川省/成都市/武侯区") == Approx(0.67));
  CHECK(RegionFeature("四川省/成都市", "四川省/德阳市") == Approx(0.33));
  CHECK(RegionFeature("四川省", "重庆市") == 0.0);
  CHECK(RegionFeature("", "四川省") == 0.0);
  CHECK(RegionFeature("四川省", "") == 0.0);
}

TEST_CASE("features: maturity and price against the demand", "[features]") {
  CHECK(MaturityFeature(6, 7) == 1.0);
  CHECK(MaturityFeature(6, 6) == 1.0);
  CHECK(MaturityFeature(6, 4) == Approx(-0.25));
  CHECK(MaturityFeature(std::nullopt, 4) == 0.0);
  CHECK(MaturityFeature(6, std::nullopt) == 0.0);
  CHECK(PriceFeature(100.0, 80.0) == 1.0);
  CHECK(PriceFeature(100.0, 150.0) == Approx(-0.5));
  CHECK(PriceFeature(100.0, 1000.0) == -1.0);  // capped
  CHECK(PriceFeature(0.0, 10.0) == 0.0);       // no budget to compare with
  CHECK(PriceFeature(std::nullopt, 10.0) == 0.0);
  CHECK(PriceFeature(100.0, std::nullopt) == 0.0);
}

TEST_CASE("features: recency halves every half-life; the clock is injected",
          "[features]") {
  const int64_t today = DaysFromCivil(2026, 12, 5);
  Date d{2026, 12, 5};
  CHECK(RecencyFeature(d, today, 730) == 1.0);
  Date two_years{2024, 12, 5};
  CHECK(RecencyFeature(two_years, today, 730) == Approx(0.5).epsilon(1e-3));
  Date future{2027, 1, 1};
  CHECK(RecencyFeature(future, today, 730) == 1.0);
  CHECK(RecencyFeature(Date{}, today, 730) == 0.0);  // unknown
  Date year_only{2026, 0, 0};  // month and day unknown: January 1st
  CHECK(RecencyFeature(year_only, DaysFromCivil(2026, 1, 1), 730) == 1.0);
  // DaysOf: a given date wins over the system clock.
  CHECK(DaysOf(Date{2026, 12, 5}) == today);
  CHECK(DaysOf(std::nullopt) == TodayDays());
  CHECK(DaysFromCivil(1970, 1, 1) == 0);
  CHECK(DaysFromCivil(2000, 3, 1) - DaysFromCivil(2000, 2, 28) == 2);  // leap
}

TEST_CASE("features: overlap shares of sorted keys", "[features]") {
  const std::vector<uint64_t> q = {1, 3, 5, 7};
  CHECK(OverlapShare(q, {3, 7, 9}) == Approx(0.5));
  CHECK(OverlapShare(q, {}) == 0.0);
  CHECK(OverlapShare({}, {1}) == 0.0);
  // Keywords count when every key of theirs is in the query.
  CHECK(KeywordShare(q, {{1, 3}, {3, 4}, {}}) == Approx(0.5));  // empty skipped
  CHECK(KeywordShare(q, {}) == 0.0);
}

TEST_CASE("features: category inference needs a majority of two or more",
          "[features]") {
  const std::vector<std::string> a = {"工学/材料"}, b = {"理学/化学"}, none;
  CHECK(InferCategory({&a, &a, &b}, 0.4) == std::optional<std::string>("工学/材料"));
  CHECK_FALSE(InferCategory({&a, &b}, 0.4).has_value());  // 1 vote each
  CHECK_FALSE(InferCategory({&a, &b, &b, &a, &b}, 0.7).has_value());
  CHECK_FALSE(InferCategory({&none, nullptr}, 0.4).has_value());
  // Ties go to the smaller path.
  CHECK(InferCategory({&a, &a, &b, &b}, 0.4) == std::optional<std::string>("工学/材料"));
}

TEST_CASE("features: the centroid is the normalized mean", "[features]") {
  const float x[2] = {1, 0}, y[2] = {0, 1};
  auto c = Centroid({x, nullptr, y}, 2);
  REQUIRE(c.size() == 2);
  CHECK(c[0] == Approx(std::sqrt(0.5)));
  CHECK(c[1] == Approx(std::sqrt(0.5)));
  const float minus_x[2] = {-1, 0};
  CHECK(Centroid({x, minus_x}, 2).empty());  // they cancel out
  CHECK(Centroid({nullptr}, 2).empty());
}

TEST_CASE("features: ComputeFeatures fills every feature of a pair", "[features]") {
  Record demand = MakeRecord(RecordKind::kDemand, "D1");
  demand.region = "四川省/成都市";
  demand.maturity = 6;
  demand.price = 100;
  demand.categories = {"工学/材料"};
  Record supply = MakeRecord(RecordKind::kSupply, "S1");
  supply.region = "四川省/德阳市";
  supply.maturity = 8;
  supply.price = 150;
  supply.categories = {"工学/材料/金属"};
  supply.created = Date{2024, 12, 5};
  const std::vector<uint64_t> qkeys = {1, 2, 3, 4};
  const std::vector<uint64_t> title_keys = {2, 4, 9};
  const std::vector<std::vector<uint64_t>> keyword_keys = {{1}, {8}};
  const float qv[2] = {1, 0}, cv[2] = {0.6f, 0.8f}, centroid[2] = {0, 1};

  FeatureQuery q;
  q.keys = &qkeys;
  q.record = &demand;
  q.categories = demand.categories;
  q.centroid = centroid;
  q.dim = 2;
  q.max_lexical = 10;
  q.today_days = DaysFromCivil(2026, 12, 5);
  q.lexical_power = 2;
  FeatureCandidate c;
  c.record = &supply;
  c.lexical = 5;
  c.dense = 0.6f;
  c.vector = cv;
  c.title_keys = &title_keys;
  c.keyword_keys = &keyword_keys;
  (void)qv;

  FeatureVector f = ComputeFeatures(q, c);
  CHECK(F(f, Feature::kLexical) == Approx(0.25));  // (5/10)^2
  CHECK(F(f, Feature::kDense) == Approx(0.6));
  CHECK(F(f, Feature::kCentroid) == Approx(0.8));
  CHECK(F(f, Feature::kTitleOverlap) == Approx(0.5));
  CHECK(F(f, Feature::kKeywordOverlap) == Approx(0.5));
  CHECK(F(f, Feature::kCategory) == 1.0);
  CHECK(F(f, Feature::kRegion) == Approx(0.33));
  CHECK(F(f, Feature::kMaturity) == 1.0);
  CHECK(F(f, Feature::kPrice) == Approx(-0.5));
  CHECK(F(f, Feature::kRecency) == Approx(0.5).epsilon(1e-3));

  SECTION("the same pair seen from the supply side") {
    FeatureQuery q2 = q;
    q2.record = &supply;
    c.record = &demand;
    FeatureVector g = ComputeFeatures(q2, c);
    CHECK(F(g, Feature::kMaturity) == 1.0);
    CHECK(F(g, Feature::kPrice) == Approx(-0.5));
  }
  SECTION("a free-text query has no metadata features") {
    FeatureQuery q2 = q;
    q2.record = nullptr;
    q2.categories.clear();
    FeatureVector g = ComputeFeatures(q2, c);
    CHECK(F(g, Feature::kRegion) == 0.0);
    CHECK(F(g, Feature::kMaturity) == 0.0);
    CHECK(F(g, Feature::kPrice) == 0.0);
    CHECK(F(g, Feature::kCategory) == 0.0);
    CHECK(F(g, Feature::kLexical) == Approx(0.25));  // text features stay
  }
  SECTION("two demands: maturity and price do not apply") {
    Record other = MakeRecord(RecordKind::kDemand, "D2");
    other.maturity = 1;
    other.price = 1e9;
    c.record = &other;
    FeatureVector g = ComputeFeatures(q, c);
    CHECK(F(g, Feature::kMaturity) == 0.0);
    CHECK(F(g, Feature::kPrice) == 0.0);
  }
  SECTION("missing vectors and no candidates' best score give 0") {
    FeatureQuery q2 = q;
    q2.centroid = nullptr;
    q2.max_lexical = 0;
    c.vector = nullptr;
    FeatureVector g = ComputeFeatures(q2, c);
    CHECK(F(g, Feature::kCentroid) == 0.0);
    CHECK(F(g, Feature::kLexical) == 0.0);
  }
}

}  // namespace
}  // namespace techmatch::internal
