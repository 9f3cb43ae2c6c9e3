// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// VectorStore: the dense index's own copy of its vectors, ids and tombstones.

#ifndef TECHMATCH_INDEX_VECTOR_STORE_H_
#define TECHMATCH_INDEX_VECTOR_STORE_H_

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace techmatch::internal {

/// Row-major float vectors addressed by position (0, 1, 2, ... in insertion
/// order), the id of each position, an id -> position map for the live
/// positions, and a tombstone bit per position.
///
/// A position is never reused: removing an id only sets its tombstone, so
/// positions stay aligned with the ids a Faiss index was given. Compact()
/// renumbers the live rows to 0..live()-1 in their old order; adding those
/// rows to a fresh Faiss index in that order reproduces the numbering.
///
/// Thread-safety: const methods may run concurrently; the rest need
/// exclusive access.
class VectorStore {
 public:
  static constexpr size_t kNoPosition = ~size_t{0};

  explicit VectorStore(size_t dim) : dim_(dim) {}

  size_t dim() const { return dim_; }
  /// Rows held, live or not (== the Faiss index's ntotal once built).
  size_t positions() const { return ids_.size(); }
  size_t live() const { return map_.size(); }
  size_t dead() const { return positions() - live(); }

  const float* row(size_t pos) const { return vectors_.data() + pos * dim_; }
  const float* data() const { return vectors_.data(); }
  uint64_t id(size_t pos) const { return ids_[pos]; }
  bool is_live(size_t pos) const {
    return (dead_[pos >> 6] >> (pos & 63) & 1) == 0;
  }
  /// The live position of `id`, or kNoPosition.
  size_t Find(uint64_t id) const {
    auto it = map_.find(id);
    return it == map_.end() ? kNoPosition : it->second;
  }

  /// Makes room for `extra` more rows so that the next `extra` Append()
  /// calls cannot throw. May throw std::bad_alloc itself.
  void Reserve(size_t extra);
  /// Appends a row for an id that is not live; returns its position.
  size_t Append(uint64_t id, const float* vector);
  /// Tombstones a live position and forgets its id.
  void Kill(size_t pos);
  /// Drops the tombstoned rows and renumbers the live ones to
  /// 0..live()-1, keeping their order. Allocates nothing.
  void Compact();

  /// Restores a store from saved parts. `dead` holds one bit per position
  /// (bit p % 64 of word p / 64). Returns false, leaving the store empty,
  /// if a live id is repeated.
  bool Assign(std::vector<uint64_t> ids, std::vector<uint64_t> dead,
              std::vector<float> vectors);
  const std::vector<uint64_t>& ids() const { return ids_; }
  const std::vector<uint64_t>& dead_words() const { return dead_; }

  /// Estimated heap bytes: vectors, ids, tombstones and the hash map
  /// (nodes of key, value and next pointer plus allocator overhead, and the
  /// bucket array).
  size_t memory_bytes() const;

 private:
  size_t dim_;
  std::vector<float> vectors_;
  std::vector<uint64_t> ids_;
  std::vector<uint64_t> dead_;  // one bit per position, 1 = tombstone
  std::unordered_map<uint64_t, size_t> map_;  // live id -> position
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_INDEX_VECTOR_STORE_H_
