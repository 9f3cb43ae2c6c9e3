// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Engine::Impl: the engine's state, shared by engine*.cc.

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

#include "embed/doc_terms.h"
#include "lexical/lexical_index.h"
#include "techmatch/analyzer.h"
#include "techmatch/dense_index.h"
#include "techmatch/embedder.h"
#include "techmatch/engine.h"
#include "util/fair_shared_mutex.h"

namespace techmatch {
namespace internal {

/// A stored record and what matching needs of it without re-analysis.
struct DocInfo {
  Record record;
  bool live = false;
  bool has_vector = false;  ///< in the dense index
  /// Distinct term keys of the title, sorted (title-overlap feature).
  std::vector<uint64_t> title_keys;
  /// Per keyword, its distinct term keys, sorted (keyword-overlap feature).
  std::vector<std::vector<uint64_t>> keyword_keys;
};

/// A record analyzed (and embedded) outside the engine lock.
struct PreparedDoc {
  Record record;
  DocTerms terms;
  std::vector<uint64_t> title_keys;
  std::vector<std::vector<uint64_t>> keyword_keys;
};

inline size_t KindIndex(RecordKind kind) { return size_t(kind); }

/// Sorted distinct keys of a term list.
std::vector<uint64_t> DistinctKeys(const std::vector<Term>& terms);

/// FieldWeights from the embedder options (the lexical stage shares them).
FieldWeights EngineFieldWeights(const EngineOptions& options);

/// Analyzes a record for indexing: field-weighted DocTerms plus title and
/// keyword keys. Errors name the record.
Status PrepareDoc(const Analyzer& analyzer, const FieldWeights& weights,
                  const Record& record, PreparedDoc* out);

}  // namespace internal

struct Engine::Impl {
  EngineOptions options;  // dictionary / stopword files inlined at Open
  std::shared_ptr<const Analyzer> analyzer;
  internal::FieldWeights field_weights;
  std::unique_ptr<Embedder> embedder;
  std::unique_ptr<DenseIndex> dense;  // null before the first Build()
  std::array<std::unique_ptr<internal::LexicalIndex>, 2> lexical;  // by kind
  std::vector<internal::DocInfo> docs;  // by doc id
  std::array<std::unordered_map<std::string, uint32_t>, 2> ids;  // by kind
  std::array<size_t, 2> live{0, 0};
  ScorerWeights weights;
  bool built = false;
  // EngineStats' build_*_seconds of the first Build() in this process.
  double build_fit_s = 0, build_embed_s = 0, build_index_s = 0;

  /// Readers (Match) share it; writers hold it exclusively only to apply.
  mutable internal::FairSharedMutex mu;
  /// Serializes writers, so a writer may read the state without `mu`
  /// while it prepares a batch (only writers change it).
  mutable std::mutex writer_mu;

  /// Doc id of a live record, or -1.
  int64_t Find(const RecordKey& key) const {
    const auto& map = ids[internal::KindIndex(key.kind)];
    auto it = map.find(key.id);
    return it == map.end() ? -1 : int64_t(it->second);
  }

  /// Applies prepared records (exclusive lock held): removes the docs in
  /// `replaced` first, then appends. `vectors` holds dim floats per
  /// prepared doc (or is empty before the first Build()).
  Status Apply(std::vector<internal::PreparedDoc>&& prepared,
               const std::vector<float>& vectors,
               const std::vector<uint32_t>& replaced);
  /// Removes one live doc from every structure (exclusive lock held).
  Status RemoveDoc(uint32_t doc);

  /// Add and Upsert.
  Status Write(const std::vector<Record>& records, bool upsert,
               const ProgressCallback& progress);

  /// The match pipeline; `query` is a record, or null for `text`.
  Status MatchOne(const Record* query, std::string_view text,
                  const MatchOptions& options, MatchResult* out) const;

  Status SaveTo(const std::string& dir) const;
};

}  // namespace techmatch

#endif  // TECHMATCH_ENGINE_ENGINE_IMPL_H_
