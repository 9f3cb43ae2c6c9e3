// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// EngineImpl: the Engine behind Engine::Open / Engine::Load, and its state,
// shared by the engine's .cc files (and, read-only, by the benchmarks
// through the internal target).

#ifndef TECHMATCH_ENGINE_ENGINE_IMPL_H_
#define TECHMATCH_ENGINE_ENGINE_IMPL_H_

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/doc_terms.h"
#include "analysis/synonym_matcher.h"
#include "engine/doc_info.h"
#include "lexical/lexical_index.h"
#include "techmatch/analyzer.h"
#include "techmatch/calibration.h"
#include "techmatch/dense_index.h"
#include "techmatch/embedder.h"
#include "techmatch/engine.h"
#include "util/fair_shared_mutex.h"

namespace techmatch::internal {

/// A record analyzed (and embedded) outside the engine lock.
struct PreparedDoc {
  Record record;
  DocTerms terms;  ///< field-weighted for the lexical stage
  std::vector<uint64_t> title_keys;
  std::vector<std::vector<uint64_t>> keyword_keys;
};

/// Analyzes a record once for indexing: its fields' terms give the
/// lexical counts, the title and keyword keys and (when `vector` is not
/// null and the embedder works from terms) its embedding. Errors name the
/// record.
Status PrepareDoc(const Analyzer& analyzer, const FieldWeights& weights,
                  const Embedder* embedder, const Record& record,
                  PreparedDoc* out, float* vector);

/// The lexical stage's field weights.
FieldWeights LexicalFieldWeights(const LexicalOptions& options);

/// Applies EngineOptions::threads to the embedder and dense index options
/// (one thread setting for the whole engine).
void ApplyEngineThreads(EngineOptions* options);

class EngineImpl final : public Engine {
 public:
  /// The implementation of an Engine (every Engine is one).
  static const EngineImpl& Of(const Engine& engine) {
    return static_cast<const EngineImpl&>(engine);
  }
  static EngineImpl& Of(Engine& engine) { return static_cast<EngineImpl&>(engine); }

  // ---- Engine
  using Engine::Match;
  Status Add(const std::vector<Record>& records,
             const ProgressCallback& progress) override;
  Status Upsert(const std::vector<Record>& records,
                const ProgressCallback& progress) override;
  Status Add(const std::vector<Record>& records, VectorView vectors,
             const ProgressCallback& progress) override;
  Status Upsert(const std::vector<Record>& records, VectorView vectors,
                const ProgressCallback& progress) override;
  Status Remove(const std::vector<RecordKey>& keys) override;
  Status Build(const ProgressCallback& progress) override;
  Result<MatchResult> Match(const MatchQuery& query,
                            const MatchOptions& options) const override;
  Result<std::vector<MatchResult>> MatchBatch(const std::vector<MatchQuery>& queries,
                                              const MatchOptions& options,
                                              int threads) const override;
  Status SetSynonyms(const SynonymList& synonyms) override;
  Status SetConfidenceCalibration(const ConfidenceCalibration& calibration) override;
  ConfidenceCalibration confidence_calibration() const override;
  Status SetScorer(const Scorer& scorer) override;
  std::unique_ptr<Scorer> scorer() const override;
  ScorerWeights weights() const override;
  Result<Record> Get(const RecordKey& key) const override;
  bool Contains(const RecordKey& key) const override;
  std::vector<RecordKey> Keys(RecordKind kind) const override;
  size_t size() const override;
  EngineStats stats() const override;
  EngineOptions options() const override;
  Status Save(const std::string& dir) const override;

  // ---- state (every field is guarded by `mu_`; writers also hold
  // `writer_mu_`, so a writer may read it without `mu_`)
  EngineOptions options_;  // dictionary / stopword files inlined at Open
  std::shared_ptr<const Analyzer> analyzer_;
  FieldWeights field_weights_;  // the lexical stage's
  std::unique_ptr<Embedder> embedder_;
  /// Null before the first Build() (created at Open with an External
  /// embedder, whose vectors arrive with the records).
  std::unique_ptr<DenseIndex> dense_;
  std::array<std::unique_ptr<LexicalIndex>, 2> lexical_;  // by kind
  std::vector<DocInfo> docs_;                            // by doc id
  std::array<std::unordered_map<std::string, uint32_t>, 2> ids_;  // by kind
  std::array<size_t, 2> live_{0, 0};
  std::unique_ptr<Scorer> scorer_;
  /// Query-time synonyms (SetSynonyms); null: none. Not in snapshots.
  std::shared_ptr<const SynonymMatcher> synonyms_;
  /// MatchResult::confidence from raw_confidence; empty: none. Saved (CALB).
  ConfidenceCalibration calibration_;
  bool built_ = false;
  // EngineStats' build_*_seconds of the first Build() in this process.
  double build_fit_s_ = 0, build_embed_s_ = 0, build_index_s_ = 0;

  /// Readers (Match) share it; writers hold it exclusively only to apply.
  mutable FairSharedMutex mu_;
  /// Serializes writers, so a writer may read the state without `mu`
  /// while it prepares a batch (only writers change it).
  mutable std::mutex writer_mu_;

  /// Doc id of a live record, or -1.
  int64_t Find(const RecordKey& key) const {
    const auto& map = ids_[KindIndex(key.kind)];
    auto it = map.find(key.id);
    return it == map.end() ? -1 : int64_t(it->second);
  }
  bool external() const {
    return options_.embedder.kind == EmbedderKind::kExternal;
  }

  /// Add and Upsert; `vectors` is empty unless the embedder is External.
  Status Write(const std::vector<Record>& records, VectorView vectors,
               bool upsert, const ProgressCallback& progress);
  /// Applies prepared records (exclusive lock held): removes the docs in
  /// `replaced` first, then appends. `vectors` holds dim floats per
  /// prepared doc (or is empty before the first Build()).
  Status Apply(std::vector<PreparedDoc>&& prepared,
               const std::vector<float>& vectors,
               const std::vector<uint32_t>& replaced);
  /// Removes one live doc from every structure (exclusive lock held).
  /// `compact`: let the lexical index compact now if due (Apply defers it
  /// until its prepared postings batches are committed).
  Status RemoveDoc(uint32_t doc, bool compact = true);
  /// The first Build(): fit, embed, index (engine_build.cc).
  Status FirstBuild(const ProgressCallback& progress);

  /// The match pipeline (engine_match.cc; shared lock held).
  Status MatchOne(const MatchQuery& query, const MatchOptions& options,
                  MatchResult* out) const;

  Status SaveTo(const std::string& dir) const;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_ENGINE_ENGINE_IMPL_H_
