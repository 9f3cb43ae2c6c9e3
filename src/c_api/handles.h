// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// What the C API's opaque handles hold, and its one error boundary.

#ifndef TECHMATCH_C_API_HANDLES_H_
#define TECHMATCH_C_API_HANDLES_H_

#include <memory>
#include <vector>

#include "techmatch/c.h"
#include "techmatch/engine.h"
#include "techmatch/engine_options.h"
#include "techmatch/match.h"
#include "techmatch/status.h"
#include "util/catch_all.h"

struct techmatch_options_t {
  techmatch::EngineOptions rep;
};
struct techmatch_engine_t {
  std::unique_ptr<techmatch::Engine> rep;
};
struct techmatch_match_options_t {
  techmatch::MatchOptions rep;
};
struct techmatch_match_result_t {
  techmatch::MatchResult rep;
};
struct techmatch_batch_result_t {
  std::vector<techmatch_match_result_t> results;
};
// techmatch_match_t is never defined: a `const techmatch_match_t*` is a
// `const techmatch::Match*` inside its result, converted both ways with
// reinterpret_cast (a round trip the standard guarantees).

namespace techmatch::c_api {

/// Reports `status` through errptr as c.h promises and returns its code.
/// Never throws: when the message cannot be allocated, *errptr is left as
/// it was and the code alone tells the caller.
int Report(const Status& status, char** errptr) noexcept;

/// Runs body() (returning Status) so that nothing escapes: its exceptions
/// become a Status (internal::CatchAll), which is reported.
template <typename Body>
int Run(const char* function, char** errptr, Body&& body) noexcept {
  try {
    return Report(internal::CatchAll(function, body), errptr);
  } catch (...) {  // out of memory while building the error itself
    return int(StatusCode::kInternal);
  }
}

}  // namespace techmatch::c_api

/// The C boundary (faiss's CATCH_AND_HANDLE): the whole body of every C
/// function that can fail, a block that returns a techmatch::Status:
///   int techmatch_x(..., char** errptr) {
///     TECHMATCH_C_BOUNDARY(errptr, { ...; return Status::OK(); });
///   }
#define TECHMATCH_C_BOUNDARY(errptr, ...)                  \
  return ::techmatch::c_api::Run(__func__, (errptr),        \
                                 [&]() -> ::techmatch::Status __VA_ARGS__)

#endif  // TECHMATCH_C_API_HANDLES_H_
