// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for FindInvalidUtf8 and CheckUtf8, against a reference decoder.

#include "techmatch/utf8.h"

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "techmatch/status.h"

namespace techmatch {
namespace {

constexpr size_t kNpos = std::string_view::npos;

// Builds a string from raw byte values.
std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// A deliberately simple reference: decode one code point by the textbook
// rules (lead byte -> length, accumulate, then range-check the value),
// independent of the library's byte-range tables and fast paths. Returns
// the offset of the first sequence that fails, or npos.
size_t ReferenceFindInvalid(std::string_view text) {
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const uint32_t b0 = static_cast<unsigned char>(text[i]);
    size_t len;
    uint32_t cp;
    if (b0 <= 0x7F) {
      len = 1;
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
    } else {
      return i;  // a continuation byte, or F8..FF
    }
    if (i + len > n) return i;  // truncated
    for (size_t k = 1; k < len; ++k) {
      const uint32_t b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (b & 0x3F);
    }
    static const uint32_t kMinForLength[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len]) return i;       // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return i;  // surrogate
    if (cp > 0x10FFFF) return i;                 // beyond Unicode
    i += len;
  }
  return kNpos;
}

// Encodes a scalar value (the test's own encoder).
void AppendCodePoint(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string Hex(std::string_view s) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const unsigned char b = static_cast<unsigned char>(c);
    if (!out.empty()) out.push_back(' ');
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

// Checks `bad` is rejected where it starts: alone, after valid prefixes of
// each width, and with valid text after it.
void CheckInvalidAt(const std::string& bad) {
  INFO("bytes: " << Hex(bad));
  CHECK(FindInvalidUtf8(bad) == 0);
  CHECK(ReferenceFindInvalid(bad) == 0);
  for (const std::string prefix : {"a", "abc", "中", "é", "😀", "abcdefghij"}) {
    std::string s = prefix + bad;
    INFO("prefix: " << prefix);
    CHECK(FindInvalidUtf8(s) == prefix.size());
    CHECK(FindInvalidUtf8(s + "xyz中文") == prefix.size());
  }
}

TEST_CASE("utf8: valid text has no invalid offset", "[utf8]") {
  CHECK(FindInvalidUtf8("") == kNpos);
  CHECK(FindInvalidUtf8(std::string_view()) == kNpos);
  CHECK(FindInvalidUtf8("hello, world") == kNpos);
  CHECK(FindInvalidUtf8("石墨烯负极材料的制备") == kNpos);
  CHECK(FindInvalidUtf8("3D打印钛合金 Ti-6Al-4V，抗拉强度≥900MPa") == kNpos);
  CHECK(FindInvalidUtf8("emoji 😀🚀 and 𠀀 (CJK ext. B)") == kNpos);
  CHECK(FindInvalidUtf8("café naïve ñ ß Ωμ") == kNpos);
  CHECK(FindInvalidUtf8("ＡＢＣ１２ 全角") == kNpos);
  // An embedded NUL is U+0000: valid.
  CHECK(FindInvalidUtf8(std::string_view("a\0b", 3)) == kNpos);
  // Every ASCII byte.
  std::string ascii;
  for (int c = 0; c < 0x80; ++c) ascii.push_back(static_cast<char>(c));
  CHECK(FindInvalidUtf8(ascii) == kNpos);
}

TEST_CASE("utf8: boundary code points are valid", "[utf8]") {
  const std::vector<std::string> cases = {
      Bytes({0x7F}),                    // U+007F
      Bytes({0xC2, 0x80}),              // U+0080
      Bytes({0xDF, 0xBF}),              // U+07FF
      Bytes({0xE0, 0xA0, 0x80}),        // U+0800
      Bytes({0xED, 0x9F, 0xBF}),        // U+D7FF, just below surrogates
      Bytes({0xEE, 0x80, 0x80}),        // U+E000, just above surrogates
      Bytes({0xEF, 0xBF, 0xBD}),        // U+FFFD
      Bytes({0xEF, 0xBF, 0xBF}),        // U+FFFF
      Bytes({0xF0, 0x90, 0x80, 0x80}),  // U+10000
      Bytes({0xF4, 0x8F, 0xBF, 0xBF}),  // U+10FFFF
  };
  for (const std::string& s : cases) {
    INFO("bytes: " << Hex(s));
    CHECK(FindInvalidUtf8(s) == kNpos);
    CHECK(FindInvalidUtf8("abc" + s + "中" + s) == kNpos);
  }
}

TEST_CASE("utf8: every scalar value encodes to valid UTF-8", "[utf8]") {
  std::string all;
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    AppendCodePoint(cp, &all);
  }
  CHECK(FindInvalidUtf8(all) == kNpos);
}

TEST_CASE("utf8: truncated sequences at the end are invalid", "[utf8]") {
  const std::vector<std::string> truncated = {
      Bytes({0xC3}),              // 2-byte lead alone
      Bytes({0xE4}),              // 3-byte lead alone
      Bytes({0xE4, 0xB8}),        // 3-byte missing its last byte
      Bytes({0xF0}),              // 4-byte lead alone
      Bytes({0xF0, 0x9F}),        // 4-byte missing two
      Bytes({0xF0, 0x9F, 0x98}),  // 4-byte missing one
  };
  for (const std::string& t : truncated) {
    INFO("bytes: " << Hex(t));
    CHECK(FindInvalidUtf8(t) == 0);
    CHECK(FindInvalidUtf8("ab" + t) == 2);
    CHECK(FindInvalidUtf8("中文" + t) == 6);
    CHECK(FindInvalidUtf8("abcdefghijklmnop" + t) == 16);
  }
  // The view's length is respected: a character cut by the view is invalid
  // even though the bytes after it in memory would complete it.
  const std::string full = "中文";
  CHECK(FindInvalidUtf8(std::string_view(full.data(), 4)) == 3);
  CHECK(FindInvalidUtf8(std::string_view(full.data(), 5)) == 3);
  CHECK(FindInvalidUtf8(std::string_view(full.data(), 6)) == kNpos);
  const std::string emoji = "😀";
  for (size_t len = 1; len < 4; ++len) {
    CHECK(FindInvalidUtf8(std::string_view(emoji.data(), len)) == 0);
  }
}

TEST_CASE("utf8: a sequence cut short by a non-continuation is invalid",
          "[utf8]") {
  CheckInvalidAt(Bytes({0xC3, 'a'}));
  CheckInvalidAt(Bytes({0xE4, 0xB8, 'a'}));
  CheckInvalidAt(Bytes({0xE4, 'a', 0xAD}));
  CheckInvalidAt(Bytes({0xF0, 0x9F, 0x98, 'a'}));
  // A new lead byte where a continuation belongs.
  CheckInvalidAt(Bytes({0xE4, 0xB8, 0xE4, 0xB8, 0xAD}));
  CheckInvalidAt(Bytes({0xC3, 0xC3, 0xA9}));
}

TEST_CASE("utf8: lone continuation bytes are invalid", "[utf8]") {
  for (int b = 0x80; b <= 0xBF; ++b) CheckInvalidAt(Bytes({b}));
  // One continuation too many after a complete character.
  CHECK(FindInvalidUtf8(Bytes({0xC3, 0xA9, 0xA9})) == 2);
  CHECK(FindInvalidUtf8("中" + Bytes({0x80})) == 3);
  CHECK(FindInvalidUtf8(Bytes({0xF0, 0x9F, 0x98, 0x80, 0x80})) == 4);
  CHECK(FindInvalidUtf8(Bytes({'a', 0x80, 'b'})) == 1);
}

TEST_CASE("utf8: overlong forms are invalid", "[utf8]") {
  CheckInvalidAt(Bytes({0xC0, 0x80}));              // U+0000 in 2 bytes
  CheckInvalidAt(Bytes({0xC0, 0xAF}));              // '/' in 2 bytes
  CheckInvalidAt(Bytes({0xC1, 0xBF}));              // U+007F in 2 bytes
  CheckInvalidAt(Bytes({0xE0, 0x80, 0x80}));        // U+0000 in 3 bytes
  CheckInvalidAt(Bytes({0xE0, 0x9F, 0xBF}));        // U+07FF in 3 bytes
  CheckInvalidAt(Bytes({0xF0, 0x80, 0x80, 0x80}));  // U+0000 in 4 bytes
  CheckInvalidAt(Bytes({0xF0, 0x8F, 0xBF, 0xBF}));  // U+FFFF in 4 bytes
}

TEST_CASE("utf8: surrogates are invalid", "[utf8]") {
  CheckInvalidAt(Bytes({0xED, 0xA0, 0x80}));  // U+D800
  CheckInvalidAt(Bytes({0xED, 0xAF, 0xBF}));  // U+DBFF
  CheckInvalidAt(Bytes({0xED, 0xB0, 0x80}));  // U+DC00
  CheckInvalidAt(Bytes({0xED, 0xBF, 0xBF}));  // U+DFFF
  // CESU-8 style surrogate pair for U+1F600.
  CheckInvalidAt(Bytes({0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80}));
}

TEST_CASE("utf8: code points above U+10FFFF are invalid", "[utf8]") {
  CheckInvalidAt(Bytes({0xF4, 0x90, 0x80, 0x80}));  // U+110000
  CheckInvalidAt(Bytes({0xF4, 0xBF, 0xBF, 0xBF}));
  CheckInvalidAt(Bytes({0xF5, 0x80, 0x80, 0x80}));
  CheckInvalidAt(Bytes({0xF7, 0xBF, 0xBF, 0xBF}));  // U+1FFFFF
}

TEST_CASE("utf8: bytes F5 to FF are never valid", "[utf8]") {
  for (int b = 0xF5; b <= 0xFF; ++b) {
    CheckInvalidAt(Bytes({b}));
    CheckInvalidAt(Bytes({b, 0x80, 0x80, 0x80}));
    CheckInvalidAt(Bytes({b, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF}));
  }
}

TEST_CASE("utf8: invalid bytes after ASCII runs at every offset", "[utf8]") {
  // Exercises the 8-bytes-at-a-time ASCII fast path: the bad sequence lands
  // at every position of a word, after every prefix alignment, with and
  // without ASCII after it.
  const std::vector<std::string> bad = {
      Bytes({0x80}),
      Bytes({0xFF}),
      Bytes({0xC0, 0x80}),
      Bytes({0xE0, 0x80, 0x80}),
      Bytes({0xED, 0xA0, 0x80}),
      Bytes({0xF4, 0x90, 0x80, 0x80}),
      Bytes({0xE4, 0xB8}),  // truncated when nothing follows
  };
  const std::vector<std::string> lead_ins = {"", "中", "é", "😀", "7"};
  for (const std::string& b : bad) {
    for (const std::string& lead : lead_ins) {
      for (size_t offset = 0; offset <= 20; ++offset) {
        for (size_t tail : {size_t{0}, size_t{1}, size_t{7}, size_t{8},
                            size_t{9}, size_t{20}}) {
          std::string s = lead + std::string(offset, 'x') + b;
          s.append(tail, 'y');
          INFO("bad " << Hex(b) << " lead '" << lead << "' offset " << offset
                      << " tail " << tail);
          CHECK(FindInvalidUtf8(s) == lead.size() + offset);
        }
      }
    }
  }
  // Valid text of every length up to 40 through the same path.
  for (size_t len = 0; len <= 40; ++len) {
    std::string s(len, 'q');
    CHECK(FindInvalidUtf8(s) == kNpos);
    CHECK(FindInvalidUtf8(s + "中") == kNpos);
    CHECK(FindInvalidUtf8("中" + s) == kNpos);
  }
}

TEST_CASE("utf8: only the first invalid offset is reported", "[utf8]") {
  CHECK(FindInvalidUtf8(Bytes({'a', 0xFF, 'b', 0x80})) == 1);
  CHECK(FindInvalidUtf8("中文" + Bytes({0xED, 0xA0, 0x80, 0xFF})) == 6);
}

// Random strings, mostly valid UTF-8 built from a mix of scripts, with a
// fraction mutated (bytes flipped, inserted, dropped, truncated) so the
// errors land inside and around real multi-byte sequences.
std::string RandomText(std::mt19937& rng) {
  std::uniform_int_distribution<int> piece_count(0, 24);
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_int_distribution<int> small(0, 20);
  static const uint32_t kEdges[] = {0x0,    0x7F,    0x80,    0x7FF,
                                    0x800,  0xD7FF,  0xE000,  0xFFFD,
                                    0xFFFF, 0x10000, 0x10FFFF};
  std::string s;
  const int pieces = piece_count(rng);
  for (int p = 0; p < pieces; ++p) {
    switch (kind(rng)) {
      case 0:
      case 1: {  // an ASCII run, long enough to use the fast path
        const int n = small(rng);
        for (int i = 0; i < n; ++i) {
          s.push_back(static_cast<char>(
              std::uniform_int_distribution<int>(0x20, 0x7E)(rng)));
        }
        break;
      }
      case 2:
      case 3:
      case 4:  // CJK
        AppendCodePoint(
            std::uniform_int_distribution<uint32_t>(0x4E00, 0x9FFF)(rng), &s);
        break;
      case 5:  // 2-byte (Latin, Greek, Cyrillic, ...)
        AppendCodePoint(
            std::uniform_int_distribution<uint32_t>(0x80, 0x7FF)(rng), &s);
        break;
      case 6: {  // any BMP scalar value
        uint32_t cp;
        do {
          cp = std::uniform_int_distribution<uint32_t>(0x800, 0xFFFF)(rng);
        } while (cp >= 0xD800 && cp <= 0xDFFF);
        AppendCodePoint(cp, &s);
        break;
      }
      case 7:  // supplementary planes (emoji, CJK ext. B, ...)
        AppendCodePoint(
            std::uniform_int_distribution<uint32_t>(0x10000, 0x10FFFF)(rng),
            &s);
        break;
      case 8:
        AppendCodePoint(kEdges[std::uniform_int_distribution<size_t>(
                            0, sizeof(kEdges) / sizeof(kEdges[0]) - 1)(rng)],
                        &s);
        break;
      default:
        // Rarely, a well-formed-looking sequence that is nonetheless
        // invalid (surrogate, overlong, beyond U+10FFFF); otherwise a space,
        // to keep the bulk of the inputs valid.
        if (std::uniform_int_distribution<int>(0, 7)(rng) != 0) {
          s.push_back(' ');
          break;
        }
        switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
          case 0:
            s += Bytes({0xED, 0xA0 + small(rng) % 0x20, 0x80});
            break;
          case 1:
            s += Bytes({0xC0 + small(rng) % 2, 0x80 + small(rng)});
            break;
          case 2:
            s += Bytes({0xE0, 0x80 + small(rng), 0x80});
            break;
          default:
            s += Bytes({0xF4, 0x90 + small(rng), 0x80, 0x80});
            break;
        }
        break;
    }
  }
  // About half the strings get 1-3 mutations.
  if (!s.empty() && std::uniform_int_distribution<int>(0, 1)(rng) == 1) {
    const int mutations = std::uniform_int_distribution<int>(1, 3)(rng);
    for (int m = 0; m < mutations && !s.empty(); ++m) {
      const size_t pos =
          std::uniform_int_distribution<size_t>(0, s.size() - 1)(rng);
      const char byte =
          static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
      switch (std::uniform_int_distribution<int>(0, 4)(rng)) {
        case 0:
          s[pos] = byte;
          break;
        case 1:
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), byte);
          break;
        case 2:
          s.erase(pos, 1);
          break;
        case 3:
          s.resize(pos);
          break;
        default:  // a high byte, the likeliest kind of damage
          s[pos] = static_cast<char>(0x80 | (byte & 0x7F));
          break;
      }
    }
  }
  return s;
}

TEST_CASE("utf8: agrees with a reference decoder on random text", "[utf8]") {
  std::mt19937 rng(20260101);
  size_t valid = 0;
  size_t invalid = 0;
  for (int iter = 0; iter < 100000; ++iter) {
    const std::string s = RandomText(rng);
    const size_t expected = ReferenceFindInvalid(s);
    const size_t got = FindInvalidUtf8(s);
    if (got != expected) {
      INFO("iteration " << iter << " bytes: " << Hex(s));
      REQUIRE(got == expected);
    }
    (expected == kNpos ? valid : invalid) += 1;
  }
  // The generator must exercise both outcomes substantially.
  CHECK(valid > 30000);
  CHECK(invalid > 20000);
}

TEST_CASE("utf8: CheckUtf8 names the field and the byte", "[utf8]") {
  CHECK(CheckUtf8("石墨烯", "title").ok());
  CHECK(CheckUtf8("", "title").ok());

  Status s = CheckUtf8("abc" + Bytes({0xFF}), "record S1 title");
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message() == "record S1 title: invalid UTF-8 at byte 3");

  Status t = CheckUtf8("中文" + Bytes({0xE4, 0xB8}), "text");
  CHECK(t.code() == StatusCode::kInvalidArgument);
  CHECK(t.message() == "text: invalid UTF-8 at byte 6");
}

}  // namespace
}  // namespace techmatch
