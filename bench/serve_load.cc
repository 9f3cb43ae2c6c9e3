// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "serve_load.h"

#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <random>

#include "bench_util.h"
#include "serve_process.h"

namespace techmatch::bench {

namespace {

using nlohmann::json;

// wrk's script: cycle through the bodies (each thread from its own
// offset), print one JSON line at the end.
constexpr const char* kWrkScript = R"lua(
local bodies = {}
local i = 0
local headers = {["Content-Type"] = "application/json"}
function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  i = (tonumber(args[2]) or 0) * 7919 % #bodies
end
function request()
  i = i % #bodies + 1
  return wrk.format("POST", "/v1/match", headers, bodies[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
)lua";

std::string RecordJson(const std::string& id, const std::string& text) {
  // The title: the text's first sentence or 60 bytes, cut on a character.
  size_t cut = std::min<size_t>(text.size(), 60);
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  json r = {{"id", id}, {"kind", "supply"}, {"title", text.substr(0, cut)}, {"text", text},
            {"maturity", 6}};
  return r.dump(-1, ' ', false, json::error_handler_t::replace);
}

json LatencySummary(std::vector<double> ms) {
  return {{"p50_ms", Percentile(ms, 0.5)},
          {"p99_ms", Percentile(ms, 0.99)},
          {"max_ms", ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end())}};
}

std::string WithBody(const std::string& method, const std::string& path, const std::string& body,
                     const std::string& extra_headers = "") {
  return method + " " + path +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         body;
}

std::string Post(const std::string& path, const std::string& body,
                 const std::string& extra_headers = "") {
  return WithBody("POST", path, body, extra_headers);
}

std::string Plain(const std::string& method, const std::string& path) {
  return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
}

struct BadCase {
  std::string name;
  std::string request;
  int expected;  // the status it must get
};

std::vector<BadCase> BadCases(size_t max_body_bytes) {
  std::vector<BadCase> c;
  c.push_back({"malformed JSON", Post("/v1/match", "{\"text\": \"钒电池"), 400});
  c.push_back({"not an object", Post("/v1/match", "[1, 2, 3]"), 400});
  c.push_back({"empty body", Post("/v1/match", ""), 400});
  c.push_back({"null body", Post("/v1/match", "null"), 400});
  c.push_back({"invalid UTF-8", Post("/v1/match", "{\"text\": \"\xff\xfe\xfd\"}"), 400});
  c.push_back({"UTF-8 surrogate", Post("/v1/match", "{\"text\": \"\xed\xa0\x80\"}"), 400});
  c.push_back({"NaN literal", Post("/v1/match", "{\"text\": \"x\", \"k\": NaN}"), 400});
  c.push_back({"text of a wrong type", Post("/v1/match", "{\"text\": 42}"), 400});
  c.push_back({"k of a wrong type", Post("/v1/match", "{\"text\": \"x\", \"k\": \"ten\"}"), 400});
  c.push_back({"k too large", Post("/v1/match", "{\"text\": \"x\", \"k\": 100000}"), 400});
  c.push_back({"k negative", Post("/v1/match", "{\"text\": \"x\", \"k\": -1}"), 400});
  c.push_back({"k huge float", Post("/v1/match", "{\"text\": \"x\", \"k\": 1e308}"), 400});
  c.push_back({"unknown field", Post("/v1/match", "{\"txt\": \"x\"}"), 400});
  c.push_back({"filter of a wrong type",
               Post("/v1/match", "{\"text\": \"x\", \"filters\": {\"min_maturity\": \"high\"}}"),
               400});
  c.push_back({"deep nesting (arrays)",
               Post("/v1/match", std::string(100000, '[') + std::string(100000, ']')), 400});
  std::string objects;
  for (int i = 0; i < 50000; ++i) objects += "{\"a\":";
  c.push_back({"deep nesting (objects)", Post("/v1/match", objects + "1" + std::string(50000, '}')),
               400});
  c.push_back({"text over the limit",
               Post("/v1/match", "{\"text\": \"" + std::string(1 << 20, 'a') + "\"}"), 400});
  // Declares a body over the limit and sends only its start: the server
  // must refuse on the header alone.
  const std::string huge_head =
      "POST /v1/match HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(max_body_bytes + 1024 * 1024) + "\r\nConnection: close\r\n\r\n";
  c.push_back({"body over the limit", huge_head + "{\"text\": \"" + std::string(65536, 'a'), 413});
  std::string batch = "{\"queries\": [";
  for (int i = 0; i < 1001; ++i) batch += std::string(i ? "," : "") + "{\"text\": \"x\"}";
  c.push_back({"batch over the limit", Post("/v1/match/batch", batch + "]}"), 400});
  // Content-Length from the body: a wrong one would leave the server
  // waiting for the rest until its read timeout, racing the client's.
  c.push_back({"record with a bad maturity",
               WithBody("PUT", "/v1/records",
                        "{\"records\": [{\"id\": \"BAD1\", \"title\": \"x\", \"maturity\": 99.0}]}"),
               400});
  c.push_back({"records not an array", WithBody("PUT", "/v1/records", "{\"records\": 3.5}"), 400});
  c.push_back({"unknown kind in the path", Plain("DELETE", "/v1/records/robot/x"), 400});
  c.push_back({"invalid UTF-8 id in the path", Plain("GET", "/v1/records/supply/%FF%FE"), 404});
  c.push_back({"unknown endpoint", Plain("GET", "/v1/nothing"), 404});
  c.push_back({"garbage request line", "GARBAGE\r\n\r\n", 400});
  return c;
}

}  // namespace

bool WrkAvailable() { return std::system("command -v wrk >/dev/null 2>&1") == 0; }

Result<json> RunWrk(int port, const std::string& bodies_file, int connections, double seconds,
                    const std::string& work_dir) {
  const std::string script = work_dir + "/serve.lua";
  {
    std::ofstream out(script);
    out << kWrkScript;
    if (!out) return Status::IOError("cannot write " + script);
  }
  const int threads = std::min(connections, 2);
  char cmd[2048];
  std::snprintf(cmd, sizeof cmd,
                "wrk -t%d -c%d -d%.0fs --timeout 10s -s '%s' http://127.0.0.1:%d/ -- '%s' 0 "
                "2>&1",
                threads, connections, seconds, script.c_str(), port, bodies_file.c_str());
  FILE* pipe = popen(cmd, "r");
  if (pipe == nullptr) return Status::IOError("cannot run wrk");
  std::string out;
  char buf[4096];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, got);
  const int rc = pclose(pipe);
  const size_t at = out.find("{\"requests\"");
  if (rc != 0 || at == std::string::npos) return Status::Internal("wrk failed: " + out);
  const json w = json::parse(out.substr(at, out.find('\n', at) - at));
  const double secs = w["duration_us"].get<double>() / 1e6;
  const uint64_t errors = w["connect"].get<uint64_t>() + w["read"].get<uint64_t>() +
                          w["write"].get<uint64_t>() + w["status"].get<uint64_t>() +
                          w["timeout"].get<uint64_t>();
  return json{{"connections", connections},
              {"seconds", secs},
              {"requests", w["requests"]},
              {"rps", w["requests"].get<double>() / secs},
              {"p50_ms", w["p50_us"].get<double>() / 1e3},
              {"p90_ms", w["p90_us"].get<double>() / 1e3},
              {"p99_ms", w["p99_us"].get<double>() / 1e3},
              {"max_ms", w["max_us"].get<double>() / 1e3},
              {"errors", errors},
              {"error_kinds",
               {{"connect", w["connect"]},
                {"read", w["read"]},
                {"write", w["write"]},
                {"status", w["status"]},
                {"timeout", w["timeout"]}}}};
}

// ---------------------------------------------------------------- writer

PacedWriter::PacedWriter(int port, double rate, std::vector<std::string> texts,
                         std::string id_prefix)
    : port_(port), rate_(rate), texts_(std::move(texts)), prefix_(std::move(id_prefix)) {
  thread_ = std::thread([this] { Loop(); });
}

PacedWriter::~PacedWriter() {
  if (thread_.joinable()) Stop();
}

void PacedWriter::Loop() {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(60, 0);
  const double period = 1.0 / rate_;
  double next = NowSeconds();
  for (uint64_t n = 0; !stop_; ++n) {
    const std::string body = RecordJson(prefix_ + std::to_string(n), texts_[n % texts_.size()]);
    const double t0 = NowSeconds();
    auto res = client.Put("/v1/records", body, "application/json");
    const double t1 = NowSeconds();
    if (res && res->status == 200) {
      ms_.push_back((t1 - t0) * 1e3);
    } else {
      ++errors_;
    }
    next += period;  // a fixed schedule: a slow write is not made up for later
    if (next > t1) {
      usleep(useconds_t((next - t1) * 1e6));
    } else {
      next = t1;
    }
  }
}

json PacedWriter::Stop() {
  stop_ = true;
  thread_.join();
  json out = LatencySummary(ms_);
  out["rate"] = rate_;
  out["acked"] = ms_.size();
  out["errors"] = errors_;
  return out;
}

// ---------------------------------------------------------------- bad requests

json RunBadRequests(int port, int rounds, size_t max_body_bytes) {
  const std::vector<BadCase> cases = BadCases(max_body_bytes);
  std::vector<std::map<int, uint64_t>> statuses(cases.size());
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int r = t; r < rounds; r += 4) {
        for (size_t i = 0; i < cases.size(); ++i) {
          const int status = RawHttpStatus(port, cases[i].request, 30);
          std::lock_guard<std::mutex> lock(mu);
          ++statuses[i][status];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  json list = json::array();
  uint64_t sent = 0, errors = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    json by = json::object();
    for (const auto& [status, count] : statuses[i]) {
      by[std::to_string(status)] = count;
      sent += count;
      if (status != cases[i].expected) errors += count;
    }
    list.push_back({{"name", cases[i].name}, {"expected", cases[i].expected}, {"statuses", by}});
  }
  const int health = RawHttpStatus(port, Plain("GET", "/healthz"), 10);
  const int match = RawHttpStatus(port, Post("/v1/match", "{\"text\": \"钒电池电解液\"}"), 30);
  return {{"rounds", rounds},
          {"cases", list},
          {"sent", sent},
          {"errors", errors},
          {"healthy_after", health == 200 && match == 200}};
}

// ---------------------------------------------------------------- kill -9 loop

json RunKillLoop(const std::string& binary, const std::string& index, int rounds,
                 double max_seconds, const std::vector<std::string>& texts) {
  std::mt19937_64 rng(20261205);
  std::uniform_real_distribution<double> delay(0.2, 1.5);
  std::vector<std::string> acked, unchecked;
  std::vector<double> restart_s;
  uint64_t lost = 0;
  int done = 0;
  const double t_end = NowSeconds() + max_seconds;
  auto missing = [](int port, const std::vector<std::string>& ids) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30, 0);
    uint64_t n = 0;
    for (const std::string& id : ids) {
      auto res = client.Get(("/v1/records/supply/" + id).c_str());
      if (!res || res->status != 200) ++n;
    }
    return n;
  };
  // Checkpoints every 25 writes, so kills land in checkpoints too.
  const std::vector<std::string> extra = {"--checkpoint-writes", "25"};
  for (; done < rounds && NowSeconds() < t_end; ++done) {
    const double t0 = NowSeconds();
    auto server = ServeProcess::Start(binary, index, extra, 600);
    if (!server.ok()) return {{"error", server.status().ToString()}, {"rounds", done}};
    restart_s.push_back(NowSeconds() - t0);
    lost += missing((*server)->port(), unchecked);
    unchecked.clear();
    std::atomic<bool> stop{false};
    std::thread writer([&, port = (*server)->port(), round = done] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(30, 0);
      for (uint64_t n = 0; !stop; ++n) {
        const std::string id = "K" + std::to_string(round) + "-" + std::to_string(n);
        auto res = client.Put("/v1/records", RecordJson(id, texts[n % texts.size()]),
                              "application/json");
        if (!res) return;  // killed mid-request: not acknowledged
        if (res->status == 200) unchecked.push_back(id);
      }
    });
    usleep(useconds_t(delay(rng) * 1e6));
    (*server)->Stop(SIGKILL, 30);
    stop = true;
    writer.join();
    acked.insert(acked.end(), unchecked.begin(), unchecked.end());
  }
  auto last = ServeProcess::Start(binary, index, {}, 600);
  if (!last.ok()) return {{"error", last.status().ToString()}, {"rounds", done}};
  lost += missing((*last)->port(), unchecked);
  const uint64_t lost_overall = missing((*last)->port(), acked);
  const int clean = (*last)->Stop(SIGTERM, 600);
  std::vector<double> sorted = restart_s;
  return {{"rounds", done},
          {"acked", acked.size()},
          {"lost", lost},
          {"lost_at_the_end", lost_overall},
          {"restart_s_median", sorted.empty() ? 0.0 : Median(sorted)},
          {"restart_s_max", sorted.empty() ? 0.0 : *std::max_element(sorted.begin(), sorted.end())},
          {"clean_stop_exit", clean}};
}

}  // namespace techmatch::bench
