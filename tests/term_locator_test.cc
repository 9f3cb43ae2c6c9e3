// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// TermLocator (src/analysis/term_locator.h): the spans it finds without
// word breaking against the spans a full analysis gives.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analysis/doc_terms.h"
#include "analysis/normalizer.h"
#include "analysis/term_locator.h"
#include "techmatch/analyzer.h"
#include "techmatch/record_io.h"
#include "test_util.h"

namespace techmatch::internal {
namespace {

std::unique_ptr<Analyzer> MakeAnalyzer() {
  auto a = Analyzer::Create(AnalyzerOptions{});
  REQUIRE(a.ok());
  return std::move(*a);
}

TermLocator MakeLocator(const Analyzer& a) {
  auto n = Normalizer::Get(a.options().normalize, a.options().traditional_to_simplified);
  REQUIRE(n.ok());
  return TermLocator(*n);
}

using Span = std::pair<uint32_t, uint32_t>;

std::map<uint64_t, std::set<Span>> SpansByKey(const std::vector<Term>& terms) {
  std::map<uint64_t, std::set<Span>> out;
  for (const Term& t : terms) out[TermKey(t.kind, t.text)].insert({t.begin, t.end});
  return out;
}

TEST_CASE("term locator: finds every span a full analysis finds", "[analysis]") {
  auto analyzer = MakeAnalyzer();
  auto records = ReadRecordsJsonlFile(std::string(TECHMATCH_TEST_DATA_DIR) +
                                      "/../../examples/data/supply.jsonl");
  REQUIRE(records.ok());
  std::mt19937_64 rng(5);
  size_t checked_ngrams = 0, checked_words = 0, ngram_equal = 0;
  for (size_t r = 0; r < records->size() && r < 120; ++r) {
    const std::string& text = (*records)[r].text;
    auto analyzed = analyzer->Analyze(text);
    REQUIRE(analyzed.ok());
    if (analyzed->empty()) continue;
    const auto full = SpansByKey(*analyzed);
    // Up to 8 of the record's terms, of every kind, as the wanted keys.
    TermLocator locator = MakeLocator(*analyzer);
    std::set<uint64_t> wanted;
    for (int i = 0; i < 8; ++i) {
      const Term& t = (*analyzed)[rng() % analyzed->size()];
      const uint64_t key = TermKey(t.kind, t.text);
      if (!wanted.insert(key).second) continue;
      if (t.kind == TermKind::kWord) {
        locator.WantWord(t.text);
      } else {
        locator.WantNgram(key);
      }
    }
    std::vector<Term> located;
    REQUIRE(locator.Locate(text, 1000, &located).ok());
    for (size_t i = 1; i < located.size(); ++i) {
      REQUIRE(located[i - 1].begin <= located[i].begin);  // text order
    }
    const auto found = SpansByKey(located);
    for (uint64_t key : wanted) {
      INFO("record " << (*records)[r].id << " key kind " << int(TermKeyKind(key)));
      REQUIRE(found.count(key) == 1);
      const auto& want = full.at(key);
      const auto& got = found.at(key);
      // Every span of the analysis is found ...
      REQUIRE(std::includes(got.begin(), got.end(), want.begin(), want.end()));
      if (TermKeyKind(key) == TermKind::kWord) {
        ++checked_words;
      } else {
        ++checked_ngrams;
        ngram_equal += got == want;
      }
    }
    // ... and every span found holds the term: its source text
    // normalizes to the term's text.
    for (const Term& t : located) {
      auto norm = analyzer->Normalize(text.substr(t.begin, t.end - t.begin));
      REQUIRE(norm.ok());
      REQUIRE(*norm == t.text);
    }
  }
  REQUIRE(checked_words > 50);
  REQUIRE(checked_ngrams > 200);
  // Unigrams and bigrams are the same spans (a bigram across the
  // analyzer's chunk boundary, or a stopword's unigram, could differ).
  REQUIRE(ngram_equal * 100 >= checked_ngrams * 99);
}

TEST_CASE("term locator: ASCII words at word boundaries, caps, bad input", "[analysis]") {
  auto analyzer = MakeAnalyzer();
  TermLocator locator = MakeLocator(*analyzer);
  locator.WantWord("5g");
  locator.WantNgram(TermKey(TermKind::kBigram, "网络"));
  std::vector<Term> out;
  const std::string text = "5G网络，a5g 与 5g2 不算；５Ｇ网络";
  REQUIRE(locator.Locate(text, 10, &out).ok());
  std::vector<std::string> pieces;
  for (const Term& t : out) pieces.push_back(text.substr(t.begin, t.end - t.begin));
  // "5G" (normalized 5g) at the start and the full-width "５Ｇ" are words;
  // a5g and 5g2 are not; 网络 twice.
  CHECK(pieces == std::vector<std::string>{"5G", "网络", "５Ｇ", "网络"});

  // Numbers and codes the segmenter keeps whole are not split.
  TermLocator codes = MakeLocator(*analyzer);
  codes.WantWord("2.5");
  codes.WantWord("covid");
  codes.WantWord("c++");
  const std::string code_text = "2.5 12.5 2.55 2.5% covid covid-19 c++ abc++ (c++)";
  out.clear();
  REQUIRE(codes.Locate(code_text, 10, &out).ok());
  pieces.clear();
  std::vector<uint32_t> starts;
  for (const Term& t : out) {
    pieces.push_back(code_text.substr(t.begin, t.end - t.begin));
    starts.push_back(t.begin);
  }
  CHECK(pieces == std::vector<std::string>{"2.5", "2.5", "covid", "c++", "c++"});
  CHECK(starts == std::vector<uint32_t>{0, 14, 19, 34, 45});

  out.clear();
  REQUIRE(locator.Locate(text, 1, &out).ok());
  CHECK(out.size() == 2);  // the first of each term

  out.clear();
  auto bad = locator.Locate(std::string("abc\xff"), 10, &out);
  CHECK(bad.code() == StatusCode::kInvalidArgument);

  TermLocator none = MakeLocator(*analyzer);
  CHECK(none.empty());
  out.clear();
  REQUIRE(none.Locate(text, 10, &out).ok());
  CHECK(out.empty());
}

TEST_CASE("term locator: hundreds of wanted n-grams, each capped at max_per_term", "[analysis]") {
  // Every unigram and bigram of a text wanted at once (the key filter is
  // then mostly set): each is found at its first max_per_term occurrences
  // only, as the full analysis places them.
  auto analyzer = MakeAnalyzer();
  const std::string text =
      "钒电池电解液制备技术：以钒渣为原料，钒电池电解液的钒浓度高、杂质少；"
      "电解液低温不析出，钒电池储能系统成本低。电池、电解、钒、液流电池。";
  auto analyzed = analyzer->Analyze(text);
  REQUIRE(analyzed.ok());
  TermLocator locator = MakeLocator(*analyzer);
  std::map<uint64_t, std::vector<std::pair<uint32_t, uint32_t>>> want;  // first spans
  for (const Term& t : *analyzed) {
    if (t.kind == TermKind::kWord) continue;
    const uint64_t key = TermKey(t.kind, t.text);
    locator.WantNgram(key);
    locator.WantNgram(key);  // twice: still one wanted key
    want[key].push_back({t.begin, t.end});
  }
  REQUIRE(want.size() > 60);
  for (size_t cap : {size_t{1}, size_t{2}, size_t{3}}) {
    std::vector<Term> located;
    REQUIRE(locator.Locate(text, cap, &located).ok());
    std::map<uint64_t, std::vector<std::pair<uint32_t, uint32_t>>> got;
    for (const Term& t : located) got[TermKey(t.kind, t.text)].push_back({t.begin, t.end});
    REQUIRE(got.size() == want.size());
    for (const auto& [key, spans] : want) {
      std::vector<std::pair<uint32_t, uint32_t>> first(
          spans.begin(), spans.begin() + std::ptrdiff_t(std::min(cap, spans.size())));
      REQUIRE(got.at(key) == first);
    }
  }
}

}  // namespace
}  // namespace techmatch::internal
