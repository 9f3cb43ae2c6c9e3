// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for an Engine fed the caller's own vectors (External embedder):
// checks naming the record, matching, snapshots, upserts.

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "example_engine.h"
#include "techmatch/engine.h"
#include "test_util.h"

namespace techmatch {
namespace {

using Catch::Matchers::Contains;
using testing::ReadExamples;
using testing::TempDir;

constexpr size_t kDim = 64;

/// A stand-in for a platform's own model: the record's Han bigrams and
/// words hashed into kDim buckets, L2-normalized. Texts that share
/// characters get similar vectors.
std::vector<float> HashVector(const std::string& text) {
  std::vector<float> v(kDim, 0.0f);
  for (size_t i = 0; i + 6 <= text.size(); ++i) {
    uint64_t h = 1469598103934665603ull;
    for (size_t j = i; j < i + 6; ++j) h = (h ^ uint8_t(text[j])) * 1099511628211ull;
    v[h % kDim] += (h >> 32) & 1 ? 1.0f : -1.0f;
  }
  double s = 0;
  for (float x : v) s += double(x) * x;
  if (s == 0) v[0] = 1;
  for (float& x : v) x = s == 0 ? x : float(x / std::sqrt(s));
  return v;
}

std::vector<float> Vectors(const std::vector<Record>& records) {
  std::vector<float> out;
  for (const Record& r : records) {
    auto v = HashVector(r.title + r.text);
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

EngineOptions ExternalOptions() {
  EngineOptions o = testing::ExampleOptions();
  o.embedder.kind = EmbedderKind::kExternal;
  o.embedder.dim = kDim;
  return o;
}

std::unique_ptr<Engine> BuildExternal() {
  auto e = Engine::Open(ExternalOptions());
  REQUIRE(e.ok());
  for (const char* file : {"supply.jsonl", "demand.jsonl"}) {
    auto recs = ReadExamples(file);
    auto vecs = Vectors(recs);
    REQUIRE((*e)->Add(recs, VectorView{vecs.data(), recs.size(), kDim}).ok());
  }
  REQUIRE((*e)->Build().ok());
  return std::move(*e);
}

TEST_CASE("engine vectors: bad vectors are refused, naming the record",
          "[engine][vectors]") {
  auto e = Engine::Open(ExternalOptions());
  REQUIRE(e.ok());
  auto recs = ReadExamples("supply.jsonl");
  recs.resize(3);
  auto vecs = Vectors(recs);

  Status s = (*e)->Add(recs);  // no vectors at all
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(s.message(), Contains("External"));
  s = (*e)->Add(recs, VectorView{vecs.data(), 2, kDim});  // one short
  CHECK(s.code() == StatusCode::kInvalidArgument);
  s = (*e)->Add(recs, VectorView{vecs.data(), 3, kDim - 1});  // wrong dimension
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(s.message(), Contains("dimension"));
  std::vector<float> nan = vecs;
  nan[kDim + 5] = NAN;
  s = (*e)->Add(recs, VectorView{nan.data(), 3, kDim});
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(s.message(), Contains("supply/" + recs[1].id));
  CHECK_THAT(s.message(), Contains("NaN"));
  std::vector<float> inf = vecs;
  inf[3] = INFINITY;
  CHECK((*e)->Add(recs, VectorView{inf.data(), 3, kDim}).code() ==
        StatusCode::kInvalidArgument);
  std::vector<float> zero = vecs;
  std::fill(zero.begin() + 2 * kDim, zero.end(), 0.0f);
  s = (*e)->Add(recs, VectorView{zero.data(), 3, kDim});
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(s.message(), Contains("supply/" + recs[2].id));
  CHECK((*e)->size() == 0);  // nothing was added by any failed call
  REQUIRE((*e)->Add(recs, VectorView{vecs.data(), 3, kDim}).ok());
  CHECK((*e)->size() == 3);

  SECTION("an engine that embeds itself takes no vectors") {
    auto lsa = Engine::Open(testing::ExampleOptions());
    REQUIRE(lsa.ok());
    s = (*lsa)->Add(recs, VectorView{vecs.data(), 3, kDim});
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK_THAT(s.message(), Contains("External"));
  }
}

TEST_CASE("engine vectors: matching with the caller's vectors", "[engine][vectors]") {
  auto engine = BuildExternal();
  CHECK(engine->stats().embedder == "external");
  CHECK(engine->stats().embedding_dim == kDim);
  const Record demand = testing::ExampleDemand("D001");
  MatchOptions mo;
  mo.today = Date{2026, 12, 5};

  // A stored record query uses its stored vector.
  auto stored = engine->Match(demand, mo);
  REQUIRE(stored.ok());
  REQUIRE(!stored->matches.empty());
  CHECK(stored->matches.front().dense_score > 0);

  // A text needs its vector, unless the dense stage is off.
  auto text = engine->MatchText(demand.text, mo);
  CHECK(text.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(text.status().message(), Contains("MatchQuery::vector"));
  MatchOptions lexical_only = mo;
  lexical_only.dense_k = 0;
  CHECK(engine->MatchText(demand.text, lexical_only).ok());

  // The dense stage finds a supply from its own vector (cosine 1).
  const Record supply = ReadExamples("supply.jsonl")[42];
  const std::vector<float> v = HashVector(supply.title + supply.text);
  MatchOptions dense_only = mo;
  dense_only.lexical_k = 0;
  auto r = engine->Match(MatchQuery("q", "", nullptr, VectorView{v.data(), 1, kDim}),
                         dense_only);
  REQUIRE(r.ok());
  REQUIRE(!r->matches.empty());
  CHECK(r->matches.front().key.id == supply.id);
  CHECK(r->matches.front().dense_score == Approx(1.0).epsilon(1e-5));
  CHECK(r->query_id == "q");

  SECTION("the same query through MatchBatch") {
    std::vector<MatchQuery> qs = {MatchQuery("q", "", nullptr, VectorView{v.data(), 1, kDim}),
                                  MatchQuery("d", "", &demand)};
    auto batch = engine->MatchBatch(qs, dense_only, 2);
    REQUIRE(batch.ok());
    CHECK((*batch)[0].matches.front().key.id == supply.id);
    CHECK((*batch)[1].query_id == "d");
  }
  SECTION("a wrong query vector is refused") {
    auto bad = engine->Match(MatchQuery("q", "x", nullptr, VectorView{v.data(), 1, kDim - 1}));
    CHECK(bad.status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("engine vectors: snapshots, upserts and removals", "[engine][vectors]") {
  auto engine = BuildExternal();
  const Record demand = testing::ExampleDemand("D003");
  MatchOptions mo;
  mo.today = Date{2026, 12, 5};
  auto before = engine->Match(demand, mo);
  REQUIRE(before.ok());

  TempDir dir;
  REQUIRE(engine->Save(dir.path()).ok());
  auto loaded = Engine::Load(dir.path());
  REQUIRE(loaded.ok());
  CHECK((*loaded)->options().embedder.kind == EmbedderKind::kExternal);
  auto after = (*loaded)->Match(demand, mo);
  REQUIRE(after.ok());
  REQUIRE(after->matches.size() == before->matches.size());
  for (size_t i = 0; i < after->matches.size(); ++i) {
    CHECK(after->matches[i].key.id == before->matches[i].key.id);
    CHECK(after->matches[i].score == before->matches[i].score);
  }

  // Upsert a supply whose vector equals the demand's: it comes first when
  // ranked by the dense similarity alone.
  Record twin = ReadExamples("supply.jsonl")[7];
  const std::vector<float> dv = HashVector(demand.title + demand.text);
  REQUIRE((*loaded)->Upsert({twin}, VectorView{dv.data(), 1, kDim}).ok());
  MatchOptions dense_only = mo;
  dense_only.lexical_k = 0;
  dense_only.weights = ScorerWeights{};
  (*dense_only.weights)[Feature::kDense] = 1;
  auto r = (*loaded)->Match(demand, dense_only);
  REQUIRE(r.ok());
  CHECK(r->matches.front().key.id == twin.id);
  CHECK(r->matches.front().dense_score == Approx(1.0).epsilon(1e-5));
  REQUIRE((*loaded)->Remove({RecordKey{RecordKind::kSupply, twin.id}}).ok());
  r = (*loaded)->Match(demand, dense_only);
  REQUIRE(r.ok());
  for (const auto& m : r->matches) CHECK(m.key.id != twin.id);
}

TEST_CASE("engine vectors: an unbuilt engine with vectors saves and loads",
          "[engine][vectors]") {
  auto e = Engine::Open(ExternalOptions());
  REQUIRE(e.ok());
  auto recs = ReadExamples("supply.jsonl");
  auto vecs = Vectors(recs);
  REQUIRE((*e)->Add(recs, VectorView{vecs.data(), recs.size(), kDim}).ok());
  TempDir dir;
  REQUIRE((*e)->Save(dir.path()).ok());
  auto loaded = Engine::Load(dir.path());
  REQUIRE(loaded.ok());
  CHECK((*loaded)->size() == recs.size());
  CHECK((*loaded)->MatchText("钒电池").status().code() ==
        StatusCode::kFailedPrecondition);
  REQUIRE((*loaded)->Build().ok());
  const std::vector<float> v = HashVector(recs[3].title + recs[3].text);
  MatchOptions dense_only;
  dense_only.lexical_k = 0;
  auto r = (*loaded)->Match(MatchQuery("q", "", nullptr, VectorView{v.data(), 1, kDim}),
                            dense_only);
  REQUIRE(r.ok());
  CHECK(r->matches.front().key.id == recs[3].id);
}

}  // namespace
}  // namespace techmatch
