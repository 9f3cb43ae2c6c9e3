// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The HTTP API's request bodies: parsed and checked strictly, every error
// naming the field (docs/api.md).

#ifndef TECHMATCH_SERVER_API_REQUEST_H_
#define TECHMATCH_SERVER_API_REQUEST_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "techmatch/engine.h"
#include "techmatch/match.h"
#include "techmatch/record.h"

namespace techmatch::server {

/// Bounds on what one request may ask for.
struct ApiLimits {
  /// Largest request body, bytes. Default 16 MiB.
  size_t max_body_bytes = 16u << 20;
  /// Largest `k`. Default 1000.
  size_t max_k = 1000;
  /// Most queries in one /v1/match/batch. Default 1000.
  size_t max_batch = 1000;
  /// Most records in one PUT /v1/records. Default 10000.
  size_t max_records = 10000;
  /// Longest query text, bytes. Default 64 KiB.
  size_t max_text_bytes = 64u << 10;
  /// Deepest JSON nesting accepted (objects and arrays). Default 32.
  size_t max_json_depth = 32;
};

/// An error answer: HTTP status, a short code, the field at fault ("" for
/// the body as a whole) and a message.
struct ApiError {
  int http_status = 400;
  std::string code = "invalid_argument";
  std::string field;
  std::string message;

  static ApiError Invalid(std::string field, std::string message) {
    return ApiError{400, "invalid_argument", std::move(field), std::move(message)};
  }
  static ApiError NotFound(std::string field, std::string message) {
    return ApiError{404, "not_found", std::move(field), std::move(message)};
  }
  nlohmann::ordered_json ToJson() const;
};

/// The greatest nesting depth of JSON text (brackets outside strings),
/// found without parsing, so a hostile body cannot exhaust the stack.
size_t JsonNestingDepth(std::string_view text);

/// Parses a request body that must be one JSON object.
std::optional<ApiError> ParseBody(std::string_view body, const ApiLimits& limits,
                                  nlohmann::json* out);

/// One query of a match request: exactly one of `text`, `record` (a record
/// in the techmatch schema, need not be stored) or `stored` (a stored
/// record's kind and id).
struct QuerySpec {
  std::string id;  ///< echoed as query_id
  std::string text;
  std::optional<Record> record;
  std::optional<RecordKey> stored;
};

/// POST /v1/match: one query (text / record / stored, id) and the
/// options (k, target, filters, explain). A stored record that is absent
/// is a 404 naming it; it is fetched into `query.record`.
struct MatchRequest {
  QuerySpec query;
  MatchOptions options;
};
std::optional<ApiError> ParseMatchRequest(const nlohmann::json& body, const ApiLimits& limits,
                                          const Engine& engine, MatchRequest* request);

/// POST /v1/match/batch: {"queries": [query, ...], options...}.
struct BatchRequest {
  std::vector<QuerySpec> queries;
  MatchOptions options;
};
std::optional<ApiError> ParseBatchRequest(const nlohmann::json& body, const ApiLimits& limits,
                                          const Engine& engine, BatchRequest* request);

/// PUT /v1/records: {"records": [...]} or one record object.
std::optional<ApiError> ParseRecords(const nlohmann::json& body, const ApiLimits& limits,
                                     std::vector<Record>* records);

/// "supply" / "demand" from a URL segment.
std::optional<ApiError> ParseKindSegment(const std::string& segment, RecordKind* kind);

}  // namespace techmatch::server

#endif  // TECHMATCH_SERVER_API_REQUEST_H_
