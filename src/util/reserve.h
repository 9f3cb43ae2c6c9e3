// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// ReserveGrowing: reserve room for more elements without losing amortized
// growth.

#ifndef TECHMATCH_UTIL_RESERVE_H_
#define TECHMATCH_UTIL_RESERVE_H_

#include <algorithm>
#include <cstddef>
#include <unordered_map>
#include <vector>

namespace techmatch::internal {

// `v.reserve(v.size() + 1)` before each single add reallocates and copies
// the whole container every time (reserve gives exactly what is asked),
// so a service adding records one at a time pays O(n) per add: at 17k
// records and 256-d vectors, ~0.5 s per write. These grow by a quarter at
// least instead (at most 25% slack), so each element is copied O(1) times.

/// Capacity for at least `n` elements.
template <typename T, typename A>
void ReserveGrowing(std::vector<T, A>& v, size_t n) {
  if (n <= v.capacity()) return;
  v.reserve(std::max(n, v.capacity() + v.capacity() / 4));
}

/// Buckets for at least `n` elements. (libstdc++'s reserve(n) rehashes to
/// the bucket count for n even when that is smaller than the current one:
/// reserve(size() + 1) rehashed the whole map on every add.)
template <typename K, typename V, typename H, typename E, typename A>
void ReserveGrowing(std::unordered_map<K, V, H, E, A>& m, size_t n) {
  if (double(n) <= double(m.bucket_count()) * double(m.max_load_factor())) return;
  m.reserve(std::max(n, m.size() + m.size() / 4));
}

}  // namespace techmatch::internal

#endif  // TECHMATCH_UTIL_RESERVE_H_
