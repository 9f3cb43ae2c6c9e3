// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// DenseIndex: options, filters, mutation, Build() and parameter tuning.
// Searches are in dense_index_search.cc, Save/Load in dense_index_io.cc;
// docs/dense_index.md describes the design.

#include "techmatch/dense_index.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <new>
#include <random>
#include <unordered_set>
#include <utility>

#include "index/dense_index_impl.h"
#include "index/omp_threads.h"
#include "util/parallel.h"

namespace techmatch {

using internal::FaissCall;
using internal::FaissIdx;
using internal::ScopedOmpThreads;

// ---------------------------------------------------------------- options

Status DenseIndexOptions::Validate() const {
  if (dim == 0) return Status::InvalidArgument("dense index: dim must be > 0");
  if (dim > size_t(std::numeric_limits<int32_t>::max())) {
    return Status::InvalidArgument("dense index: dim " + std::to_string(dim) +
                                   " is too large");
  }
  if (spec.empty()) {
    return Status::InvalidArgument("dense index: spec must not be empty");
  }
  if (!(max_tombstone_ratio >= 0.0 && max_tombstone_ratio <= 1.0)) {
    return Status::InvalidArgument(
        "dense index: max_tombstone_ratio must be in [0, 1], got " +
        std::to_string(max_tombstone_ratio));
  }
  if (threads < 0) {
    return Status::InvalidArgument("dense index: threads must be >= 0");
  }
  return Status::OK();
}

// ---------------------------------------------------------------- filters

namespace {

class IdSetFilter final : public DenseFilter {
 public:
  explicit IdSetFilter(std::vector<uint64_t> ids) : ids_(std::move(ids)) {
    std::sort(ids_.begin(), ids_.end());
    ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
    set_.reserve(ids_.size());
    set_.insert(ids_.begin(), ids_.end());
  }
  bool Allows(uint64_t id) const override { return set_.count(id) != 0; }
  const std::vector<uint64_t>* AllowedIds() const override { return &ids_; }

 private:
  std::vector<uint64_t> ids_;  // sorted, unique
  std::unordered_set<uint64_t> set_;
};

class PredicateFilter final : public DenseFilter {
 public:
  explicit PredicateFilter(std::function<bool(uint64_t)> allows)
      : allows_(std::move(allows)) {}
  // An empty std::function allows everything, like a null filter.
  bool Allows(uint64_t id) const override { return !allows_ || allows_(id); }

 private:
  std::function<bool(uint64_t)> allows_;
};

}  // namespace

std::unique_ptr<DenseFilter> MakeIdSetFilter(std::vector<uint64_t> ids) {
  return std::make_unique<IdSetFilter>(std::move(ids));
}

std::unique_ptr<DenseFilter> MakePredicateFilter(
    std::function<bool(uint64_t)> allows) {
  return std::make_unique<PredicateFilter>(std::move(allows));
}

// ---------------------------------------------------------------- helpers

namespace internal {

Status NormalizeVector(const float* in, size_t dim, const std::string& what,
                       float* out) {
  double sum = 0.0;
  for (size_t j = 0; j < dim; ++j) {
    if (!std::isfinite(in[j])) {
      return Status::InvalidArgument("dense index: " + what +
                                     ": NaN or Inf at component " +
                                     std::to_string(j));
    }
    sum += double(in[j]) * double(in[j]);
  }
  if (sum == 0.0) {
    return Status::InvalidArgument("dense index: " + what +
                                   ": the vector is all zeros");
  }
  const double inv = 1.0 / std::sqrt(sum);
  for (size_t j = 0; j < dim; ++j) out[j] = float(double(in[j]) * inv);
  return Status::OK();
}

}  // namespace internal

namespace {

std::string IdName(uint64_t id) { return "id " + std::to_string(id); }

/// Flat below kAutoFlatMaxVectors, an hnswlib graph above: at 100k and 1M
/// csl-like records it answers 5-13x faster than IVF at equal recall
/// (BENCHMARKS.md), and Faiss 1.7.3's own HNSW builds too slowly here.
std::string AutoSpec(size_t n) {
  if (n < internal::kAutoFlatMaxVectors) return "Flat";
  return "HNSWLIB,M=16,efC=200";
}

/// Training sample size: 64 points per IVF list (Faiss's k-means wants
/// 39..256), and at least 32768 so that PQ / SQ codebooks (256 centroids per
/// sub-quantizer) are well trained.
size_t TrainingSize(size_t n, size_t nlist) {
  return std::min(n, std::max<size_t>(64 * nlist, 32768));
}

/// `count` distinct values of [0, n), sorted (Floyd's algorithm).
std::vector<size_t> SamplePositions(size_t n, size_t count, uint64_t seed) {
  count = std::min(count, n);
  std::mt19937_64 rng(seed);
  std::unordered_set<size_t> chosen;
  chosen.reserve(count);
  for (size_t j = n - count; j < n; ++j) {
    const size_t t = std::uniform_int_distribution<size_t>(0, j)(rng);
    if (!chosen.insert(t).second) chosen.insert(j);
  }
  std::vector<size_t> out(chosen.begin(), chosen.end());
  std::sort(out.begin(), out.end());
  return out;
}

/// Copies the rows at `positions` into one row-major buffer.
std::vector<float> GatherRows(const internal::VectorStore& store,
                              const std::vector<size_t>& positions) {
  const size_t dim = store.dim();
  std::vector<float> out(positions.size() * dim);
  for (size_t i = 0; i < positions.size(); ++i) {
    std::copy_n(store.row(positions[i]), dim, out.data() + i * dim);
  }
  return out;
}

/// Adds every live row of `store`, in position order, to `index`.
Status AddLiveRows(const internal::VectorStore& store, faiss::Index* index) {
  if (store.dead() == 0) {
    return FaissCall("Faiss add", [&] {
      index->add(FaissIdx(store.positions()), store.data());
    });
  }
  constexpr size_t kChunk = 16384;
  std::vector<size_t> chunk;
  chunk.reserve(kChunk);
  for (size_t pos = 0; pos <= store.positions(); ++pos) {
    if (pos < store.positions() && store.is_live(pos)) chunk.push_back(pos);
    if (chunk.size() == kChunk ||
        (pos == store.positions() && !chunk.empty())) {
      std::vector<float> rows = GatherRows(store, chunk);
      TECHMATCH_RETURN_IF_ERROR(FaissCall("Faiss add", [&] {
        index->add(FaissIdx(chunk.size()), rows.data());
      }));
      chunk.clear();
    }
  }
  return Status::OK();
}

/// A hnswlib graph over every row of `store`, labelled by position. The
/// graph reads its vectors from the store's rows, so the store must have
/// no tombstones (compact it first): a dead row would become an element.
Result<std::unique_ptr<internal::HnswlibIndex>> BuildHnswlibGraph(
    const internal::VectorStore& store, const internal::HnswlibParams& params,
    int threads) {
  if (store.dead() != 0) {
    return Status::Internal("dense index: hnswlib graph over a store with tombstones");
  }
  return internal::HnswlibIndex::Build(&store, params, internal::ResolveThreads(threads));
}

}  // namespace

// ---------------------------------------------------------------- mutation

Status DenseIndex::Impl::Insert(const std::vector<uint64_t>& ids,
                                VectorView vectors, bool upsert) {
  const size_t dim = options.dim;
  const size_t n = ids.size();
  const std::string first = n > 0 ? " (first " + IdName(ids[0]) + ")" : "";
  if (vectors.dim != dim) {
    return Status::InvalidArgument(
        "dense index: vectors have dimension " + std::to_string(vectors.dim) +
        ", the index " + std::to_string(dim) + first);
  }
  if (vectors.n != n) {
    return Status::InvalidArgument("dense index: " + std::to_string(n) +
                                   " ids for " + std::to_string(vectors.n) +
                                   " vectors" + first);
  }
  if (n == 0) return Status::OK();
  if (vectors.data == nullptr) {
    return Status::InvalidArgument("dense index: null vector data" + first);
  }

  // Validate everything before changing anything.
  std::vector<float> normalized(n * dim);
  std::unordered_set<uint64_t> seen;
  seen.reserve(n);
  std::vector<size_t> replaced;  // live positions an Upsert replaces
  for (size_t i = 0; i < n; ++i) {
    const uint64_t id = ids[i];
    if (!seen.insert(id).second) {
      return Status::InvalidArgument("dense index: " + IdName(id) +
                                     " is repeated in the batch");
    }
    const size_t pos = store.Find(id);
    if (pos != internal::VectorStore::kNoPosition) {
      if (!upsert) {
        return Status::InvalidArgument("dense index: " + IdName(id) +
                                       " is already present");
      }
      replaced.push_back(pos);
    }
    TECHMATCH_RETURN_IF_ERROR(internal::NormalizeVector(
        vectors.row(i), dim, IdName(id), normalized.data() + i * dim));
  }

  store.Reserve(n);  // the Append() calls below cannot fail after this
  if (faiss != nullptr) {
    ScopedOmpThreads threads(internal::ResolveThreads(options.threads));
    Status s = FaissCall("Faiss add", [&] {
      faiss->index->add(FaissIdx(n), normalized.data());
    });
    if (!s.ok()) {
      if (size_t(faiss->index->ntotal) != store.positions()) {
        // A partial add broke the position alignment: fall back to exact
        // search rather than return wrong ids.
        faiss.reset();
        built = false;
        resolved_spec.clear();
        return s.WithContext(
            "dense index: nothing added; searches are exact until Build()");
      }
      return s.WithContext("dense index: nothing added");
    }
  }
  if (hnsw != nullptr) {
    // The graph reads the new rows from `normalized` until they are
    // appended to the store below.
    const size_t before = hnsw->count();
    Status s = hnsw->Add(store.positions(), n, normalized.data(),
                         internal::ResolveThreads(options.threads));
    if (!s.ok()) {
      if (hnsw->count() != before) {
        // Labels past the store's positions would be ignored by searches,
        // but a later Add would reuse them: start afresh at Build().
        DropApproximate();
        return s.WithContext(
            "dense index: nothing added; searches are exact until Build()");
      }
      return s.WithContext("dense index: nothing added");
    }
  }
  Status killed;
  for (size_t pos : replaced) {
    Status s = Kill(pos);
    if (!s.ok() && killed.ok()) killed = s;
  }
  for (size_t i = 0; i < n; ++i) {
    store.Append(ids[i], normalized.data() + i * dim);
  }
  TECHMATCH_RETURN_IF_ERROR(killed);
  return MaybeCompact();
}

Status DenseIndex::Impl::Kill(size_t pos) {
  store.Kill(pos);
  if (hnsw == nullptr) return Status::OK();
  // Searches also test the store's tombstones; marking the graph keeps
  // hnswlib from spending its result slots on dead elements.
  Status s = hnsw->MarkDeleted(pos);
  if (!s.ok()) {
    DropApproximate();
    return s.WithContext(
        "dense index: the removal is done but searches are exact until "
        "Build()");
  }
  return Status::OK();
}

Status DenseIndex::Impl::MaybeCompact() {
  const size_t dead = store.dead();
  if (dead == 0 ||
      double(dead) <= options.max_tombstone_ratio * double(store.positions())) {
    return Status::OK();
  }
  return Compact();
}

Status DenseIndex::Impl::Compact() {
  store.Compact();
  if (hnsw != nullptr) {
    // hnswlib cannot renumber its labels: rebuild the graph.
    auto params = internal::ParseHnswlibSpec(resolved_spec);
    auto fresh =
        params.ok()
            ? BuildHnswlibGraph(store, *params, options.threads)
            : Result<std::unique_ptr<internal::HnswlibIndex>>(params.status());
    if (!fresh.ok()) {
      DropApproximate();
      return fresh.status().WithContext(
          "dense index: compaction failed; searches are exact until Build()");
    }
    hnsw = std::move(*fresh);
    return Status::OK();
  }
  if (faiss == nullptr) return Status::OK();
  // reset() empties the index but keeps what it learned in training (IVF
  // centroids, codebooks), so re-adding needs no retraining.
  ScopedOmpThreads threads(internal::ResolveThreads(options.threads));
  Status s = FaissCall("Faiss reset", [&] { faiss->index->reset(); });
  if (s.ok()) s = AddLiveRows(store, faiss->index.get());
  if (!s.ok()) {
    faiss.reset();
    built = false;
    resolved_spec.clear();
    return s.WithContext(
        "dense index: compaction failed; searches are exact until Build()");
  }
  return Status::OK();
}

Status DenseIndex::Impl::Build() {
  ScopedOmpThreads threads(internal::ResolveThreads(options.threads));
  const size_t n = store.live();
  const std::string spec = options.spec == "auto" ? AutoSpec(n) : options.spec;
  if (internal::IsHnswlibSpec(spec)) return BuildHnswlib(spec);
  if (spec == "Flat") {  // exact search straight over the store
    store.Compact();
    faiss.reset();
    hnsw.reset();
    built = true;
    resolved_spec = spec;
    default_nprobe = default_ef_search = 0;
    return Status::OK();
  }

  auto created = internal::NewFaissIndex(options.dim, spec);
  if (!created.ok()) return created.status();
  internal::FaissIndex& fresh = **created;
  size_t nlist = 0;
  if (fresh.ivf != nullptr) {
    nlist = fresh.ivf->nlist;
    if (n < nlist) {
      return Status::FailedPrecondition(
          "dense index: \"" + spec + "\" needs at least " +
          std::to_string(nlist) + " vectors to train, the index has " +
          std::to_string(n));
    }
    fresh.ivf->cp.seed = int(options.seed & 0x7fffffff);
    fresh.ivf->cp.spherical = true;  // unit-norm data: unit-norm centroids
  }
  if (!fresh.index->is_trained) {
    if (n == 0) {
      return Status::FailedPrecondition("dense index: \"" + spec +
                                        "\" needs vectors to train");
    }
    // Sample live positions (their rank among live rows is irrelevant
    // here: training only sees vectors).
    std::vector<size_t> live;
    live.reserve(n);
    for (size_t pos = 0; pos < store.positions(); ++pos) {
      if (store.is_live(pos)) live.push_back(pos);
    }
    const std::vector<size_t> picks =
        SamplePositions(n, TrainingSize(n, nlist), options.seed);
    std::vector<size_t> sample(picks.size());
    for (size_t i = 0; i < picks.size(); ++i) sample[i] = live[picks[i]];
    live = std::vector<size_t>();
    const std::vector<float> rows = GatherRows(store, sample);
    TECHMATCH_RETURN_IF_ERROR(FaissCall("Faiss train", [&] {
      fresh.index->train(FaissIdx(sample.size()), rows.data());
    }));
  }
  // Adding the live rows in order numbers them exactly as Compact() will.
  TECHMATCH_RETURN_IF_ERROR(AddLiveRows(store, fresh.index.get()));

  // Faiss 1.7.3 refuses search parameters on some index types (IndexPQ,
  // IndexIDMap, ...); find out now rather than at the first search.
  if (n > 0) {
    size_t first = 0;
    while (!store.is_live(first)) ++first;
    internal::PositionSelector all(store, nullptr);
    internal::FaissQuery probe;
    probe.k = 1;
    probe.selector = &all;
    float score;
    FaissIdx label;
    Status s = internal::FaissSearchOne(fresh, store.row(first), probe, &score,
                                        &label);
    if (!s.ok()) {
      return Status::NotSupported(
          "dense index: \"" + spec +
          "\" cannot run filtered searches: " + s.message());
    }
  }

  store.Compact();
  faiss = std::move(*created);
  hnsw.reset();
  built = true;
  resolved_spec = spec;
  return TuneDefaults();
}

Status DenseIndex::Impl::BuildHnswlib(const std::string& spec) {
  auto params = internal::ParseHnswlibSpec(spec);
  if (!params.ok()) return params.status();
  // The graph's labels are store positions and its distances read the
  // store's rows: drop the tombstoned rows first. The structure in use
  // numbers the old positions, so it goes too (searches are exact if the
  // build below fails); without tombstones it stays until the new graph
  // replaces it.
  if (store.dead() != 0) {
    DropApproximate();
    store.Compact();
  }
  auto fresh = BuildHnswlibGraph(store, *params, options.threads);
  if (!fresh.ok()) return fresh.status();
  faiss.reset();
  hnsw = std::move(*fresh);
  built = true;
  resolved_spec = internal::HnswlibSpecString(*params);
  return TuneDefaults();
}

// ---------------------------------------------------------------- tuning

Status DenseIndex::Impl::TuneDefaults() {
  default_nprobe = default_ef_search = 0;
  if (!approximate()) return Status::OK();
  const bool ivf = faiss != nullptr && faiss->ivf != nullptr;
  const int nlist = ivf ? int(faiss->ivf->nlist) : 0;
  constexpr int kMaxEf = 1024;
  // Starting points: the values already rather good on typical data.
  int value = ivf                                         ? std::min(8, nlist)
              : hnsw != nullptr || faiss->hnsw != nullptr ? 16
                                                          : 0;
  auto apply = [&](int v) {
    if (hnsw != nullptr) {
      default_ef_search = v;  // hnswlib gets it per search
    } else if (ivf) {
      default_nprobe = v;
      faiss->ivf->nprobe = size_t(v);
    } else if (faiss->hnsw) {
      default_ef_search = v;
      faiss->hnsw->hnsw.efSearch = v;
    }
  };
  apply(value);                   // in force should the measurement below fail
  const size_t n = store.live();  // == positions(): Build() compacted
  if (value == 0 || n <= internal::kTuneK + 1) {
    apply(ivf ? nlist : value);
    return Status::OK();
  }

  // Held-out style queries: stored vectors, each excluded from its own
  // results (it would otherwise be a free hit in every top-k).
  const size_t dim = options.dim;
  const size_t k = internal::kTuneK;
  const std::vector<size_t> qpos =
      SamplePositions(n, internal::kTuneQueries, options.seed ^ 0x5eed);
  const size_t nq = qpos.size();
  const std::vector<float> queries = GatherRows(store, qpos);

  // Exact neighbours; kth[i] = the k-th best score other than the query.
  std::vector<float> kth(nq);
  std::vector<internal::TopK> tops(nq, internal::TopK(k + 1));
  TECHMATCH_RETURN_IF_ERROR(internal::ParallelFor(
      nq, internal::ResolveThreads(options.threads),
      [&](int, size_t b, size_t e) -> Status {
        if (b < e)
          internal::ScanAllBatch(store, queries.data() + b * dim, e - b,
                                 tops.data() + b);
        return Status::OK();
      }));
  for (size_t i = 0; i < nq; ++i) {
    std::vector<internal::ScoredPos> hits = tops[i].Take();
    size_t taken = 0;
    for (const auto& h : hits) {
      if (h.pos == qpos[i] || taken == k) continue;
      kth[i] = internal::Dot(store.row(h.pos), queries.data() + i * dim, dim);
      ++taken;
    }
  }

  // Measured as searches serve results: fetch (reranking quantized
  // candidates by exact score), drop the query itself, keep k.
  const bool exact_scores = hnsw != nullptr || faiss->exact_scores;
  const size_t fetch =
      std::min(n, (k + 1) * (exact_scores ? 1 : internal::kRerankFactor));
  std::vector<float> scores(nq * fetch);
  std::vector<FaissIdx> labels(nq * fetch);
  auto search_all = [&](int v) -> Status {
    if (hnsw != nullptr) {
      return internal::ParallelFor(
          nq, internal::ResolveThreads(options.threads),
          [&](int, size_t b, size_t e) -> Status {
            std::vector<size_t> found;
            for (size_t i = b; i < e; ++i) {
              TECHMATCH_RETURN_IF_ERROR(hnsw->Search(queries.data() + i * dim,
                                                     fetch, size_t(v), &found));
              for (size_t j = 0; j < fetch; ++j) {
                labels[i * fetch + j] =
                    j < found.size() ? FaissIdx(found[j]) : FaissIdx(-1);
              }
            }
            return Status::OK();
          });
    }
    faiss::SearchParametersIVF ivf_params;
    faiss::SearchParametersHNSW hnsw_params;
    faiss::SearchParameters* params = &ivf_params;
    if (faiss->ivf) {
      ivf_params.nprobe = size_t(v);
    } else {
      hnsw_params.efSearch = std::max(v, int(fetch));
      params = &hnsw_params;
    }
    return FaissCall("Faiss search", [&] {
      faiss->index->search(FaissIdx(nq), queries.data(), FaissIdx(fetch),
                           scores.data(), labels.data(), params);
    });
  };
  auto recall_at = [&](int v, double* recall) -> Status {
    TECHMATCH_RETURN_IF_ERROR(search_all(v));
    size_t good = 0;
    std::vector<float> exact;
    for (size_t i = 0; i < nq; ++i) {
      exact.clear();
      for (size_t j = 0; j < fetch; ++j) {
        const FaissIdx label = labels[i * fetch + j];
        if (label < 0 || size_t(label) >= n || size_t(label) == qpos[i]) {
          continue;
        }
        exact.push_back(internal::Dot(store.row(size_t(label)),
                                      queries.data() + i * dim, dim));
      }
      std::sort(exact.begin(), exact.end(), std::greater<float>());
      if (exact.size() > k) exact.resize(k);
      // Score-based, so ties between equal vectors count as hits.
      for (float s : exact) good += s >= kth[i] - 1e-5f ? 1 : 0;
    }
    *recall = double(good) / double(nq * k);
    return Status::OK();
  };

  // Step up until the recall target, the maximum, or a plateau (quantized
  // codes can cap recall below the target: more effort would buy nothing).
  // nprobe doubles. ef takes half steps (16, 24, 32, 48, 64, 96, ...): a
  // graph's recall at the target moves a little between builds (threads
  // insert in varying order), and where doubling then chose ef 128 in one
  // 1M build and 512 in the next, the finer ladder keeps the choice, and
  // the search time, within one step of at most 1.5x. The plateau test is
  // per step, so halved with the step.
  const double plateau = ivf ? 0.002 : 0.001;
  auto next = [&](int v) {
    if (ivf) return v * 2;
    return (v & (v - 1)) == 0 ? v + v / 2 : v / 3 * 4;  // 2^i -> 1.5 * 2^i -> 2^(i+1)
  };
  double recall = 0.0, previous = -1.0;
  int previous_value = value;
  for (;;) {
    TECHMATCH_RETURN_IF_ERROR(recall_at(value, &recall));
    if (recall >= (ivf ? internal::kTuneTargetRecall
                       : internal::kTuneTargetRecallGraph)) {
      break;
    }
    if (previous >= 0.0 && recall - previous < plateau) {
      value = previous_value;
      break;
    }
    const int limit = ivf ? nlist : kMaxEf;
    if (value >= limit) break;
    previous = recall;
    previous_value = value;
    // Faiss HNSW searches with efSearch >= fetch: steps below that would
    // measure the same search (and end the tuning as a plateau).
    const int floor = !ivf && faiss != nullptr ? int(fetch) : 0;
    do {
      value = std::min(limit, next(value));
    } while (value < floor && value < limit);
  }
  apply(value);
  return Status::OK();
}

std::string DenseIndex::Impl::Description() const {
  if (!built) return "Flat (exact; Build() not run)";
  if (hnsw != nullptr) {
    return resolved_spec + " (ef " + std::to_string(default_ef_search) + ")";
  }
  if (faiss != nullptr && faiss->ivf != nullptr) {
    return resolved_spec + " (nprobe " + std::to_string(default_nprobe) + ")";
  }
  if (faiss != nullptr && faiss->hnsw != nullptr) {
    return resolved_spec + " (efSearch " + std::to_string(default_ef_search) +
           ")";
  }
  return resolved_spec;
}

// ---------------------------------------------------------------- DenseIndex

DenseIndex::DenseIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DenseIndex::~DenseIndex() = default;

Result<std::unique_ptr<DenseIndex>> DenseIndex::Create(
    const DenseIndexOptions& options) {
  TECHMATCH_RETURN_IF_ERROR(options.Validate());
  if (internal::IsHnswlibSpec(options.spec)) {
    auto params = internal::ParseHnswlibSpec(options.spec);
    if (!params.ok()) return params.status();
  } else if (options.spec != "auto" && options.spec != "Flat") {
    // Reject a bad spec now rather than at Build().
    auto probe = internal::NewFaissIndex(options.dim, options.spec);
    if (!probe.ok()) return probe.status();
  }
  try {
    return std::unique_ptr<DenseIndex>(
        new DenseIndex(std::make_unique<Impl>(options)));
  } catch (const std::bad_alloc&) {
    return Status::Internal("dense index: out of memory");
  }
}

namespace {

template <typename Fn>
Status Guarded(Fn&& fn) {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return Status::Internal("dense index: out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("dense index: ") + e.what());
  }
}

}  // namespace

Status DenseIndex::Add(const std::vector<uint64_t>& ids, VectorView vectors) {
  return Guarded([&] { return impl_->Insert(ids, vectors, false); });
}

Status DenseIndex::Upsert(const std::vector<uint64_t>& ids,
                          VectorView vectors) {
  return Guarded([&] { return impl_->Insert(ids, vectors, true); });
}

Status DenseIndex::Remove(const std::vector<uint64_t>& ids) {
  return Guarded([&]() -> Status {
    std::unordered_set<uint64_t> seen;
    seen.reserve(ids.size());
    std::vector<size_t> positions;
    positions.reserve(ids.size());
    for (uint64_t id : ids) {
      if (!seen.insert(id).second) {
        return Status::InvalidArgument("dense index: " + IdName(id) +
                                       " is repeated in the batch");
      }
      const size_t pos = impl_->store.Find(id);
      if (pos == internal::VectorStore::kNoPosition) {
        return Status::NotFound("dense index: " + IdName(id) + " not found");
      }
      positions.push_back(pos);
    }
    Status killed;
    for (size_t pos : positions) {
      Status s = impl_->Kill(pos);
      if (!s.ok() && killed.ok()) killed = s;
    }
    TECHMATCH_RETURN_IF_ERROR(killed);
    return impl_->MaybeCompact();
  });
}

Status DenseIndex::Build() {
  return Guarded([&] { return impl_->Build(); });
}

Result<float> DenseIndex::Similarity(uint64_t id, const float* query) const {
  const size_t pos = impl_->store.Find(id);
  if (pos == internal::VectorStore::kNoPosition) {
    return Status::NotFound("dense index: " + IdName(id) + " not found");
  }
  if (query == nullptr) {
    return Status::InvalidArgument("dense index: null query");
  }
  const size_t dim = impl_->options.dim;
  std::vector<float> q;
  try {
    q.resize(dim);
  } catch (const std::bad_alloc&) {
    return Status::Internal("dense index: out of memory");
  }
  TECHMATCH_RETURN_IF_ERROR(
      internal::NormalizeVector(query, dim, "query", q.data()));
  return internal::Dot(impl_->store.row(pos), q.data(), dim);
}

Status DenseIndex::GetVector(uint64_t id, float* out) const {
  const size_t pos = impl_->store.Find(id);
  if (pos == internal::VectorStore::kNoPosition) {
    return Status::NotFound("dense index: " + IdName(id) + " not found");
  }
  if (out == nullptr) return Status::InvalidArgument("dense index: null output");
  std::copy_n(impl_->store.row(pos), impl_->options.dim, out);
  return Status::OK();
}

bool DenseIndex::Contains(uint64_t id) const {
  return impl_->store.Find(id) != internal::VectorStore::kNoPosition;
}

size_t DenseIndex::size() const { return impl_->store.live(); }

size_t DenseIndex::dim() const { return impl_->options.dim; }

std::string DenseIndex::description() const { return impl_->Description(); }

size_t DenseIndex::memory_bytes() const {
  size_t bytes = sizeof(Impl) + impl_->store.memory_bytes();
  if (impl_->faiss != nullptr) {
    // The serialized size tracks the in-memory size closely for the
    // array-backed structures Faiss uses (codes, list ids, graph links).
    bytes += internal::SerializedFaissSize(*impl_->faiss->index);
  }
  if (impl_->hnsw != nullptr) bytes += impl_->hnsw->memory_bytes();
  return bytes;
}

}  // namespace techmatch
