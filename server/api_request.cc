// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "server/api_request.h"

#include <algorithm>
#include <initializer_list>

#include "techmatch/record_io.h"

namespace techmatch::server {

namespace {

using json = nlohmann::json;

std::string Join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

std::optional<ApiError> CheckKeys(const json& obj, const std::string& prefix,
                                  std::initializer_list<const char*> allowed) {
  for (const auto& item : obj.items()) {
    const bool known = std::any_of(allowed.begin(), allowed.end(),
                                   [&](const char* a) { return item.key() == a; });
    if (!known) {
      std::string list;
      for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
      return ApiError::Invalid(Join(prefix, item.key()),
                               "unknown field (expected one of: " + list + ")");
    }
  }
  return std::nullopt;
}

std::optional<ApiError> GetInt(const json& v, const std::string& field, long long lo,
                               long long hi, long long* out) {
  if (!v.is_number_integer() ||
      (v.is_number_unsigned() && v.get<unsigned long long>() > (unsigned long long)hi) ||
      v.get<long long>() < lo || v.get<long long>() > hi) {
    return ApiError::Invalid(field, "must be an integer from " + std::to_string(lo) + " to " +
                                        std::to_string(hi));
  }
  *out = v.get<long long>();
  return std::nullopt;
}

std::optional<ApiError> GetKind(const json& v, const std::string& field, RecordKind* kind) {
  if (v.is_string()) {
    auto k = ParseRecordKind(v.get<std::string>());
    if (k.ok()) {
      *kind = *k;
      return std::nullopt;
    }
  }
  return ApiError::Invalid(field, "must be \"supply\" or \"demand\"");
}

// A string or an array of strings: path prefixes (non-empty, no leading or
// trailing '/').
std::optional<ApiError> GetPrefixes(const json& v, const std::string& field,
                                    std::vector<std::string>* out) {
  const json list = v.is_string() ? json::array({v}) : v;
  if (!list.is_array() || list.empty()) {
    return ApiError::Invalid(field, "must be a path prefix or a non-empty array of them");
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string f = v.is_string() ? field : field + "[" + std::to_string(i) + "]";
    if (!list[i].is_string()) return ApiError::Invalid(f, "must be a string");
    const std::string p = list[i].get<std::string>();
    if (p.empty() || p.front() == '/' || p.back() == '/') {
      return ApiError::Invalid(f, "must be a non-empty path prefix such as \"四川\" or "
                                  "\"四川省/成都市\" (no leading or trailing '/')");
    }
    out->push_back(p);
  }
  return std::nullopt;
}

std::optional<ApiError> ParseFilter(const json& f, RecordFilter* filter) {
  const std::string p = "filters";
  if (!f.is_object()) return ApiError::Invalid(p, "must be an object");
  if (auto e = CheckKeys(f, p, {"kind", "region", "category", "min_maturity", "max_maturity",
                                "attributes", "ids"})) {
    return e;
  }
  if (f.contains("kind")) {
    RecordKind k;
    if (auto e = GetKind(f["kind"], p + ".kind", &k)) return e;
    filter->kind = k;
  }
  if (f.contains("region")) {
    if (auto e = GetPrefixes(f["region"], p + ".region", &filter->region_prefixes)) return e;
  }
  if (f.contains("category")) {
    if (auto e = GetPrefixes(f["category"], p + ".category", &filter->category_prefixes)) {
      return e;
    }
  }
  for (const char* bound : {"min_maturity", "max_maturity"}) {
    if (!f.contains(bound)) continue;
    long long v = 0;
    if (auto e = GetInt(f[bound], p + "." + bound, 1, 9, &v)) return e;
    (std::string(bound) == "min_maturity" ? filter->min_maturity : filter->max_maturity) = int(v);
  }
  if (filter->min_maturity && filter->max_maturity &&
      *filter->min_maturity > *filter->max_maturity) {
    return ApiError::Invalid(p + ".max_maturity", "must not be below min_maturity");
  }
  if (f.contains("attributes")) {
    const json& a = f["attributes"];
    if (!a.is_object()) return ApiError::Invalid(p + ".attributes", "must be an object");
    for (const auto& item : a.items()) {
      const std::string field = p + ".attributes." + item.key();
      if (item.key().empty()) return ApiError::Invalid(p + ".attributes", "empty attribute name");
      if (!item.value().is_string()) return ApiError::Invalid(field, "must be a string");
      filter->attributes[item.key()] = item.value().get<std::string>();
    }
  }
  if (f.contains("ids")) {
    const json& ids = f["ids"];
    if (!ids.is_array()) return ApiError::Invalid(p + ".ids", "must be an array of ids");
    for (size_t i = 0; i < ids.size(); ++i) {
      if (!ids[i].is_string() || ids[i].get<std::string>().empty()) {
        return ApiError::Invalid(p + ".ids[" + std::to_string(i) + "]",
                                 "must be a non-empty string");
      }
      filter->ids.push_back(ids[i].get<std::string>());
    }
  }
  return std::nullopt;
}

std::optional<ApiError> ParseRecordValue(const json& v, const std::string& field,
                                         Record* out) {
  if (!v.is_object()) return ApiError::Invalid(field, "must be a record object");
  auto r = ParseRecordJson(v.dump(), JsonlReadOptions{}, field);
  if (!r.ok()) return ApiError::Invalid(field, r.status().message());
  if (Status s = r->Validate(); !s.ok()) return ApiError::Invalid(field, s.message());
  *out = std::move(*r);
  return std::nullopt;
}

bool IsBlank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  });
}

}  // namespace

nlohmann::ordered_json ApiError::ToJson() const {
  nlohmann::ordered_json e{{"code", code}, {"message", message}};
  if (!field.empty()) e["field"] = field;
  return nlohmann::ordered_json{{"error", std::move(e)}};
}

size_t JsonNestingDepth(std::string_view text) {
  size_t depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return max_depth;
}

std::optional<ApiError> ParseBody(std::string_view body, const ApiLimits& limits, json* out) {
  if (body.size() > limits.max_body_bytes) {
    return ApiError{413, "payload_too_large", "",
                    "request body over " + std::to_string(limits.max_body_bytes) + " bytes"};
  }
  if (JsonNestingDepth(body) > limits.max_json_depth) {
    return ApiError::Invalid("", "JSON nested deeper than " +
                                     std::to_string(limits.max_json_depth) + " levels");
  }
  try {
    *out = json::parse(body);
  } catch (const json::parse_error& e) {
    return ApiError::Invalid("", std::string("invalid JSON (UTF-8 required): ") + e.what());
  }
  if (!out->is_object()) return ApiError::Invalid("", "the body must be a JSON object");
  return std::nullopt;
}

namespace {

std::optional<ApiError> ParseMatchOptions(const json& body, const ApiLimits& limits,
                                          MatchOptions* options) {
  if (body.contains("k")) {
    long long k = 0;
    if (auto e = GetInt(body["k"], "k", 1, (long long)limits.max_k, &k)) return e;
    options->k = size_t(k);
  }
  if (body.contains("target")) {
    RecordKind kind;
    if (auto e = GetKind(body["target"], "target", &kind)) return e;
    options->target = kind;
  }
  if (body.contains("filters")) {
    if (auto e = ParseFilter(body["filters"], &options->filter)) return e;
  }
  if (body.contains("explain")) {
    if (!body["explain"].is_boolean()) return ApiError::Invalid("explain", "must be true or false");
    options->explain = body["explain"].get<bool>();
  }
  if (body.contains("synonym_weight")) {
    const json& w = body["synonym_weight"];
    if (!w.is_number() || !(w.get<double>() >= 0 && w.get<double>() <= 10)) {
      return ApiError::Invalid("synonym_weight", "must be a number from 0 to 10");
    }
    options->synonym_weight = float(w.get<double>());
  }
  // Reasons and whole-word highlights need the record-side offsets of
  // more terms than the default 20 (unigrams and bigrams crowd words out).
  options->max_explained_terms = 64;
  return std::nullopt;
}

std::optional<ApiError> ParseQuery(const json& obj, const std::string& prefix,
                                   const ApiLimits& limits, const Engine& engine,
                                   QuerySpec* spec) {
  if (!obj.is_object()) return ApiError::Invalid(prefix, "must be an object");
  if (!prefix.empty()) {
    if (auto e = CheckKeys(obj, prefix, {"text", "record", "stored", "id"})) return e;
  }
  const int given = int(obj.contains("text")) + int(obj.contains("record")) +
                    int(obj.contains("stored"));
  if (given != 1) {
    return ApiError::Invalid(prefix.empty() ? "text" : Join(prefix, "text"),
                             "give exactly one of text, record or stored");
  }
  if (obj.contains("id")) {
    if (!obj["id"].is_string()) return ApiError::Invalid(Join(prefix, "id"), "must be a string");
    spec->id = obj["id"].get<std::string>();
  }
  if (obj.contains("text")) {
    const std::string field = Join(prefix, "text");
    if (!obj["text"].is_string()) return ApiError::Invalid(field, "must be a string");
    spec->text = obj["text"].get<std::string>();
    if (IsBlank(spec->text)) return ApiError::Invalid(field, "must not be empty");
    if (spec->text.size() > limits.max_text_bytes) {
      return ApiError::Invalid(field, "longer than " + std::to_string(limits.max_text_bytes) +
                                          " bytes");
    }
  } else if (obj.contains("record")) {
    Record r;
    if (auto e = ParseRecordValue(obj["record"], Join(prefix, "record"), &r)) return e;
    if (spec->id.empty()) spec->id = r.id;
    spec->record = std::move(r);
  } else {
    const std::string field = Join(prefix, "stored");
    const json& s = obj["stored"];
    if (!s.is_object()) return ApiError::Invalid(field, "must be {\"kind\": ..., \"id\": ...}");
    if (auto e = CheckKeys(s, field, {"kind", "id"})) return e;
    RecordKey key;
    if (!s.contains("kind")) return ApiError::Invalid(field + ".kind", "missing");
    if (auto e = GetKind(s["kind"], field + ".kind", &key.kind)) return e;
    if (!s.contains("id") || !s["id"].is_string() || s["id"].get<std::string>().empty()) {
      return ApiError::Invalid(field + ".id", "must be a non-empty string");
    }
    key.id = s["id"].get<std::string>();
    auto r = engine.Get(key);
    if (!r.ok()) {
      return ApiError::NotFound(field, std::string(RecordKindName(key.kind)) + " \"" + key.id +
                                           "\" is not stored");
    }
    if (spec->id.empty()) spec->id = key.id;
    spec->stored = key;
    spec->record = std::move(*r);
  }
  return std::nullopt;
}

}  // namespace

std::optional<ApiError> ParseMatchRequest(const json& body, const ApiLimits& limits,
                                          const Engine& engine, MatchRequest* request) {
  if (auto e = CheckKeys(body, "", {"text", "record", "stored", "id", "k", "target", "filters",
                                    "explain", "synonym_weight"})) {
    return e;
  }
  if (auto e = ParseMatchOptions(body, limits, &request->options)) return e;
  return ParseQuery(body, "", limits, engine, &request->query);
}

std::optional<ApiError> ParseBatchRequest(const json& body, const ApiLimits& limits,
                                          const Engine& engine, BatchRequest* request) {
  if (auto e = CheckKeys(body, "", {"queries", "k", "target", "filters", "explain",
                                    "synonym_weight"})) {
    return e;
  }
  if (auto e = ParseMatchOptions(body, limits, &request->options)) return e;
  if (!body.contains("queries") || !body["queries"].is_array() || body["queries"].empty()) {
    return ApiError::Invalid("queries", "must be a non-empty array of queries");
  }
  const json& list = body["queries"];
  if (list.size() > limits.max_batch) {
    return ApiError::Invalid("queries", "more than " + std::to_string(limits.max_batch) +
                                            " queries in one batch");
  }
  request->queries.resize(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string prefix = "queries[" + std::to_string(i) + "]";
    if (auto e = ParseQuery(list[i], prefix, limits, engine, &request->queries[i])) return e;
  }
  return std::nullopt;
}

std::optional<ApiError> ParseRecords(const json& body, const ApiLimits& limits,
                                     std::vector<Record>* records) {
  if (!body.contains("records")) {
    Record r;
    if (auto e = ParseRecordValue(body, "record", &r)) return e;
    records->push_back(std::move(r));
    return std::nullopt;
  }
  if (auto e = CheckKeys(body, "", {"records"})) return e;
  const json& list = body["records"];
  if (!list.is_array() || list.empty()) {
    return ApiError::Invalid("records", "must be a non-empty array of records");
  }
  if (list.size() > limits.max_records) {
    return ApiError::Invalid("records", "more than " + std::to_string(limits.max_records) +
                                            " records in one request");
  }
  records->reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    Record r;
    if (auto e = ParseRecordValue(list[i], "records[" + std::to_string(i) + "]", &r)) return e;
    records->push_back(std::move(r));
  }
  return std::nullopt;
}

std::optional<ApiError> ParseKindSegment(const std::string& segment, RecordKind* kind) {
  return GetKind(json(segment), "kind", kind);
}

}  // namespace techmatch::server
