// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// DenseRetriever: the dense stage over records (embedder + dense index).

#ifndef TECHMATCH_DENSE_RETRIEVER_H_
#define TECHMATCH_DENSE_RETRIEVER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "techmatch/analyzer.h"
#include "techmatch/dense_index.h"
#include "techmatch/embedder.h"
#include "techmatch/export.h"
#include "techmatch/filter.h"
#include "techmatch/record.h"
#include "techmatch/status.h"
#include "techmatch/types.h"

namespace techmatch {

struct TECHMATCH_EXPORT_CLASS DenseRetrieverOptions {
  EmbedderOptions embedder;
  /// index.dim is taken from the embedder (leave it 0).
  DenseIndexOptions index;

  Status Validate() const;
};

/// One dense search result.
struct DenseMatch {
  RecordKey key;
  float score;  ///< cosine similarity
};

/// Records in, nearest records out: an Embedder and a DenseIndex, with
/// record ids mapped to stable 64-bit ids and the record metadata kept for
/// filtering (kind, categories, region, maturity, attributes).
///
/// Thread-safety: const methods (searches, Save) may run concurrently;
/// Fit/Add/Upsert/Remove/Build need exclusive access.
class TECHMATCH_EXPORT_CLASS DenseRetriever {
 public:
  static Result<std::unique_ptr<DenseRetriever>> Create(
      const DenseRetrieverOptions& options,
      std::shared_ptr<const Analyzer> analyzer);
  ~DenseRetriever();
  DenseRetriever(const DenseRetriever&) = delete;
  DenseRetriever& operator=(const DenseRetriever&) = delete;

  /// Fits the embedder on a corpus (does not add it).
  Status Fit(const std::vector<Record>& corpus);

  /// Embeds and adds new records; AlreadyExists-style InvalidArgument if a
  /// (kind, id) is present. A record whose text has no known term cannot
  /// be embedded: InvalidArgument naming it (Upsert skips nothing either).
  Status Add(const std::vector<Record>& records);
  /// Adds or replaces.
  Status Upsert(const std::vector<Record>& records);
  /// The same with caller-supplied vectors (External embedder, or any).
  Status AddWithVectors(const std::vector<Record>& records, VectorView vectors);
  Status UpsertWithVectors(const std::vector<Record>& records,
                           VectorView vectors);
  /// Removes records; NotFound (nothing removed) if one is absent.
  Status Remove(const std::vector<RecordKey>& keys);
  /// Builds the approximate index (see DenseIndex::Build).
  Status Build();

  /// The k records most similar to a free text / a record / a vector that
  /// pass `filter` (may be null). A query with no known term returns no
  /// match (OK, empty).
  Result<std::vector<DenseMatch>> SearchText(std::string_view text, size_t k,
                                             const RecordFilter* filter = nullptr,
                                             int nprobe = 0) const;
  Result<std::vector<DenseMatch>> SearchRecord(const Record& query, size_t k,
                                               const RecordFilter* filter = nullptr,
                                               int nprobe = 0) const;
  Result<std::vector<DenseMatch>> SearchVector(const float* query, size_t k,
                                               const RecordFilter* filter = nullptr,
                                               int nprobe = 0) const;

  bool Contains(const RecordKey& key) const;
  size_t size() const;
  const Embedder& embedder() const;
  const DenseIndex& index() const;

  /// Writes a snapshot file (docs/format.md: sections 'META', 'EMBD',
  /// 'DIDX', 'RMET'), atomically.
  Status Save(const std::string& path) const;
  /// Reads a snapshot; the analyzer must be configured as when it was
  /// saved. Corruption / NotSupported for damaged or foreign files.
  static Result<std::unique_ptr<DenseRetriever>> Load(
      const std::string& path, std::shared_ptr<const Analyzer> analyzer);

 private:
  struct Impl;
  explicit DenseRetriever(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace techmatch

#endif  // TECHMATCH_DENSE_RETRIEVER_H_
