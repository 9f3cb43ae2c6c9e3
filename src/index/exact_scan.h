// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Exact (brute-force) inner-product top-k over a VectorStore.

#ifndef TECHMATCH_INDEX_EXACT_SCAN_H_
#define TECHMATCH_INDEX_EXACT_SCAN_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "index/vector_store.h"

namespace techmatch::internal {

struct ScoredPos {
  float score;
  uint64_t id;
  size_t pos;
};

/// The result order: higher score first, ties by lower id.
inline bool Better(const ScoredPos& a, const ScoredPos& b) {
  return a.score > b.score || (a.score == b.score && a.id < b.id);
}

/// The k best candidates pushed so far (a min-heap on Better()).
class TopK {
 public:
  explicit TopK(size_t k) : k_(k) { heap_.reserve(k); }

  size_t k() const { return k_; }
  size_t size() const { return heap_.size(); }
  bool full() const { return heap_.size() >= k_; }
  /// When full(), a candidate scoring below this cannot enter.
  float min_score() const {
    return heap_.empty() ? std::numeric_limits<float>::infinity()
                         : heap_.front().score;
  }

  void Push(float score, uint64_t id, size_t pos) {
    const ScoredPos c{score, id, pos};
    if (heap_.size() < k_) {
      heap_.push_back(c);
      std::push_heap(heap_.begin(), heap_.end(), Better);
    } else if (k_ > 0 && Better(c, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), Better);
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), Better);
    }
  }

  /// The candidates, best first. Leaves the heap empty.
  std::vector<ScoredPos> Take() {
    std::sort(heap_.begin(), heap_.end(), Better);
    return std::move(heap_);
  }

 private:
  size_t k_;
  std::vector<ScoredPos> heap_;
};

/// Inner product of two dim-vectors. Every score the index reports comes
/// from this function, so equal inputs give bit-identical scores.
float Dot(const float* a, const float* b, size_t dim);

/// out[i] = <row(begin + i), query> for rows [begin, end): one vectorized
/// matrix-vector product.
void ScoreRows(const VectorStore& store, const float* query, size_t begin,
               size_t end, float* out);

/// Exact top-k over every position of the store. `accept(pos)` decides
/// whether a position may be returned (liveness, filters); it is only
/// called for rows that score high enough to enter the current top-k.
template <typename Accept>
void ScanAll(const VectorStore& store, const float* query, TopK* top,
             Accept&& accept) {
  constexpr size_t kBlock = 1024;
  float scores[kBlock];
  const size_t n = store.positions();
  for (size_t begin = 0; begin < n; begin += kBlock) {
    const size_t end = std::min(n, begin + kBlock);
    ScoreRows(store, query, begin, end, scores);
    for (size_t pos = begin; pos < end; ++pos) {
      const float s = scores[pos - begin];
      if (top->full() && s < top->min_score()) continue;
      if (!accept(pos)) continue;
      top->Push(s, store.id(pos), pos);
    }
  }
}

/// Exact top-k over the given positions (all accepted).
void ScanPositions(const VectorStore& store, const float* query,
                   const std::vector<size_t>& positions, TopK* top);

/// Exact top-k of many queries (nq x dim, row-major) over every live
/// position, one matrix-matrix product per block of rows: several times
/// faster than nq separate scans. tops[i] receives query i's candidates.
/// Runs on the calling thread only.
void ScanAllBatch(const VectorStore& store, const float* queries, size_t nq,
                  TopK* tops);

}  // namespace techmatch::internal

#endif  // TECHMATCH_INDEX_EXACT_SCAN_H_
