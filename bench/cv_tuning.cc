// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "cv_tuning.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>
#include <unordered_map>

#include "engine/engine_access.h"
#include "techmatch/scorer.h"

namespace techmatch::bench {
namespace {

using nlohmann::json;

// The match-time settings tuned here. The first four need engine runs
// (they change the candidates or their first-stage order); the last three
// re-score the collected candidates' features offline.
struct Setting {
  double word = 1, unigram = 1, bigram = 1;  // BM25 query term-kind weights
  double fusion_dense = 0.3;                 // first-stage blend
  double power = 1;                          // lexical feature = (BM25/best)^power
  double dense = 0, centroid = 0;            // scorer weights (lexical 1)

  // What the one-standard-error rule prefers: fewer parts that differ from
  // plain BM25 ranking. The fusion weight only orders the first stage and
  // is not counted.
  int Complexity() const {
    return int(!(word == 1 && unigram == 1 && bigram == 1)) + int(power != 1) +
           int(dense != 0) + int(centroid != 0);
  }
  json ToJson() const {
    return {{"word_weight", word},        {"unigram_weight", unigram},
            {"bigram_weight", bigram},    {"fusion_dense_weight", fusion_dense},
            {"lexical_power", power},     {"dense", dense},
            {"centroid", centroid}};
  }
};

// One query's contribution to each metric (evaluate.py's per-query values).
struct QueryScore {
  bool scored = false;
  double rr = 0, r1 = 0;
  bool low = false;
  double disc = -1, cat = -1;  // -1: the query does not count
};

struct Metrics {
  double mrr10 = 0, r1 = 0, low_r1 = 0, disc_p10 = 0, cat_p10 = 0, objective = 0;
};

constexpr const char* kMetricNames[] = {"mrr10", "r1", "low_r1", "disc_p10", "cat_p10",
                                        "objective"};

std::array<double, 6> AsArray(const Metrics& m) {
  return {m.mrr10, m.r1, m.low_r1, m.disc_p10, m.cat_p10, m.objective};
}

json MetricsJson(const Metrics& m) {
  json j;
  const auto a = AsArray(m);
  for (size_t i = 0; i < a.size(); ++i) j[kMetricNames[i]] = a[i];
  return j;
}

// The objective's weight of each metric: 1 / the standard deviation of its
// per-query values, so that each metric's differences count in units of
// its own noise (a query's reciprocal rank varies less than a low-overlap
// query's R@1, which is 0 or 1).
struct Weights {
  double mrr = 1, low = 1, disc = 1, cat = 1;
};

Weights NoiseWeights(const std::vector<QueryScore>& s, const std::vector<size_t>& which) {
  std::vector<double> rr, low, disc, cat;
  for (size_t i : which) {
    if (!s[i].scored) continue;
    rr.push_back(s[i].rr);
    if (s[i].low) low.push_back(s[i].r1);
    if (s[i].disc >= 0) disc.push_back(s[i].disc);
    if (s[i].cat >= 0) cat.push_back(s[i].cat);
  }
  // 0 when a metric has under 2 values or no spread: then every metric
  // weighs the same.
  auto inverse_sd = [](const std::vector<double>& v) {
    if (v.size() < 2) return 0.0;
    const double mu = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
    double ss = 0;
    for (double x : v) ss += (x - mu) * (x - mu);
    const double sd = std::sqrt(ss / double(v.size() - 1));
    return sd > 1e-6 ? 1.0 / sd : 0.0;
  };
  Weights w{inverse_sd(rr), inverse_sd(low), inverse_sd(disc), inverse_sd(cat)};
  if (w.mrr == 0 || w.low == 0 || w.disc == 0 || w.cat == 0) return Weights{};
  const double sum = w.mrr + w.low + w.disc + w.cat;
  w = {4 * w.mrr / sum, 4 * w.low / sum, 4 * w.disc / sum, 4 * w.cat / sum};
  return w;
}

json WeightsJson(const Weights& w) {
  return {{"mrr10", w.mrr}, {"low_r1", w.low}, {"disc_p10", w.disc}, {"cat_p10", w.cat}};
}

Metrics Aggregate(const std::vector<QueryScore>& s, const std::vector<size_t>& which,
                  const Weights& w) {
  double rr = 0, r1 = 0, low = 0, disc = 0, cat = 0;
  size_t n = 0, n_low = 0, n_disc = 0, n_cat = 0;
  for (size_t i : which) {
    const QueryScore& q = s[i];
    if (!q.scored) continue;
    ++n;
    rr += q.rr;
    r1 += q.r1;
    if (q.low) {
      ++n_low;
      low += q.r1;
    }
    if (q.disc >= 0) {
      ++n_disc;
      disc += q.disc;
    }
    if (q.cat >= 0) {
      ++n_cat;
      cat += q.cat;
    }
  }
  Metrics m;
  double sum = 0, parts = 0;
  auto part = [&](double total, size_t count, double weight, double* out) {
    if (count == 0) return;
    *out = total / double(count);
    sum += weight * *out;
    parts += weight;
  };
  part(rr, n, w.mrr, &m.mrr10);
  if (n > 0) m.r1 = r1 / double(n);
  part(low, n_low, w.low, &m.low_r1);
  part(disc, n_disc, w.disc, &m.disc_p10);
  part(cat, n_cat, w.cat, &m.cat_p10);
  m.objective = parts > 0 ? sum / parts : 0;
  return m;
}

// Mean and sample sd of each metric over the given folds.
std::pair<json, json> MeanSd(const std::vector<Metrics>& folds, const std::vector<int>& which) {
  json mean, sd;
  for (size_t k = 0; k < 6; ++k) {
    double s = 0, ss = 0;
    for (int f : which) s += AsArray(folds[size_t(f)])[k];
    const double mu = s / double(which.size());
    for (int f : which) {
      const double d = AsArray(folds[size_t(f)])[k] - mu;
      ss += d * d;
    }
    mean[kMetricNames[k]] = mu;
    sd[kMetricNames[k]] = which.size() > 1 ? std::sqrt(ss / double(which.size() - 1)) : 0.0;
  }
  return {mean, sd};
}

// Each query's share of the objective over `which`: the mean of c over
// `which` is the objective of the pooled queries (MRR@10, low-overlap
// R@1, DiscP@10 and CatP@10 each averaged over the queries it counts).
std::vector<double> Contributions(const std::vector<QueryScore>& s,
                                  const std::vector<size_t>& which, const Weights& w) {
  size_t n = 0, n_low = 0, n_disc = 0, n_cat = 0;
  for (size_t i : which) {
    if (!s[i].scored) continue;
    ++n;
    n_low += s[i].low;
    n_disc += s[i].disc >= 0;
    n_cat += s[i].cat >= 0;
  }
  const double parts = (n > 0 ? w.mrr : 0) + (n_low > 0 ? w.low : 0) +
                       (n_disc > 0 ? w.disc : 0) + (n_cat > 0 ? w.cat : 0);
  std::vector<double> c;
  for (size_t i : which) {
    const QueryScore& q = s[i];
    if (!q.scored) continue;
    double v = w.mrr * q.rr;
    if (q.low) v += w.low * q.r1 * double(n) / double(n_low);
    if (q.disc >= 0) v += w.disc * q.disc * double(n) / double(n_disc);
    if (q.cat >= 0) v += w.cat * q.cat * double(n) / double(n_cat);
    c.push_back(v / parts);
  }
  return c;
}

// The one-standard-error rule on the `train` queries: the setting with the
// best objective, then the simplest setting whose objective is within one
// standard error of the best's, the error of the paired per-query
// difference (ties: the higher objective, then the earlier setting).
size_t Choose(const std::vector<Setting>& settings,
              const std::vector<std::vector<QueryScore>>& scores,
              const std::vector<size_t>& train, const Weights& w) {
  std::vector<std::vector<double>> c(settings.size());
  std::vector<double> mean(settings.size());
  size_t best = 0;
  for (size_t s = 0; s < settings.size(); ++s) {
    c[s] = Contributions(scores[s], train, w);
    mean[s] = c[s].empty() ? 0 : std::accumulate(c[s].begin(), c[s].end(), 0.0) / c[s].size();
    if (mean[s] > mean[best]) best = s;
  }
  size_t chosen = best;
  for (size_t s = 0; s < settings.size(); ++s) {
    const size_t m = c[s].size();
    if (m < 2 || c[best].size() != m) continue;
    double sum = 0, ss = 0;
    for (size_t q = 0; q < m; ++q) sum += c[s][q] - c[best][q];
    const double d = sum / double(m);
    for (size_t q = 0; q < m; ++q) {
      const double x = c[s][q] - c[best][q] - d;
      ss += x * x;
    }
    const double se = std::sqrt(ss / double(m - 1)) / std::sqrt(double(m));
    if (d < -se) continue;
    const int k = settings[s].Complexity(), kc = settings[chosen].Complexity();
    if (k < kc || (k == kc && mean[s] > mean[chosen])) chosen = s;
  }
  return chosen;
}

struct Candidate {
  const std::string* id;
  std::array<double, kNumFeatures> f;
};

}  // namespace

Result<json> CrossValidatedTuning(Engine& engine, const std::vector<CslQuery>& queries,
                                  const internal::EvalData& eval, const CvTuningArgs& args) {
  if (args.folds < 2 || queries.size() < size_t(args.folds)) {
    return Status::InvalidArgument("cv: need at least 2 folds and a query per fold");
  }
  const EngineOptions original = engine.options();
  const ScorerWeights defaults = engine.weights();
  // The engine's match-time options are restored on every way out.
  struct Restore {
    Engine& engine;
    const EngineOptions& o;
    ~Restore() {
      internal::EngineAccess::SetMatchTimeOptions(engine, o.lexical.word_weight,
                                                  o.lexical.unigram_weight,
                                                  o.lexical.bigram_weight,
                                                  o.fusion.dense_weight, o.scorer.lexical_power);
    }
  } restore{engine, original};

  // The grid. Engine runs: term-kind weights x fusion weight.
  struct EngineSetting {
    double word, unigram, bigram, fusion_dense;
  };
  std::vector<std::array<double, 3>> kinds = {{1, 1, 1},   {2, 1.5, 1}, {3, 1.5, 1},
                                              {4, 1.5, 1}, {3, 1, 1},   {3, 2.5, 1}};
  std::vector<double> fusions = {0.1, 0.3, 0.5};
  std::vector<double> powers = {1, 2, 4, 8, 16, 32};
  std::vector<double> denses = {0, 0.05, 0.1, 0.2};
  std::vector<double> centroids = {0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8};
  if (args.quick) {
    kinds = {{1, 1, 1}, {3, 1.5, 1}};
    fusions = {0.3};
    powers = {1, 8};
    denses = {0, 0.1};
    centroids = {0, 0.2};
  }
  // The engine's own settings are always in the grid (its row).
  Setting own;
  own.word = original.lexical.word_weight;
  own.unigram = original.lexical.unigram_weight;
  own.bigram = original.lexical.bigram_weight;
  own.fusion_dense = original.fusion.dense_weight;
  own.power = original.scorer.lexical_power;
  own.dense = defaults[Feature::kDense] / std::max(1e-12, defaults[Feature::kLexical]);
  own.centroid = defaults[Feature::kCentroid] / std::max(1e-12, defaults[Feature::kLexical]);
  auto add_unique = [](std::vector<double>* v, double x) {
    if (std::find(v->begin(), v->end(), x) == v->end()) v->push_back(x);
  };
  if (std::find(kinds.begin(), kinds.end(),
                std::array<double, 3>{own.word, own.unigram, own.bigram}) == kinds.end()) {
    kinds.push_back({own.word, own.unigram, own.bigram});
  }
  add_unique(&fusions, own.fusion_dense);
  add_unique(&powers, own.power);
  add_unique(&denses, own.dense);
  add_unique(&centroids, own.centroid);

  const size_t n = queries.size();

  std::unordered_map<std::string, const internal::EvalQuery*> eval_query;
  for (const auto& eq : eval.queries) eval_query[eq.id] = &eq;
  internal::EvalData one = eval;  // scored one query at a time
  auto score_query = [&](size_t i, std::vector<std::string> ids) {
    QueryScore qs;
    auto it = eval_query.find(queries[i].id);
    if (it == eval_query.end()) return qs;
    one.queries.assign(1, *it->second);
    internal::EvalRun run;
    run[queries[i].id] = std::move(ids);
    auto groups = internal::ScoreRun(one, run);
    const auto& g = groups["all"];
    qs.scored = true;
    qs.rr = g.mrr10;
    qs.r1 = g.r1;
    qs.low = it->second->bigram_coverage && *it->second->bigram_coverage < 0.5;
    if (g.disc_p10) qs.disc = *g.disc_p10;
    if (g.cat_p10) qs.cat = *g.cat_p10;
    return qs;
  };

  std::vector<MatchQuery> batch;
  for (const auto& q : queries) batch.emplace_back(q.id, q.text);
  MatchOptions mo;
  mo.k = std::max<size_t>(100, original.fusion.rerank_depth);  // every re-ranked candidate
  mo.explain = true;
  mo.max_explained_terms = 0;  // features only
  mo.weights = ScorerWeights{};  // all 0: the list comes back in fusion order

  std::vector<Setting> settings;
  std::vector<std::vector<QueryScore>> all_scores;  // by setting, then query
  for (const auto& kind : kinds) {
    for (double fusion : fusions) {
      internal::EngineAccess::SetMatchTimeOptions(engine, kind[0], kind[1], kind[2], fusion, 1.0);
      auto results = engine.MatchBatch(batch, mo, args.threads);
      if (!results.ok()) return results.status();
      std::vector<std::vector<Candidate>> cands(n);
      for (size_t i = 0; i < n; ++i) {
        for (const Match& m : (*results)[i].matches) {
          Candidate c{&m.key.id, {}};
          for (const auto& f : m.explanation.features) c.f[size_t(f.feature)] = f.value;
          cands[i].push_back(c);
        }
      }
      for (double power : powers) {
        for (double dense : denses) {
          for (double centroid : centroids) {
            Setting s{kind[0], kind[1], kind[2], fusion, power, dense, centroid};
            ScorerWeights w = defaults;
            w[Feature::kLexical] = 1;
            w[Feature::kDense] = dense;
            w[Feature::kCentroid] = centroid;
            std::vector<QueryScore> scores(n);
            std::vector<std::pair<double, size_t>> ranked;
            for (size_t i = 0; i < n; ++i) {
              ranked.clear();
              for (size_t c = 0; c < cands[i].size(); ++c) {
                std::array<double, kNumFeatures> f = cands[i][c].f;
                f[size_t(Feature::kLexical)] = std::pow(f[size_t(Feature::kLexical)], power);
                double score = w.bias;
                for (size_t k = 0; k < kNumFeatures; ++k) score += w.weight[k] * f[k];
                ranked.emplace_back(-score, c);
              }
              // Ties keep the fusion order, as the engine's sort does.
              std::stable_sort(ranked.begin(), ranked.end(),
                               [](const auto& a, const auto& b) { return a.first < b.first; });
              std::vector<std::string> ids;
              for (size_t r = 0; r < ranked.size() && r < 11; ++r) {
                ids.push_back(*cands[i][ranked[r].second].id);
              }
              scores[i] = score_query(i, std::move(ids));
            }
            settings.push_back(s);
            all_scores.push_back(std::move(scores));
          }
        }
      }
      std::fprintf(stderr, "cv: terms %.1f/%.1f/%.1f fusion %.2f: %zu settings so far\n", kind[0],
                   kind[1], kind[2], fusion, settings.size());
    }
  }

  // Folds: `repeats` seeded shuffles of the queries, each cut into
  // `folds` parts; figures are mean ± sd over every fold of every repeat.
  std::vector<std::vector<size_t>> fold_queries;  // repeat-major
  for (int r = 0; r < args.repeats; ++r) {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    std::mt19937 rng(args.seed + uint32_t(r));
    std::shuffle(order.begin(), order.end(), rng);
    const size_t first = fold_queries.size();
    fold_queries.resize(first + size_t(args.folds));
    for (size_t i = 0; i < n; ++i) fold_queries[first + i % size_t(args.folds)].push_back(order[i]);
  }
  std::vector<size_t> everyone(n);
  std::iota(everyone.begin(), everyone.end(), size_t{0});
  // The objective's weights, from the plain BM25 setting (the first).
  const size_t reference = 0;
  const Weights weights = NoiseWeights(all_scores[reference], everyone);
  std::vector<int> all_folds(fold_queries.size());
  std::iota(all_folds.begin(), all_folds.end(), 0);
  auto fold_metrics = [&](size_t s) {
    std::vector<Metrics> fm;
    for (const auto& fq : fold_queries) fm.push_back(Aggregate(all_scores[s], fq, weights));
    return fm;
  };
  auto print = [](const std::string& name, const json& mean, const json& sd) {
    std::fprintf(stderr,
                 "cv: %-30s MRR@10 %.4f±%.4f low-R@1 %.4f±%.4f DiscP %.4f±%.4f CatP %.4f±%.4f\n",
                 name.c_str(), mean["mrr10"].get<double>(), sd["mrr10"].get<double>(),
                 mean["low_r1"].get<double>(), sd["low_r1"].get<double>(),
                 mean["disc_p10"].get<double>(), sd["disc_p10"].get<double>(),
                 mean["cat_p10"].get<double>(), sd["cat_p10"].get<double>());
  };
  auto find = [&](const Setting& want) -> size_t {
    for (size_t s = 0; s < settings.size(); ++s) {
      const Setting& x = settings[s];
      if (x.word == want.word && x.unigram == want.unigram && x.bigram == want.bigram &&
          x.fusion_dense == want.fusion_dense && x.power == want.power &&
          x.dense == want.dense && x.centroid == want.centroid) {
        return s;
      }
    }
    return settings.size();
  };
  auto row = [&](const std::string& name, size_t s) {
    auto [mean, sd] = MeanSd(fold_metrics(s), all_folds);
    print(name, mean, sd);
    return json{{"name", name}, {"setting", settings[s].ToJson()}, {"mean", mean}, {"sd", sd}};
  };
  Setting lexical;
  lexical.fusion_dense = fusions.front();
  lexical.power = powers.front();
  size_t best = 0;
  {
    double best_objective = -1;
    for (size_t s = 0; s < settings.size(); ++s) {
      const double o = Aggregate(all_scores[s], everyone, weights).objective;
      if (o > best_objective) best_objective = o, best = s;
    }
  }
  const size_t chosen = Choose(settings, all_scores, everyone, weights);
  if (!args.grid_out.empty()) {
    // Every setting's metrics on all the queries, one JSON line each.
    if (std::FILE* f = std::fopen(args.grid_out.c_str(), "w")) {
      for (size_t s = 0; s < settings.size(); ++s) {
        json line = {{"setting", settings[s].ToJson()},
                     {"all", MetricsJson(Aggregate(all_scores[s], everyone, weights))}};
        std::fprintf(f, "%s\n", line.dump().c_str());
      }
      std::fclose(f);
    }
  }
  json rows = json::array();
  if (size_t s = find(lexical); s < settings.size()) rows.push_back(row("lexical only", s));
  if (size_t s = find(own); s < settings.size()) rows.push_back(row("the engine's settings", s));
  rows.push_back(row("best objective on all queries", best));
  rows.push_back(row("one-SE choice on all queries", chosen));

  // Nested: choose on the other folds of the repeat, score on the one
  // left out.
  std::vector<Metrics> outer;
  json chosen_per_fold = json::array();
  for (size_t f = 0; f < fold_queries.size(); ++f) {
    const size_t first = f - f % size_t(args.folds);
    std::vector<size_t> train;
    for (size_t g = first; g < first + size_t(args.folds); ++g) {
      if (g != f) train.insert(train.end(), fold_queries[g].begin(), fold_queries[g].end());
    }
    const size_t c = Choose(settings, all_scores, train, NoiseWeights(all_scores[reference], train));
    outer.push_back(Aggregate(all_scores[c], fold_queries[f], weights));
    chosen_per_fold.push_back(settings[c].ToJson());
  }
  auto [nested_mean, nested_sd] = MeanSd(outer, all_folds);
  print("nested (tuned on k-1 folds)", nested_mean, nested_sd);
  return json{{"folds", args.folds},
              {"repeats", args.repeats},
              {"seed", args.seed},
              {"queries", n},
              {"settings", settings.size()},
              {"objective_weights", WeightsJson(weights)},
              {"objective",
               "mean of MRR@10, low-overlap R@1, DiscP@10, CatP@10, each weighted by 1 / the "
               "sd of its per-query values"},
              {"rows", rows},
              {"nested", {{"chosen", chosen_per_fold}, {"mean", nested_mean}, {"sd", nested_sd}}},
              {"chosen", settings[chosen].ToJson()}};
}

}  // namespace techmatch::bench
