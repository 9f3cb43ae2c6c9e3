// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// ConfidenceCalibration: the isotonic fit, the map, and the engine's use
// of it (confidence, needs_follow_up, snapshots).

#include "techmatch/calibration.h"

#include <catch2/catch.hpp>
#include <random>

#include "techmatch/record_io.h"
#include "test_util.h"

namespace techmatch {
namespace {

using Catch::Matchers::Contains;

TEST_CASE("calibration: the map is piecewise linear and clamped", "[calibration]") {
  ConfidenceCalibration c;
  CHECK(c.Apply(0.42) == 0.42);  // empty: the raw value
  c.raw = {0.2, 0.6};
  c.probability = {0.5, 0.9};
  REQUIRE(c.Validate().ok());
  CHECK(c.Apply(0.0) == 0.5);
  CHECK(c.Apply(0.2) == 0.5);
  CHECK(c.Apply(0.4) == Approx(0.7));
  CHECK(c.Apply(0.9) == 0.9);
  c.probability = {0.9, 0.5};
  CHECK_THAT(c.Validate().ToString(), Contains("must not decrease"));
  c.probability = {0.5};
  CHECK_THAT(c.Validate().ToString(), Contains("2 knots but 1"));
  c.raw = {0.6, 0.2};
  c.probability = {0.5, 0.6};
  CHECK_THAT(c.Validate().ToString(), Contains("must increase"));
}

TEST_CASE("calibration: isotonic fit recovers a monotone rate", "[calibration]") {
  // Outcomes drawn with probability 0.3 + 0.6 * raw.
  std::mt19937_64 rng(5);
  std::vector<std::pair<double, bool>> pairs;
  for (int i = 0; i < 4000; ++i) {
    const double x = double(rng() % 1000) / 1000.0;
    const double u = double(rng() >> 11) * 0x1.0p-53;
    pairs.emplace_back(x, u < 0.3 + 0.6 * x);
  }
  auto c = ConfidenceCalibration::Fit(pairs, 100);
  REQUIRE(c.ok());
  REQUIRE(c->Validate().ok());
  CHECK(c->queries == 4000);
  CHECK(c->raw.size() >= 3);
  for (double x : {0.1, 0.5, 0.9}) CHECK(c->Apply(x) == Approx(0.3 + 0.6 * x).margin(0.08));
  // Every probability is strictly inside (0, 1), even from a pure block.
  auto pure = ConfidenceCalibration::Fit({{0.1, true}, {0.2, true}, {0.3, true}}, 1);
  REQUIRE(pure.ok());
  for (double p : pure->probability) CHECK((p > 0 && p < 1));
  // Violators are pooled: a falling rate becomes one level.
  auto fall = ConfidenceCalibration::Fit({{0.1, true}, {0.2, true}, {0.8, false}, {0.9, false}}, 2);
  REQUIRE(fall.ok());
  CHECK(fall->raw.size() == 1);
  // The per-match map is fitted from its own pairs.
  auto both = ConfidenceCalibration::Fit({{0.5, false}, {0.6, true}}, 1,
                                         {{0.1, false}, {0.2, false}, {0.3, true}});
  REQUIRE(both.ok());
  CHECK(!both->match_raw.empty());
  CHECK(both->ApplyMatch(0.0) < both->ApplyMatch(1.0));
  CHECK(c->ApplyMatch(0.25) == 0.25);  // none: the raw value
  CHECK(MatchRawProbability(0.8, 2.0, 2.0) == 0.8);
  CHECK(MatchRawProbability(0.8, 1.0, 2.0) == Approx(0.4));
  CHECK(MatchRawProbability(0.8, -1.0, 2.0) == 0.0);
  CHECK(!ConfidenceCalibration::Fit({}).ok());
  CHECK(!ConfidenceCalibration::Fit({{std::nan(""), true}}).ok());
}

std::unique_ptr<Engine> SampleEngine() {
  EngineOptions o;
  o.embedder.dim = 32;
  o.threads = 2;
  auto e = Engine::Open(o);
  REQUIRE(e.ok());
  for (const char* f : {"supply.jsonl", "demand.jsonl"}) {
    auto r = ReadRecordsJsonlFile(std::string(TECHMATCH_TEST_DATA_DIR) + "/../../examples/data/" + f);
    REQUIRE(r.ok());
    REQUIRE((*e)->Add(*r).ok());
  }
  REQUIRE((*e)->Build().ok());
  return std::move(*e);
}

TEST_CASE("calibration: an engine answers with it and keeps it in snapshots", "[calibration]") {
  std::unique_ptr<Engine> engine = SampleEngine();
  const std::string text = "钒电池电解液低成本制备";
  auto before = engine->MatchText(text);
  REQUIRE(before.ok());
  CHECK(before->confidence == before->raw_confidence);

  // A calibration that says every query is a near-certain miss.
  ConfidenceCalibration low;
  low.raw = {0.0, 1.0};
  low.probability = {0.01, 0.02};
  low.match_raw = {0.0, 0.5};
  low.match_probability = {0.001, 0.5};  // above the top's: capped by rank
  low.queries = 7;
  REQUIRE(engine->SetConfidenceCalibration(low).ok());
  auto after = engine->MatchText(text);
  REQUIRE(after.ok());
  CHECK(after->raw_confidence == before->raw_confidence);
  CHECK(after->confidence == Approx(0.01 + 0.01 * before->raw_confidence));
  CHECK(after->needs_follow_up);  // under follow_up_floor 0.35
  REQUIRE(!after->matches.empty());
  CHECK(after->matches[0].probability == after->confidence);
  for (size_t i = 1; i < after->matches.size(); ++i) {
    CHECK(after->matches[i].probability <= after->matches[i - 1].probability);
  }
  CHECK(engine->stats().calibration_queries == 7);

  testing::TempDir dir;
  REQUIRE(engine->Save(dir.file("snap")).ok());
  auto loaded = Engine::Load(dir.file("snap"));
  REQUIRE(loaded.ok());
  const ConfidenceCalibration back = (*loaded)->confidence_calibration();
  CHECK(back.raw == low.raw);
  CHECK(back.probability == low.probability);
  CHECK(back.match_raw == low.match_raw);
  CHECK(back.match_probability == low.match_probability);
  CHECK(back.queries == 7);
  auto again = (*loaded)->MatchText(text);
  REQUIRE(again.ok());
  CHECK(again->confidence == Approx(after->confidence));

  ConfidenceCalibration bad;
  bad.raw = {0.5};
  CHECK(engine->SetConfidenceCalibration(bad).code() == StatusCode::kInvalidArgument);
  REQUIRE(engine->SetConfidenceCalibration(ConfidenceCalibration{}).ok());
  auto off = engine->MatchText(text);
  REQUIRE(off.ok());
  CHECK(off->confidence == off->raw_confidence);
}

TEST_CASE("calibration: fitted on judged queries", "[calibration]") {
  std::unique_ptr<Engine> engine = SampleEngine();
  std::vector<JudgedQuery> judged;
  std::vector<Record> demands;
  auto d = ReadRecordsJsonlFile(std::string(TECHMATCH_TEST_DATA_DIR) +
                                "/../../examples/data/demand.jsonl");
  REQUIRE(d.ok());
  demands = *d;
  for (const Record& r : demands) {
    JudgedQuery j;
    j.query = MatchQuery(r.id, "", &r);
    j.grades["S0008"] = 3;  // right for D001 only
    judged.push_back(j);
  }
  auto c = FitConfidenceCalibration(*engine, judged, {}, 5);
  REQUIRE(c.ok());
  CHECK(c->queries == 15);
  CHECK(c->Validate().ok());
  CHECK(c->probability.back() < 0.5);  // 1 right of 15
  CHECK(!c->match_raw.empty());
}

}  // namespace
}  // namespace techmatch
