// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch eval: a csl-match run (one ranked list per query) with build
// time and per-query latency, scoreable by csl-match's evaluate.py.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "csl_io.h"
#include "server/match_json.h"
#include "progress.h"
#include "techmatch/engine.h"
#include "techmatch/engine_options.h"

namespace techmatch::cli {

namespace {

constexpr const char* kCmd = "eval";
using Clock = std::chrono::steady_clock;

// Nearest-rank percentile of sorted values (p in [0, 100]).
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = size_t(std::ceil(p / 100.0 * double(sorted.size())));
  if (rank < 1) rank = 1;
  return sorted[std::min(rank, sorted.size()) - 1];
}

Status WriteRun(const std::string& path, const std::vector<CslQuery>& queries,
                const std::vector<std::vector<std::string>>& doc_ids) {
  // Written next to the target and renamed, so a failed run never leaves
  // half a file that would still score.
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IOError(tmp + ": cannot create");
    for (size_t i = 0; i < queries.size(); ++i) {
      nlohmann::ordered_json j{{"query_id", queries[i].id},
                               {"doc_ids", doc_ids[i]}};
      out << server::DumpJsonLine(j) << '\n';
    }
    out.flush();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return Status::IOError(tmp + ": write failed");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Status::IOError(path + ": cannot rename " + tmp + ": " +
                           ec.message());
  }
  return Status::OK();
}

}  // namespace

Runner AddEvalCommand(CLI::App& app) {
  struct Args {
    std::string corpus;
    std::string queries;
    std::string out;
    size_t k = 100;
    std::string index;
    bool use_labels = false;
    int threads = 1;
    std::string synonyms;
    float synonym_weight = MatchOptions{}.synonym_weight;
  };
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "eval",
      "Run csl-match queries against a corpus: writes a run file "
      "({\"query_id\", \"doc_ids\"} per line) for evaluate.py and reports "
      "build time and per-query latency (one query at a time, one thread).");
  sub->add_option("--corpus", args->corpus,
                  "Corpus (csl-match JSONL: id, title, text, discipline, "
                  "category); needed unless --index names a snapshot");
  sub->add_option("--queries", args->queries,
                  "Queries (csl-match JSONL: id, type, text, keywords)")
      ->required();
  sub->add_option("--out", args->out,
                  "Run file to write (JSONL; evaluate.py wants the name to end "
                  "in .jsonl)")
      ->required();
  sub->add_option("--k", args->k, "Documents per query (1-10000)")
      ->check(CLI::Range(size_t{1}, size_t{10000}))
      ->capture_default_str();
  sub->add_option("--index", args->index,
                  "Snapshot directory: loaded if it holds one, otherwise the "
                  "engine built from --corpus is saved there");
  sub->add_flag("--use-labels", args->use_labels,
                "Give the corpus labels to the engine as categories "
                "(\"<category>/<discipline>\"); default: no labels");
  sub->add_option("--threads", args->threads,
                  "If > 1, also time a MatchBatch pass on this many "
                  "threads (throughput)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_option("--synonyms", args->synonyms, "A synonyms file applied to the queries");
  sub->add_option("--synonym-weight", args->synonym_weight,
                  "Weight of a term a synonym adds (0: off)")
      ->check(CLI::Range(0.0, 10.0))
      ->capture_default_str();
  return [args]() -> int {
    auto queries = ReadCslQueries(args->queries);
    if (!queries.ok()) return Fail(kCmd, queries.status());

    std::unique_ptr<Engine> engine;
    bool load = !args->index.empty() && IsNonEmptyDirectory(args->index);
    auto start = Clock::now();
    if (load) {
      auto loaded = Engine::Load(args->index);
      if (!loaded.ok()) return Fail(kCmd, loaded.status());
      engine = std::move(*loaded);
      if (!args->corpus.empty() || args->use_labels) {
        std::fprintf(stderr,
                     "techmatch eval: note: %s holds a snapshot, which is "
                     "used as it is (--corpus and --use-labels ignored)\n",
                     args->index.c_str());
      }
      std::printf("loaded %s: %zu records in %.2f s\n", args->index.c_str(),
                  engine->size(), SecondsSince(start));
    } else {
      if (args->corpus.empty()) {
        return Fail(kCmd, args->index.empty()
                              ? "--corpus is required (or --index naming a "
                                "snapshot)"
                              : "--corpus is required: " + args->index +
                                    " holds no snapshot to load");
      }
      std::vector<Record> corpus;
      {
        Progress progress("read");
        auto read = ReadCslCorpus(args->corpus, args->use_labels);
        if (!read.ok()) {
          progress.Abort();
          return Fail(kCmd, read.status());
        }
        corpus = std::move(*read);
        progress.Update(corpus.size(), corpus.size());
        progress.Finish();
      }
      if (corpus.empty()) return Fail(kCmd, args->corpus + ": no records");
      auto opened = Engine::Open(EngineOptions{});
      if (!opened.ok()) return Fail(kCmd, opened.status());
      engine = std::move(*opened);
      {
        Progress progress("add");
        Status s = engine->Add(corpus, progress.Callback());
        if (!s.ok()) {
          progress.Abort();
          return Fail(kCmd, s);
        }
        progress.Update(corpus.size(), corpus.size());
        progress.Finish();
      }
      {
        Progress progress("build");
        Status s = engine->Build(progress.Callback());
        if (!s.ok()) {
          progress.Abort();
          return Fail(kCmd, s);
        }
        progress.Finish();
      }
      double build_s = SecondsSince(start);
      std::printf("built %zu records (%s) in %.2f s\n", corpus.size(),
                  args->use_labels ? "with labels" : "no labels", build_s);
      if (!args->index.empty()) {
        auto save_start = Clock::now();
        Status s = engine->Save(args->index);
        if (!s.ok()) return Fail(kCmd, s);
        std::printf("saved %s in %.2f s\n", args->index.c_str(),
                    SecondsSince(save_start));
      }
    }
    std::fflush(stdout);

    MatchOptions options;
    options.k = args->k;
    options.target = RecordKind::kSupply;
    options.explain = false;
    options.synonym_weight = args->synonym_weight;
    if (Status s = options.Validate(); !s.ok()) return Fail(kCmd, s);
    if (!args->synonyms.empty()) {
      auto list = ReadSynonymsFile(args->synonyms);
      if (!list.ok()) return Fail(kCmd, list.status());
      if (Status s = engine->SetSynonyms(*list); !s.ok()) return Fail(kCmd, s);
    }

    std::vector<std::vector<std::string>> doc_ids(queries->size());
    std::vector<double> latency_ms;
    latency_ms.reserve(queries->size());
    {
      Progress progress("match", "queries");
      for (size_t i = 0; i < queries->size(); ++i) {
        const CslQuery& q = (*queries)[i];
        auto t0 = Clock::now();
        auto result = engine->MatchText(q.text, options);
        auto t1 = Clock::now();
        if (!result.ok()) {
          progress.Abort();
          return Fail(kCmd, result.status().WithContext(
                                args->queries + ":" + std::to_string(q.line) +
                                ": query \"" + q.id + "\""));
        }
        latency_ms.push_back(
            std::chrono::duration<double, std::milli>(t1 - t0).count());
        doc_ids[i].reserve(result->matches.size());
        for (const Match& m : result->matches) doc_ids[i].push_back(m.key.id);
        progress.Update(i + 1, queries->size());
      }
      progress.Finish();
    }
    if (Status s = WriteRun(args->out, *queries, doc_ids); !s.ok()) {
      return Fail(kCmd, s);
    }

    double sum = 0;
    for (double v : latency_ms) sum += v;
    std::vector<double> sorted = latency_ms;
    std::sort(sorted.begin(), sorted.end());
    std::printf("queries: %zu, k = %zu -> %s\n", queries->size(), args->k,
                args->out.c_str());
    std::printf(
        "latency (one at a time, one thread): p50 %.2f ms, p99 %.2f "
        "ms, mean %.2f ms, max %.2f ms\n",
        Percentile(sorted, 50), Percentile(sorted, 99),
        sorted.empty() ? 0.0 : sum / double(sorted.size()),
        sorted.empty() ? 0.0 : sorted.back());

    if (args->threads > 1 && !queries->empty()) {
      std::vector<MatchQuery> batch;
      batch.reserve(queries->size());
      for (const CslQuery& q : *queries) {
        MatchQuery mq;
        mq.id = q.id;
        mq.text = q.text;
        batch.push_back(std::move(mq));
      }
      auto t0 = Clock::now();
      auto results = engine->MatchBatch(batch, options, args->threads);
      double s = SecondsSince(t0);
      if (!results.ok()) return Fail(kCmd, results.status());
      size_t differ = 0;
      for (size_t i = 0; i < results->size(); ++i) {
        const auto& ms = (*results)[i].matches;
        bool same = ms.size() == doc_ids[i].size();
        for (size_t r = 0; same && r < ms.size(); ++r) {
          same = ms[r].key.id == doc_ids[i][r];
        }
        differ += same ? 0 : 1;
      }
      std::printf("batch (%d threads): %.1f queries/s (%.2f s)%s\n",
                  args->threads, s > 0 ? double(batch.size()) / s : 0.0, s,
                  differ == 0 ? ", same rankings"
                              : (", " + std::to_string(differ) +
                                 " rankings differ from the one-at-a-time "
                                 "pass")
                                    .c_str());
    }
    std::fflush(stdout);
    return 0;
  };
}

}  // namespace techmatch::cli
