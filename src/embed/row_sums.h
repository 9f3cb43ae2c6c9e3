// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Weighted sums of matrix rows (out += sum_i w_i * row_i): the inner loop of
// the LSA projection and of the SVD's sparse-times-dense products, with
// kernels chosen at run time by CPU.

#ifndef TECHMATCH_EMBED_ROW_SUMS_H_
#define TECHMATCH_EMBED_ROW_SUMS_H_

#include <cstddef>
#include <cstdint>

namespace techmatch::internal {

/// out[j] += weights[i] * rows[i][j] for i in [0, n) in order, j < dim.
/// Every term is a multiply and then an add, never a fused multiply-add,
/// so each level gives the same bits (and the same bits as the Eigen
/// expression `out += w * row` each replaces, on x86-64). The kernels
/// prefetch the rows a few steps ahead: the rows are scattered over
/// matrices far larger than the caches, and waiting for them was most of
/// the time.
using RowSumFn = void (*)(const float* const* rows, const float* weights, size_t n,
                          size_t dim, float* out);

/// Asks for a row's cache lines (dim floats) ahead of its use; both kernels
/// call it for the row kRowSumAhead steps on.
constexpr size_t kRowSumAhead = 4;
inline void PrefetchRow(const float* row, size_t dim) {
  const char* p = reinterpret_cast<const char*>(row);
  for (size_t b = 0; b < dim * sizeof(float); b += 64) __builtin_prefetch(p + b);
}

/// Portable (SSE2 on x86-64).
void RowSumGeneric(const float* const* rows, const float* weights, size_t n,
                   size_t dim, float* out);
/// 8-wide AVX (row_sums_avx.cc); chosen where the DotLevel check of
/// index/dot_kernels.h finds AVX2 and FMA (which imply AVX).
void RowSumAvx(const float* const* rows, const float* weights, size_t n, size_t dim,
               float* out);

/// The kernel for this CPU (BestDotLevel(): TECHMATCH_SIMD=generic forces
/// the portable one). Decided once per process.
RowSumFn BestRowSum();

/// out[0, dim) += sum of weight(i) * matrix[id(i) * stride ...] over the
/// n entries, in order, by the best kernel. `ids` and `weights` are read
/// through the callables so that CSR arrays and (id, weight) pairs both
/// serve without a copy of the whole list.
template <typename IdAt, typename WeightAt>
void AddWeightedRows(const float* matrix, size_t stride, size_t n, IdAt id_at,
                     WeightAt weight_at, size_t dim, float* out) {
  constexpr size_t kBatch = 64;
  const float* rows[kBatch];
  float weights[kBatch];
  const RowSumFn kernel = BestRowSum();
  for (size_t begin = 0; begin < n; begin += kBatch) {
    const size_t count = n - begin < kBatch ? n - begin : kBatch;
    for (size_t i = 0; i < count; ++i) {
      rows[i] = matrix + size_t(id_at(begin + i)) * stride;
      weights[i] = weight_at(begin + i);
    }
    kernel(rows, weights, count, dim, out);
  }
}

}  // namespace techmatch::internal

#endif  // TECHMATCH_EMBED_ROW_SUMS_H_
