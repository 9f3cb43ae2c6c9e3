// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/engine.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "io/snapshot_file.h"
#include "techmatch/record_io.h"
#include "techmatch/utf8.h"
#include "test_util.h"

namespace techmatch {
namespace {

using Catch::Matchers::Contains;
using testing::TempDir;

std::string ExamplesDir() {
  return std::string(TECHMATCH_TEST_DATA_DIR) + "/../../examples/data";
}

std::vector<Record> ReadExamples(const std::string& name) {
  auto r = ReadRecordsJsonlFile(ExamplesDir() + "/" + name);
  REQUIRE(r.ok());
  return std::move(*r);
}

EngineOptions SmallOptions() {
  EngineOptions o;
  o.embedder.dim = 32;  // 315 records: a small space
  o.threads = 2;
  return o;
}

/// The sample supplies and demands, indexed and built (shared: building
/// takes a moment).
const Engine& SampleEngine() {
  static std::unique_ptr<Engine> engine = [] {
    auto e = Engine::Open(SmallOptions());
    REQUIRE(e.ok());
    REQUIRE((*e)->Add(ReadExamples("supply.jsonl")).ok());
    REQUIRE((*e)->Add(ReadExamples("demand.jsonl")).ok());
    REQUIRE((*e)->Build().ok());
    return std::move(*e);
  }();
  return *engine;
}

Record Demand(const std::string& id) {
  for (const Record& r : ReadExamples("demand.jsonl")) {
    if (r.id == id) return r;
  }
  FAIL("no demand " << id);
  return {};
}

std::vector<std::string> Ids(const MatchResult& r) {
  std::vector<std::string> ids;
  for (const auto& m : r.matches) ids.push_back(m.key.id);
  return ids;
}

std::string_view FieldText(const Record& r, const TextSpan& s) {
  switch (s.field) {
    case TextField::kTitle:
      return r.title;
    case TextField::kKeywords:
      return s.index < r.keywords.size() ? std::string_view(r.keywords[s.index])
                                         : std::string_view();
    case TextField::kText:
      return r.text;
  }
  return {};
}

// ---------------------------------------------------------------- options

TEST_CASE("engine: options are validated, naming the field", "[engine]") {
  EngineOptions o;
  o.fusion.dense_weight = -1;
  auto e = Engine::Open(o);
  REQUIRE(e.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(e.status().ToString(), Contains("fusion.dense_weight"));

  o = EngineOptions{};
  o.lexical.k1 = 0;
  e = Engine::Open(o);
  REQUIRE(e.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(e.status().ToString(), Contains("k1"));

  o = EngineOptions{};
  o.scorer.weights[Feature::kDense] = std::nan("");
  e = Engine::Open(o);
  REQUIRE(e.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(e.status().ToString(), Contains("dense"));

  o = EngineOptions{};
  o.scorer.raw_follow_up_floor = std::nan("");
  e = Engine::Open(o);
  REQUIRE(e.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(e.status().ToString(), Contains("scorer.raw_follow_up_floor"));

  o = EngineOptions{};
  o.scorer.confidence_measure = ConfidenceMeasure(7);
  e = Engine::Open(o);
  REQUIRE(e.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(e.status().ToString(), Contains("scorer.confidence_measure"));

  o = EngineOptions{};
  o.dense.dim = 12;
  CHECK(Engine::Open(o).status().code() == StatusCode::kInvalidArgument);

  o = EngineOptions{};
  o.analyzer.dictionary_file = "/nonexistent/dict.txt";
  e = Engine::Open(o);
  REQUIRE(e.status().code() == StatusCode::kNotFound);
  CHECK_THAT(e.status().ToString(), Contains("/nonexistent/dict.txt"));

  MatchOptions mo;
  mo.k = 0;
  CHECK(mo.Validate().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("engine: feature names round-trip", "[engine]") {
  for (size_t i = 0; i < kNumFeatures; ++i) {
    auto f = ParseFeature(FeatureName(Feature(i)));
    REQUIRE(f.ok());
    CHECK(*f == Feature(i));
  }
  CHECK(ParseFeature("nope").status().code() == StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------- writing

TEST_CASE("engine: add, upsert, remove, errors name the record", "[engine]") {
  auto e = Engine::Open(SmallOptions());
  REQUIRE(e.ok());
  Engine& engine = **e;
  std::vector<Record> supply = ReadExamples("supply.jsonl");

  // Match before Build: FailedPrecondition.
  REQUIRE(engine.Add({supply.begin(), supply.begin() + 100}).ok());
  auto early = engine.MatchText("锂电池");
  REQUIRE(!early.ok());
  CHECK(early.status().code() == StatusCode::kFailedPrecondition);

  // Duplicates: nothing added.
  auto dup = engine.Add({supply[100], supply[0]});
  REQUIRE(dup.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(dup.ToString(), Contains(supply[0].id));
  CHECK(!engine.Contains({RecordKind::kSupply, supply[100].id}));
  auto rep = engine.Add({supply[100], supply[100]});
  REQUIRE(rep.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(rep.ToString(), Contains("repeated"));

  // Invalid UTF-8 names the record; nothing added.
  Record bad = supply[101];
  bad.text = "ok \xff\xfe broken";
  auto utf = engine.Add({supply[102], bad});
  REQUIRE(utf.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(utf.ToString(), Contains(bad.id));
  CHECK(!engine.Contains({RecordKind::kSupply, supply[102].id}));

  REQUIRE(engine.Add({supply.begin() + 100, supply.end()}).ok());
  REQUIRE(engine.Build().ok());
  CHECK(engine.size() == supply.size());

  // Upsert replaces: the new text is what matches.
  Record changed = supply[5];
  changed.title = "量子点发光二极管印刷工艺";
  changed.text = "喷墨打印量子点发光二极管，外量子效率超过百分之二十。";
  changed.keywords = {"量子点", "喷墨打印"};
  REQUIRE(engine.Upsert({changed}).ok());
  CHECK(engine.size() == supply.size());
  CHECK(engine.Get({RecordKind::kSupply, changed.id})->title == changed.title);
  auto m = engine.MatchText("量子点发光二极管喷墨打印");
  REQUIRE(m.ok());
  REQUIRE(!m->matches.empty());
  CHECK(m->matches[0].key.id == changed.id);

  // Remove: gone from results; NotFound leaves everything.
  REQUIRE(engine.Remove({{RecordKind::kSupply, changed.id}}).ok());
  CHECK(!engine.Contains({RecordKind::kSupply, changed.id}));
  m = engine.MatchText("量子点发光二极管喷墨打印");
  REQUIRE(m.ok());
  for (const auto& x : m->matches) CHECK(x.key.id != changed.id);
  auto nf = engine.Remove({{RecordKind::kSupply, supply[7].id},
                           {RecordKind::kSupply, "no-such-id"}});
  REQUIRE(!nf.ok());
  CHECK(nf.code() == StatusCode::kNotFound);
  CHECK_THAT(nf.ToString(), Contains("no-such-id"));
  CHECK(engine.Contains({RecordKind::kSupply, supply[7].id}));

  // A record added after Build is folded in and found.
  Record late;
  late.id = "LATE1";
  late.title = "钙钛矿叠层太阳能电池封装";
  late.text = "钙钛矿晶硅叠层电池的柔性封装技术，湿热老化一千小时效率保持百分之九十五。";
  REQUIRE(engine.Add({late}).ok());
  m = engine.MatchText("钙钛矿叠层电池封装");
  REQUIRE(m.ok());
  REQUIRE(!m->matches.empty());
  CHECK(m->matches[0].key.id == "LATE1");

  // Build again compacts; results unchanged.
  const auto before = Ids(*engine.MatchText("钒电池电解液"));
  REQUIRE(engine.Build().ok());
  CHECK(Ids(*engine.MatchText("钒电池电解液")) == before);
}

TEST_CASE("engine: an upsert of most records of both kinds compacts after it lands",
          "[engine][threads]") {
  // Both kinds in one batch, enough postings for the parallel append, and
  // enough replaced records that both lexical indexes compact: the replaced
  // records leave without compaction (it would renumber the prepared
  // batches' terms), compaction follows the commit.
  EngineOptions o;
  o.threads = 2;
  o.lexical.max_deleted_ratio = 0.2;
  auto opened = Engine::Open(o);
  REQUIRE(opened.ok());
  Engine& engine = **opened;
  std::vector<Record> supply = ReadExamples("supply.jsonl");
  std::vector<Record> demand = ReadExamples("demand.jsonl");
  std::vector<Record> all = supply;
  all.insert(all.end(), demand.begin(), demand.end());
  REQUIRE(engine.Add(all).ok());
  REQUIRE(engine.Build().ok());
  const size_t total = engine.size();

  // Every supply and 15 demands, interleaved, each with a marker word of
  // its own.
  auto marker = [](size_t i) { return "zq" + std::to_string(i) + "marker"; };
  std::vector<Record> changed;
  for (size_t i = 0; i < supply.size(); ++i) {
    Record r = supply[i];
    r.text += " " + marker(i);
    changed.push_back(r);
    if (i % 20 == 0 && i / 20 < demand.size()) {
      Record d = demand[i / 20];
      d.text += " " + marker(1000 + i / 20);
      changed.push_back(d);
    }
  }
  REQUIRE(engine.Upsert(changed).ok());
  CHECK(engine.size() == total);

  auto top = [](const Engine& e, const std::string& text, RecordKind kind) {
    MatchOptions mo;
    mo.target = kind;
    auto m = e.MatchText(text, mo);
    REQUIRE(m.ok());
    REQUIRE(!m->matches.empty());
    return m->matches[0].key.id;
  };
  for (size_t i = 0; i < supply.size(); i += 13) {
    INFO("supply " << supply[i].id);
    CHECK(top(engine, marker(i), RecordKind::kSupply) == supply[i].id);
    CHECK(engine.Get({RecordKind::kSupply, supply[i].id})->text ==
          supply[i].text + " " + marker(i));
  }
  for (size_t j = 0; j < 10; ++j) {
    INFO("demand " << demand[j].id);
    CHECK(top(engine, marker(1000 + j), RecordKind::kDemand) == demand[j].id);
  }
  // The snapshot holds the same.
  TempDir dir;
  REQUIRE(engine.Save(dir.path()).ok());
  auto loaded = Engine::Load(dir.path());
  REQUIRE(loaded.ok());
  CHECK((*loaded)->size() == total);
  for (size_t j = 0; j < 10; ++j) {
    CHECK(top(**loaded, marker(1000 + j), RecordKind::kDemand) == demand[j].id);
  }
  CHECK(top(**loaded, marker(199), RecordKind::kSupply) == supply[199].id);
}

TEST_CASE("engine: Keys lists the stored records of one kind", "[engine]") {
  auto e = Engine::Open(SmallOptions());
  REQUIRE(e.ok());
  std::vector<Record> supply = ReadExamples("supply.jsonl");
  std::vector<Record> demand = ReadExamples("demand.jsonl");
  REQUIRE((*e)->Add({supply.begin(), supply.begin() + 5}).ok());
  REQUIRE((*e)->Add({demand.begin(), demand.begin() + 3}).ok());
  REQUIRE((*e)->Remove({{RecordKind::kSupply, supply[1].id}}).ok());
  std::vector<std::string> ids;
  for (const RecordKey& k : (*e)->Keys(RecordKind::kSupply)) {
    CHECK(k.kind == RecordKind::kSupply);
    ids.push_back(k.id);
  }
  CHECK(ids == std::vector<std::string>{supply[0].id, supply[2].id, supply[3].id,
                                        supply[4].id});
  CHECK((*e)->Keys(RecordKind::kDemand).size() == 3);
}

TEST_CASE("engine: one, two or three records build, answer and reload",
          "[engine]") {
  const std::vector<Record> supply = ReadExamples("supply.jsonl");
  for (size_t n = 1; n <= 3; ++n) {
    CAPTURE(n);
    auto e = Engine::Open(EngineOptions{});  // default 256-d LSA
    REQUIRE(e.ok());
    REQUIRE((*e)->Add({supply.begin(), supply.begin() + n}).ok());
    REQUIRE((*e)->Build().ok());
    // Each record's own text finds it first.
    auto r = (*e)->MatchText(supply[n - 1].title + " " + supply[n - 1].text);
    REQUIRE(r.ok());
    REQUIRE(!r->matches.empty());
    CHECK(r->matches[0].key.id == supply[n - 1].id);
    TempDir dir;
    REQUIRE((*e)->Save(dir.file("index")).ok());
    auto loaded = Engine::Load(dir.file("index"));
    REQUIRE(loaded.ok());
    CHECK((*loaded)->size() == n);
  }
}

TEST_CASE("engine: long records: spans capped, over-long fields refused",
          "[engine]") {
  std::vector<Record> supply = ReadExamples("supply.jsonl");
  supply.resize(30);
  Record longer;
  longer.id = "LONG";
  longer.kind = RecordKind::kSupply;
  for (int i = 0; i < 200; ++i) longer.text += "全钒液流电池电解液。";
  supply.push_back(longer);
  auto e = Engine::Open(SmallOptions());
  REQUIRE(e.ok());
  REQUIRE((*e)->Add(supply).ok());
  REQUIRE((*e)->Build().ok());
  auto r = (*e)->MatchText("全钒液流电池电解液");
  REQUIRE(r.ok());
  REQUIRE(!r->matches.empty());
  CHECK(r->matches[0].key.id == "LONG");
  const auto& terms = r->matches[0].explanation.matched_terms;
  REQUIRE(!terms.empty());
  for (const MatchedTerm& t : terms) {
    CHECK(t.record_spans.size() == MatchedTerm::kMaxSpans);  // 200 in the text
    CHECK(t.query_spans.size() >= 1);
  }

  Record huge;
  huge.id = "HUGE";
  huge.kind = RecordKind::kSupply;
  huge.text.assign((size_t{8} << 20) + 1, 'a');
  Status s = (*e)->Add({huge});
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(s.message(), Contains("HUGE") && Contains("max_text_bytes"));
  CHECK(!(*e)->Contains({RecordKind::kSupply, "HUGE"}));
}

TEST_CASE("engine: Build with no records fails", "[engine]") {
  auto e = Engine::Open(SmallOptions());
  REQUIRE(e.ok());
  CHECK((*e)->Build().code() == StatusCode::kFailedPrecondition);
}

// ---------------------------------------------------------------- matching

TEST_CASE("engine: demands find their intended supplies, both directions",
          "[engine]") {
  const Engine& engine = SampleEngine();
  // D001 (vanadium electrolyte) — the README's hand-labelled matches
  // include S0004-style vanadium supplies; check the top is on topic.
  auto r = engine.Match(Demand("D001"));
  REQUIRE(r.ok());
  REQUIRE(r->matches.size() == 10);
  CHECK(r->query_id == "D001");
  for (const auto& m : r->matches) CHECK(m.key.kind == RecordKind::kSupply);
  auto top = engine.Get(r->matches[0].key);
  REQUIRE(top.ok());
  CHECK_THAT(top->title + top->text, Contains("钒"));
  for (size_t i = 1; i < r->matches.size(); ++i) {
    CHECK(r->matches[i - 1].score >= r->matches[i].score);
    CHECK(r->matches[i].rank == i + 1);
  }

  // Reverse: that supply's demands include D001.
  auto back = engine.Match(*top);
  REQUIRE(back.ok());
  REQUIRE(!back->matches.empty());
  for (const auto& m : back->matches) CHECK(m.key.kind == RecordKind::kDemand);
  CHECK(back->matches[0].key.id == "D001");

  // Same-side search excludes the query itself.
  MatchOptions same;
  same.target = RecordKind::kSupply;
  auto similar = engine.Match(*top, same);
  REQUIRE(similar.ok());
  for (const auto& m : similar->matches) CHECK(m.key.id != top->id);
}

TEST_CASE("engine: explanations add up and point into both texts", "[engine]") {
  const Engine& engine = SampleEngine();
  const Record q = Demand("D002");
  auto r = engine.Match(q);
  REQUIRE(r.ok());
  REQUIRE(!r->matches.empty());
  // D002 has no category: inferred from its neighbours.
  CHECK(q.categories.empty());
  if (!r->category.empty()) CHECK(r->category_inferred);
  for (const auto& m : r->matches) {
    const Explanation& e = m.explanation;
    REQUIRE(e.features.size() == kNumFeatures);
    double sum = e.bias;
    for (size_t i = 0; i < kNumFeatures; ++i) {
      CHECK(e.features[i].feature == Feature(i));
      CHECK(e.features[i].contribution ==
            Approx(e.features[i].weight * e.features[i].value));
      sum += e.features[i].contribution;
    }
    CHECK(sum == Approx(m.score).margin(1e-9));
    CHECK((e.found_by == "lexical" || e.found_by == "dense" || e.found_by == "both"));
    if (m.lexical_score > 0) CHECK(!e.matched_terms.empty());
    auto rec = engine.Get(m.key);
    REQUIRE(rec.ok());
    float total = 0;
    for (const auto& t : e.matched_terms) {
      total += t.contribution;
      CHECK(!t.text.empty());
      CHECK(!t.query_spans.empty());
      CHECK(!t.record_spans.empty());
      for (const auto& s : t.query_spans) {
        std::string_view f = FieldText(q, s);
        REQUIRE(s.begin < s.end);
        REQUIRE(s.end <= f.size());
        CHECK(FindInvalidUtf8(f.substr(s.begin, s.end - s.begin)) == std::string_view::npos);
      }
      for (const auto& s : t.record_spans) {
        std::string_view f = FieldText(*rec, s);
        REQUIRE(s.end <= f.size());
        CHECK(FindInvalidUtf8(f.substr(s.begin, s.end - s.begin)) == std::string_view::npos);
      }
    }
    // Every term is explained for these short queries (<= 20 kept).
    if (e.matched_terms.size() < 20) CHECK(total == Approx(m.lexical_score).epsilon(1e-3));
  }
  // Matched terms are sorted by contribution.
  const auto& terms = r->matches[0].explanation.matched_terms;
  for (size_t i = 1; i < terms.size(); ++i) {
    CHECK(terms[i - 1].contribution >= terms[i].contribution);
  }

  MatchOptions quiet;
  quiet.explain = false;
  auto r2 = engine.Match(q, quiet);
  REQUIRE(r2.ok());
  CHECK(Ids(*r2) == Ids(*r));
  CHECK(r2->matches[0].explanation.features.empty());
}

TEST_CASE("engine: coverage flag — never silently empty", "[engine]") {
  const Engine& engine = SampleEngine();
  auto none = engine.MatchText("zzqx wvut");
  REQUIRE(none.ok());
  CHECK(none->needs_follow_up);

  auto good = engine.MatchText("钒电池电解液低成本制备");
  REQUIRE(good.ok());
  CHECK(!good->needs_follow_up);
  REQUIRE(!good->matches.empty());

  // A floor above every raw confidence flags the query (the engine has no
  // calibration) but keeps its candidates.
  EngineOptions o = SmallOptions();
  o.scorer.raw_follow_up_floor = 1e9;
  auto e = Engine::Open(o);
  REQUIRE(e.ok());
  REQUIRE((*e)->Add(ReadExamples("supply.jsonl")).ok());
  REQUIRE((*e)->Build().ok());
  auto flagged = (*e)->MatchText("钒电池电解液低成本制备");
  REQUIRE(flagged.ok());
  CHECK(flagged->needs_follow_up);
  CHECK(flagged->matches.size() == 10);
}

TEST_CASE("engine: needs_follow_up is the same at every embedding dimension", "[engine]") {
  // The hand-labelled fits of the sample demands (label 3).
  std::map<std::string, std::set<std::string>> fits;
  {
    std::ifstream in(ExamplesDir() + "/judgments.jsonl");
    REQUIRE(in);
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line);
      if (j.at("label").get<int>() == 3) {
        fits[j.at("demand").get<std::string>()].insert(j.at("supply").get<std::string>());
      }
    }
  }
  REQUIRE(fits.size() == 15);
  const std::vector<Record> demands = ReadExamples("demand.jsonl");
  const std::vector<std::string> off_topic = {"足球比赛战术分析", "蛋糕烘焙配方",
                                              "明星演唱会门票"};
  const std::vector<std::string> on_topic = {"无人机", "钒电池电解液", "UAV 巡检"};
  std::optional<std::set<std::string>> first;
  for (size_t dim : {2, 16, 64, 256}) {
    CAPTURE(dim);
    EngineOptions o = SmallOptions();
    o.embedder.dim = dim;
    o.analyzer.dictionary_file = ExamplesDir() + "/tech_terms.txt";
    auto e = Engine::Open(o);
    REQUIRE(e.ok());
    REQUIRE((*e)->Add(ReadExamples("supply.jsonl")).ok());
    REQUIRE((*e)->Add(demands).ok());
    REQUIRE((*e)->Build().ok());
    MatchOptions mo;
    mo.k = 3;
    mo.explain = false;
    std::set<std::string> flagged;
    for (const Record& d : demands) {
      CAPTURE(d.id);
      auto r = (*e)->Match(d, mo);
      REQUIRE(r.ok());
      size_t found = 0;
      for (const auto& m : r->matches) found += fits[d.id].count(m.key.id);
      if (found == 0) CHECK(r->needs_follow_up);  // no fit in the top 3
      if (r->needs_follow_up) flagged.insert(d.id);
    }
    if (!first) first = flagged;
    CHECK(flagged == *first);
    for (const std::string& text : off_topic) {
      CAPTURE(text);
      auto r = (*e)->MatchText(text, mo);
      REQUIRE(r.ok());
      CHECK(r->needs_follow_up);
    }
    for (const std::string& text : on_topic) {
      CAPTURE(text);
      auto r = (*e)->MatchText(text, mo);
      REQUIRE(r.ok());
      CHECK(!r->needs_follow_up);
    }
  }
}

TEST_CASE("engine: filters hold on every result", "[engine]") {
  const Engine& engine = SampleEngine();
  MatchOptions mo;
  mo.k = 20;
  mo.filter.min_maturity = 7;
  mo.filter.region_prefixes = {"四川省/成都市"};
  auto r = engine.MatchText("锂电池 负极材料 快充", mo);
  REQUIRE(r.ok());
  REQUIRE(!r->matches.empty());
  for (const auto& m : r->matches) {
    auto rec = engine.Get(m.key);
    REQUIRE(rec.ok());
    CHECK(rec->maturity.value_or(0) >= 7);
    CHECK_THAT(rec->region, Catch::StartsWith("四川省/成都市"));
  }
  mo.filter = RecordFilter{};
  mo.filter.ids = {"S0001", "S0002"};
  r = engine.MatchText("茶多酚 甲烷", mo);
  REQUIRE(r.ok());
  std::set<std::string> got;
  for (const auto& m : r->matches) got.insert(m.key.id);
  CHECK(got == std::set<std::string>{"S0001", "S0002"});
}

TEST_CASE("engine: MatchBatch equals one-by-one Match", "[engine][threads]") {
  const Engine& engine = SampleEngine();
  std::vector<Record> demands = ReadExamples("demand.jsonl");
  std::vector<MatchQuery> qs;
  for (const Record& d : demands) qs.push_back(MatchQuery{d.id, "", &d});
  qs.push_back(MatchQuery{"free", "茶叶深加工 提取", nullptr});
  auto batch = engine.MatchBatch(qs, {}, 2);
  REQUIRE(batch.ok());
  REQUIRE(batch->size() == qs.size());
  for (size_t i = 0; i < demands.size(); ++i) {
    auto one = engine.Match(demands[i]);
    REQUIRE(one.ok());
    CHECK((*batch)[i].query_id == demands[i].id);
    CHECK(Ids((*batch)[i]) == Ids(*one));
  }
  CHECK(batch->back().query_id == "free");
}

TEST_CASE("engine: profiled matches report where the time went", "[engine]") {
  const Engine& engine = SampleEngine();
  const Record demand = ReadExamples("demand.jsonl").front();
  auto plain = engine.Match(demand);
  REQUIRE(plain.ok());
  CHECK(plain->timings.total_ms == 0);  // not profiled: nothing measured

  MatchOptions mo;
  mo.profile = true;
  auto r = engine.Match(demand, mo);
  REQUIRE(r.ok());
  CHECK(Ids(*r) == Ids(*plain));  // profiling changes nothing else
  const MatchTimings& t = r->timings;
  for (double ms : {t.analyze_ms, t.embed_ms, t.lexical_ms, t.dense_ms,
                    t.rerank_ms, t.explain_ms}) {
    CHECK(ms >= 0);
  }
  const double sum = t.analyze_ms + t.embed_ms + t.lexical_ms + t.dense_ms +
                     t.rerank_ms + t.explain_ms;
  CHECK(t.total_ms > 0);
  CHECK(sum == Approx(t.total_ms).margin(1e-6));

  const EngineStats st = engine.stats();
  CHECK(st.build_fit_seconds > 0);
  CHECK(st.build_embed_seconds > 0);
  CHECK(st.build_index_seconds >= 0);
}

// ---------------------------------------------------------------- snapshots

TEST_CASE("engine: snapshot round trip gives identical results", "[engine]") {
  const Engine& engine = SampleEngine();
  TempDir dir;
  REQUIRE(engine.Save(dir.path()).ok());
  auto loaded = Engine::Load(dir.path());
  REQUIRE(loaded.ok());
  CHECK((*loaded)->size() == engine.size());
  CHECK((*loaded)->stats().dense_index == engine.stats().dense_index);
  for (const Record& d : ReadExamples("demand.jsonl")) {
    auto a = engine.Match(d);
    auto b = (*loaded)->Match(d);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    REQUIRE(Ids(*a) == Ids(*b));
    for (size_t i = 0; i < a->matches.size(); ++i) {
      CHECK(a->matches[i].score == b->matches[i].score);
    }
    CHECK(a->category == b->category);
  }
  // Saving again adds a generation; the current and the one before stay.
  REQUIRE((*loaded)->Save(dir.path()).ok());
  REQUIRE((*loaded)->Save(dir.path()).ok());
  size_t files = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir.path())) {
    files += f.path().filename().string().rfind("engine-", 0) == 0;
  }
  CHECK(files == 2);
  CHECK(Engine::Load(dir.path()).ok());

  // Weights are saved with the engine.
  ScorerWeights w = engine.weights();
  w[Feature::kRegion] = 0.77;
  REQUIRE((*loaded)->SetWeights(w).ok());
  REQUIRE((*loaded)->Save(dir.path()).ok());
  auto again = Engine::Load(dir.path());
  REQUIRE(again.ok());
  CHECK((*again)->weights()[Feature::kRegion] == 0.77);
}

TEST_CASE("engine: an unbuilt engine saves and loads", "[engine]") {
  auto e = Engine::Open(SmallOptions());
  REQUIRE(e.ok());
  std::vector<Record> supply = ReadExamples("supply.jsonl");
  REQUIRE((*e)->Add(supply).ok());
  TempDir dir;
  REQUIRE((*e)->Save(dir.path()).ok());
  auto loaded = Engine::Load(dir.path());
  REQUIRE(loaded.ok());
  CHECK(!(*loaded)->stats().built);
  REQUIRE((*loaded)->Build().ok());
  REQUIRE((*e)->Build().ok());
  CHECK(Ids(*(*loaded)->MatchText("茶多酚")) == Ids(*(*e)->MatchText("茶多酚")));
}

TEST_CASE("engine: damaged and foreign snapshots are refused", "[engine]") {
  auto e = Engine::Open(SmallOptions());
  REQUIRE(e.ok());
  std::vector<Record> supply = ReadExamples("supply.jsonl");
  REQUIRE((*e)->Add({supply.begin(), supply.begin() + 60}).ok());
  REQUIRE((*e)->Build().ok());
  TempDir dir;
  REQUIRE((*e)->Save(dir.path()).ok());
  std::string name;
  for (const auto& f : std::filesystem::directory_iterator(dir.path())) {
    if (f.path().filename().string().rfind("engine-", 0) == 0) name = f.path().string();
  }
  REQUIRE(!name.empty());
  const std::string good = testing::ReadFile(name);

  auto write = [&](const std::string& bytes) {
    std::ofstream(name, std::ios::binary | std::ios::trunc) << bytes;
  };
  // Truncations and byte flips: an error, never a crash.
  std::mt19937 rng(7);
  for (int i = 0; i < 150; ++i) {
    std::string bad = good;
    if (i % 2 == 0) {
      bad.resize(rng() % good.size());
    } else {
      bad[rng() % bad.size()] ^= char(1 + rng() % 255);
    }
    write(bad);
    auto r = Engine::Load(dir.path());
    CHECK(r.status().code() == StatusCode::kCorruption);
  }
  // Another engine format version: NotSupported naming both.
  auto reader = internal::SnapshotReader::Parse(good);
  REQUIRE(reader.ok());
  internal::SnapshotWriter w;
  for (uint32_t tag : reader->tags()) {
    std::string payload(*reader->Section(tag));
    if (tag == internal::Fourcc("META")) {
      const std::string from = "\"engine_format\":2";
      auto at = payload.find(from);
      REQUIRE(at != std::string::npos);
      payload.replace(at, from.size(), "\"engine_format\":7");
    }
    w.AddSection(tag, payload);
  }
  REQUIRE(w.WriteFile(name).ok());
  auto foreign = Engine::Load(dir.path());
  REQUIRE(!foreign.ok());
  CHECK(foreign.status().code() == StatusCode::kNotSupported);
  CHECK_THAT(foreign.status().ToString(), Contains("7"));
  CHECK_THAT(foreign.status().ToString(), Contains("1"));

  // No snapshot at all.
  TempDir empty;
  CHECK(Engine::Load(empty.path()).status().code() == StatusCode::kNotFound);
}

TEST_CASE("engine: a crash during Save leaves a loadable snapshot",
          "[engine][crash]") {
  auto e = Engine::Open(SmallOptions());
  REQUIRE(e.ok());
  REQUIRE((*e)->Add(ReadExamples("supply.jsonl")).ok());
  REQUIRE((*e)->Build().ok());
  TempDir dir;
  REQUIRE((*e)->Save(dir.path()).ok());
  const auto expected = Ids(*(*e)->MatchText("钒电池电解液"));
  std::mt19937 rng(11);
  for (int round = 0; round < 12; ++round) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      // Child: save over and over until killed.
      for (;;) (void)(*e)->Save(dir.path());
    }
    std::this_thread::sleep_for(std::chrono::microseconds(2000 + rng() % 60000));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    auto loaded = Engine::Load(dir.path());
    REQUIRE(loaded.ok());
    CHECK(Ids(*(*loaded)->MatchText("钒电池电解液")) == expected);
  }
}

// ---------------------------------------------------------------- threads

TEST_CASE("engine: stats and options while the first Build runs",
          "[engine][threads]") {
  auto e = Engine::Open(SmallOptions());
  REQUIRE(e.ok());
  Engine& engine = **e;
  REQUIRE(engine.Add(ReadExamples("supply.jsonl")).ok());
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop.load()) {
      (void)engine.stats();
      (void)engine.options();
      (void)engine.MatchText("锂电池");  // FailedPrecondition until built
    }
  });
  REQUIRE(engine.Build().ok());
  stop = true;
  reader.join();
  CHECK(engine.stats().built);
}

TEST_CASE("engine: concurrent matches alongside one writer", "[engine][threads]") {
  auto e = Engine::Open(SmallOptions());
  REQUIRE(e.ok());
  Engine& engine = **e;
  std::vector<Record> supply = ReadExamples("supply.jsonl");
  REQUIRE(engine.Add({supply.begin(), supply.begin() + 200}).ok());
  REQUIRE(engine.Build().ok());
  std::atomic<bool> stop{false};
  std::atomic<int> errors{0}, matches{0};
  std::vector<std::thread> readers;
  const char* queries[] = {"钒电池电解液", "锂电池负极", "无人机复合材料", "茶多酚提取"};
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      int i = t;
      while (!stop.load()) {
        auto r = engine.MatchText(queries[i++ % 4]);
        if (!r.ok()) ++errors;
        ++matches;
      }
    });
  }
  // The writer: adds the rest in batches, re-upserts, removes some.
  for (size_t b = 200; b < supply.size(); b += 20) {
    std::vector<Record> batch(supply.begin() + long(b),
                              supply.begin() + long(std::min(b + 20, supply.size())));
    REQUIRE(engine.Add(batch).ok());
    REQUIRE(engine.Upsert({supply[b - 100]}).ok());
  }
  REQUIRE(engine.Remove({{RecordKind::kSupply, supply[0].id}}).ok());
  REQUIRE(engine.Build().ok());
  // Stop only after some match ran, whatever the threads' scheduling.
  while (matches.load() == 0) std::this_thread::yield();
  stop = true;
  for (auto& t : readers) t.join();
  CHECK(errors == 0);
  CHECK(engine.size() == supply.size() - 1);
}

}  // namespace
}  // namespace techmatch
