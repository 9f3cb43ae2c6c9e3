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

  CLI11_PARSE(app, argc, argv);
  if (dense_quality->parsed()) return techmatch::bench::RunDenseQualityBench(dq);
  if (analyzer->parsed()) return techmatch::bench::RunAnalyzerBench(analyzer_args);
  return 1;
}
