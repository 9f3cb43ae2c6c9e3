// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Conversion between one JSON object and a Record (schema: docs/records.md).

#include "record/record_json.h"

#include <cmath>
#include <cstdint>
#include <utility>

#include "record/record_text.h"
#include "techmatch/utf8.h"

namespace techmatch::internal {
namespace {

using Json = nlohmann::json;

// clang-format off
constexpr const char* kFieldNames[kNumFields] = {
    "id", "kind", "title", "text", "keywords", "categories", "region",
    "maturity", "price", "budget", "org_type", "created", "attributes"};
// clang-format on

int FieldIndex(std::string_view name) {
  for (int f = 0; f < kNumFields; ++f) {
    if (name == kFieldNames[f]) return f;
  }
  return -1;
}

// nlohmann parses iteratively, but dump() recurses: a 60 MB line of '['
// would overflow the stack when kept as an attribute. No record needs this.
constexpr size_t kMaxJsonDepth = 512;

const std::string& Str(const Json& v) {
  return v.get_ref<const std::string&>();
}

// Length of the keyword separator at the start of `s`, 0 if none: whitespace
// (SpaceAt) or one of 、，,;；.
size_t KeywordSeparatorAt(std::string_view s) {
  if (size_t n = SpaceAt(s)) return n;
  if (s.empty()) return 0;
  if (s[0] == ',' || s[0] == ';') return 1;
  for (std::string_view sep :
       {"\xE3\x80\x81", "\xEF\xBC\x8C", "\xEF\xBC\x9B"}) {
    if (s.compare(0, 3, sep) == 0) return 3;
  }
  return 0;
}

std::vector<std::string> SplitKeywords(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size();) {
    size_t sep = i < s.size() ? KeywordSeparatorAt(s.substr(i)) : 1;
    if (sep == 0) {
      ++i;
      continue;
    }
    if (i > start) out.emplace_back(s.substr(start, i - start));
    start = i += sep;
  }
  return out;
}

// Trims every segment of `in` into `out` ("" for a blank path). Returns what
// is wrong, or "" if the path is fine.
std::string NormalizePath(std::string_view in, std::string* out) {
  out->clear();
  if (Trim(in).empty()) return "";
  for (std::string_view seg : Split(in, '/')) {
    if (seg.empty()) return "empty segment in path " + Quote(in);
    if (!out->empty()) *out += '/';
    out->append(seg);
  }
  return "";
}

std::string Describe(const Json& v) {
  if (v.is_string()) return "string " + Quote(Str(v));
  if (v.is_number() || v.is_boolean()) return v.dump();
  return v.type_name();
}

// Attribute value: strings as they are, anything else as compact JSON.
std::string AttributeText(const Json& v) {
  return v.is_string() ? Str(v) : v.dump(-1, ' ', false);
}

// Byte offset where nesting passes max_depth, or npos.
size_t JsonDepthExceeds(std::string_view s, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

// nlohmann's message without its "[json.exception.parse_error.101] parse
// error at line 1, column 7: " preamble (we report the byte), capped: the
// "last read" part of an unterminated string can be the whole line.
std::string JsonErrorText(std::string_view msg) {
  if (!msg.empty() && msg[0] == '[') {
    size_t tag_end = msg.find("] ");
    if (tag_end != std::string_view::npos) msg.remove_prefix(tag_end + 2);
  }
  if (msg.substr(0, 11) == "parse error") {
    size_t colon = msg.find(": ");
    if (colon != std::string_view::npos) msg.remove_prefix(colon + 2);
  }
  size_t cut = 240;
  if (msg.size() <= cut) return std::string(msg);
  while (cut > 0 && (static_cast<unsigned char>(msg[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return std::string(msg.substr(0, cut)) + "...";
}

}  // namespace

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    size_t pos = s.find(sep);
    out.push_back(Trim(s.substr(0, pos)));
    if (pos == std::string_view::npos) return out;
    s.remove_prefix(pos + 1);
  }
}

std::string CheckMapping(const std::string& target,
                         const std::vector<std::string>& sources) {
  const int f = FieldIndex(target);
  if (f < 0) {
    std::string known;
    for (const char* name : kFieldNames) {
      known += (known.empty() ? "" : ", ") + std::string(name);
    }
    return "unknown techmatch field " + Quote(target) + " (one of " + known +
           ")";
  }
  if (sources.empty()) return "no source field";
  if (sources.size() > 1 && f != kCategories && f != kRegion) {
    return "several sources, but only \"categories\" and \"region\" may "
           "join several";
  }
  std::set<std::string_view> seen;
  for (const std::string& src : sources) {
    if (src.empty()) return "empty source field name";
    if (!seen.insert(src).second) {
      return "source " + Quote(src) + " listed twice";
    }
  }
  return "";
}

Plan MakePlan(const JsonlReadOptions& options) {
  Plan plan;
  plan.default_kind = options.default_kind;
  for (int f = 0; f < kNumFields; ++f) {
    auto it = options.field_map.find(kFieldNames[f]);
    if (it != options.field_map.end()) {
      plan.sources[f] = it->second;
    } else {
      plan.sources[f] = {kFieldNames[f]};
    }
    plan.consumed.insert(plan.sources[f].begin(), plan.sources[f].end());
  }
  return plan;
}

namespace {

// Converts one parsed JSON object into a Record, naming the place, record
// and field in every error.
class RecordParser {
 public:
  RecordParser(const Plan& plan, std::string_view where)
      : plan_(plan), where_(where) {}

  Result<Record> Parse(const Json& obj) {
    if (!obj.is_object()) {
      return Fail("expected a JSON object, got " + Describe(obj));
    }
    obj_ = &obj;
    std::vector<std::string> region;
    TECHMATCH_RETURN_IF_ERROR(ParseId());
    TECHMATCH_RETURN_IF_ERROR(ParseKind());
    TECHMATCH_RETURN_IF_ERROR(ParseString(kTitle, &rec_.title));
    TECHMATCH_RETURN_IF_ERROR(ParseString(kText, &rec_.text));
    TECHMATCH_RETURN_IF_ERROR(ParseKeywords());
    TECHMATCH_RETURN_IF_ERROR(ParsePaths(kCategories, &rec_.categories));
    TECHMATCH_RETURN_IF_ERROR(ParsePaths(kRegion, &region));
    if (!region.empty()) rec_.region = std::move(region[0]);
    TECHMATCH_RETURN_IF_ERROR(ParseMaturity());
    TECHMATCH_RETURN_IF_ERROR(ParsePrice());
    TECHMATCH_RETURN_IF_ERROR(ParseString(kOrgType, &rec_.org_type));
    TECHMATCH_RETURN_IF_ERROR(ParseCreated());
    TECHMATCH_RETURN_IF_ERROR(ParseAttributes());
    TECHMATCH_RETURN_IF_ERROR(KeepUnknownFields());
    Status valid = rec_.Validate();  // safety net; its message names the id
    if (!valid.ok()) return Fail(valid.message(), /*with_id=*/false);
    return std::move(rec_);
  }

 private:
  // A single-source field: the source's name and value (null when absent).
  struct Value {
    const std::string& src;
    const Json* json;
  };

  Status Fail(std::string_view what, bool with_id = true) const {
    std::string msg(where_);
    if (!msg.empty()) msg += ": ";
    if (with_id && !rec_.id.empty()) msg += "record " + Quote(rec_.id) + ": ";
    return Status::InvalidArgument(msg.append(what));
  }
  // `src` is empty when several sources were joined.
  Status FieldFail(int f, const std::string& src, std::string_view what) {
    std::string label = "field " + Quote(src.empty() ? kFieldNames[f] : src);
    if (!src.empty() && src != kFieldNames[f]) {
      label += " (mapped to \"" + std::string(kFieldNames[f]) + "\")";
    }
    return Fail(label + ": " + std::string(what));
  }
  Status TypeError(int f, const std::string& src, const Json& v,
                   std::string_view expected) {
    return FieldFail(
        f, src, "expected " + std::string(expected) + ", got " + Describe(v));
  }
  const Json* Find(const std::string& src) const {
    auto it = obj_->find(src);
    return it == obj_->end() || it->is_null() ? nullptr : &*it;
  }
  Value Get(int f) const {
    const std::string& src = plan_.sources[f].front();
    return {src, Find(src)};
  }

  Status ParseId() {
    Value v = Get(kId);
    if (v.json == nullptr) return FieldFail(kId, v.src, "missing");
    if (v.json->is_string()) {
      rec_.id = Str(*v.json);
    } else if (v.json->is_number_unsigned()) {
      rec_.id = std::to_string(v.json->get<uint64_t>());
    } else if (v.json->is_number_integer()) {
      rec_.id = std::to_string(v.json->get<int64_t>());
    } else {
      return TypeError(kId, v.src, *v.json, "a string or an integer");
    }
    return rec_.id.empty() ? FieldFail(kId, v.src, "empty") : Status::OK();
  }

  Status ParseKind() {
    Value v = Get(kKind);
    rec_.kind = plan_.default_kind;
    if (v.json == nullptr) return Status::OK();
    if (!v.json->is_string()) {
      return TypeError(kKind, v.src, *v.json, "\"supply\" or \"demand\"");
    }
    Result<RecordKind> kind = ParseRecordKind(Str(*v.json));
    if (!kind.ok()) return FieldFail(kKind, v.src, kind.status().message());
    rec_.kind = *kind;
    return Status::OK();
  }

  Status ParseString(int f, std::string* out) {
    Value v = Get(f);
    if (v.json == nullptr) return Status::OK();
    if (!v.json->is_string()) return TypeError(f, v.src, *v.json, "a string");
    *out = Str(*v.json);
    return Status::OK();
  }

  Status ParseKeywords() {
    Value v = Get(kKeywords);
    if (v.json == nullptr) return Status::OK();
    if (v.json->is_string()) {
      rec_.keywords = SplitKeywords(Str(*v.json));
      return Status::OK();
    }
    if (!v.json->is_array()) {
      return TypeError(kKeywords, v.src, *v.json,
                       "an array of strings or a string");
    }
    for (const Json& item : *v.json) {
      if (!item.is_string()) {
        return TypeError(kKeywords, v.src, item, "only strings in the array");
      }
      std::string_view k = Trim(Str(item));
      if (!k.empty()) rec_.keywords.emplace_back(k);
    }
    return Status::OK();
  }

  // Paths from one source (for categories: a string or an array of them) or
  // several sources joined with '/', skipping null or blank ones.
  Status ParsePaths(int f, std::vector<std::string>* out) {
    const std::vector<std::string>& sources = plan_.sources[f];
    const bool single = sources.size() == 1;
    const char* expected = single && f == kCategories
                               ? "an array of path strings or a path string"
                               : "a path string";
    if (const Json* v = Find(sources[0]);
        single && f == kCategories && v != nullptr && v->is_array()) {
      for (const Json& item : *v) {
        if (!item.is_string()) {
          return TypeError(f, sources[0], item, "only strings in the array");
        }
        TECHMATCH_RETURN_IF_ERROR(AddPath(f, sources[0], Str(item), out));
      }
      return Status::OK();
    }
    std::string joined;
    for (const std::string& src : sources) {
      const Json* v = Find(src);
      if (v == nullptr) continue;
      if (!v->is_string()) return TypeError(f, src, *v, expected);
      std::string_view part = Trim(Str(*v));
      if (part.empty()) continue;
      if (!joined.empty()) joined += '/';
      joined.append(part);
    }
    return AddPath(f, single ? sources[0] : std::string(), joined, out);
  }

  Status AddPath(int f, const std::string& src, std::string_view text,
                 std::vector<std::string>* out) {
    std::string path;
    std::string err = NormalizePath(text, &path);
    if (!err.empty()) return FieldFail(f, src, err);
    if (!path.empty()) out->push_back(std::move(path));
    return Status::OK();
  }

  Status ParseMaturity() {
    Value v = Get(kMaturity);
    if (v.json == nullptr) return Status::OK();
    const Json& j = *v.json;
    int64_t m = 0;  // stays 0 (out of range) for huge values
    if (j.is_number_unsigned()) {
      if (j.get<uint64_t>() <= 9) m = j.get<int64_t>();
    } else if (j.is_number_integer()) {
      m = j.get<int64_t>();
    } else if (j.is_string() && !Str(j).empty() &&
               Str(j).find_first_not_of("0123456789") == std::string::npos) {
      size_t first = Str(j).find_first_not_of('0');  // "07" is 7
      if (first + 1 == Str(j).size()) m = Str(j)[first] - '0';
    } else {
      return TypeError(kMaturity, v.src, j,
                       "an integer 1-9 or a string of digits");
    }
    if (m < 1 || m > 9) {
      return FieldFail(
          kMaturity, v.src,
          (j.is_string() ? Quote(Str(j)) : j.dump()) + " is out of range 1-9");
    }
    rec_.maturity = static_cast<int>(m);
    return Status::OK();
  }

  Status ParsePrice() {
    Value price = Get(kPrice), budget = Get(kBudget);
    if (price.json != nullptr && budget.json != nullptr) {
      return FieldFail(kBudget, budget.src,
                       "both " + Quote(price.src) + " and " +
                           Quote(budget.src) +
                           " are given; a record has "
                           "one price");
    }
    const int f = price.json != nullptr ? kPrice : kBudget;
    const Value& v = price.json != nullptr ? price : budget;
    if (v.json == nullptr) return Status::OK();
    if (!v.json->is_number()) return TypeError(f, v.src, *v.json, "a number");
    double d = v.json->get<double>();
    if (!std::isfinite(d) || d < 0) {
      return FieldFail(f, v.src,
                       v.json->dump() + " is not a finite number >= 0");
    }
    rec_.price = d == 0 ? 0.0 : d;  // no "-0.0" in the output
    return Status::OK();
  }

  Status ParseCreated() {
    Value v = Get(kCreated);
    if (v.json == nullptr) return Status::OK();
    if (!v.json->is_string()) {
      return TypeError(kCreated, v.src, *v.json, "a \"YYYY-MM-DD\" string");
    }
    if (Str(*v.json).empty()) return Status::OK();
    Result<Date> date = Date::Parse(Str(*v.json));
    if (!date.ok()) return FieldFail(kCreated, v.src, date.status().message());
    rec_.created = *date;
    return Status::OK();
  }

  Status ParseAttributes() {
    Value v = Get(kAttributes);
    if (v.json == nullptr) return Status::OK();
    if (!v.json->is_object()) {
      return TypeError(kAttributes, v.src, *v.json, "an object");
    }
    for (const auto& [key, value] : v.json->items()) {
      if (key.empty()) return FieldFail(kAttributes, v.src, "empty key");
      if (!value.is_null()) rec_.attributes[key] = AttributeText(value);
    }
    return Status::OK();
  }

  // Fields no mapping consumes are kept as attributes, not lost.
  Status KeepUnknownFields() {
    for (const auto& [key, value] : obj_->items()) {
      if (value.is_null() || plan_.consumed.count(key) > 0) continue;
      if (key.empty()) return Fail("field \"\": empty field name");
      auto [it, inserted] = rec_.attributes.emplace(key, std::string());
      if (!inserted) {
        return Fail("field " + Quote(key) + ": also given in " +
                    Quote(plan_.sources[kAttributes].front()));
      }
      it->second = AttributeText(value);
    }
    return Status::OK();
  }

  const Plan& plan_;
  std::string_view where_;
  const Json* obj_ = nullptr;
  Record rec_;
};

}  // namespace

Result<Record> ParseLine(std::string_view text, size_t base, const Plan& plan,
                         std::string_view where) {
  std::string prefix(where);
  if (!prefix.empty()) prefix += ": ";
  size_t bad = FindInvalidUtf8(text);
  if (bad != std::string_view::npos) {
    return Status::InvalidArgument(prefix + "invalid UTF-8 at byte " +
                                   std::to_string(bad + base) + " of the line");
  }
  size_t deep = JsonDepthExceeds(text, kMaxJsonDepth);
  if (deep != std::string_view::npos) {
    return Status::InvalidArgument(
        prefix + "JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
        " levels at byte " + std::to_string(deep + base));
  }
  Json obj;
  try {
    obj = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    return Status::InvalidArgument(prefix + "invalid JSON at byte " +
                                   std::to_string(e.byte + base) + ": " +
                                   JsonErrorText(e.what()));
  } catch (const Json::exception& e) {  // e.g. 406: number overflow
    return Status::InvalidArgument(prefix +
                                   "invalid JSON: " + JsonErrorText(e.what()));
  }
  return RecordParser(plan, where).Parse(obj);
}

nlohmann::ordered_json ToJson(const Record& r) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["id"] = r.id;
  j["kind"] = RecordKindName(r.kind);
  j["title"] = r.title;
  j["text"] = r.text;
  if (!r.keywords.empty()) j["keywords"] = r.keywords;
  if (!r.categories.empty()) j["categories"] = r.categories;
  if (!r.region.empty()) j["region"] = r.region;
  if (r.maturity) j["maturity"] = *r.maturity;
  if (r.price) j[r.kind == RecordKind::kDemand ? "budget" : "price"] = *r.price;
  if (!r.org_type.empty()) j["org_type"] = r.org_type;
  if (r.created.known()) j["created"] = r.created.ToString();
  if (!r.attributes.empty()) j["attributes"] = r.attributes;
  return j;
}

}  // namespace techmatch::internal
