// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// FairSharedMutex: a reader-writer lock that a waiting writer cannot be
// starved on.

#ifndef TECHMATCH_UTIL_FAIR_SHARED_MUTEX_H_
#define TECHMATCH_UTIL_FAIR_SHARED_MUTEX_H_

#include <mutex>
#include <shared_mutex>

namespace techmatch::internal {

/// glibc's std::shared_mutex prefers readers: under a steady stream of
/// overlapping readers a writer waits forever. Here every locker first
/// passes a turnstile; a writer holds it while it waits for the readers
/// inside to leave, so new readers queue behind it. Meets the standard
/// SharedMutex requirements used by std::shared_lock / std::unique_lock.
class FairSharedMutex {
 public:
  void lock() {
    std::lock_guard<std::mutex> gate(turnstile_);
    rw_.lock();
  }
  void unlock() { rw_.unlock(); }
  void lock_shared() {
    { std::lock_guard<std::mutex> gate(turnstile_); }
    rw_.lock_shared();
  }
  void unlock_shared() { rw_.unlock_shared(); }

 private:
  std::mutex turnstile_;
  std::shared_mutex rw_;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_UTIL_FAIR_SHARED_MUTEX_H_
