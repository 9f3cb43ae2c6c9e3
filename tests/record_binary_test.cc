// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for src/record/record_binary.h (RECS records of engine_format 2).

#include "record/record_binary.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "record_fixture.h"

namespace techmatch {
namespace {

using Catch::Matchers::Contains;
using internal::Decoder;

/// Every field set, as a demand (kind 1 in the layout).
Record Full() {
  Record r = testing::FullRecord();
  r.kind = RecordKind::kDemand;
  return r;
}

std::string Encoded(const std::vector<Record>& records) {
  std::string out;
  for (const Record& r : records) internal::PutRecordBinary(&out, r);
  return out;
}

TEST_CASE("record binary: records round-trip, every field", "[record]") {
  Record minimal;
  minimal.id = "m";
  Record zero_price = Full();
  zero_price.kind = RecordKind::kSupply;
  zero_price.price = 0.0;
  zero_price.maturity.reset();
  zero_price.created = Date{};
  zero_price.attributes.clear();
  const std::vector<Record> records = {Full(), minimal, zero_price};
  const std::string bytes = Encoded(records);
  Decoder in(bytes);
  for (const Record& want : records) {
    Record got;
    REQUIRE(internal::GetRecordBinary(&in, &got).ok());
    CHECK(got == want);
  }
  CHECK(in.remaining() == 0);
}

TEST_CASE("record binary: truncated or damaged bytes are Corruption, never a crash",
          "[record]") {
  const std::string bytes = Encoded({Full()});
  for (size_t len = 0; len < bytes.size(); ++len) {
    Decoder in(std::string_view(bytes.data(), len));
    Record r;
    INFO("length " << len);
    CHECK(internal::GetRecordBinary(&in, &r).code() == StatusCode::kCorruption);
  }
  size_t decoded = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (unsigned char mask : {0x01, 0x80, 0xff}) {
      std::string bad = bytes;
      bad[i] = char(bad[i] ^ mask);
      Decoder in(bad);
      Record r;
      const Status s = internal::GetRecordBinary(&in, &r);
      if (s.ok()) {
        ++decoded;  // e.g. another character of the text
        CHECK(r.Validate().ok());
      } else {
        CHECK(s.code() == StatusCode::kCorruption);
      }
    }
  }
  CHECK(decoded < 3 * bytes.size());
}

TEST_CASE("record binary: invalid records are Corruption naming the problem", "[record]") {
  auto decode = [](const Record& r) {
    std::string bytes;
    internal::PutRecordBinary(&bytes, r);
    Decoder in(bytes);
    Record got;
    return internal::GetRecordBinary(&in, &got);
  };
  Record bad_utf8 = Full();
  bad_utf8.title = "ab\xff";
  Status s = decode(bad_utf8);
  CHECK(s.code() == StatusCode::kCorruption);
  CHECK_THAT(s.message(), Contains("title"));
  Record bad_maturity = Full();
  bad_maturity.maturity = 12;
  s = decode(bad_maturity);
  CHECK(s.code() == StatusCode::kCorruption);
  CHECK_THAT(s.message(), Contains("maturity"));
  Record no_id = Full();
  no_id.id.clear();
  CHECK(decode(no_id).code() == StatusCode::kCorruption);
  Record bad_date = Full();
  bad_date.created = Date{2023, 2, 29};
  CHECK(decode(bad_date).code() == StatusCode::kCorruption);
}

}  // namespace
}  // namespace techmatch
