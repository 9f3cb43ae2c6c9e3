// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The match pipeline's second stage: the fused candidates get their
// features (scoring/features.h) and the scorer's score, and are ranked.

#ifndef TECHMATCH_ENGINE_RERANK_H_
#define TECHMATCH_ENGINE_RERANK_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/candidates.h"
#include "engine/doc_info.h"
#include "engine/match_query.h"
#include "scoring/features.h"
#include "techmatch/scorer.h"

namespace techmatch::internal {

/// The query side of the features for candidates `order` (fusion order):
/// the centroid of the first `centroid_depth` candidates' vectors (kept in
/// *centroid, which must outlive the result), and the query's categories —
/// its record's own, or (`infer_category`) the one most of those
/// candidates hold, returned in *inferred.
FeatureQuery MakeFeatureQuery(const QueryView& q,
                              const std::vector<Candidate>& candidates,
                              const std::vector<size_t>& order,
                              const std::vector<DocInfo>& docs,
                              const ScorerOptions& options, int64_t today_days,
                              size_t dim, std::vector<float>* centroid,
                              std::optional<std::string>* inferred);

/// Fills the features and the score of the candidates in `order`.
void ScoreCandidates(const FeatureQuery& query, const Scorer& scorer,
                     const std::vector<DocInfo>& docs,
                     const std::vector<size_t>& order,
                     std::vector<Candidate>* candidates);

/// Sorts `order` by score (ties in fusion order) and keeps the best k.
void RankByScore(const std::vector<Candidate>& candidates, size_t k,
                 std::vector<size_t>* order);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ENGINE_RERANK_H_
