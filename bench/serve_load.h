// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The serve benchmark's load and fault runs against a `techmatch serve`
// on loopback: wrk at N connections, a paced writer beside it, a
// bad-request run, a kill -9 and restart loop. Each stops by itself
// (bounded in count and time).

#ifndef TECHMATCH_BENCH_SERVE_LOAD_H_
#define TECHMATCH_BENCH_SERVE_LOAD_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "techmatch/status.h"

namespace techmatch::bench {

/// True when Debian's wrk is on the PATH.
bool WrkAvailable();

/// wrk -c `connections` for `seconds` POSTing the request bodies of
/// `bodies_file` (one JSON per line, cycled) to /v1/match. JSON:
/// connections, seconds, requests, rps, p50_ms, p90_ms, p99_ms, max_ms,
/// errors (connect, read, write, non-2xx status, timeout; and their sum).
Result<nlohmann::json> RunWrk(int port, const std::string& bodies_file, int connections,
                              double seconds, const std::string& work_dir);

/// PUTs one record every 1/rate seconds (its texts cycled from `texts`)
/// until Stop(); counts acknowledgements, errors and latencies.
class PacedWriter {
 public:
  PacedWriter(int port, double rate, std::vector<std::string> texts, std::string id_prefix);
  ~PacedWriter();
  /// {"rate", "acked", "errors", "p50_ms", "p99_ms", "max_ms"}
  nlohmann::json Stop();

 private:
  void Loop();
  int port_;
  double rate_;
  std::vector<std::string> texts_;
  std::string prefix_;
  std::atomic<bool> stop_{false};
  std::vector<double> ms_;
  uint64_t errors_ = 0;
  std::thread thread_;
};

/// Malformed, oversized, hostile and wrong-typed requests (each `rounds`
/// times, from 4 threads), then a health check and a real match. JSON:
/// cases [{name, expected, statuses}], sent, errors (answers that were not
/// the expected 4xx: 5xx, none, or another code), healthy_after.
nlohmann::json RunBadRequests(int port, int rounds, size_t max_body_bytes);

/// Up to `rounds` rounds within `max_seconds`: start `techmatch serve` on
/// `index`, check every write acknowledged so far in the previous round is
/// there, PUT records as fast as they are acknowledged, kill -9 at a
/// seeded random moment. Then one last start checks every acknowledged
/// write. JSON: rounds, acked, lost, restart_s (median, max), checkpoints
/// folded at starts, clean_stop_exit.
nlohmann::json RunKillLoop(const std::string& binary, const std::string& index, int rounds,
                           double max_seconds, const std::vector<std::string>& texts);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_SERVE_LOAD_H_
