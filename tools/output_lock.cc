// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "output_lock.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

namespace techmatch::cli {

OutputDirLock::OutputDirLock(std::string dir, bool created,
                             std::unique_ptr<server::DirLock> lock)
    : dir_(std::move(dir)), created_(created), lock_(std::move(lock)) {}

Result<std::unique_ptr<OutputDirLock>> OutputDirLock::Acquire(const std::string& dir,
                                                              const std::string& holder) {
  bool created = false;
  if (::mkdir(dir.c_str(), 0755) == 0) {
    created = true;
  } else if (errno != EEXIST) {
    return Status::IOError("cannot create output directory '" + dir +
                           "': " + std::strerror(errno));
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::IOError("output path '" + dir + "' is not a directory");
  }
  auto lock = server::DirLock::Acquire(dir, holder);
  if (!lock.ok()) {
    if (created) ::rmdir(dir.c_str());
    return lock.status();
  }
  return std::unique_ptr<OutputDirLock>(new OutputDirLock(dir, created, std::move(*lock)));
}

OutputDirLock::~OutputDirLock() {
  if (!created_) return;
  // Nothing was saved: leave no empty directory behind. The lock is still
  // held while its file is removed.
  std::error_code ec;
  size_t entries = 0;
  for (auto it = std::filesystem::directory_iterator(dir_, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (it->path().filename() != server::DirLock::kFileName) ++entries;
  }
  if (ec || entries > 0) return;
  ::unlink((dir_ + "/" + server::DirLock::kFileName).c_str());
  lock_.reset();
  ::rmdir(dir_.c_str());
}

}  // namespace techmatch::cli
