// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/dense_retriever.h"

#include <algorithm>
#include <new>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "io/coding.h"
#include "io/snapshot_file.h"
#include "techmatch/record_io.h"

namespace techmatch {

using internal::Decoder;
using internal::Fourcc;

namespace {

constexpr uint32_t kMetaVersion = 1;

std::string KeyString(RecordKind kind, const std::string& id) {
  std::string k(1, char('0' + int(kind)));
  k += id;
  return k;
}

std::string Describe(const RecordKey& key) {
  return std::string(RecordKindName(key.kind)) + " \"" + key.id + "\"";
}

// The part of a record that filters look at.
Record Metadata(const Record& r) {
  Record m;
  m.id = r.id;
  m.kind = r.kind;
  m.categories = r.categories;
  m.region = r.region;
  m.maturity = r.maturity;
  m.price = r.price;
  m.org_type = r.org_type;
  m.created = r.created;
  m.attributes = r.attributes;
  return m;
}

bool IsZero(const float* v, size_t d) {
  return std::all_of(v, v + d, [](float x) { return x == 0.0f; });
}

}  // namespace

Status DenseRetrieverOptions::Validate() const {
  TECHMATCH_RETURN_IF_ERROR(embedder.Validate());
  if (index.dim != 0) {
    return Status::InvalidArgument(
        "DenseRetrieverOptions.index.dim is taken from the embedder: leave it 0");
  }
  DenseIndexOptions probe = index;
  probe.dim = 1;
  return probe.Validate();
}

struct DenseRetriever::Impl {
  std::shared_ptr<const Analyzer> analyzer;
  std::unique_ptr<Embedder> embedder;
  std::unique_ptr<DenseIndex> index;
  std::unordered_map<std::string, uint64_t> ids;  // KeyString -> id
  // Metadata by 64-bit id (ids are handed out in order and never reused);
  // null for removed records.
  std::vector<std::unique_ptr<Record>> meta;

  Status CheckNew(const std::vector<Record>& records, bool allow_existing,
                  std::vector<uint64_t>* out_ids) const;
  Status Insert(const std::vector<Record>& records, VectorView vectors,
                bool upsert);
  Status Embed(const std::vector<Record>& records, std::vector<float>* out) const;
  Result<std::vector<DenseMatch>> Search(const float* query, size_t k,
                                         const RecordFilter* filter,
                                         int nprobe) const;
};

DenseRetriever::DenseRetriever(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
DenseRetriever::~DenseRetriever() = default;

Result<std::unique_ptr<DenseRetriever>> DenseRetriever::Create(
    const DenseRetrieverOptions& options,
    std::shared_ptr<const Analyzer> analyzer) {
  TECHMATCH_RETURN_IF_ERROR(options.Validate());
  auto impl = std::make_unique<Impl>();
  impl->analyzer = analyzer;
  auto emb = CreateEmbedder(options.embedder, analyzer);
  if (!emb.ok()) return emb.status();
  impl->embedder = std::move(*emb);
  DenseIndexOptions iopt = options.index;
  iopt.dim = impl->embedder->dim();
  auto index = DenseIndex::Create(iopt);
  if (!index.ok()) return index.status();
  impl->index = std::move(*index);
  return std::unique_ptr<DenseRetriever>(new DenseRetriever(std::move(impl)));
}

Status DenseRetriever::Fit(const std::vector<Record>& corpus) {
  return impl_->embedder->Fit(corpus);
}

Status DenseRetriever::Impl::CheckNew(const std::vector<Record>& records,
                                      bool allow_existing,
                                      std::vector<uint64_t>* out_ids) const {
  std::unordered_set<std::string> batch;
  uint64_t next = meta.size();
  out_ids->clear();
  for (const Record& r : records) {
    TECHMATCH_RETURN_IF_ERROR(r.Validate());
    std::string k = KeyString(r.kind, r.id);
    if (!batch.insert(k).second) {
      return Status::InvalidArgument("record " + Describe({r.kind, r.id}) +
                                     " appears twice in the batch");
    }
    auto it = ids.find(k);
    if (it != ids.end()) {
      if (!allow_existing) {
        return Status::InvalidArgument("record " + Describe({r.kind, r.id}) +
                                       " is already indexed (use Upsert)");
      }
      out_ids->push_back(it->second);
    } else {
      out_ids->push_back(next++);
    }
  }
  return Status::OK();
}

Status DenseRetriever::Impl::Embed(const std::vector<Record>& records,
                                   std::vector<float>* out) const {
  const size_t d = embedder->dim();
  out->assign(records.size() * d, 0.0f);
  TECHMATCH_RETURN_IF_ERROR(embedder->EmbedRecords(records, out->data()));
  for (size_t i = 0; i < records.size(); ++i) {
    if (IsZero(out->data() + i * d, d)) {
      return Status::InvalidArgument(
          "record " + Describe({records[i].kind, records[i].id}) +
          ": no term of its text is known to the embedder, so it has no vector");
    }
  }
  return Status::OK();
}

Status DenseRetriever::Impl::Insert(const std::vector<Record>& records,
                                    VectorView vectors, bool upsert) {
  std::vector<uint64_t> new_ids;
  TECHMATCH_RETURN_IF_ERROR(CheckNew(records, upsert, &new_ids));
  if (vectors.n != records.size()) {
    return Status::InvalidArgument("got " + std::to_string(vectors.n) +
                                   " vectors for " +
                                   std::to_string(records.size()) + " records");
  }
  std::vector<std::string> names;
  names.reserve(records.size());
  for (const Record& r : records) names.push_back(r.id);
  TECHMATCH_RETURN_IF_ERROR(CheckVectors(names, vectors, index->dim()));
  TECHMATCH_RETURN_IF_ERROR(upsert ? index->Upsert(new_ids, vectors)
                                   : index->Add(new_ids, vectors));
  for (size_t i = 0; i < records.size(); ++i) {
    uint64_t id = new_ids[i];
    if (id >= meta.size()) meta.resize(id + 1);
    meta[id] = std::make_unique<Record>(Metadata(records[i]));
    ids[KeyString(records[i].kind, records[i].id)] = id;
  }
  return Status::OK();
}

Status DenseRetriever::Add(const std::vector<Record>& records) {
  try {
    std::vector<float> v;
    TECHMATCH_RETURN_IF_ERROR(impl_->Embed(records, &v));
    return impl_->Insert(records, {v.data(), records.size(), impl_->index->dim()},
                         false);
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory adding records");
  }
}

Status DenseRetriever::Upsert(const std::vector<Record>& records) {
  try {
    std::vector<float> v;
    TECHMATCH_RETURN_IF_ERROR(impl_->Embed(records, &v));
    return impl_->Insert(records, {v.data(), records.size(), impl_->index->dim()},
                         true);
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory upserting records");
  }
}

Status DenseRetriever::AddWithVectors(const std::vector<Record>& records,
                                      VectorView vectors) {
  try {
    return impl_->Insert(records, vectors, false);
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory adding records");
  }
}

Status DenseRetriever::UpsertWithVectors(const std::vector<Record>& records,
                                         VectorView vectors) {
  try {
    return impl_->Insert(records, vectors, true);
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory upserting records");
  }
}

Status DenseRetriever::Remove(const std::vector<RecordKey>& keys) {
  std::vector<uint64_t> doomed;
  std::unordered_set<uint64_t> seen;
  for (const RecordKey& k : keys) {
    auto it = impl_->ids.find(KeyString(k.kind, k.id));
    if (it == impl_->ids.end()) {
      return Status::NotFound("record " + Describe(k) + " is not indexed");
    }
    if (seen.insert(it->second).second) doomed.push_back(it->second);
  }
  TECHMATCH_RETURN_IF_ERROR(impl_->index->Remove(doomed));
  for (const RecordKey& k : keys) {
    auto it = impl_->ids.find(KeyString(k.kind, k.id));
    if (it == impl_->ids.end()) continue;
    impl_->meta[it->second].reset();
    impl_->ids.erase(it);
  }
  return Status::OK();
}

Status DenseRetriever::Build() { return impl_->index->Build(); }

Result<std::vector<DenseMatch>> DenseRetriever::Impl::Search(
    const float* query, size_t k, const RecordFilter* filter, int nprobe) const {
  DenseSearchOptions so;
  so.k = k;
  so.nprobe = nprobe;
  std::unique_ptr<DenseFilter> dense_filter;
  if (filter != nullptr && !filter->empty()) {
    TECHMATCH_RETURN_IF_ERROR(filter->Validate());
    if (!filter->ids.empty()) {
      // An allow-list: resolve it to 64-bit ids now, so a selective one is
      // searched exactly.
      std::vector<uint64_t> allowed;
      for (const std::string& id : filter->ids) {
        for (RecordKind kind : {RecordKind::kSupply, RecordKind::kDemand}) {
          if (filter->kind && *filter->kind != kind) continue;
          auto it = ids.find(KeyString(kind, id));
          if (it != ids.end() && filter->Matches(*meta[it->second])) {
            allowed.push_back(it->second);
          }
        }
      }
      std::sort(allowed.begin(), allowed.end());
      allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
      dense_filter = MakeIdSetFilter(std::move(allowed));
    } else {
      dense_filter = MakePredicateFilter([this, filter](uint64_t id) {
        return id < meta.size() && meta[id] && filter->Matches(*meta[id]);
      });
    }
    so.filter = dense_filter.get();
  }
  auto hits = index->Search(query, so);
  if (!hits.ok()) return hits.status();
  std::vector<DenseMatch> out;
  out.reserve(hits->size());
  for (const DenseHit& h : *hits) {
    const Record& m = *meta[h.id];
    out.push_back({{m.kind, m.id}, h.score});
  }
  return out;
}

Result<std::vector<DenseMatch>> DenseRetriever::SearchVector(
    const float* query, size_t k, const RecordFilter* filter, int nprobe) const {
  return impl_->Search(query, k, filter, nprobe);
}

Result<std::vector<DenseMatch>> DenseRetriever::SearchText(
    std::string_view text, size_t k, const RecordFilter* filter,
    int nprobe) const {
  std::vector<float> v(impl_->embedder->dim());
  TECHMATCH_RETURN_IF_ERROR(impl_->embedder->EmbedText(text, v.data()));
  if (IsZero(v.data(), v.size())) return std::vector<DenseMatch>();
  return impl_->Search(v.data(), k, filter, nprobe);
}

Result<std::vector<DenseMatch>> DenseRetriever::SearchRecord(
    const Record& query, size_t k, const RecordFilter* filter, int nprobe) const {
  std::vector<float> v(impl_->embedder->dim());
  TECHMATCH_RETURN_IF_ERROR(impl_->embedder->EmbedRecords({query}, v.data()));
  if (IsZero(v.data(), v.size())) return std::vector<DenseMatch>();
  return impl_->Search(v.data(), k, filter, nprobe);
}

bool DenseRetriever::Contains(const RecordKey& key) const {
  return impl_->ids.count(KeyString(key.kind, key.id)) != 0;
}
size_t DenseRetriever::size() const { return impl_->ids.size(); }
const Embedder& DenseRetriever::embedder() const { return *impl_->embedder; }
const DenseIndex& DenseRetriever::index() const { return *impl_->index; }

Status DenseRetriever::Save(const std::string& path) const {
  try {
    internal::SnapshotWriter w;
    std::string meta;
    internal::PutFixed32(&meta, kMetaVersion);
    internal::PutFixed64(&meta, impl_->meta.size());  // next 64-bit id
    w.AddSection(Fourcc("META"), std::move(meta));
    std::string emb;
    TECHMATCH_RETURN_IF_ERROR(impl_->embedder->Save(&emb));
    w.AddSection(Fourcc("EMBD"), std::move(emb));
    std::string idx;
    TECHMATCH_RETURN_IF_ERROR(impl_->index->Save(&idx));
    w.AddSection(Fourcc("DIDX"), std::move(idx));
    std::string recs;
    internal::PutVarint64(&recs, impl_->ids.size());
    for (uint64_t id = 0; id < impl_->meta.size(); ++id) {
      if (!impl_->meta[id]) continue;
      internal::PutFixed64(&recs, id);
      internal::PutLengthPrefixedString(&recs, RecordToJson(*impl_->meta[id]));
    }
    w.AddSection(Fourcc("RMET"), std::move(recs));
    return w.WriteFile(path);
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory saving " + path);
  }
}

Result<std::unique_ptr<DenseRetriever>> DenseRetriever::Load(
    const std::string& path, std::shared_ptr<const Analyzer> analyzer) {
  try {
    auto file = internal::SnapshotReader::ReadFile(path);
    if (!file.ok()) return file.status();
    auto meta_bytes = file->Section(Fourcc("META"));
    auto emb_bytes = file->Section(Fourcc("EMBD"));
    auto idx_bytes = file->Section(Fourcc("DIDX"));
    auto rec_bytes = file->Section(Fourcc("RMET"));
    for (const Result<std::string_view>* s :
         {&meta_bytes, &emb_bytes, &idx_bytes, &rec_bytes}) {
      if (!s->ok()) return s->status().WithContext(path);
    }
    Decoder meta(*meta_bytes);
    uint32_t version = 0;
    uint64_t next_id = 0;
    if (!meta.ReadFixed32(&version)) return meta.Corruption(path + ": META");
    if (version != kMetaVersion) {
      return Status::NotSupported(path + ": dense retriever version " +
                                  std::to_string(version) + " (this build reads " +
                                  std::to_string(kMetaVersion) + ")");
    }
    meta.ReadFixed64(&next_id);
    TECHMATCH_RETURN_IF_ERROR(meta.ExpectEnd(path + ": META"));

    auto impl = std::make_unique<Impl>();
    impl->analyzer = analyzer;
    auto emb = LoadEmbedder(*emb_bytes, analyzer);
    if (!emb.ok()) return emb.status().WithContext(path);
    impl->embedder = std::move(*emb);
    auto index = DenseIndex::Load(*idx_bytes);
    if (!index.ok()) return index.status().WithContext(path);
    impl->index = std::move(*index);
    if (impl->index->dim() != impl->embedder->dim()) {
      return Status::Corruption(path + ": index and embedder dimensions differ");
    }
    Decoder recs(*rec_bytes);
    uint64_t count = 0;
    if (!recs.ReadCount(&count, 9)) return recs.Corruption(path + ": RMET");
    if (next_id > (uint64_t{1} << 40) || count > next_id) {
      return Status::Corruption(path + ": RMET: bad record count");
    }
    impl->meta.resize(next_id);
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t id = 0;
      std::string_view json;
      if (!recs.ReadFixed64(&id) || !recs.ReadLengthPrefixed(&json)) {
        return recs.Corruption(path + ": RMET");
      }
      auto r = ParseRecordJson(json, JsonlReadOptions{});
      if (!r.ok() || id >= next_id || impl->meta[id] ||
          !impl->index->Contains(id)) {
        return Status::Corruption(path + ": RMET: bad record " +
                                  std::to_string(i));
      }
      std::string k = KeyString(r->kind, r->id);
      if (!impl->ids.emplace(k, id).second) {
        return Status::Corruption(path + ": RMET: duplicate record " + r->id);
      }
      impl->meta[id] = std::make_unique<Record>(std::move(*r));
    }
    TECHMATCH_RETURN_IF_ERROR(recs.ExpectEnd(path + ": RMET"));
    if (impl->index->size() != impl->ids.size()) {
      return Status::Corruption(path + ": index holds " +
                                std::to_string(impl->index->size()) +
                                " vectors for " +
                                std::to_string(impl->ids.size()) + " records");
    }
    return std::unique_ptr<DenseRetriever>(new DenseRetriever(std::move(impl)));
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory loading " + path);
  }
}

}  // namespace techmatch
