// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "server/synonym_mining.h"

#include <algorithm>
#include <cstdint>

#include "techmatch/utf8.h"
#include "util/utf8_decode.h"

namespace techmatch::server {
namespace {

using internal::DecodeUtf8;

// Words that end a term's run when trimming it: a term starts after the
// last of them ("采用聚酯纤维" -> "聚酯纤维").
const std::vector<std::u32string>& BreakWords() {
  static const std::vector<std::u32string> words = {
      U"采用", U"利用", U"使用", U"通过", U"基于", U"研究", U"制备", U"一种", U"进行",
      U"提出", U"建立", U"构建", U"开发", U"设计", U"分析", U"探讨", U"介绍", U"应用",
      U"以",   U"对",   U"将",   U"用",   U"由",   U"为",   U"是",   U"和",   U"与",
      U"及",   U"或",   U"在",   U"中",   U"的",   U"了",   U"把",   U"被",   U"等"};
  return words;
}

// The markers that introduce an alias, longest first.
const std::vector<std::pair<std::u32string, const char*>>& Markers() {
  static const std::vector<std::pair<std::u32string, const char*>> m = {
      {U"以下简称", "简称"}, {U"英文缩写", "缩写"}, {U"英文简称", "简称"},
      {U"缩写为", "缩写"},   {U"简称为", "简称"},   {U"简称", "简称"},
      {U"又称", "又称"},     {U"俗称", "俗称"},     {U"亦称", "又称"},
      {U"也称", "又称"},     {U"或称", "又称"},     {U"缩写", "缩写"},
      {U"即", "即"}};
  return m;
}

bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF);
}
bool IsAsciiAlnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsTermChar(char32_t c) { return IsHan(c) || IsAsciiAlnum(c) || c == '-'; }
bool IsQuote(char32_t c) {
  return c == U'“' || c == U'”' || c == '"' || c == '\'' || c == U'「' || c == U'」' ||
         c == U'‘' || c == U'’' || c == U'《' || c == U'》';
}
bool IsOpen(char32_t c) { return c == U'（' || c == '('; }
bool IsClose(char32_t c) { return c == U'）' || c == ')'; }
bool IsSeparator(char32_t c) {
  return c == U'，' || c == ',' || c == U'；' || c == ';' || c == U'、' || c == U'。' ||
         c == U'：' || c == ':';
}

// The code points of s; with `offsets`, also each one's byte offset (and
// s.size() after the last).
void DecodeUtf8String(std::string_view s, std::u32string* out,
                      std::vector<size_t>* offsets = nullptr) {
  out->clear();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    char32_t cp = 0;
    size_t len = DecodeUtf8(p + i, s.size() - i, &cp);
    if (len == 0) len = 1, cp = 0xFFFD;
    out->push_back(cp);
    if (offsets != nullptr) offsets->push_back(i);
    i += len;
  }
  if (offsets != nullptr) offsets->push_back(s.size());
}

bool StartsWith(const std::u32string& s, size_t at, const std::u32string& p) {
  return s.size() - at >= p.size() && s.compare(at, p.size(), p) == 0;
}

// "ABC", "SiC", "Ti-6Al-4V", "5G": letters and digits (and - / space),
// 2..15 characters, beginning with a letter or digit, with an upper-case
// letter or a digit, not only digits.
bool IsAbbreviation(const std::u32string& s) {
  if (s.size() < 2 || s.size() > 15 || !IsAsciiAlnum(s.front())) return false;
  bool upper = false, letter = false;
  for (char32_t c : s) {
    if (!(IsAsciiAlnum(c) || c == '-' || c == '/' || c == ' ')) return false;
    letter = letter || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    upper = upper || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  return upper && letter;
}

}  // namespace

std::string SynonymMiner::TrimTerm(std::string_view run) const {
  std::u32string cps;
  DecodeUtf8String(run, &cps);
  if (cps.size() <= 4) return std::string(run);
  size_t start = 0;  // byte offset in run
  // A break word of two characters or more ends the run wherever it is
  // (the segmenter may split 制备 into 制 and 备) ...
  for (const std::u32string& w : BreakWords()) {
    if (w.size() < 2) continue;
    std::string u8;
    for (char32_t c : w) internal::AppendUtf8(c, &u8);
    const size_t at = run.rfind(u8);
    if (at != std::string_view::npos && at + u8.size() < run.size()) {
      start = std::max(start, at + u8.size());
    }
  }
  // ... a one-character one only as a word of its own (中 of 中药 is not).
  auto tokens = analyzer_.Segment(run);
  if (tokens.ok()) {
    for (size_t i = 0; i + 1 < tokens->size(); ++i) {
      std::u32string w;
      DecodeUtf8String((*tokens)[i].normalized, &w);
      if (w.size() == 1 &&
          std::find(BreakWords().begin(), BreakWords().end(), w) != BreakWords().end()) {
        start = std::max(start, size_t((*tokens)[i + 1].begin));
      }
    }
  }
  return std::string(run.substr(start));
}

void SynonymMiner::Add(std::string_view term, std::string_view alias, const char* pattern,
                       std::string_view id, std::string_view text, size_t at) {
  auto t = analyzer_.Normalize(TrimTerm(term));
  auto a = analyzer_.Normalize(alias);
  if (!t.ok() || !a.ok() || t->empty() || a->empty() || *t == *a) return;
  // The term is words of Chinese (two characters or more), not a formula
  // or a unit ("n(Zn)", "1 g(16 T)").
  std::u32string tc;
  DecodeUtf8String(*t, &tc);
  if (std::count_if(tc.begin(), tc.end(), IsHan) < 2) return;
  // An alias the index cannot see ("no", a stopword) would be refused by
  // Engine::SetSynonyms.
  auto alias_terms = analyzer_.Analyze(*a);
  if (!alias_terms.ok() || alias_terms->empty()) return;
  // An alias that is the term's own tail or head says nothing new.
  if (t->find(*a) != std::string::npos || a->find(*t) != std::string::npos) return;
  const std::string key = *t + '\x1f' + *a;
  SynonymCandidate& c = pairs_[key];
  if (c.count++ == 0) {
    c.term = *t;
    c.alias = *a;
    c.pattern = pattern;
    c.example_id = std::string(id);
    const size_t b = at > 60 ? at - 60 : 0;
    size_t e = std::min(text.size(), at + 30);
    size_t bb = b;
    while (bb < at && (static_cast<unsigned char>(text[bb]) & 0xC0) == 0x80) ++bb;
    while (e < text.size() && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) ++e;
    c.example = std::string(text.substr(bb, e - bb));
  }
}

void SynonymMiner::Scan(std::string_view id, std::string_view text) {
  if (FindInvalidUtf8(text) != std::string_view::npos) return;
  std::u32string cps;
  std::vector<size_t> offset;  // byte offset of each code point
  DecodeUtf8String(text, &cps, &offset);
  auto bytes = [&](size_t b, size_t e) { return text.substr(offset[b], offset[e] - offset[b]); };
  // The run of term characters that ends at `end` (exclusive), at most 20.
  auto run_before = [&](size_t end) {
    size_t b = end;
    while (b > 0 && end - b < 20 && IsTermChar(cps[b - 1])) --b;
    return b;
  };
  for (size_t i = 0; i < cps.size(); ++i) {
    const char32_t c = cps[i];
    if (IsOpen(c)) {
      const size_t xb = run_before(i);
      if (xb == i) continue;
      size_t j = i + 1;
      while (j < cps.size() && j - i <= 40 && !IsClose(cps[j]) && !IsOpen(cps[j])) ++j;
      if (j >= cps.size() || !IsClose(cps[j])) continue;
      size_t ib = i + 1;
      const char* pattern = nullptr;
      for (const auto& [marker, name] : Markers()) {
        if (StartsWith(cps, ib, marker)) {
          pattern = name;
          ib += marker.size();
          break;
        }
      }
      while (ib < j && (IsQuote(cps[ib]) || cps[ib] == U'：' || cps[ib] == ':' ||
                        cps[ib] == U'为' || cps[ib] == ' ')) {
        ++ib;
      }
      size_t ie = ib;
      while (ie < j && !IsSeparator(cps[ie]) && !IsQuote(cps[ie])) ++ie;
      while (ie > ib && cps[ie - 1] == ' ') --ie;
      if (ie == ib || ie - ib > 20) continue;
      const std::u32string inside = cps.substr(ib, ie - ib);
      if (pattern == nullptr) {
        if (!IsAbbreviation(inside)) continue;
        pattern = "abbreviation";
      } else if (!std::all_of(inside.begin(), inside.end(), [](char32_t x) {
                   return IsTermChar(x) || x == ' ';
                 })) {
        continue;
      }
      Add(bytes(xb, i), bytes(ib, ie), pattern, id, text, offset[i]);
      i = j;  // nothing inside the brackets is read again
      continue;
    }
    // "，X，又称Y，" outside brackets: X a whole clause of at most 16
    // characters (after punctuation or at the start), Y up to punctuation.
    for (const auto& [marker, name] : Markers()) {
      if (std::string_view(name) == "即" || !StartsWith(cps, i, marker)) continue;
      size_t xe = i;
      if (xe > 0 && (cps[xe - 1] == U'，' || cps[xe - 1] == ',')) --xe;
      const size_t xb = run_before(xe);
      const bool clause = xb == 0 || IsSeparator(cps[xb - 1]) || IsQuote(cps[xb - 1]) ||
                          cps[xb - 1] == ' ';
      size_t yb = i + marker.size();
      while (yb < cps.size() && (IsQuote(cps[yb]) || cps[yb] == U'为')) ++yb;
      size_t ye = yb;
      while (ye < cps.size() && ye - yb < 12 && IsTermChar(cps[ye])) ++ye;
      const bool y_ends = ye == cps.size() || IsSeparator(cps[ye]) || IsQuote(cps[ye]) ||
                          IsOpen(cps[ye]) || IsClose(cps[ye]);
      if (clause && xb < xe && xe - xb <= 16 && ye > yb && y_ends) {
        Add(bytes(xb, xe), bytes(yb, ye), name, id, text, offset[i]);
      }
      i += marker.size() - 1;
      break;
    }
  }
}

std::vector<SynonymCandidate> SynonymMiner::Candidates(size_t min_count, size_t limit) const {
  std::vector<SynonymCandidate> out;
  for (const auto& kv : pairs_) {
    if (kv.second.count >= min_count) out.push_back(kv.second);
  }
  std::sort(out.begin(), out.end(), [](const SynonymCandidate& a, const SynonymCandidate& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.term != b.term) return a.term < b.term;
    return a.alias < b.alias;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::string SynonymMiner::FormatLine(const SynonymCandidate& c) {
  auto escape = [](const std::string& s) {
    std::string o;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == ',' || (s[i] == '=' && i + 1 < s.size() && s[i + 1] == '>')) o += '\\';
      o += s[i];
    }
    return o;
  };
  std::string example;
  for (char ch : c.example) example += (ch == '\n' || ch == '\r') ? ' ' : ch;
  return "# " + std::to_string(c.count) + (c.count == 1 ? " text, " : " texts, ") + c.pattern +
         ", e.g. " + c.example_id + ": …" + example + "…\n" + escape(c.term) + ", " +
         escape(c.alias);
}

}  // namespace techmatch::server
