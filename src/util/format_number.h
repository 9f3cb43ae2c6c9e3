// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// FormatNumber: a number as error messages show it; FormatFixed: with a
// fixed number of decimals, as reports show it.

#ifndef TECHMATCH_UTIL_FORMAT_NUMBER_H_
#define TECHMATCH_UTIL_FORMAT_NUMBER_H_

#include <cstdio>
#include <string>

namespace techmatch::internal {

/// "%g": -1 as "-1" and 0.75 as "0.75" (std::to_string would print
/// "-1.000000"), NaN / infinity as "nan" / "inf".
inline std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

/// "%.*f": FormatFixed(0.12345) is "0.123".
inline std::string FormatFixed(double v, int digits = 3) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace techmatch::internal

#endif  // TECHMATCH_UTIL_FORMAT_NUMBER_H_
