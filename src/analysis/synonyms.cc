// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The synonyms file format (techmatch/synonyms.h).

#include "techmatch/synonyms.h"

#include <fstream>
#include <sstream>

#include "techmatch/utf8.h"

namespace techmatch {
namespace {

constexpr size_t kMaxPhraseBytes = 256;

std::string Trim(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

// Splits a line into phrases at unescaped commas; "=>" (unescaped) ends
// the left side. Returns false with *why on a malformed line.
bool SplitRule(std::string_view line, std::vector<std::string>* left,
               std::vector<std::string>* right, bool* arrow, std::string* why) {
  std::vector<std::string>* side = left;
  std::string cur;
  *arrow = false;
  auto flush = [&]() -> bool {
    std::string p = Trim(cur);
    cur.clear();
    if (p.empty()) {
      *why = "empty phrase (two commas in a row, or a comma at an end)";
      return false;
    }
    if (p.size() > kMaxPhraseBytes) {
      *why = "phrase of " + std::to_string(p.size()) + " bytes (at most " +
             std::to_string(kMaxPhraseBytes) + ")";
      return false;
    }
    side->push_back(std::move(p));
    return true;
  };
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\\' && i + 1 < line.size()) {
      if (line[i + 1] == ',') {
        cur += ',';
        ++i;
        continue;
      }
      if (line.compare(i + 1, 2, "=>") == 0) {
        cur += "=>";
        i += 2;
        continue;
      }
    }
    if (c == ',') {
      if (!flush()) return false;
    } else if (c == '=' && i + 1 < line.size() && line[i + 1] == '>') {
      if (*arrow) {
        *why = "more than one \"=>\"";
        return false;
      }
      if (!flush()) {
        *why = "nothing before \"=>\"";
        return false;
      }
      *arrow = true;
      side = right;
      ++i;
    } else {
      cur += c;
    }
  }
  if (!flush()) {
    if (*arrow && right->empty()) *why = "nothing after \"=>\"";
    return false;
  }
  if (!*arrow && left->size() < 2) {
    *why = "one phrase and no \"=>\": a rule needs two phrases or more";
    return false;
  }
  return true;
}

}  // namespace

Result<SynonymList> ParseSynonyms(std::string_view text, std::string_view source) {
  SynonymList out;
  out.source = std::string(source);
  size_t lineno = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++lineno;
    if (lineno == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    const std::string where = std::string(source) + ":" + std::to_string(lineno);
    TECHMATCH_RETURN_IF_ERROR(CheckUtf8(line, where));
    const std::string trimmed = Trim(line);
    if (trimmed.empty() || trimmed[0] == '#') {
      if (end == text.size()) break;
      continue;
    }
    SynonymRule rule;
    rule.line = lineno;
    bool arrow = false;
    std::string why;
    if (!SplitRule(trimmed, &rule.from, &rule.to, &arrow, &why)) {
      return Status::InvalidArgument(where + ": " + why);
    }
    out.rules.push_back(std::move(rule));
    if (end == text.size()) break;
  }
  return out;
}

Result<SynonymList> ReadSynonymsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("synonyms file " + path + ": cannot open");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::IOError("synonyms file " + path + ": read error");
  return ParseSynonyms(buf.str(), path);
}

}  // namespace techmatch
