// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Text rules shared by record validation and record I/O (private).

#ifndef TECHMATCH_RECORD_RECORD_TEXT_H_
#define TECHMATCH_RECORD_RECORD_TEXT_H_

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace techmatch::internal {

/// U+3000 IDEOGRAPHIC SPACE, common in Chinese text.
inline constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";

inline bool IsAsciiSpace(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

/// Length of the whitespace character at the start of `s`, 0 if none.
/// Whitespace is ASCII whitespace and U+3000: what the reader trims from
/// keywords and path segments, and so what a valid record may not carry at
/// either end of one (it would not read back equal).
inline size_t SpaceAt(std::string_view s) {
  if (s.empty()) return 0;
  if (IsAsciiSpace(s[0])) return 1;
  if (s.compare(0, 3, kIdeographicSpace) == 0) return 3;
  return 0;
}

/// `s` without leading and trailing whitespace (as SpaceAt defines it).
inline std::string_view Trim(std::string_view s) {
  while (size_t n = SpaceAt(s)) s.remove_prefix(n);
  while (!s.empty()) {
    if (IsAsciiSpace(s.back())) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && s.substr(s.size() - 3) == kIdeographicSpace) {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return s;
}

/// Quotes a value for an error message. Control characters are escaped so a
/// message always stays on one line, and long values are cut at a character
/// boundary so one bad record cannot produce a megabyte-long message.
inline std::string Quote(std::string_view s) {
  constexpr size_t kMaxBytes = 80;
  std::string out = "\"";
  size_t i = 0;
  for (; i < s.size() && i < kMaxBytes; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out += static_cast<char>(c);
    }
  }
  if (i < s.size()) {
    // Do not end in the middle of a UTF-8 sequence.
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) {
      --i;
      out.pop_back();
    }
    out += "...";
  }
  out += '"';
  return out;
}

}  // namespace techmatch::internal

#endif  // TECHMATCH_RECORD_RECORD_TEXT_H_
