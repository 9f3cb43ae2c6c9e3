// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "index/dot_kernels.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace techmatch::internal {
namespace {

// Checks `dot` against a double-precision sum on every dimension 0..300
// (all the remainders of the 32-, 8- and 4-wide loops), at offsets that
// make the vectors unaligned, with mixed signs and magnitudes.
void CheckKernel(DotFn dot) {
  std::mt19937_64 rng(5);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> a(400), b(400);
  for (size_t dim = 0; dim <= 300; ++dim) {
    for (size_t offset : {size_t(0), size_t(1), size_t(3)}) {
      double exact = 0, scale = 0;
      for (size_t i = 0; i < dim; ++i) {
        const float m = (i % 17 == 0) ? 100.0f : 1.0f;
        a[offset + i] = normal(rng) * m;
        b[offset + i] = normal(rng);
        exact += double(a[offset + i]) * b[offset + i];
        scale += std::fabs(double(a[offset + i]) * b[offset + i]);
      }
      INFO("dim " << dim << ", offset " << offset);
      const float got = dot(a.data() + offset, b.data() + offset, dim);
      REQUIRE(std::fabs(double(got) - exact) <= 1e-5 * scale + 1e-6);
      if (dim == 0) REQUIRE(got == 0.0f);
    }
  }
}

TEST_CASE("dot kernels: generic kernel against a double-precision sum", "[dot]") {
  CheckKernel(DotKernel(DotLevel::kGeneric));
  REQUIRE(std::strcmp(DotLevelName(DotLevel::kGeneric), "generic") == 0);
}

TEST_CASE("dot kernels: AVX2/FMA kernel against a double-precision sum, where the CPU has it",
          "[dot]") {
  if (!DotLevelSupported(DotLevel::kAvx2Fma)) {
    WARN("this CPU has no AVX2/FMA: that kernel is not run here");
    return;
  }
  CheckKernel(DotKernel(DotLevel::kAvx2Fma));
  // The two kernels agree closely on unit vectors (the index's inputs).
  std::mt19937_64 rng(9);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> a(256), b(256);
  for (int trial = 0; trial < 200; ++trial) {
    double na = 0, nb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      a[i] = normal(rng);
      b[i] = normal(rng) + 0.5f * a[i];
      na += double(a[i]) * a[i];
      nb += double(b[i]) * b[i];
    }
    for (size_t i = 0; i < a.size(); ++i) {
      a[i] = float(a[i] / std::sqrt(na));
      b[i] = float(b[i] / std::sqrt(nb));
    }
    const float g = DotKernel(DotLevel::kGeneric)(a.data(), b.data(), a.size());
    const float v = DotKernel(DotLevel::kAvx2Fma)(a.data(), b.data(), a.size());
    REQUIRE(std::fabs(g - v) <= 1e-6f);
  }
}

TEST_CASE("dot kernels: the chosen level runs on this CPU and follows TECHMATCH_SIMD",
          "[dot]") {
  const DotLevel level = BestDotLevel();
  REQUIRE(DotLevelSupported(level));
  const char* env = std::getenv("TECHMATCH_SIMD");
  if (env != nullptr && std::strcmp(env, "generic") == 0) {
    REQUIRE(level == DotLevel::kGeneric);
  } else {
    REQUIRE((level == DotLevel::kAvx2Fma) == DotLevelSupported(DotLevel::kAvx2Fma));
  }
}

}  // namespace
}  // namespace techmatch::internal
