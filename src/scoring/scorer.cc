// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Feature names, ScorerWeights, the Scorer base and LinearScorer, and the
// registry of scorer loaders.

#include "techmatch/scorer.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

#include "io/coding.h"
#include "util/catch_all.h"
#include "util/format_number.h"

namespace techmatch {
namespace {

constexpr const char* kFeatureNames[kNumFeatures] = {
#define TECHMATCH_FEATURE_NAME_(e, name) name,
    TECHMATCH_FEATURES(TECHMATCH_FEATURE_NAME_)
#undef TECHMATCH_FEATURE_NAME_
};

constexpr double kMaxWeight = 1e6;

// Payload version of LinearScorer::Save.
constexpr uint32_t kLinearFormat = 1;

Status Bad(const std::string& field, const std::string& why, double got) {
  return Status::InvalidArgument(field + ": " + why + ", got " + internal::FormatNumber(got));
}

bool ValidScorerName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

struct Registry {
  std::mutex mu;
  std::map<std::string, ScorerLoader, std::less<>> loaders{
      {"linear", &LinearScorer::Load}};
};

Registry& GetRegistry() {
  static Registry* registry = new Registry();  // never destroyed
  return *registry;
}

}  // namespace

const char* FeatureName(Feature feature) {
  const size_t i = size_t(feature);
  return i < kNumFeatures ? kFeatureNames[i] : "unknown";
}

Result<Feature> ParseFeature(std::string_view name) {
  for (size_t i = 0; i < kNumFeatures; ++i) {
    if (name == kFeatureNames[i]) return Feature(i);
  }
  return Status::InvalidArgument("unknown feature \"" + std::string(name) +
                                 "\"");
}

ScorerWeights ScorerWeights::Defaults() {
  // Lexical, dense, centroid: chosen on csl-match dev by cross-validation
  // with the one-standard-error rule (`techmatch-bench quality`,
  // docs/measurements.md): the dense feature adds nothing the centroid
  // does not, within one standard error, and is left out.
  // Title/keyword overlap and the metadata features: hand-set, small —
  // csl-match has no titles, keywords or metadata to judge them.
  ScorerWeights w;
  w[Feature::kLexical] = 1.0;
  w[Feature::kDense] = 0.0;
  w[Feature::kCentroid] = 0.4;
  w[Feature::kTitleOverlap] = 0.1;
  w[Feature::kKeywordOverlap] = 0.1;
  w[Feature::kCategory] = 0.1;
  w[Feature::kRegion] = 0.05;
  w[Feature::kMaturity] = 0.1;
  w[Feature::kPrice] = 0.05;
  w[Feature::kRecency] = 0.02;
  w.bias = 0.0;
  return w;
}

Status ScorerWeights::Validate() const {
  // Features lie in [-1, 1]: a weight beyond kMaxWeight says nothing more
  // and lets a score overflow to infinity.
  for (size_t i = 0; i < kNumFeatures; ++i) {
    if (!(std::fabs(weight[i]) <= kMaxWeight)) {
      return Bad(std::string("scorer.weights.") + kFeatureNames[i],
                 "must be finite and within +-1e6", weight[i]);
    }
  }
  if (!(std::fabs(bias) <= kMaxWeight)) {
    return Bad("scorer.weights.bias", "must be finite and within +-1e6", bias);
  }
  return Status::OK();
}

Status ScorerOptions::Validate() const {
  TECHMATCH_RETURN_IF_ERROR(weights.Validate());
  if (centroid_depth < 1) {
    return Bad("scorer.centroid_depth", "must be >= 1", double(centroid_depth));
  }
  if (!(lexical_power >= 1) || !std::isfinite(lexical_power)) {
    return Bad("scorer.lexical_power", "must be >= 1", lexical_power);
  }
  if (!(recency_half_life_days > 0) || !std::isfinite(recency_half_life_days)) {
    return Bad("scorer.recency_half_life_days", "must be > 0",
               recency_half_life_days);
  }
  if (!std::isfinite(follow_up_floor)) {
    return Bad("scorer.follow_up_floor", "must be finite", follow_up_floor);
  }
  if (!std::isfinite(raw_follow_up_floor)) {
    return Bad("scorer.raw_follow_up_floor", "must be finite", raw_follow_up_floor);
  }
  if (confidence_measure != ConfidenceMeasure::kCoverageCosine &&
      confidence_measure != ConfidenceMeasure::kKeyTermCoverage) {
    return Bad("scorer.confidence_measure", "unknown measure", double(confidence_measure));
  }
  return Status::OK();
}

// ---------------------------------------------------------------- Scorer

Scorer::~Scorer() = default;

ScoreBreakdown Scorer::Explain(const FeatureVector& features) const {
  ScoreBreakdown b;
  b.bias = Score(features);
  return b;
}

// ---------------------------------------------------------------- linear

Result<std::unique_ptr<LinearScorer>> LinearScorer::Create(
    const ScorerWeights& w) {
  TECHMATCH_RETURN_IF_ERROR(w.Validate());
  return std::make_unique<LinearScorer>(w);
}

double LinearScorer::Score(const FeatureVector& f) const {
  double s = weights_.bias;
  for (size_t j = 0; j < kNumFeatures; ++j) s += weights_.weight[j] * f[j];
  return s;
}

ScoreBreakdown LinearScorer::Explain(const FeatureVector& f) const {
  ScoreBreakdown b;
  b.bias = weights_.bias;
  b.weight = weights_.weight;
  for (size_t j = 0; j < kNumFeatures; ++j) b.contribution[j] = weights_.weight[j] * f[j];
  return b;
}

// Layout: u32 version, varint feature count, then per feature its name
// (length-prefixed) and weight (f64), then the bias (f64). Features are
// saved by name so that a build with more features still reads them.
Status LinearScorer::Save(std::string* out) const {
  internal::PutFixed32(out, kLinearFormat);
  internal::PutVarint64(out, kNumFeatures);
  for (size_t j = 0; j < kNumFeatures; ++j) {
    internal::PutLengthPrefixedString(out, kFeatureNames[j]);
    internal::PutDouble(out, weights_.weight[j]);
  }
  internal::PutDouble(out, weights_.bias);
  return Status::OK();
}

Result<std::unique_ptr<Scorer>> LinearScorer::Load(std::string_view bytes) {
  internal::Decoder in(bytes);
  uint32_t version = 0;
  uint64_t n = 0;
  if (!in.ReadFixed32(&version)) return in.Corruption("linear scorer");
  if (version != kLinearFormat) {
    return Status::NotSupported("linear scorer: format " + std::to_string(version) +
                                ", this build reads " + std::to_string(kLinearFormat));
  }
  if (!in.ReadCount(&n, 9)) return in.Corruption("linear scorer");
  ScorerWeights w;
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view name;
    double value = 0;
    if (!in.ReadLengthPrefixed(&name) || !in.ReadDouble(&value)) {
      return in.Corruption("linear scorer weights");
    }
    auto f = ParseFeature(name);
    if (!f.ok()) {
      return Status::NotSupported("linear scorer: weight of unknown feature \"" +
                                  std::string(name) + "\" (saved by a newer build?)");
    }
    w[*f] = value;
  }
  if (!in.ReadDouble(&w.bias)) return in.Corruption("linear scorer bias");
  TECHMATCH_RETURN_IF_ERROR(in.ExpectEnd("linear scorer"));
  if (Status v = w.Validate(); !v.ok()) {
    return Status::Corruption("linear scorer: " + v.message());
  }
  return std::unique_ptr<Scorer>(new LinearScorer(w));
}

std::unique_ptr<Scorer> LinearScorer::Clone() const {
  return std::make_unique<LinearScorer>(weights_);
}

// ---------------------------------------------------------------- registry

Status RegisterScorer(const std::string& name, ScorerLoader loader) {
  if (!ValidScorerName(name)) {
    return Status::InvalidArgument("scorer name \"" + name +
                                   "\": 1-64 characters of [a-z0-9_.-]");
  }
  if (loader == nullptr) {
    return Status::InvalidArgument("scorer \"" + name + "\": null loader");
  }
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto [it, inserted] = r.loaders.emplace(name, loader);
  if (!inserted && it->second != loader) {
    return Status::InvalidArgument("scorer \"" + name +
                                   "\" is registered with another loader");
  }
  return Status::OK();
}

Result<std::unique_ptr<Scorer>> LoadScorer(std::string_view name,
                                           std::string_view bytes) {
  return internal::CatchAll("load scorer", [&]() -> Result<std::unique_ptr<Scorer>> {
    ScorerLoader loader = nullptr;
    {
      Registry& r = GetRegistry();
      std::lock_guard<std::mutex> lock(r.mu);
      auto it = r.loaders.find(name);
      if (it != r.loaders.end()) loader = it->second;
    }
    if (loader == nullptr) {
      return Status::NotSupported("no scorer \"" + std::string(name) +
                                  "\" is registered (RegisterScorer) in this program");
    }
    auto s = loader(bytes);
    if (!s.ok()) return s.status();
    if (*s == nullptr) {
      return Status::Internal("scorer \"" + std::string(name) + "\": loader returned null");
    }
    if ((*s)->name() != name) {
      return Status::Corruption("scorer \"" + std::string(name) +
                                "\": loader made a \"" + (*s)->name() + "\"");
    }
    return std::move(*s);
  });
}

}  // namespace techmatch
