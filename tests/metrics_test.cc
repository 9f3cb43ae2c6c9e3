// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for src/eval/metrics.h, checked by hand and against evaluate.py.

#include "eval/metrics.h"

#include <stdlib.h>  // mkdtemp

#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "techmatch/record_io.h"
#include "test_util.h"

namespace techmatch::internal {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

// ------------------------------------------------------------- helpers

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (fs::temp_directory_path() / "techmatch_metrics_XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const {
    return (fs::path(path_) / name).string();
  }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Runs a shell command; returns its exit status and standard output.
std::pair<int, std::string> RunCommand(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return {-1, out};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  return {pclose(p), out};
}

// csl-match's own scorer, or "" when ../shared does not have it.
std::string EvaluatePy() {
  return testing::SharedFile("csl-match/evaluate.py");
}

// Why evaluate.py cannot be run here, or "" when it can.
std::string WhyNoPython() {
  if (EvaluatePy().empty()) {
    return testing::Absent("csl-match/evaluate.py");
  }
  if (std::system("python3 -c pass >/dev/null 2>&1") != 0) {
    return "python3 is not available";
  }
  return "";
}

// evaluate.py's output for a data directory and run file, parsed; also the
// raw text (without the final newline).
struct PyScore {
  std::string text;
  std::map<std::string, std::map<std::string, double>> groups;
};

PyScore RunEvaluatePy(const std::string& data_dir, const std::string& split,
                      const std::string& run_file) {
  const std::string cmd = "python3 " + Quote(EvaluatePy()) + " --data " +
                          Quote(data_dir) + " --split " + split + " --run " +
                          Quote(run_file);
  auto [status, out] = RunCommand(cmd);
  INFO(cmd);
  REQUIRE(status == 0);
  PyScore py;
  py.text = out;
  while (!py.text.empty() && py.text.back() == '\n') py.text.pop_back();
  auto parsed = ParseScoreJson(py.text);
  INFO(py.text);
  REQUIRE(parsed.ok());
  py.groups = *parsed;
  return py;
}

// Every metric of every group agrees to 1e-4, and the printed JSON is the
// same byte for byte.
void CheckAgrees(const std::map<std::string, GroupMetrics>& ours,
                 const PyScore& py) {
  const std::string formatted = FormatScoreJson(ours);
  INFO("ours:\n" << formatted << "\nevaluate.py:\n" << py.text);
  REQUIRE(ours.size() == py.groups.size());
  for (const auto& [group, m] : ours) {
    INFO("group " << group);
    auto it = py.groups.find(group);
    REQUIRE(it != py.groups.end());
    const auto& p = it->second;
    std::map<std::string, double> mine = {
        {"MRR@10", m.mrr10}, {"nDCG@10", m.ndcg10}, {"R@1", m.r1},
        {"R@10", m.r10},     {"R@100", m.r100},     {"n", double(m.n)}};
    if (m.disc_p10) {
      mine["DiscP@10"] = *m.disc_p10;
      mine["n_DiscP@10"] = double(m.n_disc);
    }
    if (m.cat_p10) {
      mine["CatP@10"] = *m.cat_p10;
      mine["n_CatP@10"] = double(m.n_cat);
    }
    REQUIRE(mine.size() == p.size());
    for (const auto& [name, value] : mine) {
      INFO("metric " << name);
      auto pv = p.find(name);
      REQUIRE(pv != p.end());
      CHECK(std::abs(value - pv->second) <= 1e-4);
    }
  }
  CHECK(formatted == py.text);
}

void CheckSameRun(const EvalRun& a, const EvalRun& b) {
  REQUIRE(a.size() == b.size());
  for (const auto& [q, ids] : a) {
    auto it = b.find(q);
    REQUIRE(it != b.end());
    CHECK(it->second == ids);
  }
}

// ------------------------------------------------------------- by hand

// Four queries exercising every rule; the expected values are worked out in
// the comments.
EvalData HandData() {
  EvalData d;
  // q1: positive d1 at rank 2; low overlap.
  d.queries.push_back({"q1", "title", "A", "X", 0.3});
  // q2: positive d5 at rank 12, grade-1 d6 at rank 1; coverage exactly 0.5
  // is not low; no category.
  d.queries.push_back({"q2", "keywords", "B", "", 0.5});
  // q3: no labels, absent from the run.
  d.queries.push_back({"q3", "title", "", "", std::nullopt});
  // q4: no qrels at all; d1 twice in the run.
  d.queries.push_back({"q4", "title", "A", "Y", std::nullopt});
  d.qrels["q1"] = {{"d1", 2}};
  d.qrels["q2"] = {{"d5", 2}, {"d6", 1}};
  d.qrels["q3"] = {{"d1", 2}};
  d.doc_discipline = {{"d1", "C"}, {"d2", "A"}, {"d3", "B"},
                      {"d6", "B"}, {"d7", "B"}, {"d8", ""}, {"d9", "A"}};
  d.doc_category = {{"d1", "Y"}, {"d2", "X"}};
  return d;
}

EvalRun HandRun() {
  EvalRun run;
  run["q1"] = {"d2", "d1", "d3"};
  run["q2"] = {"d6",  "d7",  "d8",  "d9",  "d10", "d11",
               "d12", "d13", "d14", "d15", "d16", "d5"};
  run["q4"] = {"d1", "d1", "d2"};
  run["not-a-query"] = {"d1"};
  return run;
}

TEST_CASE("metrics: every metric by hand", "[metrics]") {
  const auto groups = ScoreRun(HandData(), HandRun());
  REQUIRE(groups.size() == 4);
  const double l3 = std::log2(3.0);
  // Per query:
  //  q1: RR 1/2; nDCG (3/log2 3)/3; R@1 0, R@10 1, R@100 1;
  //      others d2(A) d3(B): Disc 1/2; d2(X), d3 unlabelled: Cat 1.
  //  q2: RR 0 (d5 is 12th); DCG = (2^1-1)/log2 2 = 1, IDCG = 3 + 1/log2 3;
  //      R@100 only; others = d6..d15 (11 non-positives, cut to 10):
  //      B B '' A -> Disc 2/3; no category: Cat skipped.
  //  q3: all 0; no labels: skipped by Disc and Cat.
  //  q4: no qrels: all 0 (IDCG 0 -> nDCG 0); others d1 d1 d2:
  //      C C A -> Disc 1/3, Y Y X -> Cat 2/3.
  const double ndcg1 = 1 / l3, ndcg2 = 1 / (3 + 1 / l3);

  const GroupMetrics& all = groups.at("all");
  CHECK(all.n == 4);
  CHECK(all.mrr10 == Approx(0.5 / 4));
  CHECK(all.ndcg10 == Approx((ndcg1 + ndcg2) / 4));
  CHECK(all.r1 == 0);
  CHECK(all.r10 == Approx(0.25));
  CHECK(all.r100 == Approx(0.5));
  REQUIRE(all.disc_p10);
  CHECK(*all.disc_p10 == Approx((0.5 + 2.0 / 3 + 1.0 / 3) / 3));
  CHECK(all.n_disc == 3);
  REQUIRE(all.cat_p10);
  CHECK(*all.cat_p10 == Approx((1 + 2.0 / 3) / 2));
  CHECK(all.n_cat == 2);

  const GroupMetrics& title = groups.at("title");  // q1 q3 q4
  CHECK(title.n == 3);
  CHECK(title.mrr10 == Approx(0.5 / 3));
  CHECK(title.ndcg10 == Approx(ndcg1 / 3));
  CHECK(title.r1 == 0);
  CHECK(title.r10 == Approx(1.0 / 3));
  CHECK(title.r100 == Approx(1.0 / 3));
  CHECK(*title.disc_p10 == Approx((0.5 + 1.0 / 3) / 2));
  CHECK(title.n_disc == 2);
  CHECK(*title.cat_p10 == Approx((1 + 2.0 / 3) / 2));

  const GroupMetrics& kw = groups.at("keywords");  // q2
  CHECK(kw.n == 1);
  CHECK(kw.mrr10 == 0);
  CHECK(kw.ndcg10 == Approx(ndcg2));
  CHECK(kw.r10 == 0);
  CHECK(kw.r100 == 1);
  CHECK(*kw.disc_p10 == Approx(2.0 / 3));
  CHECK_FALSE(kw.cat_p10);
  CHECK(kw.n_cat == 0);

  const GroupMetrics& low = groups.at(kLowOverlapGroup);  // q1
  CHECK(low.n == 1);
  CHECK(low.mrr10 == 0.5);
  CHECK(low.ndcg10 == Approx(ndcg1));
  CHECK(low.r1 == 0);
  CHECK(low.r10 == 1);
  CHECK(*low.disc_p10 == 0.5);
  CHECK(*low.cat_p10 == 1);

  // Groups print in order of first appearance, as evaluate.py's dict.
  CHECK(all.order == 0);
  CHECK(title.order == 1);
  CHECK(low.order == 2);
  CHECK(kw.order == 3);
  const std::string json = FormatScoreJson(groups);
  CHECK(json.rfind("{\n \"all\": {\n  \"MRR@10\": 0.125,\n  \"nDCG@10\": ", 0) == 0);
  CHECK(json.find("\"title\"") < json.find("\"low_overlap(<0.5)\""));
  CHECK(json.find("\"low_overlap(<0.5)\"") < json.find("\"keywords\""));
  CHECK_THAT(json, Contains("  \"R@1\": 0.0,\n  \"R@10\": 0.25,\n  \"R@100\": "
                            "0.5,\n  \"n\": 4,\n  \"DiscP@10\": 0.5,\n  "
                            "\"n_DiscP@10\": 3,\n  \"CatP@10\": 0.8333,\n  "
                            "\"n_CatP@10\": 2\n }"));
  CHECK_THAT(json, Contains("\"R@100\": 1.0,\n  \"n\": 1,\n  \"DiscP@10\": "
                            "0.6667,\n  \"n_DiscP@10\": 1\n }\n}"));
  auto back = ParseScoreJson(json);
  REQUIRE(back.ok());
  CHECK(back->at("all").at("CatP@10") == 0.8333);
  CHECK(back->at("keywords").count("CatP@10") == 0);

  CHECK(ScoreRun(EvalData{}, HandRun()).empty());
  CHECK(FormatScoreJson({}) == "{}");
}

TEST_CASE("metrics: a positive at rank 1 and beyond 100", "[metrics]") {
  EvalData d;
  d.queries.push_back({"a", "title", "", "", std::nullopt});
  d.queries.push_back({"b", "title", "", "", std::nullopt});
  d.qrels["a"] = {{"p", 2}, {"g3", 3}, {"z", 0}};
  d.qrels["b"] = {{"p", 2}};
  EvalRun run;
  run["a"] = {"p", "g3"};
  for (int i = 0; i < 100; ++i) run["b"].push_back("x" + std::to_string(i));
  run["b"].push_back("p");  // 101st: outside R@100
  const auto g = ScoreRun(d, run);
  const GroupMetrics& m = g.at("all");
  CHECK(m.mrr10 == 0.5);  // a: p and g3 are both positives (>= 2); first wins
  CHECK(m.r1 == 0.5);
  CHECK(m.r100 == 0.5);
  // a: DCG = 3 + 7/log2 3 against IDCG = 7 + 3/log2 3 (grade 0 adds 0).
  const double l3 = std::log2(3.0);
  CHECK(m.ndcg10 == Approx((3 + 7 / l3) / (7 + 3 / l3) / 2));
  CHECK_FALSE(m.disc_p10);
  CHECK(FormatScoreJson(g).find("DiscP") == std::string::npos);
}

// ------------------------------------------------------------- files

TEST_CASE("metrics: LoadCslEvalData reads the files, errors name the line",
          "[metrics]") {
  TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  WriteFile(dir / "corpus.jsonl",
            "{\"id\": \"d1\", \"title\": \"\", \"text\": \"x\", "
            "\"discipline\": \"物理学\", \"category\": \"理学\"}\n"
            "\n"
            "{\"id\": \"d2\", \"discipline\": null, \"category\": \"工学\"}\n"
            "{\"id\": \"d1\", \"discipline\": \"化学\", \"category\": null}\r\n");
  WriteFile(dir / "queries_dev.jsonl",
            "{\"id\": \"q1\", \"type\": \"title\", \"text\": \"t\", "
            "\"keywords\": null}\n"
            "{\"id\": \"q2\", \"type\": \"keywords\"}\n");
  WriteFile(dir / "qrels_dev.jsonl",
            "{\"query_id\": \"q1\", \"doc_id\": \"d1\", \"relevance\": 2}\n"
            "{\"query_id\": \"q1\", \"doc_id\": \"d2\", \"relevance\": 1.0}\n"
            "{\"query_id\": \"q1\", \"doc_id\": \"d1\", \"relevance\": 3}\n");
  WriteFile(dir / "query_labels_dev.jsonl",
            "{\"query_id\": \"q1\", \"discipline\": \"化学\", \"category\": "
            "null, \"bigram_coverage\": 0.25}\n"
            "{\"query_id\": \"q9\", \"discipline\": \"x\"}\n");
  auto data = LoadCslEvalData(dir.path(), "dev");
  REQUIRE(data.ok());
  REQUIRE(data->queries.size() == 2);
  CHECK(data->queries[0].id == "q1");
  CHECK(data->queries[0].type == "title");
  CHECK(data->queries[0].discipline == "化学");
  CHECK(data->queries[0].category.empty());
  CHECK(data->queries[0].bigram_coverage == 0.25);
  CHECK(data->queries[1].discipline.empty());
  CHECK_FALSE(data->queries[1].bigram_coverage);
  CHECK(data->doc_discipline.at("d1") == "化学");  // last line wins
  CHECK(data->doc_category.at("d1").empty());
  CHECK(data->doc_discipline.at("d2").empty());
  CHECK(data->qrels.at("q1").at("d1") == 3);
  CHECK(data->qrels.at("q1").at("d2") == 1);

  auto expect_error = [&](const std::string& file, const std::string& text,
                          const std::string& what) {
    const std::string path = dir / file;
    std::string saved;
    {
      std::ifstream in(path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      saved = ss.str();
    }
    WriteFile(path, text);
    auto r = LoadCslEvalData(dir.path(), "dev");
    WriteFile(path, saved);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Contains(path));
    CHECK_THAT(r.status().message(), Contains(what));
  };
  expect_error("corpus.jsonl", "{\"id\": \"d1\"}\n\n{\"id\": \"d2\"\n",
               "corpus.jsonl:3: invalid JSON");
  expect_error("corpus.jsonl", "{\"id\": \"d1\", \"discipline\": 3}\n",
               "corpus.jsonl:1: \"discipline\"");
  expect_error("queries_dev.jsonl", "{\"id\": \"q1\"}\n",
               "queries_dev.jsonl:1: missing \"type\"");
  expect_error("qrels_dev.jsonl",
               "{\"query_id\": \"q1\", \"doc_id\": \"d1\", \"relevance\": 2}\n"
               "{\"query_id\": \"q1\", \"doc_id\": \"d1\", \"relevance\": 1.5}\n",
               "qrels_dev.jsonl:2: \"relevance\" is not an integer");
  expect_error("qrels_dev.jsonl", "[1, 2]\n", "qrels_dev.jsonl:1: not a JSON object");
  expect_error("query_labels_dev.jsonl",
               "{\"query_id\": \"q1\", \"bigram_coverage\": \"high\"}\n",
               "query_labels_dev.jsonl:1: \"bigram_coverage\"");

  auto missing = LoadCslEvalData(dir.path(), "heldout");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kNotFound);
  CHECK_THAT(missing.status().message(), Contains("queries_heldout.jsonl"));

  // Runs: JSONL (last line per query wins) and TREC (by rank, then doc id).
  WriteFile(dir / "run.jsonl", FormatRunLine("q1", {"d1", "d\"2"}) + "\n\n" +
                                   FormatRunLine("q2", {}) + "\n" +
                                   FormatRunLine("q1", {"d2", "d1"}) + "\n");
  auto run = ReadEvalRun(dir / "run.jsonl");
  REQUIRE(run.ok());
  CHECK(run->at("q1") == std::vector<std::string>{"d2", "d1"});
  CHECK(run->at("q2").empty());
  WriteFile(dir / "run.trec",
            "q1 Q0 d9 2 0.5 t\nq1 Q0 d3 1 0.9 t\nq1 Q0 d1 2 0.5 t\nshort line\n"
            "q2\tQ0\td4\t+7\t1\tt\r\n");
  auto trec = ReadEvalRun(dir / "run.trec");
  REQUIRE(trec.ok());
  CHECK(trec->at("q1") == std::vector<std::string>{"d3", "d1", "d9"});
  CHECK(trec->at("q2") == std::vector<std::string>{"d4"});
  WriteFile(dir / "bad.trec", "q1 Q0 d9 first 0.5 t\n");
  auto bad = ReadEvalRun(dir / "bad.trec");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(bad.status().message(), Contains("bad.trec:1: rank \"first\""));
  WriteFile(dir / "bad.jsonl", "{\"query_id\": \"q1\", \"doc_ids\": [1]}\n");
  CHECK_THAT(ReadEvalRun(dir / "bad.jsonl").status().message(),
             Contains("bad.jsonl:1"));
  CHECK(ReadEvalRun(dir / "none.jsonl").status().code() == StatusCode::kNotFound);
}

// ------------------------------------------------------------- evaluate.py

// A small data set with every awkward case, written to `dir`, with a JSONL
// and a TREC run of the same rankings.
void WriteTrickyDataSet(const TempDir& dir, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](size_t n) { return size_t(rng() % n); };
  const std::vector<std::string> disciplines = {"物理学", "化学", "力学", "数学"};
  const std::vector<std::string> categories = {"理学", "工学", "医学"};
  const size_t n_docs = 40;

  std::string corpus;
  for (size_t i = 0; i < n_docs; ++i) {
    const std::string id = "D" + std::to_string(i);
    auto label = [&](const std::vector<std::string>& v) -> std::string {
      switch (pick(5)) {
        case 0: return "null";
        case 1: return "\"\"";
        default: return "\"" + v[pick(v.size())] + "\"";
      }
    };
    corpus += "{\"id\": \"" + id + "\", \"title\": \"\", \"text\": \"t\", "
              "\"discipline\": " + label(disciplines) + ", \"category\": " +
              label(categories) + "}\n";
    if (i % 13 == 0) corpus += "\n";
  }
  // A repeated id: the last line wins.
  corpus += "{\"id\": \"D3\", \"discipline\": \"化学\", \"category\": \"理学\"}\n";
  WriteFile(dir / "corpus.jsonl", corpus);

  const std::vector<std::string> types = {"title", "keywords", "title",
                                          "keywords", "标 题", "ti\"tle"};
  std::string queries, qrels, labels, run_jsonl, run_trec;
  const size_t n_queries = 60;
  for (size_t q = 0; q < n_queries; ++q) {
    const std::string id = "Q" + std::to_string(q);
    const std::string type = types[q < 4 ? q % 4 : pick(types.size())];
    std::string type_json = type;
    if (type == "ti\"tle") type_json = "ti\\\"tle";
    queries += "{\"id\": \"" + id + "\", \"type\": \"" + type_json +
               "\", \"text\": \"x\", \"keywords\": null}\n";
    if (q % 17 == 5) {  // the same query twice: scored twice
      queries += "{\"id\": \"" + id + "\", \"type\": \"" + type_json + "\"}\n";
    }
    // qrels: none, one positive, or several grades (ties included).
    const size_t kind = q % 7 == 3 ? 0 : pick(4);
    std::vector<std::pair<size_t, int>> graded;
    if (kind >= 1) graded.push_back({pick(n_docs), 2});
    if (kind >= 2) graded.push_back({pick(n_docs), int(pick(4))});
    if (kind >= 3) {
      graded.push_back({pick(n_docs), 2});
      graded.push_back({pick(n_docs), 1});
      graded.push_back({pick(n_docs + 5), 3});  // maybe not in the corpus
    }
    for (auto [doc, grade] : graded) {
      qrels += "{\"query_id\": \"" + id + "\", \"doc_id\": \"D" +
               std::to_string(doc) + "\", \"relevance\": " +
               std::to_string(grade) + "}\n";
    }
    // labels: absent, null fields, or set; coverage around 0.5.
    if (q % 9 != 4) {
      const double covs[] = {0.1, 0.49, 0.5, 0.51, 0.9};
      const size_t c = pick(6);
      const std::string cov = c == 5 ? "null" : std::to_string(covs[c]);
      labels += "{\"query_id\": \"" + id + "\", \"discipline\": " +
                (pick(4) == 0 ? std::string("null")
                              : "\"" + disciplines[pick(disciplines.size())] + "\"") +
                ", \"category\": " +
                (pick(4) == 0 ? std::string("\"\"")
                              : "\"" + categories[pick(categories.size())] + "\"") +
                (pick(5) == 0 ? std::string() : ", \"bigram_coverage\": " + cov) +
                "}\n";
    }
    // run: absent, empty, short, long, with duplicates and unknown docs.
    if (q % 11 == 7) continue;
    const size_t len_kind = pick(5);
    const size_t len = len_kind == 0 ? 0
                       : len_kind == 1 ? 1 + pick(9)
                       : len_kind == 2 ? 10 + pick(3)
                                       : 20 + pick(100);
    std::vector<std::string> ranked;
    for (size_t i = 0; i < len; ++i) {
      if (!ranked.empty() && pick(8) == 0) {
        ranked.push_back(ranked[pick(ranked.size())]);  // duplicate id
      } else {
        ranked.push_back("D" + std::to_string(pick(n_docs + 3)));
      }
    }
    // Often put a judged document somewhere, near the top more likely.
    if (!graded.empty() && !ranked.empty() && pick(3) != 0) {
      const size_t at = std::min(ranked.size() - 1, pick(2) == 0 ? pick(12)
                                                                 : pick(ranked.size()));
      ranked[at] = "D" + std::to_string(graded[pick(graded.size())].first);
    }
    if (q % 13 == 2) {  // an earlier, different line for the same query
      run_jsonl += FormatRunLine(id, {"D1", "D2"}) + "\n";
    }
    run_jsonl += FormatRunLine(id, ranked) + "\n";
    // TREC: ranks with ties (broken by doc id) in scrambled line order.
    std::vector<std::string> lines;
    for (size_t i = 0; i < ranked.size(); ++i) {
      lines.push_back(id + " Q0 " + ranked[i] + " " + std::to_string(i / 3 + 1) +
                      " 1.0 tag\n");
    }
    std::shuffle(lines.begin(), lines.end(), rng);
    for (const auto& l : lines) run_trec += l;
  }
  // A run line for a query that does not exist.
  run_jsonl += FormatRunLine("Qnone", {"D1"}) + "\n";
  WriteFile(dir / "queries_dev.jsonl", queries);
  WriteFile(dir / "qrels_dev.jsonl", qrels);
  WriteFile(dir / "query_labels_dev.jsonl", labels);
  WriteFile(dir / "run.jsonl", run_jsonl);
  WriteFile(dir / "run.trec", run_trec);
}

TEST_CASE("metrics: agree with evaluate.py on awkward data",
          "[metrics][py][shared]") {
  const std::string why = WhyNoPython();
  if (!why.empty()) TECHMATCH_SKIP(why);
  for (uint64_t seed : {1, 2, 3, 4, 5}) {
    INFO("seed " << seed);
    TempDir dir;
    REQUIRE_FALSE(dir.path().empty());
    WriteTrickyDataSet(dir, seed);
    auto data = LoadCslEvalData(dir.path(), "dev");
    REQUIRE(data.ok());
    auto run = ReadEvalRun(dir / "run.jsonl");
    REQUIRE(run.ok());
    CheckAgrees(ScoreRun(*data, *run),
                RunEvaluatePy(dir.path(), "dev", dir / "run.jsonl"));
    // The TREC file holds different rankings (ties reorder by doc id).
    auto trec = ReadEvalRun(dir / "run.trec");
    REQUIRE(trec.ok());
    CheckAgrees(ScoreRun(*data, *trec),
                RunEvaluatePy(dir.path(), "dev", dir / "run.trec"));
  }

  // The hand-made data set, written out, agrees too.
  TempDir dir;
  const EvalData hand = HandData();
  std::string corpus, queries, qrels, labels, run;
  std::set<std::string> docs;
  for (const auto& [d, l] : hand.doc_discipline) docs.insert(d);
  for (const auto& [d, l] : hand.doc_category) docs.insert(d);
  auto label = [](const std::unordered_map<std::string, std::string>& m,
                  const std::string& id) {
    auto it = m.find(id);
    return it == m.end() ? std::string("null") : "\"" + it->second + "\"";
  };
  for (const std::string& d : docs) {
    corpus += "{\"id\": \"" + d + "\", \"discipline\": " +
              label(hand.doc_discipline, d) + ", \"category\": " +
              label(hand.doc_category, d) + "}\n";
  }
  for (const EvalQuery& q : hand.queries) {
    queries += "{\"id\": \"" + q.id + "\", \"type\": \"" + q.type + "\"}\n";
    if (q.id != "q3") {
      labels += "{\"query_id\": \"" + q.id + "\", \"discipline\": \"" +
                q.discipline + "\", \"category\": \"" + q.category +
                "\", \"bigram_coverage\": " +
                (q.bigram_coverage ? std::to_string(*q.bigram_coverage)
                                   : std::string("null")) +
                "}\n";
    }
  }
  for (const auto& [q, g] : hand.qrels) {
    for (const auto& [d, v] : g) {
      qrels += "{\"query_id\": \"" + q + "\", \"doc_id\": \"" + d +
               "\", \"relevance\": " + std::to_string(v) + "}\n";
    }
  }
  for (const auto& [q, ids] : HandRun()) run += FormatRunLine(q, ids) + "\n";
  WriteFile(dir / "corpus.jsonl", corpus);
  WriteFile(dir / "queries_dev.jsonl", queries);
  WriteFile(dir / "qrels_dev.jsonl", qrels);
  WriteFile(dir / "query_labels_dev.jsonl", labels);
  WriteFile(dir / "run.jsonl", run);
  auto loaded = LoadCslEvalData(dir.path(), "dev");
  REQUIRE(loaded.ok());
  auto read = ReadEvalRun(dir / "run.jsonl");
  REQUIRE(read.ok());
  CheckSameRun(*read, HandRun());
  const auto ours = ScoreRun(*loaded, *read);
  CheckAgrees(ours, RunEvaluatePy(dir.path(), "dev", dir / "run.jsonl"));
  CHECK(FormatScoreJson(ours) == FormatScoreJson(ScoreRun(HandData(), HandRun())));
}

// ------------------------------------------------------------- real data

// The code points of a UTF-8 string (invalid bytes count as themselves).
std::vector<uint32_t> CodePoints(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + len > s.size()) len = 1;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

// The csl-match dev set and a simple deterministic run over it: for each
// query, the 100 documents sharing the most distinct characters with it
// (ties by corpus order). Built once per process; null when ../shared does
// not have the data set.
struct CslDevRun {
  std::string dir;
  EvalData data;
  std::vector<Record> queries;
  EvalRun run;
};

const CslDevRun* CslDev() {
  static const std::unique_ptr<CslDevRun> dev =
      []() -> std::unique_ptr<CslDevRun> {
    const std::string queries_file =
        testing::SharedFile("csl-match/queries_dev.jsonl");
    if (queries_file.empty()) return nullptr;
    auto out = std::make_unique<CslDevRun>();
    out->dir = fs::path(queries_file).parent_path().string();
    auto data = LoadCslEvalData(out->dir, "dev");
    REQUIRE(data.ok());
    out->data = std::move(*data);
    auto corpus = ReadRecordsJsonlFile(out->dir + "/corpus.jsonl");
    REQUIRE(corpus.ok());
    auto queries = ReadRecordsJsonlFile(queries_file);
    REQUIRE(queries.ok());
    out->queries = std::move(*queries);
    std::unordered_map<uint32_t, std::vector<uint32_t>> postings;
    for (size_t d = 0; d < corpus->size(); ++d) {
      auto cps = CodePoints((*corpus)[d].text);
      std::sort(cps.begin(), cps.end());
      cps.erase(std::unique(cps.begin(), cps.end()), cps.end());
      for (uint32_t cp : cps) postings[cp].push_back(uint32_t(d));
    }
    std::vector<uint32_t> shared(corpus->size());
    std::vector<uint32_t> order(corpus->size());
    for (const Record& q : out->queries) {
      std::fill(shared.begin(), shared.end(), 0);
      auto cps = CodePoints(q.text);
      std::sort(cps.begin(), cps.end());
      cps.erase(std::unique(cps.begin(), cps.end()), cps.end());
      for (uint32_t cp : cps) {
        auto it = postings.find(cp);
        if (it == postings.end()) continue;
        for (uint32_t d : it->second) ++shared[d];
      }
      for (uint32_t d = 0; d < order.size(); ++d) order[d] = d;
      const size_t k = std::min<size_t>(100, order.size());
      std::partial_sort(order.begin(), order.begin() + k, order.end(),
                        [&](uint32_t a, uint32_t b) {
                          return shared[a] != shared[b] ? shared[a] > shared[b]
                                                        : a < b;
                        });
      std::vector<std::string>& ids = out->run[q.id];
      for (size_t i = 0; i < k; ++i) ids.push_back((*corpus)[order[i]].id);
    }
    return out;
  }();
  return dev.get();
}

TEST_CASE("metrics: the csl-match dev set is scored",
          "[metrics][csl][shared]") {
  const CslDevRun* dev = CslDev();
  if (dev == nullptr)
    TECHMATCH_SKIP(testing::Absent("csl-match/queries_dev.jsonl"));
  CHECK(dev->data.queries.size() == 800);
  CHECK(dev->data.doc_discipline.size() == 16917);
  const auto ours = ScoreRun(dev->data, dev->run);
  REQUIRE(ours.size() == 4);
  CHECK(ours.at("all").n == 800);
  CHECK(ours.at("all").mrr10 > 0.3);  // a weak but real ranker
}

TEST_CASE("metrics: agree with evaluate.py on the csl-match dev set",
          "[metrics][py][csl][shared]") {
  const CslDevRun* dev = CslDev();
  if (dev == nullptr)
    TECHMATCH_SKIP(testing::Absent("csl-match/queries_dev.jsonl"));
  const std::string why = WhyNoPython();
  if (!why.empty()) TECHMATCH_SKIP(why);
  TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  std::string text;
  for (const Record& q : dev->queries) {
    text += FormatRunLine(q.id, dev->run.at(q.id)) + "\n";
  }
  WriteFile(dir / "run.jsonl", text);
  auto read = ReadEvalRun(dir / "run.jsonl");
  REQUIRE(read.ok());
  CheckSameRun(*read, dev->run);
  CheckAgrees(ScoreRun(dev->data, dev->run),
              RunEvaluatePy(dev->dir, "dev", dir / "run.jsonl"));
}

}  // namespace
}  // namespace techmatch::internal
