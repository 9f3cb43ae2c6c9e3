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

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_BENCHES_H_
