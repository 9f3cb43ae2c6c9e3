// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "index/dot_kernels.h"

#include <cstdlib>
#include <cstring>

namespace techmatch::internal {

float DotGeneric(const float* a, const float* b, size_t dim) {
  // Four independent sums: the compiler keeps them in SSE registers and
  // no addition waits on the one before.
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= dim; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < dim; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

bool DotLevelSupported(DotLevel level) {
  switch (level) {
    case DotLevel::kGeneric:
      return true;
    case DotLevel::kAvx2Fma:
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
      return false;
#endif
  }
  return false;
}

DotLevel BestDotLevel() {
  static const DotLevel level = [] {
    const char* env = std::getenv("TECHMATCH_SIMD");
    if (env != nullptr && std::strcmp(env, "generic") == 0) return DotLevel::kGeneric;
    return DotLevelSupported(DotLevel::kAvx2Fma) ? DotLevel::kAvx2Fma : DotLevel::kGeneric;
  }();
  return level;
}

DotFn DotKernel(DotLevel level) {
  return level == DotLevel::kAvx2Fma ? &DotAvx2Fma : &DotGeneric;
}

const char* DotLevelName(DotLevel level) {
  return level == DotLevel::kAvx2Fma ? "avx2+fma" : "generic";
}

}  // namespace techmatch::internal
