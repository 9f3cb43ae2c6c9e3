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
  /// Replaces the options that act at match time only — the BM25 query's
  /// term-kind weights, the fusion's dense weight, the lexical feature's
  /// power — without a rebuild (the cross-validated tuning of
  /// techmatch-bench quality). Callers pass valid values; no match may
  /// run meanwhile.
  static void SetMatchTimeOptions(Engine& engine, double word_weight, double unigram_weight,
                                  double bigram_weight, double fusion_dense_weight,
                                  double lexical_power) {
    EngineImpl& e = EngineImpl::Of(engine);
    e.options_.lexical.word_weight = word_weight;
    e.options_.lexical.unigram_weight = unigram_weight;
    e.options_.lexical.bigram_weight = bigram_weight;
    for (auto& index : e.lexical_) {
      if (index) index->SetQueryKindWeights(word_weight, unigram_weight, bigram_weight);
    }
    e.options_.fusion.dense_weight = fusion_dense_weight;
    e.options_.scorer.lexical_power = lexical_power;
  }
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_ENGINE_ENGINE_ACCESS_H_
