// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Service: the HTTP/JSON matching service over one index directory
// (`techmatch serve`; endpoints in docs/api.md).

#ifndef TECHMATCH_SERVER_SERVICE_H_
#define TECHMATCH_SERVER_SERVICE_H_

#include <memory>
#include <string>

#include "server/api_request.h"
#include "techmatch/status.h"

namespace techmatch::server {

class IndexDir;

/// How the service listens and what it allows.
struct ServiceOptions {
  /// Address to bind. Default "127.0.0.1" (loopback only).
  std::string bind = "127.0.0.1";
  /// TCP port; 0 = any free port (see Service::port()). Default 8080.
  int port = 8080;
  /// HTTP worker threads. Each open keep-alive connection holds one while
  /// it is open, so this bounds the connections served at once (others
  /// wait). Default 64.
  int threads = 64;
  /// Workers for one /v1/match/batch request (Engine::MatchBatch); 0 =
  /// the engine's setting. Default 0.
  int batch_threads = 0;
  /// Bearer token; empty = no authentication. Default empty.
  std::string token;
  /// With a token: reads (match, records GET, stats, follow-up) need it
  /// too, not only writes. /healthz and the page's files never do.
  /// Default false.
  bool auth_reads = false;
  /// Socket read/write timeout and the time budget of one batch request,
  /// seconds. Default 30.
  double request_timeout_seconds = 30;
  /// Idle keep-alive connections are closed after this, seconds. Default 5.
  int keep_alive_seconds = 5;
  /// Checkpoint thread: how often it checks IndexDir::CheckpointDue(),
  /// seconds. Default 1.
  double checkpoint_poll_seconds = 1;
  /// A read-only replica of a directory that another server (the primary)
  /// writes: the IndexDir is opened read-only; PUT, DELETE and POST
  /// /v1/snapshot answer 409 (send writes to the primary); POST /v1/reload
  /// (or Reload()) opens the directory again, so the replica serves the
  /// primary's latest snapshot and log. Default false.
  bool replica = false;
  /// A synonyms file (techmatch/synonyms.h) applied to every match; read
  /// at Bind(), on a replica's reload, and again on POST /v1/synonyms (so
  /// an edited file takes effect without a restart). Default: none.
  std::string synonyms_file;
  ApiLimits limits;

  Status Validate() const;
};

/// Serves one IndexDir (shared: a caller may keep using it).
///
/// Thread-safety: Stop() and Reload() may be called from any thread (a
/// signal-waiting thread) at any time; the rest from one thread.
class Service {
 public:
  Service(std::shared_ptr<IndexDir> dir, ServiceOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  /// Binds the listening socket (IOError naming the address if it cannot).
  Status Bind();
  /// The bound port (after Bind).
  int port() const;
  /// Serves until Stop(): runs the checkpoint thread beside the HTTP
  /// workers; after Stop, finishes the requests in flight and checkpoints
  /// if any write is not yet in a snapshot.
  Status Run();
  /// Makes Run() return (idempotent).
  void Stop();

  /// A replica: opens its directory again (read-only: the current snapshot
  /// and the primary's log) and serves that from the next request on; the
  /// requests in flight finish on the old one, freed after them (so memory
  /// holds two engines for a moment). On failure it keeps serving the old
  /// one and returns why. FailedPrecondition on a primary.
  Status Reload();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// True when a and b are equal, in time that depends only on their
/// lengths (token comparison).
bool ConstantTimeEquals(const std::string& a, const std::string& b);

}  // namespace techmatch::server

#endif  // TECHMATCH_SERVER_SERVICE_H_
