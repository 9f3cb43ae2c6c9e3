// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Helpers for the benchmark driver: timing, medians, corpus loading.

#ifndef TECHMATCH_BENCH_BENCH_UTIL_H_
#define TECHMATCH_BENCH_BENCH_UTIL_H_

#include <chrono>
#include <string>
#include <vector>

#include "techmatch/record.h"
#include "techmatch/status.h"

namespace techmatch::bench {

inline double NowSeconds() {
  using Clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

/// Median of a non-empty sample (copied, then partially sorted).
double Median(std::vector<double> v);

/// The p-quantile (0..1, nearest rank) of a sample; 0 when it is empty.
double Percentile(std::vector<double> v, double p);

/// The csl-match corpus path: `given`, or ../shared/data/csl-match/corpus.jsonl
/// next to the source tree; "" when neither exists.
std::string DefaultCorpusPath(const std::string& given);

/// Reads a csl-match style corpus (categories from category/discipline).
Result<std::vector<Record>> LoadCorpus(const std::string& path);

/// A short description of the machine: CPU model, cores, memory.
std::string MachineDescription();

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_BENCH_UTIL_H_
