// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/embedder.h"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "techmatch/record_io.h"
#include "test_util.h"

namespace techmatch {
namespace {

// ---- fixtures: a synthetic six-topic corpus ----

constexpr int kTopics = 6;
constexpr int kPerTopic = 50;

const std::vector<std::vector<std::string>>& TopicWords() {
  static const std::vector<std::vector<std::string>> words = {
      {"锂电池", "正极", "负极", "电解液", "隔膜", "充电", "容量", "循环寿命",
       "储能", "电芯", "快充", "固态电池"},
      {"水稻", "育种", "产量", "品种", "抗病", "种植", "田间", "杂交", "稻米",
       "秧苗", "施肥", "灌溉"},
      {"芯片", "封装", "功率器件", "晶圆", "半导体", "刻蚀", "光刻", "集成电路",
       "碳化硅", "栅极", "硅片", "引线"},
      {"中药", "提取物", "药效", "临床", "患者", "疗效", "制剂", "抗炎", "给药",
       "药理", "注射液", "复方"},
      {"污水", "脱氮", "絮凝", "污泥", "出水", "水质", "反应器", "除磷", "曝气",
       "沉淀池", "消毒", "废水"},
      {"机器人", "路径规划", "机械臂", "视觉", "定位", "伺服", "导航", "避障",
       "抓取", "关节", "控制器", "激光雷达"},
  };
  return words;
}

const std::vector<std::string>& Filler() {
  static const std::vector<std::string> words = {
      "研究", "技术", "方法", "提高", "系统", "应用", "开发", "性能",
      "分析", "设计", "实验", "结果", "显著", "新型", "工艺", "优化"};
  return words;
}

// One record of `topic`: topic words, shared filler words and, one time in
// ten, a word of another topic.
Record MakeRecord(int topic, const std::string& id, std::mt19937* rng) {
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& {
    return v[(*rng)() % v.size()];
  };
  const auto& mine = TopicWords()[size_t(topic)];
  Record r;
  r.id = id;
  r.title = pick(mine) + pick(mine) + pick(Filler());
  r.keywords = {pick(mine), pick(mine)};
  for (int i = 0; i < 9; ++i) {
    int roll = int((*rng)() % 10);
    if (roll < 5) {
      r.text += pick(mine);
    } else if (roll < 9) {
      r.text += pick(Filler());
    } else {
      r.text += pick(TopicWords()[(*rng)() % kTopics]);
    }
    r.text += i == 8 ? "。" : "，";
  }
  return r;
}

struct Corpus {
  std::vector<Record> records;
  std::vector<int> topic;  // per record
};

const Corpus& SyntheticCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    std::mt19937 rng(20260101);
    for (int i = 0; i < kPerTopic; ++i) {
      for (int t = 0; t < kTopics; ++t) {
        c.records.push_back(MakeRecord(
            t, "t" + std::to_string(t) + "-" + std::to_string(i), &rng));
        c.topic.push_back(t);
      }
    }
    return c;
  }();
  return corpus;
}

std::shared_ptr<const Analyzer> SharedAnalyzer() {
  static const std::shared_ptr<const Analyzer> analyzer = [] {
    auto a = Analyzer::Create();
    REQUIRE(a.ok());
    return std::shared_ptr<const Analyzer>(std::move(*a));
  }();
  return analyzer;
}

std::unique_ptr<Embedder> Make(const EmbedderOptions& options) {
  auto e = CreateEmbedder(options, SharedAnalyzer());
  INFO(e.status().ToString());
  REQUIRE(e.ok());
  return std::move(*e);
}

std::vector<float> EmbedAll(const Embedder& e,
                            const std::vector<Record>& records) {
  std::vector<float> out(records.size() * e.dim());
  Status s = e.EmbedRecords(records, out.data());
  INFO(s.ToString());
  REQUIRE(s.ok());
  return out;
}

std::vector<float> EmbedQuery(const Embedder& e, const std::string& text) {
  std::vector<float> out(e.dim());
  Status s = e.EmbedText(text, out.data());
  INFO(s.ToString());
  REQUIRE(s.ok());
  return out;
}

float Dot(const float* a, const float* b, size_t dim) {
  double s = 0;
  for (size_t j = 0; j < dim; ++j) s += double(a[j]) * b[j];
  return float(s);
}

// Record indexes by decreasing cosine to q (vectors are unit length).
std::vector<size_t> Rank(const std::vector<float>& vecs, size_t dim,
                         const float* q, size_t skip = size_t(-1)) {
  const size_t n = vecs.size() / dim;
  std::vector<std::pair<float, size_t>> s;
  for (size_t i = 0; i < n; ++i) {
    if (i != skip) s.emplace_back(-Dot(&vecs[i * dim], q, dim), i);
  }
  std::sort(s.begin(), s.end());
  std::vector<size_t> out;
  for (const auto& p : s) out.push_back(p.second);
  return out;
}

// Share of records whose nearest other record is of the same topic.
double NeighbourAccuracy(const std::vector<float>& vecs, size_t dim,
                         const std::vector<int>& topic) {
  size_t hits = 0;
  for (size_t i = 0; i < topic.size(); ++i) {
    size_t nn = Rank(vecs, dim, &vecs[i * dim], i)[0];
    hits += topic[nn] == topic[i];
  }
  return double(hits) / double(topic.size());
}

void CheckUnitLength(const std::vector<float>& vecs, size_t dim) {
  for (size_t i = 0; i < vecs.size() / dim; ++i) {
    float n2 = Dot(&vecs[i * dim], &vecs[i * dim], dim);
    INFO("vector " << i);
    REQUIRE(std::isfinite(n2));
    REQUIRE(std::abs(n2 - 1.0f) < 1e-4f);
  }
}

bool Contains(const Status& s, const std::string& what) {
  return s.ToString().find(what) != std::string::npos;
}

const std::vector<std::string> kQueries = {
    "锂电池正极与电解液", "水稻育种与产量",     "功率器件封装与晶圆刻蚀",
    "中药制剂的临床疗效", "污水脱氮与污泥处理", "机器人路径规划与机械臂抓取"};

// Each topic query's top record is of its topic, and most of its top ten.
void CheckQueries(const Embedder& e, const std::vector<float>& vecs) {
  const Corpus& c = SyntheticCorpus();
  for (int t = 0; t < kTopics; ++t) {
    std::vector<float> q = EmbedQuery(e, kQueries[size_t(t)]);
    std::vector<size_t> r = Rank(vecs, e.dim(), q.data());
    int in_topic = 0;
    for (int i = 0; i < 10; ++i) in_topic += c.topic[r[size_t(i)]] == t;
    INFO("query " << kQueries[size_t(t)]);
    CHECK(c.topic[r[0]] == t);
    CHECK(in_topic >= 8);
  }
}

// New records (not in the corpus) land next to their own topic.
void CheckFoldIn(const Embedder& e, const std::vector<float>& vecs) {
  const Corpus& c = SyntheticCorpus();
  std::mt19937 rng(777);
  std::vector<Record> fresh;
  for (int t = 0; t < kTopics; ++t) {
    fresh.push_back(MakeRecord(t, "new-" + std::to_string(t), &rng));
  }
  std::vector<float> f = EmbedAll(e, fresh);
  CheckUnitLength(f, e.dim());
  for (int t = 0; t < kTopics; ++t) {
    size_t nn = Rank(vecs, e.dim(), &f[size_t(t) * e.dim()])[0];
    CHECK(c.topic[nn] == t);
  }
}

// ---- options ----

TEST_CASE("embedder: kind names round-trip", "[embedder]") {
  for (EmbedderKind k :
       {EmbedderKind::kLsa, EmbedderKind::kSif, EmbedderKind::kExternal}) {
    auto parsed = ParseEmbedderKind(EmbedderKindName(k));
    REQUIRE(parsed.ok());
    CHECK(*parsed == k);
  }
  CHECK(*ParseEmbedderKind("LSA") == EmbedderKind::kLsa);
  auto bad = ParseEmbedderKind("bert");
  REQUIRE(!bad.ok());
  CHECK(bad.status().code() == StatusCode::kInvalidArgument);
  CHECK(Contains(bad.status(), "bert"));
}

TEST_CASE("embedder: option errors name the field", "[embedder]") {
  CHECK(EmbedderOptions().Validate().ok());
  struct Case {
    const char* field;
    void (*mutate)(EmbedderOptions*);
  };
  const Case cases[] = {
      {"dim", [](EmbedderOptions* o) { o->dim = 0; }},
      {"dim", [](EmbedderOptions* o) { o->dim = 5000; }},
      {"dim",
       [](EmbedderOptions* o) {
         o->kind = EmbedderKind::kExternal;
         o->dim = 0;
       }},
      {"title_weight", [](EmbedderOptions* o) { o->title_weight = -1; }},
      {"keywords_weight",
       [](EmbedderOptions* o) { o->keywords_weight = INFINITY; }},
      {"text_weight", [](EmbedderOptions* o) { o->text_weight = NAN; }},
      {"title_weight",
       [](EmbedderOptions* o) {
         o->title_weight = o->keywords_weight = o->text_weight = 0;
       }},
      {"unigram_weight", [](EmbedderOptions* o) { o->unigram_weight = -2; }},
      {"word_weight",
       [](EmbedderOptions* o) {
         o->word_weight = o->unigram_weight = o->bigram_weight = 0;
       }},
      {"max_df_ratio", [](EmbedderOptions* o) { o->max_df_ratio = 0; }},
      {"max_df_ratio", [](EmbedderOptions* o) { o->max_df_ratio = 1.5f; }},
      {"power_iterations",
       [](EmbedderOptions* o) { o->power_iterations = 11; }},
      {"power_iterations",
       [](EmbedderOptions* o) { o->power_iterations = -1; }},
      {"oversample", [](EmbedderOptions* o) { o->oversample = 1001; }},
      {"sigma_power", [](EmbedderOptions* o) { o->sigma_power = 2.5f; }},
      {"sigma_power", [](EmbedderOptions* o) { o->sigma_power = NAN; }},
      {"max_fit_records", [](EmbedderOptions* o) { o->max_fit_records = 0; }},
      {"sif_a", [](EmbedderOptions* o) { o->sif_a = 0; }},
      {"sif_remove_components",
       [](EmbedderOptions* o) { o->sif_remove_components = 11; }},
      {"word_vectors_file",
       [](EmbedderOptions* o) { o->kind = EmbedderKind::kSif; }},
      {"threads", [](EmbedderOptions* o) { o->threads = -1; }},
      {"kind",
       [](EmbedderOptions* o) { o->kind = static_cast<EmbedderKind>(7); }},
  };
  for (const Case& c : cases) {
    EmbedderOptions o;
    c.mutate(&o);
    Status s = o.Validate();
    INFO(c.field << ": " << s.ToString());
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(Contains(s, c.field));
    // CreateEmbedder validates too.
    CHECK(CreateEmbedder(o, SharedAnalyzer()).status().code() ==
          StatusCode::kInvalidArgument);
  }
  EmbedderOptions sif;
  sif.kind = EmbedderKind::kSif;
  sif.dim = 0;
  sif.word_vectors_file = "x.vec";
  CHECK(sif.Validate().ok());
}

TEST_CASE("embedder: null analyzer is rejected", "[embedder]") {
  auto e = CreateEmbedder(EmbedderOptions(), nullptr);
  CHECK(e.status().code() == StatusCode::kInvalidArgument);
  CHECK(LoadEmbedder("", nullptr).status().code() ==
        StatusCode::kInvalidArgument);
}

// ---- LSA ----

EmbedderOptions LsaOptions16() {
  EmbedderOptions o;
  o.dim = 16;
  o.threads = 2;
  return o;
}

TEST_CASE("embedder: LSA before Fit is FailedPrecondition", "[embedder][lsa]") {
  auto e = Make(LsaOptions16());
  CHECK(e->kind() == EmbedderKind::kLsa);
  CHECK(e->dim() == 16);
  CHECK(!e->fitted());
  std::vector<float> out(16);
  CHECK(e->EmbedText("锂电池", out.data()).code() ==
        StatusCode::kFailedPrecondition);
  CHECK(e->EmbedRecords(SyntheticCorpus().records, nullptr).code() ==
        StatusCode::kFailedPrecondition);
  std::string bytes;
  CHECK(e->Save(&bytes).code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("embedder: LSA separates topics and round-trips", "[embedder][lsa]") {
  const Corpus& c = SyntheticCorpus();
  auto e = Make(LsaOptions16());
  REQUIRE(e->Fit(c.records).ok());
  REQUIRE(e->fitted());
  REQUIRE(e->dim() == 16);
  std::vector<float> vecs = EmbedAll(*e, c.records);
  CheckUnitLength(vecs, 16);
  CHECK(NeighbourAccuracy(vecs, 16, c.topic) >= 0.9);
  CheckQueries(*e, vecs);
  CheckFoldIn(*e, vecs);

  SECTION("Save/Load gives bit-identical vectors") {
    std::string bytes;
    REQUIRE(e->Save(&bytes).ok());
    auto loaded = LoadEmbedder(bytes, SharedAnalyzer());
    INFO(loaded.status().ToString());
    REQUIRE(loaded.ok());
    CHECK((*loaded)->kind() == EmbedderKind::kLsa);
    CHECK((*loaded)->dim() == 16);
    CHECK((*loaded)->fitted());
    std::vector<float> again = EmbedAll(**loaded, c.records);
    CHECK(std::memcmp(again.data(), vecs.data(), vecs.size() * 4) == 0);
    CHECK(EmbedQuery(**loaded, kQueries[0]) == EmbedQuery(*e, kQueries[0]));
  }
  SECTION("the same seed gives the same vectors") {
    auto e2 = Make(LsaOptions16());
    REQUIRE(e2->Fit(c.records).ok());
    std::vector<float> again = EmbedAll(*e2, c.records);
    CHECK(std::memcmp(again.data(), vecs.data(), vecs.size() * 4) == 0);
    std::string a, b;
    REQUIRE(e->Save(&a).ok());
    REQUIRE(e2->Save(&b).ok());
    CHECK(a == b);
  }
  SECTION("a failed re-Fit keeps the old model") {
    std::vector<Record> tiny(c.records.begin(), c.records.begin() + 5);
    Status s = e->Fit(tiny);  // 5 documents cannot carry rank 16
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(e->fitted());
    CHECK(EmbedAll(*e, c.records) == vecs);
  }
}

TEST_CASE("embedder: invalid UTF-8 names the record", "[embedder]") {
  std::vector<Record> bad = {SyntheticCorpus().records[0]};
  bad[0].id = "bad-utf8-7";
  bad[0].text = "锂电池\xff正极";
  auto lsa = Make(LsaOptions16());
  REQUIRE(lsa->Fit(SyntheticCorpus().records).ok());
  std::vector<float> out(16);
  Status s = lsa->EmbedRecords(bad, out.data());
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(Contains(s, "bad-utf8-7"));
  CHECK(lsa->EmbedText("\xc3(", out.data()).code() ==
        StatusCode::kInvalidArgument);
  std::vector<Record> corpus = SyntheticCorpus().records;
  corpus.push_back(bad[0]);
  auto fresh = Make(LsaOptions16());
  s = fresh->Fit(corpus);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(Contains(s, "bad-utf8-7"));
}

// ---- SIF ----

constexpr size_t kSifDim = 24;

struct VectorTable {
  std::vector<std::string> words;
  std::vector<std::vector<float>> vecs;
};

// Word vectors for the corpus's analyzer words and Han characters: a
// common direction shared by all (which SIF's component removal takes
// out), plus the mix of topic centres the word occurs in, plus noise.
// "水稻" is left out so that it falls back to its characters; "ＬｉＤＡＲ"
// (full-width, mixed case) is listed twice, the second time negated.
const VectorTable& SifTable() {
  static const VectorTable table = [] {
    const Corpus& c = SyntheticCorpus();
    std::map<std::string, std::array<double, kTopics>> counts;
    for (size_t i = 0; i < c.records.size(); ++i) {
      const Record& r = c.records[i];
      std::string all = r.title + "，" + r.text;
      for (const auto& k : r.keywords) all += "，" + k;
      auto terms = SharedAnalyzer()->Analyze(all);
      REQUIRE(terms.ok());
      for (const Term& t : *terms) {
        if (t.kind == TermKind::kBigram) continue;
        counts[t.text][size_t(c.topic[i])] += 1;
      }
    }
    std::mt19937 rng(99);
    std::normal_distribution<double> normal;
    std::vector<std::vector<double>> centre(kTopics + 1,
                                            std::vector<double>(kSifDim));
    for (auto& v : centre)
      for (double& x : v) x = normal(rng);
    VectorTable t;
    auto add = [&](const std::string& w, const std::array<double, kTopics>& n,
                   double sign) {
      double total = 0;
      for (double x : n) total += x;
      std::vector<float> v(kSifDim);
      for (size_t j = 0; j < kSifDim; ++j) {
        double x = 2.0 * centre[kTopics][j] + 0.3 * normal(rng);
        for (int k = 0; k < kTopics; ++k)
          x += n[size_t(k)] / total * centre[size_t(k)][j];
        v[j] = float(sign * x);
      }
      t.words.push_back(w);
      t.vecs.push_back(v);
    };
    std::array<double, kTopics> robot{};
    robot[5] = 1;
    add("ＬｉＤＡＲ", robot, 1);
    for (const auto& [w, n] : counts) {
      if (w != "水稻") add(w, n, 1);
    }
    add("lidar", robot, -1);
    return t;
  }();
  return table;
}

std::string FormatFloat(float f) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", double(f));
  return buf;
}

void WriteText(const std::string& path, const VectorTable& t) {
  std::ofstream out(path, std::ios::binary);
  out << t.words.size() << " " << kSifDim << "\n";
  for (size_t i = 0; i < t.words.size(); ++i) {
    out << t.words[i];
    for (float x : t.vecs[i]) out << " " << FormatFloat(x);
    out << (i % 3 == 0 ? " \r\n" : i % 3 == 1 ? "\n" : " \n");
  }
}

std::string BinaryBytes(const VectorTable& t) {
  std::string out =
      std::to_string(t.words.size()) + " " + std::to_string(kSifDim) + "\n";
  for (size_t i = 0; i < t.words.size(); ++i) {
    out += t.words[i] + " ";
    for (float x : t.vecs[i]) {
      uint32_t bits;
      std::memcpy(&bits, &x, 4);
      for (int b = 0; b < 4; ++b) out.push_back(char((bits >> (8 * b)) & 0xff));
    }
    if (i % 2 == 0) out += "\n";  // word2vec writes it; gensim does not
  }
  return out;
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

EmbedderOptions SifOptions(const std::string& file) {
  EmbedderOptions o;
  o.kind = EmbedderKind::kSif;
  o.dim = 0;
  o.word_vectors_file = file;
  o.threads = 2;
  return o;
}

TEST_CASE("embedder: SIF on text and binary vectors", "[embedder][sif]") {
  testing::TempDir dir;
  const Corpus& c = SyntheticCorpus();
  WriteText(dir.file("words.vec"), SifTable());
  WriteBytes(dir.file("words.bin"), BinaryBytes(SifTable()));
  auto text = Make(SifOptions(dir.file("words.vec")));
  CHECK(text->kind() == EmbedderKind::kSif);
  CHECK(text->dim() == kSifDim);
  CHECK(!text->fitted());
  std::vector<float> out(kSifDim);
  CHECK(text->EmbedText("水稻", out.data()).code() ==
        StatusCode::kFailedPrecondition);
  REQUIRE(text->Fit(c.records).ok());
  std::vector<float> vecs = EmbedAll(*text, c.records);
  CheckUnitLength(vecs, kSifDim);
  CHECK(NeighbourAccuracy(vecs, kSifDim, c.topic) >= 0.9);
  CheckQueries(*text, vecs);
  CheckFoldIn(*text, vecs);

  SECTION("binary, text and sniffed files give identical vectors") {
    for (std::string name : {"words.bin", "sniffed-binary", "sniffed-text"}) {
      if (name == "sniffed-binary") {
        WriteBytes(dir.file(name), BinaryBytes(SifTable()));
      } else if (name == "sniffed-text") {
        WriteText(dir.file(name), SifTable());
      }
      auto other = Make(SifOptions(dir.file(name)));
      REQUIRE(other->Fit(c.records).ok());
      INFO(name);
      CHECK(EmbedAll(*other, c.records) == vecs);
    }
    EmbedderOptions o = SifOptions(dir.file("words.bin"));
    o.dim = kSifDim;  // an explicit, matching dimension is fine
    o.threads = 1;    // and the thread count does not change the model
    auto one = Make(o);
    REQUIRE(one->Fit(c.records).ok());
    CHECK(EmbedAll(*one, c.records) == vecs);
  }
  SECTION("a word without a vector falls back to its characters") {
    std::vector<float> q = EmbedQuery(*text, "水稻");
    CHECK(Dot(q.data(), q.data(), kSifDim) == Approx(1.0f).margin(1e-4));
    CHECK(c.topic[Rank(vecs, kSifDim, q.data())[0]] == 1);
    // No word and no character with a vector: the zero vector.
    std::vector<float> none = EmbedQuery(*text, "qwerty zzz");
    CHECK(
        std::all_of(none.begin(), none.end(), [](float x) { return x == 0; }));
  }
  SECTION("words are normalized; the first spelling wins") {
    std::vector<float> q = EmbedQuery(*text, "LiDAR");
    CHECK(c.topic[Rank(vecs, kSifDim, q.data())[0]] == 5);
  }
  SECTION("Save/Load gives bit-identical vectors") {
    std::string bytes;
    REQUIRE(text->Save(&bytes).ok());
    auto loaded = LoadEmbedder(bytes, SharedAnalyzer());
    INFO(loaded.status().ToString());
    REQUIRE(loaded.ok());
    CHECK((*loaded)->kind() == EmbedderKind::kSif);
    CHECK((*loaded)->fitted());
    CHECK(EmbedAll(**loaded, c.records) == vecs);
    CHECK(EmbedQuery(**loaded, "水稻") == EmbedQuery(*text, "水稻"));
    std::string again;
    REQUIRE((*loaded)->Save(&again).ok());
    CHECK(again == bytes);
  }
  SECTION("invalid UTF-8 names the record") {
    Record bad = c.records[3];
    bad.id = "sif-bad-3";
    bad.title = "\xe9\x94";
    Status s = text->EmbedRecords({bad}, out.data());
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(Contains(s, "sif-bad-3"));
  }
  SECTION("an empty corpus gives plain averages") {
    auto plain = Make(SifOptions(dir.file("words.vec")));
    REQUIRE(plain->Fit({}).ok());
    std::vector<float> q = EmbedQuery(*plain, "污泥");
    CHECK(Dot(q.data(), q.data(), kSifDim) == Approx(1.0f).margin(1e-4));
    std::string bytes;
    REQUIRE(plain->Save(&bytes).ok());
    auto loaded = LoadEmbedder(bytes, SharedAnalyzer());
    REQUIRE(loaded.ok());
    CHECK(EmbedQuery(**loaded, "污泥") == q);
  }
  SECTION("no component removal still separates topics") {
    EmbedderOptions o = SifOptions(dir.file("words.vec"));
    o.sif_remove_components = 0;
    auto plain = Make(o);
    REQUIRE(plain->Fit(c.records).ok());
    std::vector<float> p = EmbedAll(*plain, c.records);
    CheckUnitLength(p, kSifDim);
    CHECK(p != vecs);
  }
}

TEST_CASE("embedder: bad word vector files name the line", "[embedder][sif]") {
  testing::TempDir dir;
  const std::string v = " 0.5 0.25 -1";  // three components
  struct Case {
    const char* name;
    std::string content;
    std::string expect;  // in the message, after the path
    size_t dim = 0;
  };
  const std::vector<Case> cases = {
      {"header.vec", "three 3\nab" + v + "\n", ":1: bad header"},
      {"glove.vec", "ab" + v + "\n", ":1: bad header"},
      {"zero.vec", "0 3\n", ":1: count is 0"},
      {"short.vec", "2 3\nab" + v + "\ncd 0.5 0.25\n", ":3: expected a word"},
      {"long.vec", "2 3\nab" + v + " 7\ncd" + v + "\n", ":2: expected a word"},
      {"nonnum.vec", "2 3\nab 0.5 x1 2\ncd" + v + "\n", ":2: component 2"},
      {"nan.vec", "2 3\nab" + v + "\ncd 1 nan 2\n", ":3: component 2 is NaN"},
      {"inf.vec", "2 3\nab" + v + "\ncd 1 2 -inf\n", ":3: component 3"},
      {"utf8.vec", "2 3\nab" + v + "\n\xff\xfe" + v + "\n", ":3: word"},
      {"count.vec", "5 3\nab" + v + "\ncd" + v + "\n",
       ": the header promises 5"},
      {"extra.vec", "1 3\nab" + v + "\ncd" + v + "\n", ":3: more entries"},
      {"dim.vec", "1 3\nab" + v + "\n", ":1: vectors have dimension 3", 4},
  };
  for (const Case& c : cases) {
    std::string path = dir.file(c.name);
    WriteBytes(path, c.content);
    EmbedderOptions o = SifOptions(path);
    o.dim = c.dim;
    auto e = CreateEmbedder(o, SharedAnalyzer());
    INFO(c.name << ": " << e.status().ToString());
    REQUIRE(!e.ok());
    CHECK(e.status().code() == StatusCode::kInvalidArgument);
    CHECK(Contains(e.status(), path + c.expect));
  }
  // Binary: truncated inside entry 3's vector, an infinite component.
  VectorTable small;
  small.words = {"甲", "乙", "丙"};
  small.vecs.assign(3, std::vector<float>(kSifDim, 0.5f));
  std::string bin = BinaryBytes(small);
  WriteBytes(dir.file("cut.bin"), bin.substr(0, bin.size() - 7));
  auto e = CreateEmbedder(SifOptions(dir.file("cut.bin")), SharedAnalyzer());
  CHECK(e.status().code() == StatusCode::kInvalidArgument);
  CHECK(Contains(e.status(), "cut.bin: entry 3 of 3"));
  CHECK(Contains(e.status(), "truncated"));
  small.vecs[1][4] = INFINITY;
  WriteBytes(dir.file("inf.bin"), BinaryBytes(small));
  e = CreateEmbedder(SifOptions(dir.file("inf.bin")), SharedAnalyzer());
  CHECK(Contains(e.status(), "inf.bin: entry 2 of 3: component 5"));
  e = CreateEmbedder(SifOptions(dir.file("missing.vec")), SharedAnalyzer());
  CHECK(e.status().code() == StatusCode::kNotFound);
  CHECK(Contains(e.status(), "missing.vec"));
}

// ---- External ----

TEST_CASE("embedder: External takes the caller's vectors", "[embedder]") {
  EmbedderOptions o;
  o.kind = EmbedderKind::kExternal;
  o.dim = 4;
  auto e = Make(o);
  CHECK(e->kind() == EmbedderKind::kExternal);
  CHECK(e->dim() == 4);
  CHECK(e->fitted());
  CHECK(e->Fit(SyntheticCorpus().records).ok());
  std::vector<float> out(4);
  CHECK(e->EmbedText("锂电池", out.data()).code() == StatusCode::kNotSupported);
  CHECK(e->EmbedRecords(SyntheticCorpus().records, nullptr).code() ==
        StatusCode::kNotSupported);
  std::string bytes;
  REQUIRE(e->Save(&bytes).ok());
  auto loaded = LoadEmbedder(bytes, SharedAnalyzer());
  REQUIRE(loaded.ok());
  CHECK((*loaded)->kind() == EmbedderKind::kExternal);
  CHECK((*loaded)->dim() == 4);
}

TEST_CASE("embedder: CheckVectors names the bad id", "[embedder]") {
  std::vector<std::string> ids = {"a", "b", "c"};
  std::vector<float> v = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0.5f, 0.5f};
  CHECK(CheckVectors(ids, {v.data(), 3, 4}, 4).ok());
  Status s = CheckVectors(ids, {v.data(), 4, 3}, 4);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(Contains(s, "vectors have dimension 3, expected 4"));
  s = CheckVectors({"a", "b"}, {v.data(), 3, 4}, 4);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(Contains(s, "2 ids for 3 vectors"));
  std::vector<float> w = v;
  w[6] = NAN;
  s = CheckVectors(ids, {w.data(), 3, 4}, 4);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(Contains(s, "\"b\""));
  CHECK(Contains(s, "component 2 is NaN"));
  w = v;
  w[11] = -INFINITY;
  s = CheckVectors(ids, {w.data(), 3, 4}, 4);
  CHECK(Contains(s, "\"c\""));
  CHECK(Contains(s, "component 3 is infinite"));
  w = v;
  w[0] = 0;
  s = CheckVectors(ids, {w.data(), 3, 4}, 4);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(Contains(s, "\"a\""));
  CHECK(Contains(s, "all zeros"));
  CHECK(CheckVectors({}, {nullptr, 0, 4}, 4).ok());
}

// ---- persistence failures ----

// Every truncation of a payload fails cleanly, and flipped bytes either
// load or fail with Corruption / NotSupported, never crash.
void CheckDamage(const std::string& bytes, size_t stride) {
  for (size_t n = 0; n < bytes.size(); n += (n < 64 ? 1 : stride)) {
    auto e = LoadEmbedder(bytes.substr(0, n), SharedAnalyzer());
    INFO("truncated to " << n << " of " << bytes.size());
    REQUIRE(!e.ok());
    CHECK(e.status().code() == StatusCode::kCorruption);
  }
  std::vector<float> out(4096);
  for (size_t i = 0; i < bytes.size(); i += (i < 64 ? 1 : stride)) {
    std::string damaged = bytes;
    damaged[i] = char(damaged[i] ^ 0x5a);
    auto e = LoadEmbedder(damaged, SharedAnalyzer());
    INFO("byte " << i << " flipped: " << e.status().ToString());
    if (e.ok()) {
      REQUIRE((*e)->dim() <= out.size());
      Status s = (*e)->EmbedText("锂电池正极", out.data());
      CHECK((s.ok() || s.code() == StatusCode::kNotSupported));
    } else if (e.status().code() == StatusCode::kNotSupported) {
      // Only a version field (the payload's, the model's, the term
      // statistics') or the embedder kind can read as unsupported.
      CHECK((Contains(e.status(), "version") ||
             Contains(e.status(), "embedder kind")));
    } else {
      CHECK(e.status().code() == StatusCode::kCorruption);
    }
  }
}

TEST_CASE("embedder: damaged payloads are Corruption", "[embedder]") {
  CHECK(LoadEmbedder("", SharedAnalyzer()).status().code() ==
        StatusCode::kCorruption);
  const std::string future("\x02\x00\x00\x00\x00", 5);
  CHECK(LoadEmbedder(future, SharedAnalyzer()).status().code() ==
        StatusCode::kNotSupported);
  const std::string alien("\x01\x00\x00\x00\x09", 5);
  auto e = LoadEmbedder(alien, SharedAnalyzer());
  CHECK(e.status().code() == StatusCode::kNotSupported);
  CHECK(Contains(e.status(), "kind 9"));

  EmbedderOptions ext;
  ext.kind = EmbedderKind::kExternal;
  ext.dim = 8;
  std::string bytes;
  REQUIRE(Make(ext)->Save(&bytes).ok());
  CheckDamage(bytes, 1);

  auto lsa = Make(LsaOptions16());
  REQUIRE(lsa->Fit(SyntheticCorpus().records).ok());
  bytes.clear();
  REQUIRE(lsa->Save(&bytes).ok());
  CheckDamage(bytes, 61);

  testing::TempDir dir;
  WriteText(dir.file("w.vec"), SifTable());
  auto sif = Make(SifOptions(dir.file("w.vec")));
  REQUIRE(sif->Fit(SyntheticCorpus().records).ok());
  bytes.clear();
  REQUIRE(sif->Save(&bytes).ok());
  CheckDamage(bytes, 53);
}

// ---- real data ----

TEST_CASE("embedder: LSA on csl-match", "[embedder][lsa][shared]") {
  std::string path = testing::SharedFile("csl-match/corpus.jsonl");
  if (path.empty()) TECHMATCH_SKIP(testing::Absent("csl-match/corpus.jsonl"));
  auto all = ReadRecordsJsonlFile(path);
  INFO(all.status().ToString());
  REQUIRE(all.ok());
  REQUIRE(all->size() >= 3000);
  std::vector<Record> records(all->begin(), all->begin() + 3000);
  REQUIRE(records.size() == 3000);

  EmbedderOptions o;
  o.dim = 64;
  o.max_fit_records = 3000;
  auto e = Make(o);
  REQUIRE(e->Fit(records).ok());
  std::vector<float> vecs = EmbedAll(*e, records);
  CheckUnitLength(vecs, 64);
}

}  // namespace
}  // namespace techmatch
