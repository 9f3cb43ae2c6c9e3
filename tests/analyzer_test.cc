// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/analyzer.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"

namespace techmatch {
namespace {

std::unique_ptr<Analyzer> Make(const AnalyzerOptions& opt = {}) {
  auto a = Analyzer::Create(opt);
  REQUIRE(a.ok());
  return std::move(*a);
}

std::vector<Term> Terms(const Analyzer& a, std::string_view text) {
  auto r = a.Analyze(text);
  REQUIRE(r.ok());
  return std::move(*r);
}

const Term* Find(const std::vector<Term>& terms, TermKind kind,
                 const std::string& text) {
  for (const Term& t : terms) {
    if (t.kind == kind && t.text == text) return &t;
  }
  return nullptr;
}

bool Has(const std::vector<Term>& terms, TermKind kind, const std::string& text) {
  return Find(terms, kind, text) != nullptr;
}

std::vector<std::string> Words(const std::vector<Term>& terms) {
  std::vector<std::string> out;
  for (const Term& t : terms) {
    if (t.kind == TermKind::kWord) out.push_back(t.text);
  }
  return out;
}

// Every term's source slice normalizes to the term itself.
void CheckOffsets(const Analyzer& a, std::string_view text,
                  const std::vector<Term>& terms) {
  for (const Term& t : terms) {
    INFO("term " << t.text << " [" << t.begin << "," << t.end << ")");
    REQUIRE(t.begin < t.end);
    REQUIRE(t.end <= text.size());
    auto n = a.Normalize(text.substr(t.begin, t.end - t.begin));
    REQUIRE(n.ok());
    CHECK(*n == t.text);
  }
}

TEST_CASE("analyzer: Chinese technology text gives words, unigrams, bigrams",
          "[analyzer]") {
  auto a = Make();
  const std::string text = "石墨烯负极材料的制备与电化学性能研究";
  auto terms = Terms(*a, text);
  CHECK(Has(terms, TermKind::kWord, "材料"));
  CHECK(Has(terms, TermKind::kWord, "性能"));
  CHECK(Has(terms, TermKind::kUnigram, "烯"));
  CHECK(Has(terms, TermKind::kBigram, "墨烯"));
  CHECK(Has(terms, TermKind::kBigram, "负极"));
  CHECK(Has(terms, TermKind::kBigram, "料的"));  // bigrams keep stopwords
  // Stopwords are neither words nor unigrams.
  CHECK_FALSE(Has(terms, TermKind::kWord, "的"));
  CHECK_FALSE(Has(terms, TermKind::kUnigram, "的"));
  CHECK_FALSE(Has(terms, TermKind::kWord, "与"));
  // 18 Han characters: 17 bigrams.
  CHECK(std::count_if(terms.begin(), terms.end(), [](const Term& t) {
          return t.kind == TermKind::kBigram;
        }) == 17);
  CheckOffsets(*a, text, terms);
}

TEST_CASE("analyzer: terms come in text order with word positions",
          "[analyzer]") {
  auto a = Make();
  auto terms = Terms(*a, "激光 焊接 技术");
  REQUIRE(!terms.empty());
  for (size_t i = 1; i < terms.size(); ++i) {
    CHECK(terms[i].begin >= terms[i - 1].begin);
    CHECK(terms[i].position >= terms[i - 1].position);
  }
  const Term* w = Find(terms, TermKind::kWord, "技术");
  REQUIRE(w != nullptr);
  CHECK(w->position == 2);
  const Term* u = Find(terms, TermKind::kUnigram, "术");
  REQUIRE(u != nullptr);
  CHECK(u->position == 2);
}

TEST_CASE("analyzer: mixed Chinese/English, numbers and model codes",
          "[analyzer]") {
  auto a = Make();
  const std::string text =
      "钛合金Ti-6Al-4V的3D打印；PM2.5监测与5G、SiC器件，C++和COVID-19，"
      "基于YOLOv5的PCB检测，功率1,500W，效率98.5%";
  auto terms = Terms(*a, text);
  auto words = Words(terms);
  for (const char* w : {"ti-6al-4v", "3d", "pm2.5", "5g", "sic", "c++",
                        "covid-19", "yolov5", "pcb", "98.5"}) {
    INFO(w);
    CHECK(std::find(words.begin(), words.end(), w) != words.end());
  }
  // Pieces of a joined code are not words of their own.
  CHECK_FALSE(Has(terms, TermKind::kWord, "6al"));
  // A hyphenated pair without digits is not a code.
  auto wifi = Words(Terms(*a, "Wi-Fi模块"));
  CHECK(std::find(wifi.begin(), wifi.end(), "wi") != wifi.end());
  CHECK(std::find(wifi.begin(), wifi.end(), "wi-fi") == wifi.end());
  CheckOffsets(*a, text, terms);
}

TEST_CASE("analyzer: Latin words are case-folded", "[analyzer]") {
  auto a = Make();
  auto words = Words(Terms(*a, "GRAPHENE Lithium-Ion BATTERY"));
  CHECK(words == std::vector<std::string>{"graphene", "lithium", "ion", "battery"});
}

TEST_CASE("analyzer: Traditional input is mapped to Simplified", "[analyzer]") {
  auto a = Make();
  const std::string text = "鋰電池正極材料與導電劑";
  auto terms = Terms(*a, text);
  CHECK(Has(terms, TermKind::kUnigram, "锂"));
  CHECK(Has(terms, TermKind::kBigram, "锂电"));
  CHECK(Has(terms, TermKind::kBigram, "电池"));
  CHECK(Has(terms, TermKind::kBigram, "导电"));
  const Term* li = Find(terms, TermKind::kUnigram, "锂");
  REQUIRE(li != nullptr);
  CHECK(li->begin == 0);
  CHECK(li->end == 3);
  CheckOffsets(*a, text, terms);

  AnalyzerOptions keep;
  keep.traditional_to_simplified = false;
  auto b = Make(keep);
  CHECK(Has(Terms(*b, text), TermKind::kUnigram, "鋰"));
}

TEST_CASE("analyzer: full-width input is normalized, offsets stay original",
          "[analyzer]") {
  auto a = Make();
  const std::string text = "ＡＢＣ１２３型号，ＰＭ２．５";
  auto terms = Terms(*a, text);
  const Term* w = Find(terms, TermKind::kWord, "abc123");
  REQUIRE(w != nullptr);
  CHECK(w->begin == 0);
  CHECK(w->end == 18);  // six 3-byte full-width characters
  CHECK(Has(terms, TermKind::kWord, "pm2.5"));
  CheckOffsets(*a, text, terms);

  AnalyzerOptions raw;
  raw.normalize = false;
  auto b = Make(raw);
  CHECK_FALSE(Has(Terms(*b, text), TermKind::kWord, "abc123"));
}

TEST_CASE("analyzer: compatibility characters and combining marks",
          "[analyzer]") {
  auto a = Make();
  // "é" written as e + U+0301 composes; "㎏" expands to "kg".
  const std::string text = "caf\x65\xCC\x81 5\xE3\x8E\x8F";
  auto terms = Terms(*a, text);
  const Term* cafe = Find(terms, TermKind::kWord, "caf\xC3\xA9");
  REQUIRE(cafe != nullptr);
  CHECK(cafe->end == 6);
  CHECK(Has(terms, TermKind::kWord, "5kg"));
  CheckOffsets(*a, text, terms);
}

TEST_CASE("analyzer: user dictionary keeps domain terms whole", "[analyzer]") {
  const std::string text = "石墨烯负极材料和钛合金3D打印工艺";
  auto plain = Make();
  auto before = Terms(*plain, text);
  CHECK_FALSE(Has(before, TermKind::kWord, "石墨烯负极材料"));
  CHECK_FALSE(Has(before, TermKind::kWord, "钛合金3d打印"));

  AnalyzerOptions opt;
  opt.dictionary = {{"石墨烯负极材料", 5.0}, {"钛合金3D打印", 1.0}};
  auto a = Make(opt);
  CHECK(a->dictionary_size() == 2);
  auto terms = Terms(*a, text);
  const Term* g = Find(terms, TermKind::kWord, "石墨烯负极材料");
  REQUIRE(g != nullptr);
  CHECK(g->begin == 0);
  CHECK(g->end == 21);
  CHECK(Has(terms, TermKind::kWord, "钛合金3d打印"));
  // Unigrams and bigrams are still there for partial matches.
  CHECK(Has(terms, TermKind::kBigram, "负极"));
  CheckOffsets(*a, text, terms);
}

TEST_CASE("analyzer: dictionary terms never split a Latin word", "[analyzer]") {
  AnalyzerOptions opt;
  opt.dictionary = {{"ai", 1.0}, {"能源", 1.0}};
  auto a = Make(opt);
  auto words = Words(Terms(*a, "main domain AI能源"));
  CHECK(std::find(words.begin(), words.end(), "main") != words.end());
  CHECK(std::find(words.begin(), words.end(), "domain") != words.end());
  CHECK(std::count(words.begin(), words.end(), "ai") == 1);
}

TEST_CASE("analyzer: dictionary file with weights, comments and jieba lines",
          "[analyzer]") {
  testing::TempDir dir;
  std::string path = dir.file("dict.txt");
  {
    std::ofstream f(path);
    f << "\xEF\xBB\xBF# domain terms\n\n石墨烯负极材料 5\n全钒液流电池\t2.5\n"
         "页岩气压裂 100 n\n  碳化硅功率器件  \n";
  }
  AnalyzerOptions opt;
  opt.dictionary_file = path;
  auto a = Make(opt);
  CHECK(a->dictionary_size() == 4);
  auto terms = Terms(*a, "全钒液流电池与页岩气压裂及碳化硅功率器件");
  CHECK(Has(terms, TermKind::kWord, "全钒液流电池"));
  CHECK(Has(terms, TermKind::kWord, "页岩气压裂"));
  CHECK(Has(terms, TermKind::kWord, "碳化硅功率器件"));
}

TEST_CASE("analyzer: bad dictionary files are errors naming the line",
          "[analyzer]") {
  testing::TempDir dir;
  auto check = [&](const std::string& content, const std::string& expect) {
    std::string path = dir.file("bad.txt");
    {
      std::ofstream f(path, std::ios::binary);
      f << content;
    }
    AnalyzerOptions opt;
    opt.dictionary_file = path;
    auto a = Analyzer::Create(opt);
    REQUIRE_FALSE(a.ok());
    CHECK(a.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(a.status().message(), Catch::Contains(expect));
  };
  check("石墨烯\n钒电池 -1\n", "bad.txt:2");
  check("石墨烯\n钒电池 0\n", "weight");
  check("a\nb\n\xFF\xFE\n", "bad.txt:3");
  check("ok 1\nnan-term nan\n", "bad.txt:2");

  AnalyzerOptions missing;
  missing.dictionary_file = dir.file("does-not-exist.txt");
  auto a = Analyzer::Create(missing);
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().code() == StatusCode::kNotFound);
  CHECK_THAT(a.status().message(), Catch::Contains("does-not-exist.txt"));
}

TEST_CASE("analyzer: stopwords are editable", "[analyzer]") {
  AnalyzerOptions keep;
  keep.remove_stopwords = false;
  auto a = Make(keep);
  auto terms = Terms(*a, "材料的性能");
  CHECK(Has(terms, TermKind::kWord, "的"));
  CHECK(Has(terms, TermKind::kUnigram, "的"));

  AnalyzerOptions custom;
  custom.stopwords = {"性能", "THE"};
  auto b = Make(custom);
  CHECK(b->IsStopword("性能"));
  CHECK(b->IsStopword("the"));  // normalized on load
  auto t2 = Terms(*b, "材料的性能 the");
  CHECK(Has(t2, TermKind::kWord, "的"));  // no longer a stopword
  CHECK_FALSE(Has(t2, TermKind::kWord, "性能"));
  CHECK_FALSE(Has(t2, TermKind::kWord, "the"));

  testing::TempDir dir;
  std::string path = dir.file("stop.txt");
  {
    std::ofstream f(path);
    f << "# extra\n材料\n";
  }
  AnalyzerOptions file;
  file.stopwords_file = path;
  auto c = Make(file);
  CHECK(c->IsStopword("材料"));
  CHECK(c->IsStopword("的"));  // the default list is kept
  CHECK_FALSE(c->IsStopword("性能"));
}

TEST_CASE("analyzer: term kinds can be switched off", "[analyzer]") {
  AnalyzerOptions opt;
  opt.emit_unigrams = false;
  opt.emit_bigrams = false;
  auto a = Make(opt);
  for (const Term& t : Terms(*a, "锂离子电池隔膜")) {
    CHECK(t.kind == TermKind::kWord);
  }
  AnalyzerOptions grams;
  grams.emit_words = false;
  auto b = Make(grams);
  for (const Term& t : Terms(*b, "锂离子电池隔膜")) {
    CHECK(t.kind != TermKind::kWord);
  }
}

TEST_CASE("analyzer: invalid UTF-8 is an error naming the byte", "[analyzer]") {
  auto a = Make();
  auto r = a->Analyze(std::string("石墨烯\xC3\x28材料", 13));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(r.status().message(), Catch::Contains("byte 9"));
  std::vector<Term> terms = {Term{}};
  CHECK(a->Analyze("\xED\xA0\x80", &terms).code() ==  // a surrogate
        StatusCode::kInvalidArgument);
  CHECK(terms.empty());
  CHECK(a->Segment("abc\xFF").status().code() == StatusCode::kInvalidArgument);
  CHECK(a->Normalize("\xC0\x80").status().code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("analyzer: empty and blank texts", "[analyzer]") {
  auto a = Make();
  CHECK(Terms(*a, "").empty());
  CHECK(Terms(*a, " \t\n\r ").empty());
  CHECK(Terms(*a, "，。！？").empty());
  CHECK(a->Segment("")->empty());
}

TEST_CASE("analyzer: options are validated", "[analyzer]") {
  AnalyzerOptions opt;
  opt.max_text_bytes = 0;
  CHECK(Analyzer::Create(opt).status().code() == StatusCode::kInvalidArgument);
  AnalyzerOptions w;
  w.dictionary = {{"钒电池", -2.0}};
  auto r = Analyzer::Create(w);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(r.status().message(), Catch::Contains("钒电池"));
}

TEST_CASE("analyzer: texts over the size limit are rejected", "[analyzer]") {
  AnalyzerOptions opt;
  opt.max_text_bytes = 100;
  auto a = Make(opt);
  auto r = a->Analyze(std::string(101, 'a'));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(r.status().message(), Catch::Contains("max_text_bytes"));
  CHECK(a->Analyze(std::string(100, 'a')).ok());
}

// Builds `bytes` of technical text: sentences with and without white space,
// so both chunk-cutting paths are taken.
std::string LongText(size_t bytes, bool spaces) {
  const char* parts[] = {"石墨烯负极材料", "的制备工艺", "采用Ti-6Al-4V钛合金",
                         "，", "激光选区熔化", "。", "Li-ion battery "};
  std::string s;
  std::mt19937 rng(7);
  while (s.size() < bytes) {
    s += parts[rng() % 7];
    if (spaces && rng() % 5 == 0) s += rng() % 2 ? "\n" : " ";
  }
  return s;
}

TEST_CASE("analyzer: long texts are cut into chunks without losing terms",
          "[analyzer]") {
  auto a = Make();
  for (bool spaces : {true, false}) {
    std::string text = LongText(600 * 1024, spaces);
    auto terms = Terms(*a, text);
    REQUIRE(!terms.empty());
    CheckOffsets(*a, text, terms);
    // Matches a piecewise analysis of the same text cut at its lines.
    size_t unigrams = 0, han = 0;
    for (const Term& t : terms) unigrams += t.kind == TermKind::kUnigram;
    auto seg = a->Segment(text);
    REQUIRE(seg.ok());
    for (const Token& t : *seg) {
      if (t.type == TokenType::kHan && !a->IsStopword(t.normalized)) {
        han += (t.end - t.begin) / 3;
      }
    }
    CHECK(unigrams == han);
  }
}

TEST_CASE("analyzer: a 10 MB text is analyzed", "[analyzer][slow]") {
  AnalyzerOptions options;
  options.max_text_bytes = 16u << 20;  // above the 8 MiB default
  auto a = Make(options);
  std::string text = LongText(10u << 20, true);
  std::vector<Term> terms;
  REQUIRE(a->Analyze(text, &terms).ok());
  CHECK(terms.size() > 3u << 20);
  CHECK(terms.back().end <= text.size());
  CHECK(terms.back().end > text.size() - 64);
}

TEST_CASE("analyzer: concurrent use gives the same results", "[analyzer][threads]") {
  AnalyzerOptions opt;
  opt.dictionary = {{"石墨烯负极材料", 1.0}};
  auto a = Make(opt);
  std::vector<std::string> texts = {
      "石墨烯负极材料的制备", "钛合金Ti-6Al-4V的3D打印", "鋰電池正極材料",
      "基于YOLOv5的PCB缺陷检测", "页岩气水平井压裂技术"};
  std::vector<std::vector<Term>> expected;
  for (const auto& t : texts) expected.push_back(Terms(*a, t));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (int rep = 0; rep < 200; ++rep) {
        size_t i = size_t(rep + k) % texts.size();
        auto r = a->Analyze(texts[i]);
        if (!r.ok() || r->size() != expected[i].size()) {
          ++mismatches[size_t(k)];
          continue;
        }
        for (size_t j = 0; j < r->size(); ++j) {
          if ((*r)[j].text != expected[i][j].text ||
              (*r)[j].begin != expected[i][j].begin) {
            ++mismatches[size_t(k)];
            break;
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}

TEST_CASE("analyzer: real csl-match abstracts", "[analyzer][shared]") {
  std::string path = testing::SharedFile("csl-match/corpus.jsonl");
  if (path.empty()) TECHMATCH_SKIP(testing::Absent("csl-match/corpus.jsonl"));
  auto a = Make();
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (n < 300 && std::getline(in, line)) {
    // The abstract is the "text" field; a crude cut is enough here.
    size_t b = line.find("\"text\": \"");
    if (b == std::string::npos) continue;
    b += 9;
    size_t e = line.find("\", \"", b);
    if (e == std::string::npos) continue;
    std::string text = line.substr(b, e - b);
    auto terms = Terms(*a, text);
    CHECK(!terms.empty());
    CheckOffsets(*a, text, terms);
    ++n;
  }
  CHECK(n == 300);
}

}  // namespace
}  // namespace techmatch
