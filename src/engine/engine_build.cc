// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Engine::Build: the first build (fit the embedder, embed every record,
// build the dense index) and later compactions.

#include <algorithm>
#include <chrono>
#include <utility>

#include "embed/fit_sample.h"
#include "engine/engine_impl.h"
#include "util/catch_all.h"

namespace techmatch::internal {
namespace {

constexpr size_t kChunk = 2048;  // records per embed step

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

bool AllZero(const float* v, size_t dim) {
  for (size_t j = 0; j < dim; ++j) {
    if (v[j] != 0.0f) return false;
  }
  return true;
}

/// What the first build makes aside, swapped in under the lock at the end.
struct Fitted {
  std::unique_ptr<Embedder> embedder;
  std::unique_ptr<DenseIndex> dense;
  std::vector<bool> has_vector;  // by position in doc_ids
  size_t dim = 0;                // the embedder's, after the fit
  size_t options_dim = 0;        // EmbedderOptions::dim as fitted (capped)
  double fit_s = 0, embed_s = 0, index_s = 0;
};

/// Below this many live records the embedder's document-frequency filters
/// are off (see FitEmbedder).
constexpr size_t kFewRecords = 20;

/// Fits a new embedder on the seeded sample of the live records the
/// embedders draw (FitSample), copying only the sample.
Status FitEmbedder(const EngineImpl& e, const std::vector<uint32_t>& doc_ids,
                   Fitted* out) {
  const size_t total = doc_ids.size();
  EmbedderOptions eopt = e.options_.embedder;
  // A small collection cannot carry a 256-d LSA space: the rank is capped
  // at half the records (the rest would be noise).
  if (eopt.kind == EmbedderKind::kLsa && 2 * eopt.dim > total) {
    eopt.dim = std::max<size_t>(1, total / 2);
  }
  // A handful of records has no document frequencies to filter on: with
  // min_df 2 and max_df 50% a single record would leave no term at all.
  if (total < kFewRecords) {
    eopt.min_df = 1;
    eopt.max_df_ratio = 1.0f;
  }
  std::vector<Record> fit_records;
  for (size_t i : FitSample(total, eopt.max_fit_records, eopt.seed)) {
    fit_records.push_back(e.docs_[doc_ids[i]].record);
  }
  auto fitted = CreateEmbedder(eopt, e.analyzer_);
  if (!fitted.ok()) return fitted.status();
  const Clock::time_point t = Clock::now();
  TECHMATCH_RETURN_IF_ERROR((*fitted)->Fit(fit_records));
  out->fit_s = SecondsSince(t);
  out->embedder = std::move(*fitted);
  out->dim = out->embedder->dim();
  out->options_dim = eopt.dim;
  return Status::OK();
}

/// Embeds every live record with the fitted embedder and adds the vectors
/// to a new dense index, which it builds.
Status EmbedAndIndex(const EngineImpl& e, const std::vector<uint32_t>& doc_ids,
                     const ProgressCallback& progress, Fitted* f) {
  DenseIndexOptions dopt = e.options_.dense;
  dopt.dim = f->dim;
  auto dense = DenseIndex::Create(dopt);
  if (!dense.ok()) return dense.status();
  const size_t total = doc_ids.size(), dim = f->dim;
  f->has_vector.assign(total, false);
  std::vector<float> vecs;
  std::vector<Record> chunk;
  for (size_t begin = 0; begin < total; begin += kChunk) {
    const size_t end = std::min(total, begin + kChunk);
    chunk.clear();
    for (size_t i = begin; i < end; ++i) chunk.push_back(e.docs_[doc_ids[i]].record);
    vecs.assign(chunk.size() * dim, 0.0f);
    Clock::time_point t = Clock::now();
    TECHMATCH_RETURN_IF_ERROR(f->embedder->EmbedRecords(chunk, vecs.data()));
    f->embed_s += SecondsSince(t);
    std::vector<uint64_t> ids;
    std::vector<float> keep;
    for (size_t i = 0; i < chunk.size(); ++i) {
      const float* v = vecs.data() + i * dim;
      if (AllZero(v, dim)) continue;  // no known term: lexical only
      f->has_vector[begin + i] = true;
      ids.push_back(doc_ids[begin + i]);
      keep.insert(keep.end(), v, v + dim);
    }
    t = Clock::now();
    if (!ids.empty()) {
      TECHMATCH_RETURN_IF_ERROR(
          (*dense)->Add(ids, VectorView{keep.data(), ids.size(), dim}));
    }
    f->index_s += SecondsSince(t);
    if (progress) progress(end, total);
  }
  const Clock::time_point t = Clock::now();
  TECHMATCH_RETURN_IF_ERROR((*dense)->Build());
  f->index_s += SecondsSince(t);
  f->dense = std::move(*dense);
  return Status::OK();
}

}  // namespace

Status EngineImpl::FirstBuild(const ProgressCallback& progress) {
  if (external()) {  // the vectors are in the dense index already
    std::unique_lock<FairSharedMutex> lock(mu_);
    const Clock::time_point t = Clock::now();
    TECHMATCH_RETURN_IF_ERROR(dense_->Build());
    build_index_s_ = SecondsSince(t);
    built_ = true;
    return Status::OK();
  }
  // Fit on every live record, embed, index — on new objects, outside the
  // lock (stats() and matches read the old ones meanwhile).
  std::vector<uint32_t> doc_ids;
  doc_ids.reserve(live_[0] + live_[1]);
  for (uint32_t d = 0; d < docs_.size(); ++d) {
    if (docs_[d].live) doc_ids.push_back(d);
  }
  {
    // Postings' growth room, released before the fit needs the memory.
    std::unique_lock<FairSharedMutex> lock(mu_);
    for (auto& lex : lexical_) lex->ShrinkToFit();
  }
  if (progress) progress(0, doc_ids.size());
  Fitted f;
  TECHMATCH_RETURN_IF_ERROR(FitEmbedder(*this, doc_ids, &f));
  TECHMATCH_RETURN_IF_ERROR(EmbedAndIndex(*this, doc_ids, progress, &f));
  std::unique_lock<FairSharedMutex> lock(mu_);
  for (size_t i = 0; i < doc_ids.size(); ++i) {
    docs_[doc_ids[i]].has_vector = f.has_vector[i];
  }
  dense_ = std::move(f.dense);
  embedder_ = std::move(f.embedder);
  options_.embedder.dim = f.options_dim;
  built_ = true;
  build_fit_s_ = f.fit_s;
  build_embed_s_ = f.embed_s;
  build_index_s_ = f.index_s;
  return Status::OK();
}

Status EngineImpl::Build(const ProgressCallback& progress) {
  return CatchAll("engine build", [&]() -> Status {
    std::lock_guard<std::mutex> writer(writer_mu_);
    if (live_[0] + live_[1] == 0) {
      return Status::FailedPrecondition("engine: Build() needs records; none added");
    }
    if (!built_) return FirstBuild(progress);
    // Later builds compact.
    std::unique_lock<FairSharedMutex> lock(mu_);
    for (auto& lex : lexical_) {
      lex->Compact();
      lex->ShrinkToFit();
    }
    return dense_->Build();
  });
}

}  // namespace techmatch::internal
