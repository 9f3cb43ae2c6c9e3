// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// A record with every field set, shared by the record tests.

#ifndef TECHMATCH_TESTS_RECORD_FIXTURE_H_
#define TECHMATCH_TESTS_RECORD_FIXTURE_H_

#include "techmatch/record.h"

namespace techmatch::testing {

/// A valid supply with every field set (non-ASCII text, a tab and a
/// newline, two keywords, two categories, maturity, price, a date and two
/// attributes).
inline Record FullRecord() {
  Record r;
  r.id = "S001";
  r.kind = RecordKind::kSupply;
  r.title = "高效钙钛矿太阳能电池";
  r.text = "本成果采用低温溶液法制备钙钛矿薄膜。\n第二行\t制表符";
  r.keywords = {"钙钛矿", "太阳能电池"};
  r.categories = {"工学/材料科学与工程", "工学"};
  r.region = "四川省/成都市";
  r.maturity = 6;
  r.price = 1.5e6;
  r.org_type = "university";
  r.created = Date{2023, 5, 18};
  r.attributes = {{"patent_no", "CN114512345A"}, {"联系人", "张三"}};
  return r;
}

}  // namespace techmatch::testing

#endif  // TECHMATCH_TESTS_RECORD_FIXTURE_H_
