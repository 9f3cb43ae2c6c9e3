// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Engine: supply-demand matching over records (lexical + dense candidates,
// a scorer that explains itself, snapshots).

#ifndef TECHMATCH_ENGINE_H_
#define TECHMATCH_ENGINE_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "techmatch/engine_options.h"
#include "techmatch/export.h"
#include "techmatch/match.h"
#include "techmatch/record.h"
#include "techmatch/scorer.h"
#include "techmatch/status.h"

namespace techmatch {

namespace internal {
struct EngineAccess;  // the benchmarks' read access to the parts (src/engine)
}  // namespace internal

/// A query for MatchBatch: a record, or a free text searched against
/// `MatchOptions::target` (supplies by default).
struct MatchQuery {
  std::string id;    ///< echoed in MatchResult::query_id
  std::string text;  ///< used when `record` is null
  const Record* record = nullptr;
};

/// What an engine holds (`techmatch info`).
struct EngineStats {
  size_t supplies = 0;
  size_t demands = 0;
  size_t lexical_terms = 0;       ///< distinct index terms
  size_t embedding_dim = 0;
  std::string embedder;           ///< e.g. "lsa"
  std::string dense_index;        ///< DenseIndex::description()
  size_t memory_bytes = 0;        ///< approximate, all structures
  bool built = false;
  /// Where the first Build() of this process spent its time, in seconds
  /// (0 for an engine loaded from a snapshot): fitting the embedder,
  /// embedding the records, adding them to the dense index and building it.
  double build_fit_seconds = 0;
  double build_embed_seconds = 0;
  double build_index_seconds = 0;
};

/// Progress of a long call: done of total units (records).
using ProgressCallback = std::function<void(size_t done, size_t total)>;

/// The matching engine.
///
/// Records are added in batches; the first Build() fits the term
/// statistics and embedder on the records present and builds both indexes.
/// After that, Add/Upsert/Remove take effect immediately (new records are
/// folded into the fitted embedder), and Build() may be called again to
/// compact the indexes.
///
/// Thread-safety: every method may be called from any thread. Match and
/// MatchBatch run concurrently with each other and with one writer
/// (Add/Upsert/Remove/Build/SetWeights): a writer analyzes and embeds
/// outside the lock and holds it exclusively only to apply the batch, so a
/// Match sees each batch entirely or not at all.
class TECHMATCH_EXPORT_CLASS Engine {
 public:
  /// An empty engine. InvalidArgument for bad options; errors loading the
  /// analyzer's dictionary or stopword files name the file and line.
  static Result<std::unique_ptr<Engine>> Open(const EngineOptions& options);
  /// Loads a snapshot directory written by Save(). NotSupported (naming
  /// both format versions) for another format version, Corruption for a
  /// damaged file.
  static Result<std::unique_ptr<Engine>> Load(const std::string& dir);

  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Adds new records. Fails without adding any if a record is invalid, a
  /// (kind, id) is already present or repeated in the batch, or a text is
  /// not valid UTF-8; the error names the record.
  Status Add(const std::vector<Record>& records,
             const ProgressCallback& progress = nullptr);
  /// Adds or replaces (by kind and id).
  Status Upsert(const std::vector<Record>& records,
                const ProgressCallback& progress = nullptr);
  /// Removes records; NotFound (nothing removed) if one is absent.
  Status Remove(const std::vector<RecordKey>& keys);
  /// Fits (first call) and builds the indexes. FailedPrecondition if the
  /// engine holds no record.
  Status Build(const ProgressCallback& progress = nullptr);

  /// The best matches for a stored or unsaved record, by default among
  /// the opposite kind. Before the first Build(): FailedPrecondition.
  Result<MatchResult> Match(const Record& query,
                            const MatchOptions& options = {}) const;
  /// The best matches for a free text (supplies unless options.target).
  Result<MatchResult> MatchText(std::string_view text,
                                const MatchOptions& options = {}) const;
  /// Many queries on `threads` workers (0 = EngineOptions::threads); the
  /// results are in query order. Fails on the first bad query, naming it.
  Result<std::vector<MatchResult>> MatchBatch(
      const std::vector<MatchQuery>& queries, const MatchOptions& options = {},
      int threads = 0) const;

  /// Replaces the scorer weights (saved with the engine).
  Status SetWeights(const ScorerWeights& weights);
  ScorerWeights weights() const;

  /// A stored record; NotFound if absent.
  Result<Record> Get(const RecordKey& key) const;
  bool Contains(const RecordKey& key) const;
  /// The ids of the stored records of one kind, sorted (byte order).
  std::vector<std::string> Ids(RecordKind kind) const;
  size_t size() const;  ///< records of both kinds
  EngineStats stats() const;
  /// The options in force (a copy: the first Build() may lower the LSA
  /// dimension for a small collection).
  EngineOptions options() const;

  /// Writes a snapshot directory (created if missing): a new generation
  /// file is written to a temporary name, fsynced and renamed, then the
  /// CURRENT pointer the same way, so a crash at any point leaves the
  /// previous snapshot loadable (docs/format.md). One older generation is
  /// kept for readers that opened it. One engine per directory at a time.
  Status Save(const std::string& dir) const;

 private:
  friend struct internal::EngineAccess;
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace techmatch

#endif  // TECHMATCH_ENGINE_H_
