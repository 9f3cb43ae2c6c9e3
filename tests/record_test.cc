// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for include/techmatch/record.h.

#include "techmatch/record.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "record_fixture.h"

namespace techmatch {
namespace {

using Catch::Matchers::Contains;

using testing::FullRecord;

TEST_CASE("record: kind names and parsing", "[record]") {
  CHECK(std::string(RecordKindName(RecordKind::kSupply)) == "supply");
  CHECK(std::string(RecordKindName(RecordKind::kDemand)) == "demand");
  CHECK(*ParseRecordKind("supply") == RecordKind::kSupply);
  CHECK(*ParseRecordKind("Demand") == RecordKind::kDemand);
  CHECK(*ParseRecordKind("SUPPLY") == RecordKind::kSupply);
  for (const char* bad : {"", "supplies", " supply", "需求", "demandx"}) {
    Result<RecordKind> k = ParseRecordKind(bad);
    REQUIRE_FALSE(k.ok());
    CHECK(k.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(k.status().message(), Contains("expected \"supply\""));
  }
}

TEST_CASE("record: Date parses and prints YYYY-MM-DD", "[record]") {
  Result<Date> d = Date::Parse("2023-05-18");
  REQUIRE(d.ok());
  CHECK(d->year == 2023);
  CHECK(d->month == 5);
  CHECK(d->day == 18);
  CHECK(d->ToString() == "2023-05-18");
  CHECK(Date{987, 3, 4}.ToString() == "0987-03-04");
  CHECK(Date{}.ToString().empty());
  CHECK_FALSE(Date{}.known());
  CHECK(Date::Parse("2024-02-29").ok());  // leap year
  CHECK(Date::Parse("2000-02-29").ok());  // divisible by 400
  CHECK(Date::Parse("9999-12-31").ok());
  CHECK(Date::Parse("0001-01-01").ok());
}

TEST_CASE("record: Date rejects malformed and impossible dates", "[record]") {
  for (const char* bad :
       {"", "2023-5-18", "2023/05/18", "2023-05-18T00:00", "20230518",
        "abcd-ef-gh", "2023-05-1x", "+023-05-18", "0000-01-01", "2023-00-10",
        "2023-13-01", "2023-04-31", "2023-02-29", "1900-02-29", "2023-01-00",
        " 2023-01-01"}) {
    INFO(bad);
    Result<Date> d = Date::Parse(bad);
    REQUIRE_FALSE(d.ok());
    CHECK(d.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(d.status().message(), Contains("invalid date"));
  }
}

TEST_CASE("record: a full record validates", "[record]") {
  CHECK(FullRecord().Validate().ok());
  Record minimal;
  minimal.id = "x";
  CHECK(minimal.Validate().ok());
  Record zero_price = FullRecord();
  zero_price.price = 0.0;
  zero_price.maturity = 1;
  CHECK(zero_price.Validate().ok());
}

// Applies `mutate` to a valid record and expects Validate to name `field`.
void ExpectInvalid(void (*mutate)(Record*), const std::string& field,
                   const std::string& detail) {
  Record r = FullRecord();
  mutate(&r);
  Status s = r.Validate();
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(s.message(), Contains("field \"" + field + "\""));
  CHECK_THAT(s.message(), Contains(detail));
}

TEST_CASE("record: Validate names the broken field", "[record]") {
  ExpectInvalid([](Record* r) { r->id.clear(); }, "id", "empty");
  ExpectInvalid([](Record* r) { r->id = "a\nb"; }, "id", "control");
  ExpectInvalid([](Record* r) { r->id = "a\x01"; }, "id", "control");
  ExpectInvalid([](Record* r) { r->id = "\xff"; }, "id", "UTF-8");
  ExpectInvalid([](Record* r) { r->kind = static_cast<RecordKind>(7); }, "kind",
                "supply or demand");
  ExpectInvalid([](Record* r) { r->title = "ab\xe4\xb8"; }, "title",
                "invalid UTF-8 at byte 2");
  ExpectInvalid([](Record* r) { r->text = "\xc0\x80"; }, "text", "UTF-8");
  ExpectInvalid([](Record* r) { r->keywords.push_back(""); }, "keywords",
                "empty keyword");
  ExpectInvalid([](Record* r) { r->keywords.push_back(" a"); }, "keywords",
                "whitespace");
  ExpectInvalid([](Record* r) { r->keywords.push_back("a\xE3\x80\x80"); },
                "keywords", "whitespace");
  ExpectInvalid([](Record* r) { r->categories.push_back("工学//力学"); },
                "categories", "empty segment");
  ExpectInvalid([](Record* r) { r->categories.push_back(""); }, "categories",
                "empty path");
  ExpectInvalid([](Record* r) { r->categories.push_back("工学/"); },
                "categories", "empty segment");
  ExpectInvalid([](Record* r) { r->categories.push_back("工学 /力学"); },
                "categories", "whitespace");
  ExpectInvalid([](Record* r) { r->region = "/四川省"; }, "region",
                "empty segment");
  ExpectInvalid([](Record* r) { r->maturity = 0; }, "maturity",
                "0 is out of range 1-9");
  ExpectInvalid([](Record* r) { r->maturity = 10; }, "maturity",
                "10 is out of range 1-9");
  ExpectInvalid([](Record* r) { r->price = -1.0; }, "price", ">= 0");
  ExpectInvalid(
      [](Record* r) { r->price = std::numeric_limits<double>::quiet_NaN(); },
      "price", "finite");
  ExpectInvalid(
      [](Record* r) { r->price = std::numeric_limits<double>::infinity(); },
      "price", "finite");
  ExpectInvalid(
      [](Record* r) {
        r->kind = RecordKind::kDemand;
        r->price = -5.0;
      },
      "budget", ">= 0");
  ExpectInvalid([](Record* r) { r->org_type = "\xed\xa0\x80"; }, "org_type",
                "UTF-8");  // a surrogate
  ExpectInvalid(
      [](Record* r) {
        r->created = Date{2023, 2, 30};
      },
      "created", "invalid date");
  ExpectInvalid(
      [](Record* r) {
        r->created = Date{0, 1, 0};
      },
      "created", "unknown");
  ExpectInvalid([](Record* r) { r->attributes[""] = "x"; }, "attributes",
                "empty attribute name");
  ExpectInvalid([](Record* r) { r->attributes["k"] = "\x80"; }, "attributes.k",
                "UTF-8");
}

TEST_CASE("record: Validate messages name the record id", "[record]") {
  Record r = FullRecord();
  r.maturity = 12;
  CHECK(r.Validate().message() ==
        "record \"S001\": field \"maturity\": 12 is out of range 1-9");
  r.id = "a\"b\n";
  r.maturity.reset();
  // Quoted and escaped, so the message stays on one line.
  CHECK_THAT(r.Validate().message(), Contains("record \"a\\\"b\\u000a\""));
}

TEST_CASE("record: equality compares every field", "[record]") {
  const Record base = FullRecord();
  CHECK(base == FullRecord());
  CHECK_FALSE(base != FullRecord());
  auto differs = [&base](void (*mutate)(Record*)) {
    Record r = base;
    mutate(&r);
    return r != base && !(r == base);
  };
  CHECK(differs([](Record* r) { r->id = "S002"; }));
  CHECK(differs([](Record* r) { r->kind = RecordKind::kDemand; }));
  CHECK(differs([](Record* r) { r->title += "x"; }));
  CHECK(differs([](Record* r) { r->text.clear(); }));
  CHECK(differs([](Record* r) { r->keywords.pop_back(); }));
  CHECK(differs([](Record* r) { r->categories[0] = "理学"; }));
  CHECK(differs([](Record* r) { r->region = "四川省"; }));
  CHECK(differs([](Record* r) { r->maturity.reset(); }));
  CHECK(differs([](Record* r) { r->price = 1.5e6 + 0.25; }));
  CHECK(differs([](Record* r) { r->org_type = "enterprise"; }));
  CHECK(differs([](Record* r) { r->created.day = 19; }));
  CHECK(differs([](Record* r) { r->attributes["新"] = ""; }));
}

TEST_CASE("record: PathPrefix keeps the first segments", "[record]") {
  CHECK(PathPrefix("四川省/德阳市/绵竹市", 0).empty());
  CHECK(PathPrefix("四川省/德阳市/绵竹市", 1) == "四川省");
  CHECK(PathPrefix("四川省/德阳市/绵竹市", 2) == "四川省/德阳市");
  CHECK(PathPrefix("四川省/德阳市/绵竹市", 3) == "四川省/德阳市/绵竹市");
  CHECK(PathPrefix("四川省/德阳市/绵竹市", 9) == "四川省/德阳市/绵竹市");
  CHECK(PathPrefix("工学", 1) == "工学");
  CHECK(PathPrefix("", 2).empty());
  CHECK(PathPrefix("a/b", 1) == "a");
}

}  // namespace
}  // namespace techmatch
