// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "bindings/json_args.h"

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>

#include "engine/options_json.h"
#include "techmatch/record_io.h"
#include "util/catch_all.h"

namespace techmatch::internal {
namespace {

using nlohmann::json;

Status Bad(const std::string& what) { return Status::InvalidArgument(what); }

Result<json> ParseObject(std::string_view text, const char* what) {
  json j = json::parse(text.begin(), text.end(), nullptr,
                       /*allow_exceptions=*/false);
  if (j.is_discarded()) return Bad(std::string(what) + ": invalid JSON");
  if (!j.is_object()) return Bad(std::string(what) + ": expected a JSON object");
  return j;
}

Status ReadString(const json& v, const std::string& path, std::string* out) {
  if (!v.is_string()) return Bad(path + ": expected a string");
  *out = v.get<std::string>();
  return Status::OK();
}

// A string or an array of strings, appended to *out.
Status ReadStrings(const json& v, const std::string& path,
                   std::vector<std::string>* out) {
  if (v.is_string()) {
    out->push_back(v.get<std::string>());
    return Status::OK();
  }
  if (!v.is_array()) return Bad(path + ": expected a string or an array of strings");
  for (const json& e : v) {
    if (!e.is_string()) return Bad(path + ": expected an array of strings");
    out->push_back(e.get<std::string>());
  }
  return Status::OK();
}

Status ReadMaturity(const json& v, const std::string& path,
                    std::optional<int>* out) {
  if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 9) {
    return Bad(path + ": expected a level 1-9");
  }
  *out = v.get<int>();
  return Status::OK();
}

// The options that are not saved with a snapshot (so not in the table of
// options_json.cc) but that a caller sets: taken out of *user.
Status TakeRuntimeOptions(json* user, EngineOptions* o) {
  if (auto it = user->find("threads"); it != user->end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0 ||
        it->get<int64_t>() > 4096) {
      return Bad("threads: expected an integer 0-4096");
    }
    o->threads = it->get<int>();
    user->erase(it);
  }
  auto analyzer = user->find("analyzer");
  if (analyzer == user->end() || !analyzer->is_object()) return Status::OK();
  for (const char* key : {"dictionary_file", "stopwords_file"}) {
    auto it = analyzer->find(key);
    if (it == analyzer->end()) continue;
    std::string* field = std::string(key) == "dictionary_file"
                             ? &o->analyzer.dictionary_file
                             : &o->analyzer.stopwords_file;
    TECHMATCH_RETURN_IF_ERROR(
        ReadString(*it, std::string("analyzer.") + key, field));
    analyzer->erase(it);
  }
  if (analyzer->empty()) user->erase(analyzer);
  return Status::OK();
}

// Every key of `user` must be one of `known` (the saved options of a
// default engine), down to the scorer weights' feature names.
Status CheckKnownKeys(const json& user, const json& known,
                      const std::string& path) {
  for (const auto& [key, value] : user.items()) {
    const std::string p = path.empty() ? key : path + "." + key;
    auto k = known.find(key);
    if (k == known.end()) return Bad("unknown option \"" + p + "\"");
    if (k->is_object()) {
      if (!value.is_object()) return Bad(p + ": expected an object");
      TECHMATCH_RETURN_IF_ERROR(CheckKnownKeys(value, *k, p));
    }
  }
  return Status::OK();
}

// Writes every value of `user` into `base`, merging objects key by key.
void Overlay(const json& user, json* base) {
  for (const auto& [key, value] : user.items()) {
    json& slot = (*base)[key];
    if (value.is_object() && slot.is_object()) {
      Overlay(value, &slot);
    } else {
      slot = value;
    }
  }
}

Status ApplyOptions(std::string_view text, EngineOptions* options) {
  auto parsed = ParseObject(text, "options");
  if (!parsed.ok()) return parsed.status();
  json user = std::move(*parsed);
  EngineOptions runtime = *options;
  TECHMATCH_RETURN_IF_ERROR(TakeRuntimeOptions(&user, &runtime));
  TECHMATCH_RETURN_IF_ERROR(CheckKnownKeys(user, OptionsToJson(EngineOptions{}), ""));
  json merged = OptionsToJson(runtime);
  Overlay(user, &merged);
  auto read = OptionsFromJson(merged);
  if (!read.ok()) {
    // OptionsFromJson speaks of a snapshot (Corruption, "options: ...");
    // here the caller's value is at fault.
    std::string m = read.status().message();
    if (m.rfind("options: ", 0) == 0) m = m.substr(9);
    return Bad(m);
  }
  EngineOptions out = std::move(*read);
  out.threads = runtime.threads;
  out.analyzer.dictionary_file = runtime.analyzer.dictionary_file;
  out.analyzer.stopwords_file = runtime.analyzer.stopwords_file;
  out.embedder.threads = runtime.embedder.threads;
  out.dense.threads = runtime.dense.threads;
  out.dense.dim = runtime.dense.dim;
  if (Status s = out.Validate(); !s.ok()) return Bad(s.message());
  *options = std::move(out);
  return Status::OK();
}

Result<RecordFilter> ParseFilter(std::string_view text) {
  auto parsed = ParseObject(text, "filter");
  if (!parsed.ok()) return parsed.status();
  RecordFilter f;
  for (const auto& [key, v] : parsed->items()) {
    const std::string path = "filter." + key;
    if (key == "kind") {
      std::string name;
      TECHMATCH_RETURN_IF_ERROR(ReadString(v, path, &name));
      auto kind = ParseRecordKind(name);
      if (!kind.ok()) return Bad(path + ": expected \"supply\" or \"demand\"");
      f.kind = *kind;
    } else if (key == "category") {
      TECHMATCH_RETURN_IF_ERROR(ReadStrings(v, path, &f.category_prefixes));
    } else if (key == "region") {
      TECHMATCH_RETURN_IF_ERROR(ReadStrings(v, path, &f.region_prefixes));
    } else if (key == "min_maturity") {
      TECHMATCH_RETURN_IF_ERROR(ReadMaturity(v, path, &f.min_maturity));
    } else if (key == "max_maturity") {
      TECHMATCH_RETURN_IF_ERROR(ReadMaturity(v, path, &f.max_maturity));
    } else if (key == "attributes") {
      if (!v.is_object()) return Bad(path + ": expected an object of strings");
      for (const auto& [name, value] : v.items()) {
        TECHMATCH_RETURN_IF_ERROR(
            ReadString(value, path + "." + name, &f.attributes[name]));
      }
    } else if (key == "ids") {
      if (!v.is_array()) return Bad(path + ": expected an array of strings");
      TECHMATCH_RETURN_IF_ERROR(ReadStrings(v, path, &f.ids));
    } else {
      return Bad("unknown filter key \"" + key +
                 "\" (kind, category, region, min_maturity, max_maturity, "
                 "attributes, ids)");
    }
  }
  if (Status s = f.Validate(); !s.ok()) return Bad("filter: " + s.message());
  return f;
}

}  // namespace

Status ApplyEngineOptionsJson(std::string_view json, EngineOptions* options) {
  return CatchAll("options", [&] { return ApplyOptions(json, options); });
}

Result<RecordFilter> ParseFilterJson(std::string_view json) {
  return CatchAll("filter", [&] { return ParseFilter(json); });
}

Result<std::vector<Record>> ParseRecordsJsonl(std::string_view jsonl,
                                              std::string_view source) {
  return CatchAll(source, [&]() -> Result<std::vector<Record>> {
    std::istringstream in{std::string(jsonl)};
    std::vector<Record> records;
    TECHMATCH_RETURN_IF_ERROR(ReadRecordsJsonl(
        in, JsonlReadOptions{},
        [&](Record&& r) {
          records.push_back(std::move(r));
          return Status::OK();
        },
        nullptr, source));
    return records;
  });
}

}  // namespace techmatch::internal
