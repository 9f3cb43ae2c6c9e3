// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Engine: opening, writing (add / upsert / remove) and look-ups. The first
// Build is in engine_build.cc, matching in engine_match.cc, snapshots in
// engine_snapshot.cc.

#include "techmatch/engine.h"

#include <algorithm>
#include <set>
#include <utility>

#include "analysis/term_dictionary.h"
#include "embed/analyzed_embedder.h"
#include "engine/engine_impl.h"
#include "util/catch_all.h"
#include "util/parallel.h"
#include "util/reserve.h"

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

FieldWeights LexicalFieldWeights(const LexicalOptions& options) {
  FieldWeights w;
  w.title = float(options.title_weight);
  w.keywords = float(options.keywords_weight);
  w.text = float(options.text_weight);
  return w;
}

void ApplyEngineThreads(EngineOptions* options) {
  options->embedder.threads = options->threads;
  options->dense.threads = options->threads;
}

Status PrepareDoc(const Analyzer& analyzer, const FieldWeights& weights,
                  const Embedder* embedder, const Record& record,
                  PreparedDoc* out, float* vector) {
  AnalyzedRecord fields;
  TECHMATCH_RETURN_IF_ERROR(AnalyzeFields(analyzer, record, &fields)
                                .WithContext(std::string(RecordKindName(record.kind)) +
                                             " \"" + record.id + "\""));
  WeightFields(fields, weights, &out->terms);
  out->title_keys = DistinctKeys(fields.title);
  out->keyword_keys.clear();
  for (const auto& kw : fields.keywords) out->keyword_keys.push_back(DistinctKeys(kw));
  if (vector != nullptr && embedder != nullptr) {
    const AnalyzedEmbedder* ae = AsAnalyzedEmbedder(*embedder);
    if (ae == nullptr) {
      return Status::Internal("engine: the embedder does not embed analyzed records");
    }
    TECHMATCH_RETURN_IF_ERROR(ae->EmbedAnalyzedRecord(fields, vector).WithContext(
        std::string(RecordKindName(record.kind)) + " \"" + record.id + "\""));
  }
  out->record = record;
  return Status::OK();
}

namespace {

constexpr size_t kChunk = 2048;  // records per prepare step

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
    TECHMATCH_RETURN_IF_ERROR(ReadDictionaryFile(a->dictionary_file, &a->dictionary));
    a->dictionary_file.clear();
  }
  if (!a->stopwords_file.empty()) {
    TECHMATCH_RETURN_IF_ERROR(ReadWordListFile(a->stopwords_file, &a->stopwords));
    a->stopwords_file.clear();
  }
  return Status::OK();
}

/// Checks the batch before anything changes: valid records, no repeats, no
/// (kind, id) present unless upserting (then listed in *replaced), and
/// the caller's vectors when the embedder is External.
Status CheckBatch(const EngineImpl& e, const std::vector<Record>& records,
                  VectorView vectors, bool upsert, std::vector<uint32_t>* replaced) {
  if (e.external()) {
    const size_t dim = e.embedder_->dim();
    if (vectors.data == nullptr || vectors.n != records.size()) {
      return Status::InvalidArgument(
          "engine: the embedder is External: pass one vector per record (" +
          std::to_string(records.size()) + " records, " + std::to_string(vectors.n) +
          " vectors)");
    }
    std::vector<std::string> names;
    for (const Record& r : records) {
      names.push_back(std::string(RecordKindName(r.kind)) + "/" + r.id);
    }
    TECHMATCH_RETURN_IF_ERROR(CheckVectors(names, vectors, dim).WithContext("engine"));
  } else if (vectors.data != nullptr || vectors.n != 0) {
    return Status::InvalidArgument(
        std::string("engine: records come with vectors only with an External "
                    "embedder (this engine's is ") +
        EmbedderKindName(e.options_.embedder.kind) + ")");
  }
  std::set<std::pair<int, std::string>> seen;
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    const std::string who =
        "record " + std::to_string(i) + " (" + KeyName(RecordKey{r.kind, r.id}) + ")";
    TECHMATCH_RETURN_IF_ERROR(r.Validate().WithContext(who));
    if (!seen.emplace(int(r.kind), r.id).second) {
      return Status::InvalidArgument(who + ": repeated in the batch");
    }
    const int64_t existing = e.Find(RecordKey{r.kind, r.id});
    if (existing >= 0) {
      if (!upsert) return Status::InvalidArgument(who + ": already present");
      replaced->push_back(uint32_t(existing));
    }
  }
  return Status::OK();
}

}  // namespace

// ---------------------------------------------------------------- writing

Status EngineImpl::RemoveDoc(uint32_t doc, bool compact) {
  DocInfo& info = docs_[doc];
  const size_t kind = KindIndex(info.record.kind);
  TECHMATCH_RETURN_IF_ERROR(lexical_[kind]->Remove(doc, compact));
  if (info.has_vector && dense_ != nullptr) {
    TECHMATCH_RETURN_IF_ERROR(dense_->Remove({uint64_t(doc)}));
  }
  ids_[kind].erase(info.record.id);
  --live_[kind];
  info = DocInfo{};  // frees the record; live = false
  return Status::OK();
}

Status EngineImpl::Apply(std::vector<PreparedDoc>&& prepared,
                         const std::vector<float>& vectors,
                         const std::vector<uint32_t>& replaced) {
  if (docs_.size() + prepared.size() > size_t(UINT32_MAX)) {
    return Status::InvalidArgument("engine: more than 2^32 records added");
  }
  const uint32_t first = uint32_t(docs_.size());
  // The dense index is the only structure that can refuse a vector: add to
  // it first, so a failure leaves everything as it was.
  std::vector<bool> has_vector(prepared.size(), false);
  std::vector<uint64_t> added;
  if (dense_ != nullptr && !vectors.empty()) {
    const size_t dim = dense_->dim();
    std::vector<float> add_vecs;
    for (size_t i = 0; i < prepared.size(); ++i) {
      const float* v = vectors.data() + i * dim;
      if (AllZero(v, dim)) continue;  // no known term: lexical only
      has_vector[i] = true;
      added.push_back(first + i);
      add_vecs.insert(add_vecs.end(), v, v + dim);
    }
    if (!added.empty()) {
      TECHMATCH_RETURN_IF_ERROR(
          dense_->Add(added, VectorView{add_vecs.data(), added.size(), dim}));
    }
  }
  // Nothing below can fail on valid input but memory; reserve first (each
  // kind's postings prepared as one batch, appended by the engine's
  // threads) so a failure is most likely here, and undo the dense adds if
  // it happens.
  const int threads = ResolveThreads(options_.threads);
  LexicalBatch batch[2];
  Status reserved = CatchAll("engine apply", [&]() -> Status {
    std::vector<LexicalDoc> docs[2];
    for (size_t i = 0; i < prepared.size(); ++i) {
      docs[KindIndex(prepared[i].record.kind)].push_back(
          LexicalDoc{first + uint32_t(i), &prepared[i].terms});
    }
    for (size_t kind = 0; kind < 2; ++kind) {
      TECHMATCH_RETURN_IF_ERROR(lexical_[kind]->Prepare(docs[kind], threads, &batch[kind]));
    }
    ReserveGrowing(docs_, docs_.size() + prepared.size());
    for (const auto& p : prepared) {
      auto& map = ids_[KindIndex(p.record.kind)];
      ReserveGrowing(map, map.size() + 1);
    }
    return Status::OK();
  });
  if (!reserved.ok()) {
    if (!added.empty()) (void)dense_->Remove(added);
    return reserved;
  }
  // The replaced records go first, without compacting the postings (which
  // would renumber the prepared batches' terms); compaction waits until the
  // batches are in.
  for (uint32_t doc : replaced) {
    TECHMATCH_RETURN_IF_ERROR(RemoveDoc(doc, /*compact=*/false));
  }
  for (size_t kind = 0; kind < 2; ++kind) {
    TECHMATCH_RETURN_IF_ERROR(lexical_[kind]->Commit(&batch[kind]));
  }
  if (!replaced.empty()) {
    for (auto& lex : lexical_) lex->MaybeCompact();
  }
  for (size_t i = 0; i < prepared.size(); ++i) {
    PreparedDoc& p = prepared[i];
    const uint32_t doc = first + uint32_t(i);
    const size_t kind = KindIndex(p.record.kind);
    DocInfo info;
    info.live = true;
    info.has_vector = has_vector[i];
    info.title_keys = std::move(p.title_keys);
    info.keyword_keys = std::move(p.keyword_keys);
    ids_[kind].emplace(p.record.id, doc);
    info.record = std::move(p.record);
    docs_.push_back(std::move(info));
    ++live_[kind];
  }
  return Status::OK();
}

Status EngineImpl::Write(const std::vector<Record>& records, VectorView vectors,
                         bool upsert, const ProgressCallback& progress) {
  std::lock_guard<std::mutex> writer(writer_mu_);
  std::vector<uint32_t> replaced;
  TECHMATCH_RETURN_IF_ERROR(CheckBatch(*this, records, vectors, upsert, &replaced));
  const int threads = ResolveThreads(options_.threads);
  // Vectors: the caller's (External), or embedded from the analyzed
  // fields once the embedder is fitted; none before the first Build().
  const bool embed = built_ && !external();
  const size_t dim = embedder_->dim();
  std::vector<float> vecs;
  if (external()) {
    vecs.assign(vectors.data, vectors.data + records.size() * dim);
  } else if (embed) {
    vecs.resize(records.size() * dim);
  }
  std::vector<PreparedDoc> prepared(records.size());
  for (size_t begin = 0; begin < records.size(); begin += kChunk) {
    const size_t end = std::min(records.size(), begin + kChunk);
    TECHMATCH_RETURN_IF_ERROR(ParallelFor(
        end - begin, threads, [&](int, size_t b, size_t e) -> Status {
          for (size_t i = begin + b; i < begin + e; ++i) {
            TECHMATCH_RETURN_IF_ERROR(PrepareDoc(
                *analyzer_, field_weights_, embedder_.get(), records[i],
                &prepared[i], embed ? vecs.data() + i * dim : nullptr));
          }
          return Status::OK();
        }));
    if (progress) progress(end, records.size());
  }
  std::unique_lock<FairSharedMutex> lock(mu_);
  return Apply(std::move(prepared), vecs, replaced);
}

Status EngineImpl::Add(const std::vector<Record>& records,
                       const ProgressCallback& progress) {
  return CatchAll("engine add", [&] { return Write(records, {}, false, progress); });
}

Status EngineImpl::Upsert(const std::vector<Record>& records,
                          const ProgressCallback& progress) {
  return CatchAll("engine upsert", [&] { return Write(records, {}, true, progress); });
}

Status EngineImpl::Add(const std::vector<Record>& records, VectorView vectors,
                       const ProgressCallback& progress) {
  return CatchAll("engine add",
                  [&] { return Write(records, vectors, false, progress); });
}

Status EngineImpl::Upsert(const std::vector<Record>& records, VectorView vectors,
                          const ProgressCallback& progress) {
  return CatchAll("engine upsert",
                  [&] { return Write(records, vectors, true, progress); });
}

Status EngineImpl::Remove(const std::vector<RecordKey>& keys) {
  return CatchAll("engine remove", [&]() -> Status {
    std::lock_guard<std::mutex> writer(writer_mu_);
    std::vector<uint32_t> doomed;
    std::set<uint32_t> seen;
    for (const RecordKey& key : keys) {
      const int64_t doc = Find(key);
      if (doc < 0) return Status::NotFound("engine: " + KeyName(key) + " not found");
      if (seen.insert(uint32_t(doc)).second) doomed.push_back(uint32_t(doc));
    }
    std::unique_lock<FairSharedMutex> lock(mu_);
    for (uint32_t doc : doomed) TECHMATCH_RETURN_IF_ERROR(RemoveDoc(doc));
    return Status::OK();
  });
}

// ---------------------------------------------------------------- scorer

Status EngineImpl::SetSynonyms(const SynonymList& synonyms) {
  return CatchAll("engine set synonyms", [&]() -> Status {
    std::shared_ptr<const SynonymMatcher> compiled;
    if (!synonyms.rules.empty()) {
      // The analyzer is immutable and shared: compile outside the lock.
      auto m = SynonymMatcher::Compile(synonyms, *analyzer_);
      if (!m.ok()) return m.status();
      compiled = std::move(*m);
    }
    std::lock_guard<std::mutex> writer(writer_mu_);
    std::unique_lock<FairSharedMutex> lock(mu_);
    synonyms_ = std::move(compiled);
    return Status::OK();
  });
}

Status EngineImpl::SetConfidenceCalibration(const ConfidenceCalibration& calibration) {
  return CatchAll("engine set calibration", [&]() -> Status {
    TECHMATCH_RETURN_IF_ERROR(calibration.Validate());
    std::lock_guard<std::mutex> writer(writer_mu_);
    std::unique_lock<FairSharedMutex> lock(mu_);
    calibration_ = calibration;
    return Status::OK();
  });
}

ConfidenceCalibration EngineImpl::confidence_calibration() const {
  std::shared_lock<FairSharedMutex> lock(mu_);
  return calibration_;
}

Status EngineImpl::SetScorer(const Scorer& scorer) {
  return CatchAll("engine set scorer", [&]() -> Status {
    std::unique_ptr<Scorer> copy = scorer.Clone();
    if (copy == nullptr) return Status::InvalidArgument("engine: the scorer cloned to null");
    std::lock_guard<std::mutex> writer(writer_mu_);
    std::unique_lock<FairSharedMutex> lock(mu_);
    scorer_ = std::move(copy);
    return Status::OK();
  });
}

std::unique_ptr<Scorer> EngineImpl::scorer() const {
  std::shared_lock<FairSharedMutex> lock(mu_);
  return scorer_->Clone();
}

ScorerWeights EngineImpl::weights() const {
  std::shared_lock<FairSharedMutex> lock(mu_);
  if (const auto* linear = dynamic_cast<const LinearScorer*>(scorer_.get())) {
    return linear->weights();
  }
  return options_.scorer.weights;
}

// ---------------------------------------------------------------- look-ups

Result<Record> EngineImpl::Get(const RecordKey& key) const {
  return CatchAll("engine get", [&]() -> Result<Record> {
    std::shared_lock<FairSharedMutex> lock(mu_);
    const int64_t doc = Find(key);
    if (doc < 0) return Status::NotFound("engine: " + KeyName(key) + " not found");
    return docs_[size_t(doc)].record;
  });
}

bool EngineImpl::Contains(const RecordKey& key) const {
  std::shared_lock<FairSharedMutex> lock(mu_);
  return Find(key) >= 0;
}

std::vector<RecordKey> EngineImpl::Keys(RecordKind kind) const {
  std::shared_lock<FairSharedMutex> lock(mu_);
  std::vector<RecordKey> keys;
  keys.reserve(live_[KindIndex(kind)]);
  for (const DocInfo& d : docs_) {
    if (d.live && d.record.kind == kind) keys.push_back(RecordKey{kind, d.record.id});
  }
  return keys;
}

size_t EngineImpl::size() const {
  std::shared_lock<FairSharedMutex> lock(mu_);
  return live_[0] + live_[1];
}

EngineStats EngineImpl::stats() const {
  std::shared_lock<FairSharedMutex> lock(mu_);
  EngineStats s;
  s.supplies = live_[KindIndex(RecordKind::kSupply)];
  s.demands = live_[KindIndex(RecordKind::kDemand)];
  s.lexical_terms = lexical_[0]->num_terms() + lexical_[1]->num_terms();
  s.embedding_dim = embedder_->dim();
  s.embedder = EmbedderKindName(options_.embedder.kind);
  s.dense_index = dense_ != nullptr ? dense_->description() : "(not built)";
  s.scorer = scorer_->name();
  size_t bytes = lexical_[0]->memory_bytes() + lexical_[1]->memory_bytes();
  if (dense_ != nullptr) bytes += dense_->memory_bytes();
  for (const auto& d : docs_) {
    bytes += sizeof(d) + d.record.text.capacity() + d.record.title.capacity() +
             d.title_keys.capacity() * 8;
    for (const auto& k : d.record.keywords) bytes += sizeof(k) + k.capacity();
    for (const auto& k : d.keyword_keys) bytes += sizeof(k) + k.capacity() * 8;
  }
  s.memory_bytes = bytes;
  s.built = built_;
  s.calibration_queries = calibration_.empty() ? 0 : calibration_.queries;
  if (synonyms_ != nullptr) {
    s.synonym_rules = synonyms_->rules();
    s.synonyms_source = synonyms_->source();
  }
  s.build_fit_seconds = build_fit_s_;
  s.build_embed_seconds = build_embed_s_;
  s.build_index_seconds = build_index_s_;
  return s;
}

EngineOptions EngineImpl::options() const {
  std::shared_lock<FairSharedMutex> lock(mu_);
  return options_;
}

}  // namespace internal

// ---------------------------------------------------------------- Engine

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  return internal::CatchAll("engine", [&]() -> Result<std::unique_ptr<Engine>> {
    TECHMATCH_RETURN_IF_ERROR(options.Validate());
    auto e = std::make_unique<internal::EngineImpl>();
    e->options_ = options;
    internal::ApplyEngineThreads(&e->options_);
    TECHMATCH_RETURN_IF_ERROR(internal::InlineAnalyzerFiles(&e->options_.analyzer));
    auto analyzer = Analyzer::Create(e->options_.analyzer);
    if (!analyzer.ok()) return analyzer.status();
    e->analyzer_ = std::shared_ptr<const Analyzer>(std::move(*analyzer));
    e->field_weights_ = internal::LexicalFieldWeights(e->options_.lexical);
    auto embedder = CreateEmbedder(e->options_.embedder, e->analyzer_);
    if (!embedder.ok()) return embedder.status();
    e->embedder_ = std::move(*embedder);
    if (e->external()) {
      // The caller's vectors go straight into the dense index.
      DenseIndexOptions dopt = e->options_.dense;
      dopt.dim = e->embedder_->dim();
      auto dense = DenseIndex::Create(dopt);
      if (!dense.ok()) return dense.status();
      e->dense_ = std::move(*dense);
    }
    for (auto& lex : e->lexical_) {
      lex = std::make_unique<internal::LexicalIndex>(e->options_.lexical);
    }
    e->scorer_ = std::make_unique<LinearScorer>(e->options_.scorer.weights);
    return std::unique_ptr<Engine>(std::move(e));
  });
}

Status Engine::SetWeights(const ScorerWeights& weights) {
  TECHMATCH_RETURN_IF_ERROR(weights.Validate());
  return SetScorer(LinearScorer(weights));
}

}  // namespace techmatch
