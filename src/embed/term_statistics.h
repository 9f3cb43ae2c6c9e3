// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// TermStatistics: vocabulary, document frequencies and TF-IDF vectors.

#ifndef TECHMATCH_EMBED_TERM_STATISTICS_H_
#define TECHMATCH_EMBED_TERM_STATISTICS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/doc_terms.h"
#include "util/u64_map.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// A sparse vector: (term id, weight) sorted by id.
using SparseVector = std::vector<std::pair<uint32_t, float>>;

struct TermStatisticsOptions {
  /// Multipliers by term kind (word, unigram, bigram), applied after IDF.
  float kind_weight[3] = {1.0f, 1.0f, 1.0f};
  /// Terms in fewer documents are dropped. Default 2.
  uint32_t min_df = 2;
  /// Terms in more than this share of the documents are dropped. Default 0.5.
  float max_df_ratio = 0.5f;
  /// tf -> 1 + ln(tf) (tf is the field-weighted count). Default true.
  bool sublinear_tf = true;

  Status Validate() const;
};

/// Document frequencies over a corpus, then a fixed vocabulary with IDF.
/// Counting: Count() per document (or per shard, then Merge()), then
/// Finalize(). Afterwards the object is immutable; Vectorize() and the
/// accessors are safe to call concurrently.
class TermStatistics {
 public:
  explicit TermStatistics(const TermStatisticsOptions& options = {});

  void Count(const DocTerms& doc);
  /// Adds another shard's counts (before Finalize).
  void Merge(TermStatistics&& other);
  /// Prunes by min_df / max_df, assigns ids (by decreasing df, then key),
  /// and computes IDF = ln((1 + N) / (1 + df)) + 1.
  void Finalize();

  bool finalized() const { return finalized_; }
  uint64_t num_docs() const { return num_docs_; }
  size_t vocab_size() const { return keys_.size(); }
  /// The id of a term key (see TermKey), or -1.
  int64_t Id(uint64_t key) const;
  uint64_t Key(uint32_t id) const { return keys_[id]; }
  uint32_t Df(uint32_t id) const { return df_[id]; }
  float Idf(uint32_t id) const { return idf_[id]; }
  const TermStatisticsOptions& options() const { return options_; }

  /// TF-IDF weights of the document's in-vocabulary terms, L2-normalized
  /// (empty if none is in the vocabulary), in no particular order. `doc`
  /// may list a key several times (uncollapsed): the counts add up.
  void Vectorize(const DocTerms& doc, SparseVector* out) const;

  /// Serializes a finalized object (format in docs/format.md, 'EMBD').
  void Save(std::string* out) const;
  /// Reads what Save wrote; Corruption on any inconsistency.
  static Result<TermStatistics> Load(std::string_view bytes);

 private:
  void AddCount(uint64_t key, uint32_t df);

  TermStatisticsOptions options_;
  bool finalized_ = false;
  uint64_t num_docs_ = 0;
  // Before Finalize: key -> slot in count_keys_ / count_df_.
  U64Map count_slots_;
  std::vector<uint64_t> count_keys_;
  std::vector<uint32_t> count_df_;
  U64Map ids_;  // key -> id
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> df_;
  std::vector<float> idf_;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_EMBED_TERM_STATISTICS_H_
