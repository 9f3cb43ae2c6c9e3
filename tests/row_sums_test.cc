// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "embed/row_sums.h"

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

#include "index/dot_kernels.h"

namespace techmatch::internal {
namespace {

using Pairs = std::vector<std::pair<uint32_t, float>>;

// A matrix of `rows` x `stride` floats with mixed signs and magnitudes.
std::vector<float> RandomMatrix(size_t rows, size_t stride, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> m(rows * stride);
  for (size_t i = 0; i < m.size(); ++i) m[i] = normal(rng) * ((i % 13 == 0) ? 50.0f : 1.0f);
  return m;
}

Pairs RandomTerms(size_t n, size_t rows, std::mt19937_64* rng) {
  std::uniform_int_distribution<uint32_t> id(0, uint32_t(rows - 1));
  std::normal_distribution<float> w(0.0f, 2.0f);
  Pairs out;
  for (size_t i = 0; i < n; ++i) out.emplace_back(id(*rng), w(*rng));
  return out;
}

// The expression each use replaced: Eigen's `v += w * row`, one term at a
// time in order.
std::vector<float> EigenSum(const std::vector<float>& m, size_t stride, size_t dim,
                            const Pairs& terms, std::vector<float> start) {
  Eigen::Map<Eigen::VectorXf> v(start.data(), Eigen::Index(dim));
  for (const auto& [id, w] : terms) {
    v += w * Eigen::Map<const Eigen::VectorXf>(m.data() + size_t(id) * stride,
                                               Eigen::Index(dim));
  }
  return start;
}

// Runs `kernel` on the terms (at most 64 at a time, as AddWeightedRows
// does) from `start`.
std::vector<float> KernelSum(RowSumFn kernel, const std::vector<float>& m, size_t stride,
                             size_t dim, const Pairs& terms, std::vector<float> start) {
  std::vector<const float*> rows;
  std::vector<float> weights;
  for (const auto& [id, w] : terms) {
    rows.push_back(m.data() + size_t(id) * stride);
    weights.push_back(w);
  }
  kernel(rows.data(), weights.data(), rows.size(), dim, start.data());
  return start;
}

// The same floats, bit for bit (memcmp; an empty vector's data() may be
// null, which memcmp must not be given).
bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// Bit-for-bit: the kernels promise the same bits as the Eigen expression.
void CheckKernel(RowSumFn kernel) {
  std::mt19937_64 rng(11);
  for (size_t dim = 0; dim <= 130; ++dim) {
    for (size_t offset : {size_t(0), size_t(1), size_t(5)}) {
      const size_t stride = dim + offset + 3;  // rows start unaligned
      const std::vector<float> m = RandomMatrix(40, stride, dim * 7 + offset);
      for (size_t n : {size_t(0), size_t(1), size_t(3), size_t(9), size_t(70)}) {
        const Pairs terms = RandomTerms(n, 40, &rng);
        std::vector<float> start(dim);
        for (size_t j = 0; j < dim; ++j) start[j] = float(j % 5) - 2.0f;
        INFO("dim " << dim << ", offset " << offset << ", terms " << n);
        const std::vector<float> want = EigenSum(m, stride, dim, terms, start);
        const std::vector<float> got = KernelSum(kernel, m, stride, dim, terms, start);
        REQUIRE(SameBits(want, got));
      }
    }
  }
}

TEST_CASE("row sums: the portable kernel gives Eigen's bits", "[row_sums]") {
  CheckKernel(&RowSumGeneric);
}

TEST_CASE("row sums: the AVX kernel gives Eigen's bits, where the CPU has it",
          "[row_sums]") {
  if (!DotLevelSupported(DotLevel::kAvx2Fma)) {
    WARN("this CPU has no AVX2: that kernel is not run here");
    return;
  }
  CheckKernel(&RowSumAvx);
}

TEST_CASE("row sums: AddWeightedRows batches long lists without a change in bits",
          "[row_sums]") {
  // 64 rows per kernel call: lists of 0..300 terms cross batch edges.
  const size_t dim = 256, stride = 256, rows = 500;
  const std::vector<float> m = RandomMatrix(rows, stride, 3);
  std::mt19937_64 rng(4);
  for (size_t n : {size_t(0), size_t(63), size_t(64), size_t(65), size_t(128), size_t(300)}) {
    const Pairs terms = RandomTerms(n, rows, &rng);
    std::vector<float> got(dim, 0.0f);
    AddWeightedRows(
        m.data(), stride, terms.size(), [&](size_t i) { return terms[i].first; },
        [&](size_t i) { return terms[i].second; }, dim, got.data());
    const std::vector<float> want = EigenSum(m, stride, dim, terms, std::vector<float>(dim));
    INFO("terms " << n);
    REQUIRE(SameBits(want, got));
  }
}

TEST_CASE("row sums: the chosen kernel follows the CPU and TECHMATCH_SIMD",
          "[row_sums]") {
  const char* env = std::getenv("TECHMATCH_SIMD");
  const bool generic = (env != nullptr && std::strcmp(env, "generic") == 0) ||
                       !DotLevelSupported(DotLevel::kAvx2Fma);
  REQUIRE(BestRowSum() == (generic ? &RowSumGeneric : &RowSumAvx));
}

}  // namespace
}  // namespace techmatch::internal
