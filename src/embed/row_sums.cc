// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "embed/row_sums.h"

#include "index/dot_kernels.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace techmatch::internal {

void RowSumGeneric(const float* const* rows, const float* weights, size_t n,
                   size_t dim, float* out) {
  for (size_t i = 0; i < n; ++i) {
    if (i + kRowSumAhead < n) PrefetchRow(rows[i + kRowSumAhead], dim);
    const float* row = rows[i];
    const float w = weights[i];
    size_t j = 0;
#if defined(__SSE2__)
    const __m128 wv = _mm_set1_ps(w);
    for (; j + 4 <= dim; j += 4) {
      _mm_storeu_ps(out + j, _mm_add_ps(_mm_loadu_ps(out + j),
                                        _mm_mul_ps(wv, _mm_loadu_ps(row + j))));
    }
#endif
    for (; j < dim; ++j) out[j] += w * row[j];
  }
}

RowSumFn BestRowSum() {
  static const RowSumFn kernel =
      BestDotLevel() == DotLevel::kAvx2Fma ? &RowSumAvx : &RowSumGeneric;
  return kernel;
}

}  // namespace techmatch::internal
