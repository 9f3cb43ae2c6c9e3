// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Segmentation (Analyzer::Segment over src/analysis/segmenter.cc): coverage
// of every character, dictionary lattice, and SIGHAN 2005 MSR accuracy.

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "techmatch/analyzer.h"
#include "test_util.h"
#include "util/utf8_decode.h"

namespace techmatch {
namespace {

std::unique_ptr<Analyzer> Make(const AnalyzerOptions& opt = {}) {
  auto a = Analyzer::Create(opt);
  REQUIRE(a.ok());
  return std::move(*a);
}

std::vector<std::string> Pieces(const Analyzer& a, const std::string& text) {
  auto r = a.Segment(text);
  REQUIRE(r.ok());
  std::vector<std::string> out;
  for (const Token& t : *r) out.push_back(text.substr(t.begin, t.end - t.begin));
  return out;
}

// Drops white space: ASCII and the ideographic space U+3000 (the only
// other one the tests use).
std::string StripSpace(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (s.compare(i, 3, "\xE3\x80\x80") == 0) {
      i += 2;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// Tokens are ordered, disjoint, and cover every byte that is not white
// space.
void CheckCoverage(const Analyzer& a, const std::string& text) {
  auto r = a.Segment(text);
  REQUIRE(r.ok());
  uint32_t prev = 0;
  std::string joined;
  for (const Token& t : *r) {
    REQUIRE(t.begin >= prev);
    REQUIRE(t.end > t.begin);
    REQUIRE(t.end <= text.size());
    joined += text.substr(t.begin, t.end - t.begin);
    prev = t.end;
  }
  CHECK(StripSpace(joined) == StripSpace(text));
}

TEST_CASE("segmenter: every character is kept", "[segmenter]") {
  auto a = Make();
  for (const char* text :
       {"钛合金Ti-6Al-4V的3D打印，PM2.5和5G、SiC器件；C++ 和 COVID-19。",
        "石墨\xE2\x80\x8B烯 \xF0\x9F\x98\x80\xF0\xA0\xAE\xB7石",  // ZWSP, emoji
        "ＡＢＣ１２３　全角空格", "caf\x65\xCC\x81 5\xE3\x8E\x8F", "...---///",
        "鋰電池正極材料", "  leading and trailing  "}) {
    INFO(text);
    CheckCoverage(*a, text);
  }
}

TEST_CASE("segmenter: random text keeps every character", "[segmenter]") {
  auto a = Make();
  AnalyzerOptions opt;
  opt.dictionary = {{"石墨", 1}, {"墨烯", 1}, {"ab", 1}, {"a-1", 1}};
  auto b = Make(opt);
  std::mt19937 rng(42);
  const std::vector<char32_t> alphabet = {
      U'石', U'墨', U'烯', U'的', U'a', U'b', U'1', U'-', U'.', U'+', U' ',
      U'，', U'Ａ', U'１', U'\u0301', U'\u200B', U'\u3000', U'😀', U'𠮷',
      U'é', U'ア', U'한', U'\n', U'#', U'鋰', U'㎏'};
  for (int iter = 0; iter < 2000; ++iter) {
    std::string text;
    size_t len = rng() % 40;
    for (size_t i = 0; i < len; ++i) {
      internal::AppendUtf8(alphabet[rng() % alphabet.size()], &text);
    }
    INFO(text);
    CheckCoverage(*a, text);
    CheckCoverage(*b, text);
    REQUIRE(a->Analyze(text).ok());
    REQUIRE(b->Analyze(text).ok());
  }
}

TEST_CASE("segmenter: punctuation and token types", "[segmenter]") {
  auto a = Make();
  auto r = a->Segment("锂电池，5G与ti-6al-4v。");
  REQUIRE(r.ok());
  std::vector<TokenType> types;
  for (const Token& t : *r) types.push_back(t.type);
  // 锂 电池 ， 5g 与 ti-6al-4v 。 (ICU splits 锂电池 this way)
  REQUIRE(types.size() >= 6);
  CHECK(types[0] == TokenType::kHan);
  CHECK(std::count(types.begin(), types.end(), TokenType::kPunct) == 2);
  CHECK(std::count(types.begin(), types.end(), TokenType::kCode) == 1);
  CHECK(std::count(types.begin(), types.end(), TokenType::kLetter) == 1);  // 5g
}

TEST_CASE("segmenter: the user dictionary overrides ICU", "[segmenter]") {
  auto plain = Make();
  const std::string text = "石墨烯负极材料的制备";
  CHECK(Pieces(*plain, text)[0] != "石墨烯负极材料");
  AnalyzerOptions opt;
  opt.dictionary = {{"石墨烯负极材料", 1}};
  auto a = Make(opt);
  auto pieces = Pieces(*a, text);
  CHECK(pieces[0] == "石墨烯负极材料");
  auto r = a->Segment(text);
  CHECK((*r)[0].from_dictionary);
  CHECK_FALSE((*r)[1].from_dictionary);
}

TEST_CASE("segmenter: ICU compounds survive a dictionary of their parts",
          "[segmenter]") {
  auto plain = Make();
  REQUIRE(Pieces(*plain, "电化学储能")[0] == "电化学");
  AnalyzerOptions opt;
  opt.dictionary = {{"电化", 1}, {"化学", 1}};
  auto a = Make(opt);
  CHECK(Pieces(*a, "电化学储能")[0] == "电化学");
}

TEST_CASE("segmenter: heavier dictionary terms win overlaps", "[segmenter]") {
  // 甲乙丙|丁 and 甲|乙丙丁 have as many words: the weights decide.
  AnalyzerOptions left;
  left.dictionary = {{"甲乙丙", 9}, {"乙丙丁", 1}};
  CHECK(Pieces(*Make(left), "甲乙丙丁") ==
        std::vector<std::string>{"甲乙丙", "丁"});
  AnalyzerOptions right;
  right.dictionary = {{"甲乙丙", 1}, {"乙丙丁", 9}};
  CHECK(Pieces(*Make(right), "甲乙丙丁") ==
        std::vector<std::string>{"甲", "乙丙丁"});
}

TEST_CASE("segmenter: mixed-script dictionary terms", "[segmenter]") {
  AnalyzerOptions opt;
  opt.dictionary = {{"钛合金3D打印", 1}, {"5G基站", 1}};
  auto a = Make(opt);
  auto p = Pieces(*a, "钛合金3D打印和5G基站建设");
  CHECK(p[0] == "钛合金3D打印");
  CHECK(std::find(p.begin(), p.end(), "5G基站") != p.end());
  // A dictionary term may not end inside a number: "15G基站" keeps 15g.
  auto q = Pieces(*a, "15G基站");
  CHECK(q[0] == "15G");
}

// SIGHAN-style span F1 of `seg` against `gold` (words separated by spaces),
// with spans over the whole file as segscore.py takes them.
struct Score {
  double p, r, f1;
};
Score SpanF1(const std::vector<std::string>& gold_lines,
             const std::vector<std::string>& seg_lines) {
  auto spans = [](const std::vector<std::string>& lines, size_t* count) {
    std::set<std::pair<size_t, size_t>> out;
    size_t pos = 0;
    for (const std::string& line : lines) {
      size_t i = 0;
      while (i < line.size()) {
        while (i < line.size() && line[i] == ' ') ++i;
        size_t b = i;
        while (i < line.size() && line[i] != ' ') ++i;
        if (i > b) {
          out.insert({pos, pos + (i - b)});
          pos += i - b;
          ++*count;
        }
      }
    }
    return out;
  };
  size_t ng = 0, ns = 0, tp = 0;
  auto g = spans(gold_lines, &ng);
  auto s = spans(seg_lines, &ns);
  for (const auto& sp : s) tp += g.count(sp);
  double p = double(tp) / double(ns), r = double(tp) / double(ng);
  return {p, r, 2 * p * r / (p + r)};
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

TEST_CASE("segmenter: SIGHAN 2005 MSR F1", "[segmenter][shared]") {
  std::string test = testing::SharedFile("sighan2005-msr/msr_test.utf8");
  std::string gold = testing::SharedFile("sighan2005-msr/msr_test_gold.utf8");
  std::string words = testing::SharedFile("sighan2005-msr/msr_training_words.utf8");
  if (test.empty() || gold.empty() || words.empty()) {
    TECHMATCH_SKIP(testing::Absent("sighan2005-msr/msr_test.utf8"));
  }
  auto lines = ReadLines(test);
  auto gold_lines = ReadLines(gold);
  REQUIRE(lines.size() == gold_lines.size());
  auto run = [&](const Analyzer& a) {
    std::vector<std::string> out;
    for (const std::string& l : lines) {
      std::string s;
      for (const std::string& p : Pieces(a, l)) {
        if (!s.empty()) s += ' ';
        s += p;
      }
      out.push_back(s);
    }
    return SpanF1(gold_lines, out);
  };
  Score plain = run(*Make());
  AnalyzerOptions opt;
  opt.dictionary_file = words;
  Score dict = run(*Make(opt));
  WARN("MSR F1 without dictionary " << plain.f1 << ", with " << dict.f1);
  CHECK(plain.f1 >= 0.79);
  CHECK(dict.f1 >= 0.94);
}

}  // namespace
}  // namespace techmatch
