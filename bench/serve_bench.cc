// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench serve: the HTTP service against in-process matching on
// the same index and queries, in the same run. Builds an engine of N
// records (the csl-match abstracts, then synthesized ones; no labels, as
// `engine`), measures Engine::MatchBatch on `threads` workers, saves the
// snapshot, starts `techmatch serve` on it (loopback, a free port) and
// drives it with wrk. Prints one JSON object:
//   n, queries, threads, seconds (per load run), machine load averages
//   in_process: batch_qps (explain off / on), single-query p50/p99 (off)
//   load: [{connections, rps, p50/p90/p99/max ms, errors, ratio_to_batch}]
//     explain off at each connection count, then explain on at 8
//   load_with_writer: the same runs with one writer PUTting 100 records/s
//   bad_requests: RunBadRequests; kill_loop: RunKillLoop (serve_load.h)
//   clean_stop_exit: the exit code after SIGTERM (0 expected)

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_util.h"
#include "benches.h"
#include "csl_data.h"
#include "serve_load.h"
#include "serve_process.h"
#include "synth_corpus.h"
#include "techmatch/engine.h"

namespace techmatch::bench {
namespace {

using nlohmann::json;

// The snapshot to serve: an engine of n records, built and saved.
Status BuildSnapshot(const std::vector<Record>& real, size_t n, int threads,
                     const std::string& dir, std::unique_ptr<Engine>* out) {
  EngineOptions options;
  options.threads = threads;
  auto engine = Engine::Open(options);
  if (!engine.ok()) return engine.status();
  std::vector<Record> records = SynthesizeCorpus(real, n, 7);
  for (Record& r : records) r.categories.clear();  // no labels, as `engine`
  for (size_t b = 0; b < records.size(); b += 20000) {
    std::vector<Record> chunk(records.begin() + long(b),
                              records.begin() + long(std::min(records.size(), b + 20000)));
    TECHMATCH_RETURN_IF_ERROR((*engine)->Add(chunk));
  }
  TECHMATCH_RETURN_IF_ERROR((*engine)->Build());
  TECHMATCH_RETURN_IF_ERROR((*engine)->Save(dir));
  *out = std::move(*engine);
  return Status::OK();
}

// Engine::MatchBatch queries/s on `threads` workers, the median of passes.
Result<double> BatchQps(const Engine& engine, const std::vector<MatchQuery>& queries,
                        const MatchOptions& options, int threads, int passes) {
  std::vector<double> qps;
  for (int p = 0; p < passes; ++p) {
    const double t0 = NowSeconds();
    auto r = engine.MatchBatch(queries, options, threads);
    if (!r.ok()) return r.status();
    qps.push_back(double(queries.size()) / (NowSeconds() - t0));
  }
  return Median(qps);
}

// One request body per query, as a client of the API would send it.
Status WriteBodies(const std::vector<CslQuery>& queries, bool explain, const std::string& path) {
  std::ofstream out(path);
  for (const CslQuery& q : queries) {
    out << json{{"text", q.text}, {"k", 10}, {"explain", explain}}.dump() << "\n";
  }
  return out ? Status::OK() : Status::IOError("cannot write " + path);
}

}  // namespace

int RunServeBench(const ServeBenchArgs& args) {
  const std::string corpus_path = DefaultCorpusPath(args.corpus);
  const std::string binary = TechmatchBinary();
  if (corpus_path.empty() || binary.empty() || !WrkAvailable()) {
    std::fprintf(stderr, "serve bench: skipped: needs csl-match (--corpus), the techmatch "
                         "binary beside techmatch-bench and wrk (scripts/bootstrap.sh)\n");
    return kSkipped;
  }
  auto fail = [](const std::string& what, const Status& s) {
    std::fprintf(stderr, "serve bench: %s: %s\n", what.c_str(), s.ToString().c_str());
    return 1;
  };
  const std::string data_dir = std::filesystem::path(corpus_path).parent_path().string();
  auto real = LoadCorpus(corpus_path);
  auto queries = LoadCslQueries(data_dir + "/queries_dev.jsonl");
  if (!real.ok()) return fail("corpus", real.status());
  if (!queries.ok()) return fail("queries", queries.status());
  if (args.queries > 0 && queries->size() > args.queries) queries->resize(args.queries);
  std::vector<std::string> texts;  // what the writers PUT
  for (size_t i = 0; i < real->size() && texts.size() < 2000; ++i) {
    if (!(*real)[i].text.empty()) texts.push_back((*real)[i].text);
  }

  const std::string work = (std::filesystem::temp_directory_path() /
                            ("techmatch-bench-serve-" + std::to_string(getpid())))
                               .string();
  std::error_code ec;
  std::filesystem::create_directories(work, ec);
  const std::string snap = work + "/index";
  json out = {{"bench", "serve"},
              {"n", args.n},
              {"queries", queries->size()},
              {"threads", args.threads},
              {"seconds", args.seconds},
              {"load_average_start", LoadAverage1()}};

  // ---- in-process: the same queries through Engine::MatchBatch
  {
    std::unique_ptr<Engine> engine;
    std::fprintf(stderr, "serve bench: building %zu records\n", args.n);
    Status s = BuildSnapshot(*real, args.n, args.threads, snap, &engine);
    if (!s.ok()) return fail("build", s);
    real->clear();
    std::vector<MatchQuery> batch;
    for (const CslQuery& q : *queries) batch.push_back(MatchQuery{q.id, q.text, nullptr});
    MatchOptions off;
    off.explain = false;
    MatchOptions on;  // as the API asks: explanations with 64 terms
    on.max_explained_terms = 64;
    const int passes = args.quick ? 1 : 3;
    auto qps_off = BatchQps(*engine, batch, off, args.threads, passes);
    auto qps_on = BatchQps(*engine, batch, on, args.threads, passes);
    if (!qps_off.ok()) return fail("MatchBatch", qps_off.status());
    if (!qps_on.ok()) return fail("MatchBatch", qps_on.status());
    std::vector<double> ms;
    for (const CslQuery& q : *queries) {
      const double t0 = NowSeconds();
      if (!engine->MatchText(q.text, off).ok()) return fail("MatchText", Status::Internal(q.id));
      ms.push_back((NowSeconds() - t0) * 1e3);
    }
    out["in_process"] = {{"batch_qps", *qps_off},
                         {"batch_qps_explain", *qps_on},
                         {"single_p50_ms", Percentile(ms, 0.5)},
                         {"single_p99_ms", Percentile(ms, 0.99)}};
    std::fprintf(stderr, "serve bench: in-process MatchBatch %.0f q/s (explain: %.0f)\n",
                 *qps_off, *qps_on);
  }
  const std::string bodies = work + "/bodies.jsonl", bodies_explain = work + "/explain.jsonl";
  if (Status s = WriteBodies(*queries, false, bodies); !s.ok()) return fail("bodies", s);
  if (Status s = WriteBodies(*queries, true, bodies_explain); !s.ok()) return fail("bodies", s);

  // ---- over HTTP
  auto server = ServeProcess::Start(binary, snap, {}, 600);
  if (!server.ok()) return fail("serve", server.status());
  const int port = (*server)->port();
  const double batch_qps = out["in_process"]["batch_qps"].get<double>();
  auto load = [&](const std::string& file, int c, double ref_qps) -> Result<json> {
    const double load_before = LoadAverage1();
    auto r = RunWrk(port, file, c, args.seconds, work);
    if (!r.ok()) return r.status();
    (*r)["ratio_to_batch"] = (*r)["rps"].get<double>() / ref_qps;
    (*r)["load_average"] = {load_before, LoadAverage1()};
    std::fprintf(stderr, "serve bench: %d connections: %.0f req/s, p50 %.2f ms, p99 %.2f ms, "
                         "%llu errors\n", c, (*r)["rps"].get<double>(),
                 (*r)["p50_ms"].get<double>(), (*r)["p99_ms"].get<double>(),
                 (unsigned long long)(*r)["errors"].get<uint64_t>());
    return r;
  };
  if (auto warm = RunWrk(port, bodies, 8, args.quick ? 1 : 3, work); !warm.ok()) {
    return fail("wrk", warm.status());
  }
  out["load"] = json::array();
  for (int c : args.connections) {
    auto r = load(bodies, c, batch_qps);
    if (!r.ok()) return fail("wrk", r.status());
    out["load"].push_back(*r);
  }
  {
    auto r = load(bodies_explain, 8, out["in_process"]["batch_qps_explain"].get<double>());
    if (!r.ok()) return fail("wrk", r.status());
    (*r)["explain"] = true;
    out["load"].push_back(*r);
  }
  out["load_with_writer"] = json::array();
  for (int c : args.connections) {
    PacedWriter writer(port, 100, texts, "W" + std::to_string(c) + "-");
    auto r = load(bodies, c, batch_qps);
    json w = writer.Stop();
    if (!r.ok()) return fail("wrk", r.status());
    (*r)["writer"] = w;
    std::fprintf(stderr, "serve bench: ... beside a writer: %llu writes acknowledged, p99 %.1f "
                         "ms, %llu errors\n", (unsigned long long)w["acked"].get<uint64_t>(),
                 w["p99_ms"].get<double>(), (unsigned long long)w["errors"].get<uint64_t>());
    out["load_with_writer"].push_back(*r);
  }
  out["bad_requests"] = RunBadRequests(port, args.bad_rounds, 16u << 20);
  std::fprintf(stderr, "serve bench: bad requests: %llu sent, %llu not answered as expected, "
                       "healthy after: %s\n",
               (unsigned long long)out["bad_requests"]["sent"].get<uint64_t>(),
               (unsigned long long)out["bad_requests"]["errors"].get<uint64_t>(),
               out["bad_requests"]["healthy_after"].get<bool>() ? "yes" : "no");
  const double t_stop = NowSeconds();
  out["clean_stop_exit"] = (*server)->Stop(SIGTERM, 600);
  out["clean_stop_s"] = NowSeconds() - t_stop;
  server->reset();

  // ---- kill -9 and restart
  if (args.kill_rounds > 0) {
    std::fprintf(stderr, "serve bench: kill -9 loop, %d rounds\n", args.kill_rounds);
    out["kill_loop"] = RunKillLoop(binary, snap, args.kill_rounds, args.kill_seconds, texts);
    std::fprintf(stderr, "serve bench: kill loop: %s\n", out["kill_loop"].dump().c_str());
  }
  out["load_average_end"] = LoadAverage1();
  std::filesystem::remove_all(work, ec);
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

}  // namespace techmatch::bench
