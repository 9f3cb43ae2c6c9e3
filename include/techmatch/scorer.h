// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Scorer: the features a candidate match is scored on, the Scorer
// interface (a replaceable, persistable model) and its linear
// implementation.

#ifndef TECHMATCH_SCORER_H_
#define TECHMATCH_SCORER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "techmatch/export.h"
#include "techmatch/status.h"

namespace techmatch {

/// The features of one (query, candidate) pair, defined once: one line per
/// feature, X(enumerator, name). Every value is in [0, 1] (or [-1, 1] for
/// the similarities and the penalties) and 0 when the information is
/// missing on either side, so a missing field never counts against a
/// candidate. docs/scorer.md defines each one:
///   lexical          (BM25 score / the query's best)^lexical_power
///   dense            cosine similarity of the two embeddings
///   centroid         cosine of the candidate with the mean embedding of the
///                    query's top first-stage candidates
///   title_overlap    share of the query's terms found in the title
///   keyword_overlap  share of the candidate's keywords found in the query
///   category         1 same path (or one refines the other), 0.5 same
///                    parent, 0 unrelated/unknown
///   region           1 county, 0.67 city, 0.33 province, 0 elsewhere
///   maturity         1 supply TRL >= demand minimum, else -gap/8
///   price            1 price within budget, else -(over budget share)
///   recency          1 published today, 0.5 after recency_half_life_days
/// New features go at the end (saved weights are keyed by name).
#define TECHMATCH_FEATURES(X)     \
  X(kLexical, "lexical")          \
  X(kDense, "dense")              \
  X(kCentroid, "centroid")        \
  X(kTitleOverlap, "title_overlap") \
  X(kKeywordOverlap, "keyword_overlap") \
  X(kCategory, "category")        \
  X(kRegion, "region")            \
  X(kMaturity, "maturity")        \
  X(kPrice, "price")              \
  X(kRecency, "recency")

enum class Feature : uint8_t {
#define TECHMATCH_FEATURE_ENUMERATOR_(e, name) e,
  TECHMATCH_FEATURES(TECHMATCH_FEATURE_ENUMERATOR_)
#undef TECHMATCH_FEATURE_ENUMERATOR_
};

#define TECHMATCH_FEATURE_COUNT_(e, name) +1
inline constexpr size_t kNumFeatures = 0 TECHMATCH_FEATURES(TECHMATCH_FEATURE_COUNT_);
#undef TECHMATCH_FEATURE_COUNT_

/// The feature's name ("lexical", ...); "unknown" out of range.
TECHMATCH_EXPORT const char* FeatureName(Feature feature);
/// InvalidArgument for a name that is not a feature.
TECHMATCH_EXPORT Result<Feature> ParseFeature(std::string_view name);

/// One value per feature, indexed by size_t(Feature).
using FeatureVector = std::array<double, kNumFeatures>;

/// A linear model: score = bias + sum(weight[f] * value[f]).
struct TECHMATCH_EXPORT_CLASS ScorerWeights {
  FeatureVector weight{};
  double bias = 0.0;

  /// The documented defaults (docs/scorer.md): lexical 1, dense 0,
  /// centroid 0.4 chosen on csl-match dev by cross-validation
  /// (docs/measurements.md); title/keyword overlap and the
  /// metadata features (category, region, maturity, price, recency) get
  /// small hand-set weights that csl-match cannot judge.
  static ScorerWeights Defaults();

  double& operator[](Feature f) { return weight[size_t(f)]; }
  double operator[](Feature f) const { return weight[size_t(f)]; }

  /// InvalidArgument on NaN/Inf or a magnitude over 1e6.
  Status Validate() const;
};

/// How a score splits over the features, for explanations:
/// score = bias + sum(contribution).
struct ScoreBreakdown {
  double bias = 0;
  /// The model's weight of each feature (a linear scorer's coefficients;
  /// for another model, its local slope or 0).
  FeatureVector weight{};
  FeatureVector contribution{};
};

/// A model that turns a candidate's features into its score (Xapian's
/// `Weight` is the pattern: name, serialise, unserialise, clone).
///
/// Implementations must be deterministic and their const methods safe to
/// call concurrently: the engine scores many queries at once with one
/// Scorer. An engine owns its scorer (Engine::SetScorer clones it); to be
/// saved and loaded with an engine, an implementation registers a loader
/// under its name() (RegisterScorer) in every program that loads it.
class TECHMATCH_EXPORT_CLASS Scorer {
 public:
  virtual ~Scorer();

  /// Identifies the implementation in snapshots, e.g. "linear"; 1-64
  /// characters of [a-z0-9_.-].
  virtual std::string name() const = 0;
  /// The candidate's score (higher is better); must be finite.
  virtual double Score(const FeatureVector& features) const = 0;
  /// The score's parts. Default: the whole score as bias.
  virtual ScoreBreakdown Explain(const FeatureVector& features) const;
  /// Appends the model's parameters (not its name) to *out.
  virtual Status Save(std::string* out) const = 0;
  virtual std::unique_ptr<Scorer> Clone() const = 0;
};

/// The default scorer: score = bias + sum(weight * value).
class TECHMATCH_EXPORT_CLASS LinearScorer final : public Scorer {
 public:
  /// The weights must be valid (ScorerWeights::Validate); Create checks.
  explicit LinearScorer(const ScorerWeights& weights) : weights_(weights) {}
  static Result<std::unique_ptr<LinearScorer>> Create(const ScorerWeights& w);
  /// Reads what Save wrote (features by name: a name this build does not
  /// know is NotSupported, a missing one weighs 0). Corruption on bad bytes.
  static Result<std::unique_ptr<Scorer>> Load(std::string_view bytes);

  std::string name() const override { return "linear"; }
  double Score(const FeatureVector& features) const override;
  ScoreBreakdown Explain(const FeatureVector& features) const override;
  Status Save(std::string* out) const override;
  std::unique_ptr<Scorer> Clone() const override;

  const ScorerWeights& weights() const { return weights_; }

 private:
  ScorerWeights weights_;
};

/// Reads a scorer's parameters (what its Save wrote).
using ScorerLoader = Result<std::unique_ptr<Scorer>> (*)(std::string_view bytes);

/// Makes scorers named `name` loadable (Engine::Load, LoadScorer).
/// "linear" is always registered. Registering the same loader again is
/// OK; another loader under a taken name is InvalidArgument. Thread-safe.
TECHMATCH_EXPORT Status RegisterScorer(const std::string& name,
                                       ScorerLoader loader);
/// A scorer from its name and saved parameters; NotSupported for a name
/// no loader is registered for.
TECHMATCH_EXPORT Result<std::unique_ptr<Scorer>> LoadScorer(
    std::string_view name, std::string_view bytes);

/// How MatchResult::raw_confidence is measured from the best match.
enum class ConfidenceMeasure : uint8_t {
  /// ½ · the share of the query's words and bigrams the best match
  /// contains + ½ · max(0, its cosine). The cosine half moves with the
  /// embedding dimension ("coverage_cosine"; the measure of snapshots
  /// written before this option existed).
  kCoverageCosine = 0,
  /// The geometric mean of that share (terms synonyms added count where
  /// the best match holds them, never lowering it) and the share of the
  /// best match's key terms (title and keyword words and bigrams) the query
  /// contains; the first share alone when the best match's title and
  /// keywords hold no word or bigram. Independent of the embedding
  /// ("key_terms").
  kKeyTermCoverage = 1,
};

/// How candidates are scored.
struct TECHMATCH_EXPORT_CLASS ScorerOptions {
  /// The linear scorer's weights (an engine starts with a LinearScorer).
  ScorerWeights weights = ScorerWeights::Defaults();
  /// Candidates (best first-stage first) whose embeddings are averaged for
  /// the centroid feature and whose categories vote for an inferred query
  /// category. Default 10; >= 1.
  size_t centroid_depth = 10;
  /// The lexical feature is (BM25 / best BM25)^lexical_power: a sharp
  /// preference for candidates near the best lexical match, so that the
  /// other features re-order the rest without demoting a clear winner.
  /// Default 16 (chosen on csl-match dev by cross-validation with the
  /// one-standard-error rule, docs/measurements.md; 1 loses ~0.01 MRR@10
  /// for the same DiscP@10 gain); >= 1.
  double lexical_power = 16.0;
  /// Recency feature: age at which it falls to 0.5. Default 730 days.
  double recency_half_life_days = 730.0;
  /// How MatchResult::raw_confidence is measured (docs/scorer.md).
  /// Default kKeyTermCoverage, which does not depend on the embedding;
  /// engines loaded from snapshots written before this option existed
  /// keep kCoverageCosine (their saved calibration was fitted on it).
  ConfidenceMeasure confidence_measure = ConfidenceMeasure::kKeyTermCoverage;
  /// With a ConfidenceCalibration on the engine: a query whose (calibrated)
  /// MatchResult::confidence is below this is flagged needs_follow_up.
  /// Default 0.35: less than 35% likely to be right (docs/scorer.md).
  double follow_up_floor = 0.35;
  /// Without a calibration: the flag is raw_confidence below this.
  /// Default 0.17, between the sample data's on-topic demands (0.22 and
  /// up) and its off-topic queries (0.12 and down) with kKeyTermCoverage
  /// (docs/scorer.md). It does not follow the measure: an engine opened
  /// with kCoverageCosine should set the 0.35 that measure used;
  /// snapshots from before confidence_measure keep follow_up_floor here.
  double raw_follow_up_floor = 0.17;
  /// Infer a category for queries without one from the categories of the
  /// top centroid_depth candidates (majority of at least 40%).
  /// Default true.
  bool infer_category = true;

  Status Validate() const;
};

}  // namespace techmatch

#endif  // TECHMATCH_SCORER_H_
