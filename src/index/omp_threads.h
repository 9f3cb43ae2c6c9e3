// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// ScopedOmpThreads: the OpenMP team size for one scope on this thread.

#ifndef TECHMATCH_INDEX_OMP_THREADS_H_
#define TECHMATCH_INDEX_OMP_THREADS_H_

#include <omp.h>

namespace techmatch::internal {

/// Sets the OpenMP thread count (used by Faiss and by Eigen's matrix
/// products) for the current thread until the end of the scope.
///
/// omp_set_num_threads() is not process-global: it sets the nthreads-var
/// ICV of the calling thread's data environment (libgomp keeps one per
/// thread, std::threads included), so this affects neither other threads
/// nor, after the scope, the caller.
class ScopedOmpThreads {
 public:
  explicit ScopedOmpThreads(int threads) : saved_(omp_get_max_threads()) {
    omp_set_num_threads(threads > 0 ? threads : 1);
  }
  ~ScopedOmpThreads() { omp_set_num_threads(saved_); }
  ScopedOmpThreads(const ScopedOmpThreads&) = delete;
  ScopedOmpThreads& operator=(const ScopedOmpThreads&) = delete;

 private:
  int saved_;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_INDEX_OMP_THREADS_H_
