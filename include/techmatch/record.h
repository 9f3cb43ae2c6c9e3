// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Record: one supply or demand item, the unit everything else indexes.

#ifndef TECHMATCH_RECORD_H_
#define TECHMATCH_RECORD_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "techmatch/export.h"
#include "techmatch/status.h"

namespace techmatch {

/// Which side of the market a record is on.
enum class RecordKind : uint8_t {
  kSupply = 0,  ///< a technology achievement, patent, expert or lab capability
  kDemand = 1,  ///< an enterprise's technical problem or need
};

/// "supply" / "demand".
TECHMATCH_EXPORT const char* RecordKindName(RecordKind kind);
/// Parses "supply" / "demand" (ASCII case-insensitive).
TECHMATCH_EXPORT Result<RecordKind> ParseRecordKind(std::string_view name);

/// A calendar date (proleptic Gregorian). All-zero means "unknown".
struct Date {
  int16_t year = 0;
  uint8_t month = 0;  ///< 1-12
  uint8_t day = 0;    ///< 1-31

  bool known() const { return year != 0; }
  /// "YYYY-MM-DD"; empty for an unknown date.
  TECHMATCH_EXPORT std::string ToString() const;
  /// Parses "YYYY-MM-DD" and checks the day exists in that month.
  TECHMATCH_EXPORT static Result<Date> Parse(std::string_view text);

  friend bool operator==(const Date& a, const Date& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator!=(const Date& a, const Date& b) { return !(a == b); }
};

/// One supply or demand record. A plain value type: copy it freely; distinct
/// objects may be used from different threads.
///
/// Paths (`categories`, `region`) are '/'-separated, most general first,
/// e.g. "工学/材料科学与工程" and "四川省/德阳市/绵竹市".
struct Record {
  std::string id;                       ///< unique within its kind; required
  RecordKind kind = RecordKind::kSupply;
  std::string title;                    ///< may be empty
  std::string text;                     ///< body: abstract, description, need
  std::vector<std::string> keywords;    ///< author/operator keywords
  std::vector<std::string> categories;  ///< hierarchical category paths
  std::string region;                   ///< hierarchical region path
  /// Technology readiness level 1-9. For a supply: its level; for a demand:
  /// the minimum level it accepts. Unset means unknown / any.
  std::optional<int> maturity;
  /// Supply: asking price in CNY. Demand: budget in CNY. Unset = unknown.
  std::optional<double> price;
  std::string org_type;  ///< e.g. "university", "enterprise", "institute"
  Date created;          ///< when the record was published
  /// Free string attributes (filterable by equality).
  std::map<std::string, std::string> attributes;

  /// Checks the invariants: non-empty id, maturity in 1-9, price finite and
  /// >= 0, valid UTF-8 in every string, valid paths (no empty segment).
  TECHMATCH_EXPORT Status Validate() const;

  TECHMATCH_EXPORT friend bool operator==(const Record& a, const Record& b);
  friend bool operator!=(const Record& a, const Record& b) {
    return !(a == b);
  }
};

/// Identifies a record: ids are unique within a kind, so a supply and a
/// demand may share one.
struct RecordKey {
  RecordKind kind = RecordKind::kSupply;
  std::string id;

  friend bool operator==(const RecordKey& a, const RecordKey& b) {
    return a.kind == b.kind && a.id == b.id;
  }
  friend bool operator!=(const RecordKey& a, const RecordKey& b) {
    return !(a == b);
  }
};

/// Returns the first path segments of `path` ("a/b/c", 2 -> "a/b").
TECHMATCH_EXPORT std::string PathPrefix(std::string_view path, size_t depth);

}  // namespace techmatch

#endif  // TECHMATCH_RECORD_H_
