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
  float sigma_power = 0;
  float word_weight = 1, unigram_weight = 1, bigram_weight = 1;
  int min_df = 2;
  float max_df = 0.5f;
  int power_iterations = 3;
};
int RunDenseQualityBench(const DenseQualityArgs& args);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_BENCHES_H_
