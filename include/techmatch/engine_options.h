// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// EngineOptions: how an Engine analyzes, indexes, fuses and scores.

#ifndef TECHMATCH_ENGINE_OPTIONS_H_
#define TECHMATCH_ENGINE_OPTIONS_H_

#include <cstddef>
#include <string>

#include "techmatch/analyzer.h"
#include "techmatch/dense_index.h"
#include "techmatch/embedder.h"
#include "techmatch/export.h"
#include "techmatch/lexical_options.h"
#include "techmatch/scorer.h"
#include "techmatch/status.h"

namespace techmatch {

/// How the two first-stage lists become one candidate list.
enum class FusionMethod : uint8_t {
  kScoreBlend = 0,  ///< lexical / max lexical + dense_weight * cosine
  kRrf = 1,         ///< reciprocal rank fusion, 1 / (rrf_k + rank) summed
};

struct TECHMATCH_EXPORT_CLASS FusionOptions {
  /// Default kScoreBlend: on csl-match, RRF with the weaker dense list
  /// pushes right answers down (docs/engine.md has the measurements).
  FusionMethod method = FusionMethod::kScoreBlend;
  double dense_weight = 0.3;  ///< kScoreBlend. Default 0.3; >= 0.
  double rrf_k = 60.0;        ///< kRrf. Default 60; > 0.
  /// First-stage depths (MatchOptions may override per call).
  size_t lexical_k = 100;  ///< Default 100; 0 turns the lexical stage off.
  size_t dense_k = 50;     ///< Default 50; 0 turns the dense stage off.
  /// Fused candidates passed to the scorer. Default 100; >= 1.
  size_t rerank_depth = 100;

  Status Validate() const;
};

/// Everything an Engine is configured with. Saved with its snapshots.
struct TECHMATCH_EXPORT_CLASS EngineOptions {
  AnalyzerOptions analyzer;
  EmbedderOptions embedder;  ///< default: LSA, 256 dimensions
  DenseIndexOptions dense;   ///< dense.dim comes from the embedder (leave 0)
  LexicalOptions lexical;
  FusionOptions fusion;
  ScorerOptions scorer;
  /// Worker threads for Add/Build/MatchBatch; 0 (default) = all cores.
  int threads = 0;

  /// OK, or InvalidArgument naming the bad field ("fusion.dense_k: ...").
  Status Validate() const;
};

}  // namespace techmatch

#endif  // TECHMATCH_ENGINE_OPTIONS_H_
