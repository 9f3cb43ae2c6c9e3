// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Validation of the engine's option structs; TextField names.

#include <cmath>
#include <cstdio>
#include <string>

#include "techmatch/engine_options.h"
#include "techmatch/fit.h"
#include "techmatch/match.h"
#include "techmatch/scorer.h"
#include "util/format_number.h"

namespace techmatch {
namespace {

Status Bad(const std::string& field, const std::string& why, double got) {
  return Status::InvalidArgument(field + ": " + why + ", got " + internal::FormatNumber(got));
}

}  // namespace

const char* TextFieldName(TextField field) {
  switch (field) {
    case TextField::kTitle:
      return "title";
    case TextField::kKeywords:
      return "keywords";
    case TextField::kText:
      return "text";
  }
  return "unknown";
}

Status FusionOptions::Validate() const {
  if (!(dense_weight >= 0) || !std::isfinite(dense_weight)) {
    return Bad("fusion.dense_weight", "must be >= 0", dense_weight);
  }
  if (!(rrf_k > 0) || !std::isfinite(rrf_k)) {
    return Bad("fusion.rrf_k", "must be > 0", rrf_k);
  }
  if (method != FusionMethod::kScoreBlend && method != FusionMethod::kRrf) {
    return Bad("fusion.method", "unknown method", double(method));
  }
  if (lexical_k == 0 && dense_k == 0) {
    return Bad("fusion.lexical_k", "and dense_k must not both be 0", 0);
  }
  if (rerank_depth < 1) return Bad("fusion.rerank_depth", "must be >= 1", 0);
  return Status::OK();
}

Status EngineOptions::Validate() const {
  TECHMATCH_RETURN_IF_ERROR(analyzer.Validate().WithContext("analyzer"));
  TECHMATCH_RETURN_IF_ERROR(embedder.Validate().WithContext("embedder"));
  if (dense.dim != 0) {
    return Bad("dense.dim", "is taken from the embedder: leave it 0",
               double(dense.dim));
  }
  DenseIndexOptions probe = dense;
  probe.dim = embedder.dim > 0 ? embedder.dim : 1;
  TECHMATCH_RETURN_IF_ERROR(probe.Validate().WithContext("dense"));
  TECHMATCH_RETURN_IF_ERROR(lexical.Validate());
  TECHMATCH_RETURN_IF_ERROR(fusion.Validate());
  TECHMATCH_RETURN_IF_ERROR(scorer.Validate());
  if (threads < 0) return Bad("threads", "must be >= 0", threads);
  return Status::OK();
}

Status MatchOptions::Validate() const {
  if (k < 1 || k > 10000) return Bad("match.k", "must be in 1..10000", double(k));
  TECHMATCH_RETURN_IF_ERROR(filter.Validate().WithContext("match.filter"));
  if (lexical_k && dense_k && *lexical_k == 0 && *dense_k == 0) {
    return Bad("match.lexical_k", "and dense_k must not both be 0", 0);
  }
  if (weights) TECHMATCH_RETURN_IF_ERROR(weights->Validate().WithContext("match"));
  if (nprobe < 0) return Bad("match.nprobe", "must be >= 0", nprobe);
  if (ef_search < 0) return Bad("match.ef_search", "must be >= 0", ef_search);
  if (!(synonym_weight >= 0 && synonym_weight <= 10)) {
    return Bad("match.synonym_weight", "must be in 0..10", synonym_weight);
  }
  return Status::OK();
}

Status FitOptions::Validate() const {
  if (!(l2 >= 0) || !std::isfinite(l2)) return Bad("fit.l2", "must be >= 0", l2);
  if (depth < 2) return Bad("fit.depth", "must be >= 2", double(depth));
  if (max_iterations < 1) {
    return Bad("fit.max_iterations", "must be >= 1", max_iterations);
  }
  if (threads < 0) return Bad("fit.threads", "must be >= 0", threads);
  return Status::OK();
}

}  // namespace techmatch
