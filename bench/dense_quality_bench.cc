// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench dense-quality: dense-only retrieval on csl-match dev
// (fit the embedder on the corpus, exact search, score with evaluate.py).

#include <Eigen/Core>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include <nlohmann/json.hpp>

#include "bench_util.h"
#include "benches.h"
#include "csl_data.h"
#include "embed/randomized_svd.h"  // RowMatrix
#include "techmatch/embedder.h"
#include "techmatch/analyzer.h"

namespace techmatch::bench {

int RunDenseQualityBench(const DenseQualityArgs& args) {
  std::string corpus_path = DefaultCorpusPath(args.corpus);
  if (corpus_path.empty()) {
    std::fprintf(stderr, "dense-quality: corpus not found\n");
    return 2;
  }
  std::string dir = std::filesystem::path(corpus_path).parent_path().string();
  auto records = LoadCorpus(corpus_path);
  auto queries = LoadCslQueries(dir + "/queries_dev.jsonl");
  if (!records.ok() || !queries.ok()) {
    std::fprintf(stderr, "dense-quality: %s %s\n", records.status().ToString().c_str(),
                 queries.status().ToString().c_str());
    return 1;
  }
  // Labels are never given to the embedder.
  for (Record& r : *records) r.categories.clear();

  auto analyzer = Analyzer::Create();
  if (!analyzer.ok()) return 1;

  EmbedderOptions opt;
  opt.dim = size_t(args.dim);
  opt.sigma_power = args.sigma_power;
  opt.word_weight = args.word_weight;
  opt.unigram_weight = args.unigram_weight;
  opt.bigram_weight = args.bigram_weight;
  opt.min_df = uint32_t(args.min_df);
  opt.max_df_ratio = args.max_df;
  opt.power_iterations = args.power_iterations;
  auto embedder = CreateEmbedder(
      opt, std::shared_ptr<const Analyzer>(std::move(*analyzer)));
  if (!embedder.ok()) {
    std::fprintf(stderr, "dense-quality: %s\n", embedder.status().ToString().c_str());
    return 1;
  }
  double t0 = NowSeconds();
  Status s = (*embedder)->Fit(*records);
  double fit_s = NowSeconds() - t0;
  if (!s.ok()) {
    std::fprintf(stderr, "dense-quality: %s\n", s.ToString().c_str());
    return 1;
  }
  const int d = int((*embedder)->dim());
  internal::RowMatrix docs(int64_t(records->size()), d);
  t0 = NowSeconds();
  s = (*embedder)->EmbedRecords(*records, docs.data());
  double embed_s = NowSeconds() - t0;
  if (!s.ok()) return 1;
  internal::RowMatrix qv(int64_t(queries->size()), d);
  for (size_t i = 0; i < queries->size(); ++i) {
    if (!(*embedder)->EmbedText((*queries)[i].text, qv.row(int64_t(i)).data()).ok()) return 1;
  }
  Eigen::MatrixXf scores = qv * docs.transpose();
  std::vector<std::vector<std::string>> ranked(queries->size());
  std::vector<int> idx(records->size());
  for (size_t q = 0; q < queries->size(); ++q) {
    std::iota(idx.begin(), idx.end(), 0);
    std::partial_sort(idx.begin(), idx.begin() + 100, idx.end(), [&](int a, int b) {
      return scores(int64_t(q), a) > scores(int64_t(q), b);
    });
    for (int k = 0; k < 100; ++k) ranked[q].push_back((*records)[size_t(idx[size_t(k)])].id);
  }
  std::string run = args.out.empty() ? "/tmp/techmatch-dense-run.jsonl" : args.out;
  if (!WriteRun(run, *queries, ranked).ok()) return 1;
  auto eval = Evaluate(dir, run);
  if (!eval.ok()) {
    std::fprintf(stderr, "%s\n", eval.status().ToString().c_str());
    return 1;
  }
  auto ej = nlohmann::json::parse(*eval);
  nlohmann::json out = {{"bench", "dense-quality"},
                        {"dim", d},
                        {"fit_s", fit_s},
                        {"embed_s", embed_s},
                        {"all", ej["all"]},
                        {"low_overlap", ej["low_overlap(<0.5)"]}};
  std::printf("%s\n", out.dump(1).c_str());
  return 0;
}

}  // namespace techmatch::bench
