// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// BENCHMARKS.md from the JSON `techmatch-bench all` collects.

#ifndef TECHMATCH_BENCH_REPORT_H_
#define TECHMATCH_BENCH_REPORT_H_

#include <string>

#include <nlohmann/json.hpp>

namespace techmatch::bench {

/// The whole report: machine, date, commit, command, then one section per
/// benchmark (tables; ratios as measured in the run). Missing or skipped
/// sections are named as such, never invented.
std::string RenderBenchmarksMarkdown(const nlohmann::json& all);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_REPORT_H_
