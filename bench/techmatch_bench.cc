// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench: benchmark driver. Each sub-command prints one JSON object.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "bench_util.h"
#include "benches.h"
#include "xapian_peer.h"

int main(int argc, char** argv) {
  CLI::App app{"techmatch-bench: measure techmatch on real data"};
  app.require_subcommand(1);

  techmatch::bench::AnalyzerBenchArgs analyzer_args;
  CLI::App* analyzer = app.add_subcommand(
      "analyzer", "Analyzer throughput (MB/s, one thread) beside bare ICU");
  analyzer->add_option("--corpus", analyzer_args.corpus, "csl-match corpus.jsonl");
  analyzer->add_option("--dict", analyzer_args.dict, "user dictionary file");
  analyzer->add_option("--repeat", analyzer_args.repeat, "repetitions (median)")
      ->check(CLI::Range(1, 1000));
  analyzer->add_flag("--quick", analyzer_args.quick, "smoke run");

  techmatch::bench::DenseQualityArgs dq;
  CLI::App* dense_quality = app.add_subcommand(
      "dense-quality", "Dense-only retrieval quality on csl-match dev (LSA)");
  dense_quality->add_option("--corpus", dq.corpus, "csl-match corpus.jsonl");
  dense_quality->add_option("--out", dq.out, "run file to write");
  dense_quality->add_option("--dim", dq.dim, "embedding dimension");
  dense_quality->add_option("--sigma-power", dq.sigma_power, "scale dims by sigma^-p");
  dense_quality->add_option("--word-weight", dq.word_weight);
  dense_quality->add_option("--unigram-weight", dq.unigram_weight);
  dense_quality->add_option("--bigram-weight", dq.bigram_weight);
  dense_quality->add_option("--min-df", dq.min_df);
  dense_quality->add_option("--max-df", dq.max_df);
  dense_quality->add_option("--power-iterations", dq.power_iterations);

  techmatch::bench::DenseBenchArgs db;
  CLI::App* dense = app.add_subcommand(
      "dense", "Dense stage at scale: fit, build, recall@10 vs exact, latency");
  dense->add_option("--corpus", db.corpus, "csl-match corpus.jsonl");
  dense->add_option("--n", db.n, "records (synthesized beyond the real ones)");
  dense->add_option("--index", db.index, "index spec: auto, Flat, IVF4096,Flat, ...");
  dense->add_option("--queries", db.queries, "queries (csl-match dev)");
  dense->add_option("--nprobe", db.nprobe, "IVF lists probed (0 = tuned default)");
  dense->add_option("--sigma-power", db.sigma_power, "LSA sigma power");
  dense->add_option("--max-fit-records", db.max_fit_records, "LSA fit sample");
  dense->add_option("--ef-sweep", db.ef_sweep, "also measure these ef_search values")
      ->delimiter(',');
  dense->add_flag("--peers", db.peers, "also raw hnswlib and exact Faiss (same data)");
  dense->add_option("--peer-m", db.peer_args.hnswlib_m, "hnswlib M values")
      ->delimiter(',');
  dense->add_option("--peer-ef", db.peer_args.ef_search, "ef_search values measured")
      ->delimiter(',');
  dense->add_option("--peer-efc", db.peer_args.ef_construction, "hnswlib efConstruction");
  dense->add_option("--repeat", db.peer_args.repeat, "latency passes (medians)")
      ->check(CLI::Range(1, 100));

  techmatch::bench::QualityBenchArgs qb;
  CLI::App* quality = app.add_subcommand(
      "quality", "Engine quality on csl-match dev: ablations, C++ metrics");
  quality->add_option("--corpus", qb.corpus, "csl-match corpus.jsonl");
  quality->add_option("--queries", qb.queries, "first N dev queries (0 = all)");
  quality->add_option("--records", qb.records, "first N corpus records (0 = all)");
  quality->add_flag("--use-labels", qb.use_labels, "give corpus labels to the engine");
  quality->add_flag("!--no-fit", qb.fit, "skip the fitted-scorer variant");
  quality->add_option("--cv-folds", qb.cv_folds,
                      "k of the cross-validated tuning (0 = skip it; default 5)");
  quality->add_flag("--cv-quick", qb.cv_quick, "a small tuning grid (smoke runs)");
  quality->add_option("--cv-repeats", qb.cv_repeats, "shuffles into folds (default 5)");
  quality->add_option("--cv-grid-out", qb.cv_grid_out,
                      "write every tuning setting's metrics here (JSON lines)");
  quality->add_option("--threads", qb.threads, "build/fit threads (0 = all)");
  quality->add_option("--k1", qb.k1, "BM25 k1");
  quality->add_option("--b", qb.b, "BM25 b");
  quality->add_option("--word-weight", qb.word_weight, "lexical word weight");
  quality->add_option("--unigram-weight", qb.unigram_weight, "lexical unigram weight");
  quality->add_option("--bigram-weight", qb.bigram_weight, "lexical bigram weight");
  quality->add_option("--lexical-k", qb.lexical_k, "lexical candidates");
  quality->add_option("--k", qb.k, "matches per query (default 100)");
  quality->add_option("--covered-max-df", qb.covered_max_df,
                      "lexical covered_unigram_max_df");
  quality->add_option("--dense-weight", qb.dense_weight, "fusion dense weight");
  quality->add_option("--rerank-depth", qb.rerank_depth, "candidates re-ranked");
  quality->add_option("--dense-k", qb.dense_k, "dense candidates");
  quality->add_option("--fit-depth", qb.fit_depth, "candidates per query in the fit");
  quality->add_option("--l2", qb.l2, "fit L2 penalty");
  quality->add_option("--dense-index", qb.dense_index, "dense index spec");
  quality->add_flag("--grid", qb.grid, "re-score over a weight grid (tuning)");
  quality->add_flag("--rrf", qb.rrf, "reciprocal rank fusion instead of the blend");
  quality->add_option("--curve-seeds", qb.curve_seeds,
                      "draws of the judged queries per size in the learning curve")
      ->check(CLI::Range(1, 100));

  techmatch::bench::EngineBenchArgs eb;
  CLI::App* engine = app.add_subcommand(
      "engine", "The engine at scale: build, memory, disk, latency per stage, throughput");
  engine->add_option("--corpus", eb.corpus, "csl-match corpus.jsonl");
  engine->add_option("--n", eb.n, "records (synthesized beyond the real ones)");
  engine->add_option("--queries", eb.queries, "first N dev queries (0 = all)");
  engine->add_option("--repeat", eb.repeat, "passes (medians)")->check(CLI::Range(1, 100));
  engine->add_option("--threads", eb.threads, "build threads and batch workers")
      ->check(CLI::Range(1, 256));
  engine->add_flag("--ann-peers", eb.ann_peers,
                   "also raw hnswlib and exact Faiss on the engine's vectors");
  engine->add_flag("--xapian", eb.xapian,
                   "Xapian (OR of its TermGenerator terms) on the same records, same run "
                   "(one thread: ~2 min at 100k, ~20 min at 1M)");
  engine->add_option("--peer-m", eb.peer_args.hnswlib_m, "hnswlib M values")->delimiter(',');
  engine->add_option("--peer-ef", eb.peer_args.ef_search, "ef_search values measured")
      ->delimiter(',');
  engine->add_option("--peer-efc", eb.peer_args.ef_construction, "hnswlib efConstruction");
  engine->add_option("--keep-snapshot", eb.keep_snapshot,
                     "save the snapshot in this directory (replaced) and keep it, e.g. to "
                     "profile techmatch info --index DIR");

  techmatch::bench::LexicalBenchArgs lb;
  CLI::App* lexical = app.add_subcommand(
      "lexical", "The BM25 stage alone at scale: Search latency on the dev queries");
  lexical->add_option("--corpus", lb.corpus, "csl-match corpus.jsonl");
  lexical->add_option("--n", lb.n, "records (synthesized beyond the real ones)");
  lexical->add_option("--queries", lb.queries, "first N dev queries (0 = all)");
  lexical->add_option("--k", lb.k, "results per query");
  lexical->add_option("--repeat", lb.repeat, "passes (medians)")->check(CLI::Range(1, 100));
  lexical->add_option("--threads", lb.threads, "build threads; and query threads for qps_n_threads")->check(CLI::Range(1, 256));
  lexical->add_option("--cache", lb.cache, "index file: loaded if present, else written");
  lexical->add_option("--dump", lb.dump, "write each query's top k (doc:score) here");
  lexical->add_option("--covered-max-df", lb.covered_max_df,
                      "leave out covered unigrams in more than this share of docs");

  techmatch::bench::XapianPeerArgs xp;
  CLI::App* peers = app.add_subcommand(
      "peers", "Xapian 1.4 beside techmatch on csl-match (same run)");
  peers->add_option("--corpus", xp.corpus, "csl-match corpus.jsonl");
  peers->add_option("--queries", xp.queries, "first N dev queries (0 = all)");
  peers->add_option("--records", xp.records, "first N corpus records (0 = all)");
  peers->add_option("--repeat", xp.repeat, "latency passes (medians)")
      ->check(CLI::Range(1, 100));
  peers->add_option("--threads", xp.threads, "techmatch build threads (0 = all)");

  techmatch::bench::ServeBenchArgs sb;
  CLI::App* serve = app.add_subcommand(
      "serve", "techmatch serve over HTTP (wrk, loopback) vs in-process MatchBatch; faults");
  serve->add_option("--corpus", sb.corpus, "csl-match corpus.jsonl");
  serve->add_option("--n", sb.n, "records (synthesized beyond the real ones)");
  serve->add_option("--queries", sb.queries, "first N dev queries (0 = all)");
  serve->add_option("--threads", sb.threads, "build threads and MatchBatch workers")
      ->check(CLI::Range(1, 256));
  serve->add_option("--seconds", sb.seconds, "each load run")->check(CLI::Range(0.5, 600.0));
  serve->add_option("--connections", sb.connections, "wrk connection counts")
      ->delimiter(',')
      ->check(CLI::Range(1, 1024));
  serve->add_option("--bad-rounds", sb.bad_rounds, "repetitions of the bad-request set")
      ->check(CLI::Range(1, 10000));
  serve->add_option("--kill-rounds", sb.kill_rounds, "kill -9 and restart rounds (0: none)")
      ->check(CLI::Range(0, 10000));
  serve->add_option("--kill-seconds", sb.kill_seconds, "time limit of the kill loop");
  serve->add_flag("--quick", sb.quick, "smoke run");
  techmatch::bench::AssignBenchArgs asb;
  CLI::App* assign = app.add_subcommand(
      "assign", "Fair assignment: synthetic popular-skewed fairs (solver only) or csl-match (--csl)");
  assign->add_option("--demands", asb.demands, "synthetic: demands");
  assign->add_option("--supplies", asb.supplies, "synthetic: supplies");
  assign->add_option("--k", asb.k, "candidates per demand")->check(CLI::Range(1u, 10000u));
  assign->add_option("--min", asb.min, "answers each demand must get");
  assign->add_option("--max", asb.max, "answers each demand may get");
  assign->add_option("--capacity", asb.capacity, "demands per supply (--csl: the top of the range)");
  assign->add_option("--capacity-min", asb.capacity_min,
                     "--csl: capacities drawn in [capacity-min, capacity] (0: fixed)");
  assign->add_option("--skew", asb.skew, "synthetic: popularity skew (index = n * u^skew)");
  assign->add_option("--seed", asb.seed, "random seed");
  assign->add_option("--groups", asb.groups, "synthetic: independent sub-fairs (components)");
  assign->add_flag("--no-split", asb.no_split, "solve as one problem, not by component");
  assign->add_flag("--csl", asb.csl, "csl-match: corpus as supplies, dev query texts as demands");
  assign->add_option("--corpus", asb.corpus, "csl-match corpus.jsonl");
  assign->add_option("--records", asb.records, "--csl: first N corpus records (0 = all)");
  assign->add_option("--queries", asb.queries, "--csl: first N dev queries (0 = all)");
  assign->add_option("--algo", asb.algo, "auto, simplex, costscaling, greedy");
  assign->add_option("--objective", asb.objective, "total or maxmin");
  assign->add_option("--balance", asb.balance, "load balancing weight");
  assign->add_option("--threads", asb.threads, "component workers (--csl: matching too)")
      ->check(CLI::Range(1, 256));
  assign->add_flag("!--no-baselines", asb.baselines, "skip the greedy baselines");
  assign->add_flag("!--no-coverage-cost", asb.coverage_cost, "skip the no-coverage re-solve");
  assign->add_flag("--lp", asb.lp, "also CLP's LP optimum (the reference)");

  techmatch::bench::DaskBenchArgs dk;
  CLI::App* dask = app.add_subcommand(
      "dask", "csl-match dev queries matched on Dask (1, 2 workers) vs the CLI (Python module)");
  dask->add_option("--corpus", dk.corpus, "csl-match corpus.jsonl");
  dask->add_option("--records", dk.records, "first N corpus records (0 = all)");
  dask->add_option("--queries", dk.queries, "first N dev queries (0 = all)");
  dask->add_option("--workers", dk.workers, "LocalCluster sizes, comma-separated");
  dask->add_option("--k", dk.k, "matches per demand")->check(CLI::Range(1, 1000));
  dask->add_option("--repeat", dk.repeat, "interleaved passes (medians)")
      ->check(CLI::Range(1, 100));
  dask->add_option("--python", dk.python, "python3 with dask and distributed");

  techmatch::bench::AllBenchArgs ab;
  CLI::App* all = app.add_subcommand(
      "all", "Every benchmark (one child process each), then BENCHMARKS.md");
  all->add_option("--corpus", ab.corpus, "csl-match corpus.jsonl");
  all->add_flag("--quick", ab.quick, "smoke run of every path on small inputs (CI)");
  all->add_option("--out", ab.out, "markdown report (default: stdout)");
  all->add_option("--json", ab.json_out, "every section's JSON");
  all->add_option("--sizes", ab.sizes, "engine sizes (records)")->delimiter(',');
  all->add_option("--only", ab.only,
                  "run only these sections: analyzer, quality, quality_rrf, xapian, engine, "
                  "serve, assign, dask (the report names the others as not run)")
      ->delimiter(',');
  all->add_option("--keep", ab.keep,
                  "an earlier run's JSON: its sections of keys not run now are carried over "
                  "(with --only; the report says which run measured them)");
  all->add_option("--peer-sizes", ab.peer_sizes,
                  "sizes where the dense index meets hnswlib and exact")
      ->delimiter(',');

  std::string report_json, report_out;
  CLI::App* report = app.add_subcommand(
      "report", "Render BENCHMARKS.md again from the JSON of an `all --json` run");
  report->add_option("--json", report_json, "the JSON `all --json` wrote")->required();
  report->add_option("--out", report_out, "markdown report (default: stdout)");

  CLI11_PARSE(app, argc, argv);
  if (report->parsed()) return techmatch::bench::RunReport(report_json, report_out);
  if (all->parsed()) {
    ab.command_line = "techmatch-bench";
    for (int i = 1; i < argc; ++i) ab.command_line += std::string(" ") + argv[i];
    return techmatch::bench::RunAllBench(ab);
  }
  if (lexical->parsed()) return techmatch::bench::RunLexicalBench(lb);
  if (peers->parsed()) {
    if (!techmatch::bench::XapianAvailable()) {
      std::fprintf(stderr, "peers: built without libxapian-dev; skipped\n");
      return techmatch::bench::kSkipped;
    }
    if (techmatch::bench::DefaultCorpusPath(xp.corpus).empty()) {
      std::fprintf(stderr, "peers: csl-match not found (give --corpus); skipped\n");
      return techmatch::bench::kSkipped;
    }
    auto out = techmatch::bench::RunXapianPeer(xp);
    if (!out.ok()) {
      std::fprintf(stderr, "peers: %s\n", out.status().ToString().c_str());
      return 1;
    }
    std::printf("%s\n", out->dump(2).c_str());
    return 0;
  }
  if (serve->parsed()) return techmatch::bench::RunServeBench(sb);
  if (dask->parsed()) return techmatch::bench::RunDaskBench(dk);
  if (engine->parsed()) {
    eb.peer_args.repeat = eb.repeat;
    eb.peer_args.threads = eb.threads;
    return techmatch::bench::RunEngineBench(eb);
  }
  if (assign->parsed()) return techmatch::bench::RunAssignBench(asb);
  if (quality->parsed()) return techmatch::bench::RunQualityBench(qb);
  if (dense->parsed()) return techmatch::bench::RunDenseBench(db);
  if (dense_quality->parsed()) return techmatch::bench::RunDenseQualityBench(dq);
  if (analyzer->parsed()) return techmatch::bench::RunAnalyzerBench(analyzer_args);
  return 1;
}
