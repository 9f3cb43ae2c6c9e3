// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// A synonyms file of any bytes: parsed (or refused, naming the line),
// compiled against the analyzer (or refused, naming the line), then the
// input's tail after a NUL byte is analyzed as a query with the synonyms
// expanded; the expanded query must stay well formed.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "analysis/synonym_matcher.h"
#include "engine/match_query.h"
#include "techmatch/analyzer.h"
#include "techmatch/synonyms.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace techmatch;
  static const std::unique_ptr<Analyzer> analyzer = [] {
    auto a = Analyzer::Create();
    if (!a.ok()) std::abort();
    return std::move(*a);
  }();
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  auto list = ParseSynonyms(std::string_view(input).substr(0, nul), "fuzz.txt");
  if (!list.ok()) {
    if (list.status().message().rfind("fuzz.txt:", 0) != 0) std::abort();
    return 0;
  }
  auto matcher = internal::SynonymMatcher::Compile(*list, *analyzer);
  if (!matcher.ok()) {
    if (list->rules.empty()) std::abort();  // nothing to refuse
    if (matcher.status().message().find("fuzz.txt:") == std::string::npos) std::abort();
    return 0;
  }
  const std::string_view query =
      nul == std::string::npos ? std::string_view("无人机巡检 5G 涤纶") : std::string_view(input).substr(nul + 1);
  internal::QueryView q;
  Status s = internal::AnalyzeQuery(*analyzer, internal::FieldWeights{}, nullptr, query, &q,
                                    internal::QuerySynonyms{matcher->get(), 0.5f});
  if (!s.ok()) return 0;  // e.g. invalid UTF-8 in the query: refused, not expanded
  const auto& terms = q.terms.terms;
  for (size_t i = 1; i < terms.size(); ++i) {
    if (!(terms[i - 1].first < terms[i].first)) std::abort();  // sorted, distinct
  }
  for (size_t i = 0; i < q.synonym_of.size(); ++i) {
    if (i > 0 && !(q.synonym_of[i - 1].first < q.synonym_of[i].first)) std::abort();
    const uint64_t key = q.synonym_of[i].first;
    if (!std::binary_search(terms.begin(), terms.end(), std::make_pair(key, 0.0f),
                            [](const auto& a, const auto& b) { return a.first < b.first; })) {
      std::abort();  // every added key is in the query
    }
    if (std::binary_search(q.keys.begin(), q.keys.end(), key)) std::abort();  // not a feature key
  }
  return 0;
}
