// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Engine: opening, writing (add / upsert / remove / build) and look-ups.

#include "techmatch/engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <set>
#include <utility>

#include "embed/fit_sample.h"
#include "analysis/term_dictionary.h"
#include "engine/engine_impl.h"
#include "util/catch_all.h"
#include "util/parallel.h"

namespace techmatch {
namespace internal {

std::vector<uint64_t> DistinctKeys(const std::vector<Term>& terms) {
  std::vector<uint64_t> keys;
  keys.reserve(terms.size());
  for (const Term& t : terms) keys.push_back(TermKey(t.kind, t.text));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

FieldWeights EngineFieldWeights(const EngineOptions& options) {
  FieldWeights w;
  w.title = options.embedder.title_weight;
  w.keywords = options.embedder.keywords_weight;
  w.text = options.embedder.text_weight;
  return w;
}

Status PrepareDoc(const Analyzer& analyzer, const FieldWeights& weights,
                  const Record& record, PreparedDoc* out) {
  const std::string who = std::string(RecordKindName(record.kind)) + " \"" +
                          record.id + "\"";
  TECHMATCH_RETURN_IF_ERROR(
      AnalyzeRecord(analyzer, record, weights, &out->terms).WithContext(who));
  std::vector<Term> terms;
  out->title_keys.clear();
  if (!record.title.empty()) {
    TECHMATCH_RETURN_IF_ERROR(
        analyzer.Analyze(record.title, &terms).WithContext(who + " title"));
    out->title_keys = DistinctKeys(terms);
  }
  out->keyword_keys.clear();
  for (const std::string& kw : record.keywords) {
    TECHMATCH_RETURN_IF_ERROR(
        analyzer.Analyze(kw, &terms).WithContext(who + " keywords"));
    out->keyword_keys.push_back(DistinctKeys(terms));
  }
  out->record = record;
  return Status::OK();
}

}  // namespace internal

namespace {

constexpr size_t kChunk = 2048;  // records per prepare/embed step

std::string KeyName(const RecordKey& key) {
  return std::string(RecordKindName(key.kind)) + " \"" + key.id + "\"";
}

bool AllZero(const float* v, size_t dim) {
  for (size_t j = 0; j < dim; ++j) {
    if (v[j] != 0.0f) return false;
  }
  return true;
}

/// Inlines the analyzer's dictionary and stopword files into the options,
/// so that a snapshot carries them.
Status InlineAnalyzerFiles(AnalyzerOptions* a) {
  if (!a->dictionary_file.empty()) {
    TECHMATCH_RETURN_IF_ERROR(
        internal::ReadDictionaryFile(a->dictionary_file, &a->dictionary));
    a->dictionary_file.clear();
  }
  if (!a->stopwords_file.empty()) {
    TECHMATCH_RETURN_IF_ERROR(
        internal::ReadWordListFile(a->stopwords_file, &a->stopwords));
    a->stopwords_file.clear();
  }
  return Status::OK();
}

}  // namespace

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  return internal::CatchAll("engine", [&]() -> Result<std::unique_ptr<Engine>> {
    TECHMATCH_RETURN_IF_ERROR(options.Validate());
    if (options.embedder.kind == EmbedderKind::kExternal) {
      return Status::NotSupported(
          "engine: the External embedder needs a vector per record, which "
          "Engine::Add does not take; use LSA or SIF, or DenseRetriever");
    }
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    TECHMATCH_RETURN_IF_ERROR(InlineAnalyzerFiles(&impl->options.analyzer));
    auto analyzer = Analyzer::Create(impl->options.analyzer);
    if (!analyzer.ok()) return analyzer.status();
    impl->analyzer = std::shared_ptr<const Analyzer>(std::move(*analyzer));
    impl->field_weights = internal::EngineFieldWeights(impl->options);
    auto embedder = CreateEmbedder(impl->options.embedder, impl->analyzer);
    if (!embedder.ok()) return embedder.status();
    impl->embedder = std::move(*embedder);
    for (auto& lex : impl->lexical) {
      lex = std::make_unique<internal::LexicalIndex>(impl->options.lexical);
    }
    impl->weights = impl->options.scorer.weights;
    return std::unique_ptr<Engine>(new Engine(std::move(impl)));
  });
}

// ---------------------------------------------------------------- writing

Status Engine::Impl::RemoveDoc(uint32_t doc) {
  internal::DocInfo& info = docs[doc];
  const size_t kind = internal::KindIndex(info.record.kind);
  TECHMATCH_RETURN_IF_ERROR(lexical[kind]->Remove(doc));
  if (info.has_vector && dense != nullptr) {
    TECHMATCH_RETURN_IF_ERROR(dense->Remove({uint64_t(doc)}));
  }
  ids[kind].erase(info.record.id);
  --live[kind];
  info = internal::DocInfo{};  // frees the record; live = false
  return Status::OK();
}

Status Engine::Impl::Apply(std::vector<internal::PreparedDoc>&& prepared,
                           const std::vector<float>& vectors,
                           const std::vector<uint32_t>& replaced) {
  if (docs.size() + prepared.size() > size_t(UINT32_MAX)) {
    return Status::InvalidArgument("engine: more than 2^32 records added");
  }
  const uint32_t first = uint32_t(docs.size());
  // The dense index is the only structure that can refuse a vector: add to
  // it first, so a failure leaves everything as it was.
  std::vector<bool> has_vector(prepared.size(), false);
  if (dense != nullptr && !vectors.empty()) {
    const size_t dim = dense->dim();
    std::vector<uint64_t> add_ids;
    std::vector<float> add_vecs;
    for (size_t i = 0; i < prepared.size(); ++i) {
      const float* v = vectors.data() + i * dim;
      if (AllZero(v, dim)) continue;  // no known term: lexical only
      has_vector[i] = true;
      add_ids.push_back(first + i);
      add_vecs.insert(add_vecs.end(), v, v + dim);
    }
    if (!add_ids.empty()) {
      TECHMATCH_RETURN_IF_ERROR(
          dense->Add(add_ids, VectorView{add_vecs.data(), add_ids.size(), dim}));
    }
  }
  // Nothing below can fail on valid input but memory; reserve first so a
  // failure is most likely here, and undo the dense adds if it happens.
  Status reserved = internal::CatchAll("engine apply", [&] {
    docs.reserve(docs.size() + prepared.size());
    for (const auto& p : prepared) ids[internal::KindIndex(p.record.kind)].reserve(
        ids[internal::KindIndex(p.record.kind)].size() + 1);
  });
  if (!reserved.ok()) {
    if (dense != nullptr) {
      std::vector<uint64_t> undo;
      for (size_t i = 0; i < prepared.size(); ++i) {
        if (has_vector[i]) undo.push_back(first + i);
      }
      if (!undo.empty()) (void)dense->Remove(undo);
    }
    return reserved;
  }
  for (uint32_t doc : replaced) TECHMATCH_RETURN_IF_ERROR(RemoveDoc(doc));
  for (size_t i = 0; i < prepared.size(); ++i) {
    internal::PreparedDoc& p = prepared[i];
    const uint32_t doc = first + uint32_t(i);
    const size_t kind = internal::KindIndex(p.record.kind);
    TECHMATCH_RETURN_IF_ERROR(lexical[kind]->Add(doc, p.terms));
    internal::DocInfo info;
    info.live = true;
    info.has_vector = has_vector[i];
    info.title_keys = std::move(p.title_keys);
    info.keyword_keys = std::move(p.keyword_keys);
    ids[kind].emplace(p.record.id, doc);
    info.record = std::move(p.record);
    docs.push_back(std::move(info));
    ++live[kind];
  }
  return Status::OK();
}

Status Engine::Impl::Write(const std::vector<Record>& records, bool upsert,
                           const ProgressCallback& progress) {
  std::lock_guard<std::mutex> writer(writer_mu);
  // Check the whole batch before changing anything.
  std::set<std::pair<int, std::string>> seen;
  std::vector<uint32_t> replaced;
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    const std::string who = "record " + std::to_string(i) + " (" +
                            KeyName(RecordKey{r.kind, r.id}) + ")";
    TECHMATCH_RETURN_IF_ERROR(r.Validate().WithContext(who));
    if (!seen.emplace(int(r.kind), r.id).second) {
      return Status::InvalidArgument(who + ": repeated in the batch");
    }
    const int64_t existing = Find(RecordKey{r.kind, r.id});
    if (existing >= 0) {
      if (!upsert) return Status::InvalidArgument(who + ": already present");
      replaced.push_back(uint32_t(existing));
    }
  }
  const int threads = internal::ResolveThreads(options.threads);
  const size_t dim = built ? embedder->dim() : 0;
  std::vector<internal::PreparedDoc> prepared(records.size());
  std::vector<float> vectors;
  if (built) vectors.resize(records.size() * dim);
  for (size_t begin = 0; begin < records.size(); begin += kChunk) {
    const size_t end = std::min(records.size(), begin + kChunk);
    TECHMATCH_RETURN_IF_ERROR(internal::ParallelFor(
        end - begin, threads, [&](int, size_t b, size_t e) -> Status {
          for (size_t i = begin + b; i < begin + e; ++i) {
            TECHMATCH_RETURN_IF_ERROR(internal::PrepareDoc(
                *analyzer, field_weights, records[i], &prepared[i]));
          }
          return Status::OK();
        }));
    if (built) {
      std::vector<Record> chunk(records.begin() + long(begin),
                                records.begin() + long(end));
      TECHMATCH_RETURN_IF_ERROR(
          embedder->EmbedRecords(chunk, vectors.data() + begin * dim));
    }
    if (progress) progress(end, records.size());
  }
  std::unique_lock<internal::FairSharedMutex> lock(mu);
  return Apply(std::move(prepared), vectors, replaced);
}

Status Engine::Add(const std::vector<Record>& records,
                   const ProgressCallback& progress) {
  return internal::CatchAll("engine add",
                            [&] { return impl_->Write(records, false, progress); });
}

Status Engine::Upsert(const std::vector<Record>& records,
                      const ProgressCallback& progress) {
  return internal::CatchAll("engine upsert",
                            [&] { return impl_->Write(records, true, progress); });
}

Status Engine::Remove(const std::vector<RecordKey>& keys) {
  return internal::CatchAll("engine remove", [&]() -> Status {
    std::lock_guard<std::mutex> writer(impl_->writer_mu);
    std::vector<uint32_t> docs;
    std::set<uint32_t> seen;
    for (const RecordKey& key : keys) {
      const int64_t doc = impl_->Find(key);
      if (doc < 0) return Status::NotFound("engine: " + KeyName(key) + " not found");
      if (seen.insert(uint32_t(doc)).second) docs.push_back(uint32_t(doc));
    }
    std::unique_lock<internal::FairSharedMutex> lock(impl_->mu);
    for (uint32_t doc : docs) TECHMATCH_RETURN_IF_ERROR(impl_->RemoveDoc(doc));
    return Status::OK();
  });
}

Status Engine::Build(const ProgressCallback& progress) {
  return internal::CatchAll("engine build", [&]() -> Status {
    Impl& im = *impl_;
    std::lock_guard<std::mutex> writer(im.writer_mu);
    if (im.live[0] + im.live[1] == 0) {
      return Status::FailedPrecondition("engine: Build() needs records; none added");
    }
    if (im.built) {  // compaction only
      std::unique_lock<internal::FairSharedMutex> lock(im.mu);
      for (auto& lex : im.lexical) {
        lex->Compact();
        lex->ShrinkToFit();
      }
      return im.dense->Build();
    }
    // First build: fit on every live record, embed, index — on new
    // objects, outside the lock; they are swapped in at the end.
    std::vector<uint32_t> doc_ids;
    doc_ids.reserve(im.live[0] + im.live[1]);
    for (uint32_t d = 0; d < im.docs.size(); ++d) {
      if (im.docs[d].live) doc_ids.push_back(d);
    }
    const size_t total = doc_ids.size();
    {
      // Postings' growth room, released before the fit needs the memory.
      std::unique_lock<internal::FairSharedMutex> lock(im.mu);
      for (auto& lex : im.lexical) lex->ShrinkToFit();
    }
    // A small collection cannot carry a 256-d LSA space: the rank is
    // capped at half the records (the rest would be noise). The embedder
    // is fitted aside and swapped in with the index under the lock
    // (stats() reads it meanwhile).
    EmbedderOptions eopt = im.options.embedder;
    if (eopt.kind == EmbedderKind::kLsa && 2 * eopt.dim > total) {
      eopt.dim = std::max<size_t>(1, total / 2);
    }
    // The embedders fit on a seeded uniform sample of max_fit_records;
    // draw the same sample here, so only it is copied (at 1M records a
    // copy of every record costs gigabytes).
    std::vector<Record> fit_records;
    for (size_t i : internal::FitSample(total, eopt.max_fit_records, eopt.seed)) {
      fit_records.push_back(im.docs[doc_ids[i]].record);
    }
    auto fitted = CreateEmbedder(eopt, im.analyzer);
    if (!fitted.ok()) return fitted.status();
    Embedder& embedder = **fitted;
    if (progress) progress(0, total);
    using Clock = std::chrono::steady_clock;
    auto seconds_since = [](Clock::time_point t) {
      return std::chrono::duration<double>(Clock::now() - t).count();
    };
    Clock::time_point t = Clock::now();
    TECHMATCH_RETURN_IF_ERROR(embedder.Fit(fit_records));
    fit_records = std::vector<Record>();
    const double fit_s = seconds_since(t);
    double embed_s = 0, index_s = 0;
    DenseIndexOptions dopt = im.options.dense;
    dopt.dim = embedder.dim();
    if (dopt.threads == 0) dopt.threads = im.options.threads;
    auto dense = DenseIndex::Create(dopt);
    if (!dense.ok()) return dense.status();
    const size_t dim = dopt.dim;
    std::vector<bool> has_vector(total, false);
    std::vector<float> vecs;
    std::vector<Record> chunk;
    for (size_t begin = 0; begin < total; begin += kChunk) {
      const size_t end = std::min(total, begin + kChunk);
      chunk.clear();
      for (size_t i = begin; i < end; ++i) chunk.push_back(im.docs[doc_ids[i]].record);
      vecs.assign(chunk.size() * dim, 0.0f);
      t = Clock::now();
      TECHMATCH_RETURN_IF_ERROR(embedder.EmbedRecords(chunk, vecs.data()));
      embed_s += seconds_since(t);
      std::vector<uint64_t> ids;
      std::vector<float> keep;
      for (size_t i = 0; i < chunk.size(); ++i) {
        const float* v = vecs.data() + i * dim;
        if (AllZero(v, dim)) continue;
        has_vector[begin + i] = true;
        ids.push_back(doc_ids[begin + i]);
        keep.insert(keep.end(), v, v + dim);
      }
      t = Clock::now();
      if (!ids.empty()) {
        TECHMATCH_RETURN_IF_ERROR(
            (*dense)->Add(ids, VectorView{keep.data(), ids.size(), dim}));
      }
      index_s += seconds_since(t);
      if (progress) progress(end, total);
    }
    t = Clock::now();
    TECHMATCH_RETURN_IF_ERROR((*dense)->Build());
    index_s += seconds_since(t);
    std::unique_lock<internal::FairSharedMutex> lock(im.mu);
    for (size_t i = 0; i < doc_ids.size(); ++i) {
      im.docs[doc_ids[i]].has_vector = has_vector[i];
    }
    im.dense = std::move(*dense);
    im.embedder = std::move(*fitted);
    im.options.embedder.dim = eopt.dim;
    im.built = true;
    im.build_fit_s = fit_s;
    im.build_embed_s = embed_s;
    im.build_index_s = index_s;
    return Status::OK();
  });
}

// ---------------------------------------------------------------- look-ups

Status Engine::SetWeights(const ScorerWeights& weights) {
  TECHMATCH_RETURN_IF_ERROR(weights.Validate());
  std::lock_guard<std::mutex> writer(impl_->writer_mu);
  std::unique_lock<internal::FairSharedMutex> lock(impl_->mu);
  impl_->weights = weights;
  return Status::OK();
}

ScorerWeights Engine::weights() const {
  std::shared_lock<internal::FairSharedMutex> lock(impl_->mu);
  return impl_->weights;
}

Result<Record> Engine::Get(const RecordKey& key) const {
  return internal::CatchAll("engine get", [&]() -> Result<Record> {
    std::shared_lock<internal::FairSharedMutex> lock(impl_->mu);
    const int64_t doc = impl_->Find(key);
    if (doc < 0) return Status::NotFound("engine: " + KeyName(key) + " not found");
    return impl_->docs[size_t(doc)].record;
  });
}

bool Engine::Contains(const RecordKey& key) const {
  std::shared_lock<internal::FairSharedMutex> lock(impl_->mu);
  return impl_->Find(key) >= 0;
}

std::vector<std::string> Engine::Ids(RecordKind kind) const {
  std::vector<std::string> ids;
  {
    std::shared_lock<internal::FairSharedMutex> lock(impl_->mu);
    const auto& map = impl_->ids[internal::KindIndex(kind)];
    ids.reserve(map.size());
    for (const auto& entry : map) ids.push_back(entry.first);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

size_t Engine::size() const {
  std::shared_lock<internal::FairSharedMutex> lock(impl_->mu);
  return impl_->live[0] + impl_->live[1];
}

EngineStats Engine::stats() const {
  std::shared_lock<internal::FairSharedMutex> lock(impl_->mu);
  const Impl& im = *impl_;
  EngineStats s;
  s.supplies = im.live[internal::KindIndex(RecordKind::kSupply)];
  s.demands = im.live[internal::KindIndex(RecordKind::kDemand)];
  s.lexical_terms = im.lexical[0]->num_terms() + im.lexical[1]->num_terms();
  s.embedding_dim = im.embedder->dim();
  s.embedder = EmbedderKindName(im.options.embedder.kind);
  s.dense_index = im.dense != nullptr ? im.dense->description() : "(not built)";
  size_t bytes = im.lexical[0]->memory_bytes() + im.lexical[1]->memory_bytes();
  if (im.dense != nullptr) bytes += im.dense->memory_bytes();
  for (const auto& d : im.docs) {
    bytes += sizeof(d) + d.record.text.capacity() + d.record.title.capacity() +
             d.title_keys.capacity() * 8;
    for (const auto& k : d.record.keywords) bytes += sizeof(k) + k.capacity();
    for (const auto& k : d.keyword_keys) bytes += sizeof(k) + k.capacity() * 8;
  }
  s.memory_bytes = bytes;
  s.built = im.built;
  s.build_fit_seconds = im.build_fit_s;
  s.build_embed_seconds = im.build_embed_s;
  s.build_index_seconds = im.build_index_s;
  return s;
}

EngineOptions Engine::options() const {
  std::shared_lock<internal::FairSharedMutex> lock(impl_->mu);
  return impl_->options;
}

}  // namespace techmatch
