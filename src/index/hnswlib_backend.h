// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The hnswlib 0.6.2 backend of DenseIndex ("HNSWLIB,M=16,efC=200").

#ifndef TECHMATCH_INDEX_HNSWLIB_BACKEND_H_
#define TECHMATCH_INDEX_HNSWLIB_BACKEND_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "index/vector_store.h"
#include "techmatch/status.h"

namespace techmatch::internal {

struct HnswlibParams {
  size_t M = 16;                 ///< graph degree (level 0 holds 2 * M)
  size_t ef_construction = 200;  ///< candidate list size while building
};

/// True if `spec` names the hnswlib backend: "HNSWLIB" or "HNSWLIB,...".
bool IsHnswlibSpec(std::string_view spec);
/// Parses "HNSWLIB[,M=m][,efC=e]" (any order, each at most once);
/// InvalidArgument naming the bad parameter.
Result<HnswlibParams> ParseHnswlibSpec(std::string_view spec);
/// The canonical spec, e.g. "HNSWLIB,M=16,efC=200".
std::string HnswlibSpecString(const HnswlibParams& params);

/// Which hnswlib graph layout a blob has.
enum class HnswlibLayout {
  /// hnswlib's own: each element's vector beside its links (dense index
  /// payload version 1). Read only: such a graph is converted on load.
  kWithVectors,
  /// No vectors in the graph: an element holds its links and its label
  /// (the store position), and distances read the store's rows (payload
  /// version 2 on).
  kLabelsOnly,
};

/// A hnswlib::HierarchicalNSW<float> whose labels are store positions and
/// which keeps no copy of the vectors: its distance (1 - <a, b>, the
/// kernel chosen for this CPU) reads label L's vector from store->row(L)
/// (one copy of the vectors, in the store; the graph holds 4 * 2 * M + 12
/// bytes per element instead of that plus 4 * dim). `store` must outlive
/// the graph, and its rows must hold the labels' vectors whenever the
/// graph searches or adds. Every hnswlib exception becomes
/// Status::Internal. The graph's own ef is kept at 1: each search passes
/// its candidate list size as max(fetch, ef), so const searches never
/// depend on (or change) shared state.
///
/// Thread-safety: Search() and the other const methods may run
/// concurrently; everything else needs exclusive access.
class HnswlibIndex {
 public:
  ~HnswlibIndex();
  HnswlibIndex(const HnswlibIndex&) = delete;
  HnswlibIndex& operator=(const HnswlibIndex&) = delete;

  /// A graph over every row of `store`, labelled by position, built on
  /// `threads` threads in hnswlib's own layout (each vector copied beside
  /// its links, where hnswlib's search loops prefetch it: the graph builds
  /// ~20% faster than one reading the store's rows, measured at 100k) and
  /// then moved into this class's layout, the copies freed.
  static Result<std::unique_ptr<HnswlibIndex>> Build(const VectorStore* store,
                                                     const HnswlibParams& params,
                                                     int threads);

  /// Adds labels first_label .. first_label + n - 1 over `threads`
  /// threads, growing the capacity first if needed. Their vectors are
  /// `pending` (n rows of dim floats, not yet in the store), or with a
  /// null `pending` the store's rows of those labels. On failure some
  /// labels may have been added (count() tells).
  Status Add(size_t first_label, size_t n, const float* pending, int threads);
  /// Marks a label deleted: searches no longer return it.
  Status MarkDeleted(size_t label);
  bool IsDeleted(size_t label) const;

  /// The labels of the (up to) `fetch` nearest non-deleted elements, best
  /// first, searching with a candidate list of max(fetch, ef).
  Status Search(const float* query, size_t fetch, size_t ef,
                std::vector<size_t>* labels) const;

  size_t count() const;  ///< elements added (deleted ones included)
  /// Heap bytes: the level-0 block as allocated (capacity), the upper-level
  /// link lists, per-element locks, levels and the label map (estimated).
  size_t memory_bytes() const;

  /// Appends the graph in hnswlib's saveIndex() format, kLabelsOnly layout
  /// (written from memory: no temporary file).
  Status Serialize(std::string* out) const;
  /// Validates `blob` (header against the layout, dim and params and
  /// expected_count; link lists, levels, labels: each label in
  /// [0, expected_count) once) and builds the graph from it in memory
  /// (a kWithVectors blob drops its vectors: `store` holds the same
  /// ones). Corruption on any mismatch.
  static Result<std::unique_ptr<HnswlibIndex>> Deserialize(
      std::string_view blob, HnswlibLayout layout, const VectorStore* store,
      const HnswlibParams& params, size_t expected_count);

 private:
  struct Rep;
  explicit HnswlibIndex(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

/// Capacity reserved for n elements: room for a quarter more (at least
/// 1024) before Add() resizes, which copies only links and labels.
inline size_t HnswlibCapacity(size_t n) {
  return n + (n / 4 > 1024 ? n / 4 : 1024);
}

}  // namespace techmatch::internal

#endif  // TECHMATCH_INDEX_HNSWLIB_BACKEND_H_
