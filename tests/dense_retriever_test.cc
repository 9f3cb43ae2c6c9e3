// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/dense_retriever.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <set>

#include "test_util.h"

namespace techmatch {
namespace {

struct Topic {
  const char* category;
  std::vector<const char*> words;
};

const std::vector<Topic>& Topics() {
  static const std::vector<Topic> kTopics = {
      {"工学/材料科学与工程",
       {"锂电池", "正极材料", "负极", "电解液", "磷酸铁锂", "循环寿命", "能量密度", "隔膜"}},
      {"农学/作物学",
       {"水稻", "育种", "产量", "抗病", "品种", "种植", "灌溉", "土壤"}},
      {"工学/电子科学与技术",
       {"芯片", "封装", "功率器件", "碳化硅", "晶圆", "传感器", "电路", "半导体"}},
      {"医学/药学",
       {"中药", "提取", "药效", "制剂", "临床", "配方颗粒", "质量标准", "有效成分"}},
  };
  return kTopics;
}

// 4 topics x `per_topic` records; topic t's records use its vocabulary plus
// shared filler. Regions and maturity cycle so filters have work to do.
std::vector<Record> Corpus(int per_topic, uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  const char* filler[] = {"技术", "研究", "方法", "系统", "应用", "提高", "开发"};
  const char* regions[] = {"四川省/成都市/郫都区", "四川省/德阳市/绵竹市",
                           "重庆市/渝北区"};
  std::vector<Record> out;
  for (size_t t = 0; t < Topics().size(); ++t) {
    const Topic& topic = Topics()[t];
    for (int i = 0; i < per_topic; ++i) {
      Record r;
      r.id = "S" + std::to_string(t) + "-" + std::to_string(i);
      r.kind = i % 5 == 0 ? RecordKind::kDemand : RecordKind::kSupply;
      r.categories = {topic.category};
      r.region = regions[size_t(i) % 3];
      r.maturity = 1 + i % 9;
      r.attributes["mode"] = i % 2 ? "许可" : "转让";
      for (int w = 0; w < 12; ++w) {
        r.text += topic.words[rng() % topic.words.size()];
        if (w % 3 == 2) r.text += filler[rng() % 7];
      }
      r.title = topic.words[rng() % topic.words.size()];
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::shared_ptr<const Analyzer> MakeAnalyzer() {
  auto a = Analyzer::Create();
  REQUIRE(a.ok());
  return std::shared_ptr<const Analyzer>(std::move(*a));
}

std::unique_ptr<DenseRetriever> Make(const std::vector<Record>& corpus,
                                     int dim = 8) {
  DenseRetrieverOptions opt;
  opt.embedder.dim = size_t(dim);
  auto r = DenseRetriever::Create(opt, MakeAnalyzer());
  REQUIRE(r.ok());
  REQUIRE((*r)->Fit(corpus).ok());
  REQUIRE((*r)->Add(corpus).ok());
  REQUIRE((*r)->Build().ok());
  return std::move(*r);
}

TEST_CASE("dense_retriever: text search finds the topic", "[dense_retriever]") {
  auto corpus = Corpus(40);
  auto r = Make(corpus);
  CHECK(r->size() == corpus.size());
  auto hits = r->SearchText("锂电池正极材料的循环寿命", 10);
  REQUIRE(hits.ok());
  REQUIRE(hits->size() == 10);
  int on_topic = 0;
  for (const auto& h : *hits) on_topic += h.key.id.rfind("S0-", 0) == 0;
  CHECK(on_topic >= 9);
  for (size_t i = 1; i < hits->size(); ++i) {
    CHECK((*hits)[i - 1].score >= (*hits)[i].score);
  }
  // A query with no known term matches nothing, without error.
  auto none = r->SearchText("zzzz qqqq", 10);
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("dense_retriever: filters restrict results", "[dense_retriever]") {
  auto corpus = Corpus(40);
  auto r = Make(corpus);
  auto check = [&](const RecordFilter& f, size_t expect_max) {
    auto hits = r->SearchText("芯片封装与功率器件", 1000, &f);
    REQUIRE(hits.ok());
    size_t passing = 0;
    for (const Record& rec : corpus) passing += f.Matches(rec);
    CHECK(hits->size() == std::min(passing, expect_max));
    for (const auto& h : *hits) {
      const Record* rec = nullptr;
      for (const Record& c : corpus) {
        if (c.id == h.key.id && c.kind == h.key.kind) rec = &c;
      }
      REQUIRE(rec != nullptr);
      CHECK(f.Matches(*rec));
    }
  };
  RecordFilter kind;
  kind.kind = RecordKind::kDemand;
  check(kind, 1000);
  RecordFilter cat;
  cat.category_prefixes = {"医学"};
  check(cat, 1000);
  RecordFilter region;
  region.region_prefixes = {"四川省/德阳市"};
  region.min_maturity = 5;
  check(region, 1000);
  RecordFilter attr;
  attr.attributes = {{"mode", "许可"}};
  attr.kind = RecordKind::kSupply;
  check(attr, 1000);
  RecordFilter ids;
  ids.ids = {"S1-3", "S2-7", "S3-0", "no-such-id"};
  check(ids, 1000);
  RecordFilter bad;
  bad.min_maturity = 12;
  CHECK(r->SearchText("芯片", 10, &bad).status().code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("dense_retriever: add, upsert and remove by record key",
          "[dense_retriever]") {
  auto corpus = Corpus(20);
  auto r = Make(corpus);
  // Duplicate key -> error naming it, nothing added.
  Status dup = r->Add({corpus[3]});
  CHECK(dup.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(dup.message(), Catch::Contains(corpus[3].id));
  CHECK(r->size() == corpus.size());
  // The same id on the other side is a different record.
  Record other = corpus[3];
  other.kind = other.kind == RecordKind::kSupply ? RecordKind::kDemand
                                                 : RecordKind::kSupply;
  REQUIRE(r->Add({other}).ok());
  CHECK(r->size() == corpus.size() + 1);
  // Upsert moves a record to another topic.
  Record moved = corpus[0];  // a battery record
  moved.text = "水稻育种与抗病品种种植";
  REQUIRE(r->Upsert({moved}).ok());
  auto hits = r->SearchText("水稻育种抗病品种", 100);
  REQUIRE(hits.ok());
  bool found = false;
  for (const auto& h : *hits) found = found || h.key == RecordKey{moved.kind, moved.id};
  CHECK(found);
  // Remove: unknown key -> NotFound, nothing removed.
  CHECK(r->Remove({{RecordKind::kSupply, "nope"}, {moved.kind, moved.id}}).code() ==
        StatusCode::kNotFound);
  CHECK(r->Contains({moved.kind, moved.id}));
  REQUIRE(r->Remove({{moved.kind, moved.id}}).ok());
  CHECK_FALSE(r->Contains({moved.kind, moved.id}));
  auto after = r->SearchText("水稻育种抗病品种", 1000);
  REQUIRE(after.ok());
  for (const auto& h : *after) CHECK(h.key != (RecordKey{moved.kind, moved.id}));
  // A record with nothing the embedder knows cannot be embedded.
  Record empty;
  empty.id = "E1";
  empty.text = "zzzz";
  Status s = r->Add({empty});
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(s.message(), Catch::Contains("E1"));
}

TEST_CASE("dense_retriever: external vectors", "[dense_retriever]") {
  DenseRetrieverOptions opt;
  opt.embedder.kind = EmbedderKind::kExternal;
  opt.embedder.dim = 4;
  auto r = DenseRetriever::Create(opt, MakeAnalyzer());
  REQUIRE(r.ok());
  std::vector<Record> recs(3);
  for (int i = 0; i < 3; ++i) recs[size_t(i)].id = "V" + std::to_string(i);
  std::vector<float> v = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
  REQUIRE((*r)->AddWithVectors(recs, {v.data(), 3, 4}).ok());
  float q[4] = {0, 0.9f, 0.1f, 0};
  auto hits = (*r)->SearchVector(q, 2);
  REQUIRE(hits.ok());
  REQUIRE(hits->size() == 2);
  CHECK((*hits)[0].key.id == "V1");
  std::vector<float> bad = {1, 0, 0};
  Record extra;
  extra.id = "V9";
  CHECK_FALSE((*r)->AddWithVectors({extra}, {bad.data(), 1, 3}).ok());
  std::vector<float> nan = {0, std::nanf(""), 0, 0};
  Status s = (*r)->AddWithVectors({extra}, {nan.data(), 1, 4});
  CHECK_THAT(s.message(), Catch::Contains("V9"));
  CHECK((*r)->SearchText("任何文本", 3).status().code() == StatusCode::kNotSupported);
}

TEST_CASE("dense_retriever: snapshot round trip", "[dense_retriever]") {
  auto corpus = Corpus(30);
  auto r = Make(corpus);
  REQUIRE(r->Remove({{corpus[1].kind, corpus[1].id}}).ok());
  testing::TempDir dir;
  std::string path = dir.file("dense.tm");
  REQUIRE(r->Save(path).ok());
  auto loaded = DenseRetriever::Load(path, MakeAnalyzer());
  REQUIRE(loaded.ok());
  CHECK((*loaded)->size() == r->size());
  for (const char* q : {"锂电池负极", "水稻产量", "中药制剂质量标准"}) {
    auto a = r->SearchText(q, 15);
    auto b = (*loaded)->SearchText(q, 15);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    REQUIRE(a->size() == b->size());
    for (size_t i = 0; i < a->size(); ++i) {
      CHECK((*a)[i].key == (*b)[i].key);
      CHECK((*a)[i].score == (*b)[i].score);
    }
  }
  RecordFilter f;
  f.region_prefixes = {"重庆市"};
  auto fa = r->SearchText("芯片", 50, &f);
  auto fb = (*loaded)->SearchText("芯片", 50, &f);
  REQUIRE(fa.ok());
  REQUIRE(fb.ok());
  CHECK(fa->size() == fb->size());
  // Still writable after loading.
  Record extra = corpus[1];
  REQUIRE((*loaded)->Add({extra}).ok());
}

TEST_CASE("dense_retriever: damaged snapshots never load", "[dense_retriever]") {
  auto corpus = Corpus(6);
  auto r = Make(corpus, 4);
  testing::TempDir dir;
  std::string path = dir.file("dense.tm");
  REQUIRE(r->Save(path).ok());
  const std::string good = testing::ReadFile(path);
  auto analyzer = MakeAnalyzer();
  auto write = [&](const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
  };
  // Every truncation.
  size_t stride = good.size() > 60000 ? 7 : 1;
  for (size_t len = 0; len < good.size(); len += stride) {
    write(good.substr(0, len));
    auto l = DenseRetriever::Load(path, analyzer);
    REQUIRE_FALSE(l.ok());
  }
  // Every byte flipped.
  for (size_t i = 0; i < good.size(); i += stride) {
    std::string bad = good;
    bad[i] = char(bad[i] ^ 0x5A);
    write(bad);
    auto l = DenseRetriever::Load(path, analyzer);
    INFO("byte " << i);
    REQUIRE_FALSE(l.ok());
    CHECK((l.status().code() == StatusCode::kCorruption ||
           l.status().code() == StatusCode::kNotSupported));
  }
  write(good);
  CHECK(DenseRetriever::Load(path, analyzer).ok());
  CHECK(DenseRetriever::Load(dir.file("missing.tm"), analyzer).status().code() ==
        StatusCode::kNotFound);
}

}  // namespace
}  // namespace techmatch
