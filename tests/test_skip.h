// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// TECHMATCH_SKIP: a test case that cannot run here says so, and the test
// run reports skipped (not passed) to CTest.

#ifndef TECHMATCH_TESTS_TEST_SKIP_H_
#define TECHMATCH_TESTS_TEST_SKIP_H_

#include <string>
#include <vector>

namespace techmatch::testing {

/// Exit code of a test run in which some case could not run (and none
/// failed): CTest's SKIP_RETURN_CODE, the automake convention.
inline constexpr int kSkipExitCode = 77;

/// "case name: why" of every case skipped in this process (test_main.cc
/// turns a non-empty list into kSkipExitCode).
inline std::vector<std::string>& SkippedCases() {
  static std::vector<std::string> skipped;
  return skipped;
}

/// Ends the current test case as skipped: `why` names what is missing. The
/// case's checks so far still count; a case must not pass by skipping, so
/// the whole run then reports skipped (tag such cases [shared] so that
/// CTest runs them apart from the rest, see tests/CMakeLists.txt).
#define TECHMATCH_SKIP(why)                                                \
  do {                                                                     \
    const std::string techmatch_skip_why_ = (why);                         \
    WARN("SKIPPED: " << techmatch_skip_why_);                              \
    ::techmatch::testing::SkippedCases().push_back(                        \
        ::Catch::getResultCapture().getCurrentTestName() + ": " +          \
        techmatch_skip_why_);                                              \
    return;                                                                \
  } while (false)

}  // namespace techmatch::testing

#endif  // TECHMATCH_TESTS_TEST_SKIP_H_
