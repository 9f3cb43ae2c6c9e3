// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The benchmark driver's sub-commands.

#ifndef TECHMATCH_BENCH_BENCHES_H_
#define TECHMATCH_BENCH_BENCHES_H_

#include <string>

namespace techmatch::bench {

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
};
int RunDenseBench(const DenseBenchArgs& args);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_BENCHES_H_
