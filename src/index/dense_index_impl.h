// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// DenseIndex::Impl, shared by dense_index{,_search,_io}.cc.

#ifndef TECHMATCH_INDEX_DENSE_INDEX_IMPL_H_
#define TECHMATCH_INDEX_DENSE_INDEX_IMPL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "index/exact_scan.h"
#include "index/faiss_util.h"
#include "index/hnswlib_backend.h"
#include "index/vector_store.h"
#include "techmatch/dense_index.h"

namespace techmatch {

namespace internal {

/// "auto" builds an exact index below this many live vectors.
inline constexpr size_t kAutoFlatMaxVectors = 10000;
/// Vectors sampled per filtered search to estimate the filter's
/// selectivity.
inline constexpr size_t kSelectivitySamples = 2000;
/// Default-parameter tuning at Build(): sampled stored vectors used as
/// queries, the k of the recall measured, and the recall wanted.
inline constexpr size_t kTuneQueries = 400;
inline constexpr size_t kTuneK = 10;
inline constexpr double kTuneTargetRecall = 0.97;
/// Graph indexes (HNSW, hnswlib) aim higher: held-out stored vectors lie on
/// the graph's manifold, real queries (short titles, keyword lists) do not.
/// Measured at 1M csl-like records (hnswlib M=16): a target of 0.97 here
/// chose ef 128, 0.949 on real queries; 0.99 chose ef 1024, 0.992.
inline constexpr double kTuneTargetRecallGraph = 0.98;

/// Normalizes `in` (dim floats) into `out`; InvalidArgument naming `what`
/// (e.g. "id 42", "query") for NaN, Inf or all zeros.
Status NormalizeVector(const float* in, size_t dim, const std::string& what,
                       float* out);

}  // namespace internal

struct DenseIndex::Impl {
  explicit Impl(const DenseIndexOptions& opts)
      : options(opts), store(opts.dim) {}

  DenseIndexOptions options;
  internal::VectorStore store;
  /// Build() has run: `resolved_spec` names the structure in use.
  bool built = false;
  std::string resolved_spec;
  /// The approximate structure, over store positions; null while searches
  /// are exact (before Build(), or when the spec resolved to "Flat").
  std::unique_ptr<internal::FaissIndex> faiss;
  /// The hnswlib graph ("HNSWLIB" specs), over store positions; at most one
  /// of `faiss` and `hnsw` is set.
  std::unique_ptr<internal::HnswlibIndex> hnsw;
  int default_nprobe = 0;     // IVF: tuned at Build()
  int default_ef_search = 0;  // HNSW / HNSWLIB: tuned at Build()

  /// An approximate structure is in use (searches are not all exact).
  bool approximate() const { return faiss != nullptr || hnsw != nullptr; }
  /// Drops the approximate structure after a failed update: searches
  /// become exact until the next Build().
  void DropApproximate() {
    faiss.reset();
    hnsw.reset();
    built = false;
    resolved_spec.clear();
  }

  // ---- mutation (dense_index.cc) ----
  Status Insert(const std::vector<uint64_t>& ids, VectorView vectors,
                bool upsert);
  /// Compacts when the tombstones exceed options.max_tombstone_ratio.
  Status MaybeCompact();
  /// Drops the tombstoned rows from the store and, keeping its training,
  /// re-adds the live rows to the Faiss index.
  Status Compact();
  Status Build();
  /// Build() for "HNSWLIB" specs.
  Status BuildHnswlib(const std::string& spec);
  /// Tombstones a live position in the store and the hnswlib graph.
  Status Kill(size_t pos);
  /// Picks default_nprobe / default_ef_search for the built index.
  Status TuneDefaults();
  std::string Description() const;

  // ---- search (dense_index_search.cc) ----
  /// One query, already normalized.
  Result<std::vector<DenseHit>> Search(const float* query,
                                       const DenseSearchOptions& opt) const;
  /// Exact top-k of the positions that are live and pass `filter`.
  std::vector<internal::ScoredPos> ExactScan(const float* query, size_t k,
                                             const DenseFilter* filter) const;
  /// Approximate top-k through Faiss; `selectivity` (0, 1] scales the
  /// search effort up for filtered searches.
  Result<std::vector<internal::ScoredPos>> FaissSearch(
      const float* query, size_t k, const DenseSearchOptions& opt,
      const DenseFilter* filter, double selectivity) const;
  /// Approximate top-k through hnswlib (see docs/dense_index.md).
  Result<std::vector<internal::ScoredPos>> HnswlibSearch(
      const float* query, size_t k, const DenseSearchOptions& opt,
      const DenseFilter* filter, double selectivity) const;
  /// Estimated share of live positions `filter` allows (sampled).
  double EstimateSelectivity(const DenseFilter& filter) const;
  /// Final result: the best k of `hits` by exact score (ties by id).
  std::vector<DenseHit> Finish(const float* query,
                               std::vector<internal::ScoredPos> hits,
                               size_t k) const;
  /// Candidates to fetch from Faiss for k results (see kRerankFactor).
  size_t FetchCount(size_t k) const;
};

}  // namespace techmatch

#endif  // TECHMATCH_INDEX_DENSE_INDEX_IMPL_H_
