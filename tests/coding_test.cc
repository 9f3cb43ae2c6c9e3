// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for src/io/coding.h.

#include "io/coding.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace techmatch::internal {
namespace {

using Catch::Matchers::Contains;

TEST_CASE("coding: fixed-width values are little-endian", "[coding]") {
  std::string s;
  PutFixed16(&s, 0x0102);
  PutFixed32(&s, 0x03040506u);
  PutFixed64(&s, 0x0708090A0B0C0D0Eull);
  CHECK(s == std::string("\x02\x01\x06\x05\x04\x03"
                         "\x0E\x0D\x0C\x0B\x0A\x09\x08\x07",
                         14));
  Decoder d(s);
  uint16_t a;
  uint32_t b;
  uint64_t c;
  REQUIRE(d.ReadFixed16(&a));
  REQUIRE(d.ReadFixed32(&b));
  REQUIRE(d.ReadFixed64(&c));
  CHECK(a == 0x0102);
  CHECK(b == 0x03040506u);
  CHECK(c == 0x0708090A0B0C0D0Eull);
  CHECK(d.done());
}

TEST_CASE("coding: fixed-width round trip over many values", "[coding]") {
  std::string s;
  for (uint32_t v = 0; v < 100000; v += 997) PutFixed32(&s, v * 0x9E3779B1u);
  for (int power = 0; power < 64; ++power) {
    const uint64_t v = uint64_t{1} << power;
    PutFixed64(&s, v - 1);
    PutFixed64(&s, v);
    PutFixed64(&s, v + 1);
  }
  Decoder d(s);
  for (uint32_t v = 0; v < 100000; v += 997) {
    uint32_t got;
    REQUIRE(d.ReadFixed32(&got));
    CHECK(got == v * 0x9E3779B1u);
  }
  for (int power = 0; power < 64; ++power) {
    const uint64_t v = uint64_t{1} << power;
    uint64_t x, y, z;
    REQUIRE((d.ReadFixed64(&x) && d.ReadFixed64(&y) && d.ReadFixed64(&z)));
    CHECK(x == v - 1);
    CHECK(y == v);
    CHECK(z == v + 1);
  }
  CHECK(d.done());
}

TEST_CASE("coding: floats and doubles are bit-exact", "[coding]") {
  const std::vector<float> floats = {0.0f,
                                     -0.0f,
                                     1.0f,
                                     -1.5f,
                                     3.14159265f,
                                     std::numeric_limits<float>::min(),
                                     std::numeric_limits<float>::denorm_min(),
                                     std::numeric_limits<float>::max(),
                                     std::numeric_limits<float>::infinity(),
                                     -std::numeric_limits<float>::infinity(),
                                     std::numeric_limits<float>::quiet_NaN()};
  const std::vector<double> doubles = {
      0.0,
      -0.0,
      1e-300,
      2.718281828459045,
      std::numeric_limits<double>::max(),
      std::numeric_limits<double>::quiet_NaN()};
  std::string s;
  for (float f : floats) PutFloat(&s, f);
  for (double x : doubles) PutDouble(&s, x);
  CHECK(s.size() == floats.size() * 4 + doubles.size() * 8);
  // 1.0f is 0x3F800000, stored low byte first.
  CHECK(s.substr(8, 4) == std::string("\x00\x00\x80\x3F", 4));

  Decoder d(s);
  for (float f : floats) {
    float got;
    REQUIRE(d.ReadFloat(&got));
    CHECK(std::memcmp(&got, &f, sizeof(f)) == 0);
  }
  for (double x : doubles) {
    double got;
    REQUIRE(d.ReadDouble(&got));
    CHECK(std::memcmp(&got, &x, sizeof(x)) == 0);
  }
  CHECK(d.done());
}

TEST_CASE("coding: varint32 round trip and lengths", "[coding]") {
  std::string s;
  std::vector<uint32_t> values;
  for (uint32_t i = 0; i < 32 * 32; ++i) {
    values.push_back((i / 32) << (i % 32));
  }
  values.push_back(std::numeric_limits<uint32_t>::max());
  for (uint32_t v : values) PutVarint32(&s, v);
  Decoder d(s);
  for (uint32_t v : values) {
    const size_t before = d.remaining();
    uint32_t got;
    REQUIRE(d.ReadVarint32(&got));
    CHECK(got == v);
    CHECK(static_cast<int>(before - d.remaining()) == VarintLength(v));
  }
  CHECK(d.done());
}

TEST_CASE("coding: varint64 round trip and lengths", "[coding]") {
  std::vector<uint64_t> values = {0, 100, ~uint64_t{0}, ~uint64_t{0} - 1};
  for (int k = 0; k < 64; ++k) {
    const uint64_t power = uint64_t{1} << k;
    values.push_back(power);
    values.push_back(power - 1);
    values.push_back(power + 1);
  }
  std::string s;
  for (uint64_t v : values) PutVarint64(&s, v);
  Decoder d(s);
  for (uint64_t v : values) {
    const size_t before = d.remaining();
    uint64_t got;
    REQUIRE(d.ReadVarint64(&got));
    CHECK(got == v);
    CHECK(static_cast<int>(before - d.remaining()) == VarintLength(v));
  }
  CHECK(d.done());
  CHECK(VarintLength(0) == 1);
  CHECK(VarintLength(127) == 1);
  CHECK(VarintLength(128) == 2);
  CHECK(VarintLength(~uint64_t{0}) == kMaxVarint64Bytes);
  std::string max32;
  PutVarint32(&max32, std::numeric_limits<uint32_t>::max());
  CHECK(max32 == "\xFF\xFF\xFF\xFF\x0F");
}

TEST_CASE("coding: overlong and overflowing varints fail", "[coding]") {
  uint32_t v32;
  uint64_t v64;
  {
    Decoder d(std::string_view("\x81\x82\x83\x84\x85\x11", 6));  // 6 bytes
    CHECK_FALSE(d.ReadVarint32(&v32));
    CHECK_THAT(d.Corruption("x").message(), Contains("malformed varint"));
  }
  {
    // Five bytes whose last carries bits beyond 32.
    Decoder d(std::string_view("\xFF\xFF\xFF\xFF\x1F", 5));
    CHECK_FALSE(d.ReadVarint32(&v32));
  }
  {
    Decoder d(std::string_view("\xFF\xFF\xFF\xFF\x0F", 5));
    REQUIRE(d.ReadVarint32(&v32));
    CHECK(v32 == 0xFFFFFFFFu);
  }
  {
    std::string eleven(10, '\xFF');
    eleven += '\x01';
    Decoder d(eleven);
    CHECK_FALSE(d.ReadVarint64(&v64));
  }
  {
    // Ten bytes whose last carries bits beyond 64.
    std::string ten(9, '\xFF');
    ten += '\x02';
    Decoder d(ten);
    CHECK_FALSE(d.ReadVarint64(&v64));
    ten.back() = '\x01';
    Decoder ok(ten);
    REQUIRE(ok.ReadVarint64(&v64));
    CHECK(v64 == ~uint64_t{0});
  }
}

TEST_CASE("coding: every truncation of every encoding fails cleanly",
          "[coding]") {
  std::string s;
  PutVarint64(&s, uint64_t{1} << 60);
  const std::string varint = s;
  for (size_t n = 0; n < varint.size(); ++n) {
    Decoder d(std::string_view(varint.data(), n));
    uint64_t v;
    CHECK_FALSE(d.ReadVarint64(&v));
    CHECK(d.remaining() == n);  // nothing consumed
    CHECK_THAT(d.Corruption("varint").message(),
               Contains("varint: truncated at offset 0"));
  }
  for (size_t n = 0; n < 8; ++n) {
    const std::string bytes(n, '\x01');
    Decoder d(bytes);
    uint16_t a;
    uint32_t b;
    uint64_t c;
    float f;
    double x;
    CHECK(d.ReadFixed16(&a) == (n >= 2));
    Decoder d2(bytes);
    CHECK(d2.ReadFixed32(&b) == (n >= 4));
    Decoder d3(bytes);
    CHECK_FALSE(d3.ReadFixed64(&c));
    Decoder d4(bytes);
    CHECK(d4.ReadFloat(&f) == (n >= 4));
    Decoder d5(bytes);
    CHECK_FALSE(d5.ReadDouble(&x));
  }
}

TEST_CASE("coding: length-prefixed strings", "[coding]") {
  std::string s;
  PutLengthPrefixedString(&s, "");
  PutLengthPrefixedString(&s, "foo");
  PutLengthPrefixedString(&s, std::string(200, 'x'));
  PutLengthPrefixedString(&s, std::string_view("a\0b", 3));
  Decoder d(s);
  std::string_view v;
  REQUIRE(d.ReadLengthPrefixed(&v));
  CHECK(v.empty());
  REQUIRE(d.ReadLengthPrefixed(&v));
  CHECK(v == "foo");
  REQUIRE(d.ReadLengthPrefixed(&v));
  CHECK(v == std::string(200, 'x'));
  REQUIRE(d.ReadLengthPrefixed(&v));
  CHECK(v == std::string_view("a\0b", 3));
  CHECK(d.done());
}

TEST_CASE("coding: lengths beyond the input fail without allocating",
          "[coding]") {
  // A length of 2^62 followed by three bytes: must fail, not allocate or
  // read past the end.
  std::string s;
  PutFixed32(&s, 7);
  PutVarint64(&s, uint64_t{1} << 62);
  s += "abc";
  Decoder d(s, 100);
  uint32_t first;
  REQUIRE(d.ReadFixed32(&first));
  std::string_view v;
  CHECK_FALSE(d.ReadLengthPrefixed(&v));
  const Status st = d.Corruption("name");
  CHECK(st.code() == StatusCode::kCorruption);
  // base_offset 100 + 4 bytes already read.
  CHECK_THAT(st.message(), Contains("name: truncated at offset 104"));
  CHECK_THAT(st.message(), Contains("4611686018427387904"));

  // One byte too long.
  std::string t;
  PutLengthPrefixedString(&t, "hello");
  t.pop_back();
  Decoder d2(t);
  CHECK_FALSE(d2.ReadLengthPrefixed(&v));

  Decoder d3("abc");
  CHECK_FALSE(d3.ReadBytes(4, &v));
  CHECK_FALSE(d3.ReadBytes(std::numeric_limits<size_t>::max(), &v));
  CHECK_FALSE(d3.Skip(std::numeric_limits<size_t>::max()));
}

TEST_CASE("coding: ReadCount bounds element counts by the input", "[coding]") {
  std::string s;
  PutVarint64(&s, 3);
  s += std::string(12, '\0');  // room for exactly three 4-byte elements
  uint64_t count;
  {
    Decoder d(s);
    REQUIRE(d.ReadCount(&count, 4));
    CHECK(count == 3);
  }
  {
    Decoder d(s);
    CHECK_FALSE(d.ReadCount(&count, 5));
  }
  std::string huge;
  PutVarint64(&huge, ~uint64_t{0});
  huge += "x";
  Decoder d(huge);
  CHECK_FALSE(d.ReadCount(&count, 0));  // would overflow n * size
  CHECK(d.Corruption("ids").message() ==
        "ids: truncated at offset 0 (count 18446744073709551615 is too large "
        "for the 11 bytes remaining)");
}

TEST_CASE("coding: failures are sticky and reported where they happened",
          "[coding]") {
  std::string s;
  PutFixed16(&s, 1);
  PutFixed16(&s, 2);
  Decoder d(s);
  uint16_t a;
  uint32_t b;
  REQUIRE(d.ReadFixed16(&a));
  CHECK_FALSE(d.ReadFixed32(&b));  // only 2 bytes remain
  CHECK_FALSE(d.ok());
  // Even a read that would fit now fails: the stream is out of step.
  CHECK_FALSE(d.ReadFixed16(&a));
  CHECK(a == 1);
  CHECK(d.Corruption("header").message() == "header: truncated at offset 2");
  CHECK(d.ExpectEnd("header").message() == "header: truncated at offset 2");
}

TEST_CASE("coding: ExpectEnd reports trailing bytes", "[coding]") {
  Decoder d("abcdef");
  std::string_view v;
  REQUIRE(d.ReadBytes(4, &v));
  CHECK(v == "abcd");
  const Status st = d.ExpectEnd("payload");
  CHECK(st.code() == StatusCode::kCorruption);
  CHECK(st.message() == "payload: 2 unexpected trailing bytes at offset 4");
  REQUIRE(d.Skip(2));
  CHECK(d.ExpectEnd("payload").ok());
  // Corruption() with no failed read: a caller rejecting a decoded value.
  CHECK(d.Corruption("dim").message() == "dim: invalid data at offset 6");
}

TEST_CASE("coding: random bytes never read out of bounds", "[coding]") {
  // Decodes a fixed schema from garbage; the sanitizer builds would flag
  // any out-of-bounds access.
  uint32_t state = 12345;
  for (int trial = 0; trial < 2000; ++trial) {
    std::string junk(static_cast<size_t>(trial % 40), '\0');
    for (char& c : junk) {
      state = state * 1664525u + 1013904223u;
      c = static_cast<char>(state >> 24);
    }
    Decoder d(junk);
    uint32_t a;
    uint64_t b;
    std::string_view v;
    float f;
    uint64_t n;
    (void)(d.ReadVarint32(&a) && d.ReadLengthPrefixed(&v) &&
           d.ReadVarint64(&b) && d.ReadFloat(&f) && d.ReadCount(&n, 8));
    CHECK(d.remaining() <= junk.size());
  }
}

}  // namespace
}  // namespace techmatch::internal
