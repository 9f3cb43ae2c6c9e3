// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/filter.h"

#include <algorithm>

namespace techmatch {

bool PathHasPrefix(const std::string& path, const std::string& prefix) {
  if (prefix.empty()) return true;
  if (path.size() < prefix.size()) return false;
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

bool PathMatchesFilter(const std::string& path, const std::string& prefix) {
  // A plain byte prefix is exactly the rule: the prefix's '/'s must sit at
  // the path's, so every segment before its last is whole, and only the
  // last may end inside a path segment (on a character boundary, both
  // being valid UTF-8).
  return path.compare(0, prefix.size(), prefix) == 0;
}

Status RecordFilter::Validate() const {
  if (min_maturity && (*min_maturity < 1 || *min_maturity > 9)) {
    return Status::InvalidArgument("filter: min_maturity must be in 1..9");
  }
  if (max_maturity && (*max_maturity < 1 || *max_maturity > 9)) {
    return Status::InvalidArgument("filter: max_maturity must be in 1..9");
  }
  if (min_maturity && max_maturity && *min_maturity > *max_maturity) {
    return Status::InvalidArgument("filter: min_maturity > max_maturity");
  }
  for (const auto* list : {&category_prefixes, &region_prefixes}) {
    for (const std::string& p : *list) {
      if (p.empty() || p.front() == '/' || p.back() == '/') {
        return Status::InvalidArgument("filter: bad path prefix \"" + p + "\"");
      }
    }
  }
  for (const auto& [k, v] : attributes) {
    if (k.empty()) return Status::InvalidArgument("filter: empty attribute name");
  }
  return Status::OK();
}

bool RecordFilter::Matches(const Record& r) const {
  if (kind && r.kind != *kind) return false;
  if (!category_prefixes.empty()) {
    bool any = false;
    for (const std::string& c : r.categories) {
      for (const std::string& p : category_prefixes) any = any || PathMatchesFilter(c, p);
    }
    if (!any) return false;
  }
  if (!region_prefixes.empty()) {
    bool any = false;
    for (const std::string& p : region_prefixes) {
      any = any || (!r.region.empty() && PathMatchesFilter(r.region, p));
    }
    if (!any) return false;
  }
  if ((min_maturity || max_maturity) && !r.maturity) return false;
  if (min_maturity && *r.maturity < *min_maturity) return false;
  if (max_maturity && *r.maturity > *max_maturity) return false;
  for (const auto& [k, v] : attributes) {
    auto it = r.attributes.find(k);
    if (it == r.attributes.end() || it->second != v) return false;
  }
  if (!ids.empty() && std::find(ids.begin(), ids.end(), r.id) == ids.end()) {
    return false;
  }
  return true;
}

}  // namespace techmatch
