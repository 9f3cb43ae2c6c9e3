// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for src/io/crc32c.h.

#include "io/crc32c.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>

namespace techmatch::internal::crc32c {
namespace {

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

// A bit-at-a-time reference straight from the definition, to check the
// table and hardware paths against something with no tables to get wrong.
uint32_t Reference(const std::string& s) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : s) {
    crc ^= c;
    for (int k = 0; k < 8; ++k)
      crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

TEST_CASE("crc32c: standard test vectors", "[crc32c]") {
  // RFC 3720 (iSCSI) appendix B.4 and the usual check value.
  const std::string check = "123456789";
  const std::string zeros(32, '\0');
  const std::string ones(32, '\xFF');
  std::string ascending(32, '\0'), descending(32, '\0');
  for (int i = 0; i < 32; ++i) {
    ascending[i] = static_cast<char>(i);
    descending[i] = static_cast<char>(31 - i);
  }
  for (auto fn : {&Extend, &ExtendPortable, &ExtendHardware}) {
    CHECK(fn(0, check.data(), check.size()) == 0xE3069283u);
    CHECK(fn(0, zeros.data(), zeros.size()) == 0x8A9136AAu);
    CHECK(fn(0, ones.data(), ones.size()) == 0x62A8AB43u);
    CHECK(fn(0, ascending.data(), ascending.size()) == 0x46DD794Eu);
    CHECK(fn(0, descending.data(), descending.size()) == 0x113FDB5Cu);
    CHECK(fn(0, "", 0) == 0u);
  }
  CHECK(Value(check.data(), check.size()) == 0xE3069283u);
}

TEST_CASE("crc32c: values differ for different inputs", "[crc32c]") {
  CHECK(Value("a", 1) != Value("foo", 3));
  CHECK(Value("a", 1) != Value("b", 1));
}

TEST_CASE("crc32c: Extend equals Value of the concatenation", "[crc32c]") {
  const std::string data = RandomBytes(1000, 1);
  const uint32_t whole = Value(data.data(), data.size());
  for (size_t split = 0; split <= data.size(); split += 37) {
    const uint32_t a = Value(data.data(), split);
    CHECK(Extend(a, data.data() + split, data.size() - split) == whole);
    CHECK(ExtendPortable(ExtendPortable(0, data.data(), split),
                         data.data() + split, data.size() - split) == whole);
  }
  CHECK(Extend(Value("hello ", 6), "world", 5) == Value("hello world", 11));
}

TEST_CASE("crc32c: portable, hardware and reference agree", "[crc32c]") {
  INFO("hardware path available: " << HardwareAvailable());
  const std::string data = RandomBytes(4096 + 64, 2);
  // Every length up to 300 at every alignment 0..15 exercises the prefix,
  // 8-byte and tail loops of both implementations.
  for (size_t offset = 0; offset < 16; ++offset) {
    for (size_t n = 0; n <= 300; ++n) {
      const char* p = data.data() + offset;
      const uint32_t portable = ExtendPortable(0, p, n);
      REQUIRE(ExtendHardware(0, p, n) == portable);
      REQUIRE(Extend(0, p, n) == portable);
      // A non-zero starting crc as well.
      REQUIRE(ExtendHardware(0xDEADBEEFu, p, n) ==
              ExtendPortable(0xDEADBEEFu, p, n));
    }
  }
  for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9},
                   size_t{63}, size_t{4096}}) {
    const std::string s = data.substr(3, n);
    CHECK(ExtendPortable(0, s.data(), s.size()) == Reference(s));
  }
  const std::string big = RandomBytes(1 << 20, 3);
  CHECK(ExtendHardware(0, big.data(), big.size()) ==
        ExtendPortable(0, big.data(), big.size()));
}

TEST_CASE("crc32c: ExtendBoth equals two Extends", "[crc32c]") {
  for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9}, size_t{63},
                   size_t{1000}, size_t{4099}}) {
    const std::string s = RandomBytes(n + 3, uint32_t(n) + 11);
    for (size_t offset : {size_t{0}, size_t{1}, size_t{3}}) {  // unaligned starts too
      CAPTURE(n, offset);
      uint32_t a = 0, b = 0x12345678u;
      ExtendBoth(&a, &b, s.data() + offset, n);
      CHECK(a == Extend(0, s.data() + offset, n));
      CHECK(b == Extend(0x12345678u, s.data() + offset, n));
      CHECK(a == Reference(s.substr(offset, n)));
    }
  }
}

TEST_CASE("crc32c: mask and unmask", "[crc32c]") {
  const uint32_t crc = Value("foo", 3);
  CHECK(crc != Mask(crc));
  CHECK(crc != Mask(Mask(crc)));
  CHECK(crc == Unmask(Mask(crc)));
  CHECK(crc == Unmask(Unmask(Mask(Mask(crc)))));
  for (uint32_t v : {0u, 1u, 0x7FFFu, 0x8000u, 0xFFFFFFFFu, 0xA282EAD8u}) {
    CHECK(Unmask(Mask(v)) == v);
  }
  // leveldb's definition, spelled out: rotate right by 15, add the delta.
  CHECK(Mask(0u) == 0xA282EAD8u);
  CHECK(Mask(1u) == (uint32_t{1} << 17) + 0xA282EAD8u);
  static_assert(Unmask(Mask(0x12345678u)) == 0x12345678u, "constexpr");
}

}  // namespace
}  // namespace techmatch::internal::crc32c
