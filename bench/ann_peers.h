// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The dense-index peers: hnswlib (raw, as users link it) and exact Faiss
// IndexFlatIP, measured beside techmatch's DenseIndex on the same vectors
// and queries in the same run.

#ifndef TECHMATCH_BENCH_ANN_PEERS_H_
#define TECHMATCH_BENCH_ANN_PEERS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "techmatch/dense_index.h"
#include "techmatch/status.h"

namespace techmatch::bench {

struct AnnPeerArgs {
  std::vector<int> hnswlib_m = {16, 32};  // one raw hnswlib graph per M
  int ef_construction = 200;              // for every hnswlib graph
  std::vector<int> ef_search = {32, 64, 128, 256, 512};  // measured per graph
  int threads = 2;   // build threads of the hnswlib peers (ours: its options)
  int repeat = 3;    // latency passes; p50/p99 reported as medians over passes
  // Exact single-query latency is measured on at most this many queries
  // (a 1M exact scan costs ~60-90 ms each).
  size_t exact_latency_queries = 200;
};

/// The vectors every index holds: row i (dim floats, L2-normalized) has id
/// ids[i]; queries are nq rows of dim floats, L2-normalized.
struct AnnData {
  const float* vectors = nullptr;
  const uint64_t* ids = nullptr;
  size_t n = 0;
  size_t dim = 0;
  const float* queries = nullptr;
  size_t nq = 0;
};

/// Measures, on `data`: exact Faiss IndexFlatIP (add time, batched exact
/// top 10 = the recall reference, single-query latency); `ours` (a built
/// DenseIndex over the same vectors and ids, built in `ours_build_s`) at
/// its tuned default effort and at each ef in args.ef_search when it is a
/// graph; one raw hnswlib HierarchicalNSW<float> (InnerProductSpace) per M,
/// built with args.threads threads, at each ef. Reports recall@10 against
/// exact, p50/p99 single-query latency (one thread), build seconds, memory
/// bytes, and ratios ours/peer (build time; latency at equal ef and at the
/// peer's smallest ef whose recall reaches ours). JSON layout: see
/// ann_peers.cc.
Result<nlohmann::json> RunAnnPeers(const AnnData& data, const DenseIndex& ours,
                                   double ours_build_s, const AnnPeerArgs& args);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_ANN_PEERS_H_
