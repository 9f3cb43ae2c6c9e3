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

  CLI11_PARSE(app, argc, argv);
  if (dense->parsed()) return techmatch::bench::RunDenseBench(db);
  if (dense_quality->parsed()) return techmatch::bench::RunDenseQualityBench(dq);
  if (analyzer->parsed()) return techmatch::bench::RunAnalyzerBench(analyzer_args);
  return 1;
}
