// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// POST /v1/match, POST /v1/match/batch, GET /v1/follow-up.

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "server/match_json.h"
#include "server/service_internal.h"

namespace techmatch::server::handlers {

namespace {

using ojson = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

// Queries matched per MatchBatch call in a batch request: the time budget
// is checked between chunks.
constexpr size_t kBatchChunk = 64;

ojson ResultJson(const Engine& engine, const MatchResult& result, const QuerySpec& q,
                 const MatchOptions& options) {
  MatchJsonOptions jo;
  jo.explanation = options.explain;
  ojson j = MatchResultToJson(result, &engine, q.record ? &*q.record : nullptr, jo);
  if (result.matches.empty() && !options.filter.empty()) {
    j["warnings"] = ojson::array({"no record passed the filters"});
  }
  return j;
}

MatchQuery ToMatchQuery(const QuerySpec& q) {
  MatchQuery m;
  m.id = q.id;
  m.text = q.text;
  m.record = q.record ? &*q.record : nullptr;
  return m;
}

void Match(ServiceContext& ctx, const httplib::Request& req, httplib::Response& res) {
  nlohmann::json body;
  if (!ReadBody(req, res, ctx, &body)) return;
  const std::shared_ptr<IndexDir> dir = ctx.Dir();
  const Engine& engine = dir->engine();
  MatchRequest r;
  if (auto e = ParseMatchRequest(body, ctx.options.limits, engine, &r)) return SendError(res, *e);
  auto result = r.query.record ? engine.Match(*r.query.record, r.options)
                               : engine.MatchText(r.query.text, r.options);
  if (!result.ok()) return SendStatus(res, result.status());
  result->query_id = r.query.id;
  ++ctx.queries;
  SendJson(res, 200, ResultJson(engine, *result, r.query, r.options));
}

// Matches `queries` in chunks, checking the request's time budget between
// them; answers the error (and returns false) on a failure or a timeout.
bool MatchInChunks(ServiceContext& ctx, const Engine& engine, Clock::time_point started,
                   const std::vector<MatchQuery>& queries, const MatchOptions& options,
                   httplib::Response& res, std::vector<MatchResult>* results) {
  const Clock::time_point deadline =
      started + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(ctx.options.request_timeout_seconds));
  for (size_t begin = 0; begin < queries.size(); begin += kBatchChunk) {
    if (Clock::now() > deadline) {
      SendError(res, ApiError{503, "timeout", "",
                              "the request ran over its time budget (--request-timeout) after " +
                                  std::to_string(begin) + " queries; ask for fewer"});
      return false;
    }
    const size_t end = std::min(queries.size(), begin + kBatchChunk);
    std::vector<MatchQuery> chunk(queries.begin() + long(begin), queries.begin() + long(end));
    auto out = engine.MatchBatch(chunk, options, ctx.options.batch_threads);
    if (!out.ok()) {
      SendStatus(res, out.status());
      return false;
    }
    for (MatchResult& r : *out) results->push_back(std::move(r));
    ctx.queries += out->size();
  }
  return true;
}

void MatchBatch(ServiceContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const Clock::time_point started = Clock::now();
  nlohmann::json body;
  if (!ReadBody(req, res, ctx, &body)) return;
  const std::shared_ptr<IndexDir> dir = ctx.Dir();
  const Engine& engine = dir->engine();
  BatchRequest r;
  if (auto e = ParseBatchRequest(body, ctx.options.limits, engine, &r)) return SendError(res, *e);
  std::vector<MatchQuery> queries;
  for (const QuerySpec& q : r.queries) queries.push_back(ToMatchQuery(q));
  std::vector<MatchResult> out;
  if (!MatchInChunks(ctx, engine, started, queries, r.options, res, &out)) return;
  ojson results = ojson::array();
  for (size_t i = 0; i < out.size(); ++i) {
    results.push_back(ResultJson(engine, out[i], r.queries[i], r.options));
  }
  SendJson(res, 200, ojson{{"results", std::move(results)}});
}

// ?name=N within [lo, hi], or `fallback` when absent.
std::optional<ApiError> QueryInt(const httplib::Request& req, const char* name, size_t lo,
                                 size_t hi, size_t fallback, size_t* out) {
  *out = fallback;
  if (!req.has_param(name)) return std::nullopt;
  const std::string v = req.get_param_value(name);
  size_t n = 0;
  bool ok = !v.empty() && v.size() <= 9;
  for (char c : v) {
    ok = ok && c >= '0' && c <= '9';
    if (ok) n = n * 10 + size_t(c - '0');
  }
  if (!ok || n < lo || n > hi) {
    return ApiError::Invalid(name, "must be an integer from " + std::to_string(lo) + " to " +
                                       std::to_string(hi));
  }
  *out = n;
  return std::nullopt;
}

// The stored demands an operator should follow up by hand: each is
// matched (no explanation) and those flagged needs_follow_up are listed,
// least confident first.
void FollowUp(ServiceContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const Clock::time_point started = Clock::now();
  size_t limit = 0, k = 0;
  if (auto e = QueryInt(req, "limit", 1, 100000, 1000, &limit)) return SendError(res, *e);
  if (auto e = QueryInt(req, "k", 1, 20, 3, &k)) return SendError(res, *e);
  const std::shared_ptr<IndexDir> dir = ctx.Dir();
  const Engine& engine = dir->engine();
  std::vector<RecordKey> keys = engine.Keys(RecordKind::kDemand);
  const size_t total = keys.size();
  if (keys.size() > limit) keys.resize(limit);
  std::vector<Record> demands;
  demands.reserve(keys.size());
  for (const RecordKey& key : keys) {
    auto r = engine.Get(key);
    if (r.ok()) demands.push_back(std::move(*r));  // else removed meanwhile
  }
  MatchOptions options;
  options.k = k;
  options.explain = false;
  std::vector<MatchQuery> queries;
  for (const Record& d : demands) queries.push_back(MatchQuery{d.id, "", &d});
  std::vector<MatchResult> results;
  if (!MatchInChunks(ctx, engine, started, queries, options, res, &results)) return;
  std::vector<size_t> flagged;
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].needs_follow_up) flagged.push_back(i);
  }
  std::stable_sort(flagged.begin(), flagged.end(), [&](size_t a, size_t b) {
    return results[a].confidence < results[b].confidence;
  });
  ojson list = ojson::array();
  MatchJsonOptions jo;
  jo.explanation = false;
  for (size_t i : flagged) {
    ojson item = MatchResultToJson(results[i], &engine, &demands[i], jo);
    item["demand"] = DisplayFieldsToJson(demands[i]);
    list.push_back(std::move(item));
  }
  SendJson(res, 200, ojson{{"demands", total},
                           {"checked", demands.size()},
                           {"flagged", flagged.size()},
                           {"follow_up", std::move(list)}});
}

}  // namespace

void AddMatchRoutes(httplib::Server& server, ServiceContext& ctx) {
  server.Post("/v1/match", [&ctx](const httplib::Request& req, httplib::Response& res) {
    Match(ctx, req, res);
  });
  server.Post("/v1/match/batch", [&ctx](const httplib::Request& req, httplib::Response& res) {
    MatchBatch(ctx, req, res);
  });
  server.Get("/v1/follow-up", [&ctx](const httplib::Request& req, httplib::Response& res) {
    FollowUp(ctx, req, res);
  });
}

}  // namespace techmatch::server::handlers
