// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// DirLock: one writer per index directory (an flock on DIR/LOCK).

#ifndef TECHMATCH_SERVER_DIR_LOCK_H_
#define TECHMATCH_SERVER_DIR_LOCK_H_

#include <memory>
#include <string>

#include "techmatch/status.h"

namespace techmatch::server {

/// Holds an exclusive flock(2) on `DIR/LOCK` for its lifetime. The file
/// itself stays (it is only a lock; its text names the holder for the
/// error message a second process gets). The kernel drops the lock when
/// the process dies, however it dies, so a kill -9 never leaves the
/// directory locked.
///
/// Thread-safety: immutable after Acquire. Two DirLocks on one directory
/// conflict even within one process (flock locks belong to the open file).
class DirLock {
 public:
  /// Locks `dir` (which must exist) for `holder` (e.g. "techmatch serve").
  /// FailedPrecondition naming the directory, and the holder's pid and
  /// command when it wrote them, if another process holds the lock.
  static Result<std::unique_ptr<DirLock>> Acquire(const std::string& dir,
                                                  const std::string& holder);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

  /// The lock file's name inside an index directory.
  static constexpr const char* kFileName = "LOCK";

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace techmatch::server

#endif  // TECHMATCH_SERVER_DIR_LOCK_H_
