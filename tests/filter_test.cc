// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/filter.h"

#include <catch2/catch.hpp>

namespace techmatch {
namespace {

Record Sample() {
  Record r;
  r.id = "S1";
  r.kind = RecordKind::kSupply;
  r.categories = {"工学/材料科学与工程/复合材料", "理学/化学"};
  r.region = "四川省/德阳市/绵竹市";
  r.maturity = 6;
  r.attributes = {{"transfer_mode", "许可"}, {"owner", "四川大学"}};
  return r;
}

TEST_CASE("filter: path prefixes match whole segments", "[filter]") {
  CHECK(PathHasPrefix("工学/材料科学与工程", "工学"));
  CHECK(PathHasPrefix("工学/材料科学与工程", "工学/材料科学与工程"));
  CHECK_FALSE(PathHasPrefix("工学/材料科学与工程", "工学/材料"));
  CHECK_FALSE(PathHasPrefix("工学", "工学/材料科学与工程"));
  CHECK(PathHasPrefix("anything", ""));
}

TEST_CASE("filter: an empty filter passes everything", "[filter]") {
  RecordFilter f;
  CHECK(f.empty());
  CHECK(f.Matches(Sample()));
  CHECK(f.Matches(Record{}));
}

TEST_CASE("filter: every condition must hold", "[filter]") {
  Record r = Sample();
  RecordFilter f;
  f.kind = RecordKind::kDemand;
  CHECK_FALSE(f.Matches(r));
  f.kind = RecordKind::kSupply;
  CHECK(f.Matches(r));

  f.category_prefixes = {"医学", "理学/化学"};
  CHECK(f.Matches(r));
  f.category_prefixes = {"工学/材料"};
  CHECK_FALSE(f.Matches(r));
  f.category_prefixes = {"工学/材料科学与工程"};
  CHECK(f.Matches(r));

  f.region_prefixes = {"四川省/成都市"};
  CHECK_FALSE(f.Matches(r));
  f.region_prefixes = {"四川省/成都市", "四川省/德阳市"};
  CHECK(f.Matches(r));

  f.min_maturity = 7;
  CHECK_FALSE(f.Matches(r));
  f.min_maturity = 6;
  f.max_maturity = 6;
  CHECK(f.Matches(r));
  Record unknown = r;
  unknown.maturity.reset();
  CHECK_FALSE(f.Matches(unknown));

  f.attributes = {{"transfer_mode", "许可"}};
  CHECK(f.Matches(r));
  f.attributes = {{"transfer_mode", "转让"}};
  CHECK_FALSE(f.Matches(r));
  f.attributes = {{"missing", "x"}};
  CHECK_FALSE(f.Matches(r));
  f.attributes.clear();

  f.ids = {"S2", "S3"};
  CHECK_FALSE(f.Matches(r));
  f.ids.push_back("S1");
  CHECK(f.Matches(r));
}

TEST_CASE("filter: validation", "[filter]") {
  RecordFilter f;
  CHECK(f.Validate().ok());
  f.min_maturity = 0;
  CHECK(f.Validate().code() == StatusCode::kInvalidArgument);
  f.min_maturity = 8;
  f.max_maturity = 3;
  CHECK(f.Validate().code() == StatusCode::kInvalidArgument);
  RecordFilter g;
  g.region_prefixes = {"四川省/"};
  CHECK(g.Validate().code() == StatusCode::kInvalidArgument);
  g.region_prefixes = {""};
  CHECK(g.Validate().code() == StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace techmatch
