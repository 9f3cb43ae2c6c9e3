// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// `techmatch serve` as a child process on a loopback port, and raw HTTP
// exchanges with it (for the serve benchmark).

#ifndef TECHMATCH_BENCH_SERVE_PROCESS_H_
#define TECHMATCH_BENCH_SERVE_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "techmatch/status.h"

namespace techmatch::bench {

/// The `techmatch` executable beside this one ("" if absent).
std::string TechmatchBinary();

/// A running `techmatch serve --index DIR --port 0 ...` (127.0.0.1).
class ServeProcess {
 public:
  /// Starts it and waits (at most `timeout_s`) for its "listening on" line.
  static Result<std::unique_ptr<ServeProcess>> Start(const std::string& binary,
                                                     const std::string& index,
                                                     const std::vector<std::string>& extra,
                                                     double timeout_s);
  ~ServeProcess();  ///< SIGKILL if still running
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  /// True while the process has not exited.
  bool Alive();
  /// Sends `sig` and waits up to `timeout_s` (then SIGKILL). Returns the
  /// exit code, or 128 + signal when a signal ended it.
  int Stop(int sig, double timeout_s);

 private:
  ServeProcess(pid_t pid, int out_fd) : pid_(pid), out_fd_(out_fd) {}
  pid_t pid_;
  int out_fd_;
  int port_ = 0;
  int exit_code_ = -1;
};

/// Sends `request` (raw bytes) to 127.0.0.1:port and returns the status
/// code of the answer, or -1 when none came within `timeout_s` (or the
/// connection failed). Reads only the status line and headers.
int RawHttpStatus(int port, const std::string& request, double timeout_s);

/// The 1-minute load average (/proc/loadavg), or -1.
double LoadAverage1();

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_SERVE_PROCESS_H_
