// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "scoring/features.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <string_view>

#include "index/exact_scan.h"

namespace techmatch::internal {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

size_t CommonSegments(const std::vector<std::string_view>& a,
                      const std::vector<std::string_view>& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

}  // namespace

double CategoryFeature(const std::vector<std::string>& query,
                       const std::vector<std::string>& candidate) {
  double best = 0.0;
  for (const std::string& q : query) {
    const auto qs = Segments(q);
    if (qs.empty()) continue;
    for (const std::string& c : candidate) {
      const auto cs = Segments(c);
      if (cs.empty()) continue;
      const size_t common = CommonSegments(qs, cs);
      const size_t shorter = std::min(qs.size(), cs.size());
      if (common == shorter) return 1.0;  // same path, or one refines the other
      if (common >= 1 && common + 1 >= shorter) best = std::max(best, 0.5);
    }
  }
  return best;
}

double RegionFeature(const std::string& query, const std::string& candidate) {
  if (query.empty() || candidate.empty()) return 0.0;
  const size_t common = CommonSegments(Segments(query), Segments(candidate));
  if (common >= 3) return 1.0;
  if (common == 2) return 0.67;
  if (common == 1) return 0.33;
  return 0.0;
}

double MaturityFeature(std::optional<int> demand_min,
                       std::optional<int> supply) {
  if (!demand_min || !supply) return 0.0;
  if (*supply >= *demand_min) return 1.0;
  return -double(*demand_min - *supply) / 8.0;
}

double PriceFeature(std::optional<double> budget, std::optional<double> price) {
  if (!budget || !price || !(*budget > 0)) return 0.0;
  if (*price <= *budget) return 1.0;
  return -std::min(1.0, (*price - *budget) / *budget);
}

int64_t DaysFromCivil(int year, unsigned month, unsigned day) {
  // Howard Hinnant's days_from_civil.
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = unsigned(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

int64_t TodayDays() {
  using namespace std::chrono;
  return duration_cast<hours>(system_clock::now().time_since_epoch()).count() /
         24;
}

int64_t DaysOf(const std::optional<Date>& today) {
  if (!today || !today->known()) return TodayDays();
  return DaysFromCivil(today->year, today->month == 0 ? 1 : today->month,
                       today->day == 0 ? 1 : today->day);
}

double RecencyFeature(const Date& created, int64_t today_days,
                      double half_life_days) {
  if (!created.known()) return 0.0;
  const int64_t days =
      DaysFromCivil(created.year, created.month == 0 ? 1 : created.month,
                    created.day == 0 ? 1 : created.day);
  const double age = double(today_days - days);
  if (age <= 0) return 1.0;
  return std::exp2(-age / half_life_days);
}

double OverlapShare(const std::vector<uint64_t>& query_keys,
                    const std::vector<uint64_t>& keys) {
  if (query_keys.empty() || keys.empty()) return 0.0;
  size_t i = 0, j = 0, hits = 0;
  while (i < query_keys.size() && j < keys.size()) {
    if (query_keys[i] < keys[j]) {
      ++i;
    } else if (keys[j] < query_keys[i]) {
      ++j;
    } else {
      ++hits, ++i, ++j;
    }
  }
  return double(hits) / double(query_keys.size());
}

double KeywordShare(const std::vector<uint64_t>& query_keys,
                    const std::vector<std::vector<uint64_t>>& keywords) {
  size_t counted = 0, found = 0;
  for (const auto& kw : keywords) {
    if (kw.empty()) continue;
    ++counted;
    bool all = true;
    for (uint64_t k : kw) {
      if (!std::binary_search(query_keys.begin(), query_keys.end(), k)) {
        all = false;
        break;
      }
    }
    found += all ? 1 : 0;
  }
  return counted == 0 ? 0.0 : double(found) / double(counted);
}

std::optional<std::string> InferCategory(
    const std::vector<const std::vector<std::string>*>& votes,
    double min_share) {
  std::map<std::string, size_t> count;
  size_t voters = 0;
  for (const auto* cats : votes) {
    if (cats == nullptr || cats->empty()) continue;
    ++voters;
    std::vector<std::string> distinct(*cats);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()),
                   distinct.end());
    for (const auto& c : distinct) ++count[c];
  }
  const std::string* best = nullptr;
  size_t best_n = 0;
  for (const auto& [cat, n] : count) {
    if (n > best_n) best = &cat, best_n = n;  // ties: the smaller path
  }
  if (best == nullptr || best_n < 2 ||
      double(best_n) < min_share * double(voters)) {
    return std::nullopt;
  }
  return *best;
}

FeatureVector ComputeFeatures(const FeatureQuery& q, const FeatureCandidate& c) {
  FeatureVector f{};
  const Record& r = *c.record;
  f[size_t(Feature::kLexical)] =
      q.max_lexical > 0
          ? std::pow(double(c.lexical) / q.max_lexical, q.lexical_power)
          : 0.0;
  f[size_t(Feature::kDense)] = c.dense;
  f[size_t(Feature::kCentroid)] =
      q.centroid != nullptr && c.vector != nullptr
          ? Dot(c.vector, q.centroid, q.dim)
          : 0.0;
  if (q.keys != nullptr) {
    if (c.title_keys != nullptr) {
      f[size_t(Feature::kTitleOverlap)] = OverlapShare(*q.keys, *c.title_keys);
    }
    if (c.keyword_keys != nullptr) {
      f[size_t(Feature::kKeywordOverlap)] = KeywordShare(*q.keys, *c.keyword_keys);
    }
  }
  f[size_t(Feature::kCategory)] = CategoryFeature(q.categories, r.categories);
  if (q.record != nullptr) {
    f[size_t(Feature::kRegion)] = RegionFeature(q.record->region, r.region);
    // Maturity and price compare a demand with a supply, either way round.
    const Record* demand = q.record->kind == RecordKind::kDemand ? q.record : &r;
    const Record* supply = q.record->kind == RecordKind::kDemand ? &r : q.record;
    if (demand->kind == RecordKind::kDemand && supply->kind == RecordKind::kSupply) {
      f[size_t(Feature::kMaturity)] = MaturityFeature(demand->maturity, supply->maturity);
      f[size_t(Feature::kPrice)] = PriceFeature(demand->price, supply->price);
    }
  }
  f[size_t(Feature::kRecency)] =
      RecencyFeature(r.created, q.today_days, q.recency_half_life_days);
  return f;
}

std::vector<float> Centroid(const std::vector<const float*>& vectors,
                            size_t dim) {
  std::vector<float> c(dim, 0.0f);
  bool any = false;
  for (const float* v : vectors) {
    if (v == nullptr) continue;
    any = true;
    for (size_t j = 0; j < dim; ++j) c[j] += v[j];
  }
  double s = 0;
  for (float x : c) s += double(x) * x;
  if (!any || !(s > 0) || !std::isfinite(s)) return {};
  const float inv = float(1.0 / std::sqrt(s));
  for (float& x : c) x *= inv;
  return c;
}

}  // namespace techmatch::internal
