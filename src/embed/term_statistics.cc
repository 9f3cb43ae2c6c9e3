// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "embed/term_statistics.h"

#include <algorithm>
#include <cmath>

namespace techmatch::internal {

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

void TermStatistics::Count(const DocTerms& doc) {
  ++num_docs_;
  for (const auto& [key, tf] : doc.terms) ++counts_[key];
}

void TermStatistics::Merge(TermStatistics&& other) {
  num_docs_ += other.num_docs_;
  if (counts_.empty()) {
    counts_ = std::move(other.counts_);
  } else {
    for (auto& [key, df] : other.counts_) counts_[key] += df;
  }
  other.counts_.clear();
}

void TermStatistics::Finalize() {
  const double max_df = double(options_.max_df_ratio) * double(num_docs_);
  std::vector<std::pair<uint64_t, uint32_t>> kept;
  kept.reserve(counts_.size());
  for (auto& [key, df] : counts_) {
    if (df < options_.min_df || double(df) > max_df) continue;
    if (options_.kind_weight[int(TermKeyKind(key))] <= 0) continue;
    kept.emplace_back(key, df);
  }
  counts_.clear();
  counts_.rehash(0);
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  keys_.clear();
  df_.clear();
  idf_.clear();
  ids_.clear();
  ids_.reserve(kept.size());
  for (const auto& [key, df] : kept) {
    ids_.emplace(key, uint32_t(keys_.size()));
    keys_.push_back(key);
    df_.push_back(df);
    idf_.push_back(float(std::log((1.0 + double(num_docs_)) / (1.0 + df)) + 1.0));
  }
  finalized_ = true;
}

int64_t TermStatistics::Id(uint64_t key) const {
  auto it = ids_.find(key);
  return it == ids_.end() ? -1 : int64_t(it->second);
}

void TermStatistics::Vectorize(const DocTerms& doc, SparseVector* out) const {
  out->clear();
  double norm2 = 0;
  for (const auto& [key, tf] : doc.terms) {
    auto it = ids_.find(key);
    if (it == ids_.end() || !(tf > 0)) continue;
    uint32_t id = it->second;
    // 1 + ln(tf) from tf = 1 on; below one (a field weight under one) the
    // weight stays linear, so it never turns negative.
    float w = options_.sublinear_tf && tf > 1.0f ? 1.0f + std::log(tf) : tf;
    w *= idf_[id] * options_.kind_weight[int(TermKeyKind(key))];
    out->emplace_back(id, w);
    norm2 += double(w) * w;
  }
  if (norm2 > 0) {
    float inv = float(1.0 / std::sqrt(norm2));
    for (auto& p : *out) p.second *= inv;
  }
  std::sort(out->begin(), out->end());
}

}  // namespace techmatch::internal
