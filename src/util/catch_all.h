// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// CatchAll: the one place where third-party exceptions become a Status.

#ifndef TECHMATCH_UTIL_CATCH_ALL_H_
#define TECHMATCH_UTIL_CATCH_ALL_H_

#include <ios>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>

#include "techmatch/status.h"

namespace techmatch::internal {

/// Runs fn() and turns any exception into a Status naming `what`:
/// std::bad_alloc -> Internal "out of memory", std::ios_base::failure ->
/// IOError, any other -> Internal with its message. fn may return Status or
/// Result<T> (passed through) or void (-> OK). Faiss, hnswlib, ICU wrappers
/// and nlohmann::json all throw std::exception subclasses.
template <typename Fn,
          typename R = std::conditional_t<
              std::is_void_v<std::invoke_result_t<Fn&>>, Status,
              std::invoke_result_t<Fn&>>>
R CatchAll(std::string_view what, Fn&& fn) {
  try {
    if constexpr (std::is_void_v<std::invoke_result_t<Fn&>>) {
      fn();
      return Status::OK();
    } else {
      return fn();
    }
  } catch (const std::bad_alloc&) {
    return Status::Internal(std::string(what) + ": out of memory");
  } catch (const std::ios_base::failure& e) {
    return Status::IOError(std::string(what) + ": " + e.what());
  } catch (const std::exception& e) {
    return Status::Internal(std::string(what) + ": " + e.what());
  } catch (...) {
    return Status::Internal(std::string(what) + ": unknown exception");
  }
}

}  // namespace techmatch::internal

#endif  // TECHMATCH_UTIL_CATCH_ALL_H_
