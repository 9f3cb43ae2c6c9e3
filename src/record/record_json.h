// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Conversion between one JSON object and a Record (private).

#ifndef TECHMATCH_RECORD_RECORD_JSON_H_
#define TECHMATCH_RECORD_RECORD_JSON_H_

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "techmatch/record.h"
#include "techmatch/record_io.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// The techmatch fields of a record, in the documented order
/// (docs/records.md).
// clang-format off
enum Field : int {
  kId, kKind, kTitle, kText, kKeywords, kCategories, kRegion, kMaturity,
  kPrice, kBudget, kOrgType, kCreated, kAttributes, kNumFields
};
// clang-format on

/// The read options compiled once per stream: where each field comes from.
struct Plan {
  RecordKind default_kind = RecordKind::kSupply;
  std::vector<std::string> sources[kNumFields];
  std::set<std::string, std::less<>> consumed;  // never unknown fields
};

/// Compiles `options`, which must have passed Validate().
Plan MakePlan(const JsonlReadOptions& options);

/// What is wrong with mapping `target` to `sources`, or "" if nothing.
std::string CheckMapping(const std::string& target,
                         const std::vector<std::string>& sources);

/// Checks and parses one line (or document) into a Record. `where` (e.g.
/// "file:12") prefixes every message; `base` is added to byte offsets in
/// messages (the BOM skipped on a first line). JSON errors become a Status;
/// anything else (e.g. std::bad_alloc) propagates to the caller's catch-all.
Result<Record> ParseLine(std::string_view text, size_t base, const Plan& plan,
                         std::string_view where);

/// One record as a JSON object with keys in the documented order.
nlohmann::ordered_json ToJson(const Record& r);

/// Splits on `sep`, trimming every piece; "" gives one empty piece.
std::vector<std::string_view> Split(std::string_view s, char sep);

}  // namespace techmatch::internal

#endif  // TECHMATCH_RECORD_RECORD_JSON_H_
