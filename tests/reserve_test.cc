// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "util/reserve.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace techmatch::internal {
namespace {

TEST_CASE("reserve: one-at-a-time reserves grow geometrically", "[reserve]") {
  std::vector<float> v;
  size_t reallocations = 0;
  for (size_t n = 1; n <= 100000; ++n) {
    const size_t before = v.capacity();
    ReserveGrowing(v, n);
    reallocations += v.capacity() != before ? 1 : 0;
    CHECK(v.capacity() >= n);
    v.push_back(1.0f);
  }
  // Growth by a quarter: about log(100000) / log(1.25) ~ 52 reallocations
  // (plain reserve(n) would make 100000).
  CHECK(reallocations < 70);
  CHECK(v.capacity() <= 100000 + 100000 / 4 + 1);
}

TEST_CASE("reserve: maps are not rehashed on every add, nor shrunk", "[reserve]") {
  std::unordered_map<uint64_t, size_t> m;
  size_t rehashes = 0;
  for (uint64_t i = 0; i < 50000; ++i) {
    const size_t before = m.bucket_count();
    ReserveGrowing(m, m.size() + 1);
    CHECK(m.bucket_count() >= before);
    rehashes += m.bucket_count() != before ? 1 : 0;
    m.emplace(i, size_t(i));
    CHECK(m.bucket_count() * m.max_load_factor() >= double(m.size()));
  }
  CHECK(rehashes < 70);
}

}  // namespace
}  // namespace techmatch::internal
