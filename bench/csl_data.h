// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The csl-match evaluation set as the benchmarks read it.

#ifndef TECHMATCH_BENCH_CSL_DATA_H_
#define TECHMATCH_BENCH_CSL_DATA_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eval/metrics.h"
#include "techmatch/record.h"
#include "techmatch/status.h"

namespace techmatch::bench {

struct CslQuery {
  std::string id;
  std::string type;  // "title" or "keywords"
  std::string text;
};

/// Reads queries_<split>.jsonl (id, type, text, keywords).
Result<std::vector<CslQuery>> LoadCslQueries(const std::string& path);

/// Writes a run file (one {"query_id", "doc_ids"} object per line).
Status WriteRun(const std::string& path, const std::vector<CslQuery>& queries,
                const std::vector<std::vector<std::string>>& ranked);

/// Runs ../shared's evaluate.py on a run file; returns its JSON output.
Result<std::string> Evaluate(const std::string& csl_dir, const std::string& run_path);

/// One group's metrics as the benches print them: n, MRR@10, R@1, R@10,
/// R@100, nDCG@10, and DiscP@10 / CatP@10 when defined.
nlohmann::json MetricsJson(const internal::GroupMetrics& g);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_CSL_DATA_H_
