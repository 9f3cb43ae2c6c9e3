// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Progress: a phase's done/total on stderr, as a redrawn bar on a terminal
// or as one summary line otherwise.

#ifndef TECHMATCH_TOOLS_PROGRESS_H_
#define TECHMATCH_TOOLS_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>

#include "techmatch/engine.h"

namespace techmatch::cli {

/// Reports one phase ("add", "build", ...) of a long call.
///
/// On a terminal the line "<phase> [####....] done/total  N records/s  ETA"
/// is redrawn with '\r' at most ten times a second; otherwise nothing is
/// printed until Finish(), which prints one summary line. Update() may be
/// called from several threads at once (the engine's workers).
class Progress {
 public:
  /// `out` is normally stderr; `unit` names what is counted ("records").
  explicit Progress(std::string phase, std::string unit = "records",
                    std::FILE* out = stderr);
  /// Abort()s if neither Finish() nor Abort() was called.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Update(size_t done, size_t total);
  /// A callback for the engine that forwards to Update(). `this` must
  /// outlive it.
  ProgressCallback Callback();
  /// Ends the phase: the final bar (terminal) or the summary line. Further
  /// calls do nothing.
  void Finish();
  /// Ends the phase after a failure: nothing more is printed except the
  /// newline that ends a partly drawn bar, so an error message that
  /// follows starts on its own line. Further calls do nothing.
  void Abort();
  /// Seconds since construction (or until Finish()).
  double seconds() const;

 private:
  void Draw(bool final_line);  // with mu_ held

  std::string phase_;
  std::string unit_;
  std::FILE* out_;
  bool tty_;
  mutable std::mutex mu_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::chrono::steady_clock::time_point end_;
  size_t done_ = 0;
  size_t total_ = 0;
  bool drawn_ = false;
  bool finished_ = false;
};

/// True if `file` is a terminal.
bool IsTerminal(std::FILE* file);

/// "12.3 s", "4 min 05 s".
std::string FormatSeconds(double seconds);

}  // namespace techmatch::cli

#endif  // TECHMATCH_TOOLS_PROGRESS_H_
