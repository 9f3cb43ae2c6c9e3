// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// DenseIndex searches: the exact / approximate / filtered strategy.

#include <algorithm>
#include <cmath>
#include <new>
#include <string>

#include "index/dense_index_impl.h"
#include "index/omp_threads.h"
#include "techmatch/dense_index.h"
#include "util/parallel.h"

namespace techmatch {

using internal::FaissIdx;
using internal::ScoredPos;
using internal::VectorStore;

namespace {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

Status CheckSearchOptions(const DenseSearchOptions& opt) {
  if (opt.nprobe < 0 || opt.ef_search < 0) {
    return Status::InvalidArgument(
        "dense index: nprobe and ef_search must be >= 0");
  }
  return Status::OK();
}

}  // namespace

std::vector<DenseHit> DenseIndex::Impl::Finish(const float* query,
                                               std::vector<ScoredPos> hits,
                                               size_t k) const {
  // Rescore from the stored vectors: every reported score then comes from
  // the same Dot() as Similarity(), whichever path found the hit, and
  // candidates from quantized codes are reranked exactly.
  for (ScoredPos& h : hits) {
    h.score = internal::Dot(store.row(h.pos), query, options.dim);
  }
  std::sort(hits.begin(), hits.end(), internal::Better);
  if (hits.size() > k) hits.resize(k);
  std::vector<DenseHit> out;
  out.reserve(hits.size());
  for (const ScoredPos& h : hits) out.push_back(DenseHit{h.id, h.score});
  return out;
}

size_t DenseIndex::Impl::FetchCount(size_t k) const {
  if (faiss == nullptr || faiss->exact_scores) return k;
  return std::min(store.live(), k * internal::kRerankFactor);
}

std::vector<ScoredPos> DenseIndex::Impl::ExactScan(
    const float* query, size_t k, const DenseFilter* filter) const {
  internal::TopK top(k);
  if (filter == nullptr) {
    internal::ScanAll(store, query, &top,
                      [&](size_t pos) { return store.is_live(pos); });
  } else {
    internal::ScanAll(store, query, &top, [&](size_t pos) {
      return store.is_live(pos) && filter->Allows(store.id(pos));
    });
  }
  return top.Take();
}

double DenseIndex::Impl::EstimateSelectivity(const DenseFilter& filter) const {
  const size_t live = store.live();
  const size_t positions = store.positions();
  size_t sampled = 0, allowed = 0;
  if (live <= internal::kSelectivitySamples) {
    for (size_t pos = 0; pos < positions; ++pos) {
      if (!store.is_live(pos)) continue;
      ++sampled;
      allowed += filter.Allows(store.id(pos)) ? 1 : 0;
    }
  } else {
    // Fixed seed: the same query with the same filter always takes the
    // same path. Tombstones are skipped (at most max_tombstone_ratio of the
    // positions, so the attempt cap is generous).
    uint64_t state = options.seed;
    for (size_t attempts = 0; sampled < internal::kSelectivitySamples &&
                              attempts < 20 * internal::kSelectivitySamples;
         ++attempts) {
      const size_t pos = size_t(SplitMix64(&state) % positions);
      if (!store.is_live(pos)) continue;
      ++sampled;
      allowed += filter.Allows(store.id(pos)) ? 1 : 0;
    }
  }
  return sampled == 0 ? 1.0 : double(allowed) / double(sampled);
}

Result<std::vector<ScoredPos>> DenseIndex::Impl::FaissSearch(
    const float* query, size_t k, const DenseSearchOptions& opt,
    const DenseFilter* filter, double selectivity) const {
  // A filter that keeps a share s of the vectors leaves ~s of each probed
  // list (or graph neighbourhood) usable; widening the search by 1/sqrt(s)
  // is a compromise between recall and cost, and the exact fallback below
  // covers the searches it starves.
  const double widen = 1.0 / std::sqrt(std::max(selectivity, 1e-6));
  internal::FaissQuery q;
  q.k = k;
  if (faiss->ivf != nullptr) {
    const double base = opt.nprobe > 0 ? opt.nprobe : default_nprobe;
    const double nlist = double(faiss->ivf->nlist);
    q.nprobe = int(std::min(nlist, std::ceil(std::max(1.0, base) * widen)));
  }
  if (faiss->hnsw != nullptr) {
    const double base = opt.ef_search > 0 ? opt.ef_search : default_ef_search;
    q.ef_search =
        int(std::min(65536.0, std::ceil(std::max(1.0, base) * widen)));
  }
  internal::PositionSelector selector(store, filter);
  if (filter != nullptr || store.dead() > 0) q.selector = &selector;

  std::vector<float> scores(k);
  std::vector<FaissIdx> labels(k);
  TECHMATCH_RETURN_IF_ERROR(
      internal::FaissSearchOne(*faiss, query, q, scores.data(), labels.data()));
  if (selector.failed()) {
    return Status::Internal("dense index: the search filter threw");
  }
  std::vector<ScoredPos> hits;
  hits.reserve(k);
  for (size_t i = 0; i < k; ++i) {
    const FaissIdx label = labels[i];
    // Faiss pads with -1; the range and liveness checks also guard against
    // an index that does not match the store.
    if (label < 0 || size_t(label) >= store.positions() ||
        !store.is_live(size_t(label))) {
      continue;
    }
    hits.push_back(
        ScoredPos{scores[i], store.id(size_t(label)), size_t(label)});
  }
  return hits;
}

Result<std::vector<ScoredPos>> DenseIndex::Impl::HnswlibSearch(
    const float* query, size_t k, const DenseSearchOptions& opt,
    const DenseFilter* filter, double selectivity) const {
  const size_t ef = size_t(
      std::max(1, opt.ef_search > 0 ? opt.ef_search : default_ef_search));
  // hnswlib 0.6.2 cannot filter while it walks the graph: fetch enough
  // candidates that about 2k of them should pass, plus the usual ef, and
  // filter afterwards (the caller falls back to an exact scan if fewer
  // than k pass).
  size_t fetch = k;
  if (filter != nullptr) {
    const double wanted =
        std::ceil(double(k) / std::max(selectivity, 1e-9) * 2.0) + double(ef);
    fetch = size_t(std::min(double(store.live()), wanted));
    fetch = std::max(fetch, k);
  }
  std::vector<size_t> labels;
  TECHMATCH_RETURN_IF_ERROR(hnsw->Search(query, fetch, ef, &labels));
  std::vector<ScoredPos> hits;
  hits.reserve(std::min(labels.size(), fetch));
  try {
    for (size_t label : labels) {
      // Tombstones are marked in the graph too; the store is the authority.
      if (label >= store.positions() || !store.is_live(label)) continue;
      const uint64_t id = store.id(label);
      if (filter != nullptr && !filter->Allows(id)) continue;
      hits.push_back(ScoredPos{0.0f, id, label});
    }
  } catch (const std::bad_alloc&) {
    throw;
  } catch (...) {
    return Status::Internal("dense index: the search filter threw");
  }
  return hits;
}

Result<std::vector<DenseHit>> DenseIndex::Impl::Search(
    const float* query, const DenseSearchOptions& opt) const {
  const size_t live = store.live();
  if (opt.k == 0 || live == 0) return std::vector<DenseHit>();
  const size_t k = std::min(opt.k, live);
  const DenseFilter* filter = opt.filter;

  if (filter != nullptr) {
    // 1. A short allow-list: score exactly those ids.
    const std::vector<uint64_t>* allowed = filter->AllowedIds();
    if (allowed != nullptr && allowed->size() <= options.exact_filter_max) {
      std::vector<size_t> positions;
      positions.reserve(allowed->size());
      for (uint64_t id : *allowed) {
        const size_t pos = store.Find(id);
        if (pos != VectorStore::kNoPosition) positions.push_back(pos);
      }
      // Sorted: duplicates in a custom list collapse, and rows are read in
      // memory order.
      std::sort(positions.begin(), positions.end());
      positions.erase(std::unique(positions.begin(), positions.end()),
                      positions.end());
      internal::TopK top(std::min(k, positions.size()));
      internal::ScanPositions(store, query, positions, &top);
      return Finish(query, top.Take(), k);
    }
    if (!approximate()) {
      return Finish(query, ExactScan(query, k, filter), k);
    }
    // 2. A selective filter: an exact scan testing the filter is cheaper
    //    and more accurate than a starved approximate search.
    const double selectivity = EstimateSelectivity(*filter);
    if (selectivity * double(live) <= double(options.exact_filter_max)) {
      return Finish(query, ExactScan(query, k, filter), k);
    }
    // 3. The approximate index with the filter as an IDSelector.
    auto hits =
        hnsw != nullptr
            ? HnswlibSearch(query, k, opt, filter, selectivity)
            : FaissSearch(query, FetchCount(k), opt, filter, selectivity);
    if (!hits.ok()) return hits.status();
    // Never silently return fewer results than exist.
    if (hits->size() < k) return Finish(query, ExactScan(query, k, filter), k);
    return Finish(query, std::move(*hits), k);
  }

  if (!approximate()) return Finish(query, ExactScan(query, k, nullptr), k);
  auto hits = hnsw != nullptr
                  ? HnswlibSearch(query, k, opt, nullptr, 1.0)
                  : FaissSearch(query, FetchCount(k), opt, nullptr, 1.0);
  if (!hits.ok()) return hits.status();
  // IVF lists near the query may hold fewer than k live vectors.
  if (hits->size() < k) return Finish(query, ExactScan(query, k, nullptr), k);
  return Finish(query, std::move(*hits), k);
}

Result<std::vector<DenseHit>> DenseIndex::Search(
    const float* query, const DenseSearchOptions& options) const {
  TECHMATCH_RETURN_IF_ERROR(CheckSearchOptions(options));
  if (query == nullptr) {
    return Status::InvalidArgument("dense index: null query");
  }
  try {
    std::vector<float> q(impl_->options.dim);
    TECHMATCH_RETURN_IF_ERROR(internal::NormalizeVector(
        query, impl_->options.dim, "query", q.data()));
    return impl_->Search(q.data(), options);
  } catch (const std::bad_alloc&) {
    return Status::Internal("dense index: out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("dense index: search failed: ") +
                            e.what());
  }
}

Status DenseIndex::SearchBatch(
    VectorView queries, const DenseSearchOptions& options,
    std::vector<std::vector<DenseHit>>* results) const {
  TECHMATCH_RETURN_IF_ERROR(CheckSearchOptions(options));
  const Impl& impl = *impl_;
  const size_t dim = impl.options.dim;
  if (results == nullptr) {
    return Status::InvalidArgument("dense index: null results");
  }
  if (queries.dim != dim) {
    return Status::InvalidArgument("dense index: queries have dimension " +
                                   std::to_string(queries.dim) +
                                   ", the index " + std::to_string(dim));
  }
  if (queries.n > 0 && queries.data == nullptr) {
    return Status::InvalidArgument("dense index: null query data");
  }
  try {
    results->assign(queries.n, std::vector<DenseHit>());
  } catch (const std::bad_alloc&) {
    return Status::Internal("dense index: out of memory");
  }
  const size_t live = impl.store.live();
  if (queries.n == 0 || options.k == 0 || live == 0) return Status::OK();
  // Unfiltered exact searches share one pass over the vectors per block of
  // queries (a matrix product); everything else goes query by query.
  const bool batch_exact = !impl.approximate() && options.filter == nullptr;
  const size_t k = std::min(options.k, live);
  const int threads = internal::ResolveThreads(impl.options.threads);
  return internal::ParallelFor(
      queries.n, threads, [&](int, size_t begin, size_t end) -> Status {
        // Single-query Faiss searches run on the calling thread in Faiss
        // 1.7.3; this also keeps Eigen products from starting OpenMP teams
        // inside our workers.
        internal::ScopedOmpThreads one_thread(1);
        constexpr size_t kChunk = 64;
        std::vector<float> q(kChunk * dim);
        for (size_t b = begin; b < end; b += kChunk) {
          const size_t e = std::min(end, b + kChunk);
          for (size_t i = b; i < e; ++i) {
            TECHMATCH_RETURN_IF_ERROR(internal::NormalizeVector(
                queries.row(i), dim, "query " + std::to_string(i),
                q.data() + (i - b) * dim));
          }
          if (batch_exact) {
            std::vector<internal::TopK> tops(e - b, internal::TopK(k));
            internal::ScanAllBatch(impl.store, q.data(), e - b, tops.data());
            for (size_t i = b; i < e; ++i) {
              (*results)[i] =
                  impl.Finish(q.data() + (i - b) * dim, tops[i - b].Take(), k);
            }
            continue;
          }
          for (size_t i = b; i < e; ++i) {
            auto hits = impl.Search(q.data() + (i - b) * dim, options);
            if (!hits.ok()) {
              return hits.status().WithContext("query " + std::to_string(i));
            }
            (*results)[i] = std::move(*hits);
          }
        }
        return Status::OK();
      });
}

}  // namespace techmatch
