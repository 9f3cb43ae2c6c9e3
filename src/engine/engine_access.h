// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Read access to an Engine's parts for the benchmarks (which compare the
// engine's dense index with its peers on the engine's own vectors). Not
// part of the public API: programs reach it through the internal target.
//
// Thread safety: the pointers stay valid while the engine lives and no
// writer (Add, Upsert, Remove, Build) runs; the caller ensures that.

#ifndef TECHMATCH_ENGINE_ENGINE_ACCESS_H_
#define TECHMATCH_ENGINE_ENGINE_ACCESS_H_

#include "engine/engine_impl.h"
#include "techmatch/dense_index.h"
#include "techmatch/embedder.h"
#include "techmatch/engine.h"

namespace techmatch::internal {

struct EngineAccess {
  /// The dense index (ids are the engine's document numbers); null before
  /// the first Build().
  static const DenseIndex* Dense(const Engine& engine) {
    return EngineImpl::Of(engine).dense_.get();
  }
  /// The fitted embedder the engine embeds queries with; before the first
  /// Build() an unfitted one.
  static const Embedder* GetEmbedder(const Engine& engine) {
    return EngineImpl::Of(engine).embedder_.get();
  }
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_ENGINE_ENGINE_ACCESS_H_
