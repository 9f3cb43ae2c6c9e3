// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for include/techmatch/scorer.h: LinearScorer, the loader registry,
// and a second Scorer plugged into an engine without touching its code.

#include "techmatch/scorer.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "example_engine.h"
#include "io/coding.h"
#include "test_util.h"

namespace techmatch {
namespace {

using Catch::Matchers::Contains;
using testing::TempDir;

FeatureVector SomeFeatures() {
  FeatureVector f{};
  for (size_t i = 0; i < kNumFeatures; ++i) f[i] = 0.1 * double(i + 1);
  return f;
}

/// A second model, defined outside the library: ranks by the dense feature
/// only, times a scale it saves.
class DenseOnlyScorer final : public Scorer {
 public:
  explicit DenseOnlyScorer(double scale) : scale_(scale) {}
  std::string name() const override { return "test.dense_only"; }
  double Score(const FeatureVector& f) const override {
    return scale_ * f[size_t(Feature::kDense)];
  }
  Status Save(std::string* out) const override {
    internal::PutDouble(out, scale_);
    return Status::OK();
  }
  std::unique_ptr<Scorer> Clone() const override {
    return std::make_unique<DenseOnlyScorer>(scale_);
  }
  static Result<std::unique_ptr<Scorer>> Load(std::string_view bytes) {
    internal::Decoder in(bytes);
    double scale = 0;
    if (!in.ReadDouble(&scale)) return in.Corruption("dense_only");
    TECHMATCH_RETURN_IF_ERROR(in.ExpectEnd("dense_only"));
    return std::unique_ptr<Scorer>(new DenseOnlyScorer(scale));
  }

 private:
  double scale_;
};

/// A scorer no program registers a loader for.
class UnregisteredScorer final : public Scorer {
 public:
  std::string name() const override { return "test.unregistered"; }
  double Score(const FeatureVector&) const override { return 0; }
  Status Save(std::string*) const override { return Status::OK(); }
  std::unique_ptr<Scorer> Clone() const override {
    return std::make_unique<UnregisteredScorer>();
  }
};

TEST_CASE("scorer: the feature list is defined once", "[scorer]") {
  CHECK(kNumFeatures == 10);
  for (size_t i = 0; i < kNumFeatures; ++i) {
    auto f = ParseFeature(FeatureName(Feature(i)));
    REQUIRE(f.ok());
    CHECK(*f == Feature(i));
  }
  CHECK(std::string(FeatureName(Feature(kNumFeatures))) == "unknown");
  CHECK(ParseFeature("nope").status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("scorer: linear score = bias + sum of weight * value", "[scorer]") {
  ScorerWeights w = ScorerWeights::Defaults();
  w.bias = 0.25;
  LinearScorer s(w);
  const FeatureVector f = SomeFeatures();
  double expect = w.bias;
  for (size_t i = 0; i < kNumFeatures; ++i) expect += w.weight[i] * f[i];
  CHECK(s.Score(f) == Approx(expect));
  const ScoreBreakdown b = s.Explain(f);
  double sum = b.bias;
  for (size_t i = 0; i < kNumFeatures; ++i) {
    CHECK(b.weight[i] == w.weight[i]);
    sum += b.contribution[i];
  }
  CHECK(sum == Approx(s.Score(f)));
  CHECK(s.name() == "linear");
  auto bad = w;
  bad[Feature::kDense] = std::nan("");
  CHECK(LinearScorer::Create(bad).status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("scorer: the base Explain puts the whole score in the bias", "[scorer]") {
  DenseOnlyScorer s(2.0);
  const ScoreBreakdown b = s.Explain(SomeFeatures());
  CHECK(b.bias == Approx(2.0 * 0.2));
  for (size_t i = 0; i < kNumFeatures; ++i) CHECK(b.contribution[i] == 0);
}

TEST_CASE("scorer: linear save / load round trip and damaged bytes", "[scorer]") {
  ScorerWeights w = ScorerWeights::Defaults();
  w[Feature::kRegion] = -0.75;
  w.bias = 1.5;
  std::string bytes;
  REQUIRE(LinearScorer(w).Save(&bytes).ok());
  auto back = LoadScorer("linear", bytes);
  REQUIRE(back.ok());
  const auto* linear = dynamic_cast<const LinearScorer*>(back->get());
  REQUIRE(linear != nullptr);
  CHECK(linear->weights().weight == w.weight);
  CHECK(linear->weights().bias == w.bias);

  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    INFO("truncated at " << cut);
    CHECK(LoadScorer("linear", bytes.substr(0, cut)).status().code() ==
          StatusCode::kCorruption);
  }
  std::string longer = bytes + "x";
  CHECK(LoadScorer("linear", longer).status().code() == StatusCode::kCorruption);
  std::string newer = bytes;
  newer[0] = 2;  // payload version
  CHECK(LoadScorer("linear", newer).status().code() == StatusCode::kNotSupported);

  // A weight of a feature this build does not know (a newer build's).
  std::string future;
  internal::PutFixed32(&future, 1);
  internal::PutVarint64(&future, 1);
  internal::PutLengthPrefixedString(&future, "popularity");
  internal::PutDouble(&future, 0.5);
  internal::PutDouble(&future, 0.0);
  auto s = LoadScorer("linear", future);
  CHECK(s.status().code() == StatusCode::kNotSupported);
  CHECK_THAT(s.status().message(), Contains("popularity"));
}

TEST_CASE("scorer: the registry", "[scorer]") {
  CHECK(RegisterScorer("test.dense_only", &DenseOnlyScorer::Load).ok());
  CHECK(RegisterScorer("test.dense_only", &DenseOnlyScorer::Load).ok());  // again: OK
  CHECK(RegisterScorer("linear", &DenseOnlyScorer::Load).code() ==
        StatusCode::kInvalidArgument);
  CHECK(RegisterScorer("Bad Name", &DenseOnlyScorer::Load).code() ==
        StatusCode::kInvalidArgument);
  CHECK(RegisterScorer("", &DenseOnlyScorer::Load).code() == StatusCode::kInvalidArgument);
  CHECK(RegisterScorer("test.null", nullptr).code() == StatusCode::kInvalidArgument);
  auto missing = LoadScorer("test.never_registered", "");
  CHECK(missing.status().code() == StatusCode::kNotSupported);
  CHECK_THAT(missing.status().message(), Contains("test.never_registered"));
}

TEST_CASE("scorer: a second scorer plugs into an engine", "[scorer][engine]") {
  REQUIRE(RegisterScorer("test.dense_only", &DenseOnlyScorer::Load).ok());
  auto engine = testing::BuildExampleEngine();
  const Record demand = testing::ExampleDemand("D001");
  MatchOptions mo;
  mo.k = 10;
  mo.today = Date{2026, 12, 5};

  auto linear = engine->Match(demand, mo);
  REQUIRE(linear.ok());
  REQUIRE(engine->SetScorer(DenseOnlyScorer(3.0)).ok());
  CHECK(engine->stats().scorer == "test.dense_only");
  auto dense = engine->Match(demand, mo);
  REQUIRE(dense.ok());
  REQUIRE(!dense->matches.empty());
  // Scores are the model's; ranking follows them; explanations say so.
  for (size_t i = 0; i < dense->matches.size(); ++i) {
    const Match& m = dense->matches[i];
    CHECK(m.score == Approx(3.0 * m.dense_score));
    if (i > 0) CHECK(dense->matches[i - 1].score >= m.score);
    CHECK(m.explanation.bias == Approx(m.score));
  }

  SECTION("saved and loaded with the engine") {
    TempDir dir;
    REQUIRE(engine->Save(dir.path()).ok());
    auto loaded = Engine::Load(dir.path());
    REQUIRE(loaded.ok());
    CHECK((*loaded)->stats().scorer == "test.dense_only");
    auto again = (*loaded)->Match(demand, mo);
    REQUIRE(again.ok());
    REQUIRE(again->matches.size() == dense->matches.size());
    for (size_t i = 0; i < again->matches.size(); ++i) {
      CHECK(again->matches[i].key.id == dense->matches[i].key.id);
      CHECK(again->matches[i].score == dense->matches[i].score);
    }
  }
  SECTION("a per-call scorer leaves the engine's alone") {
    LinearScorer call(ScorerWeights::Defaults());
    mo.scorer = &call;
    auto r = engine->Match(demand, mo);
    REQUIRE(r.ok());
    REQUIRE(r->matches.size() == linear->matches.size());
    for (size_t i = 0; i < r->matches.size(); ++i) {
      CHECK(r->matches[i].key.id == linear->matches[i].key.id);
      CHECK(r->matches[i].score == Approx(linear->matches[i].score));
    }
    CHECK(engine->stats().scorer == "test.dense_only");
  }
  SECTION("SetWeights goes back to a linear scorer") {
    REQUIRE(engine->SetWeights(ScorerWeights::Defaults()).ok());
    CHECK(engine->stats().scorer == "linear");
    auto r = engine->Match(demand, mo);
    REQUIRE(r.ok());
    CHECK(r->matches.front().score == Approx(linear->matches.front().score));
  }
  SECTION("a snapshot whose scorer is not registered is NotSupported") {
    REQUIRE(engine->SetScorer(UnregisteredScorer()).ok());
    TempDir dir;
    REQUIRE(engine->Save(dir.path()).ok());
    auto loaded = Engine::Load(dir.path());
    CHECK(loaded.status().code() == StatusCode::kNotSupported);
    CHECK_THAT(loaded.status().message(), Contains("test.unregistered"));
  }
}

}  // namespace
}  // namespace techmatch
