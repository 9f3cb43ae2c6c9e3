// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The LSA embedder: the public Embedder interface over LsaModel.

#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "embed/analyzed_embedder.h"
#include "embed/embedders.h"
#include "embed/lsa_model.h"

namespace techmatch::internal {
namespace {

LsaOptions ToLsaOptions(const EmbedderOptions& o) {
  LsaOptions l;
  l.dim = int(o.dim);
  l.fields.title = o.title_weight;
  l.fields.keywords = o.keywords_weight;
  l.fields.text = o.text_weight;
  l.terms.kind_weight[int(TermKind::kWord)] = o.word_weight;
  l.terms.kind_weight[int(TermKind::kUnigram)] = o.unigram_weight;
  l.terms.kind_weight[int(TermKind::kBigram)] = o.bigram_weight;
  l.terms.min_df = o.min_df;
  l.terms.max_df_ratio = o.max_df_ratio;
  l.terms.sublinear_tf = o.sublinear_tf;
  l.svd.rank = int(o.dim);
  l.svd.power_iterations = o.power_iterations;
  l.svd.oversample = o.oversample;
  l.svd.seed = o.seed;
  l.sigma_power = o.sigma_power;
  l.max_fit_records = o.max_fit_records;
  l.threads = o.threads;
  return l;
}

// Thread-safety: Fit() replaces the model and needs exclusive access; the
// const methods only read the (immutable) model and may run concurrently.
class LsaEmbedder final : public Embedder, public AnalyzedEmbedder {
 public:
  LsaEmbedder(const LsaOptions& options,
              std::shared_ptr<const Analyzer> analyzer,
              std::unique_ptr<LsaModel> model)
      : options_(options),
        analyzer_(std::move(analyzer)),
        model_(std::move(model)) {}

  EmbedderKind kind() const override { return EmbedderKind::kLsa; }
  size_t dim() const override {
    return model_ ? size_t(model_->dim()) : size_t(options_.dim);
  }
  bool fitted() const override { return model_ != nullptr; }

  Status Fit(const std::vector<Record>& corpus) override {
    return CatchAll("LSA fit", [&]() -> Status {
      Result<std::unique_ptr<LsaModel>> model =
          LsaModel::Fit(*analyzer_, corpus, options_);
      if (!model.ok()) return model.status();
      // Replaced only on success: a failed Fit leaves the old model usable.
      model_ = std::move(*model);
      return Status::OK();
    });
  }

  Status EmbedRecords(const std::vector<Record>& records,
                      float* out) const override {
    return CatchAll("LSA embed", [&]() -> Status {
      TECHMATCH_RETURN_IF_ERROR(CheckFitted());
      if (out == nullptr && !records.empty()) {
        return Status::InvalidArgument("LSA: null output buffer");
      }
      return model_->EmbedRecords(*analyzer_, records, options_.threads, out);
    });
  }

  Status EmbedText(std::string_view text, float* out) const override {
    return CatchAll("LSA embed", [&]() -> Status {
      TECHMATCH_RETURN_IF_ERROR(CheckFitted());
      if (out == nullptr) {
        return Status::InvalidArgument("LSA: null output buffer");
      }
      return model_->EmbedText(*analyzer_, text, out).WithContext("query text");
    });
  }

  Status EmbedAnalyzed(const AnalyzedRecord* record, const std::vector<Term>& text,
                       const std::vector<ExtraTerms>& extra, float* out) const override {
    TECHMATCH_RETURN_IF_ERROR(CheckFitted());
    // A record as LsaModel::EmbedRecord (field-weighted, not collapsed), a
    // text as AnalyzeText (weight 1, collapsed).
    DocTerms doc;
    if (record != nullptr) {
      WeightFields(*record, options_.fields, &doc, /*collapse=*/false);
    } else {
      AccumulateTerms(text, 1.0f, &doc.terms);
    }
    for (const ExtraTerms& x : extra) {
      const float field = record == nullptr ? 1.0f : FieldWeight(options_.fields, x.field);
      if (x.terms != nullptr && field * x.weight > 0) {
        AccumulateTerms(*x.terms, field * x.weight, &doc.terms);
      }
    }
    if (record == nullptr) CollapseTerms(&doc.terms);
    model_->EmbedDocTerms(doc, out);
    return Status::OK();
  }

  Status Save(std::string* out) const override {
    return CatchAll("LSA save", [&]() -> Status {
      TECHMATCH_RETURN_IF_ERROR(CheckFitted());
      if (out == nullptr) return Status::InvalidArgument("LSA: null output");
      PutEmbedderHeader(EmbedderKind::kLsa, out);
      model_->Save(out);
      return Status::OK();
    });
  }

 private:
  Status CheckFitted() const {
    if (model_ == nullptr) {
      return Status::FailedPrecondition("LSA embedder: Fit() has not run");
    }
    return Status::OK();
  }

  LsaOptions options_;  // for the next Fit()
  std::shared_ptr<const Analyzer> analyzer_;
  std::unique_ptr<LsaModel> model_;  // null until fitted
};

bool FiniteNonNegative(float w) { return std::isfinite(w) && w >= 0; }

}  // namespace

Result<std::unique_ptr<Embedder>> CreateLsaEmbedder(
    const EmbedderOptions& options, std::shared_ptr<const Analyzer> analyzer) {
  return std::unique_ptr<Embedder>(
      new LsaEmbedder(ToLsaOptions(options), std::move(analyzer), nullptr));
}

Result<std::unique_ptr<Embedder>> LoadLsaEmbedder(
    std::string_view state, std::shared_ptr<const Analyzer> analyzer) {
  Result<std::unique_ptr<LsaModel>> model = LsaModel::Load(state);
  if (!model.ok()) return model.status();
  const LsaOptions& o = (*model)->options();
  // LsaModel::Load checks the projection; the field weights it reads are
  // used for every later embedding, so they are checked here.
  if (!FiniteNonNegative(o.fields.title) ||
      !FiniteNonNegative(o.fields.keywords) ||
      !FiniteNonNegative(o.fields.text) || !std::isfinite(o.sigma_power)) {
    return Status::Corruption("LSA model: invalid field weights");
  }
  // The SVD settings only matter to a later re-Fit(); out-of-range values
  // (beyond what EmbedderOptions::Validate allows) mean a damaged payload.
  if (o.svd.power_iterations < 0 || o.svd.power_iterations > 10 ||
      o.svd.oversample < 0 || o.svd.oversample > 1000 ||
      o.max_fit_records < 1) {
    return Status::Corruption("LSA model: invalid SVD settings");
  }
  if (size_t((*model)->dim()) > kMaxEmbedderDim) {
    return Status::Corruption("LSA model: dimension " +
                              std::to_string((*model)->dim()) + " > " +
                              std::to_string(kMaxEmbedderDim));
  }
  LsaOptions options = o;
  options.threads = 0;
  return std::unique_ptr<Embedder>(
      new LsaEmbedder(options, std::move(analyzer), std::move(*model)));
}

}  // namespace techmatch::internal
