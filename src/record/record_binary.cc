// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "record/record_binary.h"

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace techmatch::internal {

namespace {

void PutStrings(std::string* out, const std::vector<std::string>& v) {
  PutVarint64(out, v.size());
  for (const std::string& s : v) PutLengthPrefixedString(out, s);
}

bool GetString(Decoder* in, std::string* s) {
  std::string_view v;
  if (!in->ReadLengthPrefixed(&v)) return false;
  s->assign(v.data(), v.size());
  return true;
}

bool GetStrings(Decoder* in, std::vector<std::string>* v) {
  uint64_t n = 0;
  if (!in->ReadCount(&n, 1)) return false;
  v->resize(size_t(n));
  for (std::string& s : *v) {
    if (!GetString(in, &s)) return false;
  }
  return true;
}

}  // namespace

// Layout: id, u8 kind (0 supply, 1 demand), title, text, keywords,
// categories (varint count, then each), region, u8 maturity (0 = unset),
// u8 has price then f64 price, org_type, created as u16 year (0 =
// unknown), u8 month, u8 day, then attributes (varint count, then name and
// value pairs in name order). Strings are varint-length-prefixed UTF-8.
void PutRecordBinary(std::string* out, const Record& r) {
  PutLengthPrefixedString(out, r.id);
  out->push_back(char(r.kind == RecordKind::kDemand ? 1 : 0));
  PutLengthPrefixedString(out, r.title);
  PutLengthPrefixedString(out, r.text);
  PutStrings(out, r.keywords);
  PutStrings(out, r.categories);
  PutLengthPrefixedString(out, r.region);
  out->push_back(char(r.maturity ? uint8_t(*r.maturity) : 0));
  out->push_back(char(r.price ? 1 : 0));
  if (r.price) PutDouble(out, *r.price);
  PutLengthPrefixedString(out, r.org_type);
  PutFixed16(out, uint16_t(r.created.year));
  out->push_back(char(r.created.month));
  out->push_back(char(r.created.day));
  PutVarint64(out, r.attributes.size());
  for (const auto& [name, value] : r.attributes) {
    PutLengthPrefixedString(out, name);
    PutLengthPrefixedString(out, value);
  }
}

Status GetRecordBinary(Decoder* in, Record* r) {
  *r = Record();
  uint8_t kind = 0, maturity = 0, has_price = 0, month = 0, day = 0;
  uint16_t year = 0;
  uint64_t attributes = 0;
  if (!GetString(in, &r->id) || !in->ReadFixed8(&kind) || !GetString(in, &r->title) ||
      !GetString(in, &r->text) || !GetStrings(in, &r->keywords) ||
      !GetStrings(in, &r->categories) || !GetString(in, &r->region) ||
      !in->ReadFixed8(&maturity) || !in->ReadFixed8(&has_price)) {
    return in->Corruption("record");
  }
  if (kind > 1 || has_price > 1) {
    return Status::Corruption("record \"" + r->id + "\": bad kind or price flag");
  }
  r->kind = kind == 1 ? RecordKind::kDemand : RecordKind::kSupply;
  if (maturity != 0) r->maturity = int(maturity);
  if (has_price == 1) {
    double price = 0;
    if (!in->ReadDouble(&price)) return in->Corruption("record");
    r->price = price;
  }
  if (!GetString(in, &r->org_type) || !in->ReadFixed16(&year) || !in->ReadFixed8(&month) ||
      !in->ReadFixed8(&day) || !in->ReadCount(&attributes, 2)) {
    return in->Corruption("record");
  }
  r->created.year = int16_t(year);
  r->created.month = month;
  r->created.day = day;
  for (uint64_t i = 0; i < attributes; ++i) {
    std::string name, value;
    if (!GetString(in, &name) || !GetString(in, &value)) return in->Corruption("record");
    if (!r->attributes.empty() && !(r->attributes.rbegin()->first < name)) {
      return Status::Corruption("record \"" + r->id + "\": attributes out of order");
    }
    r->attributes.emplace_hint(r->attributes.end(), std::move(name), std::move(value));
  }
  Status valid = r->Validate();
  if (!valid.ok()) return Status::Corruption(valid.message());
  return Status::OK();
}

}  // namespace techmatch::internal
