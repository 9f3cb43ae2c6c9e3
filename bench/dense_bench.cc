// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench dense: fit, build and query the dense stage at scale.
// Prints one JSON object: n, index, fit_s, build_s, recall_at_10, p50_ms,
// p99_ms, bytes_per_record (+ details).

#include <sys/resource.h>

#include <Eigen/Core>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <random>

#include <nlohmann/json.hpp>

#include "ann_peers.h"
#include "bench_util.h"
#include "benches.h"
#include "csl_data.h"
#include "techmatch/embedder.h"
#include "synth_corpus.h"
#include "techmatch/analyzer.h"
#include "techmatch/dense_index.h"

namespace techmatch::bench {
namespace {

double PeakRssGiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_maxrss) / (1024.0 * 1024.0);
}

}  // namespace

int RunDenseBench(const DenseBenchArgs& args) {
  std::string corpus_path = DefaultCorpusPath(args.corpus);
  if (corpus_path.empty()) {
    std::fprintf(stderr, "dense bench: corpus not found; pass --corpus\n");
    return 2;
  }
  std::string dir = std::filesystem::path(corpus_path).parent_path().string();
  auto real = LoadCorpus(corpus_path);
  auto queries = LoadCslQueries(dir + "/queries_dev.jsonl");
  if (!real.ok() || !queries.ok()) {
    std::fprintf(stderr, "dense bench: cannot read the csl-match data\n");
    return 1;
  }
  std::vector<Record> records = SynthesizeCorpus(*real, args.n, 7);
  real->clear();
  for (Record& r : records) r.categories.clear();  // text only
  auto analyzer = Analyzer::Create();
  if (!analyzer.ok()) return 1;

  // The default embedder (LSA), as a user gets it.
  EmbedderOptions eopt;
  eopt.sigma_power = args.sigma_power;
  eopt.max_fit_records = args.max_fit_records;
  std::shared_ptr<const Analyzer> shared(std::move(*analyzer));
  auto embedder = CreateEmbedder(eopt, shared);
  if (!embedder.ok()) {
    std::fprintf(stderr, "dense bench: %s\n", embedder.status().ToString().c_str());
    return 1;
  }
  double t0 = NowSeconds();
  Status s = (*embedder)->Fit(records);
  const double fit_s = NowSeconds() - t0;
  if (!s.ok()) {
    std::fprintf(stderr, "dense bench: %s\n", s.ToString().c_str());
    return 1;
  }
  const size_t d = (*embedder)->dim();
  std::vector<float> vectors(records.size() * d);
  t0 = NowSeconds();
  s = (*embedder)->EmbedRecords(records, vectors.data());
  const double embed_s = NowSeconds() - t0;
  if (!s.ok()) return 1;

  // Records with no known term embed to zero: the index rejects those.
  std::vector<uint64_t> ids;
  std::vector<float> kept;
  kept.reserve(vectors.size());
  for (size_t i = 0; i < records.size(); ++i) {
    const float* v = &vectors[i * d];
    if (std::all_of(v, v + d, [](float x) { return x == 0.0f; })) continue;
    ids.push_back(i);
    kept.insert(kept.end(), v, v + d);
  }
  vectors.clear();
  vectors.shrink_to_fit();
  records.clear();
  records.shrink_to_fit();

  DenseIndexOptions iopt;
  iopt.dim = d;
  iopt.spec = args.index;
  auto index = DenseIndex::Create(iopt);
  if (!index.ok()) {
    std::fprintf(stderr, "dense bench: %s\n", index.status().ToString().c_str());
    return 1;
  }
  t0 = NowSeconds();
  s = (*index)->Add(ids, VectorView{kept.data(), ids.size(), d});
  if (s.ok()) s = (*index)->Build();
  const double build_s = NowSeconds() - t0;
  if (!s.ok()) {
    std::fprintf(stderr, "dense bench: %s\n", s.ToString().c_str());
    return 1;
  }

  // Queries: the real demand-side texts of csl-match dev.
  size_t nq = std::min(queries->size(), args.queries);
  using RowMatrixF =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  RowMatrixF qv(static_cast<int64_t>(nq), static_cast<int64_t>(d));
  for (size_t q = 0; q < nq; ++q) {
    if (!(*embedder)->EmbedText((*queries)[q].text, qv.row(int64_t(q)).data()).ok()) {
      return 1;
    }
  }
  // Exact top 10 by brute force, in blocks of documents.
  const size_t n = ids.size();
  std::vector<std::vector<std::pair<float, uint64_t>>> exact(nq);
  Eigen::Map<const RowMatrixF> docs(kept.data(), static_cast<int64_t>(n),
                                    static_cast<int64_t>(d));
  const int64_t block = 65536;
  for (int64_t b = 0; b < int64_t(n); b += block) {
    int64_t len = std::min<int64_t>(block, int64_t(n) - b);
    Eigen::MatrixXf sc = qv * docs.middleRows(b, len).transpose();
    for (size_t q = 0; q < nq; ++q) {
      auto& top = exact[q];
      for (int64_t j = 0; j < len; ++j) {
        float v = sc(int64_t(q), j);
        if (top.size() < 10 || v > top.front().first) {
          top.emplace_back(v, ids[size_t(b + j)]);
          std::push_heap(top.begin(), top.end(), std::greater<>());
          if (top.size() > 10) {
            std::pop_heap(top.begin(), top.end(), std::greater<>());
            top.pop_back();
          }
        }
      }
    }
  }

  // One measurement per effort setting on the same index: the tuned
  // default first, then each --ef-sweep value (graph indexes) as a
  // side-by-side on the same vectors and queries.
  auto measure = [&](int ef, double* recall_out, std::vector<double>* lat) {
    DenseSearchOptions so;
    so.k = 10;
    so.nprobe = args.nprobe;
    so.ef_search = ef;
    double recall = 0;
    for (int rep = 0; rep < 2; ++rep) {  // first pass warms caches
      lat->clear();
      recall = 0;
      for (size_t q = 0; q < nq; ++q) {
        double a = NowSeconds();
        auto hits = (*index)->Search(qv.row(int64_t(q)).data(), so);
        lat->push_back((NowSeconds() - a) * 1e3);
        if (!hits.ok()) return false;
        size_t found = 0;
        for (const auto& h : *hits) {
          for (const auto& e : exact[q]) found += e.second == h.id;
        }
        recall += double(found) / double(std::min<size_t>(10, exact[q].size()));
      }
    }
    *recall_out = recall / double(nq);
    return true;
  };
  std::vector<double> lat_ms;
  double recall = 0;
  if (!measure(0, &recall, &lat_ms)) return 1;
  nlohmann::json sweep = nlohmann::json::array();
  for (int ef : args.ef_sweep) {
    std::vector<double> lat;
    double r = 0;
    if (!measure(ef, &r, &lat)) return 1;
    sweep.push_back({{"ef_search", ef}, {"recall_at_10", r},
                     {"p50_ms", Percentile(lat, 0.5)}, {"p99_ms", Percentile(lat, 0.99)}});
  }
  nlohmann::json out = {
      {"bench", "dense"},
      {"n", n},
      {"index", (*index)->description()},
      {"dim", d},
      {"sigma_power", args.sigma_power},
      {"fit_s", fit_s},
      {"embed_s", embed_s},
      {"embed_records_per_s", double(n) / embed_s},
      {"build_s", build_s},
      {"recall_at_10", recall},
      {"queries", nq},
      {"p50_ms", Percentile(lat_ms, 0.5)},
      {"p99_ms", Percentile(lat_ms, 0.99)},
      {"bytes_per_record", double((*index)->memory_bytes()) / double(n)},
      {"peak_rss_gib", PeakRssGiB()},
  };
  if (!sweep.empty()) out["ef_sweep"] = sweep;
  if (args.peers) {
    // Our index and its peers side by side on the same vectors and queries.
    AnnData data;
    data.vectors = kept.data();
    data.ids = ids.data();
    data.n = n;
    data.dim = d;
    data.queries = qv.data();
    data.nq = nq;
    auto peers = RunAnnPeers(data, **index, build_s, args.peer_args);
    if (!peers.ok()) {
      std::fprintf(stderr, "dense bench: peers: %s\n", peers.status().ToString().c_str());
      return 1;
    }
    out["peers"] = *peers;
  }
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

}  // namespace techmatch::bench
