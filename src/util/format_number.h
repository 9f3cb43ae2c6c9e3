// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// FormatNumber: a number as error messages show it.

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

}  // namespace techmatch::internal

#endif  // TECHMATCH_UTIL_FORMAT_NUMBER_H_
