// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench lexical: the BM25 stage alone at scale. Builds the
// lexical index of N records (the csl-match abstracts, then records
// synthesized from them) as the engine does — or loads it from --cache —,
// and times LexicalIndex::Search for the 800 dev queries (free texts, as
// the engine analyzes them). --dump writes every query's top k (doc and
// score) so two builds can be compared exactly. Prints one JSON object:
//   n, queries, k, build_s, postings, bytes, p50_us, p99_us, mean_us,
//   qps_1_thread and qps_n_threads (--threads workers sharing the queries).

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/doc_terms.h"
#include "bench_util.h"
#include "benches.h"
#include "csl_data.h"
#include "engine/engine_impl.h"
#include "engine/match_query.h"
#include "lexical/lexical_index.h"
#include "synth_corpus.h"
#include "techmatch/analyzer.h"
#include "techmatch/record_io.h"
#include "util/parallel.h"

namespace techmatch::bench {
namespace {

using nlohmann::json;

Result<std::unique_ptr<internal::LexicalIndex>> BuildIndex(
    const Analyzer& analyzer, const std::vector<Record>& records,
    const LexicalOptions& options, int threads) {
  auto index = std::make_unique<internal::LexicalIndex>(options);
  const internal::FieldWeights weights = internal::LexicalFieldWeights(options);
  constexpr size_t kChunk = 4096;
  std::vector<internal::DocTerms> terms(kChunk);
  for (size_t begin = 0; begin < records.size(); begin += kChunk) {
    const size_t end = std::min(records.size(), begin + kChunk);
    TECHMATCH_RETURN_IF_ERROR(internal::ParallelFor(
        end - begin, threads, [&](int, size_t b, size_t e) -> Status {
          internal::AnalyzedRecord fields;
          for (size_t i = b; i < e; ++i) {
            TECHMATCH_RETURN_IF_ERROR(
                internal::AnalyzeFields(analyzer, records[begin + i], &fields));
            internal::WeightFields(fields, weights, &terms[i]);
          }
          return Status::OK();
        }));
    for (size_t i = begin; i < end; ++i) {
      TECHMATCH_RETURN_IF_ERROR(index->Add(uint32_t(i), terms[i - begin]));
    }
  }
  index->ShrinkToFit();
  return index;
}

Result<std::unique_ptr<internal::LexicalIndex>> LoadOrBuild(
    const LexicalBenchArgs& args, const Analyzer& analyzer, double* build_s) {
  std::error_code ec;
  if (!args.cache.empty() && std::filesystem::exists(args.cache, ec)) {
    std::ifstream in(args.cache, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    *build_s = 0;
    return internal::LexicalIndex::Load(bytes);
  }
  auto real = ReadRecordsJsonlFile(args.corpus);
  if (!real.ok()) return real.status();
  std::vector<Record> records = SynthesizeCorpus(*real, args.n, 7);
  const double t = NowSeconds();
  auto index = BuildIndex(analyzer, records, LexicalOptions{}, args.threads);
  *build_s = NowSeconds() - t;
  if (index.ok() && !args.cache.empty()) {
    std::string bytes;
    (*index)->Save(&bytes);
    std::ofstream(args.cache, std::ios::binary).write(bytes.data(), long(bytes.size()));
  }
  return index;
}

}  // namespace

int RunLexicalBench(const LexicalBenchArgs& in) {
  LexicalBenchArgs args = in;
  args.corpus = DefaultCorpusPath(args.corpus);
  if (args.corpus.empty()) {
    std::fprintf(stderr, "lexical: csl-match not found (give --corpus)\n");
    return kSkipped;
  }
  const std::string csl = std::filesystem::path(args.corpus).parent_path().string();
  auto analyzer = Analyzer::Create();
  auto queries = LoadCslQueries(csl + "/queries_dev.jsonl");
  if (!analyzer.ok() || !queries.ok()) {
    std::fprintf(stderr, "lexical: cannot set up the analyzer or read the queries\n");
    return 1;
  }
  if (args.queries > 0 && queries->size() > args.queries) queries->resize(args.queries);
  double build_s = 0;
  auto index = LoadOrBuild(args, **analyzer, &build_s);
  if (!index.ok()) {
    std::fprintf(stderr, "lexical: %s\n", index.status().ToString().c_str());
    return 1;
  }
  std::vector<std::vector<internal::LexicalQueryTerm>> prepared;
  for (const CslQuery& q : *queries) {
    internal::QueryView view;
    Status s = internal::AnalyzeQuery(**analyzer, internal::FieldWeights{}, nullptr,
                                      q.text, &view);
    if (!s.ok()) {
      std::fprintf(stderr, "lexical: %s: %s\n", q.id.c_str(), s.ToString().c_str());
      return 1;
    }
    internal::DropCoveredUnigrams(**index, args.covered_max_df, &view.lexical);
    prepared.push_back(view.lexical);
  }
  // Interleaved passes; per query the median over passes.
  std::vector<std::vector<double>> us(prepared.size());
  std::vector<std::vector<internal::LexicalHit>> hits(prepared.size());
  for (int pass = 0; pass < args.repeat; ++pass) {
    for (size_t i = 0; i < prepared.size(); ++i) {
      const double t = NowSeconds();
      hits[i] = (*index)->Search(prepared[i], args.k);
      us[i].push_back((NowSeconds() - t) * 1e6);
    }
  }
  // Throughput: every query once on one thread, then on args.threads
  // taking queries from a shared counter; the median of `repeat` runs.
  auto qps = [&](int threads) {
    std::vector<double> runs;
    for (int pass = 0; pass < args.repeat; ++pass) {
      std::atomic<size_t> next{0};
      const double t = NowSeconds();
      (void)internal::ParallelFor(size_t(threads), threads, [&](int, size_t, size_t) {
        for (size_t i; (i = next.fetch_add(1)) < prepared.size();) {
          (void)(*index)->Search(prepared[i], args.k);
        }
        return Status::OK();
      });
      runs.push_back(double(prepared.size()) / (NowSeconds() - t));
    }
    return Median(runs);
  };
  const double qps_1 = qps(1);
  const double qps_n = qps(args.threads);
  std::vector<double> per_query;
  double sum = 0;
  for (auto& v : us) {
    per_query.push_back(Median(v));
    sum += per_query.back();
  }
  if (!args.dump.empty()) {
    std::ofstream out(args.dump);
    for (size_t i = 0; i < hits.size(); ++i) {
      out << (*queries)[i].id;
      for (const auto& h : hits[i]) out << ' ' << h.doc << ':' << h.score;
      out << '\n';
    }
  }
  json j = {{"bench", "lexical"},
            {"n", (*index)->size()},
            {"queries", prepared.size()},
            {"k", args.k},
            {"covered_unigram_max_df", args.covered_max_df},
            {"build_s", build_s},
            {"terms", (*index)->num_terms()},
            {"memory_bytes", (*index)->memory_bytes()},
            {"p50_us", Percentile(per_query, 0.5)},
            {"p99_us", Percentile(per_query, 0.99)},
            {"mean_us", sum / double(per_query.size())},
            {"qps_1_thread", qps_1},
            {"qps_n_threads", qps_n},
            {"threads", args.threads}};
  std::printf("%s\n", j.dump().c_str());
  return 0;
}

}  // namespace techmatch::bench
