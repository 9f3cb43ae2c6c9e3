// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Assign over an Engine built from examples/data: candidates, bounds from
// attributes, exclusions, forced pairs, explanations, errors.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "assign/engine_candidates.h"
#include "assign_checker.h"
#include "example_engine.h"
#include "techmatch/assign.h"
#include "techmatch/engine.h"

using namespace techmatch;

namespace {

// The sample supplies and demands, built once.
const Engine& SampleEngine() {
  static std::unique_ptr<Engine> engine = testing::BuildExampleEngine();
  return *engine;
}

AssignOptions Small() {
  AssignOptions o;
  o.k = 10;
  o.threads = 2;
  o.solver.threads = 1;
  return o;
}

Record Text(const std::string& id, const std::string& text) {
  Record r;
  r.id = id;
  r.kind = RecordKind::kDemand;
  r.text = text;
  return r;
}

}  // namespace

TEST_CASE("assign engine: --all-demands takes every stored demand, by id", "[assign]") {
  const std::vector<RecordKey> keys = SampleEngine().Keys(RecordKind::kDemand);
  REQUIRE(keys.size() == 15);
  CHECK(SampleEngine().Keys(RecordKind::kSupply).size() == 300);
  AssignDemands d;
  d.all_stored = true;
  std::vector<Record> demands;
  REQUIRE(internal::CollectDemands(SampleEngine(), d, &demands).ok());
  REQUIRE(demands.size() == 15);
  CHECK(demands.front().id == "D001");
  CHECK(demands.back().id == "D015");
  CHECK(std::is_sorted(demands.begin(), demands.end(),
                       [](const Record& a, const Record& b) { return a.id < b.id; }));
}

TEST_CASE("assign engine: every stored demand answered within every bound", "[assign]") {
  AssignOptions o = Small();
  o.capacity = 1;  // scarce: the fair has to share
  AssignDemands all;
  all.all_stored = true;
  auto r = Assign(SampleEngine(), all, o);
  REQUIRE(r.ok());
  const CandidateGraph& g = r->graph;
  const Assignment& a = r->assignment;
  REQUIRE(a.demands.size() == 15);
  REQUIRE(testing::CheckAssignment(g, a, o.solver.weak_score).empty());
  CHECK(r->supplies_in_engine == 300);
  CHECK(a.summary.ours.coverage == 1.0);
  for (uint32_t d = 0; d < g.num_demands; ++d) {
    const DemandOutcome& out = a.demands[d];
    REQUIRE(r->explanations[d].size() == out.supplies.size());
    for (size_t i = 0; i < out.supplies.size(); ++i) {
      const Explanation& e = r->explanations[d][i];
      REQUIRE_FALSE(e.features.empty());
      // The explanation is of the same score the solver saw.
      double sum = e.bias;
      for (const FeatureContribution& f : e.features) sum += f.contribution;
      CHECK(sum == Approx(out.supplies[i].score).margin(1e-6));
      CHECK(out.supplies[i].candidate_rank >= 1);
      CHECK(out.supplies[i].candidate_rank <= o.k);
    }
  }
  // The same call again gives the same pairs.
  auto again = Assign(SampleEngine(), all, o);
  REQUIRE(again.ok());
  for (uint32_t d = 0; d < g.num_demands; ++d) {
    REQUIRE(again->assignment.demands[d].supplies.size() == a.demands[d].supplies.size());
    for (size_t i = 0; i < a.demands[d].supplies.size(); ++i) {
      CHECK(again->assignment.demands[d].supplies[i].supply == a.demands[d].supplies[i].supply);
    }
  }
}

TEST_CASE("assign engine: same organization excluded, forced pairs kept", "[assign]") {
  AssignDemands first;
  first.ids = {"D001"};
  auto plain = Assign(SampleEngine(), first, Small());
  REQUIRE(plain.ok());
  REQUIRE_FALSE(plain->assignment.demands[0].supplies.empty());
  const std::string top = plain->graph.supply_ids[plain->assignment.demands[0].supplies[0].supply];
  auto top_record = SampleEngine().Get(RecordKey{RecordKind::kSupply, top});
  REQUIRE(top_record.ok());

  // The same need, posted by the top supply's owner: excluded.
  auto d001 = SampleEngine().Get(RecordKey{RecordKind::kDemand, "D001"});
  REQUIRE(d001.ok());
  Record own = *d001;
  own.id = "D001-own";
  own.attributes["company"] = top_record->attributes.at("owner");
  AssignDemands mine;
  mine.records = {own};
  AssignOptions o = Small();
  o.exclude_same = {{"company", "owner"}};
  o.forced = {{"D001-own", "S0002"}};  // a methane detector: not a candidate
  auto r = Assign(SampleEngine(), mine, o);
  REQUIRE(r.ok());
  REQUIRE(testing::CheckAssignment(r->graph, r->assignment, o.solver.weak_score).empty());
  CHECK(r->dropped_by_exclusion[0] >= 1);
  bool forced_seen = false;
  for (const AssignedPair& p : r->assignment.demands[0].supplies) {
    CHECK(r->graph.supply_ids[p.supply] != top);
    if (r->graph.supply_ids[p.supply] == "S0002") {
      CHECK(p.forced);
      CHECK(p.candidate_rank > o.k);
      forced_seen = true;
    }
  }
  CHECK(forced_seen);

  // A listed conflict works the same way.
  AssignOptions c = Small();
  c.conflicts = {{"D001", top}, {"D999", "S0001"}};
  auto r2 = Assign(SampleEngine(), first, c);
  REQUIRE(r2.ok());
  for (const AssignedPair& p : r2->assignment.demands[0].supplies) {
    CHECK(r2->graph.supply_ids[p.supply] != top);
  }
  CHECK(r2->conflicts_ignored == 1);
}

TEST_CASE("assign engine: free texts, attribute bounds and a capacity file", "[assign]") {
  AssignDemands texts;
  texts.records = {Text("T1", "钒电池电解液低成本制备"), Text("T2", "锂电池正极材料回收"),
                   Text("T3", "茶叶深加工 茶多酚提取")};
  texts.records[0].attributes["min_answers"] = "2";
  texts.records[0].attributes["max_answers"] = "2";
  AssignOptions o = Small();
  auto r = Assign(SampleEngine(), texts, o);
  REQUIRE(r.ok());
  REQUIRE(testing::CheckAssignment(r->graph, r->assignment, o.solver.weak_score).empty());
  CHECK(r->graph.demand_min[0] == 2);
  CHECK(r->assignment.demands[0].supplies.size() == 2);
  CHECK(r->demand_titles[1] == "锂电池正极材料回收");

  // A capacity of 0 for everything T3 would take leaves it uncovered,
  // with a reason.
  AssignOptions zero = Small();
  for (const std::string& id : r->graph.supply_ids) zero.capacities[id] = 0;
  auto none = Assign(SampleEngine(), texts, zero);
  REQUIRE(none.ok());
  for (const DemandOutcome& d : none->assignment.demands) {
    CHECK(d.status == DemandStatus::kUncovered);
    CHECK(d.needs_follow_up);
    CHECK_FALSE(d.reason.empty());
  }
  REQUIRE(none->assignment.shortfall_groups.size() >= 1);

  // min_score above every score: the reason says so.
  AssignOptions high = Small();
  high.min_score = 1e6;
  auto empty = Assign(SampleEngine(), texts, high);
  REQUIRE(empty.ok());
  CHECK(empty->assignment.demands[2].reason.find("scored below min_score") != std::string::npos);
}

TEST_CASE("assign engine: bad input is refused, naming it", "[assign]") {
  AssignDemands unknown;
  unknown.ids = {"D404"};
  auto r = Assign(SampleEngine(), unknown, Small());
  CHECK(r.status().code() == StatusCode::kNotFound);
  CHECK(r.status().message().find("\"D404\"") != std::string::npos);

  AssignDemands twice;
  twice.ids = {"D001"};
  twice.records = {Text("D001", "重复")};
  CHECK(Assign(SampleEngine(), twice, Small()).status().code() == StatusCode::kInvalidArgument);

  AssignDemands bad_attr;
  bad_attr.records = {Text("T9", "钒电池")};
  bad_attr.records[0].attributes["max_answers"] = "three";
  r = Assign(SampleEngine(), bad_attr, Small());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message().find("demand \"T9\": attribute \"max_answers\" = \"three\"") !=
        std::string::npos);

  AssignOptions cap = Small();
  cap.capacities["S9999"] = 3;
  r = Assign(SampleEngine(), bad_attr, cap);
  CHECK(r.status().code() == StatusCode::kNotFound);

  AssignOptions forced = Small();
  forced.forced = {{"D001", "S0001"}};
  CHECK(Assign(SampleEngine(), bad_attr, forced).status().code() == StatusCode::kInvalidArgument);

  AssignOptions k0 = Small();
  k0.k = 0;
  CHECK(Assign(SampleEngine(), bad_attr, k0).status().code() == StatusCode::kInvalidArgument);

  AssignDemands invalid;
  invalid.records = {Text("T8", std::string("\xff\xfe bad", 6))};
  r = Assign(SampleEngine(), invalid, Small());
  CHECK_FALSE(r.ok());
  CHECK(r.status().message().find("T8") != std::string::npos);
}
