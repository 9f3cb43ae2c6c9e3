// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for src/lexical/packed_docs.h: every access agrees with a plain
// vector of the same doc ids, for gaps of every width.

#include "lexical/packed_docs.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <vector>

namespace techmatch::internal {
namespace {

// n increasing doc ids whose gaps are drawn below 2^bits (bits 0:
// consecutive), starting at `first`.
std::vector<uint32_t> Docs(size_t n, unsigned bits, uint32_t first, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint32_t> docs;
  uint64_t doc = first;
  for (size_t i = 0; i < n && doc <= UINT32_MAX; ++i) {
    docs.push_back(uint32_t(doc));
    const uint64_t gap = bits == 0 ? 0 : rng() & ((uint64_t{1} << bits) - 1);
    doc += gap + 1;
  }
  return docs;
}

// Checks every accessor of `p` against `want`.
void CheckSame(const PackedDocs& p, const std::vector<uint32_t>& want) {
  REQUIRE(p.size() == want.size());
  REQUIRE(p.empty() == want.empty());
  REQUIRE(p.num_blocks() == (want.size() + 63) / 64);
  if (want.empty()) return;
  CHECK(p.front() == want.front());
  CHECK(p.back() == want.back());
  std::vector<uint32_t> all;
  p.CopyTo(&all);
  CHECK(all == want);
  std::vector<uint32_t> seen;
  p.ForEach([&](uint32_t d) { seen.push_back(d); });
  CHECK(seen == want);
  uint32_t buf[PackedDocs::kBlock];
  for (size_t b = 0; b < p.num_blocks(); ++b) {
    size_t n = 0;
    const uint32_t* d = p.Block(b, buf, &n);
    REQUIRE(n == std::min<size_t>(64, want.size() - 64 * b));
    CHECK(std::equal(d, d + n, want.begin() + ptrdiff_t(64 * b)));
    CHECK(p.first(b) == want[64 * b]);
  }
  std::mt19937 rng(7);
  for (int probe = 0; probe < 200; ++probe) {
    const size_t i = rng() % want.size();
    CHECK(p.At(i) == want[i]);
    CHECK(p.Find(want[i]) == ptrdiff_t(i));
    // A doc between two of the list is absent; BlockFor brackets any target.
    if (i + 1 < want.size() && want[i + 1] > want[i] + 1) {
      CHECK(p.Find(want[i] + 1) == -1);
    }
    const uint32_t target = uint32_t(rng());
    const size_t from = rng() % p.num_blocks();
    const size_t b = p.BlockFor(from, target);
    REQUIRE(b >= from);
    REQUIRE(b < p.num_blocks());
    const size_t lower =
        size_t(std::lower_bound(want.begin(), want.end(), target) - want.begin());
    if (want[64 * from] >= target) {
      CHECK(b == from);
    } else {
      CHECK(p.first(b) < target);
      // Every doc >= target at or after block `from` starts in block b or later,
      // and none of block b+1 on is below it.
      CHECK(lower >= 64 * b);
      CHECK(lower <= 64 * (b + 1));
    }
  }
  if (want.front() > 0) CHECK(p.Find(want.front() - 1) == -1);
  if (want.back() < UINT32_MAX) CHECK(p.Find(want.back() + 1) == -1);
}

TEST_CASE("packed docs: every gap width, packed and unpacked parts", "[lexical]") {
  for (unsigned bits : {0u, 1u, 2u, 3u, 5u, 8u, 13u, 17u, 24u, 31u}) {
    for (size_t n : {size_t(1), size_t(63), size_t(64), size_t(65), size_t(200),
                     size_t(64 * 70 + 17)}) {
      CAPTURE(bits, n);
      const std::vector<uint32_t> want = Docs(n, bits, 3, bits * 1000 + uint32_t(n));
      PackedDocs assigned;
      assigned.Assign(want.data(), want.size());
      CheckSame(assigned, want);
      // Appended one at a time, packed at uneven points.
      PackedDocs appended;
      for (size_t i = 0; i < want.size(); ++i) {
        appended.ReserveRaw(1);
        appended.push_back(want[i]);
        if (i % 97 == 5) appended.Pack();
      }
      CheckSame(appended, want);
      appended.Pack();
      CheckSame(appended, want);
      appended.ShrinkToFit();
      CheckSame(appended, want);
      CHECK(appended.memory_bytes() <= assigned.memory_bytes() + 4 * 64);
    }
  }
}

TEST_CASE("packed docs: the widest gaps and the largest doc ids", "[lexical]") {
  // A gap of 2^32 - 64 (width 32) and doc ids up to UINT32_MAX.
  std::vector<uint32_t> wide = {0, UINT32_MAX};
  for (uint32_t d = 1; wide.size() < 64; ++d) wide.insert(wide.end() - 1, d);
  PackedDocs p;
  p.Assign(wide.data(), wide.size());
  CheckSame(p, wide);
  std::vector<uint32_t> top;
  for (uint32_t d = UINT32_MAX - 129; top.size() < 130; ++d) top.push_back(d);
  p.Assign(top.data(), top.size());
  CheckSame(p, top);
  CHECK(p.back() == UINT32_MAX);
}

TEST_CASE("packed docs: packing shrinks a list of small gaps", "[lexical]") {
  const std::vector<uint32_t> want = Docs(64 * 1000, 3, 0, 1);  // gaps < 8: 3 bits
  PackedDocs p;
  p.Assign(want.data(), want.size());
  // 3-bit gaps: 4 lanes of 2 words and 9 header bytes per 64 docs, 41
  // bytes against 256.
  CHECK(p.memory_bytes() == want.size() / 64 * 41);
  p.clear();
  CHECK(p.empty());
  CHECK(p.memory_bytes() > 0);  // clear keeps capacity
  p.ShrinkToFit();
  CHECK(p.memory_bytes() == 0);
}

}  // namespace
}  // namespace techmatch::internal
