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
#include <utility>
#include <vector>

#include "techmatch/engine_options.h"
#include "techmatch/export.h"
#include "techmatch/match.h"
#include "techmatch/record.h"
#include "techmatch/scorer.h"
#include "techmatch/status.h"
#include "techmatch/synonyms.h"
#include "techmatch/types.h"

namespace techmatch {

struct ConfidenceCalibration;  // techmatch/calibration.h

/// A query for Match / MatchBatch: a record (stored in the engine or not),
/// or a free text searched against `MatchOptions::target` (supplies by
/// default).
struct MatchQuery {
  MatchQuery() = default;
  MatchQuery(std::string query_id, std::string query_text,
             const Record* query_record = nullptr, VectorView query_vector = {})
      : id(std::move(query_id)),
        text(std::move(query_text)),
        record(query_record),
        vector(query_vector) {}

  std::string id;    ///< echoed in MatchResult::query_id
  std::string text;  ///< used when `record` is null
  const Record* record = nullptr;  ///< not owned
  /// The query's own embedding (n = 1, dim = the engine's; not owned), in
  /// the engine's embedding space. Required with an External embedder
  /// unless the query is a stored record (whose vector is used); with
  /// another embedder it replaces the engine's embedding of the query.
  /// Empty (default): none.
  VectorView vector;
};

/// What an engine holds (`techmatch info`).
struct EngineStats {
  size_t supplies = 0;
  size_t demands = 0;
  size_t lexical_terms = 0;       ///< distinct index terms
  size_t embedding_dim = 0;
  std::string embedder;           ///< e.g. "lsa"
  std::string dense_index;        ///< DenseIndex::description()
  std::string scorer;             ///< Scorer::name(), e.g. "linear"
  size_t memory_bytes = 0;        ///< approximate, all structures
  bool built = false;
  size_t synonym_rules = 0;       ///< rules in force (SetSynonyms)
  /// Judged queries the confidence calibration was fitted on (0: none).
  size_t calibration_queries = 0;
  std::string synonyms_source;    ///< where they came from (SynonymList::source)
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
/// compact the indexes. With an External embedder
/// (`EngineOptions::embedder.kind`), the records' vectors come from the
/// caller's own model, through the Add/Upsert overloads that take them.
///
/// An Engine is made by Open() or Load() (it is an interface, as leveldb's
/// DB; programs do not derive from it). Thread-safety: every method may be
/// called from any thread. Match and MatchBatch run concurrently with each
/// other and with one writer (Add/Upsert/Remove/Build/SetScorer): a writer
/// analyzes and embeds outside the lock and holds it exclusively only to
/// apply the batch, so a Match sees each batch entirely or not at all.
class TECHMATCH_EXPORT_CLASS Engine {
 public:
  /// An empty engine. InvalidArgument for bad options; errors loading the
  /// analyzer's dictionary or stopword files name the file and line.
  static Result<std::unique_ptr<Engine>> Open(const EngineOptions& options);
  /// Loads a snapshot directory written by Save(). NotSupported (naming
  /// both format versions) for another format version or a scorer this
  /// program has not registered, Corruption for a damaged file. Decodes
  /// on the snapshot's EngineOptions::threads (0: all cores) plus the
  /// calling thread: the BM25 indexes, in chunks of terms, beside the
  /// embedder, dense index and records.
  static Result<std::unique_ptr<Engine>> Load(const std::string& dir);

  virtual ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Adds new records. Fails without adding any if a record is invalid, a
  /// (kind, id) is already present or repeated in the batch, or a text is
  /// not valid UTF-8; the error names the record. With an External
  /// embedder: InvalidArgument (use the overload with vectors).
  virtual Status Add(const std::vector<Record>& records,
                     const ProgressCallback& progress = nullptr) = 0;
  /// Adds or replaces (by kind and id).
  virtual Status Upsert(const std::vector<Record>& records,
                        const ProgressCallback& progress = nullptr) = 0;
  /// The same with the caller's vectors (External embedder only): row i
  /// of `vectors` is records[i]'s (n = records.size(), dim = the
  /// embedder's). A wrong dimension or count, a NaN/Inf component or an
  /// all-zero vector is InvalidArgument naming the record.
  virtual Status Add(const std::vector<Record>& records, VectorView vectors,
                     const ProgressCallback& progress = nullptr) = 0;
  virtual Status Upsert(const std::vector<Record>& records, VectorView vectors,
                        const ProgressCallback& progress = nullptr) = 0;
  /// Removes records; NotFound (nothing removed) if one is absent.
  virtual Status Remove(const std::vector<RecordKey>& keys) = 0;
  /// Fits (first call) and builds the indexes. FailedPrecondition if the
  /// engine holds no record.
  virtual Status Build(const ProgressCallback& progress = nullptr) = 0;

  /// The best matches for a query (MatchQuery), by default among the
  /// opposite kind of a record query, supplies for a text. Before the
  /// first Build(): FailedPrecondition.
  virtual Result<MatchResult> Match(const MatchQuery& query,
                                    const MatchOptions& options = {}) const = 0;
  /// Match() of a stored or unsaved record.
  Result<MatchResult> Match(const Record& query,
                            const MatchOptions& options = {}) const;
  /// Match() of a free text.
  Result<MatchResult> MatchText(std::string_view text,
                                const MatchOptions& options = {}) const;
  /// Many queries on `threads` workers (0 = EngineOptions::threads); the
  /// results are in query order. Fails on the first bad query, naming it.
  virtual Result<std::vector<MatchResult>> MatchBatch(
      const std::vector<MatchQuery>& queries, const MatchOptions& options = {},
      int threads = 0) const = 0;

  /// Replaces the query-time synonyms (none at first): from the next match
  /// on, a query with one of the list's phrases also looks for the
  /// phrases it expands to (MatchOptions::synonym_weight), with no
  /// re-indexing; an empty list removes them. Not saved with the engine:
  /// keep the file and set it again after Load(). The phrases are analyzed
  /// with the engine's analyzer first: InvalidArgument naming the file and
  /// line of one that yields no term, and the rules in force stay.
  virtual Status SetSynonyms(const SynonymList& synonyms) = 0;

  /// Sets how MatchResult::confidence is calibrated (saved with the
  /// engine); an empty one turns calibration off. InvalidArgument if it
  /// does not validate.
  virtual Status SetConfidenceCalibration(const ConfidenceCalibration& calibration) = 0;
  /// The calibration in force (empty: none).
  virtual ConfidenceCalibration confidence_calibration() const = 0;

  /// Replaces the scorer (a clone is kept; saved with the engine).
  virtual Status SetScorer(const Scorer& scorer) = 0;
  /// A copy of the scorer in use.
  virtual std::unique_ptr<Scorer> scorer() const = 0;
  /// SetScorer(LinearScorer(weights)).
  Status SetWeights(const ScorerWeights& weights);
  /// The linear scorer's weights; for another scorer, the configured
  /// ScorerOptions::weights.
  virtual ScorerWeights weights() const = 0;

  /// A stored record; NotFound if absent.
  virtual Result<Record> Get(const RecordKey& key) const = 0;
  virtual bool Contains(const RecordKey& key) const = 0;
  /// The keys of the stored records of one kind, in the order they were
  /// first added (a copy taken at the moment of the call).
  virtual std::vector<RecordKey> Keys(RecordKind kind) const = 0;
  virtual size_t size() const = 0;  ///< records of both kinds
  virtual EngineStats stats() const = 0;
  /// The options in force (a copy: the first Build() may lower the LSA
  /// dimension for a small collection).
  virtual EngineOptions options() const = 0;

  /// Writes a snapshot directory (created if missing): a new generation
  /// file is written to a temporary name, fsynced and renamed, then the
  /// CURRENT pointer the same way, so a crash at any point leaves the
  /// previous snapshot loadable (docs/format.md). One older generation is
  /// kept for readers that opened it. One Save per directory at a time:
  /// while one runs (in any process), another fails at once with
  /// FailedPrecondition naming the directory, and leaves it as it was.
  virtual Status Save(const std::string& dir) const = 0;

 protected:
  Engine() = default;
};

}  // namespace techmatch

#endif  // TECHMATCH_ENGINE_H_
