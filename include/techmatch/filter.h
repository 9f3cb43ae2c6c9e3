// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// RecordFilter: which records a search may return.

#ifndef TECHMATCH_FILTER_H_
#define TECHMATCH_FILTER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "techmatch/export.h"
#include "techmatch/record.h"
#include "techmatch/status.h"

namespace techmatch {

/// Conditions on record metadata; a record passes when it meets every set
/// condition (an empty filter passes everything).
struct TECHMATCH_EXPORT_CLASS RecordFilter {
  /// Only this side of the market.
  std::optional<RecordKind> kind;
  /// At least one of the record's category paths starts with one of these
  /// (PathMatchesFilter: whole segments, except that the last one given
  /// may be the leading part of a segment name — "工学/材料" matches
  /// "工学/材料科学与工程/复合材料").
  std::vector<std::string> category_prefixes;
  /// The region path starts with one of these, as for categories ("四川"
  /// matches "四川省/成都市", "四川省/成都" matches "四川省/成都市/双流区").
  std::vector<std::string> region_prefixes;
  /// Maturity (TRL) range, inclusive; records without a maturity fail a set
  /// bound.
  std::optional<int> min_maturity;
  std::optional<int> max_maturity;
  /// Every listed attribute is present with exactly this value.
  std::map<std::string, std::string> attributes;
  /// If non-empty, only these record ids.
  std::vector<std::string> ids;

  bool empty() const {
    return !kind && category_prefixes.empty() && region_prefixes.empty() &&
           !min_maturity && !max_maturity && attributes.empty() && ids.empty();
  }

  /// InvalidArgument for a bad maturity range or an empty prefix.
  Status Validate() const;

  /// True if `record` passes.
  bool Matches(const Record& record) const;
};

/// True if `path` equals `prefix` or continues it with "/..." (whole
/// segments only).
TECHMATCH_EXPORT bool PathHasPrefix(const std::string& path,
                                    const std::string& prefix);

/// The filters' rule: every segment of `prefix` but the last equals the
/// path's segment at that place, and the last is a leading part of the
/// path's segment there ("四川" matches "四川省/成都市"; "四川省/成"
/// matches "四川省/成都市"; "川" does not match "四川省"). Operators type
/// "四川" or "材料" and mean the province or the discipline.
TECHMATCH_EXPORT bool PathMatchesFilter(const std::string& path,
                                        const std::string& prefix);

}  // namespace techmatch

#endif  // TECHMATCH_FILTER_H_
