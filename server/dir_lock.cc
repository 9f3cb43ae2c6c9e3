// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "server/dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace techmatch::server {

namespace {

// What the current holder wrote into the lock file ("pid 123, techmatch
// serve"), or "" when it is unreadable or empty.
std::string HolderText(int fd) {
  char buf[256];
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "";
  std::string s(buf, size_t(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
  return s;
}

}  // namespace

Result<std::unique_ptr<DirLock>> DirLock::Acquire(const std::string& dir,
                                                  const std::string& holder) {
  const std::string path = dir + "/" + kFileName;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IOError("cannot open lock file '" + path +
                           "': " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string who = HolderText(fd);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status::FailedPrecondition(
          "index directory '" + dir + "' is in use by another process" +
          (who.empty() ? std::string() : " (" + who + ")") +
          ": one writer at a time (`techmatch serve`, `index`, `fit`, `upsert` "
          "or `remove`); wait for it, stop it, or use its HTTP API");
    }
    return Status::IOError("cannot lock '" + path + "': " + std::strerror(err));
  }
  // Best effort: the text only improves another process's error message.
  const std::string text =
      "pid " + std::to_string(::getpid()) + ", " + holder + "\n";
  if (::ftruncate(fd, 0) == 0) {
    [[maybe_unused]] ssize_t w = ::pwrite(fd, text.data(), text.size(), 0);
  }
  return std::unique_ptr<DirLock>(new DirLock(fd));
}

DirLock::~DirLock() {
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

}  // namespace techmatch::server
