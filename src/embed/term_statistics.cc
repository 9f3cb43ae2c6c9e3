// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "embed/term_statistics.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "io/coding.h"

namespace techmatch::internal {

namespace {
constexpr uint32_t kMissing = ~uint32_t{0};
}  // namespace

Status TermStatisticsOptions::Validate() const {
  for (float w : kind_weight) {
    if (!(w >= 0) || !std::isfinite(w)) {
      return Status::InvalidArgument("term kind weights must be finite and >= 0");
    }
  }
  if (!(max_df_ratio > 0 && max_df_ratio <= 1)) {
    return Status::InvalidArgument("max_df_ratio must be in (0, 1]");
  }
  return Status::OK();
}

TermStatistics::TermStatistics(const TermStatisticsOptions& options)
    : options_(options) {}

void TermStatistics::AddCount(uint64_t key, uint32_t df) {
  // Room first: once the key is in the map, its slot must exist.
  if (count_keys_.size() == count_keys_.capacity()) {
    const size_t cap = std::max<size_t>(16, 2 * count_keys_.capacity());
    count_keys_.reserve(cap);
    count_df_.reserve(cap);
  }
  const uint32_t fresh = uint32_t(count_keys_.size());
  const uint32_t slot = count_slots_.Insert(key, fresh);
  if (slot == fresh) {
    count_keys_.push_back(key);
    count_df_.push_back(0);
  }
  count_df_[slot] += df;
}

void TermStatistics::Count(const DocTerms& doc) {
  ++num_docs_;
  for (const auto& [key, tf] : doc.terms) {
    // Analyzed keys carry their kind (0..2) in the top two bits; kind 3
    // (which kEmpty would be) is no term.
    if (TermKeyKind(key) <= TermKind::kBigram) AddCount(key, 1);
  }
}

void TermStatistics::Merge(TermStatistics&& other) {
  num_docs_ += other.num_docs_;
  if (count_keys_.empty()) {
    count_slots_ = std::move(other.count_slots_);
    count_keys_ = std::move(other.count_keys_);
    count_df_ = std::move(other.count_df_);
  } else {
    for (size_t i = 0; i < other.count_keys_.size(); ++i) {
      AddCount(other.count_keys_[i], other.count_df_[i]);
    }
  }
  other.count_slots_ = U64Map();
  other.count_keys_ = std::vector<uint64_t>();
  other.count_df_ = std::vector<uint32_t>();
}

void TermStatistics::Finalize() {
  const double max_df = double(options_.max_df_ratio) * double(num_docs_);
  std::vector<std::pair<uint64_t, uint32_t>> kept;
  kept.reserve(count_keys_.size());
  for (size_t i = 0; i < count_keys_.size(); ++i) {
    const uint64_t key = count_keys_[i];
    const uint32_t df = count_df_[i];
    if (df < options_.min_df || double(df) > max_df) continue;
    if (options_.kind_weight[int(TermKeyKind(key))] <= 0) continue;
    kept.emplace_back(key, df);
  }
  count_slots_ = U64Map();
  count_keys_ = std::vector<uint64_t>();
  count_df_ = std::vector<uint32_t>();
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  keys_.clear();
  df_.clear();
  idf_.clear();
  ids_ = U64Map(kept.size());
  for (const auto& [key, df] : kept) {
    ids_.Insert(key, uint32_t(keys_.size()));
    keys_.push_back(key);
    df_.push_back(df);
    idf_.push_back(float(std::log((1.0 + double(num_docs_)) / (1.0 + df)) + 1.0));
  }
  finalized_ = true;
}

int64_t TermStatistics::Id(uint64_t key) const {
  uint32_t id = ids_.Find(key, kMissing);
  return id == kMissing ? -1 : int64_t(id);
}

void TermStatistics::Vectorize(const DocTerms& doc, SparseVector* out) const {
  out->clear();
  // Sum the counts per term id in a per-thread dense scratch array (one
  // float per vocabulary term, reset after use): no sorting, no hashing of
  // the document's own terms.
  thread_local std::vector<float> tf;
  if (tf.size() < keys_.size()) tf.assign(keys_.size(), 0.0f);
  for (const auto& [key, count] : doc.terms) {
    uint32_t id = ids_.Find(key, kMissing);
    if (id == kMissing || !(count > 0)) continue;
    if (tf[id] == 0.0f) out->emplace_back(id, 0.0f);
    tf[id] += count;
  }
  double norm2 = 0;
  for (auto& [id, w] : *out) {
    float t = tf[id];
    tf[id] = 0.0f;
    // 1 + ln(tf) from tf = 1 on; below one (a field weight under one) the
    // weight stays linear, so it never turns negative.
    w = options_.sublinear_tf && t > 1.0f ? 1.0f + std::log(t) : t;
    w *= idf_[id] * options_.kind_weight[int(TermKeyKind(keys_[id]))];
    norm2 += double(w) * w;
  }
  if (norm2 > 0) {
    float inv = float(1.0 / std::sqrt(norm2));
    for (auto& p : *out) p.second *= inv;
  }
}

namespace {
constexpr uint32_t kStatsVersion = 1;
}  // namespace

void TermStatistics::Save(std::string* out) const {
  PutFixed32(out, kStatsVersion);
  for (float w : options_.kind_weight) PutFloat(out, w);
  PutFixed32(out, options_.min_df);
  PutFloat(out, options_.max_df_ratio);
  out->push_back(options_.sublinear_tf ? 1 : 0);
  PutFixed64(out, num_docs_);
  PutVarint64(out, keys_.size());
  PutFixed64s(out, keys_.data(), keys_.size());
  for (uint32_t df : df_) PutVarint32(out, df);
  PutFloats(out, idf_.data(), idf_.size());
}

Result<TermStatistics> TermStatistics::Load(std::string_view bytes) {
  Decoder in(bytes);
  uint32_t version = 0;
  if (!in.ReadFixed32(&version)) return in.Corruption("term statistics");
  if (version != kStatsVersion) {
    return Status::NotSupported("term statistics version " +
                                std::to_string(version) + " (this build reads " +
                                std::to_string(kStatsVersion) + ")");
  }
  TermStatisticsOptions opt;
  uint8_t sublinear = 0;
  for (float& w : opt.kind_weight) in.ReadFloat(&w);
  in.ReadFixed32(&opt.min_df);
  in.ReadFloat(&opt.max_df_ratio);
  in.ReadFixed8(&sublinear);
  opt.sublinear_tf = sublinear != 0;
  TermStatistics stats(opt);
  uint64_t n = 0;
  in.ReadFixed64(&stats.num_docs_);
  if (!in.ReadCount(&n, sizeof(uint64_t) + 1 + sizeof(float))) {
    return in.Corruption("term statistics");
  }
  if (!opt.Validate().ok() || sublinear > 1) {
    return in.Corruption("term statistics: options");
  }
  stats.keys_.resize(n);
  stats.df_.resize(n);
  stats.idf_.resize(n);
  in.ReadFixed64s(stats.keys_.data(), n);
  for (uint64_t i = 0; i < n; ++i) in.ReadVarint32(&stats.df_[i]);
  in.ReadFloats(stats.idf_.data(), n);
  TECHMATCH_RETURN_IF_ERROR(in.ExpectEnd("term statistics"));
  stats.ids_ = U64Map(n);
  for (uint64_t i = 0; i < n; ++i) {
    if (stats.keys_[i] == U64Map::kEmpty ||
        stats.ids_.Insert(stats.keys_[i], uint32_t(i)) != uint32_t(i)) {
      return Status::Corruption("term statistics: duplicate term key");
    }
    if (stats.df_[i] > stats.num_docs_ || !std::isfinite(stats.idf_[i])) {
      return Status::Corruption("term statistics: inconsistent df/idf");
    }
  }
  stats.finalized_ = true;
  return stats;
}

}  // namespace techmatch::internal
