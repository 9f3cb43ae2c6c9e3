// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// PUT /v1/records, GET and DELETE /v1/records/{kind}/{id}, POST /v1/snapshot.

#include <chrono>
#include <string>
#include <vector>

#include "server/service_internal.h"
#include "techmatch/record_io.h"

namespace techmatch::server::handlers {

namespace {

using ojson = nlohmann::ordered_json;

void PutRecords(ServiceContext& ctx, const httplib::Request& req, httplib::Response& res) {
  nlohmann::json body;
  if (!ReadBody(req, res, ctx, &body)) return;
  std::vector<Record> records;
  if (auto e = ParseRecords(body, ctx.options.limits, &records)) return SendError(res, *e);
  auto counts = ctx.Dir()->Upsert(records);
  if (!counts.ok()) return SendStatus(res, counts.status());
  SendJson(res, 200, ojson{{"records", records.size()},
                           {"created", counts->created},
                           {"replaced", counts->replaced}});
}

// The key named by the path /v1/records/{kind}/{id}, or an error answered.
bool PathKey(const httplib::Request& req, httplib::Response& res, RecordKey* key) {
  if (auto e = ParseKindSegment(req.matches[1], &key->kind)) {
    SendError(res, *e);
    return false;
  }
  key->id = req.matches[2];
  return true;
}

void GetRecord(ServiceContext& ctx, const httplib::Request& req, httplib::Response& res) {
  RecordKey key;
  if (!PathKey(req, res, &key)) return;
  auto record = ctx.Dir()->engine().Get(key);
  if (!record.ok()) {
    return SendError(res, ApiError::NotFound("id", std::string(RecordKindName(key.kind)) +
                                                       " \"" + key.id + "\" is not stored"));
  }
  SendJson(res, 200, ojson{{"record", ojson::parse(RecordToJson(*record))}});
}

void DeleteRecord(ServiceContext& ctx, const httplib::Request& req, httplib::Response& res) {
  RecordKey key;
  if (!PathKey(req, res, &key)) return;
  Status s = ctx.Dir()->Remove({key});
  if (s.code() == StatusCode::kNotFound) {
    return SendError(res, ApiError::NotFound("id", s.message()));
  }
  if (!s.ok()) return SendStatus(res, s);
  SendJson(res, 200, ojson{{"removed", {{"kind", RecordKindName(key.kind)}, {"id", key.id}}}});
}

void Snapshot(ServiceContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!req.body.empty()) {
    nlohmann::json body;
    if (!ReadBody(req, res, ctx, &body)) return;
    if (!body.empty()) return SendError(res, ApiError::Invalid("", "takes no fields"));
  }
  const auto t0 = std::chrono::steady_clock::now();
  Status s = ctx.Dir()->Checkpoint();
  if (!s.ok()) return SendStatus(res, s);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  SendJson(res, 200, ojson{{"saved", true}, {"seconds", seconds}});
}

}  // namespace

void AddRecordRoutes(httplib::Server& server, ServiceContext& ctx) {
  server.Put("/v1/records", [&ctx](const httplib::Request& req, httplib::Response& res) {
    PutRecords(ctx, req, res);
  });
  const char* one = R"(/v1/records/([^/]+)/(.+))";
  server.Get(one, [&ctx](const httplib::Request& req, httplib::Response& res) {
    GetRecord(ctx, req, res);
  });
  server.Delete(one, [&ctx](const httplib::Request& req, httplib::Response& res) {
    DeleteRecord(ctx, req, res);
  });
  server.Post("/v1/snapshot", [&ctx](const httplib::Request& req, httplib::Response& res) {
    Snapshot(ctx, req, res);
  });
}

}  // namespace techmatch::server::handlers
