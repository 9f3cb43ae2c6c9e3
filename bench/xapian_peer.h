// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The lexical peer: Xapian 1.4 on the csl-match corpus and dev queries,
// beside techmatch's hybrid engine measured in the same run.

#ifndef TECHMATCH_BENCH_XAPIAN_PEER_H_
#define TECHMATCH_BENCH_XAPIAN_PEER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "techmatch/record.h"
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

/// Xapian's "OR of TermGenerator terms" over any records (the peer of
/// `techmatch-bench engine --xapian`): a glass database in a temporary
/// directory (removed with the object), built in one thread as RunXapianPeer
/// builds it; Search runs the query text through the same TermGenerator and
/// an OP_OR of its terms (wdf as wqf), top k by BM25Weight defaults.
/// Thread-compatible (one thread at a time).
class XapianOrPeer {
 public:
  /// NotSupported when built without Xapian.
  static Result<std::unique_ptr<XapianOrPeer>> Build(const std::vector<Record>& records);
  ~XapianOrPeer();
  XapianOrPeer(const XapianOrPeer&) = delete;
  XapianOrPeer& operator=(const XapianOrPeer&) = delete;

  /// The ids (record ids) of the k best documents, best first.
  Status Search(const std::string& text, size_t k, std::vector<std::string>* ids);
  double build_s() const { return build_s_; }
  uint64_t disk_bytes() const { return disk_bytes_; }
  std::string version() const;

 private:
  struct Impl;
  explicit XapianOrPeer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  double build_s_ = 0;
  uint64_t disk_bytes_ = 0;
};

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
