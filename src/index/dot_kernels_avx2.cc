// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The AVX2/FMA inner product, in a translation unit of its own: only this
// function carries the target attribute, and callers reach it through
// DotKernel() after a CPU check (dot_kernels.cc).

#include "index/dot_kernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TECHMATCH_DOT_AVX2 1
#endif

namespace techmatch::internal {

#ifdef TECHMATCH_DOT_AVX2

__attribute__((target("avx2,fma"))) float DotAvx2Fma(const float* a, const float* b,
                                                     size_t dim) {
  // Four accumulators of 8 floats: 32 products per iteration, no FMA waits
  // on the previous one.
  __m256 s0 = _mm256_setzero_ps();
  __m256 s1 = _mm256_setzero_ps();
  __m256 s2 = _mm256_setzero_ps();
  __m256 s3 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= dim; i += 32) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
    s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
  }
  for (; i + 8 <= dim; i += 8) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  }
  const __m256 s = _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3));
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  h = _mm_add_ss(h, _mm_movehdup_ps(h));
  float sum = _mm_cvtss_f32(h);
  for (; i < dim; ++i) sum += a[i] * b[i];
  return sum;
}

#else

float DotAvx2Fma(const float* a, const float* b, size_t dim) {
  float sum = 0;
  for (size_t i = 0; i < dim; ++i) sum += a[i] * b[i];
  return sum;
}

#endif

}  // namespace techmatch::internal
