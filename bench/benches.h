// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The benchmark driver's sub-commands.

#ifndef TECHMATCH_BENCH_BENCHES_H_
#define TECHMATCH_BENCH_BENCHES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ann_peers.h"

namespace techmatch::bench {

/// A sub-command's exit code when what it needs (data, a package, a
/// module) is absent; `all` and CTest report it as skipped.
constexpr int kSkipped = 77;

struct AnalyzerBenchArgs {
  std::string corpus;  // csl-match corpus.jsonl; default: ../shared
  std::string dict;    // optional user dictionary
  int repeat = 7;      // interleaved repetitions; medians are reported
  bool quick = false;  // smoke run: 1,000 texts, 2 repetitions
};
int RunAnalyzerBench(const AnalyzerBenchArgs& args);

struct DenseQualityArgs {
  std::string corpus;
  std::string out;  // run file
  int dim = 256;
  // Defaults follow EmbedderOptions.
  float sigma_power = 0.0f;
  float word_weight = 1, unigram_weight = 1, bigram_weight = 0.5f;
  int min_df = 2;
  float max_df = 0.5f;
  int power_iterations = 0;
};
int RunDenseQualityBench(const DenseQualityArgs& args);

struct DenseBenchArgs {
  std::string corpus;
  size_t n = 16917;           // records (real first, then synthesized)
  std::string index = "auto";  // DenseIndexOptions::spec
  size_t queries = 800;       // csl-match dev queries used
  int nprobe = 0;             // 0: the index's tuned default
  float sigma_power = 0.0f;   // LSA dimension scaling (see EmbedderOptions)
  size_t max_fit_records = 200000;
  std::vector<int> ef_sweep;  // extra ef_search values measured on the index
  bool peers = false;         // also hnswlib and exact Faiss on the same data
  AnnPeerArgs peer_args;
};
int RunDenseBench(const DenseBenchArgs& args);

struct EngineBenchArgs {
  std::string corpus;     // csl-match corpus.jsonl; default: ../shared
  size_t n = 16917;       // records (real first, then synthesized)
  size_t queries = 0;     // first N dev queries (0 = all 800)
  int repeat = 3;         // latency / throughput passes; medians reported
  int threads = 2;        // build threads and MatchBatch workers
  bool ann_peers = false; // the engine's dense index vs hnswlib and exact
  AnnPeerArgs peer_args;
  bool xapian = false;    // Xapian's OR of TermGenerator terms beside, same records
  std::string keep_snapshot;  // non-empty: the snapshot is saved here and kept
};
int RunEngineBench(const EngineBenchArgs& args);

struct LexicalBenchArgs {
  std::string corpus;  // csl-match corpus.jsonl; default: ../shared
  size_t n = 16917;    // records (real first, then synthesized)
  size_t queries = 0;  // first N dev queries (0 = all 800)
  size_t k = 100;      // results per query (the engine's lexical_k)
  int repeat = 3;      // passes; per-query medians
  int threads = 2;     // build threads
  std::string cache;   // index file: loaded if it exists, else written
  std::string dump;    // every query's top k, for exact comparisons
  double covered_max_df = 1.0;  // LexicalOptions::covered_unigram_max_df
};
int RunLexicalBench(const LexicalBenchArgs& args);

struct QualityBenchArgs {
  std::string corpus;       // csl-match corpus.jsonl; default: ../shared
  size_t queries = 0;       // first N dev queries (0 = all)
  size_t records = 0;       // first N corpus records (0 = all; smoke runs)
  bool use_labels = false;  // give the corpus labels to the engine
  bool fit = true;          // also the 2-fold fitted scorer
  int threads = 0;          // build / fit threads (matching is one thread)
  // Overrides of the engine defaults, for tuning on dev (< 0: default).
  double k1 = -1, b = -1, word_weight = -1, unigram_weight = -1,
         bigram_weight = -1, dense_weight = -1, covered_max_df = -1;
  int rerank_depth = -1, dense_k = -1, lexical_k = -1, fit_depth = -1;
  size_t k = 100;  // matches per query (R@100 needs 100; the @10 figures 10)
  double l2 = -1;
  std::string dense_index;  // DenseIndexOptions::spec ("" = default)
  bool grid = false;  // re-score collected features over a weight grid
  bool rrf = false;   // reciprocal rank fusion instead of the score blend
  int curve_seeds = 5;  // draws per size of the fit --judgments learning curve
  int cv_folds = 5;     // cross-validated tuning of the match-time settings (0 = off)
  bool cv_quick = false;  // a small grid (smoke runs)
  int cv_repeats = 5;     // shuffles into cv_folds folds
  std::string cv_grid_out;   // every tuning setting's metrics, as JSON lines
};
int RunQualityBench(const QualityBenchArgs& args);

struct ServeBenchArgs {
  std::string corpus;     // csl-match corpus.jsonl; default: ../shared
  size_t n = 16917;       // records (real first, then synthesized)
  size_t queries = 0;     // first N dev queries (0 = all 800)
  int threads = 2;        // build threads and MatchBatch workers
  double seconds = 15;    // each load run
  std::vector<int> connections = {1, 8, 32};
  int bad_rounds = 20;    // each bad request this many times
  int kill_rounds = 20;   // kill -9 and restart rounds (0: none)
  double kill_seconds = 900;  // ... at most this long
  bool quick = false;     // fewer passes and shorter warm-up (smoke runs)
};
/// The HTTP service (`techmatch serve`, driven by wrk) against in-process
/// Engine::MatchBatch on the same index and queries; fault runs.
int RunServeBench(const ServeBenchArgs& args);
struct AssignBenchArgs {
  // Synthetic fair (default): the solver layer on a popular-skewed graph.
  uint32_t demands = 10000, supplies = 10000, k = 50;
  uint32_t min = 2, max = 5, capacity = 3;
  double skew = 3.0;
  uint64_t seed = 1;
  uint32_t groups = 1;    // independent sub-fairs (components)
  bool no_split = false;  // solve as one problem even if it splits
  // --csl: an Engine over csl-match (supplies) and its dev queries'
  // texts (demands); capacity drawn in [capacity_min, capacity].
  bool csl = false;
  std::string corpus;
  size_t records = 0;     // first N corpus records (0 = all)
  size_t queries = 0;     // first N dev queries (0 = all 800)
  uint32_t capacity_min = 0;  // 0: every supply gets `capacity`
  // Solver.
  std::string algo = "auto", objective = "total";
  double balance = 0;
  int threads = 1;        // component workers (and MatchBatch in --csl)
  bool baselines = true;
  bool coverage_cost = true;
  bool lp = false;        // CLP's LP optimum as the reference
};
int RunAssignBench(const AssignBenchArgs& args);

struct DaskBenchArgs {
  std::string corpus;          // csl-match corpus.jsonl; default: ../shared
  size_t records = 0;          // first N corpus records (0 = all)
  size_t queries = 0;          // first N dev queries (0 = all 800)
  std::string workers = "1,2"; // LocalCluster sizes measured
  int k = 10;                  // matches per demand
  int repeat = 3;              // interleaved passes; medians are reported
  std::string python;          // default: the Python the module was built for
};
int RunDaskBench(const DaskBenchArgs& args);

struct AllBenchArgs {
  std::string corpus;    // csl-match corpus.jsonl; default: ../shared
  bool quick = false;    // smoke run of every path (CI), small inputs
  std::string out;       // markdown report ("" or "-": stdout)
  std::string json_out;  // every section's JSON, for tools
  std::vector<size_t> sizes = {16917, 100000, 1000000};  // engine sizes
  std::vector<size_t> peer_sizes = {100000, 1000000};    // + dense peers
  std::vector<std::string> only;  // run only these sections (keys); empty: all
  // The JSON of an earlier `all --json`: its sections of the keys this run
  // does not measure are carried over (marked with their run's commit and
  // date), so one section can be measured again without the other 80 min.
  std::string keep;
  std::string command_line;  // as typed, for the report
};
/// Runs every benchmark (each a child process) and writes the report.
int RunAllBench(const AllBenchArgs& args);
/// Renders the report again from the JSON `all --json` wrote.
int RunReport(const std::string& json_path, const std::string& out);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_BENCHES_H_
