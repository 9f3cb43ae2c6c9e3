// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// How the service and the command-line tool write numbers and lines of
// JSON; header-only, so that code writing JSON needs nothing else of the
// server (tools/assign_json.cc, linked into the benchmark too).

#ifndef TECHMATCH_SERVER_JSON_NUM_H_
#define TECHMATCH_SERVER_JSON_NUM_H_

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace techmatch::server {

/// A number rounded to 6 decimals; null when not finite. Scores are
/// float/double noise past ~7 digits; rounding keeps lines short and diffs
/// readable (JSON has no NaN).
inline nlohmann::ordered_json Num(double v) {
  if (!std::isfinite(v)) return nullptr;
  return std::round(v * 1e6) / 1e6;
}

/// Compact, one line, UTF-8 written as is (not \u-escaped). Invalid UTF-8
/// (which the engine never returns) is replaced by U+FFFD, not thrown.
inline std::string DumpJsonLine(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', /*ensure_ascii=*/false,
                nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace techmatch::server

#endif  // TECHMATCH_SERVER_JSON_NUM_H_
