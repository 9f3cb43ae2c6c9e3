// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "embed/lsa_model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>

#include "embed/fit_sample.h"
#include "embed/row_sums.h"
#include "io/coding.h"
#include "util/parallel.h"

namespace techmatch::internal {

Result<std::unique_ptr<LsaModel>> LsaModel::Fit(
    const Analyzer& analyzer, const std::vector<Record>& records,
    const LsaOptions& options) {
  TECHMATCH_RETURN_IF_ERROR(options.terms.Validate());
  if (options.dim <= 0) return Status::InvalidArgument("LSA: dim must be > 0");
  const int threads = ResolveThreads(options.threads);
  std::unique_ptr<LsaModel> model(new LsaModel(options));

  // The records to fit on: all, or a seeded uniform sample.
  const std::vector<size_t> sample =
      FitSample(records.size(), options.max_fit_records, options.svd.seed);

  // Pass 1: analyze the sample once and count document frequencies, one
  // shard per thread. The analyzed documents are kept for pass 2 (at most
  // max_fit_records of them: ~6 KB each for an abstract).
  std::vector<DocTerms> docs(sample.size());
  std::vector<TermStatistics> shards(static_cast<size_t>(threads),
                                     TermStatistics(options.terms));
  TECHMATCH_RETURN_IF_ERROR(ParallelFor(
      sample.size(), threads, [&](int w, size_t b, size_t e) -> Status {
        for (size_t i = b; i < e; ++i) {
          const Record& r = records[sample[i]];
          TECHMATCH_RETURN_IF_ERROR(
              AnalyzeRecord(analyzer, r, options.fields, &docs[i])
                  .WithContext("record \"" + r.id + "\""));
          shards[size_t(w)].Count(docs[i]);
        }
        return Status::OK();
      }));
  for (auto& s : shards) model->stats_.Merge(std::move(s));
  shards.clear();
  model->stats_.Finalize();
  const int64_t vocab = int64_t(model->stats_.vocab_size());

  // Pass 2: TF-IDF rows of the sample, written straight into the CSR
  // arrays. (A triplet list and setFromTriplets peak at ~4x the matrix's
  // memory: gigabytes at 200k records.) ParallelFor gives each worker a
  // contiguous block of rows in order, so the workers' parts concatenate
  // into row order; each row's columns are sorted, as CSR requires.
  if (vocab > int64_t(INT32_MAX)) {
    return Status::InvalidArgument("LSA: vocabulary over 2^31 terms");
  }
  const int64_t rows = int64_t(sample.size());
  std::vector<int64_t> row_nnz(sample.size(), 0);
  struct Part {
    std::vector<int32_t> cols;
    std::vector<float> vals;
    size_t first_row = 0;
  };
  std::vector<Part> parts(static_cast<size_t>(threads));
  TECHMATCH_RETURN_IF_ERROR(ParallelFor(
      sample.size(), threads, [&](int w, size_t b, size_t e) -> Status {
        SparseVector vec;
        Part& out = parts[size_t(w)];
        out.first_row = b;
        for (size_t i = b; i < e; ++i) {
          model->stats_.Vectorize(docs[i], &vec);
          std::sort(vec.begin(), vec.end());
          row_nnz[i] = int64_t(vec.size());
          for (const auto& [id, v] : vec) {
            out.cols.push_back(int32_t(id));
            out.vals.push_back(v);
          }
          docs[i] = DocTerms();
        }
        return Status::OK();
      }));
  docs = std::vector<DocTerms>();
  int64_t nnz = 0;
  for (int64_t n : row_nnz) nnz += n;
  SparseRowMatrix a(rows, vocab);
  a.resizeNonZeros(nnz);
  int64_t* outer = a.outerIndexPtr();
  outer[0] = 0;
  for (int64_t r = 0; r < rows; ++r) outer[r + 1] = outer[r] + row_nnz[size_t(r)];
  row_nnz = std::vector<int64_t>();
  for (Part& p : parts) {
    if (p.cols.empty()) continue;
    const int64_t at = outer[p.first_row];
    std::copy(p.cols.begin(), p.cols.end(), a.innerIndexPtr() + at);
    std::copy(p.vals.begin(), p.vals.end(), a.valuePtr() + at);
    p = Part();
  }
  SparseRowMatrix a_t = a.transpose();

  SvdOptions svd = options.svd;
  svd.rank = options.dim;
  svd.threads = threads;
  Result<SvdResult> res = RandomizedSvd(a, a_t, svd);
  if (!res.ok()) return res.status();
  model->sigma_ = res->sigma;
  model->components_ = std::move(res->v);
  if (options.sigma_power != 0) {
    for (int j = 0; j < model->components_.cols(); ++j) {
      float s = model->sigma_(j);
      float scale = s > 0 ? std::pow(s, -options.sigma_power) : 0.0f;
      model->components_.col(j) *= scale;
    }
  }
  return model;
}

void LsaModel::Project(const SparseVector& tfidf, float* out) const {
  const int d = dim();
  Eigen::Map<Eigen::VectorXf> v(out, d);
  v.setZero();
  AddWeightedRows(
      components_.data(), size_t(d), tfidf.size(),
      [&](size_t i) { return tfidf[i].first; }, [&](size_t i) { return tfidf[i].second; },
      size_t(d), out);
  float n = v.norm();
  if (n > 0) v /= n;
}

void LsaModel::EmbedDocTerms(const DocTerms& doc, float* out) const {
  SparseVector vec;
  stats_.Vectorize(doc, &vec);
  Project(vec, out);
}

Status LsaModel::EmbedRecord(const Analyzer& analyzer, const Record& record,
                             float* out) const {
  DocTerms doc;
  TECHMATCH_RETURN_IF_ERROR(
      AnalyzeRecord(analyzer, record, options_.fields, &doc, /*collapse=*/false));
  EmbedDocTerms(doc, out);
  return Status::OK();
}

Status LsaModel::EmbedText(const Analyzer& analyzer, std::string_view text,
                           float* out) const {
  DocTerms doc;
  TECHMATCH_RETURN_IF_ERROR(AnalyzeText(analyzer, text, &doc));
  EmbedDocTerms(doc, out);
  return Status::OK();
}

Status LsaModel::EmbedRecords(const Analyzer& analyzer,
                              const std::vector<Record>& records, int threads,
                              float* out) const {
  const size_t d = size_t(dim());
  return ParallelFor(records.size(), ResolveThreads(threads),
                     [&](int, size_t b, size_t e) -> Status {
                       for (size_t i = b; i < e; ++i) {
                         TECHMATCH_RETURN_IF_ERROR(
                             EmbedRecord(analyzer, records[i], out + i * d)
                                 .WithContext("record \"" + records[i].id + "\""));
                       }
                       return Status::OK();
                     });
}

namespace {
constexpr uint32_t kLsaVersion = 1;
}  // namespace

void LsaModel::Save(std::string* out) const {
  PutFixed32(out, kLsaVersion);
  PutFixed32(out, uint32_t(dim()));
  PutFloat(out, options_.fields.title);
  PutFloat(out, options_.fields.keywords);
  PutFloat(out, options_.fields.text);
  PutFloat(out, options_.sigma_power);
  PutFixed64(out, options_.max_fit_records);
  PutFixed32(out, uint32_t(options_.svd.oversample));
  PutFixed32(out, uint32_t(options_.svd.power_iterations));
  PutFixed64(out, options_.svd.seed);
  std::string stats;
  stats_.Save(&stats);
  PutLengthPrefixedString(out, stats);
  PutFloats(out, sigma_.data(), size_t(sigma_.size()));
  PutFloats(out, components_.data(), size_t(components_.size()));
}

Result<std::unique_ptr<LsaModel>> LsaModel::Load(std::string_view bytes) {
  Decoder in(bytes);
  uint32_t version = 0, dim = 0, oversample = 0, power = 0;
  if (!in.ReadFixed32(&version)) return in.Corruption("LSA model");
  if (version != kLsaVersion) {
    return Status::NotSupported("LSA model version " + std::to_string(version) +
                                " (this build reads " +
                                std::to_string(kLsaVersion) + ")");
  }
  LsaOptions opt;
  uint64_t max_fit = 0;
  std::string_view stats_bytes;
  in.ReadFixed32(&dim);
  in.ReadFloat(&opt.fields.title);
  in.ReadFloat(&opt.fields.keywords);
  in.ReadFloat(&opt.fields.text);
  in.ReadFloat(&opt.sigma_power);
  in.ReadFixed64(&max_fit);
  in.ReadFixed32(&oversample);
  in.ReadFixed32(&power);
  in.ReadFixed64(&opt.svd.seed);
  if (!in.ReadLengthPrefixed(&stats_bytes)) return in.Corruption("LSA model");
  if (dim == 0 || dim > 65536) return Status::Corruption("LSA model: bad dimension");
  opt.dim = int(dim);
  opt.max_fit_records = size_t(max_fit);
  opt.svd.oversample = int(oversample);
  opt.svd.power_iterations = int(power);
  opt.svd.rank = int(dim);
  Result<TermStatistics> stats = TermStatistics::Load(stats_bytes);
  if (!stats.ok()) return stats.status();
  opt.terms = stats->options();
  std::unique_ptr<LsaModel> model(new LsaModel(opt));
  model->stats_ = std::move(*stats);
  const size_t vocab = model->stats_.vocab_size();
  if (in.remaining() != (size_t(dim) + vocab * dim) * sizeof(float)) {
    return Status::Corruption("LSA model: projection size does not match the "
                              "vocabulary (" + std::to_string(vocab) +
                              " terms x " + std::to_string(dim) + ")");
  }
  model->sigma_.resize(dim);
  model->components_.resize(int64_t(vocab), dim);
  in.ReadFloats(model->sigma_.data(), dim);
  in.ReadFloats(model->components_.data(), vocab * dim);
  TECHMATCH_RETURN_IF_ERROR(in.ExpectEnd("LSA model"));
  if (!model->components_.allFinite() || !model->sigma_.allFinite()) {
    return Status::Corruption("LSA model: non-finite projection");
  }
  return model;
}

}  // namespace techmatch::internal
