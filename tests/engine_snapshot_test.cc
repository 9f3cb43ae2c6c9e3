// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for engine snapshots as they evolve (src/engine/engine_snapshot.cc,
// src/engine/options_json.cc): golden snapshots of earlier builds load and
// answer as recorded; absent option keys take defaults, unknown ones are
// ignored, wrong ones are Corruption naming them; missing sections and bad
// records are Corruption; one Save writes a directory at a time.

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/options_json.h"
#include "example_engine.h"
#include "io/snapshot_file.h"
#include "techmatch/engine.h"
#include "techmatch/record_io.h"
#include "test_util.h"

namespace techmatch {
namespace {

using Catch::Matchers::Contains;
using nlohmann::json;
using testing::TempDir;

std::string GoldenDir() { return std::string(TECHMATCH_TEST_DATA_DIR) + "/golden"; }

/// Copies snapshot `dir` to `out`, passing each section through `edit`
/// (which may change the payload, or return false to drop the section).
void RewriteSnapshot(const std::string& dir, const std::string& out,
                     const std::function<bool(uint32_t, std::string*)>& edit) {
  std::filesystem::create_directories(out);
  std::filesystem::copy_file(dir + "/CURRENT", out + "/CURRENT",
                             std::filesystem::copy_options::overwrite_existing);
  const std::string name = "engine-000001.tms";
  auto file = internal::SnapshotReader::ReadFile(dir + "/" + name);
  REQUIRE(file.ok());
  internal::SnapshotWriter w;
  for (uint32_t tag : file->tags()) {
    std::string payload(*file->Section(tag));
    if (edit(tag, &payload)) w.AddSection(tag, std::move(payload));
  }
  REQUIRE(w.WriteFile(out + "/" + name).ok());
}

/// Edits META's JSON.
std::function<bool(uint32_t, std::string*)> EditMeta(std::function<void(json*)> fn) {
  return [fn](uint32_t tag, std::string* payload) {
    if (tag == internal::Fourcc("META")) {
      json j = json::parse(*payload);
      fn(&j);
      *payload = j.dump();
    }
    return true;
  };
}

std::vector<Record> GoldenRecords() {
  auto r = ReadRecordsJsonlFile(GoldenDir() + "/engine_v1_records.jsonl");
  REQUIRE(r.ok());
  return std::move(*r);
}

/// Every record of the golden set matched by `engine` as on 2026-12-05,
/// checked against what commit 9e70854 answered.
void CheckGoldenAnswers(const Engine& engine) {
  std::ifstream in(GoldenDir() + "/engine_v1_expected.jsonl");
  const std::vector<Record> records = GoldenRecords();
  MatchOptions mo;
  mo.k = 5;
  mo.explain = false;
  mo.today = Date{2026, 12, 5};
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    const json want = json::parse(line);
    const Record& query = records.at(n++);
    REQUIRE(want["query_id"] == query.id);
    auto got = engine.Match(query, mo);
    REQUIRE(got.ok());
    INFO("query " << query.id);
    REQUIRE(got->matches.size() == want["matches"].size());
    CHECK(got->needs_follow_up == want["needs_follow_up"].get<bool>());
    for (size_t i = 0; i < got->matches.size(); ++i) {
      const json& m = want["matches"][i];
      CHECK(got->matches[i].key.id == m["id"].get<std::string>());
      CHECK(got->matches[i].score == Approx(m["score"].get<double>()).margin(2e-6));
    }
  }
  CHECK(n == records.size());
}

TEST_CASE("engine snapshot: a golden snapshot of format 1 loads and answers as recorded",
          "[engine][snapshot]") {
  auto engine = Engine::Load(GoldenDir() + "/engine_v1_examples");
  REQUIRE(engine.ok());
  CHECK((*engine)->size() == 28);
  CHECK((*engine)->stats().scorer == "linear");
  // Written before LexicalOptions had field weights: the embedder's apply.
  CHECK((*engine)->options().lexical.title_weight == 2.0);
  // Written before ScorerOptions::confidence_measure: the raw confidence
  // it measured, flagged under the floor it used.
  const ScorerOptions& so = (*engine)->options().scorer;
  CHECK(so.confidence_measure == ConfidenceMeasure::kCoverageCosine);
  CHECK(so.raw_follow_up_floor == so.follow_up_floor);
  CheckGoldenAnswers(**engine);

  SECTION("and still after being saved by this build") {
    TempDir dir;
    REQUIRE((*engine)->Save(dir.path()).ok());
    auto again = Engine::Load(dir.path());
    REQUIRE(again.ok());
    CHECK((*again)->options().scorer.confidence_measure == ConfidenceMeasure::kCoverageCosine);
    CheckGoldenAnswers(**again);
  }
}

TEST_CASE("engine snapshot: sections written in pieces (records and BM25 over 1 MiB) load",
          "[engine][snapshot][threads]") {
  EngineOptions o;
  o.threads = 2;
  auto engine = Engine::Open(o);
  REQUIRE(engine.ok());
  std::vector<Record> records;
  std::string text;
  for (int i = 0; i < 40; ++i) text += "高分子材料改性与复合工艺研究第" + std::to_string(i) + "段；";
  for (int i = 0; i < 2500; ++i) {
    Record r;
    r.kind = i % 5 == 0 ? RecordKind::kDemand : RecordKind::kSupply;
    r.id = "R" + std::to_string(i);
    r.title = "材料 " + std::to_string(i);
    r.keywords = {"复合材料", "k" + std::to_string(i % 97)};
    r.text = text + std::to_string(i * 7919);
    records.push_back(std::move(r));
  }
  REQUIRE((*engine)->Add(records).ok());
  REQUIRE((*engine)->Remove({RecordKey{RecordKind::kSupply, "R1"}}).ok());
  TempDir dir;
  REQUIRE((*engine)->Save(dir.path()).ok());
  auto file = internal::SnapshotReader::ReadFile(dir.path() + "/engine-000001.tms");
  REQUIRE(file.ok());
  auto recs = file->Section(internal::Fourcc("RECS"));
  REQUIRE(recs.ok());
  CHECK(recs->size() > (size_t{1} << 20));  // more than one piece
  // Load decodes the BM25 index in chunks of at least 256 KiB on two
  // threads: here in two or more.
  auto lexs = file->Section(internal::Fourcc("LEXS"));
  REQUIRE(lexs.ok());
  CHECK(lexs->size() > (size_t{256} << 10));
  auto loaded = Engine::Load(dir.path());
  REQUIRE(loaded.ok());
  CHECK((*loaded)->size() == records.size() - 1);
  CHECK(!(*loaded)->Contains(RecordKey{RecordKind::kSupply, "R1"}));
  for (int i : {0, 2, 1234, 2499}) {
    auto got = (*loaded)->Get(RecordKey{records[size_t(i)].kind, records[size_t(i)].id});
    REQUIRE(got.ok());
    CHECK(got->text == records[size_t(i)].text);
    CHECK(got->keywords == records[size_t(i)].keywords);
  }
  // Saved again by the loaded engine: the same bytes.
  TempDir again;
  REQUIRE((*loaded)->Save(again.path()).ok());
  std::ifstream a(dir.path() + "/engine-000001.tms", std::ios::binary);
  std::ifstream b(again.path() + "/engine-000001.tms", std::ios::binary);
  const std::string bytes_a((std::istreambuf_iterator<char>(a)), std::istreambuf_iterator<char>());
  const std::string bytes_b((std::istreambuf_iterator<char>(b)), std::istreambuf_iterator<char>());
  CHECK(bytes_a == bytes_b);
}

TEST_CASE("engine snapshot: option keys added or removed by other builds",
          "[engine][snapshot]") {
  TempDir dir;
  SECTION("an unknown key (a newer build's option) is ignored") {
    RewriteSnapshot(GoldenDir() + "/engine_v1_examples", dir.path(), EditMeta([](json* j) {
      (*j)["options"]["lexical"]["future_option"] = 42;
      (*j)["options"]["new_section"] = {{"x", 1}};
      (*j)["options"]["scorer"]["weights"]["popularity"] = 0.5;
    }));
    auto e = Engine::Load(dir.path());
    REQUIRE(e.ok());
    CheckGoldenAnswers(**e);
  }
  SECTION("an absent key (an option added later) takes its default") {
    RewriteSnapshot(GoldenDir() + "/engine_v1_examples", dir.path(), EditMeta([](json* j) {
      (*j)["options"]["fusion"].erase("rrf_k");
      (*j)["options"]["analyzer"].erase("max_text_bytes");
    }));
    auto e = Engine::Load(dir.path());
    REQUIRE(e.ok());
    CHECK((*e)->options().fusion.rrf_k == FusionOptions{}.rrf_k);
    CheckGoldenAnswers(**e);
  }
  SECTION("runtime settings are not taken from the snapshot") {
    RewriteSnapshot(GoldenDir() + "/engine_v1_examples", dir.path(),
                    EditMeta([](json* j) { (*j)["options"]["threads"] = 64; }));
    auto e = Engine::Load(dir.path());
    REQUIRE(e.ok());
    CHECK((*e)->options().threads == 0);
  }
}

TEST_CASE("engine snapshot: wrong option values are Corruption naming the key",
          "[engine][snapshot]") {
  struct Case {
    const char* what;
    std::function<void(json*)> edit;
    const char* names;
  };
  const Case cases[] = {
      {"bool as number", [](json* j) { (*j)["options"]["analyzer"]["emit_words"] = 1; },
       "analyzer.emit_words"},
      {"negative count", [](json* j) { (*j)["options"]["fusion"]["lexical_k"] = -3; },
       "fusion.lexical_k"},
      {"fraction as count", [](json* j) { (*j)["options"]["fusion"]["dense_k"] = 1.5; },
       "fusion.dense_k"},
      {"string as number", [](json* j) { (*j)["options"]["lexical"]["k1"] = "1.2"; },
       "lexical.k1"},
      {"unknown enum", [](json* j) { (*j)["options"]["fusion"]["method"] = "magic"; },
       "fusion.method"},
      {"invalid value", [](json* j) { (*j)["options"]["lexical"]["b"] = 7; }, "lexical.b"},
      {"huge weight", [](json* j) { (*j)["options"]["scorer"]["weights"]["dense"] = 1e300; },
       "scorer.weights"},
      {"section not an object", [](json* j) { (*j)["options"]["lexical"] = 3; }, "lexical"},
      {"no built flag", [](json* j) { j->erase("built"); }, "built"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    TempDir dir;
    RewriteSnapshot(GoldenDir() + "/engine_v1_examples", dir.path(), EditMeta(c.edit));
    auto e = Engine::Load(dir.path());
    CHECK(e.status().code() == StatusCode::kCorruption);
    CHECK_THAT(e.status().message(), Contains(c.names));
    CHECK_THAT(e.status().message(), Contains("engine-000001.tms"));
  }
}

TEST_CASE("engine snapshot: a missing section or a bad record is Corruption naming the file",
          "[engine][snapshot]") {
  const std::pair<const char*, uint32_t> tags[] = {
      {"META", internal::Fourcc("META")}, {"RECS", internal::Fourcc("RECS")},
      {"LEXS", internal::Fourcc("LEXS")}, {"LEXD", internal::Fourcc("LEXD")},
      {"EMBD", internal::Fourcc("EMBD")}, {"DIDX", internal::Fourcc("DIDX")}};
  for (const auto& [tag, value] : tags) {
    INFO("without " << tag);
    TempDir dir;
    const uint32_t drop = value;
    RewriteSnapshot(GoldenDir() + "/engine_v1_examples", dir.path(),
                    [drop](uint32_t t, std::string*) { return t != drop; });
    auto e = Engine::Load(dir.path());
    CHECK(e.status().code() == StatusCode::kCorruption);
    CHECK_THAT(e.status().message(), Contains(tag));
    CHECK_THAT(e.status().message(), Contains("engine-000001.tms"));
  }
  // A record that is valid JSON but not a valid record (its checksum is
  // right: the writer computes it).
  TempDir dir;
  RewriteSnapshot(GoldenDir() + "/engine_v1_examples", dir.path(),
                  [](uint32_t tag, std::string* payload) {
                    if (tag == internal::Fourcc("RECS")) {
                      const size_t at = payload->find("\"kind\":\"supply\"");
                      REQUIRE(at != std::string::npos);
                      payload->replace(at, 15, "\"kind\":\"sup_ly\"");
                    }
                    return true;
                  });
  auto e = Engine::Load(dir.path());
  CHECK(e.status().code() == StatusCode::kCorruption);
  CHECK_THAT(e.status().message(), Contains("RECS"));
}

TEST_CASE("engine snapshot: one Save per directory at a time", "[engine][snapshot]") {
  auto e = Engine::Load(GoldenDir() + "/engine_v1_examples");
  REQUIRE(e.ok());
  TempDir dir;
  REQUIRE((*e)->Save(dir.path()).ok());
  // A temporary file of a Save that crashed, and one of a Save "running"
  // (holding the directory's lock) in another process.
  const std::string stale = dir.path() + "/engine-000002.tms.tmp.99999";
  std::ofstream(stale) << "partial";
  const int fd = ::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  Status s = (*e)->Save(dir.path());
  CHECK(s.code() == StatusCode::kFailedPrecondition);
  CHECK_THAT(s.message(), Contains(dir.path()) && Contains("locked"));
  CHECK(std::filesystem::exists(stale));  // not removed under another Save
  auto loaded = Engine::Load(dir.path());
  CHECK(loaded.ok());
  ::close(fd);  // the other Save ends
  REQUIRE((*e)->Save(dir.path()).ok());
  CHECK_FALSE(std::filesystem::exists(stale));  // a crashed Save's: removed
  CHECK(Engine::Load(dir.path()).ok());
}

TEST_CASE("options json: every field round-trips", "[engine][snapshot]") {
  EngineOptions o;
  o.lexical.k1 = 1.7;
  o.lexical.title_weight = 3;
  o.fusion.method = FusionMethod::kRrf;
  o.fusion.lexical_k = 77;
  o.embedder.kind = EmbedderKind::kExternal;
  o.embedder.dim = 12;
  o.analyzer.dictionary = {{"钒电池", 2.5}};
  o.scorer.weights[Feature::kRegion] = -0.25;
  o.scorer.infer_category = false;
  o.scorer.confidence_measure = ConfidenceMeasure::kCoverageCosine;
  o.scorer.raw_follow_up_floor = 0.25;
  o.dense.spec = "HNSWLIB,M=32";
  o.threads = 5;  // runtime: not saved
  auto back = internal::OptionsFromJson(internal::OptionsToJson(o));
  REQUIRE(back.ok());
  CHECK(back->lexical.k1 == 1.7);
  CHECK(back->lexical.title_weight == 3);
  CHECK(back->fusion.method == FusionMethod::kRrf);
  CHECK(back->fusion.lexical_k == 77);
  CHECK(back->embedder.kind == EmbedderKind::kExternal);
  CHECK(back->embedder.dim == 12);
  REQUIRE(back->analyzer.dictionary.size() == 1);
  CHECK(back->analyzer.dictionary[0].weight == 2.5);
  CHECK(back->scorer.weights[Feature::kRegion] == -0.25);
  CHECK(!back->scorer.infer_category);
  CHECK(back->scorer.confidence_measure == ConfidenceMeasure::kCoverageCosine);
  CHECK(back->scorer.raw_follow_up_floor == 0.25);
  CHECK(back->dense.spec == "HNSWLIB,M=32");
  CHECK(back->threads == 0);
  CHECK(internal::OptionsToJson(*back) == internal::OptionsToJson(o));

  // The defaults round-trip too (a saved key_terms stays key_terms).
  auto defaults = internal::OptionsFromJson(internal::OptionsToJson(EngineOptions{}));
  REQUIRE(defaults.ok());
  CHECK(defaults->scorer.confidence_measure == ConfidenceMeasure::kKeyTermCoverage);
  CHECK(defaults->scorer.raw_follow_up_floor == ScorerOptions{}.raw_follow_up_floor);
}

}  // namespace
}  // namespace techmatch
