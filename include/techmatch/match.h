// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Match, Explanation, MatchOptions: what Engine::Match returns and takes.

#ifndef TECHMATCH_MATCH_H_
#define TECHMATCH_MATCH_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "techmatch/export.h"
#include "techmatch/filter.h"
#include "techmatch/record.h"
#include "techmatch/scorer.h"
#include "techmatch/status.h"
#include "techmatch/term.h"

namespace techmatch {

/// A record field a term was found in.
enum class TextField : uint8_t { kTitle = 0, kKeywords = 1, kText = 2 };
/// "title" / "keywords" / "text".
TECHMATCH_EXPORT const char* TextFieldName(TextField field);

/// Where a term occurs: byte offsets [begin, end) into the field as it was
/// given (for kKeywords, into keywords[index]; index is 0 otherwise). A
/// free-text query is the field kText.
struct TextSpan {
  TextField field = TextField::kText;
  uint32_t index = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
};

/// A term the query and the candidate share.
struct MatchedTerm {
  std::string text;  ///< normalized form
  TermKind kind = TermKind::kWord;
  float contribution = 0;  ///< its share of the BM25 score
  /// Where the term occurs, in field order: at most kMaxSpans on each side
  /// (the first ones), so that a long record's explanation stays small.
  /// Query spans are the query's analyzed terms; record spans are where
  /// the term's text occurs in the record (found without segmenting it:
  /// a Han word may be marked inside a longer word, see TermLocator in
  /// docs/engine.md).
  std::vector<TextSpan> query_spans;
  std::vector<TextSpan> record_spans;
  /// When a synonym brought the term in (Engine::SetSynonyms): the query's
  /// phrase (normalized) that added it; query_spans is then empty.
  /// Empty for the query's own terms.
  std::string synonym_of;
  static constexpr size_t kMaxSpans = 32;
};

/// One feature's part in a score.
struct FeatureContribution {
  Feature feature = Feature::kLexical;
  double value = 0;         ///< the feature value
  double weight = 0;        ///< its weight in the model
  double contribution = 0;  ///< weight * value
};

/// Why a candidate was matched.
struct Explanation {
  /// Every feature, in Feature order; score = bias + sum of contributions.
  std::vector<FeatureContribution> features;
  double bias = 0;
  /// Shared terms, largest contribution first (at most
  /// MatchOptions::max_explained_terms).
  std::vector<MatchedTerm> matched_terms;
  /// "lexical", "dense" or "both": which first-stage lists found it.
  std::string found_by;
};

/// One candidate for a query.
struct Match {
  RecordKey key;
  double score = 0;  ///< the scorer's score (higher is better)
  size_t rank = 0;   ///< 1-based
  float lexical_score = 0;  ///< raw BM25 (0 if it shares no term)
  float dense_score = 0;    ///< cosine similarity
  /// How likely this match is a real fit, in [0, 1], never above the
  /// match ranked before it. The top match's is MatchResult::confidence;
  /// the others' come from the raw confidence scaled by score / best score,
  /// mapped by the engine's ConfidenceCalibration when it has one (then a
  /// calibrated probability), else that raw product.
  double probability = 0;
  Explanation explanation;  ///< filled when MatchOptions::explain
};

/// The answer to one query.
/// Where one match call spent its time, in milliseconds (steady clock),
/// filled when MatchOptions::profile is set; zeros otherwise.
struct MatchTimings {
  double analyze_ms = 0;  ///< query analysis (words, unigrams, bigrams)
  double embed_ms = 0;    ///< query embedding
  double lexical_ms = 0;  ///< BM25 top-k
  /// Dense index search, merged into the candidates (with the BM25 score
  /// of each candidate only the dense side found).
  double dense_ms = 0;
  /// Fusion, candidate vectors and centroid, features, scoring, sorting.
  double rerank_ms = 0;
  double explain_ms = 0;  ///< explanations and the confidence
  double total_ms = 0;    ///< the whole call (lock wait excluded)
};

struct MatchResult {
  std::string query_id;  ///< the query record's id ("" for a free text)
  std::vector<Match> matches;  ///< best first
  /// How sure the engine is that the best match is a real fit, in [0, 1],
  /// comparable across queries (scores are not: the lexical feature is
  /// relative to the query's best). With a ConfidenceCalibration on the
  /// engine (techmatch/calibration.h, `techmatch fit --calibrate`), the
  /// calibrated probability that it is; without one, raw_confidence.
  double confidence = 0;
  /// The uncalibrated measure (ScorerOptions::confidence_measure): by
  /// default the geometric mean of the share of the query's words and
  /// bigrams the best match contains and the share of the best match's
  /// title and keyword words and bigrams the query contains.
  double raw_confidence = 0;
  /// Confidence is under ScorerOptions::follow_up_floor (with a
  /// calibration; without one, raw_confidence under raw_follow_up_floor),
  /// or nothing was found: an operator should follow up by hand. `matches`
  /// still holds the best candidates there are.
  bool needs_follow_up = false;
  /// The query's category path used by the category feature: its own, or
  /// inferred from its best candidates (then `category_inferred`).
  std::string category;
  bool category_inferred = false;
  /// Per-stage times when MatchOptions::profile was set.
  MatchTimings timings;
};

/// Per-call matching parameters.
struct TECHMATCH_EXPORT_CLASS MatchOptions {
  /// Matches returned. Default 10; 1..10000.
  size_t k = 10;
  /// The side searched. Unset (default): the opposite of the query
  /// record's kind; supplies for a free text.
  std::optional<RecordKind> target;
  /// Extra conditions on the candidates (the target kind is always
  /// enforced). Default: none.
  RecordFilter filter;
  /// Fill Match::explanation (matched terms with offsets cost a scan of
  /// each returned record's text for the shared terms). Default true.
  bool explain = true;
  /// Matched terms kept per explanation; 0 = features only (no scan of
  /// the returned records). Default 20.
  size_t max_explained_terms = 20;
  /// First-stage depths; unset = the engine's (EngineOptions::fusion),
  /// 0 = that stage off (for ablations; not both).
  std::optional<size_t> lexical_k;
  std::optional<size_t> dense_k;
  /// Scorer weights for this call only (a LinearScorer); unset = the
  /// engine's scorer.
  std::optional<ScorerWeights> weights;
  /// A scorer for this call only (not owned; must outlive the call);
  /// overrides `weights`. Null (default) = the engine's scorer.
  const Scorer* scorer = nullptr;
  /// The date recency is measured from; unset (default) = today's UTC date
  /// from the system clock. Set it for reproducible scores.
  std::optional<Date> today;
  /// Dense index search effort; 0 = the index's tuned default.
  int nprobe = 0;
  int ef_search = 0;
  /// Fill MatchResult::timings (a few clock reads per call). Default false.
  bool profile = false;
  /// Weight of a term that a synonym adds to the query (Engine::
  /// SetSynonyms), relative to one occurrence of the query's own term;
  /// 0 = synonyms off for this call. Default 0.5; 0..10.
  float synonym_weight = 0.5f;

  Status Validate() const;
};

}  // namespace techmatch

#endif  // TECHMATCH_MATCH_H_
