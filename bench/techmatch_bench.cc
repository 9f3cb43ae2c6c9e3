// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench: benchmark driver. Each sub-command prints one JSON object.

#include <CLI/CLI.hpp>

#include "benches.h"

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

  techmatch::bench::QualityBenchArgs qb;
  CLI::App* quality = app.add_subcommand(
      "quality", "Engine quality on csl-match dev: ablations, C++ metrics");
  quality->add_option("--corpus", qb.corpus, "csl-match corpus.jsonl");
  quality->add_option("--queries", qb.queries, "first N dev queries (0 = all)");
  quality->add_flag("--use-labels", qb.use_labels, "give corpus labels to the engine");
  quality->add_flag("!--no-fit", qb.fit, "skip the fitted-scorer variant");
  quality->add_option("--threads", qb.threads, "build/fit threads (0 = all)");
  quality->add_option("--k1", qb.k1, "BM25 k1");
  quality->add_option("--b", qb.b, "BM25 b");
  quality->add_option("--word-weight", qb.word_weight, "lexical word weight");
  quality->add_option("--unigram-weight", qb.unigram_weight, "lexical unigram weight");
  quality->add_option("--bigram-weight", qb.bigram_weight, "lexical bigram weight");
  quality->add_option("--dense-weight", qb.dense_weight, "fusion dense weight");
  quality->add_option("--rerank-depth", qb.rerank_depth, "candidates re-ranked");
  quality->add_option("--dense-k", qb.dense_k, "dense candidates");
  quality->add_option("--fit-depth", qb.fit_depth, "candidates per query in the fit");
  quality->add_option("--l2", qb.l2, "fit L2 penalty");
  quality->add_option("--dense-index", qb.dense_index, "dense index spec");
  quality->add_flag("--grid", qb.grid, "re-score over a weight grid (tuning)");
  quality->add_flag("--rrf", qb.rrf, "reciprocal rank fusion instead of the blend");

  CLI11_PARSE(app, argc, argv);
  if (quality->parsed()) return techmatch::bench::RunQualityBench(qb);
  if (dense->parsed()) return techmatch::bench::RunDenseBench(db);
  if (dense_quality->parsed()) return techmatch::bench::RunDenseQualityBench(dq);
  if (analyzer->parsed()) return techmatch::bench::RunAnalyzerBench(analyzer_args);
  return 1;
}
