// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The HTTP service in-process on a loopback port, driven by an HTTP client:
// every endpoint, the error answers, limits and authentication.

#include "server/service.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "server/index_dir.h"
#include "techmatch/record_io.h"
#include "test_util.h"

namespace techmatch::server {
namespace {

using Catch::Matchers::Contains;
using json = nlohmann::json;
using testing::TempDir;

std::string ExamplesDir() { return std::string(TECHMATCH_TEST_DATA_DIR) + "/../../examples/data"; }

// The sample supplies and demands as a snapshot, built once.
const std::string& SampleSnapshot() {
  static TempDir dir;
  static const std::string path = [] {
    EngineOptions o;
    o.embedder.dim = 32;
    o.threads = 2;
    o.analyzer.dictionary_file = ExamplesDir() + "/tech_terms.txt";
    auto e = Engine::Open(o);
    REQUIRE(e.ok());
    for (const char* f : {"supply.jsonl", "demand.jsonl"}) {
      auto records = ReadRecordsJsonlFile(ExamplesDir() + "/" + f);
      REQUIRE(records.ok());
      REQUIRE((*e)->Add(*records).ok());
    }
    REQUIRE((*e)->Build().ok());
    REQUIRE((*e)->Save(dir.file("snap")).ok());
    return dir.file("snap");
  }();
  return path;
}

// A service on a free loopback port over a copy of the sample snapshot, or
// (replica_of) a read-only replica of the directory another one serves.
class Running {
 public:
  explicit Running(ServiceOptions options = {}, const std::string& replica_of = "") {
    std::string path = tmp_.file("index");
    if (replica_of.empty()) {
      std::filesystem::copy(SampleSnapshot(), path, std::filesystem::copy_options::recursive);
    } else {
      path = replica_of;
      options.replica = true;
    }
    IndexDirOptions dir_options;
    dir_options.read_only = options.replica;
    auto d = IndexDir::Open(path, dir_options);
    REQUIRE(d.ok());
    dir_ = std::move(*d);
    options.port = 0;
    options.threads = 4;
    service_ = std::make_unique<Service>(dir_, options);
    REQUIRE(service_->Bind().ok());
    thread_ = std::thread([this] { status_ = service_->Run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", service_->port());
    client_->set_read_timeout(30, 0);
  }
  ~Running() { Stop(); }
  void Stop() {
    if (!thread_.joinable()) return;
    service_->Stop();
    thread_.join();
  }
  httplib::Client& client() { return *client_; }
  IndexDir& dir() { return *dir_; }
  std::string path() const { return tmp_.file("index"); }
  Status status() const { return status_; }

 private:
  TempDir tmp_;
  std::shared_ptr<IndexDir> dir_;
  std::unique_ptr<Service> service_;
  std::thread thread_;
  Status status_;
  std::unique_ptr<httplib::Client> client_;
};

struct Reply {
  int status = 0;
  json body;
};

Reply Send(httplib::Client& c, const std::string& method, const std::string& path,
           const std::string& body = "", const httplib::Headers& headers = {}) {
  httplib::Result r = method == "GET"      ? c.Get(path.c_str(), headers)
                      : method == "DELETE" ? c.Delete(path.c_str(), headers)
                      : method == "PUT"    ? c.Put(path.c_str(), headers, body, "application/json")
                                           : c.Post(path.c_str(), headers, body, "application/json");
  REQUIRE(r);
  Reply reply;
  reply.status = r->status;
  reply.body = json::parse(r->body, nullptr, /*allow_exceptions=*/false);
  return reply;
}

Reply Post(httplib::Client& c, const std::string& path, const json& body) {
  return Send(c, "POST", path, body.dump());
}

// The error answer's field, or "" when there is none.
std::string ErrorField(const Reply& r) {
  const json& e = r.body["error"];
  return e.contains("field") ? e["field"].get<std::string>() : std::string();
}

TEST_CASE("server: health, stats, match with display fields and reasons", "[server][threads]") {
  Running s;
  Reply h = Send(s.client(), "GET", "/healthz");
  CHECK(h.status == 200);
  CHECK(h.body["status"] == "ok");
  CHECK(h.body["records"] == 315);

  Reply m = Post(s.client(), "/v1/match", {{"text", "钒电池电解液低成本制备"}, {"k", 5}});
  REQUIRE(m.status == 200);
  CHECK(m.body["confidence"].is_number());
  CHECK(m.body["needs_follow_up"].is_boolean());
  const json& matches = m.body["matches"];
  REQUIRE(matches.size() == 5);
  const json& top = matches[0];
  CHECK(top["rank"] == 1);
  CHECK(top["kind"] == "supply");
  for (const char* f : {"title", "organization", "region", "maturity", "price"}) {
    CHECK(top["record"].contains(f));
  }
  CHECK(!top["record"]["title"].get<std::string>().empty());
  REQUIRE(!top["reasons"].empty());
  CHECK(top["reasons"][0]["code"] == "shared_terms");
  CHECK(top.contains("explanation"));
  bool marked = false;
  for (const json& piece : top["title_marked"]) {
    marked = marked || piece[1].get<bool>();
  }
  CHECK(marked);

  Reply no = Post(s.client(), "/v1/match", {{"text", "钒电池"}, {"explain", false}});
  REQUIRE(no.status == 200);
  CHECK(!no.body["matches"][0].contains("explanation"));
  CHECK(no.body["matches"][0]["reasons"].empty());

  Reply st = Send(s.client(), "GET", "/v1/stats");
  REQUIRE(st.status == 200);
  CHECK(st.body["engine"]["supplies"] == 300);
  CHECK(st.body["server"]["queries"].get<int>() >= 2);
}

TEST_CASE("server: stored demands, filters and batches", "[server]") {
  Running s;
  Reply d = Post(s.client(), "/v1/match", {{"stored", {{"kind", "demand"}, {"id", "D001"}}}});
  REQUIRE(d.status == 200);
  CHECK(d.body["query_id"] == "D001");
  const std::string top = d.body["matches"][0]["id"];
  CHECK((top == "S0008" || top == "S0227" || top == "S0249"));
  bool trl = false;
  for (const json& r : d.body["matches"][0]["reasons"]) trl = trl || r["code"] == "maturity_ok";
  CHECK(trl);

  Reply f = Post(s.client(), "/v1/match",
                 {{"text", "钒电池电解液"}, {"filters", {{"region", "重庆"}, {"min_maturity", 5}}}});
  REQUIRE(f.status == 200);
  for (const json& m : f.body["matches"]) {
    CHECK_THAT(m["record"]["region"].get<std::string>(), Contains("重庆"));
    CHECK(m["record"]["maturity"].get<int>() >= 5);
  }
  Reply none = Post(s.client(), "/v1/match", {{"text", "钒电池"}, {"filters", {{"region", "火星"}}}});
  REQUIRE(none.status == 200);
  CHECK(none.body["matches"].empty());
  CHECK(none.body["warnings"].size() == 1);

  json queries = json::array();
  queries.push_back({{"text", "无人机复合材料成型"}, {"id", "a"}});
  queries.push_back({{"stored", {{"kind", "demand"}, {"id", "D013"}}}});
  queries.push_back({{"record", {{"id", "Q1"}, {"kind", "demand"}, {"text", "猪场粪污处理"}}}});
  Reply b = Post(s.client(), "/v1/match/batch", {{"queries", queries}, {"k", 3}});
  REQUIRE(b.status == 200);
  REQUIRE(b.body["results"].size() == 3);
  CHECK(b.body["results"][0]["query_id"] == "a");
  CHECK(b.body["results"][1]["query_id"] == "D013");
  CHECK(b.body["results"][2]["query_id"] == "Q1");
  CHECK(b.body["results"][2]["matches"].size() == 3);

  Reply fu = Send(s.client(), "GET", "/v1/follow-up?k=2");
  REQUIRE(fu.status == 200);
  CHECK(fu.body["demands"] == 15);
  CHECK(fu.body["checked"] == 15);
  CHECK(fu.body["flagged"].get<size_t>() == fu.body["follow_up"].size());
  for (const json& item : fu.body["follow_up"]) CHECK(item["needs_follow_up"] == true);
}

TEST_CASE("server: records PUT, GET, DELETE are durable and seen by the next match",
          "[server][threads]") {
  {
    Running s;
    json rec = {{"id", "S9001"},
                {"kind", "supply"},
                {"title", "石墨烯散热膜卷对卷制备"},
                {"text", "石墨烯散热膜采用卷对卷工艺连续制备，导热系数超过1500 W/mK。"},
                {"maturity", 7},
                {"attributes", {{"owner", "测试单位"}}}};
    Reply put = Send(s.client(), "PUT", "/v1/records", json{{"records", {rec}}}.dump());
    REQUIRE(put.status == 200);
    CHECK(put.body["created"] == 1);
    Reply m = Post(s.client(), "/v1/match", {{"text", "石墨烯散热膜卷对卷"}, {"k", 3}});
    REQUIRE(m.status == 200);
    CHECK(m.body["matches"][0]["id"] == "S9001");
    CHECK(m.body["matches"][0]["record"]["organization"] == "测试单位");
    Reply g = Send(s.client(), "GET", "/v1/records/supply/S9001");
    REQUIRE(g.status == 200);
    CHECK(g.body["record"]["title"] == rec["title"]);
    // A single record object is accepted too; it replaces.
    rec["title"] = "石墨烯散热膜（第二版）";
    Reply again = Send(s.client(), "PUT", "/v1/records", rec.dump());
    REQUIRE(again.status == 200);
    CHECK(again.body["replaced"] == 1);
    Reply del = Send(s.client(), "DELETE", "/v1/records/supply/S0001");
    CHECK(del.status == 200);
    CHECK(Send(s.client(), "DELETE", "/v1/records/supply/S0001").status == 404);
    CHECK(Send(s.client(), "GET", "/v1/records/supply/S0001").status == 404);
    Reply snap = Send(s.client(), "POST", "/v1/snapshot");
    CHECK(snap.status == 200);
    CHECK(s.dir().stats().log_bytes == 12);
    Reply put3 = Send(s.client(), "PUT", "/v1/records",
                      json{{"id", "D900"}, {"kind", "demand"}, {"text", "寻求低温余热发电"}}.dump());
    REQUIRE(put3.status == 200);
    s.Stop();  // a clean stop checkpoints
    CHECK(s.status().ok());
    CHECK(s.dir().stats().writes_since_checkpoint == 0);
    auto engine = Engine::Load(s.path());  // the snapshot alone
    REQUIRE(engine.ok());
    CHECK((*engine)->Get({RecordKind::kSupply, "S9001"})->title == "石墨烯散热膜（第二版）");
    CHECK(!(*engine)->Contains({RecordKind::kSupply, "S0001"}));
    CHECK((*engine)->Contains({RecordKind::kDemand, "D900"}));
  }
}

TEST_CASE("server: bad requests get 4xx JSON naming the field, and change nothing",
          "[server]") {
  ServiceOptions o;
  o.limits.max_body_bytes = 64 * 1024;
  Running s(o);
  auto expect = [&](const Reply& r, int status, const std::string& field) {
    CHECK(r.status == status);
    REQUIRE(r.body.is_object());
    CHECK(r.body["error"]["message"].is_string());
    CHECK(ErrorField(r) == field);
  };
  httplib::Client& c = s.client();
  expect(Send(c, "POST", "/v1/match", "{\"text\": "), 400, "");
  expect(Send(c, "POST", "/v1/match", "[1, 2]"), 400, "");
  expect(Send(c, "POST", "/v1/match", "{\"text\": \"\xff\xfe\"}"), 400, "");
  expect(Send(c, "POST", "/v1/match", std::string(200, '[') + std::string(200, ']')), 400, "");
  expect(Post(c, "/v1/match", {{"text", "x"}, {"k", "10"}}), 400, "k");
  expect(Post(c, "/v1/match", {{"text", "x"}, {"k", 0}}), 400, "k");
  expect(Post(c, "/v1/match", {{"text", "x"}, {"k", 1001}}), 400, "k");
  expect(Post(c, "/v1/match", {{"text", "x"}, {"k", 2.5}}), 400, "k");
  expect(Post(c, "/v1/match", {{"text", 7}}), 400, "text");
  expect(Post(c, "/v1/match", {{"text", "   "}}), 400, "text");
  expect(Post(c, "/v1/match", {{"k", 3}}), 400, "text");
  expect(Post(c, "/v1/match", {{"text", "x"}, {"record", {{"id", "a"}}}}), 400, "text");
  expect(Post(c, "/v1/match", {{"text", "x"}, {"fitlers", {}}}), 400, "fitlers");
  expect(Post(c, "/v1/match", {{"text", "x"}, {"target", "both"}}), 400, "target");
  expect(Post(c, "/v1/match", {{"text", "x"}, {"filters", {{"min_maturity", 10}}}}), 400,
         "filters.min_maturity");
  expect(Post(c, "/v1/match", {{"text", "x"}, {"filters", {{"region", "/四川"}}}}), 400,
         "filters.region");
  expect(Post(c, "/v1/match", {{"text", "x"}, {"filters", {{"colour", "red"}}}}), 400,
         "filters.colour");
  expect(Post(c, "/v1/match", {{"stored", {{"kind", "demand"}, {"id", "D999"}}}}), 404, "stored");
  expect(Post(c, "/v1/match", {{"record", {{"id", "a"}, {"maturity", 12}}}}), 400, "record");
  expect(Post(c, "/v1/match", {{"text", std::string(70000, 'a')}}), 413, "");
  expect(Post(c, "/v1/match/batch", {{"queries", json::array()}}), 400, "queries");
  expect(Post(c, "/v1/match/batch", {{"queries", {{{"text", 5}}}}}), 400, "queries[0].text");
  expect(Send(c, "PUT", "/v1/records", json{{"records", {{{"id", "X1"}, {"maturity", "high"}}}}}.dump()),
         400, "records[0]");
  expect(Send(c, "PUT", "/v1/records",
              json{{"records", {{{"id", "X1"}}, {{"id", "X1"}}}}}.dump()),
         400, "");
  expect(Send(c, "GET", "/v1/records/robot/S0001"), 400, "kind");
  expect(Send(c, "GET", "/v1/records/supply/NOPE"), 404, "id");
  expect(Send(c, "GET", "/v1/follow-up?limit=zero"), 400, "limit");
  expect(Send(c, "GET", "/v1/nothing"), 404, "");
  expect(Send(c, "POST", "/v1/snapshot", "{\"now\": true}"), 400, "");
  CHECK(!s.dir().engine().Contains({RecordKind::kSupply, "X1"}));
  CHECK(s.dir().stats().writes == 0);
  // Still answering.
  CHECK(Send(c, "GET", "/healthz").status == 200);
}

TEST_CASE("server: a token guards writes, and reads when asked", "[server]") {
  ServiceOptions o;
  o.token = "0123456789abcdef-token";
  Running s(o);
  httplib::Client& c = s.client();
  const std::string rec = json{{"id", "S9002"}, {"text", "测试"}}.dump();
  Reply denied = Send(c, "PUT", "/v1/records", rec);
  CHECK(denied.status == 401);
  CHECK(ErrorField(denied) == "Authorization");
  CHECK(Send(c, "PUT", "/v1/records", rec, {{"Authorization", "Bearer wrong"}}).status == 401);
  CHECK(Send(c, "DELETE", "/v1/records/supply/S0001").status == 401);
  CHECK(Send(c, "POST", "/v1/snapshot").status == 401);
  CHECK(Send(c, "PUT", "/v1/records", rec, {{"Authorization", "Bearer " + o.token}}).status ==
        200);
  CHECK(Post(c, "/v1/match", {{"text", "测试"}}).status == 200);  // reads are open
  s.Stop();

  o.auth_reads = true;
  Running r(o);
  CHECK(Post(r.client(), "/v1/match", {{"text", "测试"}}).status == 401);
  CHECK(Send(r.client(), "GET", "/v1/stats").status == 401);
  CHECK(Send(r.client(), "GET", "/healthz").status == 200);  // never guarded
  CHECK(Send(r.client(), "GET", "/v1/stats", "", {{"Authorization", "Bearer " + o.token}})
            .status == 200);
}

TEST_CASE("server: a replica serves reads, refuses writes, and reloads the primary's",
          "[server][threads]") {
  Running primary;
  Running replica({}, primary.path());
  const std::string rec =
      R"({"records": [{"id": "S9300", "kind": "supply", "title": "钠离子电池层状氧化物正极"}]})";
  CHECK(Send(primary.client(), "PUT", "/v1/records", rec).status == 200);
  // Not yet: the replica serves what it loaded.
  CHECK(Send(replica.client(), "GET", "/v1/records/supply/S9300").status == 404);
  Reply w = Send(replica.client(), "PUT", "/v1/records", rec);
  CHECK(w.status == 409);
  CHECK(w.body["error"]["code"] == "read_only_replica");
  CHECK(Send(replica.client(), "DELETE", "/v1/records/supply/S0001").status == 409);
  CHECK(Post(replica.client(), "/v1/snapshot", json::object()).status == 409);
  CHECK(Post(primary.client(), "/v1/reload", json::object()).status == 409);

  // The write is in the primary's log (no snapshot yet): a reload sees it.
  Reply r = Post(replica.client(), "/v1/reload", json::object());
  REQUIRE(r.status == 200);
  CHECK(r.body["records"] == 316);
  CHECK(Send(replica.client(), "GET", "/v1/records/supply/S9300").status == 200);
  // After the primary folds its log into a snapshot (and truncates it), a
  // reload still sees every write; a removal too.
  CHECK(Send(primary.client(), "DELETE", "/v1/records/supply/S0001").status == 200);
  CHECK(Post(primary.client(), "/v1/snapshot", json::object()).status == 200);
  REQUIRE(Post(replica.client(), "/v1/reload", json::object()).status == 200);
  CHECK(Send(replica.client(), "GET", "/v1/records/supply/S0001").status == 404);
  CHECK(Send(replica.client(), "GET", "/v1/records/supply/S9300").status == 200);
  Reply m = Post(replica.client(), "/v1/match", {{"text", "钠离子电池层状氧化物正极"}, {"k", 1}});
  REQUIRE(m.status == 200);
  CHECK(m.body["matches"][0]["id"] == "S9300");
  Reply st = Send(replica.client(), "GET", "/v1/stats");
  CHECK(st.body["server"]["role"] == "replica");
  CHECK(st.body["server"]["reloads"] == 2);
  replica.Stop();
  CHECK(replica.status().ok());
}

// Whether any match of `r` (a /v1/match answer) explains a term by `phrase`.
bool AnyViaSynonym(const json& r, const std::string& phrase) {
  for (const json& m : r["matches"]) {
    for (const json& t : m["explanation"]["matched_terms"]) {
      if (t["synonym_of"] == phrase) return true;
    }
  }
  return false;
}

TEST_CASE("server: a synonyms file applies to matches and is re-read on POST /v1/synonyms",
          "[server]") {
  TempDir tmp;
  const std::string file = tmp.file("synonyms.txt");
  auto write = [&](const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
  };
  write("# vanadium flow batteries\nVRFB, 钒电池\n");
  ServiceOptions o;
  o.synonyms_file = file;
  Running s(o);
  httplib::Client& c = s.client();
  const json query = {{"text", "VRFB 储能"}, {"k", 5}};
  Reply on = Post(c, "/v1/match", query);
  REQUIRE(on.status == 200);
  CHECK(AnyViaSynonym(on.body, "vrfb"));
  Reply stats = Send(c, "GET", "/v1/stats");
  CHECK(stats.body["engine"]["synonym_rules"] == 1);
  CHECK(stats.body["engine"]["synonyms_source"] == file);

  // Per request: weight 0 turns them off; a bad value names the field.
  json off = query;
  off["synonym_weight"] = 0;
  Reply no = Post(c, "/v1/match", off);
  REQUIRE(no.status == 200);
  CHECK(!AnyViaSynonym(no.body, "vrfb"));
  off["synonym_weight"] = "high";
  Reply bad_weight = Post(c, "/v1/match", off);
  CHECK(bad_weight.status == 400);
  CHECK(ErrorField(bad_weight) == "synonym_weight");

  // A broken file is refused, naming its line; the rules in force stay.
  write("VRFB, 钒电池\nalone\n");
  Reply broken = Send(c, "POST", "/v1/synonyms");
  CHECK(broken.status == 400);
  CHECK(broken.body["error"]["message"].get<std::string>().find(":2:") != std::string::npos);
  CHECK(AnyViaSynonym(Post(c, "/v1/match", query).body, "vrfb"));

  // An edited file takes effect without a restart.
  write("# none for now\n");
  Reply reread = Send(c, "POST", "/v1/synonyms");
  CHECK(reread.status == 200);
  CHECK(reread.body["rules"] == 0);
  CHECK(!AnyViaSynonym(Post(c, "/v1/match", query).body, "vrfb"));
  s.Stop();

  // Without --synonyms there is nothing to re-read.
  Running plain;
  Reply none = Send(plain.client(), "POST", "/v1/synonyms");
  CHECK(none.status == 409);

  // A server does not start on a broken file.
  write("VRFB,\n");
  auto dir = IndexDir::OpenReadOnly(SampleSnapshot());
  REQUIRE(dir.ok());
  ServiceOptions bad;
  bad.synonyms_file = file;
  bad.port = 0;
  Service service(std::shared_ptr<IndexDir>(std::move(*dir)), bad);
  Status bind = service.Bind();
  CHECK(!bind.ok());
  CHECK(bind.ToString().find(file + ":1") != std::string::npos);
}

TEST_CASE("server: constant-time token comparison", "[server]") {
  CHECK(ConstantTimeEquals("secret-token", "secret-token"));
  CHECK(!ConstantTimeEquals("secret-tokem", "secret-token"));
  CHECK(!ConstantTimeEquals("secret", "secret-token"));
  CHECK(!ConstantTimeEquals("secret-token-longer", "secret-token"));
  CHECK(!ConstantTimeEquals("", "secret-token"));
  CHECK(!ConstantTimeEquals("", ""));
}

TEST_CASE("server: the page and its files are served from the binary", "[server]") {
  Running s;
  for (const char* path : {"/", "/follow-up", "/app.js", "/style.css"}) {
    auto r = s.client().Get(path);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Security-Policy").find("default-src 'self'") !=
          std::string::npos);
  }
  auto page = s.client().Get("/");
  CHECK_THAT(page->body, Contains("技术供需匹配"));
  CHECK_THAT(page->get_header_value("Content-Type"), Contains("text/html"));
  CHECK_THAT(s.client().Get("/app.js")->get_header_value("Content-Type"),
             Contains("javascript"));
}

}  // namespace
}  // namespace techmatch::server
