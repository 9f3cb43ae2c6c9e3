// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// LsaModel: TF-IDF term statistics + a truncated SVD projection.

#ifndef TECHMATCH_EMBED_LSA_MODEL_H_
#define TECHMATCH_EMBED_LSA_MODEL_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "analysis/doc_terms.h"
#include "embed/randomized_svd.h"
#include "embed/term_statistics.h"
#include "techmatch/analyzer.h"
#include "techmatch/record.h"
#include "techmatch/status.h"

namespace techmatch::internal {

struct LsaOptions {
  int dim = 256;
  TermStatisticsOptions terms;
  FieldWeights fields;
  SvdOptions svd;  // rank is set from dim
  /// Fit on at most this many records (a seeded uniform sample); the rest
  /// are folded in. Bounds fit time and memory at any corpus size.
  size_t max_fit_records = 200000;
  /// Column j of the projection is scaled by sigma_j^-sigma_power:
  /// 0 = classic LSA (documents as U S), 1 = whitened (documents as U).
  float sigma_power = 0.0f;
  int threads = 0;  // 0 = all hardware threads
};

/// A fitted LSA model. Immutable after Fit(); Embed*() are safe to call
/// concurrently.
class LsaModel {
 public:
  static Result<std::unique_ptr<LsaModel>> Fit(const Analyzer& analyzer,
                                               const std::vector<Record>& records,
                                               const LsaOptions& options);

  int dim() const { return int(components_.cols()); }
  const TermStatistics& stats() const { return stats_; }
  const Eigen::VectorXf& sigma() const { return sigma_; }

  /// Projects a TF-IDF vector to an L2-normalized dense vector (all zeros
  /// if no term is known).
  void Project(const SparseVector& tfidf, float* out) const;
  /// TF-IDF of field-weighted term counts, projected.
  void EmbedDocTerms(const DocTerms& doc, float* out) const;
  Status EmbedRecord(const Analyzer& analyzer, const Record& record,
                     float* out) const;
  Status EmbedText(const Analyzer& analyzer, std::string_view text,
                   float* out) const;
  /// Embeds many records in parallel into out (records.size() x dim()).
  Status EmbedRecords(const Analyzer& analyzer,
                      const std::vector<Record>& records, int threads,
                      float* out) const;

  const LsaOptions& options() const { return options_; }

  /// Serializes the model (options, term statistics, projection).
  void Save(std::string* out) const;
  /// Reads what Save wrote; Corruption on any inconsistency.
  static Result<std::unique_ptr<LsaModel>> Load(std::string_view bytes);

 private:
  explicit LsaModel(const LsaOptions& options)
      : options_(options), stats_(options.terms) {}
  LsaOptions options_;
  TermStatistics stats_;
  RowMatrix components_;  // vocab x dim
  Eigen::VectorXf sigma_;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_EMBED_LSA_MODEL_H_
