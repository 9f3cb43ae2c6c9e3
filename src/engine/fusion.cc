// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "engine/fusion.h"

#include <algorithm>

namespace techmatch::internal {

bool FusedBefore(const Candidate& a, const Candidate& b) {
  if (a.fused != b.fused) return a.fused > b.fused;
  return a.doc < b.doc;
}

std::vector<size_t> Fuse(const FusionOptions& o, size_t depth,
                         std::vector<Candidate>* candidates) {
  std::vector<Candidate>& cands = *candidates;
  float max_lexical = 0;
  for (const Candidate& c : cands) max_lexical = std::max(max_lexical, c.lexical);
  for (Candidate& c : cands) {
    if (o.method == FusionMethod::kRrf) {
      c.fused = (c.lexical_rank >= 0 ? 1.0 / (o.rrf_k + c.lexical_rank + 1) : 0) +
                (c.dense_rank >= 0 ? 1.0 / (o.rrf_k + c.dense_rank + 1) : 0);
    } else {
      c.fused = (max_lexical > 0 ? c.lexical / max_lexical : 0.0) +
                o.dense_weight * c.dense;
    }
  }
  std::vector<size_t> order(cands.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return FusedBefore(cands[a], cands[b]); });
  if (order.size() > depth) order.resize(depth);
  return order;
}

}  // namespace techmatch::internal
