// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "csl_io.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <utility>

#include "techmatch/utf8.h"

namespace techmatch::cli {

namespace {

using json = nlohmann::json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

Status OpenFile(const std::string& path, std::ifstream* in) {
  std::error_code ec;
  auto st = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(st)) {
    return Status::NotFound(path + ": no such file");
  }
  if (std::filesystem::is_directory(st)) {
    return Status::IOError(path + ": is a directory");
  }
  in->open(path, std::ios::binary);
  if (!*in) {
    return Status::IOError(path + ": cannot open: " + std::strerror(errno));
  }
  return Status::OK();
}

// Calls `fn(object, where)` for every non-blank line, `where` being
// "<path>:<line>". Stops at the first error, which already names the line.
Status ForEachJsonLine(
    const std::string& path,
    const std::function<Status(const json&, size_t line,
                               const std::string& where)>& fn) {
  std::ifstream in;
  TECHMATCH_RETURN_IF_ERROR(OpenFile(path, &in));
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string_view v(line);
    if (lineno == 1 && v.substr(0, kBom.size()) == kBom) {
      v.remove_prefix(kBom.size());
    }
    if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
    if (v.find_first_not_of(" \t\n\v\f\r") == std::string_view::npos) {
      continue;
    }
    std::string where = path + ":" + std::to_string(lineno);
    size_t bad = FindInvalidUtf8(v);
    if (bad != std::string_view::npos) {
      return Status::InvalidArgument(where + ": invalid UTF-8 at byte " +
                                     std::to_string(bad) + " of the line");
    }
    json j;
    try {
      j = json::parse(v);
    } catch (const json::exception& e) {
      std::string what = e.what();
      if (what.size() > 240) what.resize(240);
      return Status::InvalidArgument(where + ": invalid JSON: " + what);
    }
    if (!j.is_object()) {
      return Status::InvalidArgument(where + ": expected a JSON object, got " +
                                     std::string(j.type_name()));
    }
    TECHMATCH_RETURN_IF_ERROR(fn(j, lineno, where));
  }
  if (in.bad()) {
    return Status::IOError(path + ": read error after line " +
                           std::to_string(lineno));
  }
  return Status::OK();
}

// A required id-like field: a non-empty string or an integer.
Status GetId(const json& j, const char* field, const std::string& where,
             std::string* out) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    return Status::InvalidArgument(where + ": field \"" + field +
                                   "\": missing");
  }
  if (it->is_string()) {
    *out = it->get<std::string>();
  } else if (it->is_number_integer()) {
    *out = it->dump();
  } else {
    return Status::InvalidArgument(where + ": field \"" + field +
                                   "\": expected a string, got " +
                                   std::string(it->type_name()));
  }
  if (out->empty()) {
    return Status::InvalidArgument(where + ": field \"" + field + "\": empty");
  }
  return Status::OK();
}

// An optional string field (null or absent -> "").
Status GetString(const json& j, const char* field, const std::string& where,
                 std::string* out) {
  out->clear();
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return Status::OK();
  if (!it->is_string()) {
    return Status::InvalidArgument(where + ": field \"" + field +
                                   "\": expected a string, got " +
                                   std::string(it->type_name()));
  }
  *out = it->get<std::string>();
  return Status::OK();
}

}  // namespace

Result<std::vector<CslQuery>> ReadCslQueries(const std::string& path) {
  std::vector<CslQuery> queries;
  std::map<std::string, size_t> seen;  // id -> line
  Status s = ForEachJsonLine(
      path, [&](const json& j, size_t line, const std::string& where) {
        CslQuery q;
        q.line = line;
        TECHMATCH_RETURN_IF_ERROR(GetId(j, "id", where, &q.id));
        std::string at = where + ": query \"" + q.id + "\"";
        auto [it, fresh] = seen.emplace(q.id, line);
        if (!fresh) {
          return Status::InvalidArgument(at +
                                         ": duplicate id (first seen on line " +
                                         std::to_string(it->second) + ")");
        }
        TECHMATCH_RETURN_IF_ERROR(GetString(j, "type", at, &q.type));
        auto t = j.find("text");
        if (t == j.end() || t->is_null()) {
          return Status::InvalidArgument(at + ": field \"text\": missing");
        }
        TECHMATCH_RETURN_IF_ERROR(GetString(j, "text", at, &q.text));
        auto k = j.find("keywords");
        if (k != j.end() && !k->is_null()) {
          if (!k->is_array()) {
            return Status::InvalidArgument(
                at + ": field \"keywords\": expected an array or null, got " +
                std::string(k->type_name()));
          }
          for (const json& w : *k) {
            if (!w.is_string()) {
              return Status::InvalidArgument(
                  at + ": field \"keywords\": expected strings, got " +
                  std::string(w.type_name()));
            }
            q.keywords.push_back(w.get<std::string>());
          }
        }
        queries.push_back(std::move(q));
        return Status::OK();
      });
  if (!s.ok()) return s;
  return queries;
}

Result<std::vector<CslQrel>> ReadCslQrels(const std::string& path) {
  std::vector<CslQrel> qrels;
  std::map<std::pair<std::string, std::string>, size_t> seen;
  Status s = ForEachJsonLine(path, [&](const json& j, size_t line,
                                       const std::string& where) {
    CslQrel q;
    q.line = line;
    TECHMATCH_RETURN_IF_ERROR(GetId(j, "query_id", where, &q.query_id));
    TECHMATCH_RETURN_IF_ERROR(GetId(j, "doc_id", where, &q.doc_id));
    auto r = j.find("relevance");
    if (r == j.end() || r->is_null()) {
      return Status::InvalidArgument(where + ": field \"relevance\": missing");
    }
    if (r->is_number_integer()) {
      q.relevance = r->get<int>();
    } else if (r->is_number_float() &&
               std::floor(r->get<double>()) == r->get<double>() &&
               std::fabs(r->get<double>()) < 1e9) {
      q.relevance = int(r->get<double>());
    } else {
      return Status::InvalidArgument(
          where + ": field \"relevance\": expected an integer, got " +
          r->dump());
    }
    auto [it, fresh] = seen.emplace(std::make_pair(q.query_id, q.doc_id), line);
    if (!fresh) {
      return Status::InvalidArgument(
          where + ": query \"" + q.query_id + "\", doc \"" + q.doc_id +
          "\" judged twice (first on line " + std::to_string(it->second) + ")");
    }
    qrels.push_back(std::move(q));
    return Status::OK();
  });
  if (!s.ok()) return s;
  return qrels;
}

Result<std::vector<Judgment>> ReadJudgments(const std::string& path) {
  std::vector<Judgment> out;
  // (query, supply) -> index in out
  std::map<std::pair<std::string, std::string>, size_t> seen;
  Status s = ForEachJsonLine(path, [&](const json& j, size_t line, const std::string& where) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& k = it.key();
      if (k != "demand" && k != "text" && k != "supply" && k != "label") {
        return Status::InvalidArgument(where + ": unknown field \"" + k +
                                       "\" (expected demand or text, supply, label)");
      }
    }
    Judgment jd;
    jd.line = line;
    const bool has_demand = j.contains("demand") && !j["demand"].is_null();
    const bool has_text = j.contains("text") && !j["text"].is_null();
    if (has_demand == has_text) {
      return Status::InvalidArgument(where + ": give one of \"demand\" (a stored demand's id) "
                                             "or \"text\" (the demand's words)");
    }
    if (has_demand) {
      TECHMATCH_RETURN_IF_ERROR(GetId(j, "demand", where, &jd.demand));
    } else {
      TECHMATCH_RETURN_IF_ERROR(GetString(j, "text", where, &jd.text));
      if (jd.text.find_first_not_of(" \t\r\n") == std::string::npos) {
        return Status::InvalidArgument(where + ": field \"text\": empty");
      }
    }
    TECHMATCH_RETURN_IF_ERROR(GetId(j, "supply", where, &jd.supply));
    auto l = j.find("label");
    if (l == j.end() || !l->is_number_integer() || l->get<long long>() < 0 ||
        l->get<long long>() > 3) {
      return Status::InvalidArgument(
          where + ": field \"label\": expected an integer 0..3 (0 not a fit, 1 accepted or a "
                  "weak fit, 2 a fair fit, 3 a strong fit), got " +
          (l == j.end() ? std::string("nothing") : l->dump()));
    }
    jd.label = int(l->get<long long>());
    const std::string query = has_demand ? "demand " + jd.demand : "text " + jd.text;
    auto [it, fresh] = seen.emplace(std::make_pair(query, jd.supply), out.size());
    if (!fresh) {
      const Judgment& first = out[it->second];
      if (first.label == jd.label) return Status::OK();
      return Status::InvalidArgument(where + ": supply \"" + jd.supply + "\" judged again for " +
                                     (has_demand ? "demand \"" + jd.demand + "\"" : "this text") +
                                     " with another label (" + std::to_string(jd.label) +
                                     "; line " + std::to_string(first.line) + " says " +
                                     std::to_string(first.label) + ")");
    }
    out.push_back(std::move(jd));
    return Status::OK();
  });
  if (!s.ok()) return s;
  return out;
}

Status GroupJudgments(const std::vector<Judgment>& judgments, const std::string& path,
                      const Engine& engine, std::deque<Record>* demands,
                      std::vector<JudgedQuery>* out) {
  std::map<std::string, size_t> query_of;  // "d:" id or "t:" text -> index in out
  for (const Judgment& j : judgments) {
    const std::string where = path + ":" + std::to_string(j.line);
    if (!engine.Contains(RecordKey{RecordKind::kSupply, j.supply})) {
      return Status::NotFound(where + ": supply \"" + j.supply + "\" is not in the index");
    }
    const std::string key = j.demand.empty() ? "t:" + j.text : "d:" + j.demand;
    auto [it, fresh] = query_of.emplace(key, out->size());
    if (fresh) {
      JudgedQuery q;
      if (!j.demand.empty()) {
        auto d = engine.Get(RecordKey{RecordKind::kDemand, j.demand});
        if (!d.ok()) {
          return Status::NotFound(where + ": demand \"" + j.demand + "\" is not in the index");
        }
        demands->push_back(std::move(*d));
        q.query = MatchQuery(j.demand, "", &demands->back());
      } else {
        q.query = MatchQuery("line " + std::to_string(j.line), j.text);
      }
      out->push_back(std::move(q));
    }
    (*out)[it->second].grades[j.supply] = j.label;
  }
  return Status::OK();
}

Result<std::vector<Record>> ReadCslCorpus(const std::string& path,
                                          bool use_labels, ReadReport* report) {
  // The labels arrive as unknown fields, kept as attributes; they are
  // taken out here so that without --use-labels the engine sees none of
  // them (not even as attributes).
  JsonlReadOptions options;
  options.default_kind = RecordKind::kSupply;
  auto records = ReadRecordsJsonlFile(path, options, report);
  if (!records.ok()) return records.status();
  for (Record& r : *records) {
    std::string category, discipline;
    if (auto it = r.attributes.find("category"); it != r.attributes.end()) {
      category = std::move(it->second);
      r.attributes.erase(it);
    }
    if (auto it = r.attributes.find("discipline"); it != r.attributes.end()) {
      discipline = std::move(it->second);
      r.attributes.erase(it);
    }
    if (!use_labels || category.empty()) continue;
    r.categories.clear();
    r.categories.push_back(discipline.empty() ? category
                                              : category + "/" + discipline);
  }
  return records;
}

}  // namespace techmatch::cli
