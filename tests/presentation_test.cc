// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "server/presentation.h"

#include <catch2/catch.hpp>
#include <string>

#include "techmatch/scorer.h"

namespace techmatch::server {
namespace {

using Catch::Matchers::Contains;

MatchedTerm Term(const std::string& text, TermKind kind, uint32_t b, uint32_t e,
                 float contribution, TextField field = TextField::kTitle) {
  MatchedTerm t;
  t.text = text;
  t.kind = kind;
  t.contribution = contribution;
  t.record_spans.push_back(TextSpan{field, 0, b, e});
  t.query_spans.push_back(TextSpan{TextField::kText, 0, b, e});
  return t;
}

Explanation WithFeatures(std::initializer_list<std::pair<Feature, double>> values) {
  Explanation e;
  for (size_t f = 0; f < kNumFeatures; ++f) {
    FeatureContribution c;
    c.feature = Feature(f);
    for (const auto& [feature, value] : values) {
      if (feature == c.feature) c.value = value;
    }
    e.features.push_back(c);
  }
  return e;
}

std::string Plain(const std::vector<TextPiece>& pieces) {
  std::string s;
  for (const TextPiece& p : pieces) s += p.marked ? "[" + p.text + "]" : p.text;
  return s;
}

// "钒电池电解液的中试" : 钒电池 [0,9) 电解液 [9,18) 的 [18,21) 中试 [21,27)
const std::string kTitle = "钒电池电解液的中试";

TEST_CASE("presentation: only whole words are marked", "[presentation]") {
  Explanation e;
  e.matched_terms = {Term("钒电池", TermKind::kWord, 0, 9, 3),
                     Term("电解", TermKind::kBigram, 9, 15, 2),   // a bigram: not marked
                     Term("的", TermKind::kUnigram, 18, 21, 1),   // a character: not marked
                     Term("中", TermKind::kWord, 21, 24, 1),      // one character: not marked
                     Term("100", TermKind::kWord, 0, 3, 1, TextField::kText)};  // a number
  auto spans = WordSpans(e, TextField::kTitle, 0);
  REQUIRE(spans.size() == 1);
  CHECK(spans[0] == std::make_pair(0u, 9u));
  CHECK(WordSpans(e, TextField::kText, 0).empty());
  CHECK(Plain(MarkedSnippet(kTitle, spans, 0)) == "[钒电池]电解液的中试");
  CHECK(KeyTerms(e, 5) == std::vector<std::string>{"钒电池"});
  // A word a synonym brought in says which phrase of the query it stands for.
  Explanation syn = e;
  syn.matched_terms[0].synonym_of = "vrfb";
  CHECK(KeyTerms(syn, 5) == std::vector<std::string>{"钒电池 = vrfb"});
  // The query side has its own spans.
  CHECK(WordSpans(e, TextField::kText, 0, /*query_side=*/true).size() == 1);
}

TEST_CASE("presentation: snippets cut around the marks on character boundaries",
          "[presentation]") {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "无关";
  const uint32_t at = uint32_t(text.size());
  text += "钒电池";
  for (int i = 0; i < 40; ++i) text += "内容";
  auto pieces = MarkedSnippet(text, {{at, at + 9}}, 20);
  const std::string s = Plain(pieces);
  CHECK_THAT(s, Contains("[钒电池]"));
  CHECK(s.rfind("…", 0) == 0);  // cut before
  CHECK(s.size() >= 3);
  CHECK(s.substr(s.size() - 3) == "…");  // and after
  // Out of range and mid-character spans are ignored, control characters
  // flattened.
  CHECK(Plain(MarkedSnippet("a\nb", {{1, 100}, {0, 1}}, 0)) == "[a] b");
  CHECK(Plain(MarkedSnippet(kTitle, {{1, 9}}, 0)) == kTitle);
  // Overlapping spans are joined.
  CHECK(Plain(MarkedSnippet(kTitle, {{0, 9}, {3, 18}}, 0)) == "[钒电池电解液]的中试");
}

TEST_CASE("presentation: display fields", "[presentation]") {
  Record r;
  r.id = "S1";
  r.title = "标题";
  r.region = "四川省/成都市";
  r.maturity = 8;
  r.price = 3e6;
  r.attributes = {{"owner", "成都某大学"}};
  DisplayFields d = GetDisplayFields(r);
  CHECK(d.organization == "成都某大学");
  CHECK(*d.maturity == 8);
  r.attributes = {{"company", "某公司"}, {"organization", "某机构"}};
  CHECK(GetDisplayFields(r).organization == "某机构");
  r.attributes.clear();
  CHECK(GetDisplayFields(r).organization.empty());
  CHECK(GroupedNumber(3000000) == "3,000,000");
  CHECK(GroupedNumber(999) == "999");
  CHECK(GroupedNumber(-1234.4) == "-1,234");
}

TEST_CASE("presentation: reasons in plain words", "[presentation]") {
  Record supply;
  supply.kind = RecordKind::kSupply;
  supply.maturity = 8;
  supply.price = 2e6;
  supply.region = "四川省/攀枝花市/西区";
  Record demand;
  demand.kind = RecordKind::kDemand;
  demand.maturity = 5;
  demand.price = 3e6;
  MatchResult result;
  result.category = "工学/材料科学与工程";
  Match m;
  m.explanation = WithFeatures({{Feature::kCategory, 1.0},
                                {Feature::kMaturity, 1.0},
                                {Feature::kPrice, 1.0},
                                {Feature::kRegion, 1.0}});
  m.explanation.matched_terms = {Term("电解液", TermKind::kWord, 9, 18, 2),
                                 Term("钒电池", TermKind::kWord, 0, 9, 3)};
  auto reasons = Reasons(result, m, supply, &demand);
  std::vector<std::string> codes;
  for (const Reason& r : reasons) codes.push_back(r.code);
  CHECK(codes == std::vector<std::string>{"shared_terms", "same_discipline", "maturity_ok",
                                          "within_budget", "same_region"});
  CHECK(reasons[0].text == "shared key terms: 钒电池, 电解液");  // larger contribution first
  CHECK(reasons[0].text_zh == "共同关键词：钒电池、电解液");
  CHECK(reasons[2].text == "TRL 8 meets the need (at least 5)");
  CHECK(reasons[3].text == "price CNY 2,000,000 within the budget of CNY 3,000,000");
  CHECK(reasons[3].text_zh == "报价200万元，在预算300万元以内");
  CHECK_THAT(reasons[4].text, Contains("same county"));

  // The other direction (a supply as the query) reads the same; shortfalls
  // are said too.
  demand.maturity = 9;
  demand.region = "四川省/成都市";
  m.explanation = WithFeatures({{Feature::kMaturity, -0.125},
                                {Feature::kPrice, -0.5},
                                {Feature::kRegion, 0.33},
                                {Feature::kCategory, 0.5},
                                {Feature::kDense, 0.6}});
  reasons = Reasons(result, m, demand, &supply);
  codes.clear();
  for (const Reason& r : reasons) codes.push_back(r.code);
  CHECK(codes == std::vector<std::string>{"similar_meaning", "related_discipline",
                                          "maturity_below", "over_budget", "same_region"});
  CHECK_THAT(reasons.back().text, Contains("same province"));
  CHECK(reasons[2].text == "TRL 8 is below the need (at least 9)");

  // A free text: no metadata reasons, and nothing without an explanation.
  m.explanation = WithFeatures({{Feature::kDense, 0.1}});
  CHECK(Reasons(result, m, supply, nullptr).empty());
  m.explanation = Explanation{};
  CHECK(Reasons(result, m, supply, &demand).empty());
}

}  // namespace
}  // namespace techmatch::server
