// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The analyzer on any bytes (mostly invalid UTF-8: a clean error) and on
// valid UTF-8 built from the input (Han, Latin, digits, punctuation, space,
// combining marks, emoji, full-width forms), with the example dictionary.
// Every term and token must lie inside the text, on character boundaries.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "techmatch/analyzer.h"
#include "techmatch/utf8.h"
#include "util/utf8_decode.h"

namespace {

const techmatch::Analyzer& TheAnalyzer() {
  static const std::unique_ptr<techmatch::Analyzer> analyzer = [] {
    techmatch::AnalyzerOptions options;
    options.dictionary_file = TECHMATCH_SOURCE_DIR "/examples/data/tech_terms.txt";
    auto a = techmatch::Analyzer::Create(options);
    if (!a.ok()) std::abort();
    return std::move(*a);
  }();
  return *analyzer;
}

/// Two input bytes -> one code point from a range the analyzer treats
/// specially.
std::string ValidUtf8(const uint8_t* data, size_t size) {
  static constexpr uint32_t kBase[] = {
      0x4E00,   // CJK unified ideographs (a 256-wide window moved by the byte)
      0x0020,   // ASCII
      0x3000,   // CJK punctuation, kana
      0xFF00,   // full-width forms
      0x0300,   // combining marks
      0x1F300,  // emoji
      0x00A0,   // Latin-1, NBSP
      0x2000,   // general punctuation, zero-width characters
  };
  std::string out;
  for (size_t i = 0; i + 1 < size; i += 2) {
    const uint32_t base = kBase[data[i] & 7];
    uint32_t cp = base + (base == 0x4E00 ? uint32_t(data[i] >> 3) * 256 : 0) + data[i + 1];
    if (base == 0x0020) cp = 0x20 + (data[i + 1] % 0x5F);
    if (cp >= 0xD800 && cp < 0xE000) cp = 0x4E2D;
    techmatch::internal::AppendUtf8(char32_t(cp), &out);
  }
  return out;
}

void Check(const std::string& text) {
  const techmatch::Analyzer& analyzer = TheAnalyzer();
  const bool valid = techmatch::FindInvalidUtf8(text) == std::string::npos;
  auto terms = analyzer.Analyze(text);
  if (terms.ok() != valid && text.size() < (1u << 20)) std::abort();
  auto boundary = [&](uint32_t at) {
    return at == text.size() || (at < text.size() && (uint8_t(text[at]) & 0xC0) != 0x80);
  };
  if (terms.ok()) {
    for (const techmatch::Term& t : *terms) {
      if (t.begin >= t.end || t.end > text.size() || !boundary(t.begin) || !boundary(t.end) ||
          t.text.empty()) {
        std::abort();
      }
    }
  }
  auto tokens = analyzer.Segment(text);
  if (tokens.ok() != terms.ok()) std::abort();
  if (tokens.ok()) {
    uint32_t last_end = 0;
    for (const techmatch::Token& t : *tokens) {
      if (t.begin < last_end || t.begin >= t.end || t.end > text.size() ||
          !boundary(t.begin) || !boundary(t.end)) {
        std::abort();
      }
      last_end = t.end;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  if ((data[0] & 1) == 0) {
    Check(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  } else {
    Check(ValidUtf8(data + 1, size - 1));
  }
  return 0;
}
