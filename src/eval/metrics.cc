// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// csl-match metrics (see metrics.h). Every choice below mirrors a line of
// evaluate.py's score(), including its quirks (duplicate doc ids in a run
// count twice, ideal DCG 0 gives nDCG 0), so the numbers agree to the bit
// where the floating-point operations are the same.

#include "eval/metrics.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <utility>

#include "util/catch_all.h"

namespace techmatch::internal {
namespace {

using Json = nlohmann::json;

// ---------------------------------------------------------------- scoring

struct Accumulator {
  size_t n = 0;
  double mrr = 0, ndcg = 0, r1 = 0, r10 = 0, r100 = 0;
  double disc = 0, cat = 0;
  size_t n_disc = 0, n_cat = 0;
  size_t order = 0;
};

// Python's 2 ** grade - 1 as a float.
double Gain(int grade) { return std::ldexp(1.0, grade) - 1.0; }

// One topical-precision term: the share of the labelled `others` whose label
// equals the query's; nullopt when the query or every document is unlabelled.
std::optional<double> TopicalShare(
    const std::string& query_label, const std::vector<const std::string*>& others,
    const std::unordered_map<std::string, std::string>& doc_label) {
  if (query_label.empty()) return std::nullopt;
  size_t judged = 0, same = 0;
  for (const std::string* d : others) {
    auto it = doc_label.find(*d);
    if (it == doc_label.end() || it->second.empty()) continue;
    ++judged;
    if (it->second == query_label) ++same;
  }
  if (judged == 0) return std::nullopt;
  return double(same) / double(judged);
}

// ---------------------------------------------------------------- reading

bool IsBlank(const std::string& line) {
  return line.find_first_not_of(" \t\r\n\f\v") == std::string::npos;
}

// Calls fn(object, "path:line") for each non-blank line of a JSONL file.
Status ForEachJsonLine(
    const std::string& path,
    const std::function<Status(const Json&, const std::string&)>& fn) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound(path + ": no such file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open: " + std::strerror(errno));
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (IsBlank(line)) continue;
    const std::string where = path + ":" + std::to_string(number);
    Json j;
    try {
      j = Json::parse(line);
    } catch (const Json::parse_error& e) {
      return Status::InvalidArgument(where + ": invalid JSON: " + e.what());
    }
    if (!j.is_object()) {
      return Status::InvalidArgument(where + ": not a JSON object");
    }
    TECHMATCH_RETURN_IF_ERROR(fn(j, where));
  }
  if (in.bad()) {
    return Status::IOError(path + ": read error after line " +
                           std::to_string(number));
  }
  return Status::OK();
}

Status RequiredString(const Json& j, const char* key, const std::string& where,
                      std::string* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return Status::InvalidArgument(where + ": missing \"" + key + "\"");
  }
  if (!it->is_string()) {
    return Status::InvalidArgument(where + ": \"" + key + "\" is not a string");
  }
  *out = it->get<std::string>();
  return Status::OK();
}

// A label: absent or null = unknown = "".
Status OptionalString(const Json& j, const char* key, const std::string& where,
                      std::string* out) {
  out->clear();
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::OK();
  if (!it->is_string()) {
    return Status::InvalidArgument(where + ": \"" + key +
                                   "\" is neither a string nor null");
  }
  *out = it->get<std::string>();
  return Status::OK();
}

struct Label {
  std::string discipline, category;
  std::optional<double> coverage;
};

std::string JsonQuote(std::string_view s) {
  // json.dumps(ensure_ascii=False) escapes only '"', '\\' and controls.
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

// repr(round(v, 4)): "%.4f" is the correctly rounded decimal (as Python's
// round), and the shortest repr of that double is it without trailing zeros.
std::string Round4(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  std::string s = buf;
  while (s.size() >= 2 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
  return s;
}

// Python's int(): optional sign, decimal digits, surrounding blanks.
bool ParseInt(const std::string& s, long long* out) {
  if (s.empty()) return false;
  size_t i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
  if (i == s.size()) return false;
  for (size_t k = i; k < s.size(); ++k) {
    if (s[k] < '0' || s[k] > '9') return false;
  }
  errno = 0;
  *out = std::strtoll(s.c_str(), nullptr, 10);
  return errno == 0;
}

}  // namespace

std::map<std::string, GroupMetrics> ScoreRun(const EvalData& data,
                                             const EvalRun& run) {
  static const std::vector<std::string> kNoRanking;
  static const std::unordered_map<std::string, int> kNoQrels;
  std::map<std::string, Accumulator> acc;
  size_t next_order = 0;
  std::vector<int> grades;
  std::vector<const std::string*> others;
  std::vector<const std::string*> keys;
  const std::string all = "all", low = kLowOverlapGroup;

  for (const EvalQuery& q : data.queries) {
    auto r = run.find(q.id);
    const std::vector<std::string>& ranked = r == run.end() ? kNoRanking : r->second;
    auto g_it = data.qrels.find(q.id);
    const auto& g = g_it == data.qrels.end() ? kNoQrels : g_it->second;
    auto grade_of = [&g](const std::string& d) {
      auto it = g.find(d);
      return it == g.end() ? 0 : it->second;
    };
    auto positive = [&g](const std::string& d) {
      auto it = g.find(d);
      return it != g.end() && it->second >= 2;
    };

    const size_t top10 = std::min<size_t>(10, ranked.size());
    double rr = 0.0;
    for (size_t i = 0; i < top10; ++i) {
      if (positive(ranked[i])) {
        rr = 1.0 / double(i + 1);
        break;
      }
    }
    double dcg = 0.0;
    for (size_t i = 0; i < top10; ++i) {
      dcg += Gain(grade_of(ranked[i])) / std::log2(double(i + 2));
    }
    grades.clear();
    for (const auto& [doc, grade] : g) grades.push_back(grade);
    std::sort(grades.begin(), grades.end(), std::greater<int>());
    double idcg = 0.0;
    for (size_t i = 0; i < std::min<size_t>(10, grades.size()); ++i) {
      idcg += Gain(grades[i]) / std::log2(double(i + 2));
    }
    const double ndcg = idcg != 0.0 ? dcg / idcg : 0.0;
    bool hit[3] = {false, false, false};  // R@1, R@10, R@100
    for (size_t i = 0; i < std::min<size_t>(100, ranked.size()); ++i) {
      if (!positive(ranked[i])) continue;
      if (i < 1) hit[0] = true;
      if (i < 10) hit[1] = true;
      hit[2] = true;
      break;  // the first positive decides all three
    }
    others.clear();
    for (size_t i = 0; i < std::min<size_t>(11, ranked.size()); ++i) {
      if (!positive(ranked[i])) others.push_back(&ranked[i]);
    }
    if (others.size() > 10) others.resize(10);
    const std::optional<double> disc =
        TopicalShare(q.discipline, others, data.doc_discipline);
    const std::optional<double> cat =
        TopicalShare(q.category, others, data.doc_category);

    keys = {&all, &q.type};
    if (q.bigram_coverage && *q.bigram_coverage < 0.5) keys.push_back(&low);
    for (const std::string* key : keys) {
      auto [it, inserted] = acc.try_emplace(*key);
      Accumulator& a = it->second;
      if (inserted) a.order = next_order++;
      a.n += 1;
      a.mrr += rr;
      a.ndcg += ndcg;
      a.r1 += hit[0] ? 1.0 : 0.0;
      a.r10 += hit[1] ? 1.0 : 0.0;
      a.r100 += hit[2] ? 1.0 : 0.0;
      if (disc) {
        a.n_disc += 1;
        a.disc += *disc;
      }
      if (cat) {
        a.n_cat += 1;
        a.cat += *cat;
      }
    }
  }

  std::map<std::string, GroupMetrics> out;
  for (const auto& [key, a] : acc) {
    GroupMetrics m;
    const double n = double(a.n);
    m.n = a.n;
    m.mrr10 = a.mrr / n;
    m.ndcg10 = a.ndcg / n;
    m.r1 = a.r1 / n;
    m.r10 = a.r10 / n;
    m.r100 = a.r100 / n;
    m.n_disc = a.n_disc;
    m.n_cat = a.n_cat;
    if (a.n_disc > 0) m.disc_p10 = a.disc / double(a.n_disc);
    if (a.n_cat > 0) m.cat_p10 = a.cat / double(a.n_cat);
    m.order = a.order;
    out.emplace(key, m);
  }
  return out;
}

Result<EvalData> LoadCslEvalData(const std::string& csl_dir,
                                 const std::string& split) {
  return CatchAll("csl-match data", [&]() -> Result<EvalData> {
    const std::filesystem::path dir(csl_dir);
    EvalData data;

    TECHMATCH_RETURN_IF_ERROR(ForEachJsonLine(
        (dir / "corpus.jsonl").string(),
        [&](const Json& j, const std::string& where) -> Status {
          std::string id, disc, cat;
          TECHMATCH_RETURN_IF_ERROR(RequiredString(j, "id", where, &id));
          TECHMATCH_RETURN_IF_ERROR(OptionalString(j, "discipline", where, &disc));
          TECHMATCH_RETURN_IF_ERROR(OptionalString(j, "category", where, &cat));
          data.doc_discipline[id] = std::move(disc);
          data.doc_category[id] = std::move(cat);
          return Status::OK();
        }));

    TECHMATCH_RETURN_IF_ERROR(ForEachJsonLine(
        (dir / ("queries_" + split + ".jsonl")).string(),
        [&](const Json& j, const std::string& where) -> Status {
          EvalQuery q;
          TECHMATCH_RETURN_IF_ERROR(RequiredString(j, "id", where, &q.id));
          TECHMATCH_RETURN_IF_ERROR(RequiredString(j, "type", where, &q.type));
          data.queries.push_back(std::move(q));
          return Status::OK();
        }));

    TECHMATCH_RETURN_IF_ERROR(ForEachJsonLine(
        (dir / ("qrels_" + split + ".jsonl")).string(),
        [&](const Json& j, const std::string& where) -> Status {
          std::string qid, did;
          TECHMATCH_RETURN_IF_ERROR(RequiredString(j, "query_id", where, &qid));
          TECHMATCH_RETURN_IF_ERROR(RequiredString(j, "doc_id", where, &did));
          auto it = j.find("relevance");
          if (it == j.end() || it->is_null()) {
            return Status::InvalidArgument(where + ": missing \"relevance\"");
          }
          int grade = 0;
          if (it->is_number_integer()) {
            const auto v = it->get<long long>();
            if (v < -1000 || v > 1000) {
              return Status::InvalidArgument(where +
                                             ": \"relevance\" out of range");
            }
            grade = int(v);
          } else if (it->is_number_float() &&
                     std::nearbyint(it->get<double>()) == it->get<double>() &&
                     std::abs(it->get<double>()) <= 1000) {
            grade = int(it->get<double>());
          } else {
            return Status::InvalidArgument(where +
                                           ": \"relevance\" is not an integer");
          }
          data.qrels[qid][did] = grade;
          return Status::OK();
        }));

    std::unordered_map<std::string, Label> labels;
    TECHMATCH_RETURN_IF_ERROR(ForEachJsonLine(
        (dir / ("query_labels_" + split + ".jsonl")).string(),
        [&](const Json& j, const std::string& where) -> Status {
          std::string qid;
          Label l;
          TECHMATCH_RETURN_IF_ERROR(RequiredString(j, "query_id", where, &qid));
          TECHMATCH_RETURN_IF_ERROR(
              OptionalString(j, "discipline", where, &l.discipline));
          TECHMATCH_RETURN_IF_ERROR(
              OptionalString(j, "category", where, &l.category));
          auto it = j.find("bigram_coverage");
          if (it != j.end() && !it->is_null()) {
            if (!it->is_number()) {
              return Status::InvalidArgument(
                  where + ": \"bigram_coverage\" is neither a number nor null");
            }
            l.coverage = it->get<double>();
          }
          labels[qid] = std::move(l);
          return Status::OK();
        }));
    for (EvalQuery& q : data.queries) {
      auto it = labels.find(q.id);
      if (it == labels.end()) continue;
      q.discipline = it->second.discipline;
      q.category = it->second.category;
      q.bigram_coverage = it->second.coverage;
    }
    return data;
  });
}

Result<EvalRun> ReadEvalRun(const std::string& path) {
  return CatchAll("run " + path, [&]() -> Result<EvalRun> {
    EvalRun run;
    auto ends_with = [&](std::string_view suffix) {
      return path.size() >= suffix.size() &&
             path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with(".jsonl") || ends_with(".json")) {
      TECHMATCH_RETURN_IF_ERROR(ForEachJsonLine(
          path, [&](const Json& j, const std::string& where) -> Status {
            std::string qid;
            TECHMATCH_RETURN_IF_ERROR(RequiredString(j, "query_id", where, &qid));
            auto it = j.find("doc_ids");
            if (it == j.end() || !it->is_array()) {
              return Status::InvalidArgument(where +
                                             ": \"doc_ids\" is not an array");
            }
            std::vector<std::string> ids;
            ids.reserve(it->size());
            for (const Json& d : *it) {
              if (!d.is_string()) {
                return Status::InvalidArgument(
                    where + ": \"doc_ids\" holds a non-string");
              }
              ids.push_back(d.get<std::string>());
            }
            run[qid] = std::move(ids);
            return Status::OK();
          }));
      return run;
    }
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return Status::NotFound(path + ": no such file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::IOError(path + ": cannot open: " + std::strerror(errno));
    std::unordered_map<std::string, std::vector<std::pair<long long, std::string>>> tmp;
    std::string line;
    size_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      std::vector<std::string> f;
      size_t i = 0;
      while (true) {
        i = line.find_first_not_of(" \t\r\n\f\v", i);
        if (i == std::string::npos) break;
        size_t e = line.find_first_of(" \t\r\n\f\v", i);
        if (e == std::string::npos) e = line.size();
        f.push_back(line.substr(i, e - i));
        i = e;
      }
      if (f.size() < 5) continue;
      long long rank = 0;
      if (!ParseInt(f[3], &rank)) {
        return Status::InvalidArgument(path + ":" + std::to_string(number) +
                                       ": rank \"" + f[3] +
                                       "\" is not an integer");
      }
      tmp[f[0]].emplace_back(rank, f[2]);
    }
    if (in.bad()) return Status::IOError(path + ": read error");
    for (auto& [qid, v] : tmp) {
      std::stable_sort(v.begin(), v.end());
      std::vector<std::string>& ids = run[qid];
      for (auto& [rank, doc] : v) ids.push_back(std::move(doc));
    }
    return run;
  });
}

std::string FormatRunLine(std::string_view query_id,
                          const std::vector<std::string>& doc_ids) {
  std::string out = "{\"query_id\": " + JsonQuote(query_id) + ", \"doc_ids\": [";
  for (size_t i = 0; i < doc_ids.size(); ++i) {
    if (i > 0) out += ", ";
    out += JsonQuote(doc_ids[i]);
  }
  out += "]}";
  return out;
}

std::string FormatScoreJson(const std::map<std::string, GroupMetrics>& groups) {
  if (groups.empty()) return "{}";
  std::vector<std::pair<const std::string*, const GroupMetrics*>> ordered;
  for (const auto& [key, m] : groups) ordered.emplace_back(&key, &m);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    return a.second->order < b.second->order;
  });
  std::string out = "{";
  for (size_t g = 0; g < ordered.size(); ++g) {
    const GroupMetrics& m = *ordered[g].second;
    out += g == 0 ? "\n " : ",\n ";
    out += JsonQuote(*ordered[g].first) + ": {";
    // evaluate.py's key order: the metrics, n, then the topical ones.
    std::vector<std::pair<const char*, std::string>> fields = {
        {"MRR@10", Round4(m.mrr10)}, {"nDCG@10", Round4(m.ndcg10)},
        {"R@1", Round4(m.r1)},       {"R@10", Round4(m.r10)},
        {"R@100", Round4(m.r100)},   {"n", std::to_string(m.n)}};
    if (m.disc_p10) {
      fields.emplace_back("DiscP@10", Round4(*m.disc_p10));
      fields.emplace_back("n_DiscP@10", std::to_string(m.n_disc));
    }
    if (m.cat_p10) {
      fields.emplace_back("CatP@10", Round4(*m.cat_p10));
      fields.emplace_back("n_CatP@10", std::to_string(m.n_cat));
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      out += i == 0 ? "\n  \"" : ",\n  \"";
      out += fields[i].first;
      out += "\": " + fields[i].second;
    }
    out += "\n }";
  }
  out += "\n}";
  return out;
}

Result<std::map<std::string, std::map<std::string, double>>> ParseScoreJson(
    std::string_view json) {
  using Out = std::map<std::string, std::map<std::string, double>>;
  return CatchAll("score JSON", [&]() -> Result<Out> {
    Json j;
    try {
      j = Json::parse(json.begin(), json.end());
    } catch (const Json::parse_error& e) {
      return Status::InvalidArgument(std::string("score JSON: ") + e.what());
    }
    if (!j.is_object()) {
      return Status::InvalidArgument("score JSON: not an object");
    }
    Out out;
    for (const auto& [group, metrics] : j.items()) {
      if (!metrics.is_object()) {
        return Status::InvalidArgument("score JSON: group \"" + group +
                                       "\" is not an object");
      }
      auto& dst = out[group];
      for (const auto& [name, value] : metrics.items()) {
        if (!value.is_number()) {
          return Status::InvalidArgument("score JSON: " + group + "." + name +
                                         " is not a number");
        }
        dst[name] = value.get<double>();
      }
    }
    return out;
  });
}

}  // namespace techmatch::internal
