// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// DenseIndex: nearest-neighbour search over embeddings, on Faiss.

#ifndef TECHMATCH_DENSE_INDEX_H_
#define TECHMATCH_DENSE_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "techmatch/export.h"
#include "techmatch/status.h"
#include "techmatch/types.h"

namespace techmatch {

/// How a dense index is built. Plain struct; Create() validates it.
struct TECHMATCH_EXPORT_CLASS DenseIndexOptions {
  /// Vector dimension. Required (> 0).
  size_t dim = 0;

  /// The approximate index: "auto" (default: chosen from the number of
  /// vectors at Build() time, see docs/dense_index.md), "Flat" (exact), or
  /// any Faiss index_factory string such as "IVF4096,Flat",
  /// "IVF4096,SQ8" or "HNSW32,Flat", or "HNSWLIB[,M=16][,efC=200]" for
  /// an hnswlib graph. The metric is always inner product over
  /// L2-normalized vectors (cosine similarity).
  std::string spec = "auto";

  /// When removed or replaced vectors exceed this share of the index,
  /// Build() compacts (rebuilds without them). Default 0.2.
  double max_tombstone_ratio = 0.2;

  /// A filtered search whose filter allows at most this many vectors scans
  /// exactly those vectors instead of the approximate index. Default 20000.
  size_t exact_filter_max = 20000;

  /// Threads for Build() and batch searches (0 = all hardware threads).
  int threads = 0;

  /// Seed of the training sample (IVF). Default 1234.
  uint64_t seed = 1234;

  Status Validate() const;
};

/// Which ids a search may return. Implementations must be safe to call
/// from several threads at once.
class TECHMATCH_EXPORT_CLASS DenseFilter {
 public:
  virtual ~DenseFilter() = default;
  /// True if `id` may be returned.
  virtual bool Allows(uint64_t id) const = 0;
  /// The allowed ids, when the filter can list them cheaply (an allow-list);
  /// null otherwise. Lets selective filters be searched exactly.
  virtual const std::vector<uint64_t>* AllowedIds() const { return nullptr; }
};

/// A filter allowing exactly the given ids.
TECHMATCH_EXPORT std::unique_ptr<DenseFilter> MakeIdSetFilter(
    std::vector<uint64_t> ids);
/// A filter from a predicate (must be thread-safe).
TECHMATCH_EXPORT std::unique_ptr<DenseFilter> MakePredicateFilter(
    std::function<bool(uint64_t)> allows);

/// Per-query settings.
struct DenseSearchOptions {
  size_t k = 10;        ///< results wanted
  int nprobe = 0;       ///< IVF lists to probe; 0 = the index's default
  int ef_search = 0;    ///< HNSW candidate list size; 0 = the default
  const DenseFilter* filter = nullptr;  ///< null: every id may be returned
};

struct DenseHit {
  uint64_t id;
  float score;  ///< cosine similarity
};

/// A dense vector index with stable 64-bit ids.
///
/// Vectors are L2-normalized on the way in (queries too). The index keeps
/// its own copy of every vector (for exact filtered search, similarity
/// look-ups and rebuilds) beside the Faiss structure. Before the first
/// Build() every search is exact.
///
/// Thread-safety: const methods (searches, look-ups, Save) may run
/// concurrently; Add/Upsert/Remove/Build need exclusive access.
class TECHMATCH_EXPORT_CLASS DenseIndex {
 public:
  static Result<std::unique_ptr<DenseIndex>> Create(
      const DenseIndexOptions& options);
  ~DenseIndex();
  DenseIndex(const DenseIndex&) = delete;
  DenseIndex& operator=(const DenseIndex&) = delete;

  /// Adds new vectors. Fails without adding anything if an id is already
  /// present or repeated, the dimension is wrong, or a vector holds NaN,
  /// Inf or only zeros; the message names the offending id.
  Status Add(const std::vector<uint64_t>& ids, VectorView vectors);
  /// Adds or replaces.
  Status Upsert(const std::vector<uint64_t>& ids, VectorView vectors);
  /// Removes ids; NotFound (and nothing removed) if one is absent.
  Status Remove(const std::vector<uint64_t>& ids);
  /// Trains and builds the approximate index over the current vectors (and
  /// compacts removed ones away). Vectors added later go straight into it.
  Status Build();

  /// The k most similar live vectors (fewer only if fewer pass the filter).
  Result<std::vector<DenseHit>> Search(const float* query,
                                       const DenseSearchOptions& options) const;
  /// Many queries, in parallel.
  Status SearchBatch(VectorView queries, const DenseSearchOptions& options,
                     std::vector<std::vector<DenseHit>>* results) const;
  /// Cosine similarity of a stored vector and a query; NotFound if absent.
  Result<float> Similarity(uint64_t id, const float* query) const;
  /// Copies the stored (L2-normalized) vector of `id` into out[0..dim);
  /// NotFound if absent.
  Status GetVector(uint64_t id, float* out) const;

  bool Contains(uint64_t id) const;
  size_t size() const;  ///< live vectors
  size_t dim() const;
  /// The index in use, e.g. "IVF4096,Flat (nprobe 32)" or "Flat".
  std::string description() const;
  /// Bytes held in memory (vectors, ids, Faiss structure).
  size_t memory_bytes() const;

  /// Serializes the whole index (a payload for the snapshot format).
  Status Save(std::string* out) const;
  static Result<std::unique_ptr<DenseIndex>> Load(std::string_view bytes);

 private:
  struct Impl;
  explicit DenseIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace techmatch

#endif  // TECHMATCH_DENSE_INDEX_H_
