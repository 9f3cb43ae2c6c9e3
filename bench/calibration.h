// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// How well MatchResult::confidence is calibrated on csl-match dev: the
// expected calibration error and a reliability table (techmatch-bench
// quality).

#ifndef TECHMATCH_BENCH_CALIBRATION_H_
#define TECHMATCH_BENCH_CALIBRATION_H_

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "csl_data.h"
#include "eval/metrics.h"
#include "techmatch/engine.h"

namespace techmatch::bench {

/// Expected calibration error of (probability, outcome) pairs over `bins`
/// equal-width bins of the probability: sum over bins of n_bin / n ×
/// |mean probability − share of outcomes|. Returns
///   {ece, n, mean_probability, accuracy, bins: [{lo, hi, n, mean_probability,
///    accuracy}]} (empty bins left out).
nlohmann::json CalibrationTable(const std::vector<std::pair<double, bool>>& pairs, int bins);

/// How well a value orders outcomes (the ROC AUC, Mann-Whitney): the share
/// of (hit, miss) pairs in which the hit's value is higher, ties counting
/// half; 0.5 when either side is empty.
double RankAuc(const std::vector<std::pair<double, bool>>& pairs);

/// Matches every query (free text, default options, k 10) and tables how
/// well `raw_confidence` predicts that the top match is relevant (qrels
/// grade >= 2), and `needs_follow_up` flags the queries whose top match is
/// not ("auc": RankAuc of the raw confidence); under "cross_validated", the same table for the raw confidences
/// calibrated by 5-fold cross-validation (ConfidenceCalibration::Fit on
/// four folds, applied to the fifth).
Result<nlohmann::json> ConfidenceCalibration(const Engine& engine,
                                             const std::vector<CslQuery>& queries,
                                             const internal::EvalData& eval);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_CALIBRATION_H_
