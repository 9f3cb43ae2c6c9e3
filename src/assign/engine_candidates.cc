// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "assign/engine_candidates.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

namespace techmatch::internal {
namespace {

// Queries per MatchBatch call: results are consumed (and the time limit
// checked) chunk by chunk instead of after the whole fair.
constexpr size_t kChunk = 1024;

std::string DemandName(const Record& r) { return "demand \"" + r.id + "\""; }

}  // namespace

Status CollectDemands(const Engine& engine, const AssignDemands& demands,
                      std::vector<Record>* out) {
  out->clear();
  std::vector<std::string> stored;
  if (demands.all_stored) {
    // Sorted by id (byte order): the fair does not depend on the order the
    // demands were added in.
    for (const RecordKey& key : engine.Keys(RecordKind::kDemand)) stored.push_back(key.id);
    std::sort(stored.begin(), stored.end());
  }
  stored.insert(stored.end(), demands.ids.begin(), demands.ids.end());
  std::unordered_set<std::string> seen;
  for (const std::string& id : stored) {
    if (!seen.insert(id).second) {
      return Status::InvalidArgument("assign: demand \"" + id + "\" given twice");
    }
    auto record = engine.Get(RecordKey{RecordKind::kDemand, id});
    if (!record.ok()) {
      return Status::NotFound("assign: demand \"" + id + "\" is not stored in the engine");
    }
    out->push_back(std::move(*record));
  }
  for (const Record& r : demands.records) {
    if (r.id.empty()) return Status::InvalidArgument("assign: a demand record has no id");
    if (!seen.insert(r.id).second) {
      return Status::InvalidArgument("assign: " + DemandName(r) + " given twice");
    }
    out->push_back(r);
    out->back().kind = RecordKind::kDemand;
  }
  return Status::OK();
}

MatchOptions CandidateMatchOptions(const AssignOptions& options, bool explain) {
  MatchOptions m;
  m.k = options.k;
  m.target = RecordKind::kSupply;
  m.filter = options.filter;
  m.filter.kind = RecordKind::kSupply;
  m.explain = explain;
  m.max_explained_terms = explain ? options.explained_terms : 0;
  return m;
}

Status MatchInChunks(const Engine& engine, const std::vector<Record>& demands,
                     const std::vector<uint8_t>& wanted, const MatchOptions& match,
                     int threads, bool limited,
                     std::chrono::steady_clock::time_point deadline,
                     const std::function<void(size_t, MatchResult&&)>& sink, size_t* reached) {
  *reached = 0;
  std::vector<size_t> order;
  for (size_t i = 0; i < demands.size(); ++i) {
    if (wanted.empty() || wanted[i]) order.push_back(i);
  }
  for (size_t begin = 0; begin < order.size(); begin += kChunk) {
    if (limited && std::chrono::steady_clock::now() >= deadline) return Status::OK();
    const size_t end = std::min(order.size(), begin + kChunk);
    std::vector<MatchQuery> batch;
    batch.reserve(end - begin);
    for (size_t j = begin; j < end; ++j) {
      MatchQuery q;
      q.id = demands[order[j]].id;
      q.record = &demands[order[j]];
      batch.push_back(std::move(q));
    }
    auto results = engine.MatchBatch(batch, match, threads);
    if (!results.ok()) return results.status().WithContext("assign: matching the demands");
    for (size_t j = begin; j < end; ++j) sink(order[j], std::move((*results)[j - begin]));
    *reached = end;
  }
  return Status::OK();
}

Status UintAttribute(const Record& record, const std::string& name, uint32_t fallback,
                     uint32_t* out) {
  *out = fallback;
  if (name.empty()) return Status::OK();
  auto it = record.attributes.find(name);
  if (it == record.attributes.end()) return Status::OK();
  const std::string& v = it->second;
  uint64_t value = 0;
  bool ok = !v.empty() && v.size() <= 9;
  for (char c : v) {
    ok = ok && c >= '0' && c <= '9';
    value = value * 10 + uint64_t(c - '0');
  }
  if (!ok) {
    return Status::InvalidArgument(std::string(RecordKindName(record.kind)) + " \"" + record.id +
                                   "\": attribute \"" + name + "\" = \"" + v +
                                   "\" is not a non-negative integer (< 10^9)");
  }
  *out = uint32_t(value);
  return Status::OK();
}

std::string ShortTitle(const Record& record) {
  if (!record.title.empty()) return record.title;
  constexpr size_t kChars = 40;
  size_t chars = 0, i = 0;
  const std::string& t = record.text;
  for (; i < t.size(); ++i) {
    if ((static_cast<unsigned char>(t[i]) & 0xC0) != 0x80 && chars++ == kChars) break;
  }
  return i < t.size() ? t.substr(0, i) + "…" : t;
}

}  // namespace techmatch::internal
