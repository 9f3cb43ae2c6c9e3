// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The synonyms format, the compiled matcher and query-time expansion in
// the engine (Engine::SetSynonyms).

#include "techmatch/synonyms.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "analysis/synonym_matcher.h"
#include "techmatch/engine.h"
#include "techmatch/record_io.h"
#include "test_util.h"

namespace techmatch {
namespace {

using Catch::Matchers::Contains;

SynonymList Parse(const std::string& text) {
  auto r = ParseSynonyms(text, "syn.txt");
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

TEST_CASE("synonyms: the Solr format parses", "[synonyms]") {
  const SynonymList list = Parse(
      "\xEF\xBB\xBF# technology synonyms\n"
      "\n"
      "无人机, 无人飞行器 ,UAV\n"
      "  涤纶 => 聚酯纤维\n"
      "5G, 第五代通信 => 第五代移动通信, 5th generation\n"
      "a\\,b, c\\=>d\r\n");
  REQUIRE(list.rules.size() == 4);
  CHECK(list.source == "syn.txt");
  CHECK(list.rules[0].equivalence());
  CHECK(list.rules[0].from == std::vector<std::string>{"无人机", "无人飞行器", "UAV"});
  CHECK(list.rules[0].line == 3);
  CHECK(!list.rules[1].equivalence());
  CHECK(list.rules[1].from == std::vector<std::string>{"涤纶"});
  CHECK(list.rules[1].to == std::vector<std::string>{"聚酯纤维"});
  CHECK(list.rules[2].from == std::vector<std::string>{"5G", "第五代通信"});
  CHECK(list.rules[2].to == std::vector<std::string>{"第五代移动通信", "5th generation"});
  CHECK(list.rules[3].from == std::vector<std::string>{"a,b", "c=>d"});
  CHECK(list.rules[3].line == 6);
  CHECK(Parse("").rules.empty());
  CHECK(Parse("# only a comment").rules.empty());
}

TEST_CASE("synonyms: malformed lines are refused, naming the line", "[synonyms]") {
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"a, b\nalone\n", "syn.txt:2: one phrase and no \"=>\""},
      {"a,, b\n", "syn.txt:1: empty phrase"},
      {"a, b,\n", "syn.txt:1: empty phrase"},
      {"=> b\n", "syn.txt:1: nothing before \"=>\""},
      {"a =>\n", "syn.txt:1: nothing after \"=>\""},
      {"a => b => c\n", "syn.txt:1: more than one \"=>\""},
      {"ok, fine\na, \xFF\xFE\n", "syn.txt:2: invalid UTF-8"},
      {"a, " + std::string(300, 'x') + "\n", "syn.txt:1: phrase of 300 bytes"},
  };
  for (const Case& c : cases) {
    auto r = ParseSynonyms(c.text, "syn.txt");
    INFO(c.text);
    REQUIRE(!r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().ToString(), Contains(c.message));
  }
  auto missing = ReadSynonymsFile("/nonexistent/synonyms.txt");
  CHECK(missing.status().code() == StatusCode::kNotFound);
}

TEST_CASE("synonyms: the matcher finds phrases, longest first, at word boundaries",
          "[synonyms]") {
  auto analyzer = Analyzer::Create();
  REQUIRE(analyzer.ok());
  auto m = internal::SynonymMatcher::Compile(
      Parse("无人机, 无人飞行器\n飞行器 => 航空器\n5G, 第五代移动通信\nSiC => 碳化硅\n"),
      **analyzer);
  REQUIRE(m.ok());
  const internal::SynonymMatcher& sm = **m;
  CHECK(sm.rules() == 4);
  auto find = [&](const std::string& text) {
    auto n = (*analyzer)->Normalize(text);
    REQUIRE(n.ok());
    std::vector<uint32_t> ids;
    sm.Find(*n, &ids);
    std::vector<std::string> phrases;
    for (uint32_t id : ids) phrases.push_back(sm.phrase(id).normalized);
    return phrases;
  };
  // The longest phrase at a position wins: 无人飞行器, not 飞行器 inside it.
  CHECK(find("小型无人飞行器巡检") == std::vector<std::string>{"无人飞行器"});
  CHECK(find("飞行器与无人机") == std::vector<std::string>{"飞行器", "无人机"});
  // Normalized (case-folded, full width to half width) and at boundaries.
  CHECK(find("基于５Ｇ的 sic 器件") == std::vector<std::string>{"5g", "sic"});
  CHECK(find("5GB 存储, basic 材料").empty());
  // What a phrase expands to: the other phrases' terms, not its own.
  const std::vector<std::string> one = find("无人机");
  REQUIRE(one.size() == 1);
  auto again = (*analyzer)->Normalize("无人机");
  std::vector<uint32_t> ids;
  sm.Find(*again, &ids);
  const auto& expands = sm.phrase(ids[0]).expands;
  REQUIRE(expands.size() == 1);
  CHECK(sm.phrase(expands[0]).normalized == "无人飞行器");
  // One-way: 航空器 is not a phrase that fires.
  CHECK(find("航空器").empty());

  // A phrase with no index term is refused, naming the line.
  auto bad = internal::SynonymMatcher::Compile(Parse("甲烷, 沼气\n的, 了\n"), **analyzer);
  REQUIRE(!bad.ok());
  CHECK_THAT(bad.status().ToString(), Contains("syn.txt:2"));
  CHECK_THAT(bad.status().ToString(), Contains("no index term"));
}

std::vector<Record> ExampleRecords() {
  std::vector<Record> out;
  for (const char* name : {"supply.jsonl", "demand.jsonl"}) {
    auto r = ReadRecordsJsonlFile(std::string(TECHMATCH_TEST_DATA_DIR) + "/../../examples/data/" +
                                  name);
    REQUIRE(r.ok());
    out.insert(out.end(), r->begin(), r->end());
  }
  return out;
}

/// The sample records plus one polyester supply that never says 涤纶.
std::unique_ptr<Engine> PolyesterEngine() {
  EngineOptions o;
  o.embedder.dim = 32;
  o.threads = 2;
  auto e = Engine::Open(o);
  REQUIRE(e.ok());
  REQUIRE((*e)->Add(ExampleRecords()).ok());
  Record r;
  r.kind = RecordKind::kSupply;
  r.id = "POLY1";
  r.title = "聚酯纤维高速纺丝与功能改性";
  r.text = "聚酯纤维熔体直纺工艺，提高纤维强度与染色均匀性，适用于服装面料。";
  REQUIRE((*e)->Add({r}).ok());
  REQUIRE((*e)->Build().ok());
  return std::move(*e);
}

const Match* Find(const MatchResult& r, const std::string& id) {
  for (const Match& m : r.matches) {
    if (m.key.id == id) return &m;
  }
  return nullptr;
}

TEST_CASE("synonyms: a live engine's matches change without re-indexing", "[synonyms]") {
  std::unique_ptr<Engine> engine = PolyesterEngine();
  MatchOptions mo;
  mo.k = 5;
  mo.dense_k = 0;  // the lexical stage alone: what synonyms change
  const std::string query = "涤纶";
  auto before = engine->MatchText(query, mo);
  REQUIRE(before.ok());
  CHECK(Find(*before, "POLY1") == nullptr);

  REQUIRE(engine->SetSynonyms(Parse("涤纶, 聚酯纤维\n")).ok());
  CHECK(engine->stats().synonym_rules == 1);
  CHECK(engine->stats().synonyms_source == "syn.txt");
  auto after = engine->MatchText(query, mo);
  REQUIRE(after.ok());
  REQUIRE(!after->matches.empty());
  CHECK(after->matches[0].key.id == "POLY1");
  // A match the synonym made is as sure as the words it shares.
  CHECK(before->needs_follow_up);
  CHECK(!after->needs_follow_up);
  CHECK(after->raw_confidence > 0.3);
  // The explanation says which phrase of the query brought the term in.
  bool via = false;
  for (const MatchedTerm& t : after->matches[0].explanation.matched_terms) {
    if (t.text == "聚酯纤维" || t.text == "聚酯") {
      CHECK(t.synonym_of == "涤纶");
      CHECK(t.query_spans.empty());
      CHECK(!t.record_spans.empty());
      via = true;
    }
  }
  CHECK(via);
  // A record query's fields are expanded too.
  Record demand;
  demand.kind = RecordKind::kDemand;
  demand.id = "Q";
  demand.title = "涤纶";
  auto rec = engine->Match(demand, mo);
  REQUIRE(rec.ok());
  REQUIRE(!rec->matches.empty());
  CHECK(rec->matches[0].key.id == "POLY1");

  // Per call: weight 0 turns them off.
  MatchOptions off = mo;
  off.synonym_weight = 0;
  auto no = engine->MatchText(query, off);
  REQUIRE(no.ok());
  CHECK(Find(*no, "POLY1") == nullptr);
  off.synonym_weight = -1;
  CHECK(engine->MatchText(query, off).status().code() == StatusCode::kInvalidArgument);

  // A bad list is refused and the rules in force stay.
  auto bad = engine->SetSynonyms(Parse("涤纶, ，，\n"));
  CHECK(!bad.ok());
  CHECK(engine->stats().synonym_rules == 1);
  // An empty list removes them.
  REQUIRE(engine->SetSynonyms(SynonymList{}).ok());
  CHECK(engine->stats().synonym_rules == 0);
  auto removed = engine->MatchText(query, mo);
  REQUIRE(removed.ok());
  CHECK(Find(*removed, "POLY1") == nullptr);
}

TEST_CASE("synonyms: the dense stage embeds the phrases they bring in", "[synonyms]") {
  std::unique_ptr<Engine> engine = PolyesterEngine();
  MatchOptions mo;
  mo.k = 5;
  mo.lexical_k = 0;  // the dense stage alone
  const std::string query = "涤纶";  // in no record: no embedding of its own
  auto before = engine->MatchText(query, mo);
  REQUIRE(before.ok());
  CHECK(Find(*before, "POLY1") == nullptr);

  REQUIRE(engine->SetSynonyms(Parse("涤纶, 聚酯纤维\n")).ok());
  auto after = engine->MatchText(query, mo);
  REQUIRE(after.ok());
  REQUIRE(!after->matches.empty());
  CHECK(after->matches[0].key.id == "POLY1");
  CHECK(after->matches[0].explanation.found_by == "dense");
  CHECK(after->matches[0].dense_score > 0.5f);

  // Weight 0 for the call: the query embeds as without synonyms.
  MatchOptions off = mo;
  off.synonym_weight = 0;
  auto no = engine->MatchText(query, off);
  REQUIRE(no.ok());
  CHECK(Find(*no, "POLY1") == nullptr);

  // A query that has terms of its own keeps them: the phrase moves its
  // vector, more with a larger weight.
  const std::string mixed = "涤纶 染色 面料";
  MatchOptions both;
  both.k = 20;
  both.lexical_k = 0;
  both.synonym_weight = 0;
  auto plain = engine->MatchText(mixed, both);
  REQUIRE(plain.ok());
  both.synonym_weight = 0.5f;
  auto half = engine->MatchText(mixed, both);
  REQUIRE(half.ok());
  both.synonym_weight = 2.0f;
  auto twice = engine->MatchText(mixed, both);
  REQUIRE(twice.ok());
  const Match* p = Find(*plain, "POLY1");
  const Match* h = Find(*half, "POLY1");
  const Match* t = Find(*twice, "POLY1");
  REQUIRE(h != nullptr);
  REQUIRE(t != nullptr);
  if (p != nullptr) CHECK(h->dense_score > p->dense_score);
  CHECK(t->dense_score > h->dense_score);
}

TEST_CASE("synonyms: a query's own terms are not raised, added terms no record has change nothing",
          "[synonyms]") {
  std::unique_ptr<Engine> engine = PolyesterEngine();
  MatchOptions mo;
  mo.k = 3;
  const std::string query = "聚酯纤维纺丝";
  auto before = engine->MatchText(query, mo);
  REQUIRE(before.ok());
  REQUIRE(engine->SetSynonyms(Parse("涤纶, 聚酯纤维\n")).ok());
  auto after = engine->MatchText(query, mo);
  REQUIRE(after.ok());
  // 聚酯纤维 expands to 涤纶, which no record has: nothing changes.
  REQUIRE(before->matches.size() == after->matches.size());
  for (size_t i = 0; i < before->matches.size(); ++i) {
    CHECK(before->matches[i].key.id == after->matches[i].key.id);
    CHECK(before->matches[i].score == Approx(after->matches[i].score));
  }
  CHECK(before->confidence == Approx(after->confidence));
}

TEST_CASE("synonyms: set while matches run", "[synonyms][threads]") {
  std::unique_ptr<Engine> engine = PolyesterEngine();
  const SynonymList on = Parse("涤纶, 聚酯纤维\n无人机, 无人飞行器\n");
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, matches{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      MatchOptions mo;
      mo.k = 3;
      while (!stop) {
        auto r = engine->MatchText("涤纶面料与无人机巡检", mo);
        if (!r.ok()) ++failures;
        ++matches;
      }
    });
  }
  for (int i = 0; i < 40; ++i) {
    REQUIRE(engine->SetSynonyms(i % 2 == 0 ? on : SynonymList{}).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  stop = true;
  for (auto& t : readers) t.join();
  CHECK(failures == 0);
  CHECK(matches > 0);
}

}  // namespace
}  // namespace techmatch
