// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "analysis/term_dictionary.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "analysis/normalizer.h"
#include "techmatch/utf8.h"

namespace techmatch::internal {

TermDictionary::TermDictionary() : weight_(1, 0.0f) {}

void TermDictionary::Add(std::u16string_view term, float weight) {
  if (term.empty() || !(weight > 0)) return;
  uint32_t node = 0;
  for (char16_t c : term) {
    auto [it, inserted] = edges_.try_emplace(Key(node, c), 0);
    if (inserted) {
      it->second = uint32_t(weight_.size());
      weight_.push_back(0.0f);
    }
    node = it->second;
  }
  if (weight_[node] == 0) ++size_;
  if (weight > weight_[node]) weight_[node] = weight;
}

namespace {

std::string_view Trim(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

std::vector<std::string_view> SplitWhitespace(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t b = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
  return out;
}

bool ParseNumber(std::string_view s, double* out) {
  if (s.empty() || s.size() > 64) return false;
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(buf.c_str(), &end);
  if (errno != 0 || end != buf.c_str() + buf.size()) return false;
  *out = v;
  return true;
}

bool IsTag(std::string_view s) {
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return !s.empty();
}

Status AddOne(std::string_view text, double weight,
              const Normalizer& normalizer, TermDictionary* dict,
              const std::string& where) {
  TECHMATCH_RETURN_IF_ERROR(CheckUtf8(text, where));
  if (!(weight > 0) || !std::isfinite(weight)) {
    return Status::InvalidArgument(where + ": weight must be a positive number");
  }
  NormalizedText n;
  (void)normalizer.Append(text, 0, text.size(), &n);  // validated above
  // White space inside a term is kept as a single space.
  std::u16string term;
  for (char16_t c : n.text) {
    bool space = Normalizer::Class(c) == kClsSpace;
    if (space && (term.empty() || term.back() == u' ')) continue;
    term.push_back(space ? u' ' : c);
  }
  while (!term.empty() && term.back() == u' ') term.pop_back();
  if (term.empty()) {
    return Status::InvalidArgument(where + ": empty term after normalization");
  }
  dict->Add(term, float(weight));
  return Status::OK();
}

}  // namespace

Status AddDictionaryTerms(const std::vector<DictionaryTerm>& terms,
                          const Normalizer& normalizer, TermDictionary* dict) {
  for (size_t i = 0; i < terms.size(); ++i) {
    TECHMATCH_RETURN_IF_ERROR(AddOne(
        terms[i].text, terms[i].weight, normalizer, dict,
        "dictionary term " + std::to_string(i) + " \"" + terms[i].text + "\""));
  }
  return Status::OK();
}

namespace {

/// Parses a dictionary file, calling add(term, weight, "path:line") for
/// each entry.
template <typename Add>
Status ParseDictionaryFile(const std::string& path, Add&& add) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("dictionary file " + path + ": cannot open");
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string_view s = line;
    if (lineno == 1 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
    s = Trim(s);
    if (s.empty() || s[0] == '#') continue;
    std::vector<std::string_view> fields = SplitWhitespace(s);
    double weight = 1.0;
    size_t term_fields = fields.size();
    double v;
    if (fields.size() >= 2 && ParseNumber(fields.back(), &v)) {
      weight = v;
      term_fields -= 1;
    } else if (fields.size() >= 3 && IsTag(fields.back()) &&
               ParseNumber(fields[fields.size() - 2], &v)) {
      weight = v;  // jieba: "term freq tag"
      term_fields -= 2;
    }
    // The term is everything before the weight, as written.
    size_t term_end = size_t(fields[term_fields - 1].data() - s.data()) +
                      fields[term_fields - 1].size();
    std::string where = path + ":" + std::to_string(lineno);
    if (weight <= 0) {
      return Status::InvalidArgument(where + ": weight must be > 0, got " +
                                     std::string(fields.back()));
    }
    TECHMATCH_RETURN_IF_ERROR(add(s.substr(0, term_end), weight, where));
  }
  if (in.bad()) return Status::IOError("dictionary file " + path + ": read error");
  return Status::OK();
}

}  // namespace

Status LoadDictionaryFile(const std::string& path,
                          const Normalizer& normalizer, TermDictionary* dict) {
  return ParseDictionaryFile(
      path, [&](std::string_view term, double weight, const std::string& where) {
        return AddOne(term, weight, normalizer, dict, where);
      });
}

Status ReadDictionaryFile(const std::string& path,
                          std::vector<DictionaryTerm>* terms) {
  return ParseDictionaryFile(
      path, [&](std::string_view term, double weight, const std::string& where) {
        TECHMATCH_RETURN_IF_ERROR(CheckUtf8(term, where));
        terms->push_back(DictionaryTerm{std::string(term), weight});
        return Status::OK();
      });
}

Status ReadWordListFile(const std::string& path,
                        std::vector<std::string>* words) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("word list file " + path + ": cannot open");
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string_view s = line;
    if (lineno == 1 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
    s = Trim(s);
    if (s.empty() || s[0] == '#') continue;
    TECHMATCH_RETURN_IF_ERROR(
        CheckUtf8(s, path + ":" + std::to_string(lineno)));
    words->emplace_back(s);
  }
  if (in.bad()) return Status::IOError("word list file " + path + ": read error");
  return Status::OK();
}

}  // namespace techmatch::internal
