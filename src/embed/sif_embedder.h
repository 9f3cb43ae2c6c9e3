// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// SIF: smooth-inverse-frequency weighted averages of pretrained word vectors
// with the common components removed (Arora, Liang & Ma, ICLR 2017).

#ifndef TECHMATCH_EMBED_SIF_EMBEDDER_H_
#define TECHMATCH_EMBED_SIF_EMBEDDER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/doc_terms.h"
#include "embed/analyzed_embedder.h"
#include "embed/word_vectors.h"
#include "techmatch/analyzer.h"
#include "techmatch/embedder.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// The SIF embedder. Fit() learns p(w) over the corpus's words and the
/// principal components to remove; embedding a text is
///   v = sum_w f(w) a/(a + p(w)) vec(w) / sum_w f(w) a/(a + p(w)),
///   v -= sum_i u_i (u_i . v),  v /= |v|,
/// over its analyzer words w with field weight f(w). A word without a
/// vector is replaced by its Han characters' vectors (sif_embedder.cc).
///
/// Thread-safety: Fit() needs exclusive access; afterwards the const
/// methods may run concurrently (they only read).
class SifEmbedder final : public Embedder, public AnalyzedEmbedder {
 public:
  struct Settings {
    double a = 1e-3;
    int remove_components = 1;
    FieldWeights fields;
    size_t max_fit_records = 200000;
    uint64_t seed = 42;
    int threads = 0;
  };

  SifEmbedder(std::shared_ptr<const Analyzer> analyzer, WordVectors table,
              const Settings& settings);

  EmbedderKind kind() const override { return EmbedderKind::kSif; }
  size_t dim() const override { return table_.dim; }
  bool fitted() const override { return fitted_; }

  Status Fit(const std::vector<Record>& corpus) override;
  Status EmbedRecords(const std::vector<Record>& records,
                      float* out) const override;
  Status EmbedText(std::string_view text, float* out) const override;
  Status Save(std::string* out) const override;
  Status EmbedAnalyzed(const AnalyzedRecord* record, const std::vector<Term>& text,
                       const std::vector<ExtraTerms>& extra, float* out) const override;

  /// Reads the state Save wrote after the payload header.
  static Result<std::unique_ptr<Embedder>> Load(
      std::string_view state, std::shared_ptr<const Analyzer> analyzer);

 private:
  // What Fit() learns; replaced as a whole.
  struct Model {
    // TermKey of a word or Han character -> its share of the corpus's
    // words or characters (field-weighted).
    std::unordered_map<uint64_t, float> prob;
    std::vector<float> components;  // k x dim, unit rows
  };
  // The running weighted sum of one text's word vectors.
  struct Sum {
    std::vector<double> v;
    double weight = 0;
  };

  Status CheckFitted() const;
  // Adds the words of one analyzed field, each weighted by
  // field_weight * a / (a + p(w)) under `model`.
  void Accumulate(const std::vector<Term>& terms, float field_weight,
                  const Model& model, Sum* sum) const;
  // Analyzes a record's fields into `sum` (errors name the field).
  Status AccumulateRecord(const Record& record, const Model& model,
                          std::vector<Term>* scratch, Sum* sum) const;
  // sum -> the final unit vector (or zeros) in out.
  void Finish(const Sum& sum, float* out) const;
  Status FitImpl(const std::vector<Record>& corpus);

  std::shared_ptr<const Analyzer> analyzer_;
  WordVectors table_;
  Settings settings_;
  Model model_;
  bool fitted_ = false;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_EMBED_SIF_EMBEDDER_H_
