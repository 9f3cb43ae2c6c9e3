// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/record.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "record/record_text.h"
#include "techmatch/utf8.h"

namespace techmatch {
namespace {

using internal::Quote;
using internal::Trim;

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

bool IsValidDate(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

// A keyword or path segment must not start or end with what the reader trims
// (record_text.h), or it would not read back equal.
bool HasSurroundingSpace(std::string_view s) {
  return Trim(s).size() != s.size();
}

// "" when `path` is a valid non-empty path, else what is wrong with it.
std::string CheckPath(std::string_view path) {
  if (path.empty()) return "empty path";
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view seg = path.substr(start, slash == std::string_view::npos
                                                  ? std::string_view::npos
                                                  : slash - start);
    if (seg.empty()) return "empty segment in path " + Quote(path);
    if (HasSurroundingSpace(seg)) {
      return "segment with surrounding whitespace in path " + Quote(path);
    }
    if (slash == std::string_view::npos) return "";
    start = slash + 1;
  }
}

class Checker {
 public:
  explicit Checker(const Record& r) : r_(r) {}

  Status Fail(std::string_view field, std::string_view what) const {
    std::string msg;
    if (!r_.id.empty()) msg = "record " + Quote(r_.id) + ": ";
    msg += "field \"";
    msg += field;
    msg += "\": ";
    msg += what;
    return Status::InvalidArgument(msg);
  }

  Status Utf8(std::string_view field, std::string_view text) const {
    size_t bad = FindInvalidUtf8(text);
    if (bad == std::string_view::npos) return Status::OK();
    return Fail(field, "invalid UTF-8 at byte " + std::to_string(bad));
  }

 private:
  const Record& r_;
};

Status CheckId(const Checker& c, std::string_view id) {
  if (id.empty()) return c.Fail("id", "missing or empty");
  TECHMATCH_RETURN_IF_ERROR(c.Utf8("id", id));
  for (char ch : id) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u == 0x7f) {
      return c.Fail("id", "contains a control character");
    }
  }
  return Status::OK();
}

Status CheckDate(const Checker& c, const Date& d) {
  if (!d.known()) {
    if (d.month != 0 || d.day != 0) {
      return c.Fail("created", "year 0 (unknown) with a month or day set");
    }
    return Status::OK();
  }
  if (!IsValidDate(d.year, d.month, d.day)) {
    return c.Fail("created", "invalid date " + std::to_string(d.year) + "-" +
                                 std::to_string(d.month) + "-" +
                                 std::to_string(d.day));
  }
  return Status::OK();
}

}  // namespace

const char* RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kSupply:
      return "supply";
    case RecordKind::kDemand:
      return "demand";
  }
  return "unknown";
}

Result<RecordKind> ParseRecordKind(std::string_view name) {
  auto equals = [name](std::string_view want) {
    if (name.size() != want.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
      char ch = name[i];
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      if (ch != want[i]) return false;
    }
    return true;
  };
  if (equals("supply")) return RecordKind::kSupply;
  if (equals("demand")) return RecordKind::kDemand;
  return Status::InvalidArgument("unknown record kind " + Quote(name) +
                                 " (expected \"supply\" or \"demand\")");
}

std::string Date::ToString() const {
  if (!known()) return "";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", static_cast<int>(year),
                static_cast<int>(month), static_cast<int>(day));
  return buf;
}

Result<Date> Date::Parse(std::string_view text) {
  auto bad = [text](std::string_view why) {
    return Status::InvalidArgument("invalid date " + Quote(text) + ": " +
                                   std::string(why));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return bad("expected YYYY-MM-DD");
  }
  int value[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lens[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f) {
    for (size_t i = 0; i < lens[f]; ++i) {
      char ch = text[starts[f] + i];
      if (ch < '0' || ch > '9') return bad("expected YYYY-MM-DD");
      value[f] = value[f] * 10 + (ch - '0');
    }
  }
  if (value[0] < 1) return bad("year must be 0001-9999");
  if (value[1] < 1 || value[1] > 12) return bad("month must be 01-12");
  if (value[2] < 1 || value[2] > DaysInMonth(value[0], value[1])) {
    return bad("no such day in that month");
  }
  Date d;
  d.year = static_cast<int16_t>(value[0]);
  d.month = static_cast<uint8_t>(value[1]);
  d.day = static_cast<uint8_t>(value[2]);
  return d;
}

Status Record::Validate() const {
  const Checker c(*this);
  TECHMATCH_RETURN_IF_ERROR(CheckId(c, id));
  if (kind != RecordKind::kSupply && kind != RecordKind::kDemand) {
    return c.Fail("kind", "not supply or demand");
  }
  TECHMATCH_RETURN_IF_ERROR(c.Utf8("title", title));
  TECHMATCH_RETURN_IF_ERROR(c.Utf8("text", text));
  for (const std::string& k : keywords) {
    TECHMATCH_RETURN_IF_ERROR(c.Utf8("keywords", k));
    if (Trim(k).empty()) {
      return c.Fail("keywords", "empty keyword");
    }
    if (HasSurroundingSpace(k)) {
      return c.Fail("keywords",
                    "keyword " + Quote(k) + " has surrounding whitespace");
    }
  }
  for (const std::string& path : categories) {
    TECHMATCH_RETURN_IF_ERROR(c.Utf8("categories", path));
    std::string err = CheckPath(path);
    if (!err.empty()) return c.Fail("categories", err);
  }
  TECHMATCH_RETURN_IF_ERROR(c.Utf8("region", region));
  if (!region.empty()) {
    std::string err = CheckPath(region);
    if (!err.empty()) return c.Fail("region", err);
  }
  if (maturity && (*maturity < 1 || *maturity > 9)) {
    return c.Fail("maturity",
                  std::to_string(*maturity) + " is out of range 1-9");
  }
  if (price && !(std::isfinite(*price) && *price >= 0)) {
    return c.Fail(kind == RecordKind::kDemand ? "budget" : "price",
                  "must be a finite number >= 0");
  }
  TECHMATCH_RETURN_IF_ERROR(c.Utf8("org_type", org_type));
  TECHMATCH_RETURN_IF_ERROR(CheckDate(c, created));
  for (const auto& [key, value] : attributes) {
    if (key.empty()) return c.Fail("attributes", "empty attribute name");
    TECHMATCH_RETURN_IF_ERROR(c.Utf8("attributes", key));
    TECHMATCH_RETURN_IF_ERROR(c.Utf8("attributes." + key, value));
  }
  return Status::OK();
}

bool operator==(const Record& a, const Record& b) {
  return a.id == b.id && a.kind == b.kind && a.title == b.title &&
         a.text == b.text && a.keywords == b.keywords &&
         a.categories == b.categories && a.region == b.region &&
         a.maturity == b.maturity && a.price == b.price &&
         a.org_type == b.org_type && a.created == b.created &&
         a.attributes == b.attributes;
}

std::string PathPrefix(std::string_view path, size_t depth) {
  if (depth == 0) return "";
  size_t pos = 0;
  for (size_t seen = 0; seen < depth; ++seen) {
    pos = path.find('/', pos);
    if (pos == std::string_view::npos) return std::string(path);
    if (seen + 1 < depth) ++pos;
  }
  return std::string(path.substr(0, pos));
}

}  // namespace techmatch
