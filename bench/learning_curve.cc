// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "learning_curve.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <numeric>
#include <random>
#include <string>

#include "csl_io.h"

namespace techmatch::bench {
namespace {

using nlohmann::json;

const char* const kMetrics[] = {"mrr10", "r1", "low_r1", "disc_p10", "cat_p10"};

std::map<std::string, double> Metrics(const std::map<std::string, internal::GroupMetrics>& g) {
  const internal::GroupMetrics& all = g.at("all");
  auto low = g.find(internal::kLowOverlapGroup);
  return {{"mrr10", all.mrr10},
          {"r1", all.r1},
          {"low_r1", low != g.end() ? low->second.r1 : 0.0},
          {"disc_p10", all.disc_p10.value_or(0)},
          {"cat_p10", all.cat_p10.value_or(0)}};
}

json MeanSd(const std::vector<double>& v) {
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  const double sd = v.size() > 1 ? std::sqrt(ss / double(v.size() - 1)) : 0.0;
  return {{"mean", mean}, {"sd", sd}};
}

// Scores the queries `which` matched with `mo`.
Result<std::map<std::string, double>> Score(const Engine& engine,
                                            const std::vector<CslQuery>& queries,
                                            const internal::EvalData& eval,
                                            const std::vector<size_t>& which,
                                            const MatchOptions& mo) {
  std::vector<MatchQuery> batch;
  for (size_t i : which) batch.push_back(MatchQuery{queries[i].id, queries[i].text, nullptr});
  auto results = engine.MatchBatch(batch, mo);
  if (!results.ok()) return results.status();
  internal::EvalRun run;
  for (const MatchResult& r : *results) {
    auto& ids = run[r.query_id];
    for (const Match& m : r.matches) ids.push_back(m.key.id);
  }
  internal::EvalData data = eval;
  std::map<std::string, const internal::EvalQuery*> by_id;
  for (const auto& q : eval.queries) by_id[q.id] = &q;
  data.queries.clear();
  for (size_t i : which) {
    auto it = by_id.find(queries[i].id);
    if (it != by_id.end()) data.queries.push_back(*it->second);
  }
  return Metrics(internal::ScoreRun(data, run));
}

}  // namespace

Result<json> LearningCurve(const Engine& engine, const std::vector<CslQuery>& queries,
                           const internal::EvalData& eval, const std::vector<size_t>& sizes,
                           int seeds, const FitOptions& fit_options) {
  json out = json::array();
  MatchOptions mo;
  mo.k = 100;
  mo.explain = false;
  mo.target = RecordKind::kSupply;
  const ScorerWeights defaults = engine.weights();
  for (size_t n : sizes) {
    if (n >= queries.size()) continue;
    std::map<std::string, std::vector<double>> fitted, base, delta;
    for (int seed = 1; seed <= seeds; ++seed) {
      std::vector<size_t> order(queries.size());
      std::iota(order.begin(), order.end(), 0);
      std::mt19937 rng{static_cast<uint32_t>(seed)};
      std::shuffle(order.begin(), order.end(), rng);
      const std::vector<size_t> train(order.begin(), order.begin() + long(n));
      const std::vector<size_t> test(order.begin() + long(n), order.end());
      // The training queries' qrels as an operator's judgments file would
      // give them: {"text": the query, "supply": the doc, "label": grade}.
      std::vector<cli::Judgment> lines;
      for (size_t i : train) {
        auto q = eval.qrels.find(queries[i].id);
        if (q == eval.qrels.end()) continue;
        for (const auto& [doc, grade] : q->second) {
          // A smoke run indexes part of the corpus: judgments of records
          // it left out are left out too (the CLI refuses them, naming
          // the line).
          if (!engine.Contains(RecordKey{RecordKind::kSupply, doc})) continue;
          cli::Judgment j;
          j.text = queries[i].text;
          j.supply = doc;
          j.label = std::clamp(grade, 0, 3);
          j.line = lines.size() + 1;
          lines.push_back(std::move(j));
        }
      }
      std::deque<Record> demands;
      std::vector<JudgedQuery> judged;
      TECHMATCH_RETURN_IF_ERROR(
          cli::GroupJudgments(lines, "judgments", engine, &demands, &judged));
      MatchOptions fit_mo = mo;
      auto report = FitScorerWeights(engine, judged, fit_mo, fit_options, &defaults);
      if (!report.ok()) return report.status();
      MatchOptions with = mo;
      with.weights = report->weights;
      auto f = Score(engine, queries, eval, test, with);
      if (!f.ok()) return f.status();
      auto b = Score(engine, queries, eval, test, mo);
      if (!b.ok()) return b.status();
      for (const char* m : kMetrics) {
        fitted[m].push_back(f->at(m));
        base[m].push_back(b->at(m));
        delta[m].push_back(f->at(m) - b->at(m));
      }
      std::fprintf(stderr, "learning curve: n %zu seed %d: MRR@10 %.4f (default %.4f), R@1 %.4f "
                           "(%.4f)\n", n, seed, f->at("mrr10"), b->at("mrr10"), f->at("r1"),
                   b->at("r1"));
    }
    json row = {{"n", n}, {"seeds", seeds}, {"held_out", queries.size() - n}};
    for (const char* m : kMetrics) {
      row["fitted"][m] = MeanSd(fitted[m]);
      row["default"][m] = MeanSd(base[m]);
      row["delta"][m] = MeanSd(delta[m]);
    }
    out.push_back(row);
  }
  return out;
}

}  // namespace techmatch::bench
