// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/calibration.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

#include "engine/judged_grade.h"
#include "util/catch_all.h"

namespace techmatch {
namespace {

double ApplyMap(const std::vector<double>& raw, const std::vector<double>& probability,
                double x) {
  if (raw.empty()) return x;
  if (!(x > raw.front())) return probability.front();  // NaN too
  if (x >= raw.back()) return probability.back();
  const size_t hi = size_t(std::upper_bound(raw.begin(), raw.end(), x) - raw.begin());
  const size_t lo = hi - 1;
  const double t = (x - raw[lo]) / (raw[hi] - raw[lo]);
  return probability[lo] + t * (probability[hi] - probability[lo]);
}

Status ValidateMap(const std::vector<double>& raw, const std::vector<double>& probability) {
  if (raw.size() != probability.size()) {
    return Status::InvalidArgument("calibration: " + std::to_string(raw.size()) +
                                   " knots but " + std::to_string(probability.size()) +
                                   " probabilities");
  }
  for (size_t i = 0; i < raw.size(); ++i) {
    if (!(raw[i] >= 0 && raw[i] <= 1)) {
      return Status::InvalidArgument("calibration: knot " + std::to_string(i) +
                                     " is not in [0, 1]");
    }
    if (!(probability[i] >= 0 && probability[i] <= 1)) {
      return Status::InvalidArgument("calibration: probability " + std::to_string(i) +
                                     " is not in [0, 1]");
    }
    if (i > 0 && !(raw[i] > raw[i - 1])) {
      return Status::InvalidArgument("calibration: knots must increase (knot " +
                                     std::to_string(i) + ")");
    }
    if (i > 0 && probability[i] < probability[i - 1]) {
      return Status::InvalidArgument("calibration: probabilities must not decrease (knot " +
                                     std::to_string(i) + ")");
    }
  }
  return Status::OK();
}

// Isotonic fit of one map (ConfidenceCalibration::Fit).
Status FitMap(const std::vector<std::pair<double, bool>>& pairs, size_t min_block,
              std::vector<double>* raw, std::vector<double>* probability) {
  if (min_block < 1) return Status::InvalidArgument("calibration: min_block must be >= 1");
  if (pairs.empty()) return Status::InvalidArgument("calibration: no judged pair");
  for (const auto& p : pairs) {
    if (!std::isfinite(p.first)) {
      return Status::InvalidArgument("calibration: a raw confidence is not finite");
    }
  }
  std::vector<std::pair<double, bool>> sorted = pairs;
  std::sort(sorted.begin(), sorted.end());
  struct Block {
    double sum_x = 0;
    double hits = 0;
    double n = 0;
    double rate() const { return hits / n; }
  };
  std::vector<Block> blocks;
  for (size_t i = 0; i < sorted.size(); i += min_block) {
    Block b;
    const size_t end = sorted.size() - i < 2 * min_block ? sorted.size() : i + min_block;
    for (size_t j = i; j < end; ++j) {
      b.sum_x += std::clamp(sorted[j].first, 0.0, 1.0);
      b.hits += sorted[j].second;
      b.n += 1;
    }
    // Pool adjacent violators: merge while the previous block's rate is
    // not below this one's.
    while (!blocks.empty() && blocks.back().rate() >= b.rate()) {
      b.sum_x += blocks.back().sum_x;
      b.hits += blocks.back().hits;
      b.n += blocks.back().n;
      blocks.pop_back();
    }
    blocks.push_back(b);
    if (end == sorted.size()) break;
  }
  raw->clear();
  probability->clear();
  for (const Block& b : blocks) {
    const double x = b.sum_x / b.n;
    const double p = (b.hits + 0.5) / (b.n + 1);
    if (!raw->empty() && !(x > raw->back())) {
      probability->back() = std::max(probability->back(), p);  // equal means: one knot
      continue;
    }
    raw->push_back(x);
    probability->push_back(probability->empty() ? p : std::max(p, probability->back()));
  }
  return ValidateMap(*raw, *probability);
}

}  // namespace

double ConfidenceCalibration::Apply(double x) const { return ApplyMap(raw, probability, x); }

double ConfidenceCalibration::ApplyMatch(double x) const {
  return ApplyMap(match_raw, match_probability, x);
}

Status ConfidenceCalibration::Validate() const {
  TECHMATCH_RETURN_IF_ERROR(ValidateMap(raw, probability));
  Status m = ValidateMap(match_raw, match_probability);
  if (!m.ok()) return Status::InvalidArgument("per-match " + m.message());
  if (raw.empty() && !match_raw.empty()) {
    return Status::InvalidArgument("calibration: a per-match map without the top one");
  }
  return Status::OK();
}

double MatchRawProbability(double raw_confidence, double score, double best_score) {
  const double conf = std::clamp(raw_confidence, 0.0, 1.0);
  if (score >= best_score) return conf;  // the best match (or a tie)
  if (!(best_score > 0)) return 0.0;
  return conf * std::clamp(score / best_score, 0.0, 1.0);
}

Result<ConfidenceCalibration> ConfidenceCalibration::Fit(
    const std::vector<std::pair<double, bool>>& pairs, size_t min_block,
    const std::vector<std::pair<double, bool>>& matches) {
  if (pairs.empty()) return Status::InvalidArgument("calibration: no judged query");
  ConfidenceCalibration c;
  c.queries = pairs.size();
  TECHMATCH_RETURN_IF_ERROR(FitMap(pairs, min_block, &c.raw, &c.probability));
  if (!matches.empty()) {
    TECHMATCH_RETURN_IF_ERROR(FitMap(matches, min_block, &c.match_raw, &c.match_probability));
  }
  TECHMATCH_RETURN_IF_ERROR(c.Validate());
  return c;
}

Result<ConfidenceCalibration> FitConfidenceCalibration(const Engine& engine,
                                                       const std::vector<JudgedQuery>& judged,
                                                       const MatchOptions& match_options,
                                                       size_t min_block, int threads) {
  return internal::CatchAll("fit calibration", [&]() -> Result<ConfidenceCalibration> {
    if (judged.empty()) return Status::InvalidArgument("calibration: no judged query");
    MatchOptions mo = match_options;
    mo.explain = false;
    std::vector<MatchQuery> queries;
    queries.reserve(judged.size());
    for (const JudgedQuery& j : judged) queries.push_back(j.query);
    auto results = engine.MatchBatch(queries, mo, threads);
    if (!results.ok()) return results.status();
    std::vector<std::pair<double, bool>> pairs, matches;
    for (size_t i = 0; i < judged.size(); ++i) {
      const MatchResult& r = (*results)[i];
      if (r.matches.empty()) continue;
      auto is_fit = [&](const std::string& id) {
        return internal::JudgedGrade(judged[i], id) > 0;
      };
      pairs.emplace_back(r.raw_confidence, is_fit(r.matches[0].key.id));
      for (size_t m = 1; m < r.matches.size(); ++m) {
        matches.emplace_back(
            MatchRawProbability(r.raw_confidence, r.matches[m].score, r.matches[0].score),
            is_fit(r.matches[m].key.id));
      }
    }
    if (pairs.empty()) return Status::InvalidArgument("calibration: no judged query matched");
    return ConfidenceCalibration::Fit(pairs, min_block, matches);
  });
}

}  // namespace techmatch
