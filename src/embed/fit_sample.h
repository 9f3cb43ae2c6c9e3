// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The records an embedder fits on: all, or a seeded uniform sample.

#ifndef TECHMATCH_EMBED_FIT_SAMPLE_H_
#define TECHMATCH_EMBED_FIT_SAMPLE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

namespace techmatch::internal {

/// Indices 0..n-1, or `max_records` of them drawn uniformly with `seed`,
/// in increasing order. The embedders and Engine::Build (which copies only
/// these records) must agree on it.
inline std::vector<size_t> FitSample(size_t n, size_t max_records, uint64_t seed) {
  std::vector<size_t> sample(n);
  std::iota(sample.begin(), sample.end(), size_t{0});
  if (sample.size() > max_records) {
    std::mt19937_64 rng(seed);
    std::shuffle(sample.begin(), sample.end(), rng);
    sample.resize(max_records);
    std::sort(sample.begin(), sample.end());
  }
  return sample;
}

}  // namespace techmatch::internal

#endif  // TECHMATCH_EMBED_FIT_SAMPLE_H_
