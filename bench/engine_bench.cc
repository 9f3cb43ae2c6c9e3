// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench engine: the whole engine at scale. Builds an Engine (the
// default options) from N records (the csl-match abstracts, then records
// synthesized from them), saves and reloads it, and matches the 800 dev
// queries as free text. Prints one JSON object, on one line (the last):
//   n, text_mb, threads, queries, repeat
//   the figures issue 13 judges, at the top level: records_per_s,
//          peak_rss_bytes (VmHWM after Add + Build), rss_after_build_bytes,
//          snapshot_bytes, load_s, hybrid_p50_ms / hybrid_p99_ms (no
//          explanations), explained_p50_ms, lexical_p50_ms (the BM25
//          stage), xapian_or_p50_ms (null without --xapian), mrr_at_10
//          (the hybrid run's dev queries, scored as evaluate.py does; the
//          real records are in every corpus)
//   build: add_s (analysis + BM25 postings), fit_s, embed_s, index_s
//          (dense), build_s (the Build() call), total_s, records_per_s
//   memory: baseline_rss_bytes (the empty engine, before the records are
//          synthesized), peak_rss_delta_bytes (peak while the records are
//          synthesized and streamed in batches into Add, then Build),
//          rss_delta_bytes (after Build and malloc_trim), engine_estimate_bytes
//          (EngineStats::memory_bytes), *_per_record
//   disk: bytes, bytes_per_record, save_s, load_s, save_extra_rss_bytes
//          (peak RSS during Save over the RSS before it), load_peak_rss_delta_
//          bytes and loaded_rss_delta_bytes (peak during Load, and after it,
//          over the RSS with the engine dropped); -1 where the peak cannot
//          be reset
//   latency: {variant: {p50_ms, p99_ms, mean_ms}} medians over passes, for
//          "hybrid+explain" (the default MatchOptions), "hybrid",
//          "lexical only", "dense only"
//   stages: {stage: {p50_ms, p99_ms}} from MatchOptions::profile on the
//          default pipeline (analyze, embed, lexical, dense, rerank,
//          explain, total)
//   throughput: MatchBatch queries/s on 1 and `threads` workers, ratio
//   stats: EngineStats fields; peers: (--ann-peers) ann_peers.h's JSON on
//          the engine's own vectors and dense index.
//   xapian_or (--xapian): Xapian's OR of TermGenerator terms over the same
//          records (xapian_peer.h): version, build_s, records_per_s,
//          build_threads, disk_bytes, p50_ms, p99_ms, mrr_at_10 (top 10),
//          hybrid_p50_ms and hybrid_over_xapian_p50 (the engine without
//          explanations in passes interleaved with Xapian's; the median of
//          the per-pass p50 ratios).

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ann_peers.h"
#include "bench_util.h"
#include "benches.h"
#include "csl_data.h"
#include "engine/engine_access.h"
#include "eval/metrics.h"
#include "synth_corpus.h"
#include "xapian_peer.h"
#include "util/proc_status.h"
#include "techmatch/engine.h"

namespace techmatch::bench {
namespace {

using nlohmann::json;
using internal::ProcStatusBytes;
using internal::ResetPeakRss;

size_t DirectoryBytes(const std::string& dir) {
  size_t total = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) total += size_t(e.file_size(ec));
  }
  return total;
}

json Summary(const std::vector<double>& ms) {
  double sum = 0;
  for (double v : ms) sum += v;
  return {{"p50_ms", Percentile(ms, 0.5)},
          {"p99_ms", Percentile(ms, 0.99)},
          {"mean_ms", ms.empty() ? 0.0 : sum / double(ms.size())}};
}

/// The median over passes of each summary field.
json MedianOver(const std::vector<json>& passes) {
  json out;
  for (const char* key : {"p50_ms", "p99_ms", "mean_ms"}) {
    std::vector<double> v;
    for (const json& p : passes) v.push_back(p[key].get<double>());
    out[key] = Median(v);
  }
  return out;
}

}  // namespace

int RunEngineBench(const EngineBenchArgs& args) {
  const std::string corpus_path = DefaultCorpusPath(args.corpus);
  if (corpus_path.empty()) {
    std::fprintf(stderr, "engine bench: csl-match not found (give --corpus)\n");
    return kSkipped;
  }
  const std::string dir = std::filesystem::path(corpus_path).parent_path().string();
  auto real = LoadCorpus(corpus_path);
  auto queries = LoadCslQueries(dir + "/queries_dev.jsonl");
  if (!real.ok() || !queries.ok()) {
    std::fprintf(stderr, "engine bench: cannot read the csl-match data\n");
    return 1;
  }
  if (args.queries > 0 && queries->size() > args.queries) queries->resize(args.queries);
  EngineOptions eopt;
  eopt.threads = args.threads;
  auto opened = Engine::Open(eopt);
  if (!opened.ok()) {
    std::fprintf(stderr, "engine bench: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<Engine> engine = std::move(*opened);

  // ---- build. Memory is measured from here: the records are synthesized,
  // then streamed into the engine batch by batch (each batch's text freed
  // after its Add, as a service feeding from a database would).
  const size_t baseline_rss = ProcStatusBytes("VmRSS");
  const bool peak_reset = ResetPeakRss();
  std::vector<Record> records = SynthesizeCorpus(*real, args.n, 7);
  real->clear();
  real->shrink_to_fit();
  size_t text_bytes = 0;
  for (Record& r : records) {
    r.categories.clear();  // no label reaches the engine (as in `quality`)
    text_bytes += r.title.size() + r.text.size();
    for (const auto& k : r.keywords) text_bytes += k.size();
  }
  const size_t n = records.size();
  std::fprintf(stderr, "engine bench: %zu records, %.1f MB of text\n", n,
               double(text_bytes) / 1e6);
  double t0 = NowSeconds();
  const size_t batch = 20000;
  for (size_t b = 0; b < n; b += batch) {
    std::vector<Record> chunk(std::make_move_iterator(records.begin() + long(b)),
                              std::make_move_iterator(records.begin() +
                                                      long(std::min(n, b + batch))));
    Status s = engine->Add(chunk);
    if (!s.ok()) {
      std::fprintf(stderr, "engine bench: %s\n", s.ToString().c_str());
      return 1;
    }
  }
  records = std::vector<Record>();
  const double add_s = NowSeconds() - t0;
  std::fprintf(stderr, "engine bench: added in %.1f s; building\n", add_s);
  t0 = NowSeconds();
  Status s = engine->Build();
  const double build_s = NowSeconds() - t0;
  if (!s.ok()) {
    std::fprintf(stderr, "engine bench: %s\n", s.ToString().c_str());
    return 1;
  }
  const size_t peak_rss = ProcStatusBytes("VmHWM");
  // What the engine holds, not what malloc kept of the build's scratch.
  malloc_trim(0);
  const size_t after_rss = ProcStatusBytes("VmRSS");
  const EngineStats st = engine->stats();
  std::fprintf(stderr, "engine bench: built in %.1f s (fit %.1f, embed %.1f, index %.1f)\n",
               build_s, st.build_fit_seconds, st.build_embed_seconds,
               st.build_index_seconds);
  auto per_record = [&](double bytes) { return bytes / double(n); };
  json out = {{"bench", "engine"},
              {"n", n},
              {"text_mb", double(text_bytes) / 1e6},
              {"threads", args.threads},
              {"queries", queries->size()},
              {"repeat", args.repeat}};
  out["build"] = {{"add_s", add_s},
                  {"fit_s", st.build_fit_seconds},
                  {"embed_s", st.build_embed_seconds},
                  {"index_s", st.build_index_seconds},
                  {"build_s", build_s},
                  {"total_s", add_s + build_s},
                  {"records_per_s", double(n) / (add_s + build_s)}};
  const double rss_delta = double(after_rss) - double(baseline_rss);
  const double peak_delta = double(peak_rss) - double(baseline_rss);
  out["memory"] = {{"baseline_rss_bytes", baseline_rss},
                   {"peak_rss_delta_bytes", peak_reset ? peak_delta : -1.0},
                   {"rss_delta_bytes", rss_delta},
                   {"engine_estimate_bytes", st.memory_bytes},
                   {"rss_delta_per_record", per_record(rss_delta)},
                   {"engine_estimate_per_record", per_record(double(st.memory_bytes))}};
  out["stats"] = {{"supplies", st.supplies},
                  {"lexical_terms", st.lexical_terms},
                  {"embedding_dim", st.embedding_dim},
                  {"embedder", st.embedder},
                  {"dense_index", st.dense_index}};

  // ---- snapshot: save, drop, load; the loaded engine answers the queries
  // (as a restarted service would).
  const std::string snap =
      !args.keep_snapshot.empty()
          ? args.keep_snapshot
          : (std::filesystem::temp_directory_path() /
             ("techmatch-bench-engine-" + std::to_string(getpid())))
                .string();
  std::error_code ec;
  std::filesystem::remove_all(snap, ec);
  // The memory Save and Load need beyond the engine: the peak RSS over the
  // RSS just before each.
  const size_t before_save = ProcStatusBytes("VmRSS");
  const bool save_peak = ResetPeakRss();
  t0 = NowSeconds();
  s = engine->Save(snap);
  const double save_s = NowSeconds() - t0;
  const double save_extra = double(ProcStatusBytes("VmHWM")) - double(before_save);
  if (!s.ok()) {
    std::fprintf(stderr, "engine bench: save: %s\n", s.ToString().c_str());
    std::filesystem::remove_all(snap, ec);
    return 1;
  }
  const size_t disk = DirectoryBytes(snap);
  engine.reset();
  malloc_trim(0);
  const size_t before_load = ProcStatusBytes("VmRSS");
  const bool load_peak = ResetPeakRss();
  t0 = NowSeconds();
  auto loaded = Engine::Load(snap);
  const double load_s = NowSeconds() - t0;
  const double load_peak_delta = double(ProcStatusBytes("VmHWM")) - double(before_load);
  malloc_trim(0);
  const double loaded_delta = double(ProcStatusBytes("VmRSS")) - double(before_load);
  if (args.keep_snapshot.empty()) std::filesystem::remove_all(snap, ec);
  if (!loaded.ok()) {
    std::fprintf(stderr, "engine bench: load: %s\n", loaded.status().ToString().c_str());
    return 1;
  }
  engine = std::move(*loaded);
  out["disk"] = {{"bytes", disk},
                 {"bytes_per_record", per_record(double(disk))},
                 {"save_s", save_s},
                 {"load_s", load_s},
                 {"save_extra_rss_bytes", save_peak ? save_extra : -1.0},
                 {"load_peak_rss_delta_bytes", load_peak ? load_peak_delta : -1.0},
                 {"loaded_rss_delta_bytes", loaded_delta}};
  std::fprintf(stderr, "engine bench: snapshot %.1f MB, save %.1f s, load %.1f s\n",
               double(disk) / 1e6, save_s, load_s);

  // ---- latency, one thread, passes interleaved across the variants
  struct Variant {
    std::string name;
    MatchOptions options;
  };
  std::vector<Variant> variants(4);
  variants[0].name = "hybrid+explain";  // MatchOptions{} plus the profile
  variants[0].options.profile = true;
  variants[1].name = "hybrid";
  variants[1].options.explain = false;
  variants[2].name = "lexical only";
  variants[2].options.explain = false;
  variants[2].options.dense_k = 0;
  variants[3].name = "dense only";
  variants[3].options.explain = false;
  variants[3].options.lexical_k = 0;
  const std::vector<std::string> stage_names = {"analyze", "embed",  "lexical", "dense",
                                                "rerank",  "explain", "total"};
  std::map<std::string, std::vector<json>> passes;
  std::map<std::string, std::vector<std::vector<double>>> stage_passes;
  internal::EvalRun hybrid_run;  // the first pass's hybrid rankings, for MRR@10
  for (int rep = -1; rep < args.repeat; ++rep) {  // rep -1 warms up
    for (const Variant& v : variants) {
      std::vector<double> ms;
      std::vector<std::vector<double>> stages(stage_names.size());
      for (const CslQuery& q : *queries) {
        const double a = NowSeconds();
        auto r = engine->MatchText(q.text, v.options);
        ms.push_back((NowSeconds() - a) * 1e3);
        if (!r.ok()) {
          std::fprintf(stderr, "engine bench: query %s: %s\n", q.id.c_str(),
                       r.status().ToString().c_str());
          return 1;
        }
        if (rep == 0 && v.name == "hybrid") {
          auto& ids = hybrid_run[q.id];
          for (const auto& m : r->matches) ids.push_back(m.key.id);
        }
        const MatchTimings& t = r->timings;
        const double vals[] = {t.analyze_ms, t.embed_ms,   t.lexical_ms, t.dense_ms,
                               t.rerank_ms,  t.explain_ms, t.total_ms};
        for (size_t i = 0; i < stage_names.size(); ++i) stages[i].push_back(vals[i]);
      }
      if (rep < 0) continue;
      passes[v.name].push_back(Summary(ms));
      if (v.options.profile) {
        for (size_t i = 0; i < stage_names.size(); ++i) {
          stage_passes[stage_names[i]].push_back(stages[i]);
        }
      }
    }
  }
  out["latency"] = json::object();
  for (const Variant& v : variants) out["latency"][v.name] = MedianOver(passes[v.name]);
  out["stages"] = json::object();
  for (const std::string& name : stage_names) {
    std::vector<json> per_pass;
    for (const auto& ms : stage_passes[name]) per_pass.push_back(Summary(ms));
    out["stages"][name] = MedianOver(per_pass);
  }

  // ---- throughput: MatchBatch with the default options, 1 vs N workers
  std::vector<MatchQuery> batch_queries;
  for (const CslQuery& q : *queries) batch_queries.push_back(MatchQuery{q.id, q.text, nullptr});
  std::vector<double> qps1, qpsn;
  for (int rep = 0; rep < args.repeat; ++rep) {
    for (int workers : {1, args.threads}) {
      const double a = NowSeconds();
      auto r = engine->MatchBatch(batch_queries, {}, workers);
      const double sec = NowSeconds() - a;
      if (!r.ok()) {
        std::fprintf(stderr, "engine bench: batch: %s\n", r.status().ToString().c_str());
        return 1;
      }
      (workers == 1 ? qps1 : qpsn).push_back(double(batch_queries.size()) / sec);
    }
  }
  out["throughput"] = {{"threads", args.threads},
                       {"qps_1_thread", Median(qps1)},
                       {"qps_n_threads", Median(qpsn)},
                       {"ratio", Median(qpsn) / Median(qps1)}};
  std::fprintf(stderr, "engine bench: p50 %.2f ms (hybrid+explain), %.0f q/s on %d threads\n",
               out["latency"]["hybrid+explain"]["p50_ms"].get<double>(), Median(qpsn),
               args.threads);

  // ---- the dense index against its peers, on the engine's own vectors
  if (args.ann_peers) {
    const DenseIndex* dense = internal::EngineAccess::Dense(*engine);
    const Embedder* embedder = internal::EngineAccess::GetEmbedder(*engine);
    if (dense == nullptr || embedder == nullptr) {
      std::fprintf(stderr, "engine bench: the engine has no dense index\n");
      return 1;
    }
    const size_t dim = embedder->dim();
    std::vector<uint64_t> ids;
    std::vector<float> vectors;
    vectors.reserve(n * dim);
    std::vector<float> v(dim);
    for (uint64_t id = 0; id < n; ++id) {
      if (!dense->GetVector(id, v.data()).ok()) continue;  // no known term
      ids.push_back(id);
      vectors.insert(vectors.end(), v.begin(), v.end());
    }
    // Queries embedded and normalized as the engine does.
    std::vector<float> qv;
    for (const CslQuery& q : *queries) {
      if (!embedder->EmbedText(q.text, v.data()).ok()) return 1;
      double norm = 0;
      for (float x : v) norm += double(x) * x;
      if (norm <= 0) continue;
      const float inv = float(1.0 / std::sqrt(norm));
      for (float x : v) qv.push_back(x * inv);
    }
    AnnData data;
    data.vectors = vectors.data();
    data.ids = ids.data();
    data.n = ids.size();
    data.dim = dim;
    data.queries = qv.data();
    data.nq = qv.size() / dim;
    std::fprintf(stderr, "engine bench: dense peers on %zu vectors, %zu queries\n",
                 data.n, data.nq);
    auto peers = RunAnnPeers(data, *dense, st.build_index_seconds, args.peer_args);
    if (!peers.ok()) {
      std::fprintf(stderr, "engine bench: peers: %s\n", peers.status().ToString().c_str());
      return 1;
    }
    out["peers"] = *peers;
  }
  // MRR@10 of a run over the queries this bench matched.
  auto eval = internal::LoadCslEvalData(dir, "dev");
  if (eval.ok()) {
    std::vector<internal::EvalQuery> asked;
    for (const auto& eq : eval->queries) {
      if (hybrid_run.count(eq.id)) asked.push_back(eq);
    }
    eval->queries = std::move(asked);
  }
  auto mrr_of = [&](const internal::EvalRun& run) -> json {
    if (!eval.ok()) return nullptr;
    return internal::ScoreRun(*eval, run)["all"].mrr10;
  };

  // ---- Xapian's OR of TermGenerator terms on the same records (the
  // records synthesized again: the engine's copy was streamed away), its
  // passes interleaved with passes of the hybrid engine.
  json xapian_p50 = nullptr;
  if (args.xapian) {
    auto again = LoadCorpus(corpus_path);
    if (!again.ok()) {
      std::fprintf(stderr, "engine bench: %s\n", again.status().ToString().c_str());
      return 1;
    }
    records = SynthesizeCorpus(*again, args.n, 7);
    again->clear();
    std::fprintf(stderr, "engine bench: building the Xapian peer (one thread)\n");
    auto peer = XapianOrPeer::Build(records);
    records = std::vector<Record>();
    if (!peer.ok()) {
      std::fprintf(stderr, "engine bench: xapian: %s\n", peer.status().ToString().c_str());
      return 1;
    }
    MatchOptions hybrid;
    hybrid.explain = false;
    internal::EvalRun xapian_run;
    std::vector<double> x50, x99, h50, ratio;
    std::vector<std::string> ids;
    for (int rep = -1; rep < args.repeat; ++rep) {  // rep -1 warms up
      std::vector<double> xms, hms;
      for (const CslQuery& q : *queries) {
        double a = NowSeconds();
        auto r = engine->MatchText(q.text, hybrid);
        hms.push_back((NowSeconds() - a) * 1e3);
        if (!r.ok()) return 1;  // it answered these queries above
        a = NowSeconds();
        s = (*peer)->Search(q.text, 10, &ids);
        xms.push_back((NowSeconds() - a) * 1e3);
        if (!s.ok()) {
          std::fprintf(stderr, "engine bench: xapian: query %s: %s\n", q.id.c_str(),
                       s.ToString().c_str());
          return 1;
        }
        if (rep < 0) xapian_run[q.id] = ids;
      }
      if (rep < 0) continue;
      x50.push_back(Percentile(xms, 0.5));
      x99.push_back(Percentile(xms, 0.99));
      h50.push_back(Percentile(hms, 0.5));
      ratio.push_back(h50.back() / x50.back());
    }
    xapian_p50 = Median(x50);
    out["xapian_or"] = {{"version", (*peer)->version()},
                        {"build_s", (*peer)->build_s()},
                        {"records_per_s", double(n) / (*peer)->build_s()},
                        {"build_threads", 1},
                        {"disk_bytes", (*peer)->disk_bytes()},
                        {"p50_ms", Median(x50)},
                        {"p99_ms", Median(x99)},
                        {"mrr_at_10", mrr_of(xapian_run)},
                        {"hybrid_p50_ms", Median(h50)},
                        {"hybrid_over_xapian_p50", Median(ratio)}};
    std::fprintf(stderr, "engine bench: xapian OR p50 %.2f ms, hybrid/xapian %.3f\n",
                 Median(x50), Median(ratio));
  }

  // The figures issue 13 judges, at the top level.
  const json mrr = mrr_of(hybrid_run);
  out["records_per_s"] = out["build"]["records_per_s"];
  out["peak_rss_bytes"] = peak_rss;
  out["rss_after_build_bytes"] = after_rss;
  out["snapshot_bytes"] = disk;
  out["load_s"] = load_s;
  out["hybrid_p50_ms"] = out["latency"]["hybrid"]["p50_ms"];
  out["hybrid_p99_ms"] = out["latency"]["hybrid"]["p99_ms"];
  out["explained_p50_ms"] = out["latency"]["hybrid+explain"]["p50_ms"];
  out["lexical_p50_ms"] = out["stages"]["lexical"]["p50_ms"];
  out["xapian_or_p50_ms"] = xapian_p50;  // null without --xapian
  out["mrr_at_10"] = mrr;
  // One line: the last line of the output is the whole result.
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace techmatch::bench
