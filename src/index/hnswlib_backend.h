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

/// A hnswlib::HierarchicalNSW<float> over InnerProductSpace(dim), whose
/// labels are store positions. Every hnswlib exception becomes
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

  /// An empty graph with room for `capacity` elements.
  static Result<std::unique_ptr<HnswlibIndex>> Create(
      size_t dim, const HnswlibParams& params, size_t capacity);

  /// Adds rows[i] (dim floats each) under label first_label + i, over
  /// `threads` threads, growing the capacity first if needed. On failure
  /// some rows may have been added (count() tells).
  Status Add(const std::vector<const float*>& rows, size_t first_label,
             int threads);
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

  /// Appends the bytes of hnswlib's saveIndex() (written to and read back
  /// from a temporary file, removed on every path).
  Status Serialize(std::string* out) const;
  /// Validates `blob` (header against dim / params / expected_count, link
  /// lists, levels, labels: each label in [0, expected_count) once) before
  /// hnswlib parses it from a temporary file. Corruption on any mismatch.
  static Result<std::unique_ptr<HnswlibIndex>> Deserialize(
      std::string_view blob, size_t dim, const HnswlibParams& params,
      size_t expected_count);

 private:
  struct Rep;
  explicit HnswlibIndex(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

/// Capacity reserved for n elements (room to add without resizing).
inline size_t HnswlibCapacity(size_t n) {
  return n * 2 > n + 1024 ? n * 2 : n + 1024;
}

}  // namespace techmatch::internal

#endif  // TECHMATCH_INDEX_HNSWLIB_BACKEND_H_
