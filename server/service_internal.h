// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// What the service's route files share (private to server/).

#ifndef TECHMATCH_SERVER_SERVICE_INTERNAL_H_
#define TECHMATCH_SERVER_SERVICE_INTERNAL_H_

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include <nlohmann/json.hpp>

#include "server/api_request.h"
#include "server/index_dir.h"
#include "server/service.h"

namespace techmatch::server::handlers {

/// The service's state as the handlers see it.
struct ServiceContext {
  /// The directory served. A handler takes it once and uses that for the
  /// whole request: a replica's reload swaps in a newly opened one while
  /// the requests in flight finish on the old (freed after the last).
  std::shared_ptr<IndexDir> Dir() const { return std::atomic_load(&dir); }
  std::shared_ptr<IndexDir> dir;  // read through Dir(), set with std::atomic_store
  ServiceOptions options;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> client_errors{0};  // 4xx answers
  std::atomic<uint64_t> server_errors{0};  // 5xx answers
  std::atomic<uint64_t> queries{0};        // matched queries (batch: each)
  std::atomic<uint64_t> reloads{0};        // a replica's successful reloads
};

/// Answers `status` with a JSON body (UTF-8 as is; invalid bytes replaced).
void SendJson(httplib::Response& res, int status, const nlohmann::ordered_json& body);
/// Answers an ApiError ({"error": {"code", "message", "field"}}).
void SendError(httplib::Response& res, const ApiError& error);
/// Answers a Status from the engine or the index directory (400, 404,
/// 409, 500 or 503 by its code).
void SendStatus(httplib::Response& res, const Status& status);
/// Parses the body into `body` or answers the error; false when answered.
bool ReadBody(const httplib::Request& req, httplib::Response& res, const ServiceContext& ctx,
              nlohmann::json* body);

/// POST /v1/match, POST /v1/match/batch, GET /v1/follow-up.
void AddMatchRoutes(httplib::Server& server, ServiceContext& ctx);
/// PUT /v1/records, GET / DELETE /v1/records/{kind}/{id}, POST /v1/snapshot.
void AddRecordRoutes(httplib::Server& server, ServiceContext& ctx);
/// GET /, /follow-up and the page's files (embedded at build time).
void AddPageRoutes(httplib::Server& server);

}  // namespace techmatch::server::handlers

#endif  // TECHMATCH_SERVER_SERVICE_INTERNAL_H_
