// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// DenseIndex::Save / Load: the versioned payload of docs/dense_index.md.

#include <cmath>
#include <cstring>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "index/dense_index_impl.h"
#include "io/coding.h"
#include "io/crc32c.h"
#include "techmatch/dense_index.h"

namespace techmatch {

namespace {

using internal::Decoder;

// 2: the hnswlib graph holds no vectors (HnswlibLayout::kLabelsOnly);
// 1: it holds a copy of them (still read).
constexpr uint32_t kPayloadVersion = 2;
constexpr uint32_t kOldestPayloadVersion = 1;
// What follows the build state.
constexpr uint8_t kBackendNone = 0;
constexpr uint8_t kBackendFaiss = 1;
constexpr uint8_t kBackendHnswlib = 2;

// A stored live vector must have unit norm up to float rounding.
constexpr double kNormTolerance = 1e-3;

uint32_t FloatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

float BitsFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

}  // namespace

Status DenseIndex::Save(std::string* out) const {
  if (out == nullptr) return Status::InvalidArgument("dense index: null out");
  const Impl& impl = *impl_;
  const internal::VectorStore& store = impl.store;
  const DenseIndexOptions& opt = impl.options;
  const size_t n = store.positions();
  const size_t dim = opt.dim;
  try {
    out->clear();
    out->reserve(64 + opt.spec.size() + impl.resolved_spec.size() +
                 n * (8 + 4 * dim) + n / 8);
    internal::PutFixed32(out, kPayloadVersion);
    // Options.
    internal::PutVarint64(out, dim);
    internal::PutLengthPrefixedString(out, opt.spec);
    internal::PutDouble(out, opt.max_tombstone_ratio);
    internal::PutVarint64(out, opt.exact_filter_max);
    internal::PutFixed32(out, uint32_t(opt.threads));
    internal::PutFixed64(out, opt.seed);
    // The store: ids, tombstone words, vectors (every position, so that
    // positions keep matching the Faiss index).
    internal::PutVarint64(out, n);
    size_t at = out->size();
    out->resize(at + 8 * n + 8 * store.dead_words().size() + 4 * n * dim);
    char* p = out->data() + at;
    for (uint64_t id : store.ids()) {
      internal::EncodeFixed64(p, id);
      p += 8;
    }
    for (uint64_t word : store.dead_words()) {
      internal::EncodeFixed64(p, word);
      p += 8;
    }
    const float* v = store.data();
    for (size_t i = 0; i < n * dim; ++i, p += 4) {
      internal::EncodeFixed32(p, FloatBits(v[i]));
    }
    // Build state.
    out->push_back(char(impl.built ? 1 : 0));
    internal::PutLengthPrefixedString(out, impl.resolved_spec);
    internal::PutVarint32(out, uint32_t(impl.default_nprobe));
    internal::PutVarint32(out, uint32_t(impl.default_ef_search));
    // The approximate structure: backend tag (0 none, 1 Faiss, 2 hnswlib;
    // payloads before hnswlib wrote 0 or 1 here), then length, masked
    // crc32c and the faiss::write_index / hnswlib saveIndex bytes.
    const uint8_t backend = impl.faiss != nullptr  ? kBackendFaiss
                            : impl.hnsw != nullptr ? kBackendHnswlib
                                                   : kBackendNone;
    out->push_back(char(backend));
    if (backend != kBackendNone) {
      at = out->size();
      out->append(12, '\0');
      if (impl.faiss != nullptr) {
        TECHMATCH_RETURN_IF_ERROR(
            internal::SerializeFaissIndex(*impl.faiss->index, out));
      } else {
        TECHMATCH_RETURN_IF_ERROR(impl.hnsw->Serialize(out));
      }
      const size_t length = out->size() - at - 12;
      const uint32_t crc =
          internal::crc32c::Value(out->data() + at + 12, length);
      internal::EncodeFixed64(out->data() + at, length);
      internal::EncodeFixed32(out->data() + at + 8,
                              internal::crc32c::Mask(crc));
    }
  } catch (const std::bad_alloc&) {
    out->clear();
    return Status::Internal("dense index: out of memory while saving");
  } catch (const std::exception& e) {
    out->clear();
    return Status::Internal(std::string("dense index: saving: ") + e.what());
  }
  return Status::OK();
}

Result<std::unique_ptr<DenseIndex>> DenseIndex::Load(
    std::string_view bytes) try {
  Decoder d(bytes);
  uint32_t version = 0;
  if (!d.ReadFixed32(&version)) return d.Corruption("dense index version");
  if (version < kOldestPayloadVersion || version > kPayloadVersion) {
    return Status::NotSupported(
        "dense index: payload version " + std::to_string(version) + " (this build reads versions " +
        std::to_string(kOldestPayloadVersion) + " to " + std::to_string(kPayloadVersion) + ")");
  }
  DenseIndexOptions opt;
  uint64_t dim = 0, exact_filter_max = 0;
  std::string_view spec;
  uint32_t threads = 0;
  if (!d.ReadVarint64(&dim) || !d.ReadLengthPrefixed(&spec) ||
      !d.ReadDouble(&opt.max_tombstone_ratio) ||
      !d.ReadVarint64(&exact_filter_max) || !d.ReadFixed32(&threads) ||
      !d.ReadFixed64(&opt.seed)) {
    return d.Corruption("dense index options");
  }
  opt.dim = size_t(dim);
  opt.spec = std::string(spec);
  opt.exact_filter_max = size_t(exact_filter_max);
  opt.threads = int(int32_t(threads));
  if (Status s = opt.Validate(); !s.ok()) {
    return Status::Corruption("dense index: bad options: " + s.message());
  }

  auto impl = std::make_unique<Impl>(opt);
  // Counts are checked against the bytes left before any allocation.
  uint64_t n = 0;
  if (!d.ReadCount(&n, 8)) return d.Corruption("dense index ids");
  const size_t words = size_t((n + 63) / 64);
  if (opt.dim > d.remaining() / 4 / std::max<uint64_t>(n, 1)) {
    return Status::Corruption("dense index: vectors truncated");
  }
  std::string_view id_bytes, dead_bytes, vec_bytes;
  if (!d.ReadBytes(size_t(n) * 8, &id_bytes) ||
      !d.ReadBytes(words * 8, &dead_bytes) ||
      !d.ReadBytes(size_t(n) * opt.dim * 4, &vec_bytes)) {
    return d.Corruption("dense index vectors");
  }
  std::vector<uint64_t> ids(n), dead(words);
  for (size_t i = 0; i < n; ++i) {
    ids[i] = internal::DecodeFixed64(id_bytes.data() + 8 * i);
  }
  for (size_t i = 0; i < words; ++i) {
    dead[i] = internal::DecodeFixed64(dead_bytes.data() + 8 * i);
  }
  if (n % 64 != 0 && (dead.back() >> (n % 64)) != 0) {
    return Status::Corruption("dense index: tombstone bits past the end");
  }
  std::vector<float> vectors(size_t(n) * opt.dim);
  for (size_t i = 0; i < vectors.size(); ++i) {
    vectors[i] = BitsFloat(internal::DecodeFixed32(vec_bytes.data() + 4 * i));
    if (!std::isfinite(vectors[i])) {
      return Status::Corruption("dense index: non-finite vector component");
    }
  }
  for (size_t pos = 0; pos < n; ++pos) {
    if (dead[pos / 64] >> (pos % 64) & 1) continue;
    double sum = 0.0;
    for (size_t j = 0; j < opt.dim; ++j) {
      const double x = vectors[pos * opt.dim + j];
      sum += x * x;
    }
    if (std::abs(sum - 1.0) > kNormTolerance) {
      return Status::Corruption("dense index: vector of id " +
                                std::to_string(ids[pos]) +
                                " is not normalized");
    }
  }
  if (!impl->store.Assign(std::move(ids), std::move(dead),
                          std::move(vectors))) {
    return Status::Corruption("dense index: an id is live twice");
  }

  uint8_t built = 0, backend = 0;
  std::string_view resolved;
  uint32_t nprobe = 0, ef = 0;
  if (!d.ReadFixed8(&built) || !d.ReadLengthPrefixed(&resolved) ||
      !d.ReadVarint32(&nprobe) || !d.ReadVarint32(&ef) ||
      !d.ReadFixed8(&backend)) {
    return d.Corruption("dense index build state");
  }
  std::string_view blob;
  uint64_t blob_length = 0;
  uint32_t masked_crc = 0;
  if (backend != kBackendNone &&
      (!d.ReadFixed64(&blob_length) || !d.ReadFixed32(&masked_crc) ||
       blob_length > d.remaining() ||
       !d.ReadBytes(size_t(blob_length), &blob))) {
    return d.Corruption("dense index approximate index");
  }
  TECHMATCH_RETURN_IF_ERROR(d.ExpectEnd("dense index"));

  const bool flat = resolved == "Flat";
  const bool hnswlib_spec = internal::IsHnswlibSpec(resolved);
  const bool consistent =
      built <= 1 && backend <= kBackendHnswlib &&
      (built == 1 ? !resolved.empty() && (backend != kBackendNone) != flat
                  : resolved.empty() && backend == kBackendNone) &&
      (backend == kBackendHnswlib) == hnswlib_spec &&
      nprobe <= uint32_t(INT32_MAX) && ef <= uint32_t(INT32_MAX);
  if (!consistent) {
    return Status::Corruption("dense index: inconsistent build state");
  }
  impl->built = built == 1;
  impl->resolved_spec = std::string(resolved);
  impl->default_nprobe = int(nprobe);
  impl->default_ef_search = int(ef);
  if (backend == kBackendHnswlib) {
    if (internal::crc32c::Unmask(masked_crc) !=
        internal::crc32c::Value(blob.data(), blob.size())) {
      return Status::Corruption("dense index: hnswlib index checksum mismatch");
    }
    auto params = internal::ParseHnswlibSpec(resolved);
    if (!params.ok()) {
      return Status::Corruption("dense index: bad resolved spec: " +
                                params.status().message());
    }
    if (nprobe != 0 || ef < 1) {
      return Status::Corruption("dense index: bad default search settings");
    }
    auto hnsw = internal::HnswlibIndex::Deserialize(
        blob,
        version == kOldestPayloadVersion ? internal::HnswlibLayout::kWithVectors
                     : internal::HnswlibLayout::kLabelsOnly,
        &impl->store, *params, size_t(n));
    if (!hnsw.ok()) return hnsw.status();
    // The graph marks exactly the store's tombstones.
    for (size_t pos = 0; pos < size_t(n); ++pos) {
      if ((*hnsw)->IsDeleted(pos) == impl->store.is_live(pos)) {
        return Status::Corruption(
            "dense index: hnswlib deletions do not match the tombstones");
      }
    }
    impl->hnsw = std::move(*hnsw);
  } else if (backend == kBackendFaiss) {
    // faiss::read_index trusts its input (sizes, offsets); a checksum
    // keeps damaged bytes away from it.
    if (internal::crc32c::Unmask(masked_crc) !=
        internal::crc32c::Value(blob.data(), blob.size())) {
      return Status::Corruption("dense index: Faiss index checksum mismatch");
    }
    auto faiss = internal::DeserializeFaissIndex(blob, opt.dim, size_t(n));
    if (!faiss.ok()) return faiss.status();
    const internal::FaissIndex& f = **faiss;
    const bool params_ok =
        (f.ivf != nullptr ? nprobe >= 1 && nprobe <= f.ivf->nlist
                          : nprobe == 0) &&
        (f.hnsw != nullptr ? ef >= 1 : ef == 0);
    if (!params_ok) {
      return Status::Corruption("dense index: bad default search settings");
    }
    impl->faiss = std::move(*faiss);
  } else if (nprobe != 0 || ef != 0) {
    return Status::Corruption("dense index: bad default search settings");
  }
  return std::unique_ptr<DenseIndex>(new DenseIndex(std::move(impl)));
} catch (const std::bad_alloc&) {
  return Status::Internal("dense index: out of memory while loading");
} catch (const std::exception& e) {
  return Status::Internal(std::string("dense index: loading: ") + e.what());
}

}  // namespace techmatch
