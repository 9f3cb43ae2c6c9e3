// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "embed/sif_embedder.h"

#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <random>
#include <utility>

#include "embed/embedders.h"
#include "embed/fit_sample.h"
#include "io/coding.h"
#include "techmatch/utf8.h"
#include "util/parallel.h"

namespace techmatch::internal {
namespace {

// Fit() embeds the corpus in rounds of this many records and folds each
// round into the Gram matrix, so the result does not depend on the thread
// count and memory stays at one round.
constexpr size_t kFitRound = 2048;
// Components with an eigenvalue below this share of the largest one are
// numerical noise and are not removed.
constexpr double kMinComponentShare = 1e-10;
// After removing components, a vector whose norm fell below this share of
// its norm before has no direction left: it is returned as zeros.
constexpr double kMinResidualShare = 1e-6;

// Calls fn(text, weight) for each non-empty field with a positive weight,
// in AnalyzeRecord's order, adding the field name to errors.
template <typename Fn>
Status ForEachField(const Record& r, const FieldWeights& w, Fn&& fn) {
  if (!r.title.empty() && w.title > 0) {
    TECHMATCH_RETURN_IF_ERROR(
        fn(r.title, w.title).WithContext("field \"title\""));
  }
  if (w.keywords > 0) {
    for (const std::string& kw : r.keywords) {
      TECHMATCH_RETURN_IF_ERROR(
          fn(kw, w.keywords).WithContext("field \"keywords\""));
    }
  }
  if (!r.text.empty() && w.text > 0) {
    TECHMATCH_RETURN_IF_ERROR(fn(r.text, w.text).WithContext("field \"text\""));
  }
  return Status::OK();
}

// The bulk coders memcpy, and memcpy from or to a null pointer (an empty
// vector's data()) is undefined even for zero bytes: empty arrays skip them.
void PutFloatArray(std::string* out, const std::vector<float>& v) {
  if (!v.empty()) PutFloats(out, v.data(), v.size());
}
bool ReadFloatArray(Decoder* in, std::vector<float>* v) {
  return v->empty() || in->ReadFloats(v->data(), v->size());
}

std::string RecordContext(const Record& r) { return "record \"" + r.id + "\""; }

}  // namespace

SifEmbedder::SifEmbedder(std::shared_ptr<const Analyzer> analyzer,
                         WordVectors table, const Settings& settings)
    : analyzer_(std::move(analyzer)),
      table_(std::move(table)),
      settings_(settings) {}

Status SifEmbedder::CheckFitted() const {
  if (!fitted_) {
    return Status::FailedPrecondition("SIF embedder: Fit() has not run");
  }
  return Status::OK();
}

void SifEmbedder::Accumulate(const std::vector<Term>& terms, float field_weight,
                             const Model& model, Sum* sum) const {
  const size_t dim = table_.dim;
  const double a = settings_.a;
  auto sif_weight = [&](TermKind kind, const std::string& text) {
    auto it = model.prob.find(TermKey(kind, text));
    const double p = it == model.prob.end() ? 0.0 : double(it->second);
    return a / (a + p);
  };
  auto add = [&](const float* v, double w) {
    for (size_t j = 0; j < dim; ++j) sum->v[j] += w * double(v[j]);
    sum->weight += w;
  };
  // A word without a vector is replaced by those of its Han characters (the
  // unigram terms that follow it at its position) that have vectors, each
  // weighted by its own SIF weight and by 1/n for n characters, so that a
  // word never counts as more than one word. Weighting the characters by
  // the word's weight instead lets an unseen word (p = 0, weight 1) with
  // one common known character outweigh the rest of a text.
  bool pending = false;
  uint32_t pending_pos = 0;
  size_t n_chars = 0;
  std::vector<std::pair<const float*, double>> chars;
  auto flush = [&]() {
    for (const auto& [v, w] : chars) {
      add(v, double(field_weight) * w / double(n_chars));
    }
    pending = false;
    n_chars = 0;
    chars.clear();
  };
  for (const Term& t : terms) {
    if (t.kind == TermKind::kWord) {
      flush();
      if (const float* v = table_.Find(t.text)) {
        add(v, double(field_weight) * sif_weight(TermKind::kWord, t.text));
      } else {
        pending = true;
        pending_pos = t.position;
      }
    } else if (t.kind == TermKind::kUnigram && pending &&
               t.position == pending_pos) {
      ++n_chars;
      if (const float* v = table_.Find(t.text)) {
        chars.emplace_back(v, sif_weight(TermKind::kUnigram, t.text));
      }
    }
  }
  flush();
}

Status SifEmbedder::AccumulateRecord(const Record& record, const Model& model,
                                     std::vector<Term>* scratch,
                                     Sum* sum) const {
  return ForEachField(
      record, settings_.fields,
      [&](std::string_view text, float weight) -> Status {
        TECHMATCH_RETURN_IF_ERROR(analyzer_->Analyze(text, scratch));
        Accumulate(*scratch, weight, model, sum);
        return Status::OK();
      });
}

void SifEmbedder::Finish(const Sum& sum, float* out) const {
  const size_t dim = table_.dim;
  std::fill(out, out + dim, 0.0f);
  if (!(sum.weight > 0)) return;  // no word with a vector
  std::vector<double> v(dim);
  double n0 = 0;
  for (size_t j = 0; j < dim; ++j) {
    v[j] = sum.v[j] / sum.weight;
    n0 += v[j] * v[j];
  }
  const std::vector<float>& comps = model_.components;
  for (size_t c = 0; c + dim <= comps.size(); c += dim) {
    double dot = 0;
    for (size_t j = 0; j < dim; ++j) dot += double(comps[c + j]) * v[j];
    for (size_t j = 0; j < dim; ++j) v[j] -= dot * double(comps[c + j]);
  }
  double n = 0;
  for (double x : v) n += x * x;
  if (!(n > kMinResidualShare * kMinResidualShare * n0)) return;
  const double inv = 1.0 / std::sqrt(n);
  for (size_t j = 0; j < dim; ++j) out[j] = float(v[j] * inv);
}

Status SifEmbedder::Fit(const std::vector<Record>& corpus) {
  return CatchAll("SIF fit", [&]() { return FitImpl(corpus); });
}

Status SifEmbedder::FitImpl(const std::vector<Record>& corpus) {
  const int threads = ResolveThreads(settings_.threads);
  const size_t dim = table_.dim;
  const std::vector<size_t> sample =
      FitSample(corpus.size(), settings_.max_fit_records, settings_.seed);

  // Pass 1: field-weighted counts of the analyzer's words and Han
  // characters (the fallback for words without a vector) -> p(w), p(c).
  // The two kinds have separate totals; TermKey keeps their keys apart.
  std::vector<std::unordered_map<uint64_t, double>> counts(
      static_cast<size_t>(threads));
  std::vector<std::array<double, 2>> totals(static_cast<size_t>(threads),
                                            {0.0, 0.0});
  TECHMATCH_RETURN_IF_ERROR(ParallelFor(
      sample.size(), threads, [&](int w, size_t b, size_t e) -> Status {
        std::vector<Term> terms;
        auto& mine = counts[size_t(w)];
        auto& total = totals[size_t(w)];
        for (size_t i = b; i < e; ++i) {
          const Record& r = corpus[sample[i]];
          TECHMATCH_RETURN_IF_ERROR(
              ForEachField(r, settings_.fields,
                           [&](std::string_view text, float fw) -> Status {
                             TECHMATCH_RETURN_IF_ERROR(
                                 analyzer_->Analyze(text, &terms));
                             for (const Term& t : terms) {
                               if (t.kind == TermKind::kBigram) continue;
                               mine[TermKey(t.kind, t.text)] += fw;
                               total[t.kind == TermKind::kWord ? 0 : 1] += fw;
                             }
                             return Status::OK();
                           })
                  .WithContext(RecordContext(r)));
        }
        return Status::OK();
      }));
  Model model;
  std::array<double, 2> total = {0.0, 0.0};
  for (const auto& t : totals) {
    total[0] += t[0];
    total[1] += t[1];
  }
  for (size_t w = 1; w < counts.size(); ++w) {
    for (const auto& [key, c] : counts[w]) counts[0][key] += c;
    counts[w] = {};
  }
  model.prob.reserve(counts[0].size());
  for (const auto& [key, c] : counts[0]) {
    const double t = total[TermKeyKind(key) == TermKind::kWord ? 0 : 1];
    if (t > 0) model.prob.emplace(key, float(c / t));
  }
  counts.clear();

  // Pass 2: the uncentered principal components of the corpus's sentence
  // vectors: top eigenvectors of the Gram matrix X^T X (dim x dim).
  const size_t k = std::min(size_t(settings_.remove_components), dim);
  if (k > 0 && !sample.empty()) {
    Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(int64_t(dim), int64_t(dim));
    Eigen::MatrixXd block(int64_t(dim),
                          int64_t(std::min(kFitRound, sample.size())));
    for (size_t start = 0; start < sample.size(); start += kFitRound) {
      const size_t rows = std::min(kFitRound, sample.size() - start);
      TECHMATCH_RETURN_IF_ERROR(
          ParallelFor(rows, threads, [&](int, size_t b, size_t e) -> Status {
            std::vector<Term> terms;
            Sum sum;
            for (size_t i = b; i < e; ++i) {
              const Record& r = corpus[sample[start + i]];
              sum.v.assign(dim, 0.0);
              sum.weight = 0;
              TECHMATCH_RETURN_IF_ERROR(AccumulateRecord(r, model, &terms, &sum)
                                            .WithContext(RecordContext(r)));
              const double inv = sum.weight > 0 ? 1.0 / sum.weight : 0.0;
              for (size_t j = 0; j < dim; ++j) {
                block(int64_t(j), int64_t(i)) = sum.v[j] * inv;
              }
            }
            return Status::OK();
          }));
      gram.selfadjointView<Eigen::Lower>().rankUpdate(
          block.leftCols(int64_t(rows)));
    }
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram);
    if (eig.info() != Eigen::Success) {
      return Status::Internal("SIF: eigen-decomposition did not converge");
    }
    // Eigenvalues come in increasing order.
    const double top = eig.eigenvalues()(int64_t(dim) - 1);
    for (size_t c = 0; c < k; ++c) {
      const int64_t src = int64_t(dim) - 1 - int64_t(c);
      const double ev = eig.eigenvalues()(src);
      if (!(ev > 0) || !(ev > kMinComponentShare * top)) break;
      Eigen::VectorXd u = eig.eigenvectors().col(src).normalized();
      for (size_t j = 0; j < dim; ++j) {
        model.components.push_back(float(u(int64_t(j))));
      }
    }
  }
  model_ = std::move(model);
  fitted_ = true;
  return Status::OK();
}

Status SifEmbedder::EmbedRecords(const std::vector<Record>& records,
                                 float* out) const {
  return CatchAll("SIF embed", [&]() -> Status {
    TECHMATCH_RETURN_IF_ERROR(CheckFitted());
    if (out == nullptr && !records.empty()) {
      return Status::InvalidArgument("SIF: null output buffer");
    }
    const size_t dim = table_.dim;
    return ParallelFor(
        records.size(), ResolveThreads(settings_.threads),
        [&](int, size_t b, size_t e) -> Status {
          std::vector<Term> terms;
          Sum sum;
          for (size_t i = b; i < e; ++i) {
            sum.v.assign(dim, 0.0);
            sum.weight = 0;
            TECHMATCH_RETURN_IF_ERROR(
                AccumulateRecord(records[i], model_, &terms, &sum)
                    .WithContext(RecordContext(records[i])));
            Finish(sum, out + i * dim);
          }
          return Status::OK();
        });
  });
}

Status SifEmbedder::EmbedText(std::string_view text, float* out) const {
  return CatchAll("SIF embed", [&]() -> Status {
    TECHMATCH_RETURN_IF_ERROR(CheckFitted());
    if (out == nullptr) {
      return Status::InvalidArgument("SIF: null output buffer");
    }
    std::vector<Term> terms;
    TECHMATCH_RETURN_IF_ERROR(
        analyzer_->Analyze(text, &terms).WithContext("query text"));
    Sum sum;
    sum.v.assign(table_.dim, 0.0);
    Accumulate(terms, 1.0f, model_, &sum);
    Finish(sum, out);
    return Status::OK();
  });
}

Status SifEmbedder::EmbedAnalyzed(const AnalyzedRecord* record, const std::vector<Term>& text,
                                  const std::vector<ExtraTerms>& extra, float* out) const {
  TECHMATCH_RETURN_IF_ERROR(CheckFitted());
  // A record's fields in ForEachField's order and with its weights.
  const FieldWeights& w = settings_.fields;
  Sum sum;
  sum.v.assign(table_.dim, 0.0);
  if (record != nullptr) {
    if (w.title > 0) Accumulate(record->title, w.title, model_, &sum);
    if (w.keywords > 0) {
      for (const auto& kw : record->keywords) Accumulate(kw, w.keywords, model_, &sum);
    }
    if (w.text > 0) Accumulate(record->text, w.text, model_, &sum);
  } else {
    Accumulate(text, 1.0f, model_, &sum);
  }
  for (const ExtraTerms& x : extra) {
    const float field = record == nullptr ? 1.0f : FieldWeight(w, x.field);
    if (x.terms != nullptr && field * x.weight > 0) {
      Accumulate(*x.terms, field * x.weight, model_, &sum);
    }
  }
  Finish(sum, out);
  return Status::OK();
}

// State layout (after the payload header): docs/embedder.md.
Status SifEmbedder::Save(std::string* out) const {
  return CatchAll("SIF save", [&]() -> Status {
    TECHMATCH_RETURN_IF_ERROR(CheckFitted());
    if (out == nullptr) return Status::InvalidArgument("SIF: null output");
    PutEmbedderHeader(EmbedderKind::kSif, out);
    PutFixed32(out, uint32_t(table_.dim));
    PutDouble(out, settings_.a);
    PutFixed32(out, uint32_t(settings_.remove_components));
    PutFloat(out, settings_.fields.title);
    PutFloat(out, settings_.fields.keywords);
    PutFloat(out, settings_.fields.text);
    PutFixed64(out, settings_.max_fit_records);
    PutFixed64(out, settings_.seed);
    PutVarint64(out, table_.words.size());
    for (const std::string& w : table_.words) PutLengthPrefixedString(out, w);
    PutFloatArray(out, table_.vectors);
    // Probabilities sorted by key, so equal models save equal bytes.
    std::vector<std::pair<uint64_t, float>> probs(model_.prob.begin(),
                                                  model_.prob.end());
    std::sort(probs.begin(), probs.end());
    PutVarint64(out, probs.size());
    for (const auto& [key, p] : probs) PutFixed64(out, key);
    for (const auto& [key, p] : probs) PutFloat(out, p);
    PutVarint64(out, model_.components.size() / table_.dim);
    PutFloatArray(out, model_.components);
    return Status::OK();
  });
}

Result<std::unique_ptr<Embedder>> SifEmbedder::Load(
    std::string_view state, std::shared_ptr<const Analyzer> analyzer) {
  const char* what = "SIF embedder";
  Decoder in(state);
  uint32_t dim = 0, remove = 0;
  Settings s;
  in.ReadFixed32(&dim);
  in.ReadDouble(&s.a);
  in.ReadFixed32(&remove);
  in.ReadFloat(&s.fields.title);
  in.ReadFloat(&s.fields.keywords);
  in.ReadFloat(&s.fields.text);
  uint64_t max_fit = 0;
  in.ReadFixed64(&max_fit);
  in.ReadFixed64(&s.seed);
  if (!in.ok()) return in.Corruption(what);
  auto finite_weight = [](float w) { return std::isfinite(w) && w >= 0; };
  if (dim == 0 || dim > kMaxEmbedderDim || !std::isfinite(s.a) || !(s.a > 0) ||
      remove > 10 || !finite_weight(s.fields.title) ||
      !finite_weight(s.fields.keywords) || !finite_weight(s.fields.text) ||
      max_fit == 0) {
    return Status::Corruption("SIF embedder: invalid settings");
  }
  s.remove_components = int(remove);
  s.max_fit_records = size_t(max_fit);
  WordVectors table;
  table.dim = dim;
  uint64_t n = 0;
  // Each word takes at least its length byte, one byte and its vector.
  if (!in.ReadCount(&n, 2 + 4 * size_t(dim))) return in.Corruption(what);
  table.words.reserve(n);
  table.index.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view w;
    if (!in.ReadLengthPrefixed(&w)) return in.Corruption(what);
    if (w.empty() || FindInvalidUtf8(w) != std::string_view::npos ||
        !table.index.emplace(std::string(w), uint32_t(i)).second) {
      return Status::Corruption("SIF embedder: bad or repeated word " +
                                std::to_string(i));
    }
    table.words.emplace_back(w);
  }
  table.vectors.resize(n * dim);
  if (!ReadFloatArray(&in, &table.vectors)) {
    return in.Corruption(what);
  }
  for (float x : table.vectors) {
    if (!std::isfinite(x)) {
      return Status::Corruption("SIF embedder: non-finite word vector");
    }
  }
  Model model;
  uint64_t m = 0;
  if (!in.ReadCount(&m, sizeof(uint64_t) + sizeof(float))) {
    return in.Corruption(what);
  }
  std::vector<uint64_t> keys(m);
  std::vector<float> probs(m);
  if (m > 0) in.ReadFixed64s(keys.data(), m);
  if (!ReadFloatArray(&in, &probs)) return in.Corruption(what);
  model.prob.reserve(m);
  for (uint64_t i = 0; i < m; ++i) {
    const TermKind kind = TermKeyKind(keys[i]);
    if ((kind != TermKind::kWord && kind != TermKind::kUnigram) ||
        !(probs[i] >= 0) || !(probs[i] <= 1) ||
        !model.prob.emplace(keys[i], probs[i]).second) {
      return Status::Corruption("SIF embedder: bad word probability " +
                                std::to_string(i));
    }
  }
  uint64_t k = 0;
  if (!in.ReadCount(&k, 4 * size_t(dim))) return in.Corruption(what);
  if (k > remove) {
    return Status::Corruption("SIF embedder: more components than removed");
  }
  model.components.resize(k * dim);
  ReadFloatArray(&in, &model.components);
  TECHMATCH_RETURN_IF_ERROR(in.ExpectEnd(what));
  for (float x : model.components) {
    if (!std::isfinite(x)) {
      return Status::Corruption("SIF embedder: non-finite component");
    }
  }
  std::unique_ptr<SifEmbedder> e(
      new SifEmbedder(std::move(analyzer), std::move(table), s));
  e->model_ = std::move(model);
  e->fitted_ = true;
  return std::unique_ptr<Embedder>(std::move(e));
}

Result<std::unique_ptr<Embedder>> CreateSifEmbedder(
    const EmbedderOptions& options, std::shared_ptr<const Analyzer> analyzer) {
  WordVectors table;
  TECHMATCH_RETURN_IF_ERROR(ReadWordVectors(options.word_vectors_file,
                                            *analyzer, options.dim, &table));
  SifEmbedder::Settings s;
  s.a = options.sif_a;
  s.remove_components = options.sif_remove_components;
  s.fields = {options.title_weight, options.keywords_weight,
              options.text_weight};
  s.max_fit_records = options.max_fit_records;
  s.seed = options.seed;
  s.threads = options.threads;
  return std::unique_ptr<Embedder>(
      new SifEmbedder(std::move(analyzer), std::move(table), s));
}

Result<std::unique_ptr<Embedder>> LoadSifEmbedder(
    std::string_view state, std::shared_ptr<const Analyzer> analyzer) {
  return SifEmbedder::Load(state, std::move(analyzer));
}

}  // namespace techmatch::internal
