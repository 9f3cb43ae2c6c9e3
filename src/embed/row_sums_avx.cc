// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The 8-wide row sum, in a translation unit of its own: only this function
// carries the target attribute, and callers reach it through BestRowSum()
// after a CPU check. The target is "avx" without "fma" on purpose: GCC may
// fuse a vector multiply and add when FMA is enabled, and the kernel must
// give the portable kernel's bits.

#include "embed/row_sums.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TECHMATCH_ROW_SUM_AVX 1
#endif

namespace techmatch::internal {

#ifdef TECHMATCH_ROW_SUM_AVX

__attribute__((target("avx"))) void RowSumAvx(const float* const* rows,
                                              const float* weights, size_t n,
                                              size_t dim, float* out) {
  for (size_t i = 0; i < n; ++i) {
    if (i + kRowSumAhead < n) PrefetchRow(rows[i + kRowSumAhead], dim);
    const float* row = rows[i];
    const float w = weights[i];
    const __m256 wv = _mm256_set1_ps(w);
    size_t j = 0;
    for (; j + 8 <= dim; j += 8) {
      _mm256_storeu_ps(out + j, _mm256_add_ps(_mm256_loadu_ps(out + j),
                                              _mm256_mul_ps(wv, _mm256_loadu_ps(row + j))));
    }
    for (; j < dim; ++j) out[j] += w * row[j];
  }
}

#else

void RowSumAvx(const float* const* rows, const float* weights, size_t n, size_t dim,
               float* out) {
  RowSumGeneric(rows, weights, n, dim, out);
}

#endif

}  // namespace techmatch::internal
