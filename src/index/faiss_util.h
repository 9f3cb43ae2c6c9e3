// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Thin, exception-free helpers around the Faiss 1.7.3 calls DenseIndex uses.

#ifndef TECHMATCH_INDEX_FAISS_UTIL_H_
#define TECHMATCH_INDEX_FAISS_UTIL_H_

#include <faiss/Index.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVF.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>

#include "index/vector_store.h"
#include "techmatch/dense_index.h"
#include "techmatch/status.h"
#include "util/catch_all.h"

namespace techmatch::internal {

using FaissIdx = faiss::Index::idx_t;  // Faiss 1.7.3 has no faiss::idx_t

/// Runs fn() and turns any exception (Faiss's included) into
/// Status::Internal("<what>: <message>"). Faiss reports misuse and I/O
/// errors by throwing faiss::FaissException.
template <typename Fn>
Status FaissCall(std::string_view what, Fn&& fn) {
  return CatchAll(what, std::forward<Fn>(fn));
}

/// A Faiss index over store positions (its ids are 0..ntotal-1), with the
/// IVF or HNSW core located for per-query parameters.
struct FaissIndex {
  std::unique_ptr<faiss::Index> index;
  faiss::IndexIVF* ivf = nullptr;    // the IVF core, possibly pre-transformed
  faiss::IndexHNSW* hnsw = nullptr;  // the HNSW core, possibly pre-transformed
  /// Faiss scores are exact inner products (IVF-Flat, HNSW-Flat, no
  /// transform). Otherwise searches fetch kRerankFactor * k candidates and
  /// rerank them with the stored vectors.
  bool exact_scores = false;

  /// Takes ownership of `index` and locates its core.
  explicit FaissIndex(std::unique_ptr<faiss::Index> index);
};

/// index_factory(dim, spec, METRIC_INNER_PRODUCT), refusing id-mapping
/// wrappers (DenseIndex gives Faiss positions, and Faiss 1.7.3 cannot filter
/// through IndexIDMap). InvalidArgument names the spec when Faiss rejects it.
Result<std::unique_ptr<FaissIndex>> NewFaissIndex(size_t dim,
                                                  const std::string& spec);

/// is_member(pos) = the position is live and the filter (if any) allows
/// its id. A filter that throws makes the position a non-member and sets
/// failed(), since an exception must not unwind through Faiss's OpenMP
/// regions.
class PositionSelector final : public faiss::IDSelector {
 public:
  PositionSelector(const VectorStore& store, const DenseFilter* filter)
      : store_(store), filter_(filter) {}
  bool is_member(idx_t pos) const override;
  bool failed() const { return failed_.load(std::memory_order_relaxed); }

 private:
  const VectorStore& store_;
  const DenseFilter* filter_;
  mutable std::atomic<bool> failed_{false};
};

/// Candidates fetched per wanted result from an index with approximate
/// scores (quantized codes, transforms), before the exact rerank.
inline constexpr size_t kRerankFactor = 4;

/// Per-query settings for one approximate search.
struct FaissQuery {
  size_t k = 10;
  int nprobe = 1;                               // IVF only
  int ef_search = 16;                           // HNSW only
  const faiss::IDSelector* selector = nullptr;  // null: every position
};

/// Searches one query (d floats, normalized) with the right
/// SearchParameters subclass. Fills scores/labels (k each, label -1 where
/// fewer were found). Single-query searches run on the calling thread.
Status FaissSearchOne(const FaissIndex& index, const float* query,
                      const FaissQuery& params, float* scores,
                      FaissIdx* labels);

/// Appends faiss::write_index(index) to *out.
Status SerializeFaissIndex(const faiss::Index& index, std::string* out);
/// Bytes faiss::write_index would produce (counted, not materialized);
/// 0 if Faiss cannot serialize the index.
size_t SerializedFaissSize(const faiss::Index& index);
/// faiss::read_index over `blob`, after checking the header's dimension and
/// vector count against the expected ones; then checks the structure (list
/// ids, graph links) against ntotal. Corruption on any mismatch.
Result<std::unique_ptr<FaissIndex>> DeserializeFaissIndex(std::string_view blob,
                                                          size_t dim,
                                                          size_t ntotal);

}  // namespace techmatch::internal

#endif  // TECHMATCH_INDEX_FAISS_UTIL_H_
