// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "bindings/json_args.h"

#include <catch2/catch.hpp>
#include <string>

namespace techmatch::internal {
namespace {

bool Mentions(const Status& s, const std::string& what) {
  return s.message().find(what) != std::string::npos;
}

TEST_CASE("json args: options set what they name and keep the rest",
          "[json_args]") {
  EngineOptions o;
  o.embedder.threads = 3;  // not a saved option: must survive
  REQUIRE(ApplyEngineOptionsJson(
              R"({"embedder": {"dim": 64}, "dense": {"spec": "Flat"},
                  "threads": 2, "analyzer": {"dictionary_file": "d.txt"},
                  "fusion": {"method": "rrf"}})",
              &o)
              .ok());
  CHECK(o.embedder.dim == 64);
  CHECK(o.dense.spec == "Flat");
  CHECK(o.threads == 2);
  CHECK(o.analyzer.dictionary_file == "d.txt");
  CHECK(o.fusion.method == FusionMethod::kRrf);
  CHECK(o.embedder.threads == 3);
  CHECK(o.lexical.k1 == EngineOptions().lexical.k1);

  // A second call adds to the first; weights merge feature by feature.
  const ScorerWeights before = o.scorer.weights;
  REQUIRE(ApplyEngineOptionsJson(R"({"scorer": {"weights": {"region": 0.5}}})", &o)
              .ok());
  CHECK(o.embedder.dim == 64);
  CHECK(o.scorer.weights[Feature::kRegion] == 0.5);
  CHECK(o.scorer.weights[Feature::kLexical] == before[Feature::kLexical]);
}

TEST_CASE("json args: a bad option names its key and changes nothing",
          "[json_args]") {
  EngineOptions o;
  const EngineOptions before = o;
  struct Case {
    const char* json;
    const char* names;
  };
  const Case cases[] = {
      {R"({"lexical": {"k3": 1}})", "lexical.k3"},
      {R"({"lexcal": {}})", "lexcal"},
      {R"({"scorer": {"weights": {"colour": 1}}})", "scorer.weights.colour"},
      {R"({"lexical": {"k1": "high"}})", "lexical.k1"},
      {R"({"embedder": {"dim": -1}})", "embedder.dim"},
      {R"({"embedder": {"kind": "bert"}})", "embedder.kind"},
      {R"({"fusion": {"rerank_depth": 0}})", "rerank_depth"},
      {R"({"threads": "all"})", "threads"},
      {R"({"analyzer": {"dictionary_file": 7}})", "analyzer.dictionary_file"},
      {R"({"embedder": {"dim": 64}, "dense": 3})", "dense"},
      {R"([1, 2])", "JSON object"},
      {R"({"embedder": )", "invalid JSON"},
  };
  for (const Case& c : cases) {
    Status s = ApplyEngineOptionsJson(c.json, &o);
    INFO(c.json << " -> " << s.ToString());
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(Mentions(s, c.names));
    CHECK(o.embedder.dim == before.embedder.dim);
    CHECK(o.dense.spec == before.dense.spec);
    CHECK(o.threads == before.threads);
  }
}

TEST_CASE("json args: filters", "[json_args]") {
  auto f = ParseFilterJson(
      R"({"kind": "supply", "category": "工学/材料", "region": ["四川省", "重庆市"],
          "min_maturity": 4, "max_maturity": 9, "attributes": {"industry": "新材料"},
          "ids": ["S1", "S2"]})");
  REQUIRE(f.ok());
  CHECK(f->kind == RecordKind::kSupply);
  CHECK(f->category_prefixes == std::vector<std::string>{"工学/材料"});
  CHECK(f->region_prefixes == std::vector<std::string>{"四川省", "重庆市"});
  CHECK(*f->min_maturity == 4);
  CHECK(*f->max_maturity == 9);
  CHECK(f->attributes.at("industry") == "新材料");
  CHECK(f->ids.size() == 2);
  CHECK(ParseFilterJson("{}")->empty());

  const std::pair<const char*, const char*> bad[] = {
      {R"({"colour": "red"})", "colour"},
      {R"({"kind": "both"})", "filter.kind"},
      {R"({"min_maturity": 0})", "filter.min_maturity"},
      {R"({"min_maturity": 7, "max_maturity": 3})", "maturity"},
      {R"({"category": [1]})", "filter.category"},
      {R"({"category": ""})", "filter"},
      {R"({"attributes": {"a": 1}})", "filter.attributes.a"},
      {R"({"ids": "S1"})", "filter.ids"},
  };
  for (const auto& [json, names] : bad) {
    auto r = ParseFilterJson(json);
    INFO(json << " -> " << r.status().ToString());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK(Mentions(r.status(), names));
  }
}

TEST_CASE("json args: records from JSON lines, all or none", "[json_args]") {
  auto r = ParseRecordsJsonl(
      "{\"id\": \"S1\", \"title\": \"钛合金\"}\n\n"
      "{\"id\": \"D1\", \"kind\": \"demand\", \"text\": \"需求\"}\n",
      "records");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0].kind == RecordKind::kSupply);
  CHECK((*r)[1].kind == RecordKind::kDemand);
  CHECK(ParseRecordsJsonl("", "records")->empty());

  auto dup = ParseRecordsJsonl("{\"id\": \"S1\"}\n{\"id\": \"S1\"}\n", "batch");
  CHECK(dup.status().code() == StatusCode::kInvalidArgument);
  CHECK(Mentions(dup.status(), "batch:2"));
  auto bad = ParseRecordsJsonl("{\"id\": \"S1\"}\n{\"id\": \"S2\", \"maturity\": 11}\n",
                               "records");
  CHECK(bad.status().code() == StatusCode::kInvalidArgument);
  CHECK(Mentions(bad.status(), "records:2"));
}

}  // namespace
}  // namespace techmatch::internal
