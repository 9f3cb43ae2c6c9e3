// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// ConfidenceCalibration: the engine's raw confidence turned into the
// probability that the top match is a real fit.

#ifndef TECHMATCH_CALIBRATION_H_
#define TECHMATCH_CALIBRATION_H_

#include <cstddef>
#include <utility>
#include <vector>

#include "techmatch/engine.h"
#include "techmatch/export.h"
#include "techmatch/fit.h"
#include "techmatch/status.h"

namespace techmatch {

/// A non-decreasing, piecewise-linear map from MatchResult::raw_confidence
/// (a coverage heuristic in [0, 1]: it orders queries well but is not a
/// probability) to the probability that the top match is a real fit,
/// fitted on judged queries by isotonic regression. Set on an engine
/// (Engine::SetConfidenceCalibration) it makes MatchResult::confidence
/// that probability, comparable across queries and corpora, and
/// needs_follow_up = confidence < ScorerOptions::follow_up_floor; it is
/// saved with the engine. Empty (default): confidence is the raw one, and
/// needs_follow_up = raw_confidence < ScorerOptions::raw_follow_up_floor.
/// A calibration belongs to the ScorerOptions::confidence_measure it was
/// fitted on.
struct TECHMATCH_EXPORT_CLASS ConfidenceCalibration {
  std::vector<double> raw;          ///< knots, strictly increasing, in [0, 1]
  std::vector<double> probability;  ///< at each knot; non-decreasing, in (0, 1)
  /// The second map, for Match::probability below the top: knots of the
  /// per-match raw value (MatchRawProbability) and the probability that
  /// such a match is a fit. Empty: those matches keep the raw value.
  std::vector<double> match_raw;
  std::vector<double> match_probability;
  size_t queries = 0;               ///< judged queries it was fitted on

  bool empty() const { return raw.empty(); }
  /// The probability at `raw_confidence`: linear between knots, the end
  /// values beyond them; the raw value itself when empty.
  double Apply(double raw_confidence) const;
  /// The same with the per-match map.
  double ApplyMatch(double raw_match) const;
  /// OK, or InvalidArgument saying what is wrong (lengths, order, range).
  Status Validate() const;

  /// Isotonic regression (pool adjacent violators) of the outcomes on the
  /// raw confidences: pairs sorted by raw value start in blocks of
  /// `min_block` (the last one takes the remainder), adjacent blocks whose
  /// rates are out of order are pooled, and each block becomes a knot at
  /// its mean raw value with probability (hits + 0.5) / (n + 1) (never 0
  /// or 1 from a finite sample). InvalidArgument for no pair, a value that
  /// is not finite, or min_block < 1.
  /// With `matches` (per-match raw value, judged a fit) the per-match map
  /// is fitted the same way.
  static Result<ConfidenceCalibration> Fit(const std::vector<std::pair<double, bool>>& pairs,
                                           size_t min_block = 20,
                                           const std::vector<std::pair<double, bool>>& matches = {});
};

/// The raw value a match's probability is calibrated from: the query's raw
/// confidence times the match's score over the best score (both clamped to
/// [0, 1]); for the best match, the raw confidence.
TECHMATCH_EXPORT double MatchRawProbability(double raw_confidence, double score,
                                            double best_score);

/// Matches the judged queries on `engine` (MatchOptions as given) and fits
/// a calibration from each query's raw confidence and whether its top
/// match is judged a fit (grade > 0 in `grades`, or among `relevant_ids`),
/// and the per-match map from every returned match below the top (its
/// MatchRawProbability, and whether it is judged a fit; unjudged matches
/// count as not). Queries with no match are left out.
TECHMATCH_EXPORT Result<ConfidenceCalibration> FitConfidenceCalibration(
    const Engine& engine, const std::vector<JudgedQuery>& judged,
    const MatchOptions& match_options = {}, size_t min_block = 20, int threads = 0);

}  // namespace techmatch

#endif  // TECHMATCH_CALIBRATION_H_
