// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/utf8.h"

#include <string>

#include "util/utf8_decode.h"

namespace techmatch {

size_t FindInvalidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // Fast path: 8 ASCII bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      __builtin_memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    // Chinese text is mostly 3-byte sequences outside the surrogate range.
    if ((p[i] & 0xF0) == 0xE0 && i + 3 <= n && (p[i + 1] & 0xC0) == 0x80 &&
        (p[i + 2] & 0xC0) == 0x80 && p[i] != 0xED &&
        (p[i] != 0xE0 || p[i + 1] >= 0xA0)) {
      i += 3;
      continue;
    }
    char32_t cp;
    size_t len = internal::DecodeUtf8(p + i, n - i, &cp);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

Status CheckUtf8(std::string_view text, std::string_view what) {
  size_t bad = FindInvalidUtf8(text);
  if (bad == std::string_view::npos) return Status::OK();
  std::string msg(what);
  msg += ": invalid UTF-8 at byte ";
  msg += std::to_string(bad);
  return Status::InvalidArgument(msg);
}

}  // namespace techmatch
