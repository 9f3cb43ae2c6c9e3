// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Mining candidate synonym pairs from texts (`techmatch synonyms`).

#include "server/synonym_mining.h"

#include <catch2/catch.hpp>
#include <set>
#include <utility>

#include "techmatch/synonyms.h"

namespace techmatch::server {
namespace {

std::set<std::pair<std::string, std::string>> Pairs(const SynonymMiner& m, size_t min_count = 1) {
  std::set<std::pair<std::string, std::string>> out;
  for (const SynonymCandidate& c : m.Candidates(min_count, 1000)) out.emplace(c.term, c.alias);
  return out;
}

TEST_CASE("synonym mining: the stated patterns", "[synonyms]") {
  auto analyzer = Analyzer::Create();
  REQUIRE(analyzer.ok());
  SynonymMiner m(**analyzer);
  m.Scan("S1", "采用碳化硅（SiC）衬底，利用扫描电镜(SEM)观察。");
  m.Scan("S2", "第五代移动通信技术（简称5G）已商用；聚对苯二甲酸乙二醇酯纤维，俗称涤纶，用途广。");
  m.Scan("S3", "双端口随机存储器(以下简称\"DPRAM\")芯片，扫描电镜（SEM）照片。");
  m.Scan("S4", "n(Zn)/n(Zr)为1时，1 g(16 T)条件下，一氧化氮(NO)升高。");
  m.Scan("bad", std::string("\xFF\xFE(ABC)"));  // invalid UTF-8: skipped
  const auto pairs = Pairs(m);
  CHECK(pairs.count({"碳化硅", "sic"}) == 1);  // 采用 is cut off
  CHECK(pairs.count({"扫描电镜", "sem"}) == 1);
  CHECK(pairs.count({"第五代移动通信技术", "5g"}) == 1);
  CHECK(pairs.count({"聚对苯二甲酸乙二醇酯纤维", "涤纶"}) == 1);
  CHECK(pairs.count({"双端口随机存储器", "dpram"}) == 1);
  // Formulas and units are not terms; "no" is a stopword the index never sees.
  for (const auto& [term, alias] : pairs) {
    CHECK(term.find("zn") == std::string::npos);
    CHECK(alias != "16 t");
    CHECK(alias != "no");
  }
  // Counted per text, most stated first.
  const auto top = m.Candidates(2, 10);
  REQUIRE(top.size() == 1);
  CHECK(top[0].term == "扫描电镜");
  CHECK(top[0].count == 2);
  CHECK(top[0].pattern == "abbreviation");
  CHECK(top[0].example_id == "S1");
  CHECK(top[0].example.find("扫描电镜(SEM)") != std::string::npos);
}

TEST_CASE("synonym mining: the output is a synonyms file", "[synonyms]") {
  auto analyzer = Analyzer::Create();
  REQUIRE(analyzer.ok());
  SynonymMiner m(**analyzer);
  m.Scan("S1", "碳化硅（SiC）与氮化镓（GaN）器件；硅,锗（Si,Ge）不算。");
  std::string file;
  for (const SynonymCandidate& c : m.Candidates(1, 100)) {
    file += SynonymMiner::FormatLine(c) + "\n";
  }
  auto parsed = ParseSynonyms(file, "mined");
  INFO(file);
  REQUIRE(parsed.ok());
  CHECK(parsed->rules.size() == 2);
  for (const SynonymRule& r : parsed->rules) CHECK(r.from.size() == 2);
}

}  // namespace
}  // namespace techmatch::server
