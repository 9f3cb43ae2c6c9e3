// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The dense-index peers: raw hnswlib and exact Faiss beside our DenseIndex.
//
// JSON returned by RunAnnPeers. Latencies in ms: one thread, one query at a
// time, top 10; p50/p99 are per-pass quantiles, reported as the median over
// args.repeat timed passes, after one untimed warm-up pass (which takes the
// recall). Each round runs every system's pass in turn, so load hits all;
// each timed pass follows an untimed one of the same system (caches).
//   n, dim, queries, repeat
//   exact: {add_s, truth_s, recall_at_10, p50_ms, p99_ms, latency_queries,
//           bytes}  Faiss IndexFlatIP: add time; batched top-10 search of
//       all queries (the recall reference, default OpenMP threads); single-
//       query recall (a check: 1 up to ties) and latency over the first
//       latency_queries queries; bytes = n * dim * 4.
//   ours: {description, build_s (the caller's: Add + Build, tuning
//       included), bytes (memory_bytes()), default: {recall_at_10, p50_ms,
//       p99_ms} (ef_search 0), ef: [{ef_search, ...same}] (graphs only)}
//   hnswlib: [{M, ef_construction, threads, build_s, bytes, bytes_level0,
//       bytes_upper_links, ef: [{ef_search, recall_at_10, p50_ms, p99_ms}]}]
//       HierarchicalNSW<float>(InnerProductSpace, max_elements n, M, efC,
//       seed 100), labels = our ids, added as hnswlib's Python bindings do
//       (first point alone, then `threads` workers); efs: args.ef_search
//       plus our default ef. bytes counts what our wrapper's memory_bytes()
//       counts: the level-0 block (max_elements * size_data_per_element:
//       vectors, level-0 links, labels), the upper-level link lists, per
//       element a pointer, level and mutex, the 65536 update locks, one
//       visited list and an estimate of the label hash map.
//   ratios: {exact_p50 (ours default / exact), hnswlib: [{M,
//       ef_construction, same_params_as_ours, build_s, bytes,
//       at_our_default_ef: {ef_search, p50, recall_ours, recall_peer}|null,
//       equal_ef: [{ef_search, p50, recall_ours, recall_peer}],
//       equal_recall: {peer_ef, p50, recall_ours, recall_peer}|null}]}
//       Ratios are ours / peer (< 1: ours cheaper), null if the peer's is 0.
//       equal_recall: ours at default vs the graph at its smallest ef whose
//       recall@10 >= ours (null if none). With the same M and efC, p50 at
//       equal ef is our wrapper's overhead over raw hnswlib.

#include "ann_peers.h"

#include <faiss/IndexFlat.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "bench_util.h"
#include "index/omp_threads.h"
#include "util/catch_all.h"
#include "util/parallel.h"

// As in src/index/hnswlib_backend.cc: hnswlib's headers are not warning-free
// under -Wall -Wextra -Wpedantic, and ASan builds use its scalar code. (The
// library renames its own copy of hnswlib's non-inline globals, so this
// plain include links beside it, as it would in a user's program.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wtype-limits"
#pragma GCC diagnostic ignored "-Wpedantic"
#if defined(__SANITIZE_ADDRESS__) && !defined(NO_MANUAL_VECTORIZATION)
#define NO_MANUAL_VECTORIZATION
#endif
#include <hnswlib/hnswlib.h>
#pragma GCC diagnostic pop

namespace techmatch::bench {
namespace {

using Graph = hnswlib::HierarchicalNSW<float>;
using nlohmann::json;
using Ids = std::vector<uint64_t>;
constexpr size_t kTop = 10;
constexpr size_t kHnswlibSeed = 100;  // hnswlib's default random_seed

/// One system at one setting, measured pass by pass.
struct Runner {
  std::string name;               // for progress lines
  size_t queries;                 // passes run over queries [0, queries)
  std::function<void()> prepare;  // before each pass (e.g. setEf); may be empty
  // Query q -> the ids of its top kTop; may throw (caught per pass).
  std::function<Status(size_t q, Ids* ids)> search;
  double recall = 0;                   // from the warm-up pass
  std::vector<double> p50s{}, p99s{};  // one per timed pass
  double p50() const { return Median(p50s); }
  double p99() const { return Median(p99s); }
};

/// A raw hnswlib graph (the space must outlive it: declared first).
struct PeerGraph {
  int M = 0;
  std::unique_ptr<hnswlib::InnerProductSpace> space;
  std::unique_ptr<Graph> graph;
  double build_s = 0;
  size_t bytes = 0, bytes_level0 = 0, bytes_upper = 0;
  std::vector<std::pair<int, size_t>> runners;  // ef -> runner index
};

/// The positive integer right after `key` in `s`; 0 if absent.
int IntAfter(const std::string& s, const std::string& key) {
  const size_t at = s.find(key);
  return at == std::string::npos ? 0 : std::atoi(s.c_str() + at + key.size());
}

json Ratio(double ours, double peer) {
  return peer > 0 ? json(ours / peer) : json(nullptr);
}

/// Ours against a peer: p50 ratio and both recalls; `key`: the peer's ef.
json Compare(const char* key, int ef, const Runner& ours, const Runner& peer) {
  return {{key, ef},
          {"p50", Ratio(ours.p50(), peer.p50())},
          {"recall_ours", ours.recall},
          {"recall_peer", peer.recall}};
}

/// With `recall_pass`, the first (untimed) pass of `r`: its recall@10
/// against `truth`. Else an untimed pass, then a timed one (p50/p99): the
/// system before it in the round (an exact scan above all) has evicted this
/// one from the caches, which a few queries did not undo (+10-15% p50).
Status RunPass(Runner& r, const std::vector<Ids>& truth, bool recall_pass) {
  std::vector<double> lat_ms;
  Ids ids;
  double recall = 0;
  TECHMATCH_RETURN_IF_ERROR(internal::CatchAll(r.name, [&]() -> Status {
    if (r.prepare) r.prepare();
    for (size_t q = 0; q < r.queries; ++q) {
      TECHMATCH_RETURN_IF_ERROR(r.search(q, &ids));
      size_t found = 0;
      for (uint64_t id : ids) {
        found += std::count(truth[q].begin(), truth[q].end(), id) > 0;
      }
      recall += double(found) / double(std::max<size_t>(1, truth[q].size()));
    }
    for (size_t q = 0; !recall_pass && q < r.queries; ++q) {
      const double t0 = NowSeconds();
      TECHMATCH_RETURN_IF_ERROR(r.search(q, &ids));
      lat_ms.push_back((NowSeconds() - t0) * 1e3);
    }
    return Status::OK();
  }));
  if (recall_pass) {
    r.recall = recall / double(r.queries);
  } else {
    r.p50s.push_back(Percentile(lat_ms, 0.5));
    r.p99s.push_back(Percentile(lat_ms, 0.99));
  }
  return Status::OK();
}

/// Builds a raw hnswlib graph over `d` the way hnswlib's Python bindings
/// add_items() do: the first point alone (it becomes the entry point),
/// then the rest from `threads` workers taking rows off a shared counter.
Status BuildPeer(const AnnData& d, int M, int efc, int threads, PeerGraph* g) {
  g->M = M;
  const double t0 = NowSeconds();
  TECHMATCH_RETURN_IF_ERROR(internal::CatchAll("hnswlib build", [&] {
    g->space = std::make_unique<hnswlib::InnerProductSpace>(d.dim);
    g->graph = std::make_unique<Graph>(g->space.get(), d.n, size_t(M),
                                       size_t(efc), kHnswlibSeed);
    g->graph->addPoint(d.vectors, d.ids[0]);
  }));
  std::atomic<size_t> next{1};
  Graph& graph = *g->graph;
  Status s = internal::ParallelFor(
      size_t(threads), threads, [&](int, size_t, size_t) -> Status {
        for (;;) {
          const size_t i = next.fetch_add(1);
          if (i >= d.n) return Status::OK();
          graph.addPoint(d.vectors + i * d.dim, d.ids[i]);
        }
      });
  if (!s.ok()) return s.WithContext("hnswlib addPoint");
  g->build_s = NowSeconds() - t0;
  // Memory: what src/index/hnswlib_backend.cc memory_bytes() counts.
  g->bytes_level0 = graph.max_elements_ * graph.size_data_per_element_;
  for (size_t i = 0; i < graph.cur_element_count; ++i) {
    g->bytes_upper +=
        size_t(graph.element_levels_[i]) * graph.size_links_per_element_;
  }
  g->bytes =
      sizeof(Graph) + g->bytes_level0 + g->bytes_upper +
      graph.max_elements_ * (sizeof(char*) + sizeof(int) + sizeof(std::mutex) +
                             sizeof(hnswlib::vl_type)) +
      size_t(Graph::max_update_element_locks) * sizeof(std::mutex) +
      graph.label_lookup_.size() * 40 + graph.label_lookup_.bucket_count() * 8;
  return Status::OK();
}

Status Validate(const AnnData& d, const DenseIndex& ours,
                const AnnPeerArgs& a) {
  std::string why;
  if (d.vectors == nullptr || d.ids == nullptr || d.queries == nullptr) {
    why = "vectors, ids and queries must be non-null";
  } else if (d.n == 0 || d.dim == 0 || d.nq == 0) {
    why = "n, dim and nq must be > 0 (got " + std::to_string(d.n) + ", " +
          std::to_string(d.dim) + ", " + std::to_string(d.nq) + ")";
  } else if (ours.dim() != d.dim || ours.size() != d.n) {
    why = "our index holds " + std::to_string(ours.size()) + " x " +
          std::to_string(ours.dim()) + " vectors, the data " +
          std::to_string(d.n) + " x " + std::to_string(d.dim);
  } else if (a.repeat < 1 || a.ef_construction < 1) {
    why = "repeat and ef_construction must be >= 1";
  }
  for (int m : a.hnswlib_m) {
    if (m < 2 || m > 256) why = "hnswlib M must be in [2, 256]";
  }
  for (int ef : a.ef_search) {
    if (ef < 1) why = "ef_search values must be >= 1";
  }
  return why.empty() ? Status::OK()
                     : Status::InvalidArgument("ann peers: " + why);
}

Result<json> Run(const AnnData& d, const DenseIndex& ours, double ours_build_s,
                 const AnnPeerArgs& args) {
  const size_t k = std::min(kTop, d.n), dim = d.dim;
  const float* queries = d.queries;
  const uint64_t* ids = d.ids;
  const int threads = internal::ResolveThreads(args.threads);
  const std::string desc = ours.description();
  // A graph says "(ef N)" (hnswlib) or "(efSearch N)" (Faiss HNSW).
  int our_ef = IntAfter(desc, "(ef ");
  if (our_ef <= 0) our_ef = IntAfter(desc, "(efSearch ");
  const bool ours_graph = our_ef > 0;
  const bool ours_hnswlib = desc.rfind("HNSWLIB,", 0) == 0;
  const int our_m = ours_hnswlib ? IntAfter(desc, "M=") : 0;
  const int our_efc = ours_hnswlib ? IntAfter(desc, "efC=") : 0;

  // Exact: the recall reference and a latency floor.
  std::fprintf(stderr, "ann peers: exact IndexFlatIP, %zu x %zu\n", d.n, dim);
  faiss::IndexFlatIP exact{faiss::Index::idx_t(dim)};
  std::vector<Ids> truth(d.nq);
  double add_s = 0, truth_s = 0;
  TECHMATCH_RETURN_IF_ERROR(internal::CatchAll("faiss exact", [&] {
    double t0 = NowSeconds();
    exact.add(faiss::Index::idx_t(d.n), d.vectors);
    add_s = NowSeconds() - t0;
    std::vector<float> dist(d.nq * k);
    std::vector<faiss::Index::idx_t> pos(d.nq * k);
    t0 = NowSeconds();
    exact.search(faiss::Index::idx_t(d.nq), queries, faiss::Index::idx_t(k),
                 dist.data(), pos.data());
    truth_s = NowSeconds() - t0;
    for (size_t i = 0; i < d.nq * k; ++i) {
      if (pos[i] >= 0) truth[i / k].push_back(ids[pos[i]]);
    }
  }));

  std::vector<Runner> runners;
  const size_t exact_nq = args.exact_latency_queries == 0
                              ? d.nq
                              : std::min(d.nq, args.exact_latency_queries);
  runners.push_back({"exact", exact_nq, nullptr,
                     [&exact, queries, dim, k, ids](size_t q, Ids* out) {
                       float dist[kTop];
                       faiss::Index::idx_t pos[kTop];
                       exact.search(1, queries + q * dim,
                                    faiss::Index::idx_t(k), dist, pos);
                       out->clear();
                       for (size_t j = 0; j < k; ++j) {
                         if (pos[j] >= 0) out->push_back(ids[pos[j]]);
                       }
                       return Status::OK();
                     }});
  std::vector<int> efs = args.ef_search;  // sorted, without repeats
  std::sort(efs.begin(), efs.end());
  efs.erase(std::unique(efs.begin(), efs.end()), efs.end());
  // Ours: the default, then each ef when it is a graph.
  std::vector<int> our_efs = {0};
  if (ours_graph) our_efs.insert(our_efs.end(), efs.begin(), efs.end());
  std::map<int, size_t> ours_at;  // ef (0 = default) -> runner index
  for (int ef : our_efs) {
    ours_at[ef] = runners.size();
    runners.push_back(
        {ef == 0 ? "ours default" : "ours ef " + std::to_string(ef), d.nq,
         nullptr, [&ours, queries, dim, ef](size_t q, Ids* out) {
           DenseSearchOptions so;
           so.k = kTop;
           so.ef_search = ef;
           auto hits = ours.Search(queries + q * dim, so);
           if (!hits.ok()) return hits.status();
           out->clear();
           for (const DenseHit& h : *hits) out->push_back(h.id);
           return Status::OK();
         }});
  }
  // Raw hnswlib, one graph per M, at each ef (and at our default ef).
  std::vector<int> peer_efs = efs;
  if (ours_graph && !std::binary_search(efs.begin(), efs.end(), our_ef)) {
    peer_efs.insert(std::upper_bound(peer_efs.begin(), peer_efs.end(), our_ef),
                    our_ef);
  }
  std::vector<PeerGraph> peers(args.hnswlib_m.size());
  for (size_t g = 0; g < peers.size(); ++g) {
    PeerGraph& peer = peers[g];
    std::fprintf(stderr, "ann peers: hnswlib M=%d efC=%d, %d threads...\n",
                 args.hnswlib_m[g], args.ef_construction, threads);
    TECHMATCH_RETURN_IF_ERROR(
        BuildPeer(d, args.hnswlib_m[g], args.ef_construction, threads, &peer));
    std::fprintf(stderr, "ann peers: built in %.1f s\n", peer.build_s);
    Graph* graph = peer.graph.get();
    for (int ef : peer_efs) {
      peer.runners.emplace_back(ef, runners.size());
      runners.push_back(
          {"hnswlib M=" + std::to_string(peer.M) + " ef " + std::to_string(ef),
           d.nq, [graph, ef] { graph->setEf(size_t(ef)); },
           [graph, queries, dim](size_t q, Ids* out) {
             auto top = graph->searchKnn(queries + q * dim, kTop);
             out->resize(top.size());
             for (size_t i = top.size(); i-- > 0; top.pop()) {
               (*out)[i] = top.top().second;  // the worst is on top
             }
             return Status::OK();
           }});
    }
  }

  // Latency: one thread (Faiss's OpenMP team too), one query at a time.
  {
    internal::ScopedOmpThreads one_thread(1);
    std::fprintf(stderr, "ann peers: warm-up, %zu settings\n", runners.size());
    for (Runner& r : runners) {
      TECHMATCH_RETURN_IF_ERROR(RunPass(r, truth, true));
    }
    for (int round = 1; round <= args.repeat; ++round) {
      std::fprintf(stderr, "ann peers: round %d/%d\n", round, args.repeat);
      for (Runner& r : runners) {
        TECHMATCH_RETURN_IF_ERROR(RunPass(r, truth, false));
      }
    }
  }

  auto point = [](const Runner& r, int ef) {
    json j = {
        {"recall_at_10", r.recall}, {"p50_ms", r.p50()}, {"p99_ms", r.p99()}};
    if (ef > 0) j["ef_search"] = ef;
    return j;
  };
  const Runner& ex = runners[0];
  const Runner& our_default = runners[ours_at.at(0)];
  json ours_ef = json::array();
  for (int ef : efs) {
    if (ours_graph) ours_ef.push_back(point(runners[ours_at.at(ef)], ef));
  }
  const size_t ours_bytes = ours.memory_bytes();
  json out = {{"n", d.n},
              {"dim", dim},
              {"queries", d.nq},
              {"repeat", args.repeat},
              {"exact",
               {{"add_s", add_s},
                {"truth_s", truth_s},
                {"recall_at_10", ex.recall},
                {"p50_ms", ex.p50()},
                {"p99_ms", ex.p99()},
                {"latency_queries", ex.queries},
                {"bytes", d.n * dim * sizeof(float)}}},
              {"ours",
               {{"description", desc},
                {"build_s", ours_build_s},
                {"bytes", ours_bytes},
                {"default", point(our_default, 0)},
                {"ef", ours_ef}}}};

  json peers_json = json::array(), peer_ratios = json::array();
  for (const PeerGraph& peer : peers) {
    json ef_points = json::array(), equal_ef = json::array();
    json at_default = nullptr, equal_recall = nullptr;
    for (const auto& [ef, idx] : peer.runners) {
      const Runner& pr = runners[idx];
      ef_points.push_back(point(pr, ef));
      // Ours at this ef: an explicit measurement, else its default.
      auto it = ours_at.find(ef);
      const Runner* mine = it != ours_at.end() ? &runners[it->second] : nullptr;
      if (ours_graph && ef == our_ef) {
        at_default = Compare("ef_search", ef, our_default, pr);
        if (mine == nullptr) mine = &our_default;
      }
      if (mine != nullptr) {
        equal_ef.push_back(Compare("ef_search", ef, *mine, pr));
      }
      // Peer efs ascend: the first to reach our recall (up to rounding).
      if (equal_recall.is_null() && pr.recall >= our_default.recall - 1e-9) {
        equal_recall = Compare("peer_ef", ef, our_default, pr);
      }
    }
    peers_json.push_back({{"M", peer.M},
                          {"ef_construction", args.ef_construction},
                          {"threads", threads},
                          {"build_s", peer.build_s},
                          {"bytes", peer.bytes},
                          {"bytes_level0", peer.bytes_level0},
                          {"bytes_upper_links", peer.bytes_upper},
                          {"ef", ef_points}});
    peer_ratios.push_back(
        {{"M", peer.M},
         {"ef_construction", args.ef_construction},
         {"same_params_as_ours",
          peer.M == our_m && args.ef_construction == our_efc},
         {"build_s", Ratio(ours_build_s, peer.build_s)},
         {"bytes", Ratio(double(ours_bytes), double(peer.bytes))},
         {"at_our_default_ef", at_default},
         {"equal_ef", equal_ef},
         {"equal_recall", equal_recall}});
  }
  out["hnswlib"] = peers_json;
  out["ratios"] = {{"exact_p50", Ratio(our_default.p50(), ex.p50())},
                   {"hnswlib", peer_ratios}};
  return out;
}

}  // namespace

Result<nlohmann::json> RunAnnPeers(const AnnData& data, const DenseIndex& ours,
                                   double ours_build_s,
                                   const AnnPeerArgs& args) {
  TECHMATCH_RETURN_IF_ERROR(Validate(data, ours, args));
  // Anything thrown on the way (allocation, Faiss, hnswlib, json) -> Status.
  return internal::CatchAll("ann peers", [&]() -> Result<nlohmann::json> {
    return Run(data, ours, ours_build_s, args);
  });
}

}  // namespace techmatch::bench
