// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The one Catch2 main shared by every test executable. A case that cannot
// run here (TECHMATCH_SKIP in test_skip.h: a data set or a tool is missing)
// makes the run exit with kSkipExitCode once every case is done, so CTest
// (SKIP_RETURN_CODE) reports the run as skipped, not passed. A failure
// anywhere still fails the run.

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "test_skip.h"

int main(int argc, char* argv[]) {
  const int failed = Catch::Session().run(argc, argv);
  const std::vector<std::string>& skipped = techmatch::testing::SkippedCases();
  if (failed != 0 || skipped.empty()) return failed;
  std::fprintf(stderr, "\n%zu test case(s) could not run:\n", skipped.size());
  for (const std::string& s : skipped)
    std::fprintf(stderr, "  %s\n", s.c_str());
  return techmatch::testing::kSkipExitCode;
}
