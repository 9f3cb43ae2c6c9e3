// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench quality: the engine on csl-match dev, as ablations
// (lexical only, dense only, fused, fused + default scorer, fused + fitted
// scorer), scored in C++ exactly as evaluate.py scores.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench_util.h"
#include "calibration.h"
#include "cv_tuning.h"
#include "learning_curve.h"
#include "benches.h"
#include "csl_data.h"
#include "engine/engine_access.h"
#include "eval/metrics.h"
#include "techmatch/engine.h"
#include "techmatch/fit.h"
#include "techmatch/record_io.h"

namespace techmatch::bench {
namespace {

using nlohmann::json;

struct Variant {
  std::string name;
  MatchOptions options;
};

/// An engine with the options of `lsa` but an External embedder, fed the
/// LSA engine's vectors of `corpus` as if they came from the caller's own
/// model. Its figures must equal the LSA engine's.
Result<std::unique_ptr<Engine>> BuildExternalCopy(const Engine& lsa,
                                                  const std::vector<Record>& corpus,
                                                  EngineOptions options) {
  const Embedder* embedder = internal::EngineAccess::GetEmbedder(lsa);
  const size_t dim = embedder->dim();
  std::vector<float> vectors(corpus.size() * dim);
  TECHMATCH_RETURN_IF_ERROR(embedder->EmbedRecords(corpus, vectors.data()));
  // A record with no known term has no LSA vector (the LSA engine keeps it
  // lexical only); the caller's model would give it one: a stand-in that
  // no query is near.
  size_t stand_ins = 0;
  for (size_t i = 0; i < corpus.size(); ++i) {
    float* v = vectors.data() + i * dim;
    if (std::all_of(v, v + dim, [](float x) { return x == 0.0f; })) {
      v[0] = 1e-3f;
      ++stand_ins;
    }
  }
  if (stand_ins > 0) {
    std::fprintf(stderr, "quality: external: %zu records without an LSA vector got a stand-in\n",
                 stand_ins);
  }
  options.embedder.kind = EmbedderKind::kExternal;
  options.embedder.dim = dim;
  auto e = Engine::Open(options);
  if (!e.ok()) return e.status();
  TECHMATCH_RETURN_IF_ERROR((*e)->Add(corpus, VectorView{vectors.data(), corpus.size(), dim}));
  TECHMATCH_RETURN_IF_ERROR((*e)->Build());
  return std::move(*e);
}


}  // namespace

int RunQualityBench(const QualityBenchArgs& args) {
  const std::string corpus_path = DefaultCorpusPath(args.corpus);
  if (corpus_path.empty()) {
    std::fprintf(stderr, "quality: csl-match not found (give --corpus)\n");
    return kSkipped;
  }
  const std::string csl =
      corpus_path.substr(0, corpus_path.find_last_of('/') == std::string::npos
                                ? 0
                                : corpus_path.find_last_of('/'));
  // Labels reach the engine only with --use-labels.
  auto corpus = args.use_labels ? LoadCorpus(corpus_path)
                                : ReadRecordsJsonlFile(corpus_path);
  if (!corpus.ok()) {
    std::fprintf(stderr, "quality: %s\n", corpus.status().ToString().c_str());
    return 1;
  }
  auto queries = LoadCslQueries(csl + "/queries_dev.jsonl");
  auto eval = internal::LoadCslEvalData(csl, "dev");
  if (!queries.ok() || !eval.ok()) {
    std::fprintf(stderr, "quality: cannot read the dev queries\n");
    return 1;
  }
  if (args.queries > 0 && queries->size() > args.queries) queries->resize(args.queries);
  if (args.records > 0 && corpus->size() > args.records) corpus->resize(args.records);

  EngineOptions eopt;
  eopt.threads = args.threads;
  if (args.k1 >= 0) eopt.lexical.k1 = args.k1;
  if (args.b >= 0) eopt.lexical.b = args.b;
  if (args.word_weight >= 0) eopt.lexical.word_weight = args.word_weight;
  if (args.unigram_weight >= 0) eopt.lexical.unigram_weight = args.unigram_weight;
  if (args.bigram_weight >= 0) eopt.lexical.bigram_weight = args.bigram_weight;
  if (args.dense_weight >= 0) eopt.fusion.dense_weight = args.dense_weight;
  if (args.covered_max_df > 0) eopt.lexical.covered_unigram_max_df = args.covered_max_df;
  if (args.rerank_depth > 0) eopt.fusion.rerank_depth = size_t(args.rerank_depth);
  if (args.dense_k >= 0) eopt.fusion.dense_k = size_t(args.dense_k);
  if (args.lexical_k >= 0) eopt.fusion.lexical_k = size_t(args.lexical_k);
  if (!args.dense_index.empty()) eopt.dense.spec = args.dense_index;
  if (args.rrf) eopt.fusion.method = FusionMethod::kRrf;
  auto engine = Engine::Open(eopt);
  if (!engine.ok()) {
    std::fprintf(stderr, "quality: %s\n", engine.status().ToString().c_str());
    return 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  Status s = (*engine)->Add(*corpus);
  if (s.ok()) s = (*engine)->Build();
  if (!s.ok()) {
    std::fprintf(stderr, "quality: %s\n", s.ToString().c_str());
    return 1;
  }
  const double build_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const ScorerWeights defaults = (*engine)->weights();
  std::vector<Variant> variants;
  auto only = [](std::initializer_list<std::pair<Feature, double>> ws) {
    ScorerWeights w;
    for (auto [f, v] : ws) w[f] = v;
    return w;
  };
  {
    Variant v{"lexical only", {}};
    v.options.dense_k = 0;
    v.options.weights = only({{Feature::kLexical, 1.0}});
    variants.push_back(v);
  }
  {
    Variant v{"dense only", {}};
    v.options.lexical_k = 0;
    v.options.weights = only({{Feature::kDense, 1.0}});
    variants.push_back(v);
  }
  {
    // Every weight 0: all scores tie and the fusion score orders the list
    // (the engine's tie-break), i.e. the first stage's fused ranking.
    Variant v{"fused (fusion order, no scorer)", {}};
    v.options.weights = only({});
    variants.push_back(v);
  }
  {
    Variant v{"lexical + dense features", {}};
    v.options.weights = only({{Feature::kLexical, 1.0},
                              {Feature::kDense, eopt.fusion.dense_weight}});
    variants.push_back(v);
  }
  variants.push_back(Variant{"fused + default scorer", {}});
  for (Variant& v : variants) {
    v.options.k = args.k;
    v.options.explain = false;
  }

  json out = {{"bench", "quality"},
              {"records", corpus->size()},
              {"queries", queries->size()},
              {"use_labels", args.use_labels},
              {"build_s", build_s},
              {"variants", json::array()}};
  // Query vectors for the external-vector engine (below): the LSA
  // engine's own embeddings, given to it as the caller's.
  std::vector<std::vector<float>> query_vectors;
  const Engine* ext_engine = nullptr;
  auto run_variant = [&](const std::string& name, const MatchOptions& mo,
                         const std::vector<size_t>& which) -> json {
    internal::EvalRun run;
    std::vector<double> ms;
    for (size_t i : which) {
      const auto& q = (*queries)[i];
      const auto a = std::chrono::steady_clock::now();
      auto r = ext_engine == nullptr
                   ? (*engine)->MatchText(q.text, mo)
                   : ext_engine->Match(
                         MatchQuery(q.id, q.text, nullptr,
                                    VectorView{query_vectors[i].data(), 1,
                                               query_vectors[i].size()}),
                         mo);
      ms.push_back(std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - a)
                       .count());
      if (!r.ok()) {
        std::fprintf(stderr, "quality: %s: %s\n", q.id.c_str(),
                     r.status().ToString().c_str());
        continue;
      }
      auto& ids = run[q.id];
      for (const auto& m : r->matches) ids.push_back(m.key.id);
    }
    internal::EvalData data = *eval;
    std::vector<internal::EvalQuery> kept;
    for (size_t i : which) {
      for (const auto& eq : eval->queries) {
        if (eq.id == (*queries)[i].id) kept.push_back(eq);
      }
    }
    data.queries = kept;
    auto groups = internal::ScoreRun(data, run);
    json j = {{"name", name}, {"p50_ms", Percentile(ms, 0.5)}, {"p99_ms", Percentile(ms, 0.99)}};
    for (const auto& [g, m] : groups) j[g] = MetricsJson(m);
    std::fprintf(stderr, "%-28s MRR@10 %.4f R@1 %.4f low-R@1 %.4f DiscP %.4f CatP %.4f p50 %.2f ms\n",
                 name.c_str(), groups["all"].mrr10, groups["all"].r1,
                 groups.count(internal::kLowOverlapGroup) ? groups[internal::kLowOverlapGroup].r1 : 0.0,
                 groups["all"].disc_p10.value_or(0), groups["all"].cat_p10.value_or(0),
                 Percentile(ms, 0.5));
    return j;
  };
  std::vector<size_t> all(queries->size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  if (args.grid) {
    // Features do not depend on the weights: collect them once and
    // re-score every grid point offline.
    MatchOptions mo;
    mo.k = 100;
    mo.explain = true;
    mo.max_explained_terms = 0;
    struct Row { std::string id; std::array<double, kNumFeatures> f; };
    std::vector<std::vector<Row>> feats(all.size());
    for (size_t i : all) {
      auto r = (*engine)->MatchText((*queries)[i].text, mo);
      if (!r.ok()) continue;
      for (const auto& m : r->matches) {
        Row row{m.key.id, {}};
        for (const auto& f : m.explanation.features) row.f[size_t(f.feature)] = f.value;
        feats[i].push_back(row);
      }
    }
    // The engine's lexical feature is already (BM25/best)^lexical_power;
    // pw re-powers it.
    const double dense_ws[] = {0, 0.05, 0.1, 0.15, 0.2, 0.3};
    const double cent_ws[] = {0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5};
    for (double pw : {0.75, 1.0, 1.5}) {
    for (double dw : dense_ws) {
      for (double cw : cent_ws) {
        internal::EvalRun run;
        for (size_t i : all) {
          std::vector<std::pair<double, size_t>> sc;
          for (size_t c = 0; c < feats[i].size(); ++c) {
            const auto& f = feats[i][c].f;
            sc.emplace_back(-(std::pow(f[0], pw) + dw * f[1] + cw * f[2]), c);
          }
          std::stable_sort(sc.begin(), sc.end());
          auto& ids = run[(*queries)[i].id];
          for (auto& [s, c] : sc) ids.push_back(feats[i][c].id);
        }
        auto g = internal::ScoreRun(*eval, run);
        std::printf("pow %.2f dense %.2f centroid %.2f  MRR@10 %.4f R@1 %.4f low-R@1 %.4f DiscP %.4f CatP %.4f\n",
                    pw, dw, cw, g["all"].mrr10, g["all"].r1, g[internal::kLowOverlapGroup].r1,
                    g["all"].disc_p10.value_or(0), g["all"].cat_p10.value_or(0));
      }
    }
    }
    return 0;
  }
  for (const Variant& v : variants) {
    out["variants"].push_back(run_variant(v.name, v.options, all));
  }
  {
    // How well the engine's confidence says that its top match is right.
    auto cal = ConfidenceCalibration(**engine, *queries, *eval);
    if (!cal.ok()) {
      std::fprintf(stderr, "quality: calibration: %s\n", cal.status().ToString().c_str());
      return 1;
    }
    std::fprintf(stderr,
                 "confidence: raw ECE %.4f, AUC %.3f (mean %.3f, top-1 right %.3f); "
                 "cross-validated ECE %.4f\n",
                 (*cal)["ece"].get<double>(), (*cal)["auc"].get<double>(),
                 (*cal)["mean_probability"].get<double>(), (*cal)["accuracy"].get<double>(),
                 (*cal)["cross_validated"]["ece"].get<double>());
    out["calibration"] = *cal;
  }
  {
    // The starter synonyms list (examples/data/synonyms.txt), applied at
    // query time to the same engine: it must not cost quality.
    const std::string path = std::string(TECHMATCH_SOURCE_DIR) + "/examples/data/synonyms.txt";
    auto list = ReadSynonymsFile(path);
    Status set = list.ok() ? (*engine)->SetSynonyms(*list) : list.status();
    if (!set.ok()) {
      std::fprintf(stderr, "quality: synonyms: %s\n", set.ToString().c_str());
      return 1;
    }
    json j = run_variant("fused + default scorer + starter synonyms", variants.back().options,
                         all);
    j["synonym_rules"] = list->rules.size();
    j["synonym_weight"] = variants.back().options.synonym_weight;
    out["variants"].push_back(j);
    if (Status off = (*engine)->SetSynonyms(SynonymList{}); !off.ok()) {
      std::fprintf(stderr, "quality: synonyms: %s\n", off.ToString().c_str());
      return 1;
    }
  }
  {
    // The same engine fed the caller's own vectors (External embedder):
    // the LSA engine's vectors of every record and query, given back.
    auto ext = BuildExternalCopy(**engine, *corpus, eopt);
    if (!ext.ok()) {
      std::fprintf(stderr, "quality: external: %s\n", ext.status().ToString().c_str());
      return 1;
    }
    const Embedder* embedder = internal::EngineAccess::GetEmbedder(**engine);
    query_vectors.assign(queries->size(), std::vector<float>(embedder->dim()));
    for (size_t i : all) {
      s = embedder->EmbedText((*queries)[i].text, query_vectors[i].data());
      if (!s.ok()) {
        std::fprintf(stderr, "quality: %s\n", s.ToString().c_str());
        return 1;
      }
    }
    ext_engine = ext->get();
    out["variants"].push_back(run_variant(
        "fused + default scorer, external vectors (= LSA)", variants.back().options, all));
    ext_engine = nullptr;
  }

  // The match-time settings chosen by k-fold cross-validation, and the
  // choice scored by nested cross-validation (bench/cv_tuning.h).
  if (args.cv_folds > 0) {
    CvTuningArgs ca;
    ca.folds = args.cv_folds;
    ca.quick = args.cv_quick;
    ca.repeats = args.cv_repeats;
    ca.grid_out = args.cv_grid_out;
    ca.threads = args.threads;
    auto cv = CrossValidatedTuning(**engine, *queries, *eval, ca);
    if (!cv.ok()) {
      std::fprintf(stderr, "quality: cv: %s\n", cv.status().ToString().c_str());
      return 1;
    }
    out["cv"] = *cv;
  }

  // Fitted scorer, cross-fitted: weights fitted on one half of the queries
  // score the other half, and the two halves' runs are pooled.
  if (args.fit) {
    std::vector<size_t> half[2];
    for (size_t i = 0; i < all.size(); ++i) half[i % 2].push_back(i);
    internal::EvalRun pooled;
    json fitted = json::array();
    std::vector<double> ms;
    for (int h = 0; h < 2; ++h) {
      std::vector<JudgedQuery> judged;
      for (size_t i : half[1 - h]) {
        const auto& q = (*queries)[i];
        JudgedQuery jq;
        jq.query = MatchQuery{q.id, q.text, nullptr};
        for (const auto& [doc, grade] : eval->qrels.at(q.id)) {
          if (grade >= 2) jq.relevant_ids.push_back(doc);
        }
        judged.push_back(std::move(jq));
      }
      FitOptions fo;
      fo.threads = args.threads;
      if (args.fit_depth > 0) fo.depth = size_t(args.fit_depth);
      if (args.l2 >= 0) fo.l2 = args.l2;
      auto report = FitScorerWeights(**engine, judged, {}, fo, &defaults);
      if (!report.ok()) {
        std::fprintf(stderr, "quality: fit: %s\n", report.status().ToString().c_str());
        return 1;
      }
      json w;
      for (size_t f = 0; f < kNumFeatures; ++f) {
        w[FeatureName(Feature(f))] = report->weights.weight[f];
      }
      fitted.push_back({{"fold", h}, {"weights", w}, {"pairs", report->pairs},
                        {"loss_before", report->loss_before},
                        {"loss_after", report->loss_after}});
      MatchOptions mo;
      mo.k = 100;
      mo.explain = false;
      mo.weights = report->weights;
      for (size_t i : half[h]) {
        const auto& q = (*queries)[i];
        const auto a = std::chrono::steady_clock::now();
        auto r = (*engine)->MatchText(q.text, mo);
        ms.push_back(std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - a)
                         .count());
        if (!r.ok()) continue;
        auto& ids = pooled[q.id];
        for (const auto& m : r->matches) ids.push_back(m.key.id);
      }
    }
    internal::EvalData data = *eval;
    std::vector<internal::EvalQuery> kept;
    for (size_t i : all) {
      for (const auto& eq : eval->queries) {
        if (eq.id == (*queries)[i].id) kept.push_back(eq);
      }
    }
    data.queries = kept;
    auto groups = internal::ScoreRun(data, pooled);
    json j = {{"name", "fused + fitted scorer (2-fold)"},
              {"p50_ms", Percentile(ms, 0.5)},
              {"p99_ms", Percentile(ms, 0.99)},
              {"folds", fitted}};
    for (const auto& [g, m] : groups) j[g] = MetricsJson(m);
    std::fprintf(stderr, "%-28s MRR@10 %.4f R@1 %.4f low-R@1 %.4f DiscP %.4f CatP %.4f\n",
                 "fitted (2-fold)", groups["all"].mrr10, groups["all"].r1,
                 groups.count(internal::kLowOverlapGroup) ? groups[internal::kLowOverlapGroup].r1 : 0.0,
                 groups["all"].disc_p10.value_or(0), groups["all"].cat_p10.value_or(0));
    for (const auto& f : fitted) std::fprintf(stderr, "  fold weights %s\n", f["weights"].dump().c_str());
    out["variants"].push_back(j);

    // How many judged queries a platform needs: the learning curve of
    // `techmatch fit --judgments` (bench/learning_curve.h).
    FitOptions fo;
    fo.threads = args.threads;
    if (args.fit_depth > 0) fo.depth = size_t(args.fit_depth);
    if (args.l2 >= 0) fo.l2 = args.l2;
    const std::vector<CslQuery>& curve_queries = *queries;
    std::vector<size_t> sizes;
    for (size_t n : {size_t{50}, size_t{100}, size_t{200}, size_t{400}}) {
      if (n < curve_queries.size()) sizes.push_back(n);
    }
    auto curve = LearningCurve(**engine, curve_queries, *eval, sizes, args.curve_seeds, fo);
    if (!curve.ok()) {
      std::fprintf(stderr, "quality: learning curve: %s\n", curve.status().ToString().c_str());
      return 1;
    }
    out["learning_curve"] = *curve;
  }
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace techmatch::bench
