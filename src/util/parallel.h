// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// ParallelFor: split [0, n) over worker threads and collect the first error.

#ifndef TECHMATCH_UTIL_PARALLEL_H_
#define TECHMATCH_UTIL_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "techmatch/status.h"

namespace techmatch::internal {

/// Threads to use for `requested` (0 = one per hardware thread).
inline int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : int(hw);
}

/// Runs fn(worker, begin, end) on contiguous blocks of [0, n), one block per
/// worker thread (worker in [0, threads)), and returns the first non-OK
/// status (by block order). With one thread it runs inline. Exceptions from
/// fn become Status::Internal.
template <typename Fn>
Status ParallelFor(size_t n, int threads, Fn&& fn) {
  threads = std::max(1, std::min<int>(threads, int(std::max<size_t>(n, 1))));
  std::vector<Status> results(static_cast<size_t>(threads));
  auto run = [&](int w) {
    size_t begin = n * size_t(w) / size_t(threads);
    size_t end = n * size_t(w + 1) / size_t(threads);
    try {
      results[size_t(w)] = fn(w, begin, end);
    } catch (const std::exception& e) {
      results[size_t(w)] = Status::Internal(e.what());
    } catch (...) {
      results[size_t(w)] = Status::Internal("unknown exception in a worker");
    }
  };
  if (threads == 1) {
    run(0);
  } else {
    std::vector<std::thread> pool;
    pool.reserve(size_t(threads));
    for (int w = 0; w < threads; ++w) {
      // A thread that cannot start (std::system_error) runs its block here:
      // the blocks are independent, and the started threads are joined
      // either way (destroying a joinable std::thread would terminate).
      try {
        pool.emplace_back(run, w);
      } catch (...) {
        run(w);
      }
    }
    for (auto& t : pool) t.join();
  }
  for (Status& s : results) {
    if (!s.ok()) return s;
  }
  return Status::OK();
}

/// Runs fn(begin, end) over [0, n) in blocks of `block` that `threads`
/// workers take in turn from a shared counter (in increasing order): for
/// work whose cost per item varies a lot, where ParallelFor's equal shares
/// would leave one worker with most of it. Returns the first error (a
/// worker stops at its own); exceptions become Status::Internal.
template <typename Fn>
Status ParallelForBlocks(size_t n, size_t block, int threads, Fn&& fn) {
  block = std::max<size_t>(block, 1);
  const size_t blocks = (n + block - 1) / block;
  std::atomic<size_t> next{0};
  return ParallelFor(std::min<size_t>(blocks, size_t(std::max(1, threads))), threads,
                     [&](int, size_t, size_t) -> Status {
                       for (;;) {
                         const size_t begin = next.fetch_add(block);
                         if (begin >= n) return Status::OK();
                         const Status s = fn(begin, std::min(n, begin + block));
                         if (!s.ok()) return s;
                       }
                     });
}

/// Runs fn(worker) for every worker in [0, workers) at once, each on a
/// thread of its own where one starts and on the calling thread where one
/// cannot: for work that must not fail once begun (LexicalIndex::Commit).
/// The constructor makes the one allocation; Run() does not throw if fn
/// does not. Thread-safety: one Run() at a time.
class WorkerTeam {
 public:
  explicit WorkerTeam(int workers = 1) : workers_(std::max(1, workers)) {
    threads_.reserve(size_t(workers_));
  }
  int workers() const { return workers_; }

  template <typename Fn>
  void Run(const Fn& fn) {
    for (int w = 1; w < workers_; ++w) {
      try {
        threads_.emplace_back(std::cref(fn), w);  // capacity reserved
      } catch (...) {
        fn(w);
      }
    }
    fn(0);
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

 private:
  int workers_;
  std::vector<std::thread> threads_;
};

/// Runs fn() on a thread of its own from construction, or right there in
/// the constructor when no thread can start; Join() (or the destructor)
/// waits for it. fn must not throw (wrap it in CatchAll). Thread-safety:
/// one owner.
class BackgroundTask {
 public:
  explicit BackgroundTask(std::function<void()> fn) : fn_(std::move(fn)) {
    try {
      thread_ = std::thread([this] { fn_(); });
    } catch (const std::system_error&) {
      fn_();
    }
  }
  ~BackgroundTask() { Join(); }
  BackgroundTask(const BackgroundTask&) = delete;
  BackgroundTask& operator=(const BackgroundTask&) = delete;

  void Join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::function<void()> fn_;
  std::thread thread_;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_UTIL_PARALLEL_H_
