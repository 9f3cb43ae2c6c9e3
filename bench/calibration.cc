// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "calibration.h"

#include <algorithm>
#include <cmath>

#include "techmatch/calibration.h"

namespace techmatch::bench {

using nlohmann::json;

json CalibrationTable(const std::vector<std::pair<double, bool>>& pairs, int bins) {
  std::vector<size_t> n(size_t(bins), 0), hits(size_t(bins), 0);
  std::vector<double> sum(size_t(bins), 0.0);
  double total_p = 0;
  size_t total_hits = 0;
  for (const auto& [p, hit] : pairs) {
    const double c = std::clamp(p, 0.0, 1.0);
    const size_t b = std::min(size_t(bins) - 1, size_t(c * bins));
    ++n[b];
    sum[b] += c;
    hits[b] += hit;
    total_p += c;
    total_hits += hit;
  }
  json out = {{"n", pairs.size()}, {"bins", json::array()}};
  double ece = 0;
  for (size_t b = 0; b < size_t(bins); ++b) {
    if (n[b] == 0) continue;
    const double mean = sum[b] / double(n[b]);
    const double acc = double(hits[b]) / double(n[b]);
    ece += double(n[b]) / double(pairs.size()) * std::abs(mean - acc);
    out["bins"].push_back({{"lo", double(b) / bins},
                           {"hi", double(b + 1) / bins},
                           {"n", n[b]},
                           {"mean_probability", mean},
                           {"accuracy", acc}});
  }
  out["ece"] = pairs.empty() ? 0.0 : ece;
  out["mean_probability"] = pairs.empty() ? 0.0 : total_p / double(pairs.size());
  out["accuracy"] = pairs.empty() ? 0.0 : double(total_hits) / double(pairs.size());
  return out;
}

double RankAuc(const std::vector<std::pair<double, bool>>& pairs) {
  // Mann-Whitney: the share of (hit, miss) pairs the value orders right,
  // ties counting half; by sorting, ranks averaged over ties.
  std::vector<std::pair<double, bool>> s = pairs;
  std::sort(s.begin(), s.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  double hit_rank_sum = 0;
  size_t hits = 0;
  for (size_t i = 0; i < s.size();) {
    size_t j = i;
    while (j < s.size() && s[j].first == s[i].first) ++j;
    const double rank = 0.5 * double(i + 1 + j);  // mean of ranks i+1 .. j
    for (size_t t = i; t < j; ++t) {
      if (s[t].second) {
        hit_rank_sum += rank;
        ++hits;
      }
    }
    i = j;
  }
  const size_t misses = s.size() - hits;
  if (hits == 0 || misses == 0) return 0.5;
  return (hit_rank_sum - 0.5 * double(hits) * double(hits + 1)) /
         (double(hits) * double(misses));
}

Result<json> ConfidenceCalibration(const Engine& engine, const std::vector<CslQuery>& queries,
                                   const internal::EvalData& eval) {
  std::vector<MatchQuery> batch;
  for (const CslQuery& q : queries) batch.push_back(MatchQuery{q.id, q.text, nullptr});
  MatchOptions mo;
  mo.k = 10;
  mo.explain = false;
  mo.target = RecordKind::kSupply;
  auto results = engine.MatchBatch(batch, mo);
  if (!results.ok()) return results.status();
  std::vector<std::pair<double, bool>> pairs;
  // Per query: (raw per-match value, relevant) of its matches below the top.
  std::vector<std::vector<std::pair<double, bool>>> below(results->size());
  std::vector<std::pair<double, bool>> raw_matches;  // every match, raw
  size_t flagged = 0, flagged_wrong = 0, wrong = 0;
  for (size_t qi = 0; qi < results->size(); ++qi) {
    const MatchResult& r = (*results)[qi];
    auto q = eval.qrels.find(r.query_id);
    auto relevant = [&](const std::string& id) {
      if (q == eval.qrels.end()) return false;
      auto d = q->second.find(id);
      return d != q->second.end() && d->second >= 2;
    };
    const bool hit = !r.matches.empty() && relevant(r.matches[0].key.id);
    for (size_t m = 0; m < r.matches.size(); ++m) {
      const double raw = MatchRawProbability(r.raw_confidence, r.matches[m].score,
                                             r.matches[0].score);
      raw_matches.emplace_back(raw, relevant(r.matches[m].key.id));
      if (m > 0) below[qi].emplace_back(raw, relevant(r.matches[m].key.id));
    }
    pairs.emplace_back(r.raw_confidence, hit);
    wrong += !hit;
    flagged += r.needs_follow_up;
    flagged_wrong += r.needs_follow_up && !hit;
  }
  json out = CalibrationTable(pairs, 10);
  out["auc"] = RankAuc(pairs);
  // Calibrated by 5-fold cross-validation: each fold's raw confidences
  // mapped by the calibration fitted on the other four.
  constexpr size_t kFolds = 5;
  std::vector<std::pair<double, bool>> calibrated(pairs.size()), calibrated_matches;
  json folds = json::array();
  for (size_t f = 0; f < kFolds; ++f) {
    std::vector<std::pair<double, bool>> train, train_matches;
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (i % kFolds == f) continue;
      train.push_back(pairs[i]);
      train_matches.insert(train_matches.end(), below[i].begin(), below[i].end());
    }
    auto cal = ConfidenceCalibration::Fit(train, 20, train_matches);
    if (!cal.ok()) return cal.status();
    folds.push_back({{"knots", cal->raw.size()}, {"match_knots", cal->match_raw.size()}});
    for (size_t i = f; i < pairs.size(); i += kFolds) {
      calibrated[i] = {cal->Apply(pairs[i].first), pairs[i].second};
      // As the engine answers: the top match's probability is the
      // confidence, the others' never above the one ranked before.
      double prev = calibrated[i].first;
      calibrated_matches.push_back(calibrated[i]);
      for (const auto& [raw, rel] : below[i]) {
        prev = std::min(prev, cal->ApplyMatch(raw));
        calibrated_matches.emplace_back(prev, rel);
      }
    }
  }
  out["cross_validated"] = CalibrationTable(calibrated, 10);
  out["cross_validated"]["folds"] = folds;
  out["matches_raw"] = CalibrationTable(raw_matches, 10);
  out["matches_cross_validated"] = CalibrationTable(calibrated_matches, 10);
  out["follow_up"] = {{"flagged", flagged},
                      {"flagged_with_a_wrong_top", flagged_wrong},
                      {"wrong_top", wrong}};
  return out;
}

}  // namespace techmatch::bench
