// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "engine/rerank.h"

#include <algorithm>

#include "engine/fusion.h"

namespace techmatch::internal {

FeatureQuery MakeFeatureQuery(const QueryView& q,
                              const std::vector<Candidate>& candidates,
                              const std::vector<size_t>& order,
                              const std::vector<DocInfo>& docs,
                              const ScorerOptions& options, int64_t today_days,
                              size_t dim, std::vector<float>* centroid,
                              std::optional<std::string>* inferred) {
  FeatureQuery fq;
  fq.keys = &q.keys;
  fq.record = q.record;
  fq.dim = dim;
  fq.today_days = today_days;
  fq.lexical_power = options.lexical_power;
  fq.recency_half_life_days = options.recency_half_life_days;
  // The lexical feature's scale: the best BM25 among all the candidates.
  for (const Candidate& c : candidates) fq.max_lexical = std::max(fq.max_lexical, c.lexical);
  std::vector<const float*> vectors;
  std::vector<const std::vector<std::string>*> votes;
  for (size_t r = 0; r < order.size() && r < options.centroid_depth; ++r) {
    const Candidate& c = candidates[order[r]];
    vectors.push_back(c.vector);
    votes.push_back(&docs[c.doc].record.categories);
  }
  *centroid = Centroid(vectors, dim);
  fq.centroid = centroid->empty() ? nullptr : centroid->data();
  inferred->reset();
  if (q.record != nullptr) fq.categories = q.record->categories;
  if (fq.categories.empty() && options.infer_category) {
    *inferred = InferCategory(votes, 0.4);
    if (*inferred) fq.categories.push_back(**inferred);
  }
  return fq;
}

void ScoreCandidates(const FeatureQuery& query, const Scorer& scorer,
                     const std::vector<DocInfo>& docs,
                     const std::vector<size_t>& order,
                     std::vector<Candidate>* candidates) {
  for (size_t i : order) {
    Candidate& c = (*candidates)[i];
    const DocInfo& d = docs[c.doc];
    FeatureCandidate fc;
    fc.record = &d.record;
    fc.lexical = c.lexical;
    fc.dense = c.dense;
    fc.vector = c.vector;
    fc.title_keys = &d.title_keys;
    fc.keyword_keys = &d.keyword_keys;
    c.features = ComputeFeatures(query, fc);
    c.score = scorer.Score(c.features);
  }
}

void RankByScore(const std::vector<Candidate>& cands, size_t k,
                 std::vector<size_t>* order) {
  std::sort(order->begin(), order->end(), [&](size_t a, size_t b) {
    if (cands[a].score != cands[b].score) return cands[a].score > cands[b].score;
    return FusedBefore(cands[a], cands[b]);
  });
  if (order->size() > k) order->resize(k);
}

}  // namespace techmatch::internal
