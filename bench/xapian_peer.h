// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The lexical peer: Xapian 1.4 on the csl-match corpus and dev queries,
// beside techmatch's hybrid engine measured in the same run.

#ifndef TECHMATCH_BENCH_XAPIAN_PEER_H_
#define TECHMATCH_BENCH_XAPIAN_PEER_H_

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "techmatch/status.h"

namespace techmatch::bench {

struct XapianPeerArgs {
  std::string corpus;  // csl-match corpus.jsonl; "" = ../shared default
  size_t queries = 0;  // first N dev queries (0 = all)
  size_t records = 0;  // first N corpus records (0 = all; quick runs)
  int repeat = 3;      // latency passes; medians over passes
  int threads = 0;     // techmatch build threads (0 = all cores)
};

/// True when the bench was compiled against libxapian-dev.
bool XapianAvailable();

/// Builds a Xapian (glass, temporary directory) index and a techmatch
/// Engine (default options) over the same records; runs the dev queries
/// through Xapian in two styles (QueryParser with FLAG_CJK_NGRAM, and an
/// OR of the terms TermGenerator produces with CJK n-grams) and through
/// techmatch; reports build seconds, single-query latency p50/p99 (top 10,
/// one thread), the csl-match metrics of the top 100 (src/eval/metrics.h)
/// and ratios techmatch/Xapian. NotSupported when built without Xapian.
Result<nlohmann::json> RunXapianPeer(const XapianPeerArgs& args);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_XAPIAN_PEER_H_
