// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "index/faiss_util.h"

#include <faiss/IVFlib.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/IndexPQ.h>
#include <faiss/IndexPreTransform.h>
#include <faiss/IndexRefine.h>
#include <faiss/impl/io.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>
#include <faiss/invlists/InvertedLists.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "io/coding.h"

namespace techmatch::internal {
namespace {

faiss::Index* Core(faiss::Index* index) {
  while (auto* pt = dynamic_cast<faiss::IndexPreTransform*>(index)) {
    index = pt->index;
  }
  return index;
}

// Appends straight into a std::string (no intermediate std::vector copy).
struct StringWriter final : faiss::IOWriter {
  explicit StringWriter(std::string* out) : out(out) {}
  size_t operator()(const void* ptr, size_t size, size_t nitems) override {
    if (size * nitems > 0) {
      out->append(static_cast<const char*>(ptr), size * nitems);
    }
    return nitems;
  }
  std::string* out;
};

struct CountingWriter final : faiss::IOWriter {
  size_t operator()(const void*, size_t size, size_t nitems) override {
    bytes += size * nitems;
    return nitems;
  }
  size_t bytes = 0;
};

// Reads from a string_view without copying it; short reads make Faiss throw.
struct ViewReader final : faiss::IOReader {
  explicit ViewReader(std::string_view data) : data(data) {}
  size_t operator()(void* ptr, size_t size, size_t nitems) override {
    if (size == 0) return 0;
    const size_t n = std::min(nitems, (data.size() - pos) / size);
    if (n == 0) return 0;  // (Faiss reads empty vectors into nullptr)
    std::memcpy(ptr, data.data() + pos, n * size);
    pos += n * size;
    return n;
  }
  std::string_view data;
  size_t pos = 0;
};

Status CheckIvf(const faiss::IndexIVF& ivf, size_t ntotal) {
  const faiss::InvertedLists* lists = ivf.invlists;
  if (lists == nullptr || lists->nlist != ivf.nlist ||
      ivf.quantizer == nullptr || size_t(ivf.quantizer->ntotal) != ivf.nlist) {
    return Status::Corruption("dense index: inconsistent IVF lists");
  }
  std::vector<bool> seen(ntotal, false);
  size_t total = 0;
  for (size_t l = 0; l < lists->nlist; ++l) {
    const size_t n = lists->list_size(l);
    if (n > ntotal - total) {
      return Status::Corruption("dense index: IVF lists hold too many ids");
    }
    total += n;
    const FaissIdx* ids = lists->get_ids(l);
    bool ok = true;
    for (size_t j = 0; j < n && ok; ++j) {
      ok = ids[j] >= 0 && size_t(ids[j]) < ntotal && !seen[size_t(ids[j])];
      if (ok) seen[size_t(ids[j])] = true;
    }
    lists->release_ids(l, ids);
    if (!ok) return Status::Corruption("dense index: bad id in an IVF list");
  }
  if (total != ntotal) {
    return Status::Corruption("dense index: IVF lists miss some positions");
  }
  return Status::OK();
}

Status CheckHnsw(const faiss::IndexHNSW& index, size_t ntotal) {
  const faiss::HNSW& h = index.hnsw;
  const auto n = FaissIdx(ntotal);
  bool ok = index.storage != nullptr && index.storage->ntotal == n &&
            h.levels.size() == ntotal && h.offsets.size() == ntotal + 1 &&
            h.offsets[0] == 0 && h.offsets.back() == h.neighbors.size() &&
            h.entry_point >= (ntotal > 0 ? 0 : -1) && h.entry_point < n &&
            h.max_level < int(h.cum_nneighbor_per_level.size());
  for (size_t i = 0; ok && i < ntotal; ++i) {
    const int level = h.levels[i];
    ok = level >= 1 && size_t(level) < h.cum_nneighbor_per_level.size() &&
         h.offsets[i + 1] >= h.offsets[i] &&
         h.offsets[i + 1] - h.offsets[i] ==
             size_t(h.cum_nneighbor_per_level[size_t(level)]);
  }
  for (size_t i = 0; ok && i < h.neighbors.size(); ++i) {
    ok = h.neighbors[i] >= -1 && h.neighbors[i] < n;
  }
  if (!ok) return Status::Corruption("dense index: inconsistent HNSW graph");
  return Status::OK();
}

}  // namespace

FaissIndex::FaissIndex(std::unique_ptr<faiss::Index> idx)
    : index(std::move(idx)) {
  ivf = faiss::ivflib::try_extract_index_ivf(index.get());
  faiss::Index* core = Core(index.get());
  hnsw = dynamic_cast<faiss::IndexHNSW*>(core);
  exact_scores = core == index.get() &&
                 (dynamic_cast<faiss::IndexIVFFlat*>(core) != nullptr ||
                  dynamic_cast<faiss::IndexFlat*>(core) != nullptr ||
                  (hnsw != nullptr &&
                   dynamic_cast<faiss::IndexFlat*>(hnsw->storage) != nullptr));
}

Result<std::unique_ptr<FaissIndex>> NewFaissIndex(size_t dim,
                                                  const std::string& spec) {
  if (spec.find("IDMap") != std::string::npos) {
    return Status::InvalidArgument(
        "dense index: spec \"" + spec +
        "\": IDMap is not allowed (the index maps ids itself)");
  }
  std::unique_ptr<faiss::Index> index;
  Status s = FaissCall("index_factory", [&] {
    index.reset(faiss::index_factory(int(dim), spec.c_str(),
                                     faiss::METRIC_INNER_PRODUCT));
  });
  if (!s.ok()) {
    return Status::InvalidArgument("dense index: bad spec \"" + spec +
                                   "\": " + s.message());
  }
  if (index->metric_type != faiss::METRIC_INNER_PRODUCT ||
      dynamic_cast<faiss::IndexIDMap*>(index.get()) != nullptr ||
      dynamic_cast<faiss::IndexIDMap2*>(index.get()) != nullptr) {
    return Status::InvalidArgument(
        "dense index: spec \"" + spec +
        "\" does not give an inner-product index over positions");
  }
  // Faiss 1.7.3 throws on any SearchParameters given to these, so they
  // could neither skip tombstones nor filter (the trial search in Build()
  // catches any other such type, after training).
  if (dynamic_cast<faiss::IndexPQ*>(Core(index.get())) != nullptr ||
      dynamic_cast<faiss::IndexRefine*>(Core(index.get())) != nullptr) {
    return Status::NotSupported(
        "dense index: spec \"" + spec +
        "\": Faiss 1.7.3 cannot filter searches of IndexPQ or IndexRefine");
  }
  return std::make_unique<FaissIndex>(std::move(index));
}

bool PositionSelector::is_member(idx_t pos) const {
  if (pos < 0 || size_t(pos) >= store_.positions()) return false;
  if (!store_.is_live(size_t(pos))) return false;
  if (filter_ == nullptr) return true;
  try {
    return filter_->Allows(store_.id(size_t(pos)));
  } catch (...) {
    failed_.store(true, std::memory_order_relaxed);
    return false;
  }
}

Status FaissSearchOne(const FaissIndex& index, const float* query,
                      const FaissQuery& q, float* scores, FaissIdx* labels) {
  // The most derived parameter type the core understands: IndexIVF and
  // IndexHNSW dynamic_cast the parameters to their own subclass, and
  // IndexPreTransform passes them through to its sub-index.
  faiss::SearchParametersIVF ivf;
  faiss::SearchParametersHNSW hnsw;
  faiss::SearchParameters plain;
  faiss::SearchParameters* params = &plain;
  if (index.ivf != nullptr) {
    ivf.nprobe = size_t(std::max(1, q.nprobe));
    params = &ivf;
  } else if (index.hnsw != nullptr) {
    hnsw.efSearch = std::max(q.ef_search, int(q.k));
    params = &hnsw;
  }
  // Faiss takes a mutable pointer but only calls the const is_member().
  params->sel = const_cast<faiss::IDSelector*>(q.selector);
  return FaissCall("Faiss search", [&] {
    index.index->search(1, query, FaissIdx(q.k), scores, labels, params);
  });
}

Status SerializeFaissIndex(const faiss::Index& index, std::string* out) {
  StringWriter writer(out);
  return FaissCall("faiss::write_index",
                   [&] { faiss::write_index(&index, &writer); });
}

size_t SerializedFaissSize(const faiss::Index& index) {
  CountingWriter writer;
  Status s = FaissCall("faiss::write_index",
                       [&] { faiss::write_index(&index, &writer); });
  return s.ok() ? writer.bytes : 0;
}

Result<std::unique_ptr<FaissIndex>> DeserializeFaissIndex(std::string_view blob,
                                                          size_t dim,
                                                          size_t ntotal) {
  // Every index type Faiss 1.7.3 writes starts with a fourcc, then d
  // (int32) and ntotal (int64), native byte order. Checking them first
  // rejects most damage before read_index sizes any allocation from it.
  if (blob.size() < 16 || DecodeFixed32(blob.data() + 4) != dim ||
      DecodeFixed64(blob.data() + 8) != ntotal) {
    return Status::Corruption(
        "dense index: Faiss index header does not match the vectors");
  }
  ViewReader reader(blob);
  std::unique_ptr<faiss::Index> index;
  Status s = FaissCall("faiss::read_index",
                       [&] { index.reset(faiss::read_index(&reader)); });
  if (!s.ok()) return Status::Corruption("dense index: " + s.message());
  if (reader.pos != blob.size()) {
    return Status::Corruption("dense index: trailing bytes after the index");
  }
  if (size_t(index->d) != dim || size_t(index->ntotal) != ntotal ||
      index->metric_type != faiss::METRIC_INNER_PRODUCT || !index->is_trained ||
      dynamic_cast<faiss::IndexIDMap*>(index.get()) != nullptr) {
    return Status::Corruption("dense index: unexpected Faiss index");
  }
  auto result = std::make_unique<FaissIndex>(std::move(index));
  if (result->ivf != nullptr) {
    TECHMATCH_RETURN_IF_ERROR(CheckIvf(*result->ivf, ntotal));
  }
  if (result->hnsw != nullptr) {
    TECHMATCH_RETURN_IF_ERROR(CheckHnsw(*result->hnsw, ntotal));
  }
  return result;
}

}  // namespace techmatch::internal
