// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// U64Map: a flat open-addressing map from 64-bit keys to 32-bit values.

#ifndef TECHMATCH_UTIL_U64_MAP_H_
#define TECHMATCH_UTIL_U64_MAP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace techmatch::internal {

/// Linear probing over one array of keys and one of values, for hot look-ups
/// over millions of term keys (a node-based std::unordered_map costs a
/// cache miss per node). Keys must not equal kEmpty. Insert-only.
/// Thread-safety: concurrent Find() calls are safe; Insert needs exclusive
/// access.
class U64Map {
 public:
  static constexpr uint64_t kEmpty = ~uint64_t{0};

  explicit U64Map(size_t expected = 0) { Reserve(expected); }

  void Reserve(size_t n) {
    size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    if (cap > keys_.size()) Rehash(cap);
  }

  /// Inserts key -> value unless key is present; returns the stored value.
  uint32_t Insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 2 > keys_.size()) Rehash(keys_.size() * 2);
    size_t i = Slot(key);
    while (keys_[i] != kEmpty) {
      if (keys_[i] == key) return values_[i];
      i = (i + 1) & mask_;
    }
    keys_[i] = key;
    values_[i] = value;
    ++size_;
    return value;
  }

  /// The value of key, or `missing`.
  uint32_t Find(uint64_t key, uint32_t missing) const {
    size_t i = Slot(key);
    while (keys_[i] != kEmpty) {
      if (keys_[i] == key) return values_[i];
      i = (i + 1) & mask_;
    }
    return missing;
  }

  size_t size() const { return size_; }
  size_t memory_bytes() const { return keys_.size() * 12; }

 private:
  size_t Slot(uint64_t key) const {
    return size_t((key * 0x9E3779B97F4A7C15ull) >> 17) & mask_;
  }
  void Rehash(size_t cap) {
    std::vector<uint64_t> old_keys(cap, kEmpty);
    std::vector<uint32_t> old_values(cap, 0);
    old_keys.swap(keys_);
    old_values.swap(values_);
    mask_ = cap - 1;
    size_ = 0;
    for (size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] != kEmpty) Insert(old_keys[i], old_values[i]);
    }
  }

  std::vector<uint64_t> keys_;
  std::vector<uint32_t> values_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_UTIL_U64_MAP_H_
