// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// OutputDirLock: the snapshot directory a command writes (`index --out`,
// `fit --out`), locked before the command does any work.

#ifndef TECHMATCH_TOOLS_OUTPUT_LOCK_H_
#define TECHMATCH_TOOLS_OUTPUT_LOCK_H_

#include <memory>
#include <string>

#include "server/dir_lock.h"
#include "techmatch/status.h"

namespace techmatch::cli {

/// Creates `dir` when absent and takes its DIR/LOCK (as `serve`, `upsert`
/// and `remove` do), so that a second writer fails at once naming the
/// first, and an unwritable path fails before a long build. When the
/// command created the directory and leaves nothing in it but the lock
/// file (it failed before saving), the destructor removes both.
///
/// Thread-safety: not shared; one per command.
class OutputDirLock {
 public:
  static Result<std::unique_ptr<OutputDirLock>> Acquire(const std::string& dir,
                                                        const std::string& holder);
  ~OutputDirLock();
  OutputDirLock(const OutputDirLock&) = delete;
  OutputDirLock& operator=(const OutputDirLock&) = delete;

 private:
  OutputDirLock(std::string dir, bool created, std::unique_ptr<server::DirLock> lock);
  std::string dir_;
  bool created_;
  std::unique_ptr<server::DirLock> lock_;
};

}  // namespace techmatch::cli

#endif  // TECHMATCH_TOOLS_OUTPUT_LOCK_H_
