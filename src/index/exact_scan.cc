// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "index/exact_scan.h"

#include <Eigen/Core>

#include "index/omp_threads.h"

namespace techmatch::internal {
namespace {

using RowMatrix =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRowMap = Eigen::Map<const RowMatrix>;
using ConstVecMap = Eigen::Map<const Eigen::VectorXf>;

}  // namespace

float Dot(const float* a, const float* b, size_t dim) {
  const auto n = Eigen::Index(dim);
  return ConstVecMap(a, n).dot(ConstVecMap(b, n));
}

void ScoreRows(const VectorStore& store, const float* query, size_t begin,
               size_t end, float* out) {
  const auto rows = Eigen::Index(end - begin);
  const auto dim = Eigen::Index(store.dim());
  Eigen::Map<Eigen::VectorXf>(out, rows).noalias() =
      ConstRowMap(store.row(begin), rows, dim) * ConstVecMap(query, dim);
}

void ScanPositions(const VectorStore& store, const float* query,
                   const std::vector<size_t>& positions, TopK* top) {
  const size_t dim = store.dim();
  for (size_t pos : positions) {
    const float s = Dot(store.row(pos), query, dim);
    if (top->full() && s < top->min_score()) continue;
    top->Push(s, store.id(pos), pos);
  }
}

void ScanAllBatch(const VectorStore& store, const float* queries, size_t nq,
                  TopK* tops) {
  // Eigen parallelizes large matrix products with OpenMP; callers already
  // spread queries over threads, so keep each product on this thread.
  ScopedOmpThreads one_thread(1);
  constexpr size_t kBlock = 1024;  // rows per product: 1024 x nq scores
  const auto dim = Eigen::Index(store.dim());
  const size_t n = store.positions();
  const ConstRowMap q(queries, Eigen::Index(nq), dim);
  RowMatrix scores;
  for (size_t begin = 0; begin < n; begin += kBlock) {
    const size_t end = std::min(n, begin + kBlock);
    const auto rows = Eigen::Index(end - begin);
    scores.noalias() = q * ConstRowMap(store.row(begin), rows, dim).transpose();
    for (size_t i = 0; i < nq; ++i) {
      const float* s = scores.data() + i * size_t(rows);
      TopK& top = tops[i];
      for (size_t pos = begin; pos < end; ++pos) {
        const float v = s[pos - begin];
        if (top.full() && v < top.min_score()) continue;
        if (!store.is_live(pos)) continue;
        top.Push(v, store.id(pos), pos);
      }
    }
  }
}

}  // namespace techmatch::internal
