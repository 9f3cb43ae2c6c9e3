// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "index/vector_store.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "util/reserve.h"

namespace techmatch::internal {

void VectorStore::Reserve(size_t extra) {
  const size_t n = positions() + extra;
  ReserveGrowing(vectors_, n * dim_);
  ReserveGrowing(ids_, n);
  ReserveGrowing(dead_, (n + 63) / 64);
  ReserveGrowing(map_, live() + extra);
}

size_t VectorStore::Append(uint64_t id, const float* vector) {
  const size_t pos = positions();
  vectors_.insert(vectors_.end(), vector, vector + dim_);
  ids_.push_back(id);
  if ((pos & 63) == 0) dead_.push_back(0);
  map_.emplace(id, pos);
  return pos;
}

void VectorStore::Kill(size_t pos) {
  dead_[pos >> 6] |= uint64_t{1} << (pos & 63);
  map_.erase(ids_[pos]);
}

void VectorStore::Compact() {
  if (dead() == 0) return;
  size_t out = 0;
  for (size_t pos = 0; pos < positions(); ++pos) {
    if (!is_live(pos)) continue;
    if (out != pos) {
      std::memmove(vectors_.data() + out * dim_, row(pos),
                   dim_ * sizeof(float));
      ids_[out] = ids_[pos];
      map_.find(ids_[out])->second = out;  // the id is live: it is mapped
    }
    ++out;
  }
  vectors_.resize(out * dim_);
  ids_.resize(out);
  dead_.assign((out + 63) / 64, 0);
}

bool VectorStore::Assign(std::vector<uint64_t> ids, std::vector<uint64_t> dead,
                         std::vector<float> vectors) {
  vectors_ = std::move(vectors);
  ids_ = std::move(ids);
  dead_ = std::move(dead);
  map_.clear();
  map_.reserve(ids_.size());
  for (size_t pos = 0; pos < ids_.size(); ++pos) {
    if (is_live(pos) && !map_.emplace(ids_[pos], pos).second) {
      *this = VectorStore(dim_);
      return false;
    }
  }
  return true;
}

size_t VectorStore::memory_bytes() const {
  // libstdc++ allocates one node per element: next pointer, key, value and
  // (for a non-trivial hash) nothing more; malloc adds ~16 bytes per block.
  constexpr size_t kNodeBytes =
      sizeof(void*) + sizeof(uint64_t) + sizeof(size_t) + 16;
  return vectors_.capacity() * sizeof(float) +
         ids_.capacity() * sizeof(uint64_t) +
         dead_.capacity() * sizeof(uint64_t) + map_.size() * kNodeBytes +
         map_.bucket_count() * sizeof(void*);
}

}  // namespace techmatch::internal
