// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "analysis/synonym_matcher.h"

#include <algorithm>
#include <map>
#include <new>

#include "analysis/doc_terms.h"
#include "util/utf8_decode.h"

namespace techmatch::internal {
namespace {

bool AsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

uint32_t FirstCodePoint(std::string_view s) {
  char32_t cp = 0;
  const size_t len =
      DecodeUtf8(reinterpret_cast<const unsigned char*>(s.data()), s.size(), &cp);
  return len == 0 ? uint32_t(static_cast<unsigned char>(s[0])) : uint32_t(cp);
}

}  // namespace

Result<std::shared_ptr<const SynonymMatcher>> SynonymMatcher::Compile(
    const SynonymList& list, const Analyzer& analyzer) {
  try {
    auto m = std::make_shared<SynonymMatcher>();
    m->source_ = list.source;
    m->rules_ = list.rules.size();
    std::map<std::string, uint32_t, std::less<>> ids;  // normalized -> phrase id
    std::vector<std::vector<uint32_t>> expands;        // built as sets below
    auto intern = [&](const std::string& written, const std::string& where) -> Result<uint32_t> {
      auto n = analyzer.Normalize(written);
      if (!n.ok()) return n.status().WithContext(where);
      std::string norm = *n;
      // White space runs are one space, none at the ends, as in the text.
      std::string collapsed;
      for (char c : norm) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (space && (collapsed.empty() || collapsed.back() == ' ')) continue;
        collapsed += space ? ' ' : c;
      }
      while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
      if (collapsed.empty()) {
        return Status::InvalidArgument(where + ": \"" + written + "\" is empty after normalization");
      }
      auto it = ids.find(collapsed);
      if (it != ids.end()) return it->second;
      auto terms = analyzer.Analyze(written);
      if (!terms.ok()) return terms.status().WithContext(where);
      Phrase p;
      p.normalized = collapsed;
      for (const Term& t : *terms) p.keys.push_back(TermKey(t.kind, t.text));
      std::sort(p.keys.begin(), p.keys.end());
      p.keys.erase(std::unique(p.keys.begin(), p.keys.end()), p.keys.end());
      if (p.keys.empty()) {
        return Status::InvalidArgument(where + ": \"" + written +
                                       "\" has no index term (only stopwords or punctuation)");
      }
      const uint32_t id = uint32_t(m->phrases_.size());
      m->phrases_.push_back(std::move(p));
      expands.emplace_back();
      ids.emplace(collapsed, id);
      return id;
    };
    for (const SynonymRule& rule : list.rules) {
      const std::string where = list.source + ":" + std::to_string(rule.line);
      std::vector<uint32_t> from, to;
      for (const std::string& s : rule.from) {
        auto id = intern(s, where);
        if (!id.ok()) return id.status();
        from.push_back(*id);
      }
      for (const std::string& s : rule.to) {
        auto id = intern(s, where);
        if (!id.ok()) return id.status();
        to.push_back(*id);
      }
      const std::vector<uint32_t>& targets = rule.equivalence() ? from : to;
      for (uint32_t a : from) {
        for (uint32_t b : targets) {
          if (a != b) expands[a].push_back(b);
        }
      }
    }
    for (uint32_t id = 0; id < m->phrases_.size(); ++id) {
      std::vector<uint32_t>& e = expands[id];
      std::sort(e.begin(), e.end());
      e.erase(std::unique(e.begin(), e.end()), e.end());
      m->phrases_[id].expands = std::move(e);
      if (!m->phrases_[id].expands.empty()) {
        m->by_first_[FirstCodePoint(m->phrases_[id].normalized)].push_back(id);
      }
    }
    for (auto& [cp, list_ids] : m->by_first_) {
      std::sort(list_ids.begin(), list_ids.end(), [&](uint32_t a, uint32_t b) {
        const size_t la = m->phrases_[a].normalized.size();
        const size_t lb = m->phrases_[b].normalized.size();
        return la != lb ? la > lb : a < b;
      });
    }
    return std::shared_ptr<const SynonymMatcher>(std::move(m));
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory compiling synonyms");
  }
}

void SynonymMatcher::Find(std::string_view text, std::vector<uint32_t>* found) const {
  if (by_first_.empty()) return;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    size_t len = DecodeUtf8(p + i, text.size() - i, &cp);
    if (len == 0) len = 1, cp = p[i];
    size_t advance = len;
    auto it = by_first_.find(uint32_t(cp));
    if (it != by_first_.end()) {
      for (uint32_t id : it->second) {
        const std::string& s = phrases_[id].normalized;
        if (text.size() - i < s.size() || text.compare(i, s.size(), s) != 0) continue;
        const unsigned char first = static_cast<unsigned char>(s.front());
        const unsigned char last = static_cast<unsigned char>(s.back());
        if (AsciiAlnum(first) && i > 0 && AsciiAlnum(p[i - 1])) continue;
        const size_t after = i + s.size();
        if (AsciiAlnum(last) && after < text.size() && AsciiAlnum(p[after])) continue;
        found->push_back(id);
        advance = s.size();
        break;
      }
    }
    i += advance;
  }
}

}  // namespace techmatch::internal
