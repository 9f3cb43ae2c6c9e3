// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench assign --csl: the csl-match fair. An Engine
// (default options) over the corpus records as supplies, the dev queries'
// texts as demands (min 1, max 3 by default), each supply's capacity drawn
// in [capacity_min, capacity] (seeded), through Assign: candidates from
// MatchBatch, then the solve. Same JSON line as the synthetic mode, plus
// build_s and explain_s.

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assign_bench.h"
#include "bench_util.h"
#include "csl_data.h"
#include "techmatch/assign.h"
#include "techmatch/engine.h"
#include "techmatch/record_io.h"
#include "util/proc_status.h"

namespace techmatch::bench {

int RunAssignCslBench(const AssignBenchArgs& args) {
  const std::string corpus_path = DefaultCorpusPath(args.corpus);
  if (corpus_path.empty()) {
    std::fprintf(stderr, "assign --csl: csl-match not found (give --corpus); skipped\n");
    return 77;
  }
  auto solver = AssignSolverOptions(args);
  if (!solver.ok()) {
    std::fprintf(stderr, "assign: %s\n", solver.status().ToString().c_str());
    return 2;
  }
  const std::string dir = corpus_path.substr(0, corpus_path.find_last_of('/'));
  auto corpus = ReadRecordsJsonlFile(corpus_path);  // no labels reach the engine
  auto queries = LoadCslQueries(dir + "/queries_dev.jsonl");
  if (!corpus.ok() || !queries.ok()) {
    std::fprintf(stderr, "assign --csl: cannot read %s or its dev queries\n", corpus_path.c_str());
    return 1;
  }
  if (args.records > 0 && corpus->size() > args.records) corpus->resize(args.records);
  if (args.queries > 0 && queries->size() > args.queries) queries->resize(args.queries);

  EngineOptions eopt;
  eopt.threads = args.threads;
  auto engine = Engine::Open(eopt);
  const double t0 = NowSeconds();
  Status s = engine.ok() ? (*engine)->Add(*corpus) : engine.status();
  if (s.ok()) s = (*engine)->Build();
  if (!s.ok()) {
    std::fprintf(stderr, "assign --csl: %s\n", s.ToString().c_str());
    return 1;
  }
  const double build_s = NowSeconds() - t0;

  AssignOptions options;
  options.k = args.k;
  options.min_answers = args.min;
  options.max_answers = args.max;
  options.capacity = args.capacity;
  options.threads = args.threads;
  options.solver = *solver;
  std::mt19937_64 rng(args.seed);
  if (args.capacity_min > 0) {
    std::uniform_int_distribution<uint32_t> cap(args.capacity_min, args.capacity);
    for (const Record& r : *corpus) options.capacities[r.id] = cap(rng);
  }
  AssignDemands demands;
  for (const CslQuery& q : *queries) {
    Record r;
    r.id = q.id;
    r.kind = RecordKind::kDemand;
    r.text = q.text;
    demands.records.push_back(std::move(r));
  }
  const size_t graph_rss = internal::ProcStatusBytes("VmRSS");
  internal::ResetPeakRss();
  std::fprintf(stderr, "assign --csl: %zu supplies, %zu demands; assigning...\n",
               corpus->size(), demands.records.size());
  auto result = Assign(**engine, demands, options);
  if (!result.ok()) {
    std::fprintf(stderr, "assign --csl: %s\n", result.status().ToString().c_str());
    return 1;
  }
  const size_t peak_rss = internal::ProcStatusBytes("VmHWM");
  nlohmann::ordered_json out = AssignResultJson(args, result->graph, result->assignment,
                                                result->candidates_seconds, graph_rss, peak_rss);
  out["supplies"] = result->supplies_in_engine;
  out["supplies_in_graph"] = result->graph.num_supplies;
  out["capacity_min"] = args.capacity_min;
  out["build_s"] = build_s;
  out["explain_s"] = result->explain_seconds;
  if (args.lp) {
    Status lp = AddLpReference(result->graph, &out);
    if (!lp.ok()) {
      std::fprintf(stderr, "assign --csl: %s\n", lp.ToString().c_str());
      return 1;
    }
  }
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace techmatch::bench
