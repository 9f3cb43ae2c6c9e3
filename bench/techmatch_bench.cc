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

  CLI11_PARSE(app, argc, argv);
  if (analyzer->parsed()) return techmatch::bench::RunAnalyzerBench(analyzer_args);
  return 1;
}
