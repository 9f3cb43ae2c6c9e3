// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Fusion: the two first-stage lists become one order.

#ifndef TECHMATCH_ENGINE_FUSION_H_
#define TECHMATCH_ENGINE_FUSION_H_

#include <cstddef>
#include <vector>

#include "engine/candidates.h"
#include "techmatch/engine_options.h"

namespace techmatch::internal {

/// True if `a` comes before `b` in fusion order: higher fused score, then
/// smaller doc (a total order, so results never depend on sort details).
bool FusedBefore(const Candidate& a, const Candidate& b);

/// Sets every candidate's `fused` score — kScoreBlend: lexical / the best
/// lexical + dense_weight * dense; kRrf: sum of 1 / (rrf_k + rank + 1)
/// over the lists that found it — and returns the indexes of the best
/// `depth` candidates, best first.
std::vector<size_t> Fuse(const FusionOptions& options, size_t depth,
                         std::vector<Candidate>* candidates);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ENGINE_FUSION_H_
